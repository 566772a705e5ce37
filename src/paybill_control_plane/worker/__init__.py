"""The worker: the job kit (jobs.py), procrastinate jobs claimed from Postgres, stalled-job recovery."""
