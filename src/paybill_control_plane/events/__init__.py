"""Outbound events to the application plane: the outbox, webhook endpoints, signed delivery."""
