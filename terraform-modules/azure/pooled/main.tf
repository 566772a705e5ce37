# Pooled: one resource group, virtual network and PostgreSQL Flexible Server per pool; every
# member gets its own database on the shared server and its own user-assigned identity.

data "azurerm_client_config" "current" {}

locals {
  name        = "paybill-pool-${var.pool_id}"
  server_name = "psql-pool-${replace(var.pool_id, "-", "")}"

  # Shared resources carry paybill-tenant-id = "shared" so cost reports split by tenant.
  module_tags = {
    "paybill-tenant-id" = "shared"
    "paybill-pool-id"   = var.pool_id
    "paybill-tier"      = var.tier
    "paybill-model"     = "pooled"
    "paybill-cloud"     = "azure"
    "managed-by"        = "paybill"
  }
  tags = merge(var.labels, local.module_tags)

  tenants = { for t in var.tenants : t.tenant_id => t }
  tenant_tags = {
    for id, t in local.tenants : id => merge(local.tags, {
      "paybill-tenant-id" = id
      "paybill-tier"      = t.tier
      "paybill-suspended" = tostring(t.suspended)
    })
  }

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

  vnet_cidr         = lookup(var.target, "vnet_cidr", "10.64.0.0/16")
  postgres_version  = lookup(var.target, "postgres_version", "16")
  base_domain       = lookup(var.target, "base_domain", "paybill.internal")
  database_username = "paybill_admin"
}

resource "azurerm_resource_group" "pool" {
  name     = "rg-${local.name}"
  location = var.region

  tags = local.tags
}

resource "azurerm_virtual_network" "pool" {
  name                = "vnet-${local.name}"
  location            = azurerm_resource_group.pool.location
  resource_group_name = azurerm_resource_group.pool.name
  address_space       = [local.vnet_cidr]

  tags = local.tags
}

# Bridge stacks place their servers in this delegated subnet (target.pool_db_subnet_name).
resource "azurerm_subnet" "database" {
  name                 = "snet-postgres"
  resource_group_name  = azurerm_resource_group.pool.name
  virtual_network_name = azurerm_virtual_network.pool.name
  address_prefixes     = [cidrsubnet(local.vnet_cidr, 8, 0)]

  delegation {
    name = "postgres-flexible-server"

    service_delegation {
      name    = "Microsoft.DBforPostgreSQL/flexibleServers"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
}

resource "azurerm_network_security_group" "database" {
  name                = "nsg-${local.name}-postgres"
  location            = azurerm_resource_group.pool.location
  resource_group_name = azurerm_resource_group.pool.name

  security_rule {
    name                       = "allow-postgres-from-vnet"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "5432"
    source_address_prefix      = "VirtualNetwork"
    destination_address_prefix = "VirtualNetwork"
  }

  tags = local.tags
}

resource "azurerm_subnet_network_security_group_association" "database" {
  subnet_id                 = azurerm_subnet.database.id
  network_security_group_id = azurerm_network_security_group.database.id
}

resource "azurerm_private_dns_zone" "postgres" {
  name                = "pool-${replace(var.pool_id, "-", "")}.private.postgres.database.azure.com"
  resource_group_name = azurerm_resource_group.pool.name

  tags = local.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "postgres" {
  name                  = "vnet-${local.name}"
  resource_group_name   = azurerm_resource_group.pool.name
  private_dns_zone_name = azurerm_private_dns_zone.postgres.name
  virtual_network_id    = azurerm_virtual_network.pool.id
  registration_enabled  = false

  tags = local.tags
}

resource "random_password" "database" {
  length           = 32
  special          = true
  override_special = "!#%^*-_=+"
}

resource "azurerm_postgresql_flexible_server" "pool" {
  name                = local.server_name
  resource_group_name = azurerm_resource_group.pool.name
  location            = azurerm_resource_group.pool.location
  version             = local.postgres_version
  sku_name            = local.sku_name

  storage_mb            = local.storage_mb
  auto_grow_enabled     = true
  backup_retention_days = local.backup_retention_days

  delegated_subnet_id           = azurerm_subnet.database.id
  private_dns_zone_id           = azurerm_private_dns_zone.postgres.id
  public_network_access_enabled = false

  administrator_login    = local.database_username
  administrator_password = random_password.database.result

  dynamic "high_availability" {
    for_each = local.high_availability ? ["ZoneRedundant"] : []

    content {
      mode = high_availability.value
    }
  }

  tags = local.tags

  depends_on = [
    azurerm_private_dns_zone_virtual_network_link.postgres,
    azurerm_subnet_network_security_group_association.database,
  ]

  lifecycle {
    ignore_changes = [zone, high_availability[0].standby_availability_zone]
  }
}

# One database per member on the shared server.
resource "azurerm_postgresql_flexible_server_database" "tenant" {
  for_each = local.tenants

  name      = "tenant_${replace(each.key, "-", "_")}"
  server_id = azurerm_postgresql_flexible_server.pool.id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

resource "azurerm_user_assigned_identity" "tenant" {
  for_each = local.tenants

  name                = "id-paybill-${each.value.tenant_slug}-pool"
  location            = azurerm_resource_group.pool.location
  resource_group_name = azurerm_resource_group.pool.name

  tags = local.tenant_tags[each.key]
}

# The admin password, where the control plane reads it to manage tenant roles on this server
# (output database_admin_secret; terraform-modules/README.md, "Data tier outputs"): the runner
# never reads sensitive outputs, so the password is never one it needs. The vault is this
# stack's own; the identity running Terraform (the control plane's) may manage its secrets.
resource "azurerm_key_vault" "database_admin" {
  # Vault names are global (3-24 characters): an id fragment keeps them unique.
  name                       = "kvp-${substr(replace(var.pool_id, "-", ""), 0, 18)}"
  resource_group_name        = azurerm_resource_group.pool.name
  location                   = azurerm_resource_group.pool.location
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
