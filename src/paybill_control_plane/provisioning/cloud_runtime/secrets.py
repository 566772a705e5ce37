"""Keeping credentials out of messages: the values to scrub, and scrubbing them.

Run errors, step messages and log lines may quote what Terraform or a cloud SDK printed; every
value derived from a credential is replaced by `***` before any of them is stored or logged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# Credential keys that identify rather than authenticate (kept readable in error messages).
_IDENTIFIER_KEYS = frozenset(
    {"region", "tenant_id", "client_id", "user_ocid", "fingerprint", "role_arn"}
)
_SECRET_ENV = re.compile(r"KEY|SECRET|TOKEN|CREDENTIALS|PASSWORD")
_MIN_SCRUB_LEN = 6


def secret_values(creds: Mapping[str, str], env: Mapping[str, str] | None = None) -> list[str]:
    """The values to scrub from any message: secret credentials and the env derived from them."""
    values = {v for k, v in creds.items() if k not in _IDENTIFIER_KEYS}
    values |= {v for k, v in (env or {}).items() if _SECRET_ENV.search(k)}
    for value in list(values):  # a PEM or a key file is also scrubbed line by line
        values |= {line.strip() for line in value.splitlines()}
    return sorted((v for v in values if len(v) >= _MIN_SCRUB_LEN), key=len, reverse=True)


def scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text
