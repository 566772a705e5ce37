from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.stack_out_kind import StackOutKind, check_stack_out_kind
from ..models.stack_out_status import StackOutStatus, check_stack_out_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.stack_out_boundary_type_0 import StackOutBoundaryType0
    from ..models.stack_out_outputs import StackOutOutputs
    from ..models.stack_out_variables import StackOutVariables


T = TypeVar("T", bound="StackOut")


@_attrs_define
class StackOut:
    """
    Attributes:
        applied_revision (None | str):
        cloud (str):
        created_at (datetime.datetime):
        desired_revision (None | str):
        drift_status (str):
        id (UUID):
        kind (StackOutKind):
        last_run_id (None | UUID):
        module (str):
        outputs (StackOutOutputs): Non-sensitive Terraform outputs.
        pool_id (None | UUID):
        status (StackOutStatus):
        tenant_id (None | UUID):
        updated_at (datetime.datetime):
        variables (StackOutVariables): The inputs of the last render (no secrets).
        workspace (str):
        boundary (None | StackOutBoundaryType0 | Unset): A tenant stack's cloud boundary (account, resource group,
            project, compartment; `local` on the local cloud), created before its first apply and removed after its destroy.
            Non-secret.
        drift_checked_at (datetime.datetime | None | Unset):
        release_id (None | Unset | UUID): The module release the stack runs; null: the module on disk.
    """

    applied_revision: None | str
    cloud: str
    created_at: datetime.datetime
    desired_revision: None | str
    drift_status: str
    id: UUID
    kind: StackOutKind
    last_run_id: None | UUID
    module: str
    outputs: StackOutOutputs
    pool_id: None | UUID
    status: StackOutStatus
    tenant_id: None | UUID
    updated_at: datetime.datetime
    variables: StackOutVariables
    workspace: str
    boundary: None | StackOutBoundaryType0 | Unset = UNSET
    drift_checked_at: datetime.datetime | None | Unset = UNSET
    release_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.stack_out_boundary_type_0 import StackOutBoundaryType0  # noqa: PLC0415

        applied_revision: None | str
        applied_revision = self.applied_revision

        cloud = self.cloud

        created_at = self.created_at.isoformat()

        desired_revision: None | str
        desired_revision = self.desired_revision

        drift_status = self.drift_status

        id = str(self.id)

        kind: str = self.kind

        last_run_id: None | str
        if isinstance(self.last_run_id, UUID):
            last_run_id = str(self.last_run_id)
        else:
            last_run_id = self.last_run_id

        module = self.module

        outputs = self.outputs.to_dict()

        pool_id: None | str
        if isinstance(self.pool_id, UUID):
            pool_id = str(self.pool_id)
        else:
            pool_id = self.pool_id

        status: str = self.status

        tenant_id: None | str
        if isinstance(self.tenant_id, UUID):
            tenant_id = str(self.tenant_id)
        else:
            tenant_id = self.tenant_id

        updated_at = self.updated_at.isoformat()

        variables = self.variables.to_dict()

        workspace = self.workspace

        boundary: dict[str, Any] | None | Unset
        if isinstance(self.boundary, Unset):
            boundary = UNSET
        elif isinstance(self.boundary, StackOutBoundaryType0):
            boundary = self.boundary.to_dict()
        else:
            boundary = self.boundary

        drift_checked_at: None | str | Unset
        if isinstance(self.drift_checked_at, Unset):
            drift_checked_at = UNSET
        elif isinstance(self.drift_checked_at, datetime.datetime):
            drift_checked_at = self.drift_checked_at.isoformat()
        else:
            drift_checked_at = self.drift_checked_at

        release_id: None | str | Unset
        if isinstance(self.release_id, Unset):
            release_id = UNSET
        elif isinstance(self.release_id, UUID):
            release_id = str(self.release_id)
        else:
            release_id = self.release_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "applied_revision": applied_revision,
                "cloud": cloud,
                "created_at": created_at,
                "desired_revision": desired_revision,
                "drift_status": drift_status,
                "id": id,
                "kind": kind,
                "last_run_id": last_run_id,
                "module": module,
                "outputs": outputs,
                "pool_id": pool_id,
                "status": status,
                "tenant_id": tenant_id,
                "updated_at": updated_at,
                "variables": variables,
                "workspace": workspace,
            }
        )
        if boundary is not UNSET:
            field_dict["boundary"] = boundary
        if drift_checked_at is not UNSET:
            field_dict["drift_checked_at"] = drift_checked_at
        if release_id is not UNSET:
            field_dict["release_id"] = release_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.stack_out_boundary_type_0 import StackOutBoundaryType0  # noqa: PLC0415
        from ..models.stack_out_outputs import StackOutOutputs  # noqa: PLC0415
        from ..models.stack_out_variables import StackOutVariables  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_applied_revision(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        applied_revision = _parse_applied_revision(d.pop("applied_revision"))

        cloud = d.pop("cloud")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_desired_revision(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        desired_revision = _parse_desired_revision(d.pop("desired_revision"))

        drift_status = d.pop("drift_status")

        id = UUID(d.pop("id"))

        kind = check_stack_out_kind(d.pop("kind"))

        def _parse_last_run_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_run_id_type_0 = UUID(data)

                return last_run_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        last_run_id = _parse_last_run_id(d.pop("last_run_id"))

        module = d.pop("module")

        outputs = StackOutOutputs.from_dict(d.pop("outputs"))

        def _parse_pool_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pool_id_type_0 = UUID(data)

                return pool_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        pool_id = _parse_pool_id(d.pop("pool_id"))

        status = check_stack_out_status(d.pop("status"))

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

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        variables = StackOutVariables.from_dict(d.pop("variables"))

        workspace = d.pop("workspace")

        def _parse_boundary(data: object) -> None | StackOutBoundaryType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                boundary_type_0 = StackOutBoundaryType0.from_dict(data)

                return boundary_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StackOutBoundaryType0 | Unset, data)

        boundary = _parse_boundary(d.pop("boundary", UNSET))

        def _parse_drift_checked_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                drift_checked_at_type_0 = datetime.datetime.fromisoformat(data)

                return drift_checked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        drift_checked_at = _parse_drift_checked_at(d.pop("drift_checked_at", UNSET))

        def _parse_release_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                release_id_type_0 = UUID(data)

                return release_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        release_id = _parse_release_id(d.pop("release_id", UNSET))

        stack_out = cls(
            applied_revision=applied_revision,
            cloud=cloud,
            created_at=created_at,
            desired_revision=desired_revision,
            drift_status=drift_status,
            id=id,
            kind=kind,
            last_run_id=last_run_id,
            module=module,
            outputs=outputs,
            pool_id=pool_id,
            status=status,
            tenant_id=tenant_id,
            updated_at=updated_at,
            variables=variables,
            workspace=workspace,
            boundary=boundary,
            drift_checked_at=drift_checked_at,
            release_id=release_id,
        )

        stack_out.additional_properties = d
        return stack_out

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
