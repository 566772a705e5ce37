"""Google Cloud managed databases: Cloud SQL for PostgreSQL over the Cloud SQL Admin REST API
and the admin password from Secret Manager, both with google-auth's ``AuthorizedSession`` and
the adapter's service account (google-auth comes with the adapter's SDK: no extra package).

* snapshot = an on-demand backup run (``backupRuns.insert``); Cloud SQL numbers backup runs
  itself, so the caller's name is the run's ``description`` and finds it again;
* restore = ``instances.clone`` into a new instance at the backup run's ``endTime`` (Cloud SQL
  restores a backup only over an existing instance; a clone at that point in time is its
  restore-to-new, and needs point-in-time recovery on, which the modules turn on);
* ``database_instance_id`` is the instance's connection name ``project:region:instance``;
  ``database_admin_secret`` a Secret Manager name ``projects/<p>/secrets/<s>[/versions/<v>]``.

Target settings ``sqladmin_endpoint`` / ``secretmanager_endpoint`` override the API URLs
(checked by the egress guard like ``endpoint_url``).
"""

from __future__ import annotations

import base64
from typing import Any

from .base import CloudError, CloudTargetConfig, Credentials
from .gcp import CLOUD, service_account_credentials
from .managed_db import InstanceSnapshot, ManagedInstance, SnapshotState

SQLADMIN = "https://sqladmin.googleapis.com"
SECRETMANAGER = "https://secretmanager.googleapis.com"
_STATES = {
    "SUCCESSFUL": SnapshotState.available,
    "ENQUEUED": SnapshotState.creating,
    "RUNNING": SnapshotState.creating,
    "SKIPPED": SnapshotState.failed,
    "FAILED": SnapshotState.failed,
}


class GcpSqlOps:
    cloud = CLOUD
    instance_snapshots = True

    def _call(
        self,
        target: CloudTargetConfig,
        creds: Credentials,
        method: str,
        url: str,
        body: dict[str, Any] | None = None,
        *,
        missing_ok: bool = False,
    ) -> dict[str, Any] | None:
        import requests
        from google.auth.transport.requests import AuthorizedSession

        credentials, _ = service_account_credentials(creds)
        session = AuthorizedSession(credentials)  # type: ignore[no-untyped-call]
        try:
            response = session.request(method, url, json=body, timeout=60)  # type: ignore[no-untyped-call]
        except requests.RequestException as exc:
            raise CloudError(
                CLOUD, f"{type(exc).__name__}: cannot reach the API", code="unreachable",
                retryable=True,
            ) from None  # fmt: skip
        if response.status_code == 404 and missing_ok:
            return None
        if response.status_code >= 400:
            status = response.status_code
            try:
                error = response.json().get("error", {})
            except ValueError:
                error = {}
            code = str(error.get("status") or status)
            raise CloudError(
                CLOUD, f"{method} {url.split('?')[0]} failed: {status} {error.get('message', '')}",
                code=code, retryable=status == 429 or status >= 500,
            )  # fmt: skip
        return dict(response.json() or {}) if response.content else {}

    def admin_password(self, target: CloudTargetConfig, creds: Credentials, secret_ref: str) -> str:
        name = secret_ref if "/versions/" in secret_ref else f"{secret_ref}/versions/latest"
        base = target.setting("secretmanager_endpoint") or SECRETMANAGER
        found = self._call(target, creds, "GET", f"{base}/v1/{name}:access") or {}
        data = (found.get("payload") or {}).get("data")
        if not isinstance(data, str):
            raise CloudError(CLOUD, "the admin secret has no payload", code="invalid-secret")
        return base64.b64decode(data).decode()

    def create_snapshot(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> InstanceSnapshot:
        found = self.snapshot_status(target, creds, instance, name)
        if found is not None:
            return found
        url = f"{_instance_url(target, instance)}/backupRuns"
        self._call(target, creds, "POST", url, {"description": name})
        return InstanceSnapshot(snapshot_id=name, state=SnapshotState.creating)

    def _run(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> dict[str, Any] | None:
        url = f"{_instance_url(target, instance)}/backupRuns"
        token: str | None = None
        while True:
            page = self._call(target, creds, "GET", url + (f"?pageToken={token}" if token else ""))
            for run in (page or {}).get("items", []):
                if run.get("description") == name:
                    return dict(run)
            token = (page or {}).get("nextPageToken")
            if not token:
                return None

    def snapshot_status(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> InstanceSnapshot | None:
        run = self._run(target, creds, instance, name)
        if run is None:
            return None
        status = str(run.get("status", ""))
        state = _STATES.get(status, SnapshotState.creating)
        error = None
        if state is SnapshotState.failed:
            error = (run.get("error") or {}).get("message") or f"backup run {status}"
        return InstanceSnapshot(snapshot_id=name, state=state, error=error)

    def delete_snapshot(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> None:
        run = self._run(target, creds, instance, name)
        if run is not None:
            url = f"{_instance_url(target, instance)}/backupRuns/{run['id']}"
            self._call(target, creds, "DELETE", url, missing_ok=True)

    def restore_to_new(
        self,
        target: CloudTargetConfig,
        creds: Credentials,
        instance: ManagedInstance,
        name: str,
        new_instance_id: str,
    ) -> str:
        project, region, _ = _parts(instance)
        new = ManagedInstance(CLOUD, f"{project}:{region}:{new_instance_id}")
        if self._call(target, creds, "GET", _instance_url(target, new), missing_ok=True):
            return new.instance_id
        run = self._run(target, creds, instance, name)
        if run is None or run.get("status") != "SUCCESSFUL" or not run.get("endTime"):
            raise CloudError(CLOUD, f"backup run {name} is not complete", code="snapshot-not-ready")
        body = {
            "cloneContext": {
                "destinationInstanceName": new_instance_id,
                "pointInTime": run["endTime"],
            }
        }
        self._call(target, creds, "POST", f"{_instance_url(target, instance)}/clone", body)
        return new.instance_id

    def delete_instance(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance
    ) -> None:
        self._call(target, creds, "DELETE", _instance_url(target, instance), missing_ok=True)


def _parts(instance: ManagedInstance) -> tuple[str, str, str]:
    parts = instance.instance_id.split(":")
    if len(parts) != 3 or not all(parts):
        raise CloudError(
            CLOUD,
            "database_instance_id must be the Cloud SQL connection name project:region:instance",
            code="invalid-instance",
        )
    return parts[0], parts[1], parts[2]


def _instance_url(target: CloudTargetConfig, instance: ManagedInstance) -> str:
    project, _, name = _parts(instance)
    base = target.setting("sqladmin_endpoint") or SQLADMIN
    return f"{base}/v1/projects/{project}/instances/{name}"
