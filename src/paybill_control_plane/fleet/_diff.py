"""Reading a plan's JSON: which attributes of which resources differ, after the ignore rules."""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from paybill_control_plane.kit.canonical import canonical_json

# address -> attribute path -> the value the real infrastructure (the state) holds
Drift = dict[str, dict[str, Any]]


def _paths(before: Any, after: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            path = f"{prefix}.{key}" if prefix else str(key)
            _paths(before.get(key), after.get(key), path, out)
    elif before != after:
        out[prefix or "*"] = before


def _changes(doc: Mapping[str, Any], section: str, actual: str) -> Drift:
    found: Drift = {}
    for item in doc.get(section) or []:
        change = item.get("change") or {}
        if change.get("actions") in (["no-op"], ["read"]):
            continue
        before, after = change.get("before"), change.get("after")
        # `actual`: which side is the real infrastructure. In a refresh-only plan the refreshed
        # value (after) is real; in a normal plan the state (before) is, and after is wanted.
        real, wanted = (after, before) if actual == "after" else (before, after)
        attrs: dict[str, Any] = {}
        _paths(real, wanted, "", attrs)
        if attrs:
            found[str(item.get("address"))] = attrs
    return found


def drift_of(refresh_plan: Mapping[str, Any] | None, plan: Mapping[str, Any] | None) -> Drift:
    """Out-of-band changes (refresh-only `resource_drift`) and state≠configuration changes
    (the normal plan's `resource_changes`), merged by resource address."""
    merged: Drift = {}
    if refresh_plan is not None:
        merged.update(_changes(refresh_plan, "resource_drift", "after"))
    if plan is not None:
        for address, attrs in _changes(plan, "resource_changes", "before").items():
            merged.setdefault(address, {}).update(attrs)
    return merged


def without_ignored(drift: Drift, patterns: Iterable[str]) -> Drift:
    """Drop attributes matching an ignore pattern (`input.labels.*`, `*.tags.last_seen`)."""
    rules = list(patterns)
    kept: Drift = {}
    for address, attrs in drift.items():
        left = {
            path: value
            for path, value in attrs.items()
            if not any(fnmatch.fnmatchcase(path, r) for r in rules)
        }
        if left:
            kept[address] = left
    return kept


def fingerprint(drift: Drift) -> str:
    """The same drift (addresses, attributes and their real values) gives the same print."""
    return hashlib.sha256(canonical_json(drift).encode()).hexdigest()


def attribute_names(drift: Drift) -> dict[str, list[str]]:
    return {address: sorted(attrs) for address, attrs in sorted(drift.items())}
