output "endpoint" {
  description = "The tenant's endpoint (served by the pool's compute)."
  value       = terraform_data.endpoint.output.url
}

output "network_id" {
  description = "The network the tenant database is in: the pool's (pool_network_id)."
  value       = terraform_data.database.output.network_id
}

output "database_host" {
  description = "The tenant database's host name."
  value       = terraform_data.database.output.host
}

output "database_name" {
  description = "The tenant database's name."
  value       = terraform_data.database.output.name
}

output "database_password" {
  description = "The tenant database's password (local: synthetic, derived from the ids). Never stored by the control plane."
  value       = substr(sha256("paybill-local-password/${var.tenant_id}/${local.database_host}"), 0, 32)
  sensitive   = true
}
