from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.database_status import DatabaseStatus, check_database_status
from ..models.isolation_model import IsolationModel, check_isolation_model

T = TypeVar("T", bound="TenantDatabaseOut")


@_attrs_define
class TenantDatabaseOut:
    """A tenant's database: how its application connects (never a password).

    Attributes:
        cloud (str):
        connection_limit (int | None):
        created_at (datetime.datetime):
        credentials_rotated_at (datetime.datetime | None):
        database (str):
        engine (str): Always `postgres` today.
        host (None | str): None: the server's local socket (embedded setups).
        model (IsolationModel):
        port (int | None):
        schema (None | str): pooled: the tenant's schema (also its login's search_path); else None.
        status (DatabaseStatus): `tenant_databases.status`: where a tenant's data tier is in its life.
        tenant_id (UUID):
        updated_at (datetime.datetime):
        username (None | str): The login role of the current password; it alternates between two roles (…_a, …_b) at
            each rotation.
    """

    cloud: str
    connection_limit: int | None
    created_at: datetime.datetime
    credentials_rotated_at: datetime.datetime | None
    database: str
    engine: str
    host: None | str
    model: IsolationModel
    port: int | None
    schema: None | str
    status: DatabaseStatus
    tenant_id: UUID
    updated_at: datetime.datetime
    username: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cloud = self.cloud

        connection_limit: int | None
        connection_limit = self.connection_limit

        created_at = self.created_at.isoformat()

        credentials_rotated_at: None | str
        if isinstance(self.credentials_rotated_at, datetime.datetime):
            credentials_rotated_at = self.credentials_rotated_at.isoformat()
        else:
            credentials_rotated_at = self.credentials_rotated_at

        database = self.database

        engine = self.engine

        host: None | str
        host = self.host

        model: str = self.model

        port: int | None
        port = self.port

        schema: None | str
        schema = self.schema

        status: str = self.status

        tenant_id = str(self.tenant_id)

        updated_at = self.updated_at.isoformat()

        username: None | str
        username = self.username

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cloud": cloud,
                "connection_limit": connection_limit,
                "created_at": created_at,
                "credentials_rotated_at": credentials_rotated_at,
                "database": database,
                "engine": engine,
                "host": host,
                "model": model,
                "port": port,
                "schema": schema,
                "status": status,
                "tenant_id": tenant_id,
                "updated_at": updated_at,
                "username": username,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cloud = d.pop("cloud")

        def _parse_connection_limit(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        connection_limit = _parse_connection_limit(d.pop("connection_limit"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_credentials_rotated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                credentials_rotated_at_type_0 = datetime.datetime.fromisoformat(data)

                return credentials_rotated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        credentials_rotated_at = _parse_credentials_rotated_at(d.pop("credentials_rotated_at"))

        database = d.pop("database")

        engine = d.pop("engine")

        def _parse_host(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        host = _parse_host(d.pop("host"))

        model = check_isolation_model(d.pop("model"))

        def _parse_port(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        port = _parse_port(d.pop("port"))

        def _parse_schema(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        schema = _parse_schema(d.pop("schema"))

        status = check_database_status(d.pop("status"))

        tenant_id = UUID(d.pop("tenant_id"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_username(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        username = _parse_username(d.pop("username"))

        tenant_database_out = cls(
            cloud=cloud,
            connection_limit=connection_limit,
            created_at=created_at,
            credentials_rotated_at=credentials_rotated_at,
            database=database,
            engine=engine,
            host=host,
            model=model,
            port=port,
            schema=schema,
            status=status,
            tenant_id=tenant_id,
            updated_at=updated_at,
            username=username,
        )

        tenant_database_out.additional_properties = d
        return tenant_database_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
