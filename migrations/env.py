"""Alembic environment: runs on the configured (or embedded) Postgres, models imported for autogenerate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from paybill_control_plane import models  # noqa: F401  (registers every table)
from paybill_control_plane.config import get_settings
from paybill_control_plane.db.base import Base
from paybill_control_plane.db.engine import resolve_database_url

config = context.config
target_metadata = Base.metadata

# Schemas owned by other tools (procrastinate's tables, Terraform's state) are not ours to diff.
_FOREIGN_TABLE_PREFIXES = ("procrastinate_",)


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    return not (type_ == "table" and name and name.startswith(_FOREIGN_TABLE_PREFIXES))


def _url() -> str:
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    return url or resolve_database_url(get_settings())


def run_migrations_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata, include_object=include_object
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as conn:
        context.configure(
            connection=conn, target_metadata=target_metadata, include_object=include_object
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
