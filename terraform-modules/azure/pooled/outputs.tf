output "endpoint" {
  description = "The pool's service endpoint."
  value       = "https://pool-${var.pool_id}.${local.base_domain}"
}

output "network_id" {
  description = "The pool virtual network id (bridge stacks take it as pool_network_id)."
  value       = azurerm_virtual_network.pool.id
}

output "database_host" {
  description = "Private FQDN of the pool's shared PostgreSQL Flexible Server."
  value       = azurerm_postgresql_flexible_server.pool.fqdn
}

output "tenant_endpoints" {
  description = "Service endpoint of each member, by tenant_id."
  value       = { for id, t in local.tenants : id => "https://${t.tenant_slug}.${local.base_domain}" }
}

output "tenant_count" {
  description = "Number of tenants in the pool."
  value       = length(var.tenants)
}

output "tenant_databases" {
  description = "Database of each member on the shared server, by tenant_id."
  value       = { for id, db in azurerm_postgresql_flexible_server_database.tenant : id => db.name }
}

output "tenant_identity_client_ids" {
  description = "Client id of each member's user-assigned identity, by tenant_id."
  value       = { for id, identity in azurerm_user_assigned_identity.tenant : id => identity.client_id }
}

output "resource_group_id" {
  description = "The pool's resource group id."
  value       = azurerm_resource_group.pool.id
}

output "database_password" {
  description = "Administrator password of the pool's server."
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
  value       = azurerm_postgresql_flexible_server.pool.id
}
