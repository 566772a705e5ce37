from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TenantCheckoutCreate")


@_attrs_define
class TenantCheckoutCreate:
    """
    Attributes:
        cancel_url (str): Where Stripe sends the customer back (http or https).
        plan (str): The catalog plan to subscribe to (it must have a Stripe price).
        success_url (str): Where Stripe sends the customer back (http or https).
    """

    cancel_url: str
    plan: str
    success_url: str

    def to_dict(self) -> dict[str, Any]:
        cancel_url = self.cancel_url

        plan = self.plan

        success_url = self.success_url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "cancel_url": cancel_url,
                "plan": plan,
                "success_url": success_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cancel_url = d.pop("cancel_url")

        plan = d.pop("plan")

        success_url = d.pop("success_url")

        tenant_checkout_create = cls(
            cancel_url=cancel_url,
            plan=plan,
            success_url=success_url,
        )

        return tenant_checkout_create
