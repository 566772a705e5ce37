from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.module_release_create_files_type_0 import ModuleReleaseCreateFilesType0


T = TypeVar("T", bound="ModuleReleaseCreate")


@_attrs_define
class ModuleReleaseCreate:
    """
    Attributes:
        module (str): `<cloud>/<model>`, e.g. `local/silo`.
        version (str): Dotted numbers, e.g. `1.4.0`; unique per module.
        files (ModuleReleaseCreateFilesType0 | None | Unset): The module's `*.tf` files (name → text). Null: snapshot
            `terraform-modules/<cloud>/<model>` as it is on disk now.
        notes (str | Unset):  Default: ''.
        upgradeable_from (None | str | Unset): Versions a stack may upgrade from, e.g. `>=1.2,<2` (null: any release).
    """

    module: str
    version: str
    files: ModuleReleaseCreateFilesType0 | None | Unset = UNSET
    notes: str | Unset = ""
    upgradeable_from: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.module_release_create_files_type_0 import ModuleReleaseCreateFilesType0  # noqa: PLC0415

        module = self.module

        version = self.version

        files: dict[str, Any] | None | Unset
        if isinstance(self.files, Unset):
            files = UNSET
        elif isinstance(self.files, ModuleReleaseCreateFilesType0):
            files = self.files.to_dict()
        else:
            files = self.files

        notes = self.notes

        upgradeable_from: None | str | Unset
        if isinstance(self.upgradeable_from, Unset):
            upgradeable_from = UNSET
        else:
            upgradeable_from = self.upgradeable_from

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "module": module,
                "version": version,
            }
        )
        if files is not UNSET:
            field_dict["files"] = files
        if notes is not UNSET:
            field_dict["notes"] = notes
        if upgradeable_from is not UNSET:
            field_dict["upgradeable_from"] = upgradeable_from

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.module_release_create_files_type_0 import ModuleReleaseCreateFilesType0  # noqa: PLC0415

        d = dict(src_dict)
        module = d.pop("module")

        version = d.pop("version")

        def _parse_files(data: object) -> ModuleReleaseCreateFilesType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                files_type_0 = ModuleReleaseCreateFilesType0.from_dict(data)

                return files_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModuleReleaseCreateFilesType0 | None | Unset, data)

        files = _parse_files(d.pop("files", UNSET))

        notes = d.pop("notes", UNSET)

        def _parse_upgradeable_from(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        upgradeable_from = _parse_upgradeable_from(d.pop("upgradeable_from", UNSET))

        module_release_create = cls(
            module=module,
            version=version,
            files=files,
            notes=notes,
            upgradeable_from=upgradeable_from,
        )

        return module_release_create
