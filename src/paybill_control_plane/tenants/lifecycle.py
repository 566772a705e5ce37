"""The tenant state machine: which status may follow which, and what each lifecycle action does.

`status` is where the tenant is; `desired_state` (active, suspended, deprovisioned) is where runs
take it. An action sets the desired state and a running status; when every stack has converged,
the tenant settles into the status its desired state names.
"""

from __future__ import annotations

from dataclasses import dataclass

from paybill_control_plane.errors import InvalidTransition
from paybill_control_plane.models.enums import TenantDesiredState
from paybill_control_plane.models.enums import TenantStatus as S

TRANSITIONS: dict[S, frozenset[S]] = {
    S.pending: frozenset({S.provisioning, S.deprovisioning, S.failed}),
    S.provisioning: frozenset({S.active, S.suspended, S.failed, S.deprovisioning}),
    S.active: frozenset({S.updating, S.suspended, S.deprovisioning}),
    S.updating: frozenset({S.active, S.suspended, S.failed, S.deprovisioning}),
    S.suspended: frozenset({S.updating, S.active, S.deprovisioning}),
    S.deprovisioning: frozenset({S.deprovisioned, S.failed}),
    S.deprovisioned: frozenset({S.purged}),
    S.purged: frozenset(),
    S.failed: frozenset({S.provisioning, S.updating, S.deprovisioning}),
}

RUNNING = frozenset({S.provisioning, S.updating, S.deprovisioning})
GONE = frozenset({S.deprovisioned, S.purged})

# Desired state → the status a converged tenant settles in.
SETTLED: dict[str, S] = {
    TenantDesiredState.active: S.active,
    TenantDesiredState.suspended: S.suspended,
    TenantDesiredState.deprovisioned: S.deprovisioned,
}


@dataclass(frozen=True)
class Action:
    desired_state: TenantDesiredState | None  # None: keep the current desired state (re-provision)
    sources: frozenset[S]


ACTIONS: dict[str, Action] = {
    "suspend": Action(
        TenantDesiredState.suspended, frozenset({S.provisioning, S.active, S.updating})
    ),
    "resume": Action(TenantDesiredState.active, frozenset({S.suspended})),
    "reconcile": Action(None, frozenset({S.active, S.suspended})),
    "deprovision": Action(
        TenantDesiredState.deprovisioned,
        frozenset({S.pending, S.provisioning, S.active, S.updating, S.suspended, S.failed}),
    ),
}


def allowed_transitions(status: S) -> list[S]:
    return sorted(TRANSITIONS[status], key=list(S).index)


# Per status, computed once: every presented tenant carries its list (a page has 50).
_ALLOWED_ACTIONS: dict[S, tuple[str, ...]] = {
    status: tuple(name for name, action in ACTIONS.items() if status in action.sources)
    for status in S
}


def allowed_actions(status: S) -> list[str]:
    return list(_ALLOWED_ACTIONS[status])


def _conflict(current: S, detail: str, **extra: str) -> InvalidTransition:
    return InvalidTransition(
        detail,
        extra={
            "current_status": current.value,
            **extra,
            "allowed_transitions": [s.value for s in allowed_transitions(current)],
            "allowed_actions": allowed_actions(current),
        },
    )


def check_transition(current: S, target: S) -> None:
    """Raise a 409 listing the allowed transitions when `current → target` is not one."""
    if target != current and target not in TRANSITIONS[current]:
        raise _conflict(
            current,
            f"A tenant in status '{current.value}' cannot move to '{target.value}'.",
            requested_status=target.value,
        )


def running_status_for(current: S, desired_state: str) -> S:
    """The status a tenant shows while runs take it to `desired_state`."""
    if desired_state == TenantDesiredState.deprovisioned:
        return S.deprovisioning
    if current in {S.pending, S.provisioning}:
        return S.provisioning
    return S.updating


def check_action(current: S, action: str) -> Action:
    """The action's definition, or a 409 listing what is allowed from here."""
    definition = ACTIONS[action]
    if current not in definition.sources:
        raise _conflict(
            current,
            f"A tenant in status '{current.value}' cannot be asked to {action}.",
            requested_action=action,
        )
    return definition
