"""Liveness and readiness, outside the API and without tokens (behaviour 11.2)."""

from __future__ import annotations


def test_liveness_answers_ok_without_tokens(api):
    r = api.get("/health", auth=None, accept=None)
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}
    assert r.headers["content-type"] == "application/json"


def test_readiness_answers_ok_when_the_database_answers(api):
    r = api.get("/health/ready", auth=None, accept=None)
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_health_answers_head_and_refuses_other_methods(api):
    assert api.request("HEAD", "/health", auth=None, accept=None).status_code == 200
    r = api.post("/health/ready", auth=None, accept=None)
    assert r.status_code == 405
    assert r.json()["success"] is False
