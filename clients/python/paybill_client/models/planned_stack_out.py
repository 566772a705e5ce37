from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.planned_stack_out_kind import PlannedStackOutKind, check_planned_stack_out_kind

if TYPE_CHECKING:
    from ..models.planned_stack_out_boundary_type_0 import PlannedStackOutBoundaryType0
    from ..models.planned_stack_out_variables import PlannedStackOutVariables


T = TypeVar("T", bound="PlannedStackOut")


@_attrs_define
class PlannedStackOut:
    """
    Attributes:
        applied_revision (None | str):
        boundary (None | PlannedStackOutBoundaryType0): The boundary recorded on the stack.
        boundary_inputs (list[str]): `target` keys set from the tenant's cloud boundary (account, compartment, resource
            group) when a run creates it.
        files (list[str]): Files of the stack's working directory.
        kind (PlannedStackOutKind):
        module (str): `<cloud>/<model>` under terraform-modules/.
        placeholders (list[str]): Inputs not known yet, shown with a placeholder (`pool_id` of a pool not created yet,
            `pool_network_id` before the pool is applied).
        revision (str): Hash of the rendered files: what a run would apply.
        stack_id (None | UUID): The existing stack, if any.
        tfvars_json (str): `paybill.auto.tfvars.json` exactly as written.
        up_to_date (bool): The stack already has this revision applied.
        variables (PlannedStackOutVariables): The module's inputs (no secrets).
        workspace (None | str):
    """

    applied_revision: None | str
    boundary: None | PlannedStackOutBoundaryType0
    boundary_inputs: list[str]
    files: list[str]
    kind: PlannedStackOutKind
    module: str
    placeholders: list[str]
    revision: str
    stack_id: None | UUID
    tfvars_json: str
    up_to_date: bool
    variables: PlannedStackOutVariables
    workspace: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.planned_stack_out_boundary_type_0 import PlannedStackOutBoundaryType0  # noqa: PLC0415

        applied_revision: None | str
        applied_revision = self.applied_revision

        boundary: dict[str, Any] | None
        if isinstance(self.boundary, PlannedStackOutBoundaryType0):
            boundary = self.boundary.to_dict()
        else:
            boundary = self.boundary

        boundary_inputs = self.boundary_inputs

        files = self.files

        kind: str = self.kind

        module = self.module

        placeholders = self.placeholders

        revision = self.revision

        stack_id: None | str
        if isinstance(self.stack_id, UUID):
            stack_id = str(self.stack_id)
        else:
            stack_id = self.stack_id

        tfvars_json = self.tfvars_json

        up_to_date = self.up_to_date

        variables = self.variables.to_dict()

        workspace: None | str
        workspace = self.workspace

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "applied_revision": applied_revision,
                "boundary": boundary,
                "boundary_inputs": boundary_inputs,
                "files": files,
                "kind": kind,
                "module": module,
                "placeholders": placeholders,
                "revision": revision,
                "stack_id": stack_id,
                "tfvars_json": tfvars_json,
                "up_to_date": up_to_date,
                "variables": variables,
                "workspace": workspace,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.planned_stack_out_boundary_type_0 import PlannedStackOutBoundaryType0  # noqa: PLC0415
        from ..models.planned_stack_out_variables import PlannedStackOutVariables  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_applied_revision(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        applied_revision = _parse_applied_revision(d.pop("applied_revision"))

        def _parse_boundary(data: object) -> None | PlannedStackOutBoundaryType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                boundary_type_0 = PlannedStackOutBoundaryType0.from_dict(data)

                return boundary_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PlannedStackOutBoundaryType0, data)

        boundary = _parse_boundary(d.pop("boundary"))

        boundary_inputs = cast(list[str], d.pop("boundary_inputs"))

        files = cast(list[str], d.pop("files"))

        kind = check_planned_stack_out_kind(d.pop("kind"))

        module = d.pop("module")

        placeholders = cast(list[str], d.pop("placeholders"))

        revision = d.pop("revision")

        def _parse_stack_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                stack_id_type_0 = UUID(data)

                return stack_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        stack_id = _parse_stack_id(d.pop("stack_id"))

        tfvars_json = d.pop("tfvars_json")

        up_to_date = d.pop("up_to_date")

        variables = PlannedStackOutVariables.from_dict(d.pop("variables"))

        def _parse_workspace(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        workspace = _parse_workspace(d.pop("workspace"))

        planned_stack_out = cls(
            applied_revision=applied_revision,
            boundary=boundary,
            boundary_inputs=boundary_inputs,
            files=files,
            kind=kind,
            module=module,
            placeholders=placeholders,
            revision=revision,
            stack_id=stack_id,
            tfvars_json=tfvars_json,
            up_to_date=up_to_date,
            variables=variables,
            workspace=workspace,
        )

        planned_stack_out.additional_properties = d
        return planned_stack_out

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
