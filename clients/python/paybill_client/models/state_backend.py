from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.state_backend_kind import StateBackendKind, check_state_backend_kind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.state_backend_config import StateBackendConfig


T = TypeVar("T", bound="StateBackend")


@_attrs_define
class StateBackend:
    """Where Terraform keeps the state of the target's stacks (one workspace per stack).

    Attributes:
        config (StateBackendConfig | Unset): Non-secret backend settings: s3 `bucket`, `region` [`key`,
            `workspace_key_prefix`, `dynamodb_table`, `use_lockfile`]; azurerm `resource_group_name`,
            `storage_account_name`, `container_name` [`key`]; gcs `bucket` [`prefix`].
        kind (StateBackendKind | Unset): `pg`: the control plane's own Postgres (default); `s3` (aws targets), `azurerm`
            (azure), `gcs` (gcp): a bucket reached with the target's credentials. Default: 'pg'.
    """

    config: StateBackendConfig | Unset = UNSET
    kind: StateBackendKind | Unset = "pg"

    def to_dict(self) -> dict[str, Any]:
        config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.config, Unset):
            config = self.config.to_dict()

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if config is not UNSET:
            field_dict["config"] = config
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.state_backend_config import StateBackendConfig  # noqa: PLC0415

        d = dict(src_dict)
        _config = d.pop("config", UNSET)
        config: StateBackendConfig | Unset
        if isinstance(_config, Unset):
            config = UNSET
        else:
            config = StateBackendConfig.from_dict(_config)

        _kind = d.pop("kind", UNSET)
        kind: StateBackendKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = check_state_backend_kind(_kind)

        state_backend = cls(
            config=config,
            kind=kind,
        )

        return state_backend
