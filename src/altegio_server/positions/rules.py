"""Position rules: which locations a change of a position touches (behaviour 10.1). Pure."""

from __future__ import annotations

from typing import Iterable


def touched_locations(linked_before: Iterable[int], linked_after: Iterable[int], held_at: Iterable[int]) -> set[int]:
    """The locations a change of a position reaches: those it was linked to, those it will be
    linked to, and those whose team members hold it (they show its title wherever they appear)."""
    return {*linked_before, *linked_after, *held_at}
