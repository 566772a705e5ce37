# Bridge: the tenant runs on its pool's compute but gets a dedicated private Cloud SQL for
# PostgreSQL instance on the pool's VPC network (which already has private services access),
# and its own service account.

locals {
  name       = "pb-${var.tenant_slug}-data"
  project_id = lookup(var.target, "project_id", null)

  # GCP labels: keys and values of lowercase letters, digits, "_" and "-" (at most 63
  # characters), keys starting with a letter. User labels are sanitised; computed ones win.
  user_label_values = {
    for k, v in var.labels :
    substr(can(regex("^[a-z]", lower(k))) ? replace(lower(k), "/[^a-z0-9_-]/", "_") : "l-${replace(lower(k), "/[^a-z0-9_-]/", "_")}", 0, 63)
    => substr(replace(lower(v), "/[^a-z0-9_-]/", "_"), 0, 63)...
  }
  module_labels = {
    "paybill-tenant-id" = var.tenant_id
    "paybill-pool-id"   = var.pool_id
    "paybill-tier"      = substr(replace(lower(var.tier), "/[^a-z0-9_-]/", "_"), 0, 63)
    "paybill-model"     = "bridge"
    "paybill-cloud"     = "gcp"
    "managed-by"        = "paybill"
  }
  labels = merge({ for k, vs in local.user_label_values : k => vs[length(vs) - 1] }, local.module_labels)

  # sizing.db_class -> Cloud SQL machine tier; target["db_tier_<class>"] overrides one.
  sql_tiers = {
    small  = "db-custom-1-3840"
    medium = "db-custom-2-7680"
    large  = "db-custom-4-15360"
    xlarge = "db-custom-8-30720"
  }
  sql_tier = lookup(var.target, "db_tier_${var.sizing.db_class}", local.sql_tiers[var.sizing.db_class])

  postgres_version    = lookup(var.target, "postgres_version", "16")
  base_domain         = lookup(var.target, "base_domain", "paybill.internal")
  deletion_protection = tobool(lookup(var.target, "deletion_protection", "false"))
  backups_enabled     = var.sizing.backup_retention_days > 0
  database_name       = "paybill"
  database_username   = "paybill_admin"
}

resource "google_sql_database_instance" "tenant" {
  project             = local.project_id
  name                = local.name
  region              = var.region
  database_version    = "POSTGRES_${local.postgres_version}"
  deletion_protection = local.deletion_protection

  settings {
    tier              = local.sql_tier
    edition           = "ENTERPRISE"
    availability_type = var.sizing.replicas > 1 ? "REGIONAL" : "ZONAL"
    # A suspended tenant keeps its data; the instance is stopped.
    activation_policy = var.suspended ? "NEVER" : "ALWAYS"
    disk_type         = "PD_SSD"
    disk_size         = max(10, var.sizing.storage_gb)
    disk_autoresize   = true
    user_labels       = local.labels

    ip_configuration {
      ipv4_enabled    = false
      private_network = var.pool_network_id
      ssl_mode        = "ENCRYPTED_ONLY"
    }

    backup_configuration {
      enabled                        = local.backups_enabled
      point_in_time_recovery_enabled = local.backups_enabled

      backup_retention_settings {
        retained_backups = max(1, var.sizing.backup_retention_days)
        retention_unit   = "COUNT"
      }
    }

    database_flags {
      name  = "cloudsql.iam_authentication"
      value = "on"
    }
  }

  lifecycle {
    ignore_changes = [settings[0].disk_size]

    precondition {
      condition     = can(regex("^projects/[^/]+/global/networks/[^/]+$", var.pool_network_id))
      error_message = "pool_network_id must be a VPC network id: projects/<project>/global/networks/<name>."
    }
  }
}

resource "google_sql_database" "tenant" {
  project  = local.project_id
  name     = local.database_name
  instance = google_sql_database_instance.tenant.name
}

resource "random_password" "database" {
  length           = 32
  special          = true
  override_special = "!#%^*-_=+"
}

resource "google_sql_user" "admin" {
  project  = local.project_id
  name     = local.database_username
  instance = google_sql_database_instance.tenant.name
  password = random_password.database.result
}

resource "google_service_account" "data" {
  project      = local.project_id
  account_id   = "pbb-${substr(replace(var.tenant_id, "-", ""), 0, 25)}"
  display_name = "Paybill tenant ${var.tenant_slug} (data)"
  description  = "tenant_id=${var.tenant_id} pool_id=${var.pool_id} tier=${var.tier}"
}

resource "google_sql_user" "data" {
  project  = local.project_id
  name     = trimsuffix(google_service_account.data.email, ".gserviceaccount.com")
  instance = google_sql_database_instance.tenant.name
  type     = "CLOUD_IAM_SERVICE_ACCOUNT"
}

# Suspension also withdraws the tenant's Cloud SQL roles.
resource "google_project_iam_member" "data" {
  for_each = var.suspended ? toset([]) : toset(["roles/cloudsql.client", "roles/cloudsql.instanceUser"])

  project = google_sql_database_instance.tenant.project
  role    = each.value
  member  = "serviceAccount:${google_service_account.data.email}"
}

# The admin password, where the control plane reads it to manage tenant roles on this server
# (output database_admin_secret; terraform-modules/README.md, "Data tier outputs"): the runner
# never reads sensitive outputs, so the password is never one it needs.
resource "google_secret_manager_secret" "database_admin" {
  project   = local.project_id
  secret_id = "${local.name}-database-admin"
  labels    = local.labels

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "database_admin" {
  secret      = google_secret_manager_secret.database_admin.id
  secret_data = random_password.database.result
}
