"""Webhooks (behaviour 20): per-location settings, a transactional outbox, and its dispatcher."""
