"""Stripe webhook signatures: raw bytes, explicit tolerance, secret rotation, fail closed.

The check is Stripe's scheme (what stripe-python's `WebhookSignature.verify_header` computes):
HMAC-SHA256 keyed with the signing secret over `<t>.<raw body>`, hex, compared in constant time
with each `v1` entry of the header. It is computed here over the raw bytes (`hmac.digest`, one
C call) rather than through the library, which decodes the body to text, re-encodes it, and
parses the header a second time: a sixth of a delivery's CPU under load (docs/performance.md).
`tests/billing/test_signature.py` checks it against headers made by stripe-python's own signer.
Around it this module adds what the library leaves out (BILLING_AND_RELIABILITY.md R1-R3):

* the timestamp is checked in both directions against `now` (the library only rejects old ones, and
  skips the check altogether when `tolerance` is None);
* a match against any configured secret is accepted, so a secret can be rolled without downtime;
* an empty or blank secret list refuses everything (an empty HMAC key is forgeable by anyone);
* the body must be a JSON object with a string `id` and `type` before anything downstream sees it.
"""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import Sequence
from typing import Any, Final

import stripe

__all__ = [
    "DEFAULT_TOLERANCE_SECONDS",
    "PAYLOAD_INVALID",
    "SECRET_NOT_CONFIGURED",
    "SIGNATURE_INVALID",
    "SIGNATURE_MALFORMED",
    "SIGNATURE_MISSING",
    "TIMESTAMP_OUT_OF_TOLERANCE",
    "WebhookVerificationError",
    "verify_stripe_event",
]

DEFAULT_TOLERANCE_SECONDS: Final = 300

SIGNATURE_MISSING: Final = "webhook-signature-missing"
SIGNATURE_MALFORMED: Final = "webhook-signature-malformed"
SIGNATURE_INVALID: Final = "webhook-signature-invalid"
TIMESTAMP_OUT_OF_TOLERANCE: Final = "webhook-timestamp-out-of-tolerance"
SECRET_NOT_CONFIGURED: Final = "webhook-secret-not-configured"  # noqa: S105 (a slug)
PAYLOAD_INVALID: Final = "webhook-payload-invalid"

# A misconfigured endpoint answers 503 so Stripe keeps retrying (up to 3 days in live mode) until
# the secret is set; everything else is the sender's fault and is final.
_HTTP_STATUS: Final[dict[str, int]] = {SECRET_NOT_CONFIGURED: 503}

# Stripe sends one v1 signature per active secret (two while rolling). Far more than that is not
# a Stripe header, and each entry costs a constant-time compare per configured secret.
_MAX_SIGNATURES: Final = 8
_SCHEME: Final = stripe.WebhookSignature.EXPECTED_SCHEME


class WebhookVerificationError(Exception):
    """A webhook delivery was refused. `type_slug` is stable; `reason` never contains a secret."""

    def __init__(self, reason: str, type_slug: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.type_slug = type_slug

    @property
    def http_status(self) -> int:
        """400 for a bad delivery, 503 when the endpoint itself is not configured."""
        return _HTTP_STATUS.get(self.type_slug, 400)

    def __repr__(self) -> str:
        return f"WebhookVerificationError({self.reason!r}, {self.type_slug!r})"


def verify_stripe_event(
    raw_body: bytes,
    signature_header: str | None,
    secrets: Sequence[str],
    *,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> dict[str, Any]:
    """Verify a Stripe webhook delivery over its raw bytes and return the parsed event object."""
    if tolerance_seconds <= 0:
        raise ValueError("tolerance_seconds must be positive")
    keys = _usable_secrets(secrets)
    if not keys:
        raise WebhookVerificationError(
            "no webhook signing secret is configured; refusing every delivery",
            SECRET_NOT_CONFIGURED,
        )
    if signature_header is None or not signature_header.strip():
        raise WebhookVerificationError("the Stripe-Signature header is missing", SIGNATURE_MISSING)

    timestamp, signatures = _parse_header(signature_header)
    current = time.time() if now is None else now
    if not current - tolerance_seconds <= timestamp <= current + tolerance_seconds:
        raise WebhookVerificationError(
            f"signature timestamp {timestamp} is more than {tolerance_seconds}s "
            f"away from the server clock",
            TIMESTAMP_OUT_OF_TOLERANCE,
        )

    try:
        text = raw_body.decode("utf-8")
    except UnicodeDecodeError:
        raise WebhookVerificationError("the body is not UTF-8", PAYLOAD_INVALID) from None

    signed = b"%d." % timestamp + raw_body
    expected = [hmac.digest(key.encode("utf-8"), signed, "sha256").hex().encode() for key in keys]
    # Every pair is compared (no early exit), each in constant time.
    matches = [hmac.compare_digest(e, s) for e in expected for s in signatures]
    if not any(matches):
        raise WebhookVerificationError(
            "no signature in the Stripe-Signature header matches a configured secret",
            SIGNATURE_INVALID,
        )

    # Parsed only after the signature matched, and only once.
    try:
        event = json.loads(text)
    except ValueError:
        raise WebhookVerificationError("the body is not valid JSON", PAYLOAD_INVALID) from None
    except RecursionError:
        # A signed body can still be hostile (a leaked secret, a replayed test): nesting deeper
        # than the parser's recursion limit is refused like any other unusable payload.
        raise WebhookVerificationError("the body is nested too deeply", PAYLOAD_INVALID) from None
    if not isinstance(event, dict):
        raise WebhookVerificationError("the body is not a JSON object", PAYLOAD_INVALID)
    for field in ("id", "type"):
        value = event.get(field)
        if not isinstance(value, str) or not value:
            raise WebhookVerificationError(f"the event has no string {field!r}", PAYLOAD_INVALID)
    return event


def _usable_secrets(secrets: Sequence[str]) -> tuple[str, ...]:
    if isinstance(secrets, str):
        # A bare string would be iterated character by character: one-letter keys.
        raise TypeError("secrets must be a sequence of strings, not a string")
    seen: dict[str, None] = {}
    for secret in secrets:
        if not isinstance(secret, str):
            raise TypeError("every webhook secret must be a str")
        key = secret.strip()
        if key:
            seen.setdefault(key, None)
    return tuple(seen)


def _parse_header(header: str) -> tuple[int, list[bytes]]:
    """The `t=` value and the `v1` signatures of a well-formed header (at least one)."""
    timestamp: int | None = None
    signatures: list[bytes] = []
    for item in header.split(","):
        key, sep, value = item.partition("=")
        if not sep:
            continue
        if key == "t" and timestamp is None:
            if not (value.isascii() and value.isdigit()):
                raise WebhookVerificationError(
                    "the Stripe-Signature timestamp is not an integer", SIGNATURE_MALFORMED
                )
            timestamp = int(value)
        elif key == _SCHEME:
            # Bytes: compare_digest refuses str with non-ASCII characters (it would raise).
            signatures.append(value.encode("utf-8", "surrogateescape"))
    if timestamp is None:
        raise WebhookVerificationError(
            "the Stripe-Signature header has no timestamp", SIGNATURE_MALFORMED
        )
    if not signatures:
        raise WebhookVerificationError(
            f"the Stripe-Signature header has no {_SCHEME} signature", SIGNATURE_MALFORMED
        )
    if len(signatures) > _MAX_SIGNATURES:
        raise WebhookVerificationError(
            "the Stripe-Signature header carries too many signatures", SIGNATURE_MALFORMED
        )
    return timestamp, signatures
