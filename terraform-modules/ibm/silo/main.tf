# Silo: a resource group per tenant holding its VPC, a subnet, an IBM Cloud Databases for
# PostgreSQL deployment reachable only through a virtual private endpoint in that subnet, and
# the service credentials its application uses.

locals {
  name = "paybill-${var.tenant_slug}"

  module_tags = {
    "paybill-tenant-id" = var.tenant_id
    "paybill-tier"      = var.tier
    "paybill-model"     = "silo"
    "paybill-cloud"     = "ibm"
    "managed-by"        = "paybill"
  }
  # IBM tags are "key:value" strings of at most 128 characters of A-Z a-z 0-9 space _ - . :
  tags = sort([for k, v in merge(var.labels, local.module_tags) : substr(replace("${k}:${v}", "/[^A-Za-z0-9 _.:-]/", "_"), 0, 128)])

  # sizing.db_class -> CPU and memory per member (shared compute hosting).
  db_sizes = {
    small  = { cpu = 2, memory_mb = 8192 }
    medium = { cpu = 4, memory_mb = 16384 }
    large  = { cpu = 8, memory_mb = 32768 }
    xlarge = { cpu = 16, memory_mb = 65536 }
  }
  db_size = local.db_sizes[var.sizing.db_class]
  # Databases for PostgreSQL runs 2 or 3 members (one leader, the others replicas).
  members = min(3, max(2, var.sizing.replicas))

  # The control plane's IBM adapter creates the tenant's resource group (its boundary, named
  # like local.name) before the first apply and passes its id here; the module then builds in
  # it instead of creating a second group of the same name (which IBM refuses).
  existing_resource_group_id = lookup(var.target, "resource_group_id", "")
  resource_group_id          = local.existing_resource_group_id != "" ? local.existing_resource_group_id : ibm_resource_group.tenant[0].id

  zone             = lookup(var.target, "zone", "${var.region}-1")
  postgres_version = lookup(var.target, "postgres_version", "16")
  base_domain      = lookup(var.target, "base_domain", "paybill.internal")

  # The deployment's admin user (IBM names it; it has CREATEDB and CREATEROLE).
  database_username = "admin"

  # Where the admin password is kept (Secrets Manager): an existing instance, or the stack's own.
  secrets_manager_guid   = lookup(var.target, "secrets_manager_instance_id", "")
  secrets_manager_region = lookup(var.target, "secrets_manager_region", var.region)
  own_secrets_manager    = local.secrets_manager_guid == ""
  database_admin_secret  = "https://${ibm_sm_arbitrary_secret.database_admin.instance_id}.${local.secrets_manager_region}.secrets-manager.appdomain.cloud/api/v2/secrets/${ibm_sm_arbitrary_secret.database_admin.secret_id}"
}

resource "ibm_resource_group" "tenant" {
  count = local.existing_resource_group_id == "" ? 1 : 0

  name = local.name
  tags = local.tags
}

resource "ibm_is_vpc" "tenant" {
  name                      = local.name
  resource_group            = local.resource_group_id
  address_prefix_management = "auto"

  tags = local.tags
}

resource "ibm_is_subnet" "database" {
  name                     = "${local.name}-db"
  vpc                      = ibm_is_vpc.tenant.id
  zone                     = local.zone
  total_ipv4_address_count = 256
  resource_group           = local.resource_group_id

  tags = local.tags
}

resource "random_password" "database" {
  length      = 32
  special     = false
  min_upper   = 1
  min_lower   = 1
  min_numeric = 1
}

resource "ibm_database" "tenant" {
  name              = local.name
  service           = "databases-for-postgresql"
  plan              = "standard"
  location          = var.region
  version           = local.postgres_version
  resource_group_id = local.resource_group_id
  service_endpoints = "private"
  adminpassword     = random_password.database.result

  group {
    group_id = "member"

    host_flavor {
      id = "multitenant"
    }

    members {
      allocation_count = local.members
    }

    cpu {
      allocation_count = local.db_size.cpu
    }

    memory {
      allocation_mb = local.db_size.memory_mb
    }

    disk {
      allocation_mb = max(5120, var.sizing.storage_gb * 1024)
    }
  }

  tags = local.tags

  timeouts {
    create = "120m"
    update = "120m"
    delete = "30m"
  }
}

# A suspended tenant keeps its data: the private endpoint and the application's credentials
# are removed.
resource "ibm_is_virtual_endpoint_gateway" "database" {
  count = var.suspended ? 0 : 1

  name           = "${local.name}-postgres"
  vpc            = ibm_is_vpc.tenant.id
  resource_group = local.resource_group_id

  target {
    crn           = ibm_database.tenant.resource_crn
    resource_type = "provider_cloud_service"
  }

  ips {
    subnet = ibm_is_subnet.database.id
    name   = "${local.name}-postgres"
  }

  tags = local.tags
}

resource "ibm_resource_key" "app" {
  count = var.suspended ? 0 : 1

  name                 = "${local.name}-app"
  resource_instance_id = ibm_database.tenant.id
  role                 = "Editor"

  tags = local.tags
}

data "ibm_database_connection" "admin" {
  deployment_id = ibm_database.tenant.id
  user_type     = "database"
  user_id       = local.database_username
  endpoint_type = "private"
}

# The admin password, where the control plane reads it to manage tenant roles on this server
# (output database_admin_secret; terraform-modules/README.md, "Data tier outputs"): the runner
# never reads sensitive outputs, so the password is never one it needs. The secret goes to the
# Secrets Manager instance target.secrets_manager_instance_id (its GUID, in
# target.secrets_manager_region, default the stack's region) when set, else to one of this
# stack's own.
resource "ibm_resource_instance" "secrets_manager" {
  count = local.own_secrets_manager ? 1 : 0

  name              = "${local.name}-secrets"
  service           = "secrets-manager"
  plan              = "standard"
  location          = local.secrets_manager_region
  resource_group_id = local.resource_group_id

  tags = local.tags
}

resource "ibm_sm_arbitrary_secret" "database_admin" {
  instance_id = local.own_secrets_manager ? ibm_resource_instance.secrets_manager[0].guid : local.secrets_manager_guid
  region      = local.secrets_manager_region
  name        = "${local.name}-database-admin"
  description = "Admin password of tenant ${var.tenant_slug}'s Databases for PostgreSQL deployment"
  payload     = random_password.database.result
  # Secrets are not resource-controller resources (no tags): their labels name the stack.
  labels = [substr(local.name, 0, 30)]
}
