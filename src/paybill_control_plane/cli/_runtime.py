"""What every CLI command needs: settings, the database URL, a unit of work, clean failures."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import psycopg
import psycopg.errors
import typer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncSession
from typer.core import TyperGroup

from paybill_control_plane.config import get_settings
from paybill_control_plane.db.engine import make_engine, make_sessionmaker, resolve_database_url
from paybill_control_plane.errors import ControlPlaneError
from paybill_control_plane.events import outbox  # noqa: F401  (outbound events of CLI changes)
from paybill_control_plane.licences import renewal  # noqa: F401  (licence renewals, likewise)

T = TypeVar("T")

# Exit codes (docs/cli.md): scripts tell "fix your input" from "fix your database" from "refused".
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_DATABASE = 3

DRIVER = "postgresql+psycopg"
# Connection exceptions (08), bad credentials (28), unknown database (3D), starting up (57P03).
_CONNECT_SQLSTATE_CLASSES = ("08", "28", "3D")
_SECRET_QUERY_KEYS = frozenset({"password", "sslpassword", "passfile"})

# The URL the running command resolved, for the error line (a command's asyncio.run() would
# not hand a ContextVar set inside it back out, so a plain holder: the CLI is one thread).
_resolved: dict[str, str] = {}


class DatabaseUnavailable(Exception):
    """The database URL cannot be used at all; `str()` is the line to print."""


def redact_url(url: str) -> str:
    """The URL without its password (also none from the query string), fit to print."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "<PAYBILL_DATABASE_URL, not a URL>"
    query = {k: v for k, v in parsed.query.items() if k.lower() not in _SECRET_QUERY_KEYS}
    # URL.set() ignores None, so the password is dropped with the tuple's _replace.
    return parsed._replace(password=None).set(query=query).render_as_string(hide_password=False)


def check_database_url(url: str) -> None:
    """Refuse a URL this service cannot use before anything tries to connect with it."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnavailable(
            "PAYBILL_DATABASE_URL is not a database URL "
            f"(expected {DRIVER}://user:password@host:5432/database)"
        ) from None
    if parsed.drivername != DRIVER:
        raise DatabaseUnavailable(
            f"PAYBILL_DATABASE_URL {redact_url(url)} uses '{parsed.drivername}'; "
            f"this service speaks {DRIVER}:// only"
        )


def database_url() -> str:
    url = resolve_database_url(get_settings())
    check_database_url(url)
    _resolved["url"] = url
    return url


def _is_connect_error(exc: psycopg.OperationalError) -> bool:
    # A failed connect carries no SQLSTATE; a server that refuses the login or the database does.
    state = exc.sqlstate
    return state is None or state.startswith(_CONNECT_SQLSTATE_CLASSES) or state == "57P03"


def _causes(exc: BaseException) -> list[BaseException]:
    """`exc` and everything behind it: SQLAlchemy keeps the driver's error in `orig`."""
    seen: dict[int, BaseException] = {}
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen[id(current)] = current
        for linked in (getattr(current, "orig", None), current.__cause__, current.__context__):
            if isinstance(linked, BaseException):
                pending.append(linked)
    return list(seen.values())


def connection_failure(exc: BaseException) -> str | None:
    """Why the database could not be reached, when that is what `exc` (or its causes) means."""
    for current in _causes(exc):
        if isinstance(current, psycopg.OperationalError) and _is_connect_error(current):
            lines = [line.strip() for line in str(current).splitlines() if line.strip()]
            reason = lines[0] if lines else type(current).__name__
            return reason.removeprefix("connection failed: ")
    return None


def _missing_schema(exc: BaseException) -> bool:
    return any(isinstance(c, psycopg.errors.UndefinedTable) for c in _causes(exc))


def _without_password(text: str, url: str | None) -> str:
    if url:
        try:
            password = make_url(url).password
        except ArgumentError:
            password = None
        if password:
            text = text.replace(str(password), "***")
    return text


class CliGroup(TyperGroup):
    """The root command: fresh settings per invocation, and one clean line for database failures."""

    # `ctx` is click's Context, which recent typer vendors privately: typed Any, not imported.
    def invoke(self, ctx: Any) -> Any:
        # A CLI reads its environment per invocation (tests run many in one process).
        get_settings.cache_clear()
        _resolved.clear()
        try:
            return self._invoke_once(ctx)
        finally:
            get_settings.cache_clear()

    def _invoke_once(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except DatabaseUnavailable as exc:
            message = str(exc)
        except ControlPlaneError as exc:
            # The API's expected failures (not found, invalid transition…): its detail and slug.
            raise fail(f"{exc.detail} [{exc.type_slug}]") from None
        except Exception as exc:
            reason = connection_failure(exc)
            url = _resolved.get("url") or get_settings().database_url
            where = redact_url(url) if url else "the embedded database"
            if reason is not None:
                message = f"cannot connect to the database at {where}: {reason}"
            elif _missing_schema(exc):
                message = f"the database at {where} has no schema yet: run `paybill db upgrade`"
            else:
                raise
        url = _resolved.get("url") or get_settings().database_url
        typer.echo(f"error: {_without_password(message, url)}", err=True)
        raise typer.Exit(EXIT_DATABASE)


def fail(message: str, code: int = EXIT_FAILED) -> typer.Exit:
    """Print `error: message` on stderr and return the exit to raise."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


@asynccontextmanager
async def unit_of_work(url: str | None = None) -> AsyncIterator[AsyncSession]:
    engine = make_engine(url or database_url(), pool_size=2)
    try:
        sessionmaker = make_sessionmaker(engine)
        async with sessionmaker() as session, session.begin():
            yield session
    finally:
        await engine.dispose()


def run(fn: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(fn())  # type: ignore[arg-type]
