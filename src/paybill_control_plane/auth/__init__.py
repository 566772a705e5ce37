"""API keys, principals, roles and tenant scoping."""
