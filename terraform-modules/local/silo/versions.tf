terraform {
  # terraform_data (built in since 1.4) is the only resource type used: no providers to install.
  required_version = ">= 1.6"
}
