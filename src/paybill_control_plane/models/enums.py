"""Enumerations shared by tables, schemas and the API."""

from __future__ import annotations

from enum import StrEnum


class IsolationModel(StrEnum):
    silo = "silo"
    pooled = "pooled"
    bridge = "bridge"


class Cloud(StrEnum):
    aws = "aws"
    azure = "azure"
    gcp = "gcp"
    oci = "oci"
    ibm = "ibm"
    local = "local"


class TenantStatus(StrEnum):
    pending = "pending"
    provisioning = "provisioning"
    active = "active"
    updating = "updating"
    suspended = "suspended"
    deprovisioning = "deprovisioning"
    deprovisioned = "deprovisioned"
    purged = "purged"
    failed = "failed"


class Role(StrEnum):
    admin = "admin"
    operator = "operator"
    viewer = "viewer"
    billing = "billing"
    tenant = "tenant"


class PlanInterval(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    year = "year"
    one_time = "one_time"
