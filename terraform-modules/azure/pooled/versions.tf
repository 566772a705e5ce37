terraform {
  required_version = ">= 1.6"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}

# Credentials come from the environment (ARM_TENANT_ID, ARM_CLIENT_ID, ARM_CLIENT_SECRET or
# ARM_USE_OIDC / ARM_USE_MSI, ARM_SUBSCRIPTION_ID); target.subscription_id, when set, selects
# the subscription.
provider "azurerm" {
  features {}

  subscription_id = lookup(var.target, "subscription_id", null)
}
