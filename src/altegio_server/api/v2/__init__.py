"""API v2: JSON:API-shaped resources under /api/v2, in both path spellings."""
