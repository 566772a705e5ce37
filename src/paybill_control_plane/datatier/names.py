"""Names of the Postgres objects of a tenant's data tier, unique per control-plane instance.

Databases and roles are cluster-wide, and one server may hold the objects of several control
planes (and several test databases): every name starts with the instance's prefix and carries
the tenant's (or pool's) id, so two instances never touch each other's objects.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from paybill_control_plane.models.enums import IsolationModel

LOGIN_SLOTS = ("a", "b")
# A migration's change capture (change_capture.py): its schema in a side's database and its
# triggers on the tenant's tables. Never part of a tenant's data: left out of dumps,
# fingerprints and restores.
CAPTURE_SCHEMA_PREFIX = "paybill_capture_"
CAPTURE_TRIGGER_PREFIX = "paybill_capture_"


def is_capture_trigger_entry(line: str) -> bool:
    """A `pg_restore --list` line of a change capture's trigger."""
    return " TRIGGER " in line and f" {CAPTURE_TRIGGER_PREFIX}" in line


def derived_prefix(control_plane_database: str) -> str:
    """`pb` + 8 hex digits of the control plane's database name (stable across restarts)."""
    return "pb" + hashlib.sha256(control_plane_database.encode()).hexdigest()[:8]


@dataclass(frozen=True, slots=True)
class TenantNames:
    database: str
    schema: str | None  # pooled only
    owner: str  # NOLOGIN: owns the tenant's objects and holds its grants
    logins: tuple[str, str]  # the two alternating login roles (…_a, …_b), members of `owner`

    def other_login(self, login: str) -> str:
        return self.logins[1] if login == self.logins[0] else self.logins[0]


def pool_database(prefix: str, pool_id: uuid.UUID) -> str:
    return f"{prefix}_pool_{pool_id.hex}"


def tenant_names(
    prefix: str, model: IsolationModel, tenant_id: uuid.UUID, pool_id: uuid.UUID | None
) -> TenantNames:
    """Every name one tenant's data tier uses in `model` (at most 56 characters; Postgres
    allows 63). The models' names are disjoint, and a pooled tenant's roles name its pool, so
    the objects of a tenant moving between models or pools never collide."""
    if model is IsolationModel.pooled:
        if pool_id is None:
            raise ValueError("a pooled tenant's database needs its pool")
        owner = f"{prefix}_p{pool_id.hex[:8]}_{tenant_id.hex}"
        database, schema = pool_database(prefix, pool_id), f"t_{tenant_id.hex}"
    else:
        owner = f"{prefix}_{'s' if model is IsolationModel.silo else 'b'}_{tenant_id.hex}"
        database, schema = owner, None
    logins = (f"{owner}_{LOGIN_SLOTS[0]}", f"{owner}_{LOGIN_SLOTS[1]}")
    return TenantNames(database, schema, owner, logins)
