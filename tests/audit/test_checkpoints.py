"""TRUNCATE refused; signed checkpoints outside the database reveal a removed tail."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import psycopg
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from paybill_control_plane.app import create_app
from paybill_control_plane.audit.checkpoints import (
    DirectoryStore,
    S3Store,
    verify_checkpoints,
    write_checkpoint,
)
from paybill_control_plane.audit.signing import (
    load_private_key,
    new_private_key_pem,
    public_key_info,
)
from paybill_control_plane.cli._runtime import unit_of_work
from paybill_control_plane.config import Settings
from paybill_control_plane.db.embedded import to_libpq_url
from paybill_control_plane.db.engine import make_engine, make_sessionmaker
from paybill_control_plane.worker.app import build_app
from tests.conftest import create_key_sync
from tests.db import create_database, drop_database
from tests.live import Api, LiveServer


@pytest.fixture
def own_database() -> Iterator[str]:
    url = create_database("ckpt")
    yield url
    drop_database(url)


@pytest.fixture(scope="module")
def key_pem() -> str:
    return new_private_key_pem()


def paybill(url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "paybill_control_plane.cli.main", *args],
        env={**os.environ, "PAYBILL_DATABASE_URL": url, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_truncate_is_refused(own_database: str) -> None:
    with (
        psycopg.connect(to_libpq_url(own_database), autocommit=True) as conn,
        pytest.raises(psycopg.errors.RaiseException, match="TRUNCATE refused"),
    ):
        conn.execute("TRUNCATE audit_events")


@pytest.mark.slow
def test_checkpoints_reveal_a_removed_tail_and_an_altered_checkpoint(
    own_database: str, key_pem: str, tmp_path: Path
) -> None:
    env = {"PAYBILL_AUDIT_SIGNING_KEY": key_pem, "PAYBILL_AUDIT_CHECKPOINT_DIR": str(tmp_path)}
    assert paybill(own_database, "catalog", "apply", "examples/catalog.yaml").returncode == 0
    written = paybill(own_database, "audit", "checkpoint", **env)
    assert written.returncode == 0, written.stderr
    assert "checkpoint seq=13 written to" in written.stdout
    assert key_pem.splitlines()[1] not in written.stdout + written.stderr
    (checkpoint,) = tmp_path.glob("checkpoint-*.json")
    assert checkpoint.stat().st_mode & 0o222 == 0  # read-only from birth

    ok = paybill(own_database, "audit", "verify", "--checkpoints", str(tmp_path), **env)
    assert ok.returncode == 0, ok.stderr
    assert "13 events verified" in ok.stdout and "1 checkpoints verified" in ok.stdout

    # A superuser removes the tail with every trigger off: the rows left still chain.
    with psycopg.connect(to_libpq_url(own_database), autocommit=True) as conn:
        conn.execute("ALTER TABLE audit_events DISABLE TRIGGER ALL")
        conn.execute("DELETE FROM audit_events WHERE seq > 7")
        conn.execute("ALTER TABLE audit_events ENABLE TRIGGER ALL")
    chain_only = paybill(own_database, "audit", "verify")
    assert chain_only.returncode == 0  # what the chain alone cannot see
    cut = paybill(own_database, "audit", "verify", "--checkpoints", str(tmp_path), **env)
    assert cut.returncode == 1
    assert checkpoint.name in cut.stderr and "seq=13" in cut.stderr
    assert "no longer holds" in cut.stderr

    # A forged checkpoint (a lower seq, to hide the cut) fails its signature.
    document = json.loads(checkpoint.read_text())
    document["checkpoint"]["seq"] = 7
    checkpoint.chmod(0o644)
    checkpoint.write_text(json.dumps(document))
    forged = paybill(own_database, "audit", "verify", "--checkpoints", str(tmp_path), **env)
    assert forged.returncode == 1
    assert checkpoint.name in forged.stderr and "signature does not verify" in forged.stderr


def test_a_checkpoint_file_is_never_overwritten(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    store.put("checkpoint-x.json", b"first")
    with pytest.raises(FileExistsError):
        store.put("checkpoint-x.json", b"second")
    assert (tmp_path / "checkpoint-x.json").read_bytes() == b"first"


def test_s3_checkpoints_are_object_locked_and_verify(database_url: str, key_pem: str) -> None:
    key = load_private_key(key_pem)

    async def scenario(store: S3Store) -> tuple[int, list[str]]:
        async with unit_of_work(database_url) as session:
            checkpoint, places = await write_checkpoint(session, key, [store])
            assert places == [f"s3://audit-bucket/ckpt/{checkpoint.name}"]
            checked, failures = await verify_checkpoints(
                session, store.documents(), key.public_key()
            )
            return checked, [f.reason for f in failures]

    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-1")
        client.create_bucket(
            Bucket="audit-bucket",
            CreateBucketConfiguration={"LocationConstraint": "eu-west-1"},
            ObjectLockEnabledForBucket=True,
        )
        store = S3Store("audit-bucket", "ckpt/", 30, client=client)
        checked, failures = asyncio.run(scenario(store))
        assert (checked, failures) == (1, [])
        (item,) = client.list_objects_v2(Bucket="audit-bucket")["Contents"]
        head = client.head_object(Bucket="audit-bucket", Key=item["Key"])
        assert head["ObjectLockMode"] == "COMPLIANCE"
        with pytest.raises(ClientError, match="AccessDenied"):  # locked: not even deletable
            client.delete_object(
                Bucket="audit-bucket", Key=item["Key"], VersionId=head["VersionId"]
            )


def test_public_key_endpoint_and_periodic_task(
    database_url: str, key_pem: str, tmp_path: Path, admin: Api
) -> None:
    missing = admin.get("/v1/audit/public-key")  # the session's app has no key
    assert missing.status_code == 404
    assert missing.json()["type"].endswith("/audit-signing-key-not-configured")

    settings = Settings(
        database_url=database_url,
        embedded_worker=False,
        audit_signing_key=key_pem,
        audit_checkpoint_dir=tmp_path,
    )
    server = LiveServer(create_app(settings)).start()
    try:
        with Api(server.url, create_key_sync(database_url, "viewer")) as viewer:
            response = viewer.get("/v1/audit/public-key")
        with Api(server.url, None) as anon:
            assert anon.get("/v1/audit/public-key").status_code == 401
    finally:
        server.stop()
    assert response.status_code == 200, response.text
    body = response.json()
    info = public_key_info(load_private_key(key_pem).public_key())
    assert body == {
        "algorithm": "Ed25519",
        "public_key_pem": info.pem,
        "key_id": info.key_id,
        "fingerprint": info.fingerprint,
    }
    assert "PRIVATE" not in response.text and key_pem.splitlines()[1] not in response.text

    async def run_task() -> None:
        engine = make_engine(database_url)
        try:
            jobs = build_app(database_url, make_sessionmaker(engine), settings)
            await jobs.tasks["audit.checkpoint"](timestamp=0)
        finally:
            await engine.dispose()
        assert any(
            p.task.name == "audit.checkpoint"
            for p in jobs.periodic_registry.periodic_tasks.values()
        )

    asyncio.run(run_task())
    (written,) = tmp_path.glob("checkpoint-*.json")  # the job itself wrote one
    assert json.loads(written.read_text())["checkpoint"]["key_id"] == info.key_id
