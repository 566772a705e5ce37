# Bridge: the tenant runs on its pool's compute but gets a dedicated PostgreSQL Flexible Server
# in its own resource group, attached to the pool's virtual network (its delegated subnet).

data "azurerm_client_config" "current" {}

locals {
  name        = "paybill-${var.tenant_slug}-data"
  server_name = "psql-${var.tenant_slug}-${substr(replace(var.tenant_id, "-", ""), 0, 8)}-data"

  # pool_network_id: /subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>
  pool_vnet_parts          = split("/", var.pool_network_id)
  pool_vnet_resource_group = try(local.pool_vnet_parts[4], "")
  pool_vnet_name           = try(local.pool_vnet_parts[8], "")

  module_tags = {
    "paybill-tenant-id" = var.tenant_id
    "paybill-pool-id"   = var.pool_id
    "paybill-tier"      = var.tier
    "paybill-model"     = "bridge"
    "paybill-cloud"     = "azure"
    "managed-by"        = "paybill"
  }
  tags = merge(var.labels, local.module_tags)

  # sizing.db_class -> Flexible Server SKU; target["db_sku_<class>"] overrides one.
  db_skus = {
    small  = "B_Standard_B2s"
    medium = "GP_Standard_D2ds_v5"
    large  = "GP_Standard_D4ds_v5"
    xlarge = "MO_Standard_E8ds_v5"
  }
  sku_name          = lookup(var.target, "db_sku_${var.sizing.db_class}", local.db_skus[var.sizing.db_class])
  high_availability = var.sizing.replicas > 1 && !startswith(local.sku_name, "B_")

  # Flexible Server accepts only these storage sizes (MB): take the smallest that fits.
  storage_steps_mb      = [32768, 65536, 131072, 262144, 524288, 1048576, 2097152, 4193280, 4194304, 8388608, 16777216, 33553408]
  storage_mb            = concat([for s in local.storage_steps_mb : s if s >= var.sizing.storage_gb * 1024], [33553408])[0]
  backup_retention_days = min(35, max(7, var.sizing.backup_retention_days))

  pool_db_subnet_name = lookup(var.target, "pool_db_subnet_name", "snet-postgres")
  postgres_version    = lookup(var.target, "postgres_version", "16")
  base_domain         = lookup(var.target, "base_domain", "paybill.internal")
  database_name       = "paybill"
  database_username   = "paybill_admin"
}

data "azurerm_virtual_network" "pool" {
  name                = local.pool_vnet_name
  resource_group_name = local.pool_vnet_resource_group

  lifecycle {
    precondition {
      condition     = local.pool_vnet_name != "" && lower(try(local.pool_vnet_parts[7], "")) == "virtualnetworks"
      error_message = "pool_network_id must be a virtual network resource id (the pool stack's network_id output)."
    }
  }
}

data "azurerm_subnet" "pool_database" {
  name                 = local.pool_db_subnet_name
  virtual_network_name = data.azurerm_virtual_network.pool.name
  resource_group_name  = local.pool_vnet_resource_group
}

resource "azurerm_resource_group" "tenant" {
  name     = "rg-${local.name}"
  location = var.region

  tags = local.tags
}

resource "azurerm_private_dns_zone" "postgres" {
  name                = "${local.name}.private.postgres.database.azure.com"
  resource_group_name = azurerm_resource_group.tenant.name

  tags = local.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "postgres" {
  name                  = "vnet-${local.name}"
  resource_group_name   = azurerm_resource_group.tenant.name
  private_dns_zone_name = azurerm_private_dns_zone.postgres.name
  virtual_network_id    = data.azurerm_virtual_network.pool.id
  registration_enabled  = false

  tags = local.tags
}

resource "azurerm_user_assigned_identity" "data" {
  name                = "id-${local.name}"
  location            = azurerm_resource_group.tenant.location
  resource_group_name = azurerm_resource_group.tenant.name

  tags = local.tags
}

resource "random_password" "database" {
  length           = 32
  special          = true
  override_special = "!#%^*-_=+"
}

resource "azurerm_postgresql_flexible_server" "tenant" {
  name                = local.server_name
  resource_group_name = azurerm_resource_group.tenant.name
  location            = azurerm_resource_group.tenant.location
  version             = local.postgres_version
  sku_name            = local.sku_name

  storage_mb            = local.storage_mb
  auto_grow_enabled     = true
  backup_retention_days = local.backup_retention_days

  delegated_subnet_id           = data.azurerm_subnet.pool_database.id
  private_dns_zone_id           = azurerm_private_dns_zone.postgres.id
  public_network_access_enabled = false

  administrator_login    = local.database_username
  administrator_password = random_password.database.result

  # A suspended tenant keeps its data; password logins stop and its identity loses admin.
  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = !var.suspended
    tenant_id                     = data.azurerm_client_config.current.tenant_id
  }

  dynamic "high_availability" {
    for_each = local.high_availability ? ["ZoneRedundant"] : []

    content {
      mode = high_availability.value
    }
  }

  tags = local.tags

  depends_on = [azurerm_private_dns_zone_virtual_network_link.postgres]

  lifecycle {
    ignore_changes = [zone, high_availability[0].standby_availability_zone]
  }
}

resource "azurerm_postgresql_flexible_server_database" "tenant" {
  name      = local.database_name
  server_id = azurerm_postgresql_flexible_server.tenant.id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

resource "azurerm_postgresql_flexible_server_active_directory_administrator" "data" {
  count = var.suspended ? 0 : 1

  server_name         = azurerm_postgresql_flexible_server.tenant.name
  resource_group_name = azurerm_resource_group.tenant.name
  tenant_id           = data.azurerm_client_config.current.tenant_id
  object_id           = azurerm_user_assigned_identity.data.principal_id
  principal_name      = azurerm_user_assigned_identity.data.name
  principal_type      = "ServicePrincipal"
}

# The admin password, where the control plane reads it to manage tenant roles on this server
# (output database_admin_secret; terraform-modules/README.md, "Data tier outputs"): the runner
# never reads sensitive outputs, so the password is never one it needs. The vault is this
# stack's own; the identity running Terraform (the control plane's) may manage its secrets.
resource "azurerm_key_vault" "database_admin" {
  # Vault names are global (3-24 characters): an id fragment keeps them unique.
  name                       = "kvb-${substr(replace(var.tenant_id, "-", ""), 0, 18)}"
  resource_group_name        = azurerm_resource_group.tenant.name
  location                   = azurerm_resource_group.tenant.location
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  soft_delete_retention_days = 7
  purge_protection_enabled   = false

  access_policy {
    tenant_id          = data.azurerm_client_config.current.tenant_id
    object_id          = data.azurerm_client_config.current.object_id
    secret_permissions = ["Get", "List", "Set", "Delete", "Purge", "Recover"]
  }

  tags = local.tags
}

resource "azurerm_key_vault_secret" "database_admin" {
  name         = "database-admin"
  key_vault_id = azurerm_key_vault.database_admin.id
  value        = random_password.database.result
  content_type = "password of ${local.database_username} on "

  tags = local.tags
}
