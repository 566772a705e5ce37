output "endpoint" {
  description = "The tenant's service endpoint."
  value       = "https://${var.tenant_slug}.${local.base_domain}"
}

output "network_id" {
  description = "The tenant VPC network id (projects/<p>/global/networks/<n>)."
  value       = google_compute_network.tenant.id
}

output "database_host" {
  description = "Private IP address of the tenant's Cloud SQL instance."
  value       = google_sql_database_instance.tenant.private_ip_address
}

output "database_name" {
  description = "Name of the tenant's database."
  value       = google_sql_database.tenant.name
}

output "boundary_id" {
  description = "The tenant's project id (the adopted boundary)."
  value       = data.google_project.tenant.project_id
}

output "database_connection_name" {
  description = "Cloud SQL connection name (for the Cloud SQL connectors)."
  value       = google_sql_database_instance.tenant.connection_name
}

output "database_username" {
  description = "Built-in administrator user of the tenant's instance."
  value       = local.database_username
}

output "app_service_account_email" {
  description = "Service account the tenant's application runs as (IAM database login)."
  value       = google_service_account.app.email
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
  value       = google_sql_database_instance.tenant.connection_name
}
