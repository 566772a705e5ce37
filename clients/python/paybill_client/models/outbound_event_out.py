from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.outbound_event_out_data import OutboundEventOutData


T = TypeVar("T", bound="OutboundEventOut")


@_attrs_define
class OutboundEventOut:
    """The event as receivers get it (CloudEvents 1.0 JSON, structured mode).

    Attributes:
        data (OutboundEventOutData):
        id (UUID):
        sequence (int): Per tenant, increasing in commit order without gaps (extension).
        source (str):
        subject (str):
        tenantid (None | UUID): The tenant the event is about (extension).
        time (datetime.datetime):
        type_ (str):
        datacontenttype (str | Unset):  Default: 'application/json'.
        specversion (str | Unset):  Default: '1.0'.
    """

    data: OutboundEventOutData
    id: UUID
    sequence: int
    source: str
    subject: str
    tenantid: None | UUID
    time: datetime.datetime
    type_: str
    datacontenttype: str | Unset = "application/json"
    specversion: str | Unset = "1.0"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        id = str(self.id)

        sequence = self.sequence

        source = self.source

        subject = self.subject

        tenantid: None | str
        if isinstance(self.tenantid, UUID):
            tenantid = str(self.tenantid)
        else:
            tenantid = self.tenantid

        time = self.time.isoformat()

        type_ = self.type_

        datacontenttype = self.datacontenttype

        specversion = self.specversion

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "id": id,
                "sequence": sequence,
                "source": source,
                "subject": subject,
                "tenantid": tenantid,
                "time": time,
                "type": type_,
            }
        )
        if datacontenttype is not UNSET:
            field_dict["datacontenttype"] = datacontenttype
        if specversion is not UNSET:
            field_dict["specversion"] = specversion

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.outbound_event_out_data import OutboundEventOutData  # noqa: PLC0415

        d = dict(src_dict)
        data = OutboundEventOutData.from_dict(d.pop("data"))

        id = UUID(d.pop("id"))

        sequence = d.pop("sequence")

        source = d.pop("source")

        subject = d.pop("subject")

        def _parse_tenantid(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tenantid_type_0 = UUID(data)

                return tenantid_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        tenantid = _parse_tenantid(d.pop("tenantid"))

        time = datetime.datetime.fromisoformat(d.pop("time"))

        type_ = d.pop("type")

        datacontenttype = d.pop("datacontenttype", UNSET)

        specversion = d.pop("specversion", UNSET)

        outbound_event_out = cls(
            data=data,
            id=id,
            sequence=sequence,
            source=source,
            subject=subject,
            tenantid=tenantid,
            time=time,
            type_=type_,
            datacontenttype=datacontenttype,
            specversion=specversion,
        )

        outbound_event_out.additional_properties = d
        return outbound_event_out

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
