"""Who is calling, what their role allows, and which tenant they are bound to."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from paybill_control_plane.errors import Forbidden
from paybill_control_plane.models.enums import Role


class Permission(StrEnum):
    catalog_read = "catalog:read"
    catalog_write = "catalog:write"
    tenants_read = "tenants:read"
    tenants_write = "tenants:write"
    runs_read = "runs:read"
    runs_write = "runs:write"
    infra_read = "infra:read"
    keys_manage = "keys:manage"
    audit_read = "audit:read"
    billing_read = "billing:read"
    billing_write = "billing:write"
    cloud_targets_manage = "cloud-targets:manage"
    # Start a Stripe checkout or portal session for a tenant (a tenant key: its own only).
    billing_checkout = "billing:checkout"
    # Rotate a tenant's database password and receive it (a tenant key: its own only).
    database_credentials = "database:credentials"
    # Webhook endpoints and their secrets, outbound events, licence signing keys (admin only).
    webhooks_manage = "webhooks:manage"
    # Approve or reject a run a policy holds (never a tenant or billing key; see approvals).
    runs_approve = "runs:approve"


_READ = {
    Permission.catalog_read,
    Permission.tenants_read,
    Permission.runs_read,
    Permission.infra_read,
    Permission.audit_read,
    Permission.billing_read,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.admin: frozenset(Permission),
    Role.operator: frozenset(
        _READ
        | {
            Permission.tenants_write,
            Permission.runs_write,
            Permission.database_credentials,
            Permission.runs_approve,
        }
    ),
    Role.viewer: frozenset(_READ),
    Role.billing: frozenset(
        {
            Permission.catalog_read,
            Permission.tenants_read,
            Permission.billing_read,
            Permission.billing_write,
            Permission.billing_checkout,
        }
    ),
    # A tenant key reads its own tenant only; scoping is enforced in the repositories.
    Role.tenant: frozenset(
        {
            Permission.tenants_read,
            Permission.runs_read,
            Permission.billing_checkout,
            Permission.database_credentials,
        }
    ),
}


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    key_id: uuid.UUID | None
    name: str
    role: Role
    tenant_id: uuid.UUID | None = None

    @property
    def actor(self) -> str:
        if self.key_id is None:
            return self.name
        return f"apikey:{self.key_id}"

    @property
    def is_tenant_scoped(self) -> bool:
        return self.role is Role.tenant

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise Forbidden(
                f"The role '{self.role.value}' does not have the permission '{permission.value}'.",
                extra={"required_permission": permission.value},
            )


SYSTEM = Principal(key_id=None, name="system", role=Role.admin)
CLI = Principal(key_id=None, name="cli", role=Role.admin)
CLI_OPERATOR_PREFIX = "cli:"


def cli_operator(name: str) -> Principal:
    """The CLI acting for a named operator (its approvals and rejections carry the name)."""
    return Principal(key_id=None, name=f"{CLI_OPERATOR_PREFIX}{name}", role=Role.admin)


def actor_name(actor: Principal | str) -> str:
    """What `created_by`, `requested_by` and the audit log store for an actor: a principal's
    `actor`, or the name a job or the CLI acts under."""
    return actor.actor if isinstance(actor, Principal) else actor


def may_have_requested(principal: Principal, requested_by: str) -> bool:
    """Whether `principal` is, or cannot be told apart from, the actor `requested_by`.

    The CLI's other commands act as the anonymous `cli` principal, so a run it caused may be
    any CLI operator's: no CLI operator may approve it (an API key of another person may)."""
    if principal.actor == requested_by:
        return True
    return (
        requested_by == CLI.actor
        and principal.key_id is None
        and (principal.name.startswith(CLI_OPERATOR_PREFIX))
    )


STRIPE = Principal(key_id=None, name="stripe", role=Role.billing)
