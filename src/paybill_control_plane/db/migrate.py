"""Running the Alembic migrations from code (CLI, embedded start-up, tests).

``serve`` and ``worker`` both migrate at start; processes started together on a fresh database
would all try to create ``alembic_version`` and all but one would fail. The upgrade is therefore
serialised with a session-level Postgres advisory lock held on a connection of its own: the
first process migrates, the others wait and then find nothing left to do.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, pool, text

from paybill_control_plane.resources import alembic_ini, migrations_dir

log = logging.getLogger(__name__)

#: Advisory-lock key of the migration lock (advisory locks are per database, so per deployment).
#: Any constant works as long as every version of the service uses the same one.
MIGRATION_LOCK_KEY: Final[int] = 0x7061_7962_696C_6C01  # "paybill" + 1


def alembic_config(database_url: str) -> Config:
    config = Config(str(alembic_ini()))
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["database_url"] = database_url
    return config


@contextmanager
def migration_lock(database_url: str) -> Iterator[None]:
    """Hold the migration advisory lock for the duration of the block."""
    # AUTOCOMMIT: a session-level lock outlives transactions, and an idle-in-transaction
    # connection would hold back vacuum for as long as the upgrade takes.
    engine = create_engine(database_url, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            key = {"key": MIGRATION_LOCK_KEY}
            if not conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), key):
                log.info("another process is migrating this database; waiting for it")
                conn.execute(text("SELECT pg_advisory_lock(:key)"), key)
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), key)
    finally:
        engine.dispose()


def upgrade(database_url: str, revision: str = "heads") -> None:
    with migration_lock(database_url):
        command.upgrade(alembic_config(database_url), revision)


def check(database_url: str) -> None:
    """Raise if the models and the migrations disagree."""
    command.check(alembic_config(database_url))
