"""The pytest plugin (entry point `pytest11`, behaviour 19.7): a sandbox server per test session,
started fresh for each test that asks for it.

    def test_a_class_fills_up(altegio):
        ...  # altegio.base_url, altegio.headers, altegio.clock.advance(days=1), altegio.requests()

`altegio_sandbox` is the session's server; `altegio` is the same server after `fresh()`: the
demo's data again, the server's own clock, no faults, no rate limit, an empty journal.
Set `ALTEGIO_SANDBOX_DATABASE_URL` to run it over a database of your own (PostgreSQL, say).
"""

from __future__ import annotations

import os
from typing import Iterator

import pytest

from altegio_server.testing import Sandbox


@pytest.fixture(scope="session")
def altegio_sandbox() -> Iterator[Sandbox]:
    """One sandbox server for the whole test session (as it was left by the last test)."""
    with Sandbox(os.environ.get("ALTEGIO_SANDBOX_DATABASE_URL") or None) as sandbox:
        yield sandbox


@pytest.fixture
def altegio(altegio_sandbox: Sandbox) -> Sandbox:
    """The session's sandbox server, started afresh for this test."""
    altegio_sandbox.fresh()
    return altegio_sandbox
