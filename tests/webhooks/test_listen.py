"""`altegio-server webhooks listen` (behaviour 20.7): a real process receiving real notifications."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from typing import Iterator

import httpx
import pytest

from altegio_server.webhooks.delivery import headers_for
from tests.cli.test_cli import SRC

BODY = b'{"company_id":101,"resource":"record","resource_id":7,"status":"create","data":{}}'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def listener() -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    process = subprocess.Popen([sys.executable, "-m", "altegio_server", "webhooks", "listen", "--port", str(port),
                                "--secret", "whsec_cli"], stdout=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    assert process.stdout.readline().startswith(f"listening on http://127.0.0.1:{port}/")
    try:
        yield f"http://127.0.0.1:{port}/hooks", process
    finally:
        process.terminate()
        process.wait(10)


def test_the_listener_prints_each_notification_and_checks_its_signature(listener):
    url, process = listener
    good = httpx.post(url, content=BODY, headers={"Content-Type": "application/json",
                                                  **headers_for("d1", BODY, "whsec_cli")})
    forged = httpx.post(url, content=BODY, headers=headers_for("d2", BODY, "another"))
    unsigned = httpx.post(url, content=BODY, headers=headers_for("d3", BODY, None))
    assert (good.status_code, forged.status_code, unsigned.status_code) == (200, 400, 400)
    lines = [process.stdout.readline().rstrip("\n") for _ in range(3)]
    body = BODY.decode()
    assert lines == [f"POST /hooks HTTP/1.1 delivery=d1 signature=ok {body}",
                     f"POST /hooks HTTP/1.1 delivery=d2 signature=BAD {body}",
                     f"POST /hooks HTTP/1.1 delivery=d3 signature=missing {body}"]


def test_the_readmes_signature_check_accepts_the_servers_signature_and_refuses_others():
    import re

    from tests.live_server import ROOT

    readme = (ROOT / "README.md").read_text()
    [code] = [c for c in re.findall(r"```python\n(.*?)```", readme, flags=re.S) if "def signed" in c]
    namespace: dict = {}
    exec(code, namespace)  # the README's own example, as a reader would paste it
    signed = namespace["signed"]
    header = headers_for("d-1", BODY, "whsec_readme")["X-Altegio-Server-Signature"]
    assert signed(header, BODY, "whsec_readme")
    assert not signed(header, BODY, "another-secret")
    assert not signed(header, BODY.replace(b"7", b"8"), "whsec_readme")
    stale = "t=1000000000," + header.split(",", 1)[1]
    assert not signed(stale, BODY, "whsec_readme")
