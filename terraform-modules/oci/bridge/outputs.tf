output "endpoint" {
  description = "The tenant's service endpoint (served by the pool's compute)."
  value       = "https://${var.tenant_slug}.${local.base_domain}"
}

output "network_id" {
  description = "The pool VCN the tenant's DB system is placed in."
  value       = data.oci_core_vcn.pool.id
}

output "database_host" {
  description = "Private FQDN of the tenant's dedicated PostgreSQL DB system."
  value       = data.oci_psql_db_system_connection_detail.tenant.primary_db_endpoint[0].fqdn
}

output "database_name" {
  description = "Database the application connects to (it creates its schema there)."
  value       = local.database_name
}

output "compartment_id" {
  description = "The tenant's data compartment OCID."
  value       = oci_identity_compartment.tenant.id
}

output "database_username" {
  description = "Administrator of the tenant's DB system."
  value       = local.database_username
}

output "database_password" {
  description = "Administrator password of the tenant's DB system."
  value       = random_password.database.result
  sensitive   = true
}

output "database_admin_username" {
  description = "Admin user of the Postgres server (the control plane manages tenant roles as it)."
  value       = local.database_username
}

output "database_admin_secret" {
  description = "OCID of the Vault secret holding the admin password (not the password)."
  value       = oci_vault_secret.database_admin.id
}

output "database_instance_id" {
  description = "OCID of the PostgreSQL DB system (instance snapshots of silo tenants)."
  value       = oci_psql_db_system.tenant.id
}
