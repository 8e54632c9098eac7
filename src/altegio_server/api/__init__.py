"""The HTTP edge: the only package that knows about requests, status codes and envelopes."""
