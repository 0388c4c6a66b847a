"""Billing's writes, one module per aggregate: each changes its tables and stages its events
through the outbox in the caller's transaction (a route's or a consumer's)."""
