from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.restore_create_mode import RestoreCreateMode, check_restore_create_mode
from ..types import UNSET, Unset

T = TypeVar("T", bound="RestoreCreate")


@_attrs_define
class RestoreCreate:
    """
    Attributes:
        mode (RestoreCreateMode | Unset): new_database (default): restore into a new database beside the tenant's;
            in_place: replace the tenant's data (destructive; a pre_restore snapshot is taken first). Default:
            'new_database'.
    """

    mode: RestoreCreateMode | Unset = "new_database"

    def to_dict(self) -> dict[str, Any]:
        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if mode is not UNSET:
            field_dict["mode"] = mode

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _mode = d.pop("mode", UNSET)
        mode: RestoreCreateMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = check_restore_create_mode(_mode)

        restore_create = cls(
            mode=mode,
        )

        return restore_create
