"""`make run` passes ACCESS_LOG=1 on to `serve --access-log` (behaviour 13.5); read from make's
own dry run of the recipe."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.live_server import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _serve_line(*args: str, env: dict[str, str] | None = None) -> str:
    environ = {k: v for k, v in os.environ.items() if k not in ("ACCESS_LOG", "DATABASE_URL", "HOST", "PORT")}
    done = subprocess.run(["make", "--no-print-directory", "-n", "run", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**environ, **(env or {})}, check=True)
    recipe = done.stdout.replace("\\\n", " ")
    [line] = [line for line in recipe.splitlines() if "altegio-server serve" in line]
    return " ".join(line.split())


@pytest.mark.parametrize("args, env", [(("ACCESS_LOG=1",), None), ((), {"ACCESS_LOG": "1"})])
def test_access_log_1_turns_on_the_access_log(args, env):
    assert _serve_line(*args, env=env).endswith(
        "serve --sandbox --database-url sqlite:///altegio.sqlite3 --host 127.0.0.1 --port 8000 --access-log")


@pytest.mark.parametrize("args", [(), ("ACCESS_LOG=0",), ("ACCESS_LOG=",)])
def test_without_access_log_1_there_is_no_access_log(args):
    assert _serve_line(*args).endswith(
        "serve --sandbox --database-url sqlite:///altegio.sqlite3 --host 127.0.0.1 --port 8000")
