terraform {
  required_version = ">= 1.6"

  required_providers {
    oci = {
      source  = "oracle/oci"
      version = "~> 6.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}

# Credentials come from the environment: OCI_TENANCY_OCID, OCI_USER_OCID, OCI_FINGERPRINT,
# OCI_PRIVATE_KEY (or OCI_PRIVATE_KEY_PATH) — TF_VAR_-prefixed names are read as well — or
# an instance / resource principal via OCI_AUTH.
provider "oci" {
  region = var.region
}
