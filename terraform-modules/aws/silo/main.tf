# Silo: a dedicated network, Postgres database and application role for one tenant, in the
# account the credentials belong to (the tenant's own account when target.account_id is set).

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  name = "paybill-${var.tenant_slug}"

  module_tags = {
    "paybill-tenant-id" = var.tenant_id
    "paybill-tier"      = var.tier
    "paybill-model"     = "silo"
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

  target_account_id   = lookup(var.target, "account_id", "")
  vpc_cidr            = lookup(var.target, "vpc_cidr", "10.64.0.0/16")
  postgres_version    = lookup(var.target, "postgres_version", "16")
  base_domain         = lookup(var.target, "base_domain", "paybill.internal")
  app_service         = lookup(var.target, "app_principal_service", "ecs-tasks.amazonaws.com")
  app_principal_arn   = lookup(var.target, "app_principal_arn", "")
  deletion_protection = tobool(lookup(var.target, "deletion_protection", "false"))
  skip_final_snapshot = tobool(lookup(var.target, "skip_final_snapshot", "false"))

  database_name     = "paybill"
  database_username = "paybill_admin"
  app_db_user       = "paybill_app"
}

resource "aws_vpc" "tenant" {
  cidr_block           = local.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(local.tags, { Name = local.name })

  lifecycle {
    precondition {
      condition     = local.target_account_id == "" || local.target_account_id == data.aws_caller_identity.current.account_id
      error_message = "The AWS credentials do not belong to target.account_id: a silo stack must run in the tenant's account."
    }
  }
}

resource "aws_subnet" "private" {
  count = 2

  vpc_id            = aws_vpc.tenant.id
  cidr_block        = cidrsubnet(local.vpc_cidr, 4, count.index)
  availability_zone = data.aws_availability_zones.available.names[count.index]

  tags = merge(local.tags, {
    Name                  = "${local.name}-private-${count.index}"
    "paybill-subnet-role" = "data"
  })
}

resource "aws_security_group" "database" {
  name        = "${local.name}-db"
  description = "Postgres access for tenant ${var.tenant_slug}"
  vpc_id      = aws_vpc.tenant.id

  tags = merge(local.tags, { Name = "${local.name}-db" })
}

# A suspended tenant keeps its data; access from the network is withdrawn.
resource "aws_vpc_security_group_ingress_rule" "postgres" {
  count = var.suspended ? 0 : 1

  security_group_id = aws_security_group.database.id
  description       = "Postgres from inside the tenant VPC"
  cidr_ipv4         = aws_vpc.tenant.cidr_block
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432

  tags = local.tags
}

resource "aws_db_subnet_group" "tenant" {
  name        = local.name
  description = "Private subnets of tenant ${var.tenant_slug}"
  subnet_ids  = aws_subnet.private[*].id

  tags = local.tags
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

data "aws_iam_policy_document" "app_assume" {
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

  dynamic "statement" {
    for_each = local.app_principal_arn == "" ? [] : [local.app_principal_arn]

    content {
      sid     = "AppPrincipal"
      actions = ["sts:AssumeRole"]

      principals {
        type        = "AWS"
        identifiers = [statement.value]
      }
    }
  }
}

resource "aws_iam_role" "app" {
  name                 = "${local.name}-app"
  description          = "Application role of tenant ${var.tenant_slug}"
  assume_role_policy   = data.aws_iam_policy_document.app_assume.json
  max_session_duration = 3600

  tags = local.tags
}

data "aws_iam_policy_document" "app" {
  statement {
    sid       = "ConnectToTenantDatabase"
    actions   = ["rds-db:connect"]
    resources = ["arn:${data.aws_partition.current.partition}:rds-db:${var.region}:${data.aws_caller_identity.current.account_id}:dbuser:${aws_db_instance.tenant.resource_id}/${local.app_db_user}"]
  }
}

# Suspension also withdraws the role's access to the database.
resource "aws_iam_role_policy" "app" {
  count = var.suspended ? 0 : 1

  name   = "paybill-tenant-database"
  role   = aws_iam_role.app.id
  policy = data.aws_iam_policy_document.app.json
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
