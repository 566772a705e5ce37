# Pooled: in the cloud target's project, one VPC and one private Cloud SQL for PostgreSQL
# instance per pool; every member gets its own database and its own service account (an IAM
# database user).

locals {
  name       = "pb-pool-${var.pool_id}"
  project_id = lookup(var.target, "project_id", null)

  tenants        = { for t in var.tenants : t.tenant_id => t }
  active_tenants = { for id, t in local.tenants : id => t if !t.suspended }

  # GCP labels: keys and values of lowercase letters, digits, "_" and "-" (at most 63
  # characters), keys starting with a letter. User labels are sanitised; computed ones win.
  user_label_values = {
    for k, v in var.labels :
    substr(can(regex("^[a-z]", lower(k))) ? replace(lower(k), "/[^a-z0-9_-]/", "_") : "l-${replace(lower(k), "/[^a-z0-9_-]/", "_")}", 0, 63)
    => substr(replace(lower(v), "/[^a-z0-9_-]/", "_"), 0, 63)...
  }
  # Shared resources carry paybill-tenant-id = "shared" so cost reports split by tenant.
  module_labels = {
    "paybill-tenant-id" = "shared"
    "paybill-pool-id"   = var.pool_id
    "paybill-tier"      = substr(replace(lower(var.tier), "/[^a-z0-9_-]/", "_"), 0, 63)
    "paybill-model"     = "pooled"
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

  # Each active member's service account gets these roles in the project.
  tenant_roles = {
    for pair in setproduct(keys(local.active_tenants), ["roles/cloudsql.client", "roles/cloudsql.instanceUser"]) :
    "${pair[0]}/${pair[1]}" => { tenant_id = pair[0], role = pair[1] }
  }

  subnet_cidr         = lookup(var.target, "subnet_cidr", "10.64.0.0/20")
  postgres_version    = lookup(var.target, "postgres_version", "16")
  base_domain         = lookup(var.target, "base_domain", "paybill.internal")
  deletion_protection = tobool(lookup(var.target, "deletion_protection", "false"))
  backups_enabled     = var.sizing.backup_retention_days > 0
  database_username   = "paybill_admin"
}

resource "google_project_service" "pool" {
  for_each = local.services

  project            = local.project_id
  service            = each.value
  disable_on_destroy = false
}

resource "google_compute_network" "pool" {
  project                 = local.project_id
  name                    = local.name
  auto_create_subnetworks = false
  routing_mode            = "REGIONAL"

  depends_on = [google_project_service.pool]
}

resource "google_compute_subnetwork" "pool" {
  project                  = local.project_id
  name                     = "${local.name}-subnet"
  region                   = var.region
  network                  = google_compute_network.pool.id
  ip_cidr_range            = local.subnet_cidr
  private_ip_google_access = true
}

# Private services access: Cloud SQL instances (the pool's and its bridge tenants') get
# private IPs inside the pool VPC.
resource "google_compute_global_address" "private_services" {
  project       = local.project_id
  name          = "${local.name}-private-services"
  purpose       = "VPC_PEERING"
  address_type  = "INTERNAL"
  prefix_length = 16
  network       = google_compute_network.pool.id
}

resource "google_service_networking_connection" "private_services" {
  network                 = google_compute_network.pool.id
  service                 = "servicenetworking.googleapis.com"
  reserved_peering_ranges = [google_compute_global_address.private_services.name]
  deletion_policy         = "ABANDON"
}

resource "google_sql_database_instance" "pool" {
  project             = local.project_id
  name                = local.name
  region              = var.region
  database_version    = "POSTGRES_${local.postgres_version}"
  deletion_protection = local.deletion_protection

  settings {
    tier              = local.sql_tier
    edition           = "ENTERPRISE"
    availability_type = var.sizing.replicas > 1 ? "REGIONAL" : "ZONAL"
    disk_type         = "PD_SSD"
    disk_size         = max(10, var.sizing.storage_gb)
    disk_autoresize   = true
    user_labels       = local.labels

    ip_configuration {
      ipv4_enabled    = false
      private_network = google_compute_network.pool.id
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

resource "random_password" "database" {
  length           = 32
  special          = true
  override_special = "!#%^*-_=+"
}

resource "google_sql_user" "admin" {
  project  = local.project_id
  name     = local.database_username
  instance = google_sql_database_instance.pool.name
  password = random_password.database.result
}

# One database per member on the shared instance.
resource "google_sql_database" "tenant" {
  for_each = local.tenants

  project  = local.project_id
  name     = "tenant_${replace(each.key, "-", "_")}"
  instance = google_sql_database_instance.pool.name
}

resource "google_service_account" "tenant" {
  for_each = local.tenants

  project      = local.project_id
  account_id   = "pbp-${substr(replace(each.key, "-", ""), 0, 25)}"
  display_name = "Paybill tenant ${each.value.tenant_slug} (pool)"
  description  = "tenant_id=${each.key} pool_id=${var.pool_id} tier=${each.value.tier}"

  depends_on = [google_project_service.pool]
}

# Suspended members keep their database and service account but lose their database login.
resource "google_sql_user" "tenant" {
  for_each = local.active_tenants

  project  = local.project_id
  name     = trimsuffix(google_service_account.tenant[each.key].email, ".gserviceaccount.com")
  instance = google_sql_database_instance.pool.name
  type     = "CLOUD_IAM_SERVICE_ACCOUNT"
}

resource "google_project_iam_member" "tenant" {
  for_each = local.tenant_roles

  project = google_sql_database_instance.pool.project
  role    = each.value.role
  member  = "serviceAccount:${google_service_account.tenant[each.value.tenant_id].email}"
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

  depends_on = [google_project_service.pool]
}

resource "google_secret_manager_secret_version" "database_admin" {
  secret      = google_secret_manager_secret.database_admin.id
  secret_data = random_password.database.result
}
