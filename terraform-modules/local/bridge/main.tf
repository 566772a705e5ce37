# Local cloud, bridge model: the tenant runs on its pool's compute (the pooled stack) and gets its
# own database in the pool network, plus its own access and route.
#
# Ids derive from the inputs only: the same inputs plan to no changes. Resource inputs reference
# locals (not other resources' outputs, which are unknown while they change); depends_on keeps the
# real ordering.

locals {
  tenant_key = substr(sha256("paybill/${var.tenant_id}"), 0, 12)
  pool_key   = substr(sha256("paybill/${var.pool_id}"), 0, 12)
  domain     = "${var.region}.local.paybill.test"

  module_labels = {
    managed_by        = "paybill"
    paybill_cloud     = "local"
    paybill_model     = "bridge"
    paybill_tier      = var.tier
    paybill_tenant_id = var.tenant_id
    paybill_pool_id   = var.pool_id
  }
  labels = merge(var.labels, local.module_labels)

  database_name = "tenant_${replace(var.tenant_id, "-", "")}"
  database_host = "db-${local.tenant_key}.${local.domain}"
  pool_compute  = "app-${local.pool_key}"
  hostname      = "${var.tenant_slug}.${local.domain}"
}

# The tenant's own database, in the pool's network. It does not depend on `suspended`.
resource "terraform_data" "database" {
  input = {
    host                  = local.database_host
    name                  = local.database_name
    network_id            = var.pool_network_id
    region                = var.region
    class                 = var.sizing.db_class
    storage_gb            = var.sizing.storage_gb
    backup_retention_days = var.sizing.backup_retention_days
    labels                = local.labels
  }
}

# The pool compute's access to the tenant database: no connections while suspended.
resource "terraform_data" "database_access" {
  input = {
    database         = local.database_name
    grantee          = local.pool_compute
    connection_limit = var.suspended ? 0 : var.sizing.replicas
    labels           = local.labels
  }

  depends_on = [terraform_data.database]
}

# The tenant's route on the pool compute.
resource "terraform_data" "endpoint" {
  input = {
    hostname = local.hostname
    url      = "https://${local.hostname}"
    backend  = local.pool_compute
    access   = var.suspended ? "disabled" : "enabled"
    labels   = local.labels
  }

  depends_on = [terraform_data.database_access]
}

# Crash-test helper: sleeps during every apply that changes an input (it is replaced then).
resource "terraform_data" "simulated_apply" {
  count = var.simulate_apply_seconds > 0 ? 1 : 0

  triggers_replace = sha256(jsonencode([
    terraform_data.database.input,
    terraform_data.database_access.input,
    terraform_data.endpoint.input,
    var.simulate_apply_seconds,
  ]))

  provisioner "local-exec" {
    command = "sleep ${var.simulate_apply_seconds}"
  }
}
