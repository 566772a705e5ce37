"""Paybill Control Plane: tenants, plans and licence tiers turned into Terraform-managed infrastructure."""

__version__ = "0.1.0"
