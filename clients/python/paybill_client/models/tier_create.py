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
    from ..models.tier_create_allowed_regions import TierCreateAllowedRegions
    from ..models.tier_create_module_versions import TierCreateModuleVersions


T = TypeVar("T", bound="TierCreate")


@_attrs_define
class TierCreate:
    """
    Attributes:
        default_isolation (IsolationModel):
        key (str):
        name (str):
        rank (int): Ordering of tiers; a higher rank is an upgrade.
        sizing (Sizing): Terraform sizing handed to every module (see terraform-modules/README.md).
        allowed_clouds (list[Cloud] | Unset):
        allowed_isolation (list[IsolationModel] | None | Unset): Isolation models a tenant may override to; default: the
            default.
        allowed_regions (TierCreateAllowedRegions | Unset): Per cloud, the allowed regions; a missing cloud: any.
        approvals_required (int | Unset): Distinct approvers a run of this tier's tenants needs when a policy holds it.
            Default: 1.
        drift_interval_seconds (int | None | Unset): Check this tier's stacks for drift this often (null: the default).
        features (list[BooleanFeature | NumericFeature | SetFeature] | Unset):
        maintenance_window (None | str | Unset): When rollouts may touch this tier's tenants, e.g. 'sat,sun 02:00-06:00'
            (UTC).
        module_versions (TierCreateModuleVersions | Unset): Pinned module release versions by module ('local/silo':
            '1.2.0'): new stacks of this tier's tenants run that release instead of the module on disk.
        pool_capacity (int | None | Unset): Tenants per pool for this tier; null: service default.
        snapshot_schedule (None | SnapshotSchedule | Unset): Scheduled snapshots of its tenants' data; null: none.
        tier_group (None | str | Unset): Tiers of one group share pools; default: the tier key.
    """

    default_isolation: IsolationModel
    key: str
    name: str
    rank: int
    sizing: Sizing
    allowed_clouds: list[Cloud] | Unset = UNSET
    allowed_isolation: list[IsolationModel] | None | Unset = UNSET
    allowed_regions: TierCreateAllowedRegions | Unset = UNSET
    approvals_required: int | Unset = 1
    drift_interval_seconds: int | None | Unset = UNSET
    features: list[BooleanFeature | NumericFeature | SetFeature] | Unset = UNSET
    maintenance_window: None | str | Unset = UNSET
    module_versions: TierCreateModuleVersions | Unset = UNSET
    pool_capacity: int | None | Unset = UNSET
    snapshot_schedule: None | SnapshotSchedule | Unset = UNSET
    tier_group: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.boolean_feature import BooleanFeature  # noqa: PLC0415
        from ..models.numeric_feature import NumericFeature  # noqa: PLC0415
        from ..models.snapshot_schedule import SnapshotSchedule  # noqa: PLC0415

        default_isolation: str = self.default_isolation

        key = self.key

        name = self.name

        rank = self.rank

        sizing = self.sizing.to_dict()

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

        pool_capacity: int | None | Unset
        if isinstance(self.pool_capacity, Unset):
            pool_capacity = UNSET
        else:
            pool_capacity = self.pool_capacity

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

        field_dict.update(
            {
                "default_isolation": default_isolation,
                "key": key,
                "name": name,
                "rank": rank,
                "sizing": sizing,
            }
        )
        if allowed_clouds is not UNSET:
            field_dict["allowed_clouds"] = allowed_clouds
        if allowed_isolation is not UNSET:
            field_dict["allowed_isolation"] = allowed_isolation
        if allowed_regions is not UNSET:
            field_dict["allowed_regions"] = allowed_regions
        if approvals_required is not UNSET:
            field_dict["approvals_required"] = approvals_required
        if drift_interval_seconds is not UNSET:
            field_dict["drift_interval_seconds"] = drift_interval_seconds
        if features is not UNSET:
            field_dict["features"] = features
        if maintenance_window is not UNSET:
            field_dict["maintenance_window"] = maintenance_window
        if module_versions is not UNSET:
            field_dict["module_versions"] = module_versions
        if pool_capacity is not UNSET:
            field_dict["pool_capacity"] = pool_capacity
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
        from ..models.tier_create_allowed_regions import TierCreateAllowedRegions  # noqa: PLC0415
        from ..models.tier_create_module_versions import TierCreateModuleVersions  # noqa: PLC0415

        d = dict(src_dict)
        default_isolation = check_isolation_model(d.pop("default_isolation"))

        key = d.pop("key")

        name = d.pop("name")

        rank = d.pop("rank")

        sizing = Sizing.from_dict(d.pop("sizing"))

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
        allowed_regions: TierCreateAllowedRegions | Unset
        if isinstance(_allowed_regions, Unset):
            allowed_regions = UNSET
        else:
            allowed_regions = TierCreateAllowedRegions.from_dict(_allowed_regions)

        approvals_required = d.pop("approvals_required", UNSET)

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
        module_versions: TierCreateModuleVersions | Unset
        if isinstance(_module_versions, Unset):
            module_versions = UNSET
        else:
            module_versions = TierCreateModuleVersions.from_dict(_module_versions)

        def _parse_pool_capacity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pool_capacity = _parse_pool_capacity(d.pop("pool_capacity", UNSET))

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

        tier_create = cls(
            default_isolation=default_isolation,
            key=key,
            name=name,
            rank=rank,
            sizing=sizing,
            allowed_clouds=allowed_clouds,
            allowed_isolation=allowed_isolation,
            allowed_regions=allowed_regions,
            approvals_required=approvals_required,
            drift_interval_seconds=drift_interval_seconds,
            features=features,
            maintenance_window=maintenance_window,
            module_versions=module_versions,
            pool_capacity=pool_capacity,
            snapshot_schedule=snapshot_schedule,
            tier_group=tier_group,
        )

        return tier_create
