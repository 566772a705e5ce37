"""Operating the service: structured logs with redaction, Prometheus metrics, optional traces."""
