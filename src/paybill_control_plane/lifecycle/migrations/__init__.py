"""Moving a tenant between isolation models: a durable workflow of phases (docs/migrations.md)."""
