from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ModuleReleaseOut")


@_attrs_define
class ModuleReleaseOut:
    """
    Attributes:
        created_at (datetime.datetime):
        created_by (str):
        digest (str): sha256 over every file's name and content, in name order.
        file_names (list[str]):
        id (UUID):
        module (str):
        notes (str):
        upgradeable_from (None | str):
        version (str):
    """

    created_at: datetime.datetime
    created_by: str
    digest: str
    file_names: list[str]
    id: UUID
    module: str
    notes: str
    upgradeable_from: None | str
    version: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        created_by = self.created_by

        digest = self.digest

        file_names = self.file_names

        id = str(self.id)

        module = self.module

        notes = self.notes

        upgradeable_from: None | str
        upgradeable_from = self.upgradeable_from

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "created_by": created_by,
                "digest": digest,
                "file_names": file_names,
                "id": id,
                "module": module,
                "notes": notes,
                "upgradeable_from": upgradeable_from,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        digest = d.pop("digest")

        file_names = cast(list[str], d.pop("file_names"))

        id = UUID(d.pop("id"))

        module = d.pop("module")

        notes = d.pop("notes")

        def _parse_upgradeable_from(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        upgradeable_from = _parse_upgradeable_from(d.pop("upgradeable_from"))

        version = d.pop("version")

        module_release_out = cls(
            created_at=created_at,
            created_by=created_by,
            digest=digest,
            file_names=file_names,
            id=id,
            module=module,
            notes=notes,
            upgradeable_from=upgradeable_from,
            version=version,
        )

        module_release_out.additional_properties = d
        return module_release_out

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
