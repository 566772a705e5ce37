"""The tenant data tier: each tenant's real database (a schema, a database or a server), its
login roles and credentials, its snapshots and restores."""
