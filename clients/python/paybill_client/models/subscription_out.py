from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SubscriptionOut")


@_attrs_define
class SubscriptionOut:
    """
    Attributes:
        cancel_at_period_end (bool):
        canceled_at (datetime.datetime | None):
        current_period_end (datetime.datetime | None):
        customer_id (None | str):
        deprovision_at (datetime.datetime | None): canceled: when retention ends.
        desired_state (str): provisioned, not_provisioned, grace, suspended or cancelled.
        ended_at (datetime.datetime | None):
        id (str): The provider's subscription id (`sub_…`).
        last_event_id (None | str):
        past_due_since (datetime.datetime | None):
        plan (None | str): The catalog plan its price maps to.
        price_ids (list[str]):
        provider (str): stripe
        reason (None | str):
        seats (int | None):
        state_time (datetime.datetime): When the applied state was true at Stripe.
        status (str): Stripe's status: trialing, active, past_due, unpaid…
        suspend_at (datetime.datetime | None): past_due: when the grace period ends.
        tenant_id (None | UUID):
        tier (None | str):
        trial_end (datetime.datetime | None):
        updated_at (datetime.datetime):
    """

    cancel_at_period_end: bool
    canceled_at: datetime.datetime | None
    current_period_end: datetime.datetime | None
    customer_id: None | str
    deprovision_at: datetime.datetime | None
    desired_state: str
    ended_at: datetime.datetime | None
    id: str
    last_event_id: None | str
    past_due_since: datetime.datetime | None
    plan: None | str
    price_ids: list[str]
    provider: str
    reason: None | str
    seats: int | None
    state_time: datetime.datetime
    status: str
    suspend_at: datetime.datetime | None
    tenant_id: None | UUID
    tier: None | str
    trial_end: datetime.datetime | None
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cancel_at_period_end = self.cancel_at_period_end

        canceled_at: None | str
        if isinstance(self.canceled_at, datetime.datetime):
            canceled_at = self.canceled_at.isoformat()
        else:
            canceled_at = self.canceled_at

        current_period_end: None | str
        if isinstance(self.current_period_end, datetime.datetime):
            current_period_end = self.current_period_end.isoformat()
        else:
            current_period_end = self.current_period_end

        customer_id: None | str
        customer_id = self.customer_id

        deprovision_at: None | str
        if isinstance(self.deprovision_at, datetime.datetime):
            deprovision_at = self.deprovision_at.isoformat()
        else:
            deprovision_at = self.deprovision_at

        desired_state = self.desired_state

        ended_at: None | str
        if isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        id = self.id

        last_event_id: None | str
        last_event_id = self.last_event_id

        past_due_since: None | str
        if isinstance(self.past_due_since, datetime.datetime):
            past_due_since = self.past_due_since.isoformat()
        else:
            past_due_since = self.past_due_since

        plan: None | str
        plan = self.plan

        price_ids = self.price_ids

        provider = self.provider

        reason: None | str
        reason = self.reason

        seats: int | None
        seats = self.seats

        state_time = self.state_time.isoformat()

        status = self.status

        suspend_at: None | str
        if isinstance(self.suspend_at, datetime.datetime):
            suspend_at = self.suspend_at.isoformat()
        else:
            suspend_at = self.suspend_at

        tenant_id: None | str
        if isinstance(self.tenant_id, UUID):
            tenant_id = str(self.tenant_id)
        else:
            tenant_id = self.tenant_id

        tier: None | str
        tier = self.tier

        trial_end: None | str
        if isinstance(self.trial_end, datetime.datetime):
            trial_end = self.trial_end.isoformat()
        else:
            trial_end = self.trial_end

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cancel_at_period_end": cancel_at_period_end,
                "canceled_at": canceled_at,
                "current_period_end": current_period_end,
                "customer_id": customer_id,
                "deprovision_at": deprovision_at,
                "desired_state": desired_state,
                "ended_at": ended_at,
                "id": id,
                "last_event_id": last_event_id,
                "past_due_since": past_due_since,
                "plan": plan,
                "price_ids": price_ids,
                "provider": provider,
                "reason": reason,
                "seats": seats,
                "state_time": state_time,
                "status": status,
                "suspend_at": suspend_at,
                "tenant_id": tenant_id,
                "tier": tier,
                "trial_end": trial_end,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cancel_at_period_end = d.pop("cancel_at_period_end")

        def _parse_canceled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                canceled_at_type_0 = datetime.datetime.fromisoformat(data)

                return canceled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        canceled_at = _parse_canceled_at(d.pop("canceled_at"))

        def _parse_current_period_end(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                current_period_end_type_0 = datetime.datetime.fromisoformat(data)

                return current_period_end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        current_period_end = _parse_current_period_end(d.pop("current_period_end"))

        def _parse_customer_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        customer_id = _parse_customer_id(d.pop("customer_id"))

        def _parse_deprovision_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deprovision_at_type_0 = datetime.datetime.fromisoformat(data)

                return deprovision_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        deprovision_at = _parse_deprovision_at(d.pop("deprovision_at"))

        desired_state = d.pop("desired_state")

        def _parse_ended_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ended_at_type_0 = datetime.datetime.fromisoformat(data)

                return ended_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        ended_at = _parse_ended_at(d.pop("ended_at"))

        id = d.pop("id")

        def _parse_last_event_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_event_id = _parse_last_event_id(d.pop("last_event_id"))

        def _parse_past_due_since(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                past_due_since_type_0 = datetime.datetime.fromisoformat(data)

                return past_due_since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        past_due_since = _parse_past_due_since(d.pop("past_due_since"))

        def _parse_plan(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        plan = _parse_plan(d.pop("plan"))

        price_ids = cast(list[str], d.pop("price_ids"))

        provider = d.pop("provider")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        def _parse_seats(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        seats = _parse_seats(d.pop("seats"))

        state_time = datetime.datetime.fromisoformat(d.pop("state_time"))

        status = d.pop("status")

        def _parse_suspend_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                suspend_at_type_0 = datetime.datetime.fromisoformat(data)

                return suspend_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        suspend_at = _parse_suspend_at(d.pop("suspend_at"))

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

        def _parse_tier(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tier = _parse_tier(d.pop("tier"))

        def _parse_trial_end(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                trial_end_type_0 = datetime.datetime.fromisoformat(data)

                return trial_end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        trial_end = _parse_trial_end(d.pop("trial_end"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        subscription_out = cls(
            cancel_at_period_end=cancel_at_period_end,
            canceled_at=canceled_at,
            current_period_end=current_period_end,
            customer_id=customer_id,
            deprovision_at=deprovision_at,
            desired_state=desired_state,
            ended_at=ended_at,
            id=id,
            last_event_id=last_event_id,
            past_due_since=past_due_since,
            plan=plan,
            price_ids=price_ids,
            provider=provider,
            reason=reason,
            seats=seats,
            state_time=state_time,
            status=status,
            suspend_at=suspend_at,
            tenant_id=tenant_id,
            tier=tier,
            trial_end=trial_end,
            updated_at=updated_at,
        )

        subscription_out.additional_properties = d
        return subscription_out

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
