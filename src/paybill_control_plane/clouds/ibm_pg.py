"""IBM Cloud managed databases: IBM Cloud Databases for PostgreSQL. The admin password comes from
IBM Secrets Manager over the adapter's SDK core (``ibm_cloud_sdk_core``, IAM-authenticated).

No instance-level snapshots here: Cloud Databases' on-demand backups can be neither named nor
deleted (they expire with the deployment's backup retention), so a retried job could not tell
the backup it started from another one, nor clean up after itself. Tenants on IBM are snapshot
with the logical dump (pg_dump) of their database, like pooled and bridge tenants everywhere.

``database_admin_secret`` is the secret's URL:
``https://<instance>.<region>.secrets-manager.appdomain.cloud/api/v2/secrets/<id>``.
"""

from __future__ import annotations

from typing import Any

from ._common import require_credentials, sdk_errors
from .base import CloudError, CloudTargetConfig, Credentials, MissingExtraError
from .ibm import CLOUD, REQUIRED_KEYS, _describe
from .managed_db import InstanceSnapshot, ManagedInstance

_NO_SNAPSHOTS = (
    "IBM Cloud Databases backups cannot be named or deleted: tenants on IBM are snapshot with "
    "pg_dump"
)


class IbmPgOps:
    cloud = CLOUD
    instance_snapshots = False

    def admin_password(self, target: CloudTargetConfig, creds: Credentials, secret_ref: str) -> str:
        require_credentials(CLOUD, creds, REQUIRED_KEYS)
        try:
            from ibm_cloud_sdk_core import BaseService
            from ibm_cloud_sdk_core.authenticators import IAMAuthenticator
        except ImportError as exc:
            raise MissingExtraError(CLOUD, exc.name or "ibm-cloud-sdk-core") from None
        with sdk_errors(CLOUD, "load credentials", creds, _describe):
            authenticator = IAMAuthenticator(creds["api_key"], url=target.setting("iam_url"))
        service = BaseService(service_url=secret_ref, authenticator=authenticator)
        service.set_http_config({"timeout": 60})
        with sdk_errors(CLOUD, "get Secrets Manager secret", creds, _describe):
            request = service.prepare_request(method="GET", url="")
            secret: Any = service.send(request).get_result()
        password = (
            secret.get("password") or secret.get("payload") if isinstance(secret, dict) else None
        )
        if not isinstance(password, str) or not password:
            raise CloudError(CLOUD, "the admin secret has no password", code="invalid-secret")
        return password

    def _unsupported(self) -> CloudError:
        return CloudError(CLOUD, _NO_SNAPSHOTS, code="not-supported")

    def create_snapshot(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> InstanceSnapshot:
        raise self._unsupported()

    def snapshot_status(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> InstanceSnapshot | None:
        raise self._unsupported()

    def delete_snapshot(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance, name: str
    ) -> None:
        raise self._unsupported()

    def restore_to_new(
        self,
        target: CloudTargetConfig,
        creds: Credentials,
        instance: ManagedInstance,
        name: str,
        new_instance_id: str,
    ) -> str:
        raise self._unsupported()

    def delete_instance(
        self, target: CloudTargetConfig, creds: Credentials, instance: ManagedInstance
    ) -> None:
        raise self._unsupported()
