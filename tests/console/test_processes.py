"""A console session is the database's, so every server process knows it (behaviour 21.2)."""

from __future__ import annotations

import re

import httpx

from tests.console.conftest import OWNER
from tests.live_server import LiveServer

_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


def _csrf(client: httpx.Client, base: str, path: str) -> str:
    found = _CSRF.search(client.get(base + path).text)
    assert found
    return found.group(1)


def test_signed_in_on_one_process_signed_in_on_all_and_out_everywhere(servers: list[LiveServer]) -> None:
    one, two = servers
    with httpx.Client(timeout=30) as client:
        token = _csrf(client, one.url, "/console/login")
        r = client.post(one.url + "/console/login", data={"csrf_token": token, "login": OWNER[0],
                                                         "password": OWNER[1]})
        assert r.status_code == 303
        # The cookie is the host's (127.0.0.1), whatever the port: the other process gets it too.
        assert client.get(two.url + "/console/locations/101/week").status_code == 200
        cookie = client.cookies.get("altegio_console")
        token = _csrf(client, two.url, "/console/logout")
        assert client.post(two.url + "/console/logout", data={"csrf_token": token}).status_code == 303
    # The old cookie, sent to the first process, is no session there either.
    again = httpx.get(one.url + "/console/locations/101/week", cookies={"altegio_console": cookie}, timeout=30)
    assert again.status_code == 303
