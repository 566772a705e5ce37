"""Standard Webhooks signing: `whsec_` secrets, stored encrypted, and the three headers.

The secret is 32 random bytes, shown once as `whsec_<base64>`; at rest it is AES-256-GCM
under `PAYBILL_SECRET_KEY` (clouds/credentials.py), bound to the endpoint's id. During a
rotation window the previous secret signs too: `webhook-signature` carries one `v1,<sig>` per
secret, and receivers accept any match (the Standard Webhooks rule).
"""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime

from standardwebhooks.webhooks import Webhook

from paybill_control_plane.clouds.credentials import decrypt_credentials, encrypt_credentials

SECRET_PREFIX = "whsec_"  # noqa: S105 (the format's prefix, not a secret)


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _aad_id(endpoint_id: uuid.UUID) -> str:
    return f"webhook-endpoint:{endpoint_id}"


def seal(secret_key: str, endpoint_id: uuid.UUID, secret: str) -> bytes:
    return encrypt_credentials(secret_key, _aad_id(endpoint_id), {"secret": secret})


def unseal(secret_key: str, endpoint_id: uuid.UUID, blob: bytes) -> str:
    return decrypt_credentials(secret_key, _aad_id(endpoint_id), blob)["secret"]


def signature_headers(
    signing_secrets: Sequence[str], message_id: str, timestamp: datetime, body: str
) -> dict[str, str]:
    """`webhook-id`, `webhook-timestamp` and `webhook-signature` (one signature per secret)."""
    signatures = [Webhook(s).sign(message_id, timestamp, body) for s in signing_secrets]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
