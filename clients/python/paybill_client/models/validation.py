from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.validation_details import ValidationDetails


T = TypeVar("T", bound="Validation")


@_attrs_define
class Validation:
    """What the cloud said about the credentials.

    Attributes:
        details (ValidationDetails): Account ids and, when not ok, `error`.
        identity (str): Who the cloud says the credentials are (ARN, user...).
        ok (bool):
        validated_at (datetime.datetime):
    """

    details: ValidationDetails
    identity: str
    ok: bool
    validated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        details = self.details.to_dict()

        identity = self.identity

        ok = self.ok

        validated_at = self.validated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "details": details,
                "identity": identity,
                "ok": ok,
                "validated_at": validated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.validation_details import ValidationDetails  # noqa: PLC0415

        d = dict(src_dict)
        details = ValidationDetails.from_dict(d.pop("details"))

        identity = d.pop("identity")

        ok = d.pop("ok")

        validated_at = datetime.datetime.fromisoformat(d.pop("validated_at"))

        validation = cls(
            details=details,
            identity=identity,
            ok=ok,
            validated_at=validated_at,
        )

        validation.additional_properties = d
        return validation

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
