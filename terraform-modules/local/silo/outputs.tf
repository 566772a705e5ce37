output "endpoint" {
  description = "The tenant's public endpoint."
  value       = terraform_data.endpoint.output.url
}

output "network_id" {
  description = "The tenant's network id."
  value       = terraform_data.network.output.id
}

output "database_host" {
  description = "The tenant database's host name."
  value       = terraform_data.database.output.host
}

output "database_name" {
  description = "The tenant database's name."
  value       = terraform_data.database.output.name
}

output "boundary_id" {
  description = "The tenant's isolation boundary (local: a synthetic id)."
  value       = terraform_data.boundary.output.id
}

output "database_password" {
  description = "The tenant database's password (local: synthetic, derived from the ids). Never stored by the control plane."
  value       = substr(sha256("paybill-local-password/${var.tenant_id}/${local.database_host}"), 0, 32)
  sensitive   = true
}
