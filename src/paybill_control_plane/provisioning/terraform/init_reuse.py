"""Reusing `terraform init`: a stack whose init inputs were initialized before gets that result.

What `terraform init` leaves in a working directory (`.terraform/`, `.terraform.lock.hcl`)
depends only on the configuration (module sources, providers, the backend block and its
`-backend-config`), never on the variable values: every silo stack of a module release has the
same. Init is a whole Terraform process (~0.1 s and ~0.1 s of CPU on the `local` cloud) on
every run's path, so the worker keeps what one init produced, in memory, keyed by a hash of the
files init reads and the Terraform command, and writes it into the next stack directory of the
same key instead of running init again. Terraform's own check still applies: a command whose
backend configuration does not match `.terraform/terraform.tfstate` fails with "Backend
initialization required" (it never plans against another backend).

Limits, by design:
- Only for the pg backend (no `-backend-config`): a remote backend's recorded configuration
  holds its credentials, which must not be copied between tenants' stacks.
- The memory is per process: a restarted worker (a new Terraform, say) inits again once per key.
- Only small results are kept (`MAX_BYTES`; no provider binaries, which a plugin cache
  serves), symlinks (a plugin cache's) as links.
- A reuse is written beside the directory and renamed into place, so a worker killed midway
  leaves either the old `.terraform/` or the whole new one (a run's next attempt writes it
  again, or inits).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = ".terraform"
LOCK_FILE = ".terraform.lock.hcl"
# The workspace a `workspace select` recorded: the stack's own, never another stack's.
_NOT_KEPT = frozenset({f"{DATA_DIR}/environment"})
MAX_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class _Entry:
    path: str  # relative to the working directory
    kind: str  # "dir" | "file" | "link"
    content: bytes = b""
    mode: int = 0o644
    target: str = ""


def init_key(binary: Sequence[str], files: Mapping[str, bytes], variables_file: str) -> str:
    """The hash of what init reads: the command and every rendered file but the variables."""
    digest = hashlib.sha256()
    digest.update("\0".join(binary).encode() + b"\1")
    for name in sorted(files):
        if name != variables_file:
            digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


class InitReuse:
    """What init produced, per key, for this process's later stacks."""

    def __init__(self) -> None:
        self._done: dict[str, tuple[_Entry, ...]] = {}

    def __contains__(self, key: str) -> bool:
        return key in self._done

    def remember(self, key: str, workdir: Path) -> bool:
        """Keep what a successful init left in `workdir`; False when it is not kept (too large,
        or something other than files, directories and links)."""
        entries = _snapshot(workdir)
        if entries is None:
            return False
        self._done[key] = entries
        return True

    def restore(self, key: str, workdir: Path) -> bool:
        """Write the init result of `key` into `workdir` (replacing its own); False if unknown."""
        entries = self._done.get(key)
        if entries is None:
            return False
        staging = workdir / f"{DATA_DIR}.{uuid.uuid4().hex[:8]}.tmp"
        lock: _Entry | None = None
        for entry in entries:
            if entry.path == LOCK_FILE:
                lock = entry
                continue
            _write(staging / Path(entry.path).relative_to(DATA_DIR), entry)
        if lock is not None:
            _write(workdir / f"{LOCK_FILE}.tmp", lock)
            os.replace(workdir / f"{LOCK_FILE}.tmp", workdir / LOCK_FILE)
        else:
            (workdir / LOCK_FILE).unlink(missing_ok=True)
        staging.mkdir(exist_ok=True)
        old = workdir / DATA_DIR
        if old.is_symlink() or old.is_file():
            old.unlink()
        elif old.exists():
            # rename then delete: `.terraform/` is never half removed under its own name
            trash = workdir / f"{DATA_DIR}.{uuid.uuid4().hex[:8]}.old"
            old.rename(trash)
            shutil.rmtree(trash, ignore_errors=True)
        staging.rename(old)
        return True


def clear_leftovers(workdir: Path) -> None:
    """Staging and trash directories of a reuse a killed worker left behind."""
    for leftover in workdir.glob(f"{DATA_DIR}.*.tmp"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in workdir.glob(f"{DATA_DIR}.*.old"):
        shutil.rmtree(leftover, ignore_errors=True)


def _snapshot(workdir: Path) -> tuple[_Entry, ...] | None:
    entries: list[_Entry] = []
    size = 0
    roots = [workdir / DATA_DIR]
    lock = workdir / LOCK_FILE
    if lock.is_file():
        data = lock.read_bytes()
        size += len(data)
        entries.append(_Entry(LOCK_FILE, "file", data, lock.stat().st_mode & 0o777))
    if not roots[0].is_dir():
        return None
    for root, dirs, names in os.walk(roots[0]):
        base = Path(root)
        for name in sorted(dirs):
            path = base / name
            relative = str(path.relative_to(workdir))
            if path.is_symlink():
                entries.append(_Entry(relative, "link", target=os.readlink(path)))
            else:
                entries.append(_Entry(relative, "dir"))
        for name in sorted(names):
            path = base / name
            relative = str(path.relative_to(workdir))
            if relative in _NOT_KEPT:
                continue
            if path.is_symlink():
                entries.append(_Entry(relative, "link", target=os.readlink(path)))
            elif path.is_file():
                data = path.read_bytes()
                size += len(data)
                entries.append(_Entry(relative, "file", data, path.stat().st_mode & 0o777))
            else:
                return None
            if size > MAX_BYTES:
                return None
    return tuple(entries)


def _write(path: Path, entry: _Entry) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if entry.kind == "dir":
        path.mkdir(exist_ok=True)
    elif entry.kind == "link":
        os.symlink(entry.target, path)
    else:
        path.write_bytes(entry.content)
        os.chmod(path, entry.mode)
