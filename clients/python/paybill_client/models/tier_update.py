from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.cloud import Cloud, check_cloud
from ..models.isolation_model import IsolationModel, check_isolation_model
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.boolean_feature import BooleanFeature
    from ..models.numeric_feature import NumericFeature
    from ..models.set_feature import SetFeature
    from ..models.sizing import Sizing
    from ..models.snapshot_schedule import SnapshotSchedule
    from ..models.tier_update_allowed_regions import TierUpdateAllowedRegions
    from ..models.tier_update_module_versions import TierUpdateModuleVersions


T = TypeVar("T", bound="TierUpdate")


@_attrs_define
class TierUpdate:
    """
    Attributes:
        allowed_clouds (list[Cloud] | Unset):
        allowed_isolation (list[IsolationModel] | None | Unset):
        allowed_regions (TierUpdateAllowedRegions | Unset):
        approvals_required (int | Unset):
        default_isolation (IsolationModel | Unset):
        drift_interval_seconds (int | None | Unset):
        features (list[BooleanFeature | NumericFeature | SetFeature] | Unset):
        maintenance_window (None | str | Unset):
        module_versions (TierUpdateModuleVersions | Unset):
        name (str | Unset):
        pool_capacity (int | None | Unset):
        rank (int | Unset):
        sizing (Sizing | Unset): Terraform sizing handed to every module (see terraform-modules/README.md).
        snapshot_schedule (None | SnapshotSchedule | Unset):
        tier_group (None | str | Unset):
    """

    allowed_clouds: list[Cloud] | Unset = UNSET
    allowed_isolation: list[IsolationModel] | None | Unset = UNSET
    allowed_regions: TierUpdateAllowedRegions | Unset = UNSET
    approvals_required: int | Unset = UNSET
    default_isolation: IsolationModel | Unset = UNSET
    drift_interval_seconds: int | None | Unset = UNSET
    features: list[BooleanFeature | NumericFeature | SetFeature] | Unset = UNSET
    maintenance_window: None | str | Unset = UNSET
    module_versions: TierUpdateModuleVersions | Unset = UNSET
    name: str | Unset = UNSET
    pool_capacity: int | None | Unset = UNSET
    rank: int | Unset = UNSET
    sizing: Sizing | Unset = UNSET
    snapshot_schedule: None | SnapshotSchedule | Unset = UNSET
    tier_group: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.boolean_feature import BooleanFeature  # noqa: PLC0415
        from ..models.numeric_feature import NumericFeature  # noqa: PLC0415
        from ..models.snapshot_schedule import SnapshotSchedule  # noqa: PLC0415

        allowed_clouds: list[str] | Unset = UNSET
        if not isinstance(self.allowed_clouds, Unset):
            allowed_clouds = []
            for allowed_clouds_item_data in self.allowed_clouds:
                allowed_clouds_item: str = allowed_clouds_item_data
                allowed_clouds.append(allowed_clouds_item)

        allowed_isolation: list[str] | None | Unset
        if isinstance(self.allowed_isolation, Unset):
            allowed_isolation = UNSET
        elif isinstance(self.allowed_isolation, list):
            allowed_isolation = []
            for allowed_isolation_type_0_item_data in self.allowed_isolation:
                allowed_isolation_type_0_item: str = allowed_isolation_type_0_item_data
                allowed_isolation.append(allowed_isolation_type_0_item)

        else:
            allowed_isolation = self.allowed_isolation

        allowed_regions: dict[str, Any] | Unset = UNSET
        if not isinstance(self.allowed_regions, Unset):
            allowed_regions = self.allowed_regions.to_dict()

        approvals_required = self.approvals_required

        default_isolation: str | Unset = UNSET
        if not isinstance(self.default_isolation, Unset):
            default_isolation = self.default_isolation

        drift_interval_seconds: int | None | Unset
        if isinstance(self.drift_interval_seconds, Unset):
            drift_interval_seconds = UNSET
        else:
            drift_interval_seconds = self.drift_interval_seconds

        features: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.features, Unset):
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

        maintenance_window: None | str | Unset
        if isinstance(self.maintenance_window, Unset):
            maintenance_window = UNSET
        else:
            maintenance_window = self.maintenance_window

        module_versions: dict[str, Any] | Unset = UNSET
        if not isinstance(self.module_versions, Unset):
            module_versions = self.module_versions.to_dict()

        name = self.name

        pool_capacity: int | None | Unset
        if isinstance(self.pool_capacity, Unset):
            pool_capacity = UNSET
        else:
            pool_capacity = self.pool_capacity

        rank = self.rank

        sizing: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sizing, Unset):
            sizing = self.sizing.to_dict()

        snapshot_schedule: dict[str, Any] | None | Unset
        if isinstance(self.snapshot_schedule, Unset):
            snapshot_schedule = UNSET
        elif isinstance(self.snapshot_schedule, SnapshotSchedule):
            snapshot_schedule = self.snapshot_schedule.to_dict()
        else:
            snapshot_schedule = self.snapshot_schedule

        tier_group: None | str | Unset
        if isinstance(self.tier_group, Unset):
            tier_group = UNSET
        else:
            tier_group = self.tier_group

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if allowed_clouds is not UNSET:
            field_dict["allowed_clouds"] = allowed_clouds
        if allowed_isolation is not UNSET:
            field_dict["allowed_isolation"] = allowed_isolation
        if allowed_regions is not UNSET:
            field_dict["allowed_regions"] = allowed_regions
        if approvals_required is not UNSET:
            field_dict["approvals_required"] = approvals_required
        if default_isolation is not UNSET:
            field_dict["default_isolation"] = default_isolation
        if drift_interval_seconds is not UNSET:
            field_dict["drift_interval_seconds"] = drift_interval_seconds
        if features is not UNSET:
            field_dict["features"] = features
        if maintenance_window is not UNSET:
            field_dict["maintenance_window"] = maintenance_window
        if module_versions is not UNSET:
            field_dict["module_versions"] = module_versions
        if name is not UNSET:
            field_dict["name"] = name
        if pool_capacity is not UNSET:
            field_dict["pool_capacity"] = pool_capacity
        if rank is not UNSET:
            field_dict["rank"] = rank
        if sizing is not UNSET:
            field_dict["sizing"] = sizing
        if snapshot_schedule is not UNSET:
            field_dict["snapshot_schedule"] = snapshot_schedule
        if tier_group is not UNSET:
            field_dict["tier_group"] = tier_group

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.boolean_feature import BooleanFeature  # noqa: PLC0415
        from ..models.numeric_feature import NumericFeature  # noqa: PLC0415
        from ..models.set_feature import SetFeature  # noqa: PLC0415
        from ..models.sizing import Sizing  # noqa: PLC0415
        from ..models.snapshot_schedule import SnapshotSchedule  # noqa: PLC0415
        from ..models.tier_update_allowed_regions import TierUpdateAllowedRegions  # noqa: PLC0415
        from ..models.tier_update_module_versions import TierUpdateModuleVersions  # noqa: PLC0415

        d = dict(src_dict)
        _allowed_clouds = d.pop("allowed_clouds", UNSET)
        allowed_clouds: list[Cloud] | Unset = UNSET
        if _allowed_clouds is not UNSET:
            allowed_clouds = []
            for allowed_clouds_item_data in _allowed_clouds:
                allowed_clouds_item = check_cloud(allowed_clouds_item_data)

                allowed_clouds.append(allowed_clouds_item)

        def _parse_allowed_isolation(data: object) -> list[IsolationModel] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_isolation_type_0 = []
                _allowed_isolation_type_0 = data
                for allowed_isolation_type_0_item_data in _allowed_isolation_type_0:
                    allowed_isolation_type_0_item = check_isolation_model(allowed_isolation_type_0_item_data)

                    allowed_isolation_type_0.append(allowed_isolation_type_0_item)

                return allowed_isolation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[IsolationModel] | None | Unset, data)

        allowed_isolation = _parse_allowed_isolation(d.pop("allowed_isolation", UNSET))

        _allowed_regions = d.pop("allowed_regions", UNSET)
        allowed_regions: TierUpdateAllowedRegions | Unset
        if isinstance(_allowed_regions, Unset):
            allowed_regions = UNSET
        else:
            allowed_regions = TierUpdateAllowedRegions.from_dict(_allowed_regions)

        approvals_required = d.pop("approvals_required", UNSET)

        _default_isolation = d.pop("default_isolation", UNSET)
        default_isolation: IsolationModel | Unset
        if isinstance(_default_isolation, Unset):
            default_isolation = UNSET
        else:
            default_isolation = check_isolation_model(_default_isolation)

        def _parse_drift_interval_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        drift_interval_seconds = _parse_drift_interval_seconds(d.pop("drift_interval_seconds", UNSET))

        _features = d.pop("features", UNSET)
        features: list[BooleanFeature | NumericFeature | SetFeature] | Unset = UNSET
        if _features is not UNSET:
            features = []
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

        def _parse_maintenance_window(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        maintenance_window = _parse_maintenance_window(d.pop("maintenance_window", UNSET))

        _module_versions = d.pop("module_versions", UNSET)
        module_versions: TierUpdateModuleVersions | Unset
        if isinstance(_module_versions, Unset):
            module_versions = UNSET
        else:
            module_versions = TierUpdateModuleVersions.from_dict(_module_versions)

        name = d.pop("name", UNSET)

        def _parse_pool_capacity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pool_capacity = _parse_pool_capacity(d.pop("pool_capacity", UNSET))

        rank = d.pop("rank", UNSET)

        _sizing = d.pop("sizing", UNSET)
        sizing: Sizing | Unset
        if isinstance(_sizing, Unset):
            sizing = UNSET
        else:
            sizing = Sizing.from_dict(_sizing)

        def _parse_snapshot_schedule(data: object) -> None | SnapshotSchedule | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                snapshot_schedule_type_0 = SnapshotSchedule.from_dict(data)

                return snapshot_schedule_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SnapshotSchedule | Unset, data)

        snapshot_schedule = _parse_snapshot_schedule(d.pop("snapshot_schedule", UNSET))

        def _parse_tier_group(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tier_group = _parse_tier_group(d.pop("tier_group", UNSET))

        tier_update = cls(
            allowed_clouds=allowed_clouds,
            allowed_isolation=allowed_isolation,
            allowed_regions=allowed_regions,
            approvals_required=approvals_required,
            default_isolation=default_isolation,
            drift_interval_seconds=drift_interval_seconds,
            features=features,
            maintenance_window=maintenance_window,
            module_versions=module_versions,
            name=name,
            pool_capacity=pool_capacity,
            rank=rank,
            sizing=sizing,
            snapshot_schedule=snapshot_schedule,
            tier_group=tier_group,
        )

        return tier_update
