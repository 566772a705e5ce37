output "endpoint" {
  description = "The pool's service endpoint."
  value       = "https://pool-${var.pool_id}.${local.base_domain}"
}

output "network_id" {
  description = "The pool VPC id (bridge stacks take it as pool_network_id)."
  value       = aws_vpc.pool.id
}

output "database_host" {
  description = "Hostname of the pool's shared RDS Postgres instance."
  value       = aws_db_instance.pool.address
}

output "tenant_endpoints" {
  description = "Service endpoint of each member, by tenant_id."
  value       = { for id, t in local.tenants : id => "https://${t.tenant_slug}.${local.base_domain}" }
}

output "tenant_count" {
  description = "Number of tenants in the pool."
  value       = length(var.tenants)
}

output "database_name" {
  description = "Name of the shared database (one schema per tenant)."
  value       = local.database_name
}

output "ecs_cluster_arn" {
  description = "ECS cluster running the pool's compute."
  value       = aws_ecs_cluster.pool.arn
}

output "tenant_role_arns" {
  description = "IAM role of each member, by tenant_id."
  value       = { for id, role in aws_iam_role.tenant : id => role.arn }
}

output "database_password" {
  description = "Master password of the pool's Postgres instance."
  value       = random_password.database.result
  sensitive   = true
}

output "database_admin_username" {
  description = "Admin user of the Postgres instance (the control plane manages tenant roles as it)."
  value       = local.database_username
}

output "database_admin_secret" {
  description = "ARN of the Secrets Manager secret holding the admin password (not the password)."
  value       = aws_secretsmanager_secret.database_admin.arn
}

output "database_instance_id" {
  description = "RDS identifier of the Postgres instance (instance snapshots of silo tenants)."
  value       = aws_db_instance.pool.identifier
}
