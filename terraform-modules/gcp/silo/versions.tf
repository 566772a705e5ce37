terraform {
  required_version = ">= 1.6"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}

# Credentials come from the environment (GOOGLE_CREDENTIALS or GOOGLE_APPLICATION_CREDENTIALS,
# or workload identity). Every resource names the tenant project it belongs to explicitly.
provider "google" {
  region = var.region
}
