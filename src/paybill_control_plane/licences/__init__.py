"""Signed licences: what a tenant may use, verifiable offline by the application (EdDSA JWT)."""
