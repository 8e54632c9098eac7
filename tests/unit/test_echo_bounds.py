"""Client text echoed in log lines and messages is cut to a bounded length (behaviour 9.6)."""

from __future__ import annotations

import logging

from altegio_server.api.envelopes import shorten
from altegio_server.api.errors import internal_error


def test_text_over_the_limit_is_cut_and_the_cut_marked():
    assert shorten("abc", 5) == "abc"
    assert shorten("abcdefgh", 5) == "abcde… (8 characters)"


def test_an_unexpected_failure_logs_at_most_200_characters_of_the_path(caplog):
    path = "/api/" + "x" * 100_000
    with caplog.at_level(logging.ERROR, logger="altegio_server.api"):
        reply = internal_error("GET" * 1000, path, RuntimeError("boom"))
    assert reply.status_code == 500
    (record,) = caplog.records
    assert record.getMessage() == f"unexpected failure on {'GET' * 5}G {path[:200]}… (100005 characters)"
