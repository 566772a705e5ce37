# Silo: a compartment per tenant (under target.parent_compartment_ocid) holding its VCN, a
# private subnet and an OCI Database with PostgreSQL DB system.

locals {
  name                  = "paybill-${var.tenant_slug}"
  parent_compartment_id = lookup(var.target, "parent_compartment_ocid", lookup(var.target, "tenancy_ocid", ""))

  module_tags = {
    "paybill-tenant-id" = var.tenant_id
    "paybill-tier"      = var.tier
    "paybill-model"     = "silo"
    "paybill-cloud"     = "oci"
    "managed-by"        = "paybill"
  }
  freeform_tags = merge(var.labels, local.module_tags)

  # sizing.db_class -> OCPUs and memory per PostgreSQL node (flexible shape).
  db_sizes = {
    small  = { ocpus = 2, memory_gb = 32 }
    medium = { ocpus = 4, memory_gb = 64 }
    large  = { ocpus = 8, memory_gb = 128 }
    xlarge = { ocpus = 16, memory_gb = 256 }
  }
  db_size  = local.db_sizes[var.sizing.db_class]
  db_shape = lookup(var.target, "db_shape", "PostgreSQL.VM.Standard.E5.Flex")

  vcn_cidr         = lookup(var.target, "vcn_cidr", "10.64.0.0/16")
  dns_label        = substr(replace(var.tenant_slug, "-", ""), 0, 15)
  postgres_version = lookup(var.target, "postgres_version", "16")
  base_domain      = lookup(var.target, "base_domain", "paybill.internal")
  backups_enabled  = var.sizing.backup_retention_days > 0

  # The DB system's default database; the application creates its schema in it.
  database_name     = "postgres"
  database_username = "paybill_admin"

  # Where the admin password is kept: an existing vault and key, or (unset) the stack's own.
  vault_id     = lookup(var.target, "vault_id", "")
  vault_key_id = lookup(var.target, "vault_key_id", "")
  own_vault    = local.vault_id == ""
}

resource "oci_identity_compartment" "tenant" {
  compartment_id = local.parent_compartment_id
  name           = local.name
  description    = "Paybill tenant ${var.tenant_slug} (${var.tenant_id})"
  enable_delete  = true

  freeform_tags = local.freeform_tags

  lifecycle {
    precondition {
      condition     = local.parent_compartment_id != ""
      error_message = "target.parent_compartment_ocid (or target.tenancy_ocid) is required."
    }
  }
}

resource "oci_core_vcn" "tenant" {
  compartment_id = oci_identity_compartment.tenant.id
  display_name   = local.name
  cidr_blocks    = [local.vcn_cidr]
  dns_label      = local.dns_label

  freeform_tags = local.freeform_tags
}

resource "oci_core_subnet" "database" {
  compartment_id             = oci_identity_compartment.tenant.id
  vcn_id                     = oci_core_vcn.tenant.id
  display_name               = "${local.name}-db"
  cidr_block                 = cidrsubnet(local.vcn_cidr, 8, 0)
  dns_label                  = "db"
  prohibit_public_ip_on_vnic = true

  freeform_tags = local.freeform_tags
}

resource "oci_core_network_security_group" "database" {
  compartment_id = oci_identity_compartment.tenant.id
  vcn_id         = oci_core_vcn.tenant.id
  display_name   = "${local.name}-postgres"

  freeform_tags = local.freeform_tags
}

# A suspended tenant keeps its data; access from the network is withdrawn.
resource "oci_core_network_security_group_security_rule" "postgres" {
  count = var.suspended ? 0 : 1

  network_security_group_id = oci_core_network_security_group.database.id
  description               = "Postgres from inside the tenant VCN"
  direction                 = "INGRESS"
  protocol                  = "6"
  source_type               = "CIDR_BLOCK"
  source                    = local.vcn_cidr
  stateless                 = false

  tcp_options {
    destination_port_range {
      min = 5432
      max = 5432
    }
  }
}

resource "random_password" "database" {
  length           = 24
  special          = true
  override_special = "#%^*-_=+"
  min_upper        = 1
  min_lower        = 1
  min_numeric      = 1
  min_special      = 1
}

resource "oci_psql_db_system" "tenant" {
  compartment_id = oci_identity_compartment.tenant.id
  display_name   = local.name
  description    = "Postgres of Paybill tenant ${var.tenant_slug}"
  db_version     = local.postgres_version

  shape                       = local.db_shape
  instance_count              = var.sizing.replicas
  instance_ocpu_count         = local.db_size.ocpus
  instance_memory_size_in_gbs = local.db_size.memory_gb

  network_details {
    subnet_id = oci_core_subnet.database.id
    nsg_ids   = [oci_core_network_security_group.database.id]
  }

  storage_details {
    is_regionally_durable = true
    system_type           = "OCI_OPTIMIZED_STORAGE"
  }

  credentials {
    username = local.database_username

    password_details {
      password_type = "PLAIN_TEXT"
      password      = random_password.database.result
    }
  }

  management_policy {
    backup_policy {
      kind           = local.backups_enabled ? "DAILY" : "NONE"
      backup_start   = local.backups_enabled ? "02:00" : null
      retention_days = local.backups_enabled ? min(35, var.sizing.backup_retention_days) : null
    }
  }

  freeform_tags = local.freeform_tags

  lifecycle {
    # The password is write-only: the API never returns it.
    ignore_changes = [credentials]
  }
}

data "oci_psql_db_system_connection_detail" "tenant" {
  db_system_id = oci_psql_db_system.tenant.id
}

# The admin password, where the control plane reads it to manage tenant roles on this server
# (output database_admin_secret; terraform-modules/README.md, "Data tier outputs"): the runner
# never reads sensitive outputs, so the password is never one it needs. The secret goes to
# target.vault_id (encrypted with target.vault_key_id) when set, else to a virtual vault and
# software key of this stack's own.
resource "oci_kms_vault" "database_admin" {
  count = local.own_vault ? 1 : 0

  compartment_id = oci_identity_compartment.tenant.id
  display_name   = "${local.name}-vault"
  vault_type     = "DEFAULT"

  freeform_tags = local.freeform_tags
}

resource "oci_kms_key" "database_admin" {
  count = local.own_vault ? 1 : 0

  compartment_id      = oci_identity_compartment.tenant.id
  display_name        = "${local.name}-secrets"
  management_endpoint = oci_kms_vault.database_admin[0].management_endpoint
  protection_mode     = "SOFTWARE"

  key_shape {
    algorithm = "AES"
    length    = 32
  }

  freeform_tags = local.freeform_tags
}

resource "oci_vault_secret" "database_admin" {
  compartment_id = oci_identity_compartment.tenant.id
  vault_id       = local.own_vault ? oci_kms_vault.database_admin[0].id : local.vault_id
  key_id         = local.own_vault ? oci_kms_key.database_admin[0].id : local.vault_key_id
  secret_name    = "${local.name}-database-admin"
  description    = "Admin password of tenant ${var.tenant_slug}'s Postgres DB system"

  secret_content {
    content_type = "BASE64"
    content      = base64encode(random_password.database.result)
  }

  freeform_tags = local.freeform_tags

  lifecycle {
    precondition {
      condition     = local.own_vault || local.vault_key_id != ""
      error_message = "target.vault_key_id (a key of target.vault_id) is required when target.vault_id is set."
    }
  }
}
