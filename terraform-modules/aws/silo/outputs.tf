output "endpoint" {
  description = "The tenant's service endpoint."
  value       = "https://${var.tenant_slug}.${local.base_domain}"
}

output "network_id" {
  description = "The tenant VPC id."
  value       = aws_vpc.tenant.id
}

output "database_host" {
  description = "Hostname of the tenant's RDS Postgres instance."
  value       = aws_db_instance.tenant.address
}

output "database_name" {
  description = "Name of the tenant's database."
  value       = aws_db_instance.tenant.db_name
}

output "boundary_id" {
  description = "The AWS account the tenant's resources live in."
  value       = data.aws_caller_identity.current.account_id
}

output "database_port" {
  description = "Port of the tenant's Postgres instance."
  value       = aws_db_instance.tenant.port
}

output "database_username" {
  description = "Master user of the tenant's Postgres instance."
  value       = local.database_username
}

output "app_role_arn" {
  description = "IAM role the tenant's application runs as (IAM database authentication as paybill_app)."
  value       = aws_iam_role.app.arn
}

output "database_password" {
  description = "Master password of the tenant's Postgres instance."
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
  value       = aws_db_instance.tenant.identifier
}
