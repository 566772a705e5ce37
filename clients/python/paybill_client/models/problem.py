from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.validation_issue import ValidationIssue


T = TypeVar("T", bound="Problem")


@_attrs_define
class Problem:
    """RFC 9457 problem details; `type` is stable, extra members depend on the type.

    Attributes:
        detail (str): What went wrong this time, for a human.
        status (int): The HTTP status code.
        title (str): Short summary of the problem type.
        type_ (str): A URI naming the kind of problem; stable, safe to branch on.
        allowed_actions (list[str] | None | Unset): invalid-transition: the actions valid from `current_status`.
        allowed_transitions (list[str] | None | Unset): invalid-transition: the statuses reachable from here.
        current_status (None | str | Unset): invalid-transition: the tenant's status.
        current_version (int | None | Unset): stale-version: the version to send in If-Match.
        errors (list[ValidationIssue] | None | Unset): validation-error, malformed-json: the invalid fields.
        instance (None | str | Unset): The request path.
        requested_action (None | str | Unset): invalid-transition: the refused action.
        requested_status (None | str | Unset): invalid-transition: the refused target status.
        required_permission (None | str | Unset): forbidden: the permission the key's role lacks.
    """

    detail: str
    status: int
    title: str
    type_: str
    allowed_actions: list[str] | None | Unset = UNSET
    allowed_transitions: list[str] | None | Unset = UNSET
    current_status: None | str | Unset = UNSET
    current_version: int | None | Unset = UNSET
    errors: list[ValidationIssue] | None | Unset = UNSET
    instance: None | str | Unset = UNSET
    requested_action: None | str | Unset = UNSET
    requested_status: None | str | Unset = UNSET
    required_permission: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail

        status = self.status

        title = self.title

        type_ = self.type_

        allowed_actions: list[str] | None | Unset
        if isinstance(self.allowed_actions, Unset):
            allowed_actions = UNSET
        elif isinstance(self.allowed_actions, list):
            allowed_actions = self.allowed_actions

        else:
            allowed_actions = self.allowed_actions

        allowed_transitions: list[str] | None | Unset
        if isinstance(self.allowed_transitions, Unset):
            allowed_transitions = UNSET
        elif isinstance(self.allowed_transitions, list):
            allowed_transitions = self.allowed_transitions

        else:
            allowed_transitions = self.allowed_transitions

        current_status: None | str | Unset
        if isinstance(self.current_status, Unset):
            current_status = UNSET
        else:
            current_status = self.current_status

        current_version: int | None | Unset
        if isinstance(self.current_version, Unset):
            current_version = UNSET
        else:
            current_version = self.current_version

        errors: list[dict[str, Any]] | None | Unset
        if isinstance(self.errors, Unset):
            errors = UNSET
        elif isinstance(self.errors, list):
            errors = []
            for errors_type_0_item_data in self.errors:
                errors_type_0_item = errors_type_0_item_data.to_dict()
                errors.append(errors_type_0_item)

        else:
            errors = self.errors

        instance: None | str | Unset
        if isinstance(self.instance, Unset):
            instance = UNSET
        else:
            instance = self.instance

        requested_action: None | str | Unset
        if isinstance(self.requested_action, Unset):
            requested_action = UNSET
        else:
            requested_action = self.requested_action

        requested_status: None | str | Unset
        if isinstance(self.requested_status, Unset):
            requested_status = UNSET
        else:
            requested_status = self.requested_status

        required_permission: None | str | Unset
        if isinstance(self.required_permission, Unset):
            required_permission = UNSET
        else:
            required_permission = self.required_permission

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "detail": detail,
                "status": status,
                "title": title,
                "type": type_,
            }
        )
        if allowed_actions is not UNSET:
            field_dict["allowed_actions"] = allowed_actions
        if allowed_transitions is not UNSET:
            field_dict["allowed_transitions"] = allowed_transitions
        if current_status is not UNSET:
            field_dict["current_status"] = current_status
        if current_version is not UNSET:
            field_dict["current_version"] = current_version
        if errors is not UNSET:
            field_dict["errors"] = errors
        if instance is not UNSET:
            field_dict["instance"] = instance
        if requested_action is not UNSET:
            field_dict["requested_action"] = requested_action
        if requested_status is not UNSET:
            field_dict["requested_status"] = requested_status
        if required_permission is not UNSET:
            field_dict["required_permission"] = required_permission

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.validation_issue import ValidationIssue  # noqa: PLC0415

        d = dict(src_dict)
        detail = d.pop("detail")

        status = d.pop("status")

        title = d.pop("title")

        type_ = d.pop("type")

        def _parse_allowed_actions(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_actions_type_0 = cast(list[str], data)

                return allowed_actions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        allowed_actions = _parse_allowed_actions(d.pop("allowed_actions", UNSET))

        def _parse_allowed_transitions(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_transitions_type_0 = cast(list[str], data)

                return allowed_transitions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        allowed_transitions = _parse_allowed_transitions(d.pop("allowed_transitions", UNSET))

        def _parse_current_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        current_status = _parse_current_status(d.pop("current_status", UNSET))

        def _parse_current_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        current_version = _parse_current_version(d.pop("current_version", UNSET))

        def _parse_errors(data: object) -> list[ValidationIssue] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                errors_type_0 = []
                _errors_type_0 = data
                for errors_type_0_item_data in _errors_type_0:
                    errors_type_0_item = ValidationIssue.from_dict(errors_type_0_item_data)

                    errors_type_0.append(errors_type_0_item)

                return errors_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ValidationIssue] | None | Unset, data)

        errors = _parse_errors(d.pop("errors", UNSET))

        def _parse_instance(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        instance = _parse_instance(d.pop("instance", UNSET))

        def _parse_requested_action(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        requested_action = _parse_requested_action(d.pop("requested_action", UNSET))

        def _parse_requested_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        requested_status = _parse_requested_status(d.pop("requested_status", UNSET))

        def _parse_required_permission(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        required_permission = _parse_required_permission(d.pop("required_permission", UNSET))

        problem = cls(
            detail=detail,
            status=status,
            title=title,
            type_=type_,
            allowed_actions=allowed_actions,
            allowed_transitions=allowed_transitions,
            current_status=current_status,
            current_version=current_version,
            errors=errors,
            instance=instance,
            requested_action=requested_action,
            requested_status=requested_status,
            required_permission=required_permission,
        )

        problem.additional_properties = d
        return problem

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
