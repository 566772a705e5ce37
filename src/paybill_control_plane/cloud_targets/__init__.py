"""Cloud targets: where tenants are provisioned, and the write-only credentials to do it."""
