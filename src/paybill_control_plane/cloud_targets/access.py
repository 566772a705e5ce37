"""What other domains may read about cloud targets: the target a new tenant is bound to, and
the configuration and credentials the adapters take. Reads and checks only; the rules that change
targets stay in `service.py`, which other domains never import."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.cloud_targets import repository as repo
from paybill_control_plane.cloud_targets._egress import InvalidCloudTarget
from paybill_control_plane.clouds import CloudTargetConfig
from paybill_control_plane.clouds.credentials import (
    MIN_SECRET_KEY_LENGTH,
    CredentialDecryptError,
    decrypt_credentials,
)
from paybill_control_plane.config import Settings
from paybill_control_plane.errors import Conflict
from paybill_control_plane.models.cloud_target import CloudTarget


class SecretKeyNotConfigured(Conflict):
    type_slug = "secret-key-not-configured"
    title = "Cloud credentials cannot be stored or read"


class CredentialsUnreadable(Conflict):
    type_slug = "credentials-unreadable"
    title = "The stored credentials cannot be decrypted"


def secret_key(settings: Settings) -> str:
    """PAYBILL_SECRET_KEY, or a problem saying how to set it (never its value)."""
    key = settings.secret_key.get_secret_value() if settings.secret_key else ""
    if len(key) < MIN_SECRET_KEY_LENGTH:
        state = "is not set" if not key else f"is shorter than {MIN_SECRET_KEY_LENGTH} characters"
        raise SecretKeyNotConfigured(
            f"PAYBILL_SECRET_KEY {state}: cloud credentials are stored encrypted with it. Set it "
            f"to at least {MIN_SECRET_KEY_LENGTH} random characters, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`, and restart."
        )
    return key


def read_credentials(target: CloudTarget, settings: Settings) -> dict[str, str]:
    """The decrypted credentials ({} when none are stored). Only adapters may see the result."""
    if target.credentials_encrypted is None:
        return {}
    try:
        return decrypt_credentials(
            secret_key(settings), str(target.id), target.credentials_encrypted
        )
    except CredentialDecryptError as exc:
        raise CredentialsUnreadable(
            f"The credentials of cloud target '{target.name}' cannot be decrypted ({exc}); "
            "store them again with PATCH."
        ) from None


def target_config(target: CloudTarget) -> CloudTargetConfig:
    """What the adapters take: the row's non-secret fields."""
    return CloudTargetConfig(
        cloud=target.cloud,
        name=target.name,
        default_region=target.default_region,
        account_ref=target.account_ref,
        settings=dict(target.settings),
        endpoint_url=target.endpoint_url,
    )


async def choose_for_tenant(
    session: AsyncSession, cloud: str, requested: uuid.UUID | None
) -> uuid.UUID | None:
    """The target a new tenant is bound to.

    The requested one (it must be of the tenant's cloud); else, except on `local`, the cloud's
    only target. With none registered the tenant stays unbound (its plan can still be
    reviewed; its runs fail until a target exists); with several the caller must choose.
    """
    if requested is not None:
        target = await repo.get(session, requested)
        if target.cloud != cloud:
            raise InvalidCloudTarget(
                f"Cloud target '{target.name}' is a {target.cloud} target; the tenant is on "
                f"{cloud}.",
                extra={"target_cloud": target.cloud},
            )
        return target.id
    if cloud == "local":
        return None
    targets = await repo.of_cloud(session, cloud)
    if len(targets) > 1:
        raise InvalidCloudTarget(
            f"There are {len(targets)} {cloud} cloud targets; choose one with cloud_target_id.",
            extra={"cloud_targets": [str(t.id) for t in targets]},
        )
    return targets[0].id if targets else None
