output "endpoint" {
  description = "The tenant's service endpoint."
  value       = "https://${var.tenant_slug}.${local.base_domain}"
}

output "network_id" {
  description = "The tenant virtual network id."
  value       = azurerm_virtual_network.tenant.id
}

output "database_host" {
  description = "Private FQDN of the tenant's PostgreSQL Flexible Server."
  value       = azurerm_postgresql_flexible_server.tenant.fqdn
}

output "database_name" {
  description = "Name of the tenant's database."
  value       = azurerm_postgresql_flexible_server_database.tenant.name
}

output "boundary_id" {
  description = "The tenant's resource group id (the adopted boundary)."
  value       = data.azurerm_resource_group.tenant.id
}

output "database_username" {
  description = "Administrator login of the tenant's server."
  value       = local.database_username
}

output "app_identity_client_id" {
  description = "Client id of the user-assigned identity the tenant's application runs as."
  value       = azurerm_user_assigned_identity.app.client_id
}

output "app_identity_id" {
  description = "Resource id of the tenant's user-assigned identity."
  value       = azurerm_user_assigned_identity.app.id
}

output "database_password" {
  description = "Administrator password of the tenant's server."
  value       = random_password.database.result
  sensitive   = true
}

output "database_admin_username" {
  description = "Admin user of the Postgres server (the control plane manages tenant roles as it)."
  value       = local.database_username
}

output "database_admin_secret" {
  description = "Key Vault secret id (versionless) holding the admin password (not the password)."
  value       = azurerm_key_vault_secret.database_admin.versionless_id
}

output "database_instance_id" {
  description = "ARM resource id of the PostgreSQL Flexible Server (instance snapshots of silo tenants)."
  value       = azurerm_postgresql_flexible_server.tenant.id
}
