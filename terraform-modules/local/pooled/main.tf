# Local cloud, pooled model: one stack per pool (network, database, compute, endpoint) serving
# many tenants, plus one tenant_data resource per member (its schema in the pool database and its
# route on the pool endpoint).
#
# tenant_data uses for_each keyed by tenant_id, so adding a tenant adds exactly one resource and
# changes nothing else; removing one destroys only its tenant_data. Pool resources do not depend
# on the tenant list. Ids derive from the inputs only: the same inputs plan to no changes. Resource
# inputs reference locals (not other resources' outputs, which are unknown while they change);
# depends_on keeps the real ordering.

locals {
  pool_key = substr(sha256("paybill/${var.pool_id}"), 0, 12)
  domain   = "${var.region}.local.paybill.test"

  module_labels = {
    managed_by      = "paybill"
    paybill_cloud   = "local"
    paybill_model   = "pooled"
    paybill_tier    = var.tier
    paybill_pool_id = var.pool_id
  }
  labels = merge(var.labels, local.module_labels)

  network_id    = "local-net-${local.pool_key}"
  database_name = "pool_${replace(var.pool_id, "-", "")}"
  database_host = "db-${local.pool_key}.${local.domain}"
  compute_name  = "app-${local.pool_key}"
  hostname      = "pool-${local.pool_key}.${local.domain}"

  tenants = { for t in var.tenants : t.tenant_id => t }
}

resource "terraform_data" "network" {
  input = {
    id     = local.network_id
    region = var.region
    cidr   = "10.${parseint(substr(local.pool_key, 0, 2), 16)}.0.0/16"
    labels = local.labels
  }
}

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
    replicas      = var.sizing.replicas
    labels        = local.labels
  }

  depends_on = [terraform_data.database]
}

resource "terraform_data" "endpoint" {
  input = {
    hostname = local.hostname
    url      = "https://${local.hostname}"
    backend  = local.compute_name
    labels   = local.labels
  }

  depends_on = [terraform_data.compute]
}

# One per tenant: its data (a schema in the pool database) and its route. Suspending a tenant
# disables its route and database access; its schema (the data) stays.
resource "terraform_data" "tenant_data" {
  for_each = local.tenants

  input = {
    tenant_id   = each.key
    tenant_slug = each.value.tenant_slug
    tier        = each.value.tier
    schema      = "tenant_${replace(each.key, "-", "")}"
    database    = local.database_name
    hostname    = "${each.value.tenant_slug}.${local.domain}"
    access      = each.value.suspended ? "disabled" : "enabled"
    labels = merge(local.labels, {
      paybill_tenant_id = each.key
      paybill_tier      = each.value.tier
    })
  }

  depends_on = [terraform_data.database, terraform_data.endpoint]
}

# Crash-test helper: sleeps during every apply that changes an input (it is replaced then).
resource "terraform_data" "simulated_apply" {
  count = var.simulate_apply_seconds > 0 ? 1 : 0

  triggers_replace = sha256(jsonencode([
    terraform_data.network.input,
    terraform_data.database.input,
    terraform_data.compute.input,
    terraform_data.endpoint.input,
    [for k in sort(keys(local.tenants)) : terraform_data.tenant_data[k].input],
    var.simulate_apply_seconds,
  ]))

  provisioner "local-exec" {
    command = "sleep ${var.simulate_apply_seconds}"
  }
}
