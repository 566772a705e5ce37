"""The tenant state machine: which status may follow which, and which actions each allows."""

from __future__ import annotations

from paybill_control_plane.errors import InvalidTransition
from paybill_control_plane.models.enums import TenantStatus as S

TRANSITIONS: dict[S, frozenset[S]] = {
    S.pending: frozenset({S.provisioning, S.deprovisioning, S.failed}),
    S.provisioning: frozenset({S.active, S.failed, S.deprovisioning}),
    S.active: frozenset({S.updating, S.suspended, S.deprovisioning}),
    S.updating: frozenset({S.active, S.failed, S.suspended, S.deprovisioning}),
    S.suspended: frozenset({S.active, S.deprovisioning}),
    S.deprovisioning: frozenset({S.deprovisioned, S.failed}),
    S.deprovisioned: frozenset({S.purged}),
    S.purged: frozenset(),
    S.failed: frozenset({S.provisioning, S.updating, S.deprovisioning}),
}

# The API's lifecycle actions and the status each leads to.
ACTIONS: dict[str, S] = {
    "suspend": S.suspended,
    "resume": S.active,
    "deprovision": S.deprovisioning,
}

# Where each action may start from (a subset of TRANSITIONS: resume only from suspended).
ACTION_SOURCES: dict[str, frozenset[S]] = {
    "suspend": frozenset({S.active, S.updating}),
    "resume": frozenset({S.suspended}),
    "deprovision": frozenset(
        {S.pending, S.provisioning, S.active, S.updating, S.suspended, S.failed}
    ),
}


def allowed_transitions(status: S) -> list[S]:
    return sorted(TRANSITIONS[status], key=list(S).index)


def allowed_actions(status: S) -> list[str]:
    return [action for action, sources in ACTION_SOURCES.items() if status in sources]


def check_transition(current: S, target: S) -> None:
    """Raise a 409 listing the allowed transitions when `current → target` is not one."""
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(
            f"A tenant in status '{current.value}' cannot move to '{target.value}'.",
            extra={
                "current_status": current.value,
                "requested_status": target.value,
                "allowed_transitions": [s.value for s in allowed_transitions(current)],
                "allowed_actions": allowed_actions(current),
            },
        )


def check_action(current: S, action: str) -> S:
    """The status an action leads to, or a 409 listing what is allowed from here."""
    if current not in ACTION_SOURCES[action]:
        raise InvalidTransition(
            f"A tenant in status '{current.value}' cannot be asked to {action}.",
            extra={
                "current_status": current.value,
                "requested_action": action,
                "allowed_transitions": [s.value for s in allowed_transitions(current)],
                "allowed_actions": allowed_actions(current),
            },
        )
    return ACTIONS[action]
