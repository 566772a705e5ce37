# Bridge: the tenant runs on its pool's compute but gets a dedicated Postgres instance (and
# IAM role) placed in the pool's VPC, in the pool's private subnets (found by tag).

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_vpc" "pool" {
  id = var.pool_network_id
}

data "aws_subnets" "pool_data" {
  filter {
    name   = "vpc-id"
    values = [var.pool_network_id]
  }

  tags = {
    "paybill-pool-id"     = var.pool_id
    "paybill-subnet-role" = "data"
  }
}

locals {
  name = "paybill-${var.tenant_slug}-data"

  module_tags = {
    "paybill-tenant-id" = var.tenant_id
    "paybill-pool-id"   = var.pool_id
    "paybill-tier"      = var.tier
    "paybill-model"     = "bridge"
    "paybill-cloud"     = "aws"
    "managed-by"        = "paybill"
  }
  tags = merge(var.labels, local.module_tags)

  # sizing.db_class -> RDS instance class; target["db_instance_class_<class>"] overrides one.
  db_instance_classes = {
    small  = "db.t4g.medium"
    medium = "db.m7g.large"
    large  = "db.m7g.xlarge"
    xlarge = "db.r7g.2xlarge"
  }
  db_instance_class = lookup(var.target, "db_instance_class_${var.sizing.db_class}", local.db_instance_classes[var.sizing.db_class])
  allocated_storage = max(20, var.sizing.storage_gb)

  postgres_version    = lookup(var.target, "postgres_version", "16")
  base_domain         = lookup(var.target, "base_domain", "paybill.internal")
  app_service         = lookup(var.target, "app_principal_service", "ecs-tasks.amazonaws.com")
  deletion_protection = tobool(lookup(var.target, "deletion_protection", "false"))
  skip_final_snapshot = tobool(lookup(var.target, "skip_final_snapshot", "false"))

  database_name     = "paybill"
  database_username = "paybill_admin"
  app_db_user       = "paybill_app"
}

resource "aws_security_group" "database" {
  name        = local.name
  description = "Postgres access for tenant ${var.tenant_slug} from pool ${var.pool_id}"
  vpc_id      = data.aws_vpc.pool.id

  tags = merge(local.tags, { Name = local.name })
}

# A suspended tenant keeps its data; access from the pool is withdrawn.
resource "aws_vpc_security_group_ingress_rule" "postgres" {
  count = var.suspended ? 0 : 1

  security_group_id = aws_security_group.database.id
  description       = "Postgres from the pool VPC"
  cidr_ipv4         = data.aws_vpc.pool.cidr_block
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432

  tags = local.tags
}

resource "aws_db_subnet_group" "tenant" {
  name        = local.name
  description = "Pool ${var.pool_id} subnets for tenant ${var.tenant_slug}"
  subnet_ids  = data.aws_subnets.pool_data.ids

  tags = local.tags

  lifecycle {
    precondition {
      condition     = length(data.aws_subnets.pool_data.ids) >= 2
      error_message = "The pool VPC has fewer than two subnets tagged paybill-subnet-role = data for this pool_id."
    }
  }
}

resource "random_password" "database" {
  length           = 32
  special          = true
  override_special = "!#$%^&*()-_=+[]{}<>:?"
}

resource "aws_db_instance" "tenant" {
  identifier     = local.name
  engine         = "postgres"
  engine_version = local.postgres_version
  instance_class = local.db_instance_class

  allocated_storage     = local.allocated_storage
  max_allocated_storage = local.allocated_storage * 2
  storage_type          = "gp3"
  storage_encrypted     = true

  db_name                             = local.database_name
  username                            = local.database_username
  password                            = random_password.database.result
  iam_database_authentication_enabled = true

  db_subnet_group_name   = aws_db_subnet_group.tenant.name
  vpc_security_group_ids = [aws_security_group.database.id]
  publicly_accessible    = false
  multi_az               = var.sizing.replicas > 1

  backup_retention_period    = var.sizing.backup_retention_days
  copy_tags_to_snapshot      = true
  deletion_protection        = local.deletion_protection
  skip_final_snapshot        = local.skip_final_snapshot
  final_snapshot_identifier  = "${local.name}-final"
  auto_minor_version_upgrade = true
  apply_immediately          = true

  tags = local.tags
}

data "aws_iam_policy_document" "data_assume" {
  statement {
    sid     = "AppService"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = [local.app_service]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "data" {
  name                 = local.name
  path                 = "/paybill/"
  description          = "Access of tenant ${var.tenant_slug} to its dedicated database"
  assume_role_policy   = data.aws_iam_policy_document.data_assume.json
  max_session_duration = 3600

  tags = local.tags
}

data "aws_iam_policy_document" "data" {
  statement {
    sid       = "ConnectToTenantDatabase"
    actions   = ["rds-db:connect"]
    resources = ["arn:${data.aws_partition.current.partition}:rds-db:${var.region}:${data.aws_caller_identity.current.account_id}:dbuser:${aws_db_instance.tenant.resource_id}/${local.app_db_user}"]
  }
}

resource "aws_iam_role_policy" "data" {
  count = var.suspended ? 0 : 1

  name   = "paybill-tenant-database"
  role   = aws_iam_role.data.id
  policy = data.aws_iam_policy_document.data.json
}

# The admin password, where the control plane reads it to manage tenant roles on this server
# (output database_admin_secret; terraform-modules/README.md, "Data tier outputs"): the runner
# never reads sensitive outputs, so the password is never one it needs.
resource "aws_secretsmanager_secret" "database_admin" {
  name                    = "paybill/${local.name}/database-admin"
  description             = "Admin credentials of ${local.name}'s Postgres instance"
  recovery_window_in_days = 0 # a re-created stack reuses the name at once

  tags = local.tags
}

resource "aws_secretsmanager_secret_version" "database_admin" {
  secret_id = aws_secretsmanager_secret.database_admin.id
  secret_string = jsonencode({
    username = local.database_username
    password = random_password.database.result
  })
}
