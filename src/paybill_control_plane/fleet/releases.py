"""Module releases: immutable, content-addressed snapshots of a module's files, kept in the database.

The files live in the release row itself, so a release is written (or not) in one transaction
and stays what it was whatever later happens to `terraform-modules/`.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal, actor_name
from paybill_control_plane.errors import Conflict, NotFound, Unprocessable
from paybill_control_plane.fleet.schemas import ModuleReleaseCreate, ModuleReleaseOut
from paybill_control_plane.kit.lookup import get_or_404
from paybill_control_plane.models.fleet import ModuleRelease
from paybill_control_plane.provisioning.contract import module_dir


class ReleaseNotFound(NotFound):
    type_slug = "module-release-not-found"
    title = "Module release not found"


class ReleaseExists(Conflict):
    type_slug = "module-release-exists"
    title = "This module version is already released with other files"


class ModuleMissing(Unprocessable):
    type_slug = "module-not-found"
    title = "No such module on disk"


def digest_of(files: Mapping[str, str]) -> str:
    """sha256 over (name, sha256(content)) in name order: the planner's revision scheme."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name].encode()).digest())
    return digest.hexdigest()


def snapshot(module: str) -> dict[str, str]:
    """The `*.tf` files of `terraform-modules/<cloud>/<model>` as they are now."""
    cloud, model = module.split("/", 1)
    try:
        path = module_dir(cloud, model)
    except (FileNotFoundError, ValueError) as exc:
        raise ModuleMissing(str(exc)) from None
    files = {p.name: p.read_text() for p in sorted(path.glob("*.tf")) if p.is_file()}
    if not files:
        raise ModuleMissing(f"No Terraform module at terraform-modules/{module}.")
    return files


def release_out(release: ModuleRelease) -> ModuleReleaseOut:
    return ModuleReleaseOut.from_row(release, file_names=sorted(release.files))


async def create_release(
    session: AsyncSession, actor: Principal | str, data: ModuleReleaseCreate
) -> tuple[ModuleRelease, bool]:
    """Release a module version; the same version with the same files answers the existing one."""
    files = data.files if data.files is not None else snapshot(data.module)
    digest = digest_of(files)
    existing = await session.scalar(
        select(ModuleRelease)
        .where(ModuleRelease.module == data.module, ModuleRelease.version == data.version)
        .with_for_update()
    )
    if existing is not None:
        if existing.digest != digest:
            raise ReleaseExists(
                f"{data.module} {data.version} is released with digest {existing.digest}; "
                "a release never changes: give the new files a new version.",
                extra={"digest": existing.digest},
            )
        return existing, False
    release = ModuleRelease(
        id=uuid.uuid4(),
        module=data.module,
        version=data.version,
        digest=digest,
        notes=data.notes,
        upgradeable_from=data.upgradeable_from,
        files=files,
        created_by=actor_name(actor),
    )
    session.add(release)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="module_release.created",
        target_type="module_release",
        target_id=release.id,
        after={"module": release.module, "version": release.version, "digest": digest},
    )
    return release, True


async def get_release(session: AsyncSession, release_id: uuid.UUID) -> ModuleRelease:
    detail = f"No module release {release_id}."
    return await get_or_404(session, ModuleRelease, release_id, ReleaseNotFound, detail)
