"""The README's walkthrough, run as written: its bash blocks, in order, in one bash process,
against a real server over a freshly seeded demo database (behaviour 13.4).

Only the base URL is changed. A `curl` function put in front of the real one reports each
answer's status on stderr, so that the README's commands stay as a reader pastes them. Each
bash block is followed by its answer block: one `HTTP <status>` line per curl, each followed
by the answer's body, abbreviated (see `abbreviated`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import ROOT, LiveServer

README = ROOT / "README.md"
HEADING = "## Walkthrough: a week of classes with curl"
BASE_URL = "http://127.0.0.1:8000"
STATUS_MARK, BLOCK_MARK = "@@status ", "@@block "
ANY, MORE = "\u0000any", "\u0000more"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)

pytestmark = pytest.mark.skipif(not (shutil.which("bash") and shutil.which("curl")),
                                reason="the walkthrough needs bash and curl")


def walkthrough(readme: str) -> list[tuple[str, list[tuple[int, str]]]]:
    """The section's bash blocks, each with the answers (status, abbreviated body) shown after it."""
    start = readme.index(HEADING)
    end = readme.find("\n## ", start + len(HEADING))
    section = readme[start:end if end != -1 else None]
    steps: list[tuple[str, list[tuple[int, str]]]] = []
    for kind, text in _FENCE.findall(section):
        if kind == "bash":
            steps.append((text, []))
        elif kind == "text" and steps:
            for answer in re.split(r"^(?=HTTP )", text, flags=re.M):
                if answer.strip():
                    status, _, body = answer.partition("\n")
                    steps[-1][1].append((int(status.split()[1]), body.strip()))
    return steps


def abbreviated(text: str) -> Any:
    """JSON in which `...` stands for more keys (in an object), more items (in an array) or
    any value (after a key)."""
    out, stack, i, in_string = [], [], 0, False
    while i < len(text):
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\":
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                in_string = False
        elif text.startswith("...", i):
            before = "".join(out).rstrip()[-1:]
            if before == ":":
                out.append(json.dumps(ANY))
            elif stack[-1] == "{":
                out.append(json.dumps(MORE) + ": null")
            else:
                out.append(json.dumps(MORE))
            i += 3
            continue
        else:
            out.append(c)
            if c == '"':
                in_string = True
            elif c in "{[":
                stack.append(c)
            elif c in "}]":
                stack.pop()
        i += 1
    return json.loads("".join(out))


def mismatch(expected: Any, actual: Any, where: str = "body") -> str | None:
    """Where `actual` differs from the abbreviated `expected`, or None."""
    if expected == ANY:
        return None
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where}: {actual!r} is not an object"
        keys = [k for k in expected if k != MORE]
        if MORE not in expected and set(actual) != set(keys):
            return f"{where}: keys {sorted(actual)} are not {sorted(keys)}"
        for key in keys:
            if key not in actual:
                return f"{where}: no {key!r}"
            problem = mismatch(expected[key], actual[key], f"{where}.{key}")
            if problem:
                return problem
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return f"{where}: {actual!r} is not an array"
        items = [e for e in expected if e != MORE]
        if len(actual) < len(items) or (MORE not in expected and len(actual) != len(items)):
            return f"{where}: {len(actual)} items, not {len(items)}{' or more' if MORE in expected else ''}"
        for n, item in enumerate(items):
            problem = mismatch(item, actual[n], f"{where}[{n}]")
            if problem:
                return problem
        return None
    if type(expected) is not type(actual) or expected != actual:
        return f"{where}: {actual!r}, not {expected!r}"
    return None


def bodies(text: str) -> list[Any]:
    """Every JSON document printed, in order."""
    decoder, found, i = json.JSONDecoder(), [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return found
        value, i = decoder.raw_decode(text, i)
        found.append(value)


def run(steps: list[tuple[str, list]], base_url: str, workdir: Path) -> list[tuple[list[int], str]]:
    """Run the blocks in one bash; for each, the statuses curl reported and what it printed."""
    script = [f"curl() {{ command curl --write-out '%{{stderr}}{STATUS_MARK}%{{http_code}}\\n' \"$@\"; }}"]
    for n, (block, _) in enumerate(steps):
        script += [block.replace(BASE_URL, base_url),
                   f"printf '\\n{BLOCK_MARK}{n}\\n'; printf '{BLOCK_MARK}{n}\\n' >&2"]
    path = workdir / "walkthrough.sh"
    path.write_text("\n".join(script) + "\n")
    done = subprocess.run(["bash", "--noprofile", "--norc", str(path)], cwd=workdir, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    printed = re.split(rf"\n{BLOCK_MARK}\d+\n", done.stdout)
    reported = re.split(rf"^{BLOCK_MARK}\d+\n", done.stderr, flags=re.M)
    assert len(printed) == len(reported) == len(steps) + 1, (done.stdout, done.stderr)
    statuses = [[int(line[len(STATUS_MARK):]) for line in part.splitlines() if line.startswith(STATUS_MARK)]
                for part in reported]
    return list(zip(statuses, printed))[:len(steps)]


def test_the_readme_walkthrough_reads_as_abbreviated_json():
    assert abbreviated('{"a": ..., "b": [1, ...], ...}') == {"a": ANY, "b": [1, MORE], MORE: None}
    assert mismatch(abbreviated('{"a": 1, ...}'), {"a": 1, "b": 2}) is None
    assert mismatch(abbreviated('{"a": 1}'), {"a": 1, "b": 2}) == "body: keys ['a', 'b'] are not ['a']"
    assert mismatch(abbreviated('{"a": [{"b": ...}, ...]}'), {"a": [{"b": 0}, 5]}) is None
    assert mismatch(abbreviated('{"a": []}'), {"a": [1]}) == "body.a: 1 items, not 0"
    assert mismatch(abbreviated('{"a": 1}'), {"a": True}) == "body.a: True, not 1"


def test_every_command_of_the_readme_walkthrough_answers_as_shown(database_url, tmp_path):
    steps = walkthrough(README.read_text())
    assert len(steps) >= 10 and all(BASE_URL not in block for block, _ in steps[1:]), \
        "the base URL is set once, in the first block"
    with LiveServer(database_url) as server:  # the real clock, as `make run` has
        results = run(steps, server.url, tmp_path)
    for (block, answers), (statuses, printed) in zip(steps, results):
        shown = [status for status, _ in answers]
        assert statuses == shown, f"{block}\nanswered {statuses}, the README shows {shown}"
        expected = [abbreviated(body) for _, body in answers if body]
        got = bodies(printed)
        assert len(got) == len(expected), f"{block}\nprinted {printed!r}"
        for want, have in zip(expected, got):
            problem = mismatch(want, have)
            assert problem is None, f"{block}\n{problem}"
