output "endpoint" {
  description = "The pool's endpoint."
  value       = terraform_data.endpoint.output.url
}

output "network_id" {
  description = "The pool's network id (bridge stacks join it through their pool_network_id input)."
  value       = terraform_data.network.output.id
}

output "database_host" {
  description = "The pool database's host name."
  value       = terraform_data.database.output.host
}

output "tenant_endpoints" {
  description = "Each member's endpoint, keyed by tenant_id."
  value       = { for id, t in terraform_data.tenant_data : id => "https://${t.output.hostname}" }
}

output "tenant_count" {
  description = "The number of tenants in the pool."
  value       = length(var.tenants)
}

output "database_password" {
  description = "The pool database's password (local: synthetic, derived from the ids). Never stored by the control plane."
  value       = substr(sha256("paybill-local-password/${var.pool_id}/${local.database_host}"), 0, 32)
  sensitive   = true
}
