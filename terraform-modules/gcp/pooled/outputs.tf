output "endpoint" {
  description = "The pool's service endpoint."
  value       = "https://pool-${var.pool_id}.${local.base_domain}"
}

output "network_id" {
  description = "The pool VPC network id (bridge stacks take it as pool_network_id)."
  value       = google_compute_network.pool.id
}

output "database_host" {
  description = "Private IP address of the pool's shared Cloud SQL instance."
  value       = google_sql_database_instance.pool.private_ip_address
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
  description = "Database of each member on the shared instance, by tenant_id."
  value       = { for id, db in google_sql_database.tenant : id => db.name }
}

output "tenant_service_accounts" {
  description = "Service account of each member, by tenant_id."
  value       = { for id, sa in google_service_account.tenant : id => sa.email }
}

output "database_connection_name" {
  description = "Cloud SQL connection name of the shared instance."
  value       = google_sql_database_instance.pool.connection_name
}

output "database_password" {
  description = "Password of the built-in administrator user."
  value       = random_password.database.result
  sensitive   = true
}

output "database_admin_username" {
  description = "Admin user of the Postgres server (the control plane manages tenant roles as it)."
  value       = local.database_username
}

output "database_admin_secret" {
  description = "Secret Manager secret name projects/<p>/secrets/<s> holding the admin password (latest version; not the password)."
  value       = google_secret_manager_secret.database_admin.id
}

output "database_instance_id" {
  description = "Cloud SQL connection name project:region:instance (instance snapshots of silo tenants)."
  value       = google_sql_database_instance.pool.connection_name
}
