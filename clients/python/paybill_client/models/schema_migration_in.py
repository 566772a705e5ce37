from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SchemaMigrationIn")


@_attrs_define
class SchemaMigrationIn:
    """
    Attributes:
        name (str):
        sql (str):
        version (int):
    """

    name: str
    sql: str
    version: int

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        sql = self.sql

        version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "sql": sql,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        sql = d.pop("sql")

        version = d.pop("version")

        schema_migration_in = cls(
            name=name,
            sql=sql,
            version=version,
        )

        return schema_migration_in
