"""Billing: Stripe webhooks, subscriptions and the desired-state mapping."""
