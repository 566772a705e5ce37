from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.licence_out_claims import LicenceOutClaims


T = TypeVar("T", bound="LicenceOut")


@_attrs_define
class LicenceOut:
    """
    Attributes:
        claims (LicenceOutClaims): The token's claims, decoded for convenience.
        expires_at (datetime.datetime):
        licence (str): A JWT signed with Ed25519 (`alg: EdDSA`, `kid` header).
    """

    claims: LicenceOutClaims
    expires_at: datetime.datetime
    licence: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        claims = self.claims.to_dict()

        expires_at = self.expires_at.isoformat()

        licence = self.licence

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "claims": claims,
                "expires_at": expires_at,
                "licence": licence,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.licence_out_claims import LicenceOutClaims  # noqa: PLC0415

        d = dict(src_dict)
        claims = LicenceOutClaims.from_dict(d.pop("claims"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        licence = d.pop("licence")

        licence_out = cls(
            claims=claims,
            expires_at=expires_at,
            licence=licence,
        )

        licence_out.additional_properties = d
        return licence_out

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
