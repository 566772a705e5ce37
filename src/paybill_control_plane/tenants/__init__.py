"""Tenants and their lifecycle."""
