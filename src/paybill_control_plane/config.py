"""One settings object for the whole service, read from `PAYBILL_` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Service configuration; every field maps to `PAYBILL_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="PAYBILL_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL (postgresql+psycopg://...). Unset: embedded Postgres under data_dir.",
    )
    data_dir: Path = Field(
        default=Path(".paybill"), description="Embedded Postgres data and stack dirs."
    )
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    secret_key: SecretStr | None = Field(
        default=None, description="Key material for encrypting cloud credentials at rest."
    )
    embedded_worker: bool | None = Field(
        default=None,
        description="Run a worker inside `paybill serve` (default: on with the embedded database).",
    )
    terraform_bin: str | None = None
    default_pool_capacity: int = Field(default=50, ge=1)
    run_max_attempts: int = Field(default=3, ge=1, description="Attempts before a run fails.")
    run_retry_base_seconds: float = Field(default=5, ge=0, description="Backoff base of retries.")
    worker_concurrency: int = Field(default=4, ge=1)
    stalled_job_seconds: float = Field(
        default=15,
        gt=0,
        description="A job whose worker sent no heartbeat for this long is retried.",
    )
    local_apply_delay_seconds: float = Field(
        default=0,
        ge=0,
        description="`local` cloud only: sleep during applies (demos, crash tests).",
    )
    stripe_webhook_secrets: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)
    stripe_api_key: SecretStr | None = None
    stripe_api_base: str | None = None
    stripe_webhook_tolerance_seconds: int = Field(default=300, ge=1)
    billing_grace_period_days: float = Field(default=3, ge=0)
    billing_retention_days: float = Field(default=30, ge=0)
    billing_event_max_attempts: int = Field(
        default=10,
        ge=1,
        description="Attempts at processing a Stripe event (e.g. for a customer not bound yet).",
    )
    billing_retry_base_seconds: float = Field(
        default=2, ge=0, description="Backoff base of Stripe event retries (doubles each time)."
    )
    # --- Performance (issue 11): connection pool and API key cache; see docs/performance.md ---
    db_pool_size: int = Field(
        default=20,
        ge=1,
        description="Connections each API process keeps open (workers size theirs from "
        "worker_concurrency). Covers the request concurrency, so connections are reused.",
    )
    db_max_overflow: int = Field(
        default=10,
        ge=0,
        description="Extra connections beyond db_pool_size under bursts (closed on return).",
    )
    db_pool_timeout_seconds: float = Field(
        default=10, gt=0, description="How long a request waits for a free connection."
    )
    db_pool_recycle_seconds: float = Field(
        default=1800,
        description="Connections older than this are replaced on checkout (-1: never).",
    )
    db_pool_pre_ping: bool = Field(
        default=False,
        description="Ping each connection on checkout (one extra round trip per request).",
    )
    api_key_cache_seconds: float = Field(
        default=5,
        ge=0,
        description="How long a verified API key is trusted without re-reading it (0: never "
        "cached); a revocation reaches other processes within this bound.",
    )

    @field_validator("stripe_webhook_secrets", mode="before")
    @classmethod
    def _split_secrets(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def stacks_dir(self) -> Path:
        return self.data_dir / "stacks"

    @property
    def uses_embedded_database(self) -> bool:
        return self.database_url is None

    @property
    def run_embedded_worker(self) -> bool:
        if self.embedded_worker is None:
            return self.uses_embedded_database
        return self.embedded_worker


@lru_cache
def get_settings() -> Settings:
    return Settings()
