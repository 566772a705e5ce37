from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.billing_event_status import BillingEventStatus, check_billing_event_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.billing_event_detail_payload import BillingEventDetailPayload
    from ..models.event_run import EventRun


T = TypeVar("T", bound="BillingEventDetail")


@_attrs_define
class BillingEventDetail:
    """
    Attributes:
        attempts (int): Processing attempts so far.
        created (datetime.datetime): When Stripe created the event.
        customer_id (None | str): The Stripe customer it concerns.
        error (None | str): Why the last attempt did not succeed.
        id (str): Stripe's event id (`evt_…`).
        livemode (bool):
        outcome (None | str): What processing did.
        payload (BillingEventDetailPayload): The verified event as Stripe sent it.
        processed_at (datetime.datetime | None):
        received_at (datetime.datetime):
        status (BillingEventStatus):
        subscription_id (None | str): The Stripe subscription it concerns.
        tenant_id (None | UUID):
        type_ (str):
        runs (list[EventRun] | Unset): The provisioning runs this event started (trigger `stripe:<event id>`).
    """

    attempts: int
    created: datetime.datetime
    customer_id: None | str
    error: None | str
    id: str
    livemode: bool
    outcome: None | str
    payload: BillingEventDetailPayload
    processed_at: datetime.datetime | None
    received_at: datetime.datetime
    status: BillingEventStatus
    subscription_id: None | str
    tenant_id: None | UUID
    type_: str
    runs: list[EventRun] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempts = self.attempts

        created = self.created.isoformat()

        customer_id: None | str
        customer_id = self.customer_id

        error: None | str
        error = self.error

        id = self.id

        livemode = self.livemode

        outcome: None | str
        outcome = self.outcome

        payload = self.payload.to_dict()

        processed_at: None | str
        if isinstance(self.processed_at, datetime.datetime):
            processed_at = self.processed_at.isoformat()
        else:
            processed_at = self.processed_at

        received_at = self.received_at.isoformat()

        status: str = self.status

        subscription_id: None | str
        subscription_id = self.subscription_id

        tenant_id: None | str
        if isinstance(self.tenant_id, UUID):
            tenant_id = str(self.tenant_id)
        else:
            tenant_id = self.tenant_id

        type_ = self.type_

        runs: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.runs, Unset):
            runs = []
            for runs_item_data in self.runs:
                runs_item = runs_item_data.to_dict()
                runs.append(runs_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempts": attempts,
                "created": created,
                "customer_id": customer_id,
                "error": error,
                "id": id,
                "livemode": livemode,
                "outcome": outcome,
                "payload": payload,
                "processed_at": processed_at,
                "received_at": received_at,
                "status": status,
                "subscription_id": subscription_id,
                "tenant_id": tenant_id,
                "type": type_,
            }
        )
        if runs is not UNSET:
            field_dict["runs"] = runs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.billing_event_detail_payload import BillingEventDetailPayload  # noqa: PLC0415
        from ..models.event_run import EventRun  # noqa: PLC0415

        d = dict(src_dict)
        attempts = d.pop("attempts")

        created = datetime.datetime.fromisoformat(d.pop("created"))

        def _parse_customer_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        customer_id = _parse_customer_id(d.pop("customer_id"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        id = d.pop("id")

        livemode = d.pop("livemode")

        def _parse_outcome(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        outcome = _parse_outcome(d.pop("outcome"))

        payload = BillingEventDetailPayload.from_dict(d.pop("payload"))

        def _parse_processed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                processed_at_type_0 = datetime.datetime.fromisoformat(data)

                return processed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        processed_at = _parse_processed_at(d.pop("processed_at"))

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        status = check_billing_event_status(d.pop("status"))

        def _parse_subscription_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subscription_id = _parse_subscription_id(d.pop("subscription_id"))

        def _parse_tenant_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tenant_id_type_0 = UUID(data)

                return tenant_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        tenant_id = _parse_tenant_id(d.pop("tenant_id"))

        type_ = d.pop("type")

        _runs = d.pop("runs", UNSET)
        runs: list[EventRun] | Unset = UNSET
        if _runs is not UNSET:
            runs = []
            for runs_item_data in _runs:
                runs_item = EventRun.from_dict(runs_item_data)

                runs.append(runs_item)

        billing_event_detail = cls(
            attempts=attempts,
            created=created,
            customer_id=customer_id,
            error=error,
            id=id,
            livemode=livemode,
            outcome=outcome,
            payload=payload,
            processed_at=processed_at,
            received_at=received_at,
            status=status,
            subscription_id=subscription_id,
            tenant_id=tenant_id,
            type_=type_,
            runs=runs,
        )

        billing_event_detail.additional_properties = d
        return billing_event_detail

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
