"""The provisioning worker: procrastinate jobs claimed from Postgres, stalled-job recovery."""
