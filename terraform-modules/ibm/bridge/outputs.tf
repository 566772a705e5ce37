output "endpoint" {
  description = "The tenant's service endpoint (served by the pool's compute)."
  value       = "https://${var.tenant_slug}.${local.base_domain}"
}

output "network_id" {
  description = "The pool VPC the tenant's private endpoint is placed in."
  value       = var.pool_network_id
}

output "database_host" {
  description = "Private hostname of the tenant's dedicated Databases for PostgreSQL deployment."
  value       = data.ibm_database_connection.admin.postgres[0].hosts[0].hostname
}

output "database_name" {
  description = "Name of the tenant's database."
  value       = data.ibm_database_connection.admin.postgres[0].database
}

output "resource_group_id" {
  description = "The tenant's data resource group id."
  value       = ibm_resource_group.tenant.id
}

output "database_id" {
  description = "CRN of the tenant's Databases for PostgreSQL deployment."
  value       = ibm_database.tenant.id
}

output "data_credentials_id" {
  description = "Id of the tenant's service credentials (null while suspended)."
  value       = one(ibm_resource_key.data[*].id)
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
