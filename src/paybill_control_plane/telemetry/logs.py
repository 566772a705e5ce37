"""Log output: `text` for people, `json` (one object per line) for log pipelines.

Everything goes through the standard `logging` module with one handler on the root logger: uvicorn
and procrastinate already log through `logging`, so routing their loggers to the root is all it
takes for them to share the format, the context fields and the redaction. A small formatter
(instead of structlog or python-json-logger) keeps the base install free of another dependency
for what is twenty lines of `json.dumps`.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

from pydantic import SecretStr
from sqlalchemy.engine import make_url

from paybill_control_plane.config import Settings
from paybill_control_plane.kit.request_context import request_id_var, run_id_var, tenant_id_var
from paybill_control_plane.telemetry.redact import redact, register_secrets

LogFormat = Literal["text", "json"]
# Loggers that install their own handlers (uvicorn's default config) or that must go through ours.
_ROUTED = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi", "procrastinate")
# Too chatty below WARNING, and SQLAlchemy's INFO lines carry bound parameters.
_QUIETED = ("sqlalchemy", "httpx", "httpcore", "asyncio", "botocore", "urllib3")
_CONTEXT = ("request_id", "tenant_id", "run_id", "job_id")


class ContextFilter(logging.Filter):
    """Adds request_id, tenant_id, run_id (contextvars) and job_id (procrastinate's extra)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.tenant_id = tenant_id_var.get()
        record.run_id = run_id_var.get()
        job = getattr(record, "job", None)
        record.job_id = job.get("id") if isinstance(job, dict) else getattr(job, "id", None)
        return True


class RedactingFilter(logging.Filter):
    """Renders the message and any traceback now, with secrets masked, before a handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _CONTEXT:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    # UTC, like the JSON lines and every timestamp the service stores.
    converter = time.gmtime  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__("%(asctime)sZ %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        context = " ".join(
            f"{name}={value}"
            for name in _CONTEXT
            if (value := getattr(record, name, None)) is not None
        )
        return f"{line} [{context}]" if context else line


def make_handler(log_format: LogFormat, stream: TextIO | None = None) -> logging.Handler:
    """A stream handler with the context and redaction filters and the chosen formatter."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(ContextFilter())
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    return handler


def configure_logging(
    level: str, log_format: LogFormat, stream: TextIO | None = None
) -> logging.Handler:
    """Route every logger (uvicorn's and procrastinate's too) to one redacting handler."""
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "paybill", False):
            root.removeHandler(existing)
    handler = make_handler(log_format, stream)
    handler.paybill = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in _ROUTED:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    for name in _QUIETED:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    return handler


def settings_secrets(settings: Settings, database_url: str | None = None) -> list[str]:
    """Every secret value the settings hold: SecretStr fields and the database password."""
    values: list[str] = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        items = value if isinstance(value, list) else [value]
        values += [item.get_secret_value() for item in items if isinstance(item, SecretStr)]
    data_url = settings.local_data_url.get_secret_value() if settings.local_data_url else None
    for url in (settings.database_url, database_url, data_url):
        if url:
            try:
                password = make_url(url).password
            except Exception:  # noqa: S112 - an unparsable URL has no password to find
                continue
            if password:
                values.append(str(password))
    return values


def configure_from_settings(
    settings: Settings, database_url: str | None = None, stream: TextIO | None = None
) -> logging.Handler:
    """`configure_logging` with the settings' level and format, masking the settings' secrets."""
    register_secrets(settings_secrets(settings, database_url))
    return configure_logging(settings.log_level, settings.log_format, stream)
