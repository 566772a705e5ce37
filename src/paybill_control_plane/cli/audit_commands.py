"""`paybill audit`: verify the hash chain and the signed checkpoints, write checkpoints."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from paybill_control_plane.audit.checkpoints import (
    CheckpointFailure,
    S3Store,
    directory_documents,
    signing_key,
    stores_for,
    verify_checkpoints,
    write_checkpoint,
)
from paybill_control_plane.audit.service import verify_chain
from paybill_control_plane.audit.signing import (
    SigningKeyError,
    load_private_key,
    load_public_key,
    new_private_key_pem,
    public_key_info,
)
from paybill_control_plane.cli._runtime import fail, run, unit_of_work
from paybill_control_plane.config import get_settings

audit_app = typer.Typer(help="The audit log", no_args_is_help=True)


def _public_key(public_key: Path | None) -> Ed25519PublicKey:
    try:
        if public_key is not None:
            return load_public_key(public_key.read_bytes())
        key = signing_key(get_settings())
    except (SigningKeyError, OSError) as exc:
        raise fail(f"cannot read the checkpoint key: {exc}", 2) from None
    if key is None:
        raise fail("give --public-key, or set PAYBILL_AUDIT_SIGNING_KEY, to verify checkpoints", 2)
    return key.public_key()


def _documents(source: str) -> Iterable[tuple[str, bytes]]:
    if source.startswith("s3://"):
        bucket, _, prefix = source.removeprefix("s3://").partition("/")
        return list(S3Store(bucket, prefix, 1).documents())
    directory = Path(source)
    if not directory.is_dir():
        raise fail(f"{source}: not a directory of checkpoints", 2)
    return list(directory_documents(directory))


@audit_app.command("verify")
def audit_verify(
    checkpoints: Annotated[
        str | None,
        typer.Option(help="Checkpoint directory, or s3://bucket/prefix, to check against"),
    ] = None,
    public_key: Annotated[
        Path | None,
        typer.Option(help="PEM public key (GET /v1/audit/public-key); default: from the key"),
    ] = None,
) -> None:
    """Recompute the audit hash chain (and check the signed checkpoints); exit 1 naming the
    first bad row or every failed checkpoint."""
    key = _public_key(public_key) if checkpoints else None
    documents = _documents(checkpoints) if checkpoints else []

    async def verify() -> tuple[int, str | None, int, list[str]]:
        async with unit_of_work() as session:
            report = await verify_chain(session)
            problem = None
            if report.problem is not None:
                p = report.problem
                problem = f"row seq={p.seq} id={p.event_id}: {p.reason}"
            count, failures = 0, list[CheckpointFailure]()
            if key is not None:
                count, failures = await verify_checkpoints(session, documents, key)
            return report.checked, problem, count, [f"{f.where}: {f.reason}" for f in failures]

    checked, problem, count, failures = run(verify)
    for failure in failures:
        typer.secho(f"checkpoint FAILED {failure}", err=True, fg=typer.colors.RED)
    if problem:
        raise fail(f"audit chain BROKEN after {checked} good rows; first bad {problem}")
    if failures:
        raise fail(f"{len(failures)} of {count} checkpoints failed")
    typer.echo(f"audit chain intact: {checked} events verified")
    if checkpoints:
        typer.echo(f"{count} checkpoints verified")


@audit_app.command("checkpoint")
def audit_checkpoint() -> None:
    """Sign the chain head and write it to PAYBILL_AUDIT_CHECKPOINT_DIR / _S3_BUCKET."""
    settings = get_settings()
    try:
        key = signing_key(settings)
    except SigningKeyError as exc:
        raise fail(str(exc), 2) from None
    stores = stores_for(settings)
    if key is None or not stores:
        raise fail(
            "set PAYBILL_AUDIT_SIGNING_KEY and PAYBILL_AUDIT_CHECKPOINT_DIR (or "
            "PAYBILL_AUDIT_CHECKPOINT_S3_BUCKET) to write checkpoints",
            2,
        )

    async def write() -> tuple[int, list[str]]:
        async with unit_of_work() as session:
            checkpoint, places = await write_checkpoint(session, key, stores)
            return checkpoint.seq, places

    seq, places = run(write)
    for place in places:
        typer.echo(f"checkpoint seq={seq} written to {place}")


@audit_app.command("keygen")
def audit_keygen() -> None:
    """Print a new Ed25519 private key (PEM) for PAYBILL_AUDIT_SIGNING_KEY, and its id."""
    pem = new_private_key_pem()
    info = public_key_info(load_private_key(pem).public_key())
    typer.echo(pem, nl=False)
    typer.echo(f"key id: {info.key_id}", err=True)
