"""Where snapshot files live: a directory (default: `<data_dir>/snapshots`) or an S3 bucket.

A dump is written to a staging name (`….partial`), fsynced, and only then published under its
final name (an atomic rename in the same directory, or an upload followed by the staging file's
removal). The database row says which snapshots are good; a name that is not in a completed row is
never read, and a retried job removes its own partial file first.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path
from typing import Any, Protocol

from paybill_control_plane.config import Settings

PARTIAL = ".partial"


def object_name(tenant_id: uuid.UUID, snapshot_id: uuid.UUID) -> str:
    return f"{tenant_id}/{snapshot_id}.dump"


class SnapshotStore(Protocol):
    def staging_path(self, name: str) -> Path:
        """A local path to write the dump to (its directory exists)."""
        ...

    async def publish(self, staged: Path, name: str) -> str:
        """Make the staged, fsynced file the object `name`; returns its location."""
        ...

    async def fetch(self, location: str, scratch: Path) -> Path:
        """A local path holding the object (`scratch` if it had to be copied)."""
        ...

    async def delete(self, location: str) -> None:
        """Remove the object; absent is fine."""
        ...


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalStore:
    def __init__(self, root: Path) -> None:
        self.root = root.expanduser().resolve()

    def staging_path(self, name: str) -> Path:
        path = self.root / (name + PARTIAL)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    async def publish(self, staged: Path, name: str) -> str:
        final = self.root / name
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, final)
        await asyncio.to_thread(_fsync_dir, final.parent)
        return str(final)

    async def fetch(self, location: str, scratch: Path) -> Path:
        path = Path(location)
        if not await asyncio.to_thread(path.is_file):
            raise FileNotFoundError(f"snapshot file {location} is missing")
        return path

    async def delete(self, location: str) -> None:
        await asyncio.to_thread(Path(location).unlink, missing_ok=True)


class S3Store:
    def __init__(
        self, bucket: str, prefix: str, staging: Path, endpoint_url: str | None = None
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.staging = staging.expanduser().resolve()
        self.endpoint_url = endpoint_url
        self._client: Any = None

    def client(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client("s3", endpoint_url=self.endpoint_url)
        return self._client

    def staging_path(self, name: str) -> Path:
        path = self.staging / (name + PARTIAL)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def _split(self, location: str) -> tuple[str, str]:
        bucket, _, key = location.removeprefix("s3://").partition("/")
        return bucket, key

    async def publish(self, staged: Path, name: str) -> str:
        key = self.prefix + name
        await asyncio.to_thread(self.client().upload_file, str(staged), self.bucket, key)
        await asyncio.to_thread(staged.unlink, missing_ok=True)
        return f"s3://{self.bucket}/{key}"

    async def fetch(self, location: str, scratch: Path) -> Path:
        bucket, key = self._split(location)
        scratch.parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(self.client().download_file, bucket, key, str(scratch))
        return scratch

    async def delete(self, location: str) -> None:
        bucket, key = self._split(location)
        await asyncio.to_thread(self.client().delete_object, Bucket=bucket, Key=key)


def snapshots_dir(settings: Settings) -> Path:
    return settings.data_dir / "snapshots"


def store_for(settings: Settings) -> LocalStore | S3Store:
    """The configured store: `PAYBILL_SNAPSHOT_STORE` (a directory or s3://bucket/prefix)."""
    configured = settings.snapshot_store
    if configured and configured.startswith("s3://"):
        bucket, _, prefix = configured.removeprefix("s3://").partition("/")
        return S3Store(
            bucket,
            prefix,
            snapshots_dir(settings) / "staging",
            settings.snapshot_s3_endpoint_url,
        )
    return LocalStore(Path(configured) if configured else snapshots_dir(settings))
