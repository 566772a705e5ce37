# Local cloud, silo model: one stack per tenant (boundary, network, database, compute, endpoint).
#
# Only the built-in terraform_data resource is used, so the stack runs offline. Every id is derived
# from the inputs (no random, no timestamp): the same inputs always plan to no changes. Resource
# inputs reference locals, not other resources' outputs (a terraform_data output is unknown while its
# input changes, which would plan spurious updates downstream); depends_on keeps the real ordering.

locals {
  # Ids derive from the immutable tenant_id, so renaming the slug never replaces the database.
  tenant_key = substr(sha256("paybill/${var.tenant_id}"), 0, 12)
  domain     = "${var.region}.local.paybill.test"

  module_labels = {
    managed_by        = "paybill"
    paybill_cloud     = "local"
    paybill_model     = "silo"
    paybill_tier      = var.tier
    paybill_tenant_id = var.tenant_id
  }
  labels = merge(var.labels, local.module_labels)

  boundary_id   = "local-boundary-${local.tenant_key}"
  network_id    = "local-net-${local.tenant_key}"
  database_name = "tenant_${replace(var.tenant_id, "-", "")}"
  database_host = "db-${local.tenant_key}.${local.domain}"
  compute_name  = "app-${local.tenant_key}"
  hostname      = "${var.tenant_slug}.${local.domain}"
}

# The tenant's isolation boundary (an account / resource group / project / compartment elsewhere).
resource "terraform_data" "boundary" {
  input = {
    id     = local.boundary_id
    name   = "paybill-${var.tenant_slug}"
    labels = local.labels
  }
}

resource "terraform_data" "network" {
  input = {
    id          = local.network_id
    boundary_id = local.boundary_id
    region      = var.region
    cidr        = "10.${parseint(substr(local.tenant_key, 0, 2), 16)}.0.0/16"
    labels      = local.labels
  }

  depends_on = [terraform_data.boundary]
}

# The tenant's data. It does not depend on `suspended`: suspending never touches the database.
resource "terraform_data" "database" {
  input = {
    host                  = local.database_host
    name                  = local.database_name
    network_id            = local.network_id
    region                = var.region
    class                 = var.sizing.db_class
    storage_gb            = var.sizing.storage_gb
    backup_retention_days = var.sizing.backup_retention_days
    labels                = local.labels
  }

  depends_on = [terraform_data.network]
}

resource "terraform_data" "compute" {
  input = {
    name          = local.compute_name
    network_id    = local.network_id
    database_host = local.database_host
    compute_units = var.sizing.compute_units
    memory_gb     = var.sizing.memory_gb
    # A suspended tenant keeps its data but runs no compute.
    replicas = var.suspended ? 0 : var.sizing.replicas
    labels   = local.labels
  }

  depends_on = [terraform_data.database]
}

resource "terraform_data" "endpoint" {
  input = {
    hostname = local.hostname
    url      = "https://${local.hostname}"
    backend  = local.compute_name
    # Access is stopped while suspended.
    access = var.suspended ? "disabled" : "enabled"
    labels = local.labels
  }

  depends_on = [terraform_data.compute]
}

# Crash-test helper: sleeps during every apply that changes an input (it is replaced then).
resource "terraform_data" "simulated_apply" {
  count = var.simulate_apply_seconds > 0 ? 1 : 0

  triggers_replace = sha256(jsonencode([
    terraform_data.boundary.input,
    terraform_data.network.input,
    terraform_data.database.input,
    terraform_data.compute.input,
    terraform_data.endpoint.input,
    var.simulate_apply_seconds,
  ]))

  provisioner "local-exec" {
    command = "sleep ${var.simulate_apply_seconds}"
  }
}
