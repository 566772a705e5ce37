"""A short-lived, process-local cache of verified API keys.

Every request authenticates; re-reading the key row through the ORM cost about an eighth of a
small request. A verified key is trusted for `PAYBILL_API_KEY_CACHE_SECONDS` (default 5 s):
a revocation in this process evicts it at once, one in another process (or straight in the
database) takes effect there within that bound. Only valid keys are cached, keyed by the
SHA-256 of the secret (the secret itself is never kept).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from paybill_control_plane.auth.principal import Principal

# A bound on memory, not a tuning knob: far more keys than any deployment uses at once.
_MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class _Entry:
    principal: Principal
    expires_at: float


class KeyCache:
    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}

    def get(self, secret_hash: str) -> Principal | None:
        entry = self._entries.get(secret_hash)
        if entry is None:
            return None
        if entry.expires_at <= time.monotonic():
            self._entries.pop(secret_hash, None)
            return None
        return entry.principal

    def put(self, secret_hash: str, principal: Principal, ttl_seconds: float) -> None:
        if ttl_seconds <= 0:
            return
        if len(self._entries) >= _MAX_ENTRIES:
            self._entries.clear()
        self._entries[secret_hash] = _Entry(principal, time.monotonic() + ttl_seconds)

    def evict_key(self, key_id: uuid.UUID) -> None:
        for secret_hash, entry in list(self._entries.items()):
            if entry.principal.key_id == key_id:
                self._entries.pop(secret_hash, None)


KEY_CACHE = KeyCache()
