# Pooled: one shared network, ECS cluster and Postgres instance serve every tenant of the pool;
# each member gets its own configuration namespace in SSM Parameter Store and its own IAM role.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  name = "paybill-pool-${var.pool_id}"

  # Shared resources carry paybill-tenant-id = "shared" so cost reports split by tenant.
  module_tags = {
    "paybill-tenant-id" = "shared"
    "paybill-pool-id"   = var.pool_id
    "paybill-tier"      = var.tier
    "paybill-model"     = "pooled"
    "paybill-cloud"     = "aws"
    "managed-by"        = "paybill"
  }
  tags = merge(var.labels, local.module_tags)

  tenants        = { for t in var.tenants : t.tenant_id => t }
  active_tenants = { for id, t in local.tenants : id => t if !t.suspended }
  tenant_tags = {
    for id, t in local.tenants : id => merge(local.tags, {
      "paybill-tenant-id" = id
      "paybill-tier"      = t.tier
      "paybill-suspended" = tostring(t.suspended)
    })
  }

  # sizing.db_class -> RDS instance class; target["db_instance_class_<class>"] overrides one.
  db_instance_classes = {
    small  = "db.t4g.medium"
    medium = "db.m7g.large"
    large  = "db.m7g.xlarge"
    xlarge = "db.r7g.2xlarge"
  }
  db_instance_class = lookup(var.target, "db_instance_class_${var.sizing.db_class}", local.db_instance_classes[var.sizing.db_class])
  allocated_storage = max(20, var.sizing.storage_gb)

  vpc_cidr            = lookup(var.target, "vpc_cidr", "10.64.0.0/16")
  postgres_version    = lookup(var.target, "postgres_version", "16")
  base_domain         = lookup(var.target, "base_domain", "paybill.internal")
  app_service         = lookup(var.target, "app_principal_service", "ecs-tasks.amazonaws.com")
  deletion_protection = tobool(lookup(var.target, "deletion_protection", "false"))
  skip_final_snapshot = tobool(lookup(var.target, "skip_final_snapshot", "false"))
  log_retention_days  = tonumber(lookup(var.target, "log_retention_days", "30"))

  parameter_prefix  = "/paybill/pools/${var.pool_id}/tenants"
  database_name     = "paybill"
  database_username = "paybill_admin"
}

resource "aws_vpc" "pool" {
  cidr_block           = local.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(local.tags, { Name = local.name })
}

# Bridge stacks find these subnets by their paybill-pool-id and paybill-subnet-role tags.
resource "aws_subnet" "private" {
  count = 2

  vpc_id            = aws_vpc.pool.id
  cidr_block        = cidrsubnet(local.vpc_cidr, 4, count.index)
  availability_zone = data.aws_availability_zones.available.names[count.index]

  tags = merge(local.tags, {
    Name                  = "${local.name}-private-${count.index}"
    "paybill-subnet-role" = "data"
  })
}

resource "aws_security_group" "database" {
  name        = "${local.name}-db"
  description = "Postgres access inside pool ${var.pool_id}"
  vpc_id      = aws_vpc.pool.id

  tags = merge(local.tags, { Name = "${local.name}-db" })
}

resource "aws_vpc_security_group_ingress_rule" "postgres" {
  security_group_id = aws_security_group.database.id
  description       = "Postgres from inside the pool VPC"
  cidr_ipv4         = aws_vpc.pool.cidr_block
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432

  tags = local.tags
}

resource "aws_db_subnet_group" "pool" {
  name        = local.name
  description = "Private subnets of pool ${var.pool_id}"
  subnet_ids  = aws_subnet.private[*].id

  tags = local.tags
}

resource "random_password" "database" {
  length           = 32
  special          = true
  override_special = "!#$%^&*()-_=+[]{}<>:?"
}

resource "aws_db_instance" "pool" {
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

  db_subnet_group_name   = aws_db_subnet_group.pool.name
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

resource "aws_cloudwatch_log_group" "pool" {
  name              = "/paybill/pools/${var.pool_id}"
  retention_in_days = local.log_retention_days

  tags = local.tags
}

resource "aws_ecs_cluster" "pool" {
  name = local.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  tags = local.tags
}

resource "aws_ecs_cluster_capacity_providers" "pool" {
  cluster_name       = aws_ecs_cluster.pool.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    base              = var.sizing.replicas
    weight            = 1
  }
}

# Per-tenant configuration namespace: /paybill/pools/<pool>/tenants/<tenant>/...
resource "aws_ssm_parameter" "tenant_config" {
  for_each = local.tenants

  name        = "${local.parameter_prefix}/${each.key}/config"
  description = "Paybill configuration of tenant ${each.value.tenant_slug}"
  type        = "String"
  value = jsonencode({
    tenant_id     = each.key
    tenant_slug   = each.value.tenant_slug
    tier          = each.value.tier
    suspended     = each.value.suspended
    database_host = aws_db_instance.pool.address
    database_name = local.database_name
    schema        = "tenant_${replace(each.key, "-", "_")}"
    endpoint      = "https://${each.value.tenant_slug}.${local.base_domain}"
  })

  tags = local.tenant_tags[each.key]
}

data "aws_iam_policy_document" "tenant_assume" {
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

resource "aws_iam_role" "tenant" {
  for_each = local.tenants

  name                 = "paybill-${each.value.tenant_slug}-pool"
  path                 = "/paybill/"
  description          = "Role of tenant ${each.value.tenant_slug} in pool ${var.pool_id}"
  assume_role_policy   = data.aws_iam_policy_document.tenant_assume.json
  max_session_duration = 3600

  tags = local.tenant_tags[each.key]
}

data "aws_iam_policy_document" "tenant" {
  for_each = local.active_tenants

  statement {
    sid = "ReadOwnConfiguration"
    actions = [
      "ssm:GetParameter",
      "ssm:GetParameters",
      "ssm:GetParametersByPath",
    ]
    resources = ["arn:${data.aws_partition.current.partition}:ssm:${var.region}:${data.aws_caller_identity.current.account_id}:parameter${local.parameter_prefix}/${each.key}/*"]
  }
}

# Suspended members keep their role and configuration, but the role loses its permissions.
resource "aws_iam_role_policy" "tenant" {
  for_each = local.active_tenants

  name   = "paybill-tenant-configuration"
  role   = aws_iam_role.tenant[each.key].id
  policy = data.aws_iam_policy_document.tenant[each.key].json
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
