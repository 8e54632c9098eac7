"""The pure rules of the sandbox's snapshots, and one process's gate around a restore (behaviour 19.3)."""

from __future__ import annotations

import asyncio

import pytest

from altegio_server.errors import Unavailable
from altegio_server.sandbox.gate import Gate
from altegio_server.sandbox.snapshot_rules import domain_tables, name_problem, parents_first


@pytest.mark.parametrize("name", ["a", "A-z_0.9", "x" * 64, "...", "-"])
def test_names_of_letters_digits_dashes_underscores_and_dots_are_allowed(name):
    assert name_problem(name) is None


@pytest.mark.parametrize("name", ["", "x" * 65, "a b", "a/b", "é", "(baseline)", "a\n"])
def test_other_names_are_refused(name):
    assert name_problem(name) == ("A snapshot's name is 1 to 64 characters: letters A-Z and a-z, digits, '-', "
                                  "'_' and '.'.")


def test_the_sandboxs_own_tables_the_migrations_and_the_partner_tokens_are_never_in_a_snapshot():
    names = ["events", "partner_tokens", "schema_migrations", "sandbox_state", "sandbox_journal",
             "sandbox_snap_1_events", "chains", "webhook_outbox", "webhook_deliveries", "webhook_settings"]
    assert domain_tables(names) == ["chains", "events", "webhook_settings"]


def test_parents_come_before_the_tables_that_refer_to_them():
    keys = [("records", "events"), ("events", "locations"), ("records", "clients"), ("clients", "locations"),
            ("locations", "chains"), ("records", "records")]
    assert parents_first(["records", "events", "clients", "locations", "chains"], keys) == [
        "chains", "locations", "clients", "events", "records"]


def test_a_cycle_of_keys_puts_its_tables_last_by_name():
    assert parents_first(["b", "a", "c"], [("a", "b"), ("b", "a")]) == ["c", "a", "b"]


def test_a_restore_waits_for_the_requests_in_flight_and_holds_new_ones():
    async def scenario() -> list[str]:
        gate, seen = Gate(wait=2.0), []
        await gate.enter()

        async def restore() -> None:
            async with gate.closed():
                seen.append("restore")

        async def late_request() -> None:
            await asyncio.sleep(0.01)
            await gate.enter()
            seen.append("late request")
            gate.leave()

        tasks = [asyncio.create_task(restore()), asyncio.create_task(late_request())]
        await asyncio.sleep(0.05)
        seen.append("first request answers")
        gate.leave()
        await asyncio.gather(*tasks)
        return seen

    assert asyncio.run(scenario()) == ["first request answers", "restore", "late request"]


def test_both_waits_are_bounded():
    async def scenario() -> tuple[bool, bool]:
        gate = Gate(wait=0.05)
        await gate.enter()  # never leaves
        with pytest.raises(Unavailable):
            async with gate.closed():
                pass
        held = Gate(wait=0.05)
        async with held.closed():
            with pytest.raises(Unavailable):
                await held.enter()
        await held.enter()  # open again once the restore is done
        return True, True

    assert asyncio.run(scenario()) == (True, True)
