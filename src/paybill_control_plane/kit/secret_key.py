"""PAYBILL_SECRET_KEY for the domains that store secrets sealed with it."""

from __future__ import annotations

from paybill_control_plane.config import Settings
from paybill_control_plane.errors import ControlPlaneError
from paybill_control_plane.kit.idempotency_store import MIN_SECRET_KEY_LENGTH


def required_secret_key(settings: Settings, problem: type[ControlPlaneError], sealed: str) -> str:
    """The key, or `problem` saying that `sealed` (e.g. "webhook signing secrets") are stored
    encrypted with it; the detail never holds the key's value."""
    key = settings.secret_key.get_secret_value() if settings.secret_key else ""
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise problem(
            f"PAYBILL_SECRET_KEY is not set or shorter than {MIN_SECRET_KEY_LENGTH} characters: "
            f"{sealed} are stored encrypted with it."
        )
    return key
