from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cloud import Cloud, check_cloud
from ..models.isolation_model import IsolationModel, check_isolation_model
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.boolean_feature import BooleanFeature
    from ..models.numeric_feature import NumericFeature
    from ..models.set_feature import SetFeature
    from ..models.sizing import Sizing
    from ..models.snapshot_schedule import SnapshotSchedule
    from ..models.tier_out_allowed_regions import TierOutAllowedRegions
    from ..models.tier_out_module_versions import TierOutModuleVersions


T = TypeVar("T", bound="TierOut")


@_attrs_define
class TierOut:
    """
    Attributes:
        allowed_clouds (list[Cloud]):
        allowed_isolation (list[IsolationModel]):
        allowed_regions (TierOutAllowedRegions):
        approvals_required (int):
        created_at (datetime.datetime):
        default_isolation (IsolationModel):
        features (list[BooleanFeature | NumericFeature | SetFeature]):
        key (str):
        name (str):
        pool_capacity (int | None):
        rank (int):
        sizing (Sizing): Terraform sizing handed to every module (see terraform-modules/README.md).
        snapshot_schedule (None | SnapshotSchedule):
        tier_group (None | str):
        updated_at (datetime.datetime):
        version (int):
        drift_interval_seconds (int | None | Unset):
        maintenance_window (None | str | Unset):
        module_versions (TierOutModuleVersions | Unset):
    """

    allowed_clouds: list[Cloud]
    allowed_isolation: list[IsolationModel]
    allowed_regions: TierOutAllowedRegions
    approvals_required: int
    created_at: datetime.datetime
    default_isolation: IsolationModel
    features: list[BooleanFeature | NumericFeature | SetFeature]
    key: str
    name: str
    pool_capacity: int | None
    rank: int
    sizing: Sizing
    snapshot_schedule: None | SnapshotSchedule
    tier_group: None | str
    updated_at: datetime.datetime
    version: int
    drift_interval_seconds: int | None | Unset = UNSET
    maintenance_window: None | str | Unset = UNSET
    module_versions: TierOutModuleVersions | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.boolean_feature import BooleanFeature  # noqa: PLC0415
        from ..models.numeric_feature import NumericFeature  # noqa: PLC0415
        from ..models.snapshot_schedule import SnapshotSchedule  # noqa: PLC0415

        allowed_clouds = []
        for allowed_clouds_item_data in self.allowed_clouds:
            allowed_clouds_item: str = allowed_clouds_item_data
            allowed_clouds.append(allowed_clouds_item)

        allowed_isolation = []
        for allowed_isolation_item_data in self.allowed_isolation:
            allowed_isolation_item: str = allowed_isolation_item_data
            allowed_isolation.append(allowed_isolation_item)

        allowed_regions = self.allowed_regions.to_dict()

        approvals_required = self.approvals_required

        created_at = self.created_at.isoformat()

        default_isolation: str = self.default_isolation

        features = []
        for features_item_data in self.features:
            features_item: dict[str, Any]
            if isinstance(features_item_data, BooleanFeature):
                features_item = features_item_data.to_dict()
            elif isinstance(features_item_data, NumericFeature):
                features_item = features_item_data.to_dict()
            else:
                features_item = features_item_data.to_dict()

            features.append(features_item)

        key = self.key

        name = self.name

        pool_capacity: int | None
        pool_capacity = self.pool_capacity

        rank = self.rank

        sizing = self.sizing.to_dict()

        snapshot_schedule: dict[str, Any] | None
        if isinstance(self.snapshot_schedule, SnapshotSchedule):
            snapshot_schedule = self.snapshot_schedule.to_dict()
        else:
            snapshot_schedule = self.snapshot_schedule

        tier_group: None | str
        tier_group = self.tier_group

        updated_at = self.updated_at.isoformat()

        version = self.version

        drift_interval_seconds: int | None | Unset
        if isinstance(self.drift_interval_seconds, Unset):
            drift_interval_seconds = UNSET
        else:
            drift_interval_seconds = self.drift_interval_seconds

        maintenance_window: None | str | Unset
        if isinstance(self.maintenance_window, Unset):
            maintenance_window = UNSET
        else:
            maintenance_window = self.maintenance_window

        module_versions: dict[str, Any] | Unset = UNSET
        if not isinstance(self.module_versions, Unset):
            module_versions = self.module_versions.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allowed_clouds": allowed_clouds,
                "allowed_isolation": allowed_isolation,
                "allowed_regions": allowed_regions,
                "approvals_required": approvals_required,
                "created_at": created_at,
                "default_isolation": default_isolation,
                "features": features,
                "key": key,
                "name": name,
                "pool_capacity": pool_capacity,
                "rank": rank,
                "sizing": sizing,
                "snapshot_schedule": snapshot_schedule,
                "tier_group": tier_group,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if drift_interval_seconds is not UNSET:
            field_dict["drift_interval_seconds"] = drift_interval_seconds
        if maintenance_window is not UNSET:
            field_dict["maintenance_window"] = maintenance_window
        if module_versions is not UNSET:
            field_dict["module_versions"] = module_versions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.boolean_feature import BooleanFeature  # noqa: PLC0415
        from ..models.numeric_feature import NumericFeature  # noqa: PLC0415
        from ..models.set_feature import SetFeature  # noqa: PLC0415
        from ..models.sizing import Sizing  # noqa: PLC0415
        from ..models.snapshot_schedule import SnapshotSchedule  # noqa: PLC0415
        from ..models.tier_out_allowed_regions import TierOutAllowedRegions  # noqa: PLC0415
        from ..models.tier_out_module_versions import TierOutModuleVersions  # noqa: PLC0415

        d = dict(src_dict)
        allowed_clouds = []
        _allowed_clouds = d.pop("allowed_clouds")
        for allowed_clouds_item_data in _allowed_clouds:
            allowed_clouds_item = check_cloud(allowed_clouds_item_data)

            allowed_clouds.append(allowed_clouds_item)

        allowed_isolation = []
        _allowed_isolation = d.pop("allowed_isolation")
        for allowed_isolation_item_data in _allowed_isolation:
            allowed_isolation_item = check_isolation_model(allowed_isolation_item_data)

            allowed_isolation.append(allowed_isolation_item)

        allowed_regions = TierOutAllowedRegions.from_dict(d.pop("allowed_regions"))

        approvals_required = d.pop("approvals_required")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        default_isolation = check_isolation_model(d.pop("default_isolation"))

        features = []
        _features = d.pop("features")
        for features_item_data in _features:

            def _parse_features_item(data: object) -> BooleanFeature | NumericFeature | SetFeature:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    features_item_type_0 = BooleanFeature.from_dict(data)

                    return features_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    features_item_type_1 = NumericFeature.from_dict(data)

                    return features_item_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                features_item_type_2 = SetFeature.from_dict(data)

                return features_item_type_2

            features_item = _parse_features_item(features_item_data)

            features.append(features_item)

        key = d.pop("key")

        name = d.pop("name")

        def _parse_pool_capacity(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        pool_capacity = _parse_pool_capacity(d.pop("pool_capacity"))

        rank = d.pop("rank")

        sizing = Sizing.from_dict(d.pop("sizing"))

        def _parse_snapshot_schedule(data: object) -> None | SnapshotSchedule:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                snapshot_schedule_type_0 = SnapshotSchedule.from_dict(data)

                return snapshot_schedule_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SnapshotSchedule, data)

        snapshot_schedule = _parse_snapshot_schedule(d.pop("snapshot_schedule"))

        def _parse_tier_group(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tier_group = _parse_tier_group(d.pop("tier_group"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        def _parse_drift_interval_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        drift_interval_seconds = _parse_drift_interval_seconds(d.pop("drift_interval_seconds", UNSET))

        def _parse_maintenance_window(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        maintenance_window = _parse_maintenance_window(d.pop("maintenance_window", UNSET))

        _module_versions = d.pop("module_versions", UNSET)
        module_versions: TierOutModuleVersions | Unset
        if isinstance(_module_versions, Unset):
            module_versions = UNSET
        else:
            module_versions = TierOutModuleVersions.from_dict(_module_versions)

        tier_out = cls(
            allowed_clouds=allowed_clouds,
            allowed_isolation=allowed_isolation,
            allowed_regions=allowed_regions,
            approvals_required=approvals_required,
            created_at=created_at,
            default_isolation=default_isolation,
            features=features,
            key=key,
            name=name,
            pool_capacity=pool_capacity,
            rank=rank,
            sizing=sizing,
            snapshot_schedule=snapshot_schedule,
            tier_group=tier_group,
            updated_at=updated_at,
            version=version,
            drift_interval_seconds=drift_interval_seconds,
            maintenance_window=maintenance_window,
            module_versions=module_versions,
        )

        tier_out.additional_properties = d
        return tier_out

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
