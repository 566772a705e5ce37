terraform {
  required_version = ">= 1.6"

  required_providers {
    ibm = {
      source  = "IBM-Cloud/ibm"
      version = "~> 1.70"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}

# Credentials come from the environment: IC_API_KEY (or IBMCLOUD_API_KEY).
provider "ibm" {
  region = var.region
}
