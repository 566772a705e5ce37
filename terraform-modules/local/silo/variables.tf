# Inputs of the module contract (see ../../README.md).

variable "tenant_id" {
  description = "Tenant id: a lowercase canonical UUID."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", var.tenant_id))
    error_message = "The tenant_id must be a lowercase canonical UUID (8-4-4-4-12 hex digits)."
  }
}

variable "tenant_slug" {
  description = "Tenant slug, a DNS label."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.tenant_slug))
    error_message = "The tenant_slug must match ^[a-z][a-z0-9-]{1,38}[a-z0-9]$ (a DNS label of 3 to 40 characters)."
  }
}

variable "tier" {
  description = "Tier key (for a pool: the tier group key)."
  type        = string
}

variable "region" {
  description = "Cloud region; for the local cloud any label, used in endpoint and host names."
  type        = string
}

variable "labels" {
  description = "Labels applied to every resource, in addition to the module-computed ones (which win on conflict)."
  type        = map(string)
}

variable "sizing" {
  description = "Sizing of the stack, from the tier."
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
    error_message = "The sizing.db_class must be one of small, medium, large, xlarge."
  }

  validation {
    condition     = var.sizing.compute_units > 0 && var.sizing.memory_gb > 0 && var.sizing.storage_gb > 0
    error_message = "The sizing.compute_units, sizing.memory_gb and sizing.storage_gb must be greater than 0."
  }

  validation {
    condition     = var.sizing.replicas >= 1 && floor(var.sizing.replicas) == var.sizing.replicas
    error_message = "The sizing.replicas must be a whole number, at least 1."
  }

  validation {
    condition     = var.sizing.backup_retention_days >= 0 && floor(var.sizing.backup_retention_days) == var.sizing.backup_retention_days
    error_message = "The sizing.backup_retention_days must be a whole number, 0 or more."
  }
}

variable "suspended" {
  description = "A suspended stack keeps its data but scales compute to zero and stops access."
  type        = bool
  default     = false
  nullable    = false
}

variable "target" {
  description = "Cloud-target settings (account, subscription, project...). The local cloud ignores them."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "simulate_apply_seconds" {
  description = "Local cloud only: sleep this many seconds during each apply that changes the stack (crash tests)."
  type        = number
  default     = 0
  nullable    = false

  validation {
    condition     = var.simulate_apply_seconds >= 0
    error_message = "The simulate_apply_seconds must be 0 or more."
  }
}
