"""The console's navigation: one entry per section, shown to the roles that may read it.

A new section is a template, a route, and one `Section` here (see docs/console.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from paybill_control_plane.auth.principal import Permission, Principal


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    path: str
    permission: Permission
    # Shortcut: `g` then this key (see static/console.js).
    shortcut: str


SECTIONS: tuple[Section, ...] = (
    Section("tenants", "Tenants", "/console/tenants", Permission.tenants_read, "t"),
    Section("runs", "Runs", "/console/runs", Permission.runs_read, "r"),
    Section("approvals", "Approvals", "/console/approvals", Permission.runs_approve, "p"),
    Section("billing", "Billing", "/console/billing", Permission.billing_read, "b"),
    Section("fleet", "Fleet", "/console/fleet", Permission.infra_read, "f"),
    Section("audit", "Audit", "/console/audit", Permission.audit_read, "a"),
    Section("keys", "API keys", "/console/keys", Permission.keys_manage, "k"),
    Section("events", "Events", "/console/events", Permission.webhooks_manage, "e"),
)


def visible_sections(principal: Principal) -> list[Section]:
    return [s for s in SECTIONS if principal.can(s.permission)]
