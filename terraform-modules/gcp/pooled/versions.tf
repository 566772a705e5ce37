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
# or workload identity). target.project_id selects the pool's project (else GOOGLE_PROJECT).
provider "google" {
  region  = var.region
  project = lookup(var.target, "project_id", null)
}
