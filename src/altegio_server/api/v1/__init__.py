"""API v1 (deprecated, still served): `{"success", "data", "meta"}` envelopes under /api/v1."""
