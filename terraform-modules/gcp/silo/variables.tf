# Inputs of the Paybill module contract (silo model). Keep in step with
# terraform-modules/README.md: names, types and validations are identical in every cloud.

variable "tenant_id" {
  description = "Tenant UUID (lowercase canonical form)."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", var.tenant_id))
    error_message = "tenant_id must be a lowercase canonical UUID."
  }
}

variable "tenant_slug" {
  description = "DNS-safe tenant slug, used in resource names."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.tenant_slug))
    error_message = "tenant_slug must match ^[a-z][a-z0-9-]{1,38}[a-z0-9]$."
  }
}

variable "tier" {
  description = "Tier key of the tenant."
  type        = string
}

variable "region" {
  description = "Cloud region to deploy into."
  type        = string
}

variable "labels" {
  description = "Labels applied as tags/labels to every resource, merged with the module-computed ones (which win)."
  type        = map(string)
}

variable "sizing" {
  description = "Sizing of the stack, from the tier: db_class is mapped to this cloud's database instance class."
  type = object({
    compute_units         = number
    memory_gb             = number
    storage_gb            = number
    db_class              = string
    replicas              = number
    backup_retention_days = number
  })

  validation {
    condition     = contains(["small", "medium", "large", "xlarge"], var.sizing.db_class)
    error_message = "sizing.db_class must be one of small, medium, large, xlarge."
  }

  validation {
    condition     = var.sizing.compute_units > 0 && var.sizing.memory_gb > 0 && var.sizing.storage_gb > 0
    error_message = "sizing.compute_units, sizing.memory_gb and sizing.storage_gb must be greater than 0."
  }

  validation {
    condition     = var.sizing.replicas >= 1 && floor(var.sizing.replicas) == var.sizing.replicas
    error_message = "sizing.replicas must be a whole number >= 1."
  }

  validation {
    condition     = var.sizing.backup_retention_days >= 0 && floor(var.sizing.backup_retention_days) == var.sizing.backup_retention_days
    error_message = "sizing.backup_retention_days must be a whole number >= 0."
  }
}

variable "suspended" {
  description = "Suspended stacks keep their data but stop access / scale compute to zero."
  type        = bool
  default     = false
}

variable "target" {
  description = "Cloud-target settings (gcp: tenant_project_id, billing_account, ...); see README.md for the keys this module reads."
  type        = map(string)
  default     = {}
}
