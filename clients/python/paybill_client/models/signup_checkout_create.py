from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.cloud import Cloud, check_cloud

T = TypeVar("T", bound="SignupCheckoutCreate")


@_attrs_define
class SignupCheckoutCreate:
    """
    Attributes:
        cancel_url (str): Where Stripe sends the customer back (http or https).
        cloud (Cloud):
        name (str):
        plan (str): The catalog plan to subscribe to (it must have a Stripe price).
        region (str):
        slug (str): The new tenant's slug (must be free).
        success_url (str): Where Stripe sends the customer back (http or https).
    """

    cancel_url: str
    cloud: Cloud
    name: str
    plan: str
    region: str
    slug: str
    success_url: str

    def to_dict(self) -> dict[str, Any]:
        cancel_url = self.cancel_url

        cloud: str = self.cloud

        name = self.name

        plan = self.plan

        region = self.region

        slug = self.slug

        success_url = self.success_url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "cancel_url": cancel_url,
                "cloud": cloud,
                "name": name,
                "plan": plan,
                "region": region,
                "slug": slug,
                "success_url": success_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cancel_url = d.pop("cancel_url")

        cloud = check_cloud(d.pop("cloud"))

        name = d.pop("name")

        plan = d.pop("plan")

        region = d.pop("region")

        slug = d.pop("slug")

        success_url = d.pop("success_url")

        signup_checkout_create = cls(
            cancel_url=cancel_url,
            cloud=cloud,
            name=name,
            plan=plan,
            region=region,
            slug=slug,
            success_url=success_url,
        )

        return signup_checkout_create
