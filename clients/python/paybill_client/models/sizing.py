from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.sizing_db_class import SizingDbClass, check_sizing_db_class

T = TypeVar("T", bound="Sizing")


@_attrs_define
class Sizing:
    """Terraform sizing handed to every module (see terraform-modules/README.md).

    Attributes:
        backup_retention_days (int):
        compute_units (float): vCPU-equivalents of the tenant's compute.
        db_class (SizingDbClass):
        memory_gb (float):
        replicas (int):
        storage_gb (int):
    """

    backup_retention_days: int
    compute_units: float
    db_class: SizingDbClass
    memory_gb: float
    replicas: int
    storage_gb: int

    def to_dict(self) -> dict[str, Any]:
        backup_retention_days = self.backup_retention_days

        compute_units = self.compute_units

        db_class: str = self.db_class

        memory_gb = self.memory_gb

        replicas = self.replicas

        storage_gb = self.storage_gb

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "backup_retention_days": backup_retention_days,
                "compute_units": compute_units,
                "db_class": db_class,
                "memory_gb": memory_gb,
                "replicas": replicas,
                "storage_gb": storage_gb,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        backup_retention_days = d.pop("backup_retention_days")

        compute_units = d.pop("compute_units")

        db_class = check_sizing_db_class(d.pop("db_class"))

        memory_gb = d.pop("memory_gb")

        replicas = d.pop("replicas")

        storage_gb = d.pop("storage_gb")

        sizing = cls(
            backup_retention_days=backup_retention_days,
            compute_units=compute_units,
            db_class=db_class,
            memory_gb=memory_gb,
            replicas=replicas,
            storage_gb=storage_gb,
        )

        return sizing
