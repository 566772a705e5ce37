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
    # -- billing security: checkout sessions the control plane creates (billing branch)
    stripe_trust_client_reference: bool = Field(
        default=False,
        description="Bind a completed Checkout Session the control plane did not create by its "
        "client_reference_id / metadata (the pre-hardening behaviour). Off: such a session binds "
        "nothing and its event is marked failed.",
    )
    # -- operations: logs, metrics (docs/operations.md) --
    log_format: Literal["text", "json"] = Field(
        default="text", description="`json`: one JSON object per log line, for log pipelines."
    )
    stuck_run_seconds: float = Field(
        default=3600,
        gt=0,
        description="A `running` run older than this counts as stuck in paybill_runs_stuck.",
    )
    worker_metrics_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="`paybill worker` serves its Prometheus metrics on this port (unset: off).",
    )
    # -- Idempotency-Key and per-key rate limits (docs/idempotency-and-rate-limits.md) --
    idempotency_ttl_hours: float = Field(
        default=24, gt=0, description="How long a POST's first response is kept for replays."
    )
    idempotency_wait_seconds: float = Field(
        default=5,
        ge=0,
        description="How long a duplicate waits for the first request before a 409 in-flight.",
    )
    rate_limit_window_seconds: int = Field(default=60, ge=1, description="Rate-limit window.")
    rate_limit_admin: int = Field(default=1200, ge=0, description="Requests per window (0: off).")
    rate_limit_operator: int = Field(default=1200, ge=0)
    rate_limit_viewer: int = Field(default=600, ge=0)
    rate_limit_billing: int = Field(default=600, ge=0)
    rate_limit_tenant: int = Field(default=300, ge=0)

    # -- hardening: egress guard and signed audit checkpoints (docs/security.md) --
    allow_insecure_endpoint_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated host[:port] a cloud target may reach over plain http and "
        "at private/loopback addresses (emulators, private endpoints). Default: none.",
    )
    audit_signing_key: SecretStr | None = Field(
        default=None,
        description="Ed25519 private key (PEM, or base64 of the 32 raw bytes) signing audit "
        "checkpoints. Never logged nor returned.",
    )
    audit_checkpoint_dir: Path | None = Field(
        default=None, description="Directory audit checkpoints are written to (append-only)."
    )
    audit_checkpoint_s3_bucket: str | None = Field(
        default=None, description="S3 bucket (with object lock) audit checkpoints are put in."
    )
    audit_checkpoint_s3_prefix: str = Field(default="audit-checkpoints/")
    audit_checkpoint_retention_days: int = Field(
        default=2555, ge=1, description="S3 object-lock retention (COMPLIANCE) of a checkpoint."
    )
    audit_checkpoint_cron: str = Field(
        default="0 * * * *",
        description="When workers write a checkpoint (cron, UTC); needs a key and a destination.",
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

    # --- Performance, second round (issue 11): batched rate-limit counts; docs/performance.md ---
    rate_limit_flush_seconds: float = Field(
        default=0.2,
        ge=0,
        description="How often each API process adds its locally counted requests to the "
        "shared per-key counters (0: every request is counted in Postgres at once). Bounds "
        "how far several processes together may over-admit a key.",
    )

    # --- Operator console (issue 17): docs/console.md ---
    console_enabled: bool = Field(
        default=True, description="Serve the operator console under /console."
    )
    console_idle_timeout_seconds: int = Field(
        default=1800,
        ge=60,
        description="A console session unused for this long is signed out.",
    )
    console_session_max_seconds: int = Field(
        default=43200,
        ge=300,
        description="A console session ends this long after sign-in, however active.",
    )

    @field_validator("stripe_webhook_secrets", "allow_insecure_endpoint_hosts", mode="before")
    @classmethod
    def _split_comma_list(cls, value: object) -> object:
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
