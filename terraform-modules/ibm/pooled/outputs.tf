output "endpoint" {
  description = "The pool's service endpoint."
  value       = "https://pool-${var.pool_id}.${local.base_domain}"
}

output "network_id" {
  description = "The pool VPC id (bridge stacks take it as pool_network_id)."
  value       = ibm_is_vpc.pool.id
}

output "database_host" {
  description = "Private hostname of the pool's Databases for PostgreSQL deployment."
  value       = data.ibm_database_connection.admin.postgres[0].hosts[0].hostname
}

output "database_name" {
  description = "Name of the shared database (one schema per tenant)."
  value       = data.ibm_database_connection.admin.postgres[0].database
}

output "tenant_endpoints" {
  description = "Service endpoint of each member, by tenant_id."
  value       = { for id, t in local.tenants : id => "https://${t.tenant_slug}.${local.base_domain}" }
}

output "tenant_count" {
  description = "Number of tenants in the pool."
  value       = length(var.tenants)
}

output "tenant_credentials_ids" {
  description = "Id of each active member's service credentials, by tenant_id."
  value       = { for id, key in ibm_resource_key.tenant : id => key.id }
}

output "resource_group_id" {
  description = "The pool's resource group id."
  value       = local.resource_group_id
}

output "database_password" {
  description = "Password of the deployment's admin user."
  value       = random_password.database.result
  sensitive   = true
}

output "database_admin_username" {
  description = "Admin user of the Postgres server (the control plane manages tenant roles as it)."
  value       = local.database_username
}

output "database_admin_secret" {
  description = "Secrets Manager URL of the arbitrary secret holding the admin password (not the password)."
  value       = local.database_admin_secret
}

output "database_admin_database" {
  description = "Maintenance database the admin connects to."
  value       = "ibmclouddb"
}
