# Silo: the tenant's Google Cloud project (created by the control plane's GCP adapter as the
# tenant's boundary, and linked here to target.billing_account) with its own VPC, a private
# Cloud SQL for PostgreSQL instance and the service account its application runs as.

locals {
  name = "pb-${var.tenant_slug}"
  # The control plane's GCP adapter creates the tenant's project (its boundary,
  # `pb-<slug>-<hash6>`) before the first apply and passes its id here; the module builds in it.
  # (Not `project_id`: the pooled and bridge modules read that key as the pool's project.)
  tenant_project_id = lookup(var.target, "tenant_project_id", "")
  billing_account   = lookup(var.target, "billing_account", "")

  # GCP labels: keys and values of lowercase letters, digits, "_" and "-" (at most 63
  # characters), keys starting with a letter. User labels are sanitised; computed ones win.
  user_label_values = {
    for k, v in var.labels :
    substr(can(regex("^[a-z]", lower(k))) ? replace(lower(k), "/[^a-z0-9_-]/", "_") : "l-${replace(lower(k), "/[^a-z0-9_-]/", "_")}", 0, 63)
    => substr(replace(lower(v), "/[^a-z0-9_-]/", "_"), 0, 63)...
  }
  module_labels = {
    "paybill-tenant-id" = var.tenant_id
    "paybill-tier"      = substr(replace(lower(var.tier), "/[^a-z0-9_-]/", "_"), 0, 63)
    "paybill-model"     = "silo"
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

  services = toset([
    "compute.googleapis.com",
    "iam.googleapis.com",
    "servicenetworking.googleapis.com",
    "secretmanager.googleapis.com",
    "sqladmin.googleapis.com",
  ])

  subnet_cidr         = lookup(var.target, "subnet_cidr", "10.64.0.0/20")
  postgres_version    = lookup(var.target, "postgres_version", "16")
  base_domain         = lookup(var.target, "base_domain", "paybill.internal")
  deletion_protection = tobool(lookup(var.target, "deletion_protection", "false"))
  backups_enabled     = var.sizing.backup_retention_days > 0
  database_name       = "paybill"
  database_username   = "paybill_admin"
}

data "google_project" "tenant" {
  project_id = local.tenant_project_id

  lifecycle {
    precondition {
      condition     = local.tenant_project_id != ""
      error_message = "target.tenant_project_id (the tenant's project, created by the control plane) is required."
    }
  }
}

# The adapter creates the project without billing; link it when the target names an account.
resource "google_billing_project_info" "tenant" {
  count = local.billing_account != "" ? 1 : 0

  project         = data.google_project.tenant.project_id
  billing_account = local.billing_account
}

resource "google_project_service" "tenant" {
  for_each = local.services

  project            = data.google_project.tenant.project_id
  service            = each.value
  disable_on_destroy = false

  depends_on = [google_billing_project_info.tenant]
}

resource "google_compute_network" "tenant" {
  project                 = data.google_project.tenant.project_id
  name                    = local.name
  auto_create_subnetworks = false
  routing_mode            = "REGIONAL"

  depends_on = [google_project_service.tenant]
}

resource "google_compute_subnetwork" "tenant" {
  project                  = data.google_project.tenant.project_id
  name                     = "${local.name}-subnet"
  region                   = var.region
  network                  = google_compute_network.tenant.id
  ip_cidr_range            = local.subnet_cidr
  private_ip_google_access = true
}

# Private services access: Cloud SQL gets a private IP inside the tenant VPC.
resource "google_compute_global_address" "private_services" {
  project       = data.google_project.tenant.project_id
  name          = "${local.name}-private-services"
  purpose       = "VPC_PEERING"
  address_type  = "INTERNAL"
  prefix_length = 20
  network       = google_compute_network.tenant.id
}

resource "google_service_networking_connection" "private_services" {
  network                 = google_compute_network.tenant.id
  service                 = "servicenetworking.googleapis.com"
  reserved_peering_ranges = [google_compute_global_address.private_services.name]
  deletion_policy         = "ABANDON"
}

resource "google_sql_database_instance" "tenant" {
  project             = data.google_project.tenant.project_id
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
      private_network = google_compute_network.tenant.id
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

  depends_on = [google_service_networking_connection.private_services]

  lifecycle {
    ignore_changes = [settings[0].disk_size]
  }
}

resource "google_sql_database" "tenant" {
  project  = data.google_project.tenant.project_id
  name     = local.database_name
  instance = google_sql_database_instance.tenant.name
}

resource "random_password" "database" {
  length           = 32
  special          = true
  override_special = "!#%^*-_=+"
}

resource "google_sql_user" "admin" {
  project  = data.google_project.tenant.project_id
  name     = local.database_username
  instance = google_sql_database_instance.tenant.name
  password = random_password.database.result
}

resource "google_service_account" "app" {
  project      = data.google_project.tenant.project_id
  account_id   = "paybill-app"
  display_name = "Paybill application (${var.tenant_slug})"

  depends_on = [google_project_service.tenant]
}

resource "google_sql_user" "app" {
  project  = data.google_project.tenant.project_id
  name     = trimsuffix(google_service_account.app.email, ".gserviceaccount.com")
  instance = google_sql_database_instance.tenant.name
  type     = "CLOUD_IAM_SERVICE_ACCOUNT"
}

# Suspension also withdraws the application's Cloud SQL roles.
resource "google_project_iam_member" "app" {
  for_each = var.suspended ? toset([]) : toset(["roles/cloudsql.client", "roles/cloudsql.instanceUser"])

  project = data.google_project.tenant.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.app.email}"
}

# The admin password, where the control plane reads it to manage tenant roles on this server
# (output database_admin_secret; terraform-modules/README.md, "Data tier outputs"): the runner
# never reads sensitive outputs, so the password is never one it needs.
resource "google_secret_manager_secret" "database_admin" {
  project   = data.google_project.tenant.project_id
  secret_id = "${local.name}-database-admin"
  labels    = local.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.tenant]
}

resource "google_secret_manager_secret_version" "database_admin" {
  secret      = google_secret_manager_secret.database_admin.id
  secret_data = random_password.database.result
}
