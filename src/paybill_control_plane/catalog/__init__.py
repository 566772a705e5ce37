"""Licence tiers, plans, entitlements and catalog-as-code."""
