from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.schema_migration_in import SchemaMigrationIn


T = TypeVar("T", bound="SchemaReleaseCreate")


@_attrs_define
class SchemaReleaseCreate:
    """
    Attributes:
        migrations (list[SchemaMigrationIn]):
    """

    migrations: list[SchemaMigrationIn]

    def to_dict(self) -> dict[str, Any]:
        migrations = []
        for migrations_item_data in self.migrations:
            migrations_item = migrations_item_data.to_dict()
            migrations.append(migrations_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "migrations": migrations,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.schema_migration_in import SchemaMigrationIn  # noqa: PLC0415

        d = dict(src_dict)
        migrations = []
        _migrations = d.pop("migrations")
        for migrations_item_data in _migrations:
            migrations_item = SchemaMigrationIn.from_dict(migrations_item_data)

            migrations.append(migrations_item)

        schema_release_create = cls(
            migrations=migrations,
        )

        return schema_release_create
