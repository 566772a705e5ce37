"""Schema releases: the application's ordered SQL migrations for every tenant database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal, actor_name
from paybill_control_plane.errors import Conflict
from paybill_control_plane.fleet.schema_apply import checksum_of
from paybill_control_plane.fleet.schemas import SchemaReleaseCreate
from paybill_control_plane.models.fleet import SchemaMigration


class MigrationChanged(Conflict):
    type_slug = "schema-migration-changed"
    title = "A released migration cannot change"


async def release(
    session: AsyncSession, actor: Principal | str, data: SchemaReleaseCreate
) -> list[SchemaMigration]:
    """Record new migrations; already released ones must be byte-identical (same checksum)."""
    existing = {
        m.version: m
        for m in await session.scalars(
            select(SchemaMigration).order_by(SchemaMigration.version).with_for_update()
        )
    }
    new: list[SchemaMigration] = []
    for item in sorted(data.migrations, key=lambda m: m.version):
        checksum = checksum_of(item.sql)
        known = existing.get(item.version)
        if known is not None:
            if known.checksum != checksum:
                raise MigrationChanged(
                    f"Migration {item.version} was released with checksum {known.checksum}; "
                    "release the change as a new version.",
                    extra={"version": item.version, "checksum": known.checksum},
                )
            continue
        if existing and item.version < max(existing):
            raise MigrationChanged(
                f"Migration {item.version} comes before the released {max(existing)}: "
                "migrations are released in order.",
                extra={"version": item.version},
            )
        row = SchemaMigration(
            version=item.version,
            name=item.name,
            sql=item.sql,
            checksum=checksum,
            created_by=actor_name(actor),
        )
        session.add(row)
        existing[item.version] = row
        new.append(row)
    await session.flush()
    if new:
        await audit.record(
            session, actor=actor, action="schema_release.created", target_type="schema_release",
            target_id=str(max(m.version for m in new)),
            after={"versions": [m.version for m in new], "checksums": [m.checksum for m in new]},
        )  # fmt: skip
    return sorted(existing.values(), key=lambda m: m.version)


async def all_migrations(session: AsyncSession) -> list[SchemaMigration]:
    return list(await session.scalars(select(SchemaMigration).order_by(SchemaMigration.version)))
