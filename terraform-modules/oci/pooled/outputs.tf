output "endpoint" {
  description = "The pool's service endpoint."
  value       = "https://pool-${var.pool_id}.${local.base_domain}"
}

output "network_id" {
  description = "The pool VCN OCID (bridge stacks take it as pool_network_id)."
  value       = oci_core_vcn.pool.id
}

output "database_host" {
  description = "Private FQDN of the pool's shared PostgreSQL DB system."
  value       = data.oci_psql_db_system_connection_detail.pool.primary_db_endpoint[0].fqdn
}

output "database_name" {
  description = "Name of the shared database (one schema per tenant)."
  value       = local.database_name
}

output "tenant_endpoints" {
  description = "Service endpoint of each member, by tenant_id."
  value       = { for id, t in local.tenants : id => "https://${t.tenant_slug}.${local.base_domain}" }
}

output "tenant_count" {
  description = "Number of tenants in the pool."
  value       = length(var.tenants)
}

output "tenant_compartment_ids" {
  description = "Namespace compartment of each member, by tenant_id."
  value       = { for id, c in oci_identity_compartment.tenant : id => c.id }
}

output "pool_compartment_id" {
  description = "The pool's compartment OCID."
  value       = oci_identity_compartment.pool.id
}

output "database_password" {
  description = "Administrator password of the pool's DB system."
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
  value       = oci_psql_db_system.pool.id
}
