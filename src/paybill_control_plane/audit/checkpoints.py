"""Signed audit checkpoints, kept outside the database.

The hash chain shows a row altered or removed in the middle, but not a tail cut off (even with
the triggers disabled by a superuser): the rows left still form a valid chain. A checkpoint is
the chain head (sequence number, row hash, time) signed with an Ed25519 key the database never
sees, written where the database's owner cannot rewrite it: an append-only directory (one file
per checkpoint, created with O_EXCL) and/or an S3 bucket with object lock. `verify_checkpoints`
then fails when the database no longer holds a row a checkpoint covered, or holds another one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import repository
from paybill_control_plane.audit.signing import load_private_key, public_key_info, sign, verify
from paybill_control_plane.config import Settings
from paybill_control_plane.kit.canonical import canonical_json

FORMAT = "paybill-audit-checkpoint/1"


@dataclass(frozen=True)
class Checkpoint:
    seq: int  # the chain head's seq (0: the chain was empty)
    row_hash: str
    created_at: datetime
    key_id: str

    def payload(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "seq": self.seq,
            "row_hash": self.row_hash,
            "created_at": self.created_at.astimezone(UTC).isoformat(),
            "key_id": self.key_id,
        }

    @property
    def name(self) -> str:
        """Sortable by seq then time; unique per signing moment."""
        stamp = self.created_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        return f"checkpoint-{self.seq:020d}-{stamp}.json"


def signed_document(checkpoint: Checkpoint, key: Ed25519PrivateKey) -> bytes:
    payload = checkpoint.payload()
    signature = sign(key, canonical_json(payload).encode())
    return (canonical_json({"checkpoint": payload, "signature": signature}) + "\n").encode()


class CheckpointStore(Protocol):
    def put(self, name: str, document: bytes) -> str:
        """Store one checkpoint that must never be overwritten; return where it went."""
        ...


class DirectoryStore:
    """One file per checkpoint, created with O_EXCL (an existing name is never overwritten)
    and read-only, fsynced with its directory entry."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def put(self, name: str, document: bytes) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
        try:
            os.write(fd, document)
            os.fsync(fd)
        finally:
            os.close(fd)
        dir_fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return str(path)


class S3Store:
    """An S3 bucket with object lock: each checkpoint is put under COMPLIANCE retention, which
    nobody (not even the account root) can shorten or delete before it ends."""

    def __init__(self, bucket: str, prefix: str, retention_days: int, client: Any = None) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self.retention_days = retention_days
        self._client = client

    def client(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client("s3")
        return self._client

    def put(self, name: str, document: bytes) -> str:
        key = f"{self.prefix}{name}"
        self.client().put_object(
            Bucket=self.bucket,
            Key=key,
            Body=document,
            ContentType="application/json",
            ChecksumAlgorithm="SHA256",  # object lock requires an integrity checksum
            ObjectLockMode="COMPLIANCE",
            ObjectLockRetainUntilDate=datetime.now(UTC) + timedelta(days=self.retention_days),
        )
        return f"s3://{self.bucket}/{key}"

    def documents(self) -> Iterable[tuple[str, bytes]]:
        pages = self.client().get_paginator("list_objects_v2")
        for page in pages.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                body = self.client().get_object(Bucket=self.bucket, Key=item["Key"])["Body"]
                yield f"s3://{self.bucket}/{item['Key']}", body.read()


async def write_checkpoint(
    session: AsyncSession,
    key: Ed25519PrivateKey,
    stores: Sequence[CheckpointStore],
    now: datetime | None = None,
) -> tuple[Checkpoint, list[str]]:
    """Sign the current chain head and put it in every store; return where it went."""
    if not stores:
        raise ValueError("no checkpoint destination is configured")
    seq, row_hash = await repository.chain_head(session)
    checkpoint = Checkpoint(
        seq=seq,
        row_hash=row_hash,
        created_at=now or datetime.now(UTC),
        key_id=public_key_info(key.public_key()).key_id,
    )
    document = signed_document(checkpoint, key)
    return checkpoint, [store.put(checkpoint.name, document) for store in stores]


# -- verification -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckpointFailure:
    where: str
    reason: str


def directory_documents(directory: Path) -> Iterable[tuple[str, bytes]]:
    for path in sorted(directory.glob("checkpoint-*.json")):
        yield str(path), path.read_bytes()


def _parse(where: str, document: bytes, key: Ed25519PublicKey) -> Checkpoint | CheckpointFailure:
    try:
        outer = json.loads(document)
        payload, signature = outer["checkpoint"], outer["signature"]
        if payload.get("format") != FORMAT:
            return CheckpointFailure(where, "not a checkpoint of a known format")
        checkpoint = Checkpoint(
            seq=int(payload["seq"]),
            row_hash=str(payload["row_hash"]),
            created_at=datetime.fromisoformat(payload["created_at"]),
            key_id=str(payload["key_id"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return CheckpointFailure(where, "not a readable checkpoint")
    if not verify(key, canonical_json(payload).encode(), str(signature)):
        return CheckpointFailure(
            where, f"signature does not verify (seq={checkpoint.seq}): the file was altered"
        )
    if checkpoint.key_id != public_key_info(key).key_id:
        return CheckpointFailure(where, f"signed by key {checkpoint.key_id}, not this key")
    return checkpoint


async def verify_checkpoints(
    session: AsyncSession, documents: Iterable[tuple[str, bytes]], key: Ed25519PublicKey
) -> tuple[int, list[CheckpointFailure]]:
    """Check every checkpoint's signature, and that the database still holds the row it
    covered, with the same hash: (checkpoints checked, failures)."""
    failures: list[CheckpointFailure] = []
    checked = 0
    for where, document in documents:
        checked += 1
        parsed = _parse(where, document, key)
        if isinstance(parsed, CheckpointFailure):
            failures.append(parsed)
            continue
        if parsed.seq == 0:
            continue  # taken of an empty chain: it covers no row
        held = await repository.row_hash_at(session, parsed.seq)
        if held is None:
            failures.append(
                CheckpointFailure(
                    where,
                    f"covers seq={parsed.seq}, which the database no longer holds: "
                    "audit rows were removed",
                )
            )
        elif held != parsed.row_hash:
            failures.append(
                CheckpointFailure(
                    where,
                    f"seq={parsed.seq} has another hash than when it was signed: the chain "
                    "was rewritten",
                )
            )
    return checked, failures


# -- configuration ----------------------------------------------------------------------------


def signing_key(settings: Settings) -> Ed25519PrivateKey | None:
    """The configured key (SigningKeyError when it cannot be read), None when unset."""
    if settings.audit_signing_key is None:
        return None
    return load_private_key(settings.audit_signing_key.get_secret_value())


def stores_for(settings: Settings) -> list[CheckpointStore]:
    stores: list[CheckpointStore] = []
    if settings.audit_checkpoint_dir is not None:
        stores.append(DirectoryStore(settings.audit_checkpoint_dir))
    if settings.audit_checkpoint_s3_bucket:
        stores.append(
            S3Store(
                settings.audit_checkpoint_s3_bucket,
                settings.audit_checkpoint_s3_prefix,
                settings.audit_checkpoint_retention_days,
            )
        )
    return stores
