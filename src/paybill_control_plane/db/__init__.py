"""Database access: engine, sessions, declarative base, embedded Postgres."""
