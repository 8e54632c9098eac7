"""What altegio_server.serving.protocol relies on inside uvicorn (behaviour 8.1): if an upgrade
of uvicorn changes any of it, this fails before a server quietly loses its limits."""

from __future__ import annotations

import inspect
import textwrap

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

from altegio_server.serving.protocol import GuardedHttpToolsProtocol

# The two callbacks the subclass replaces instead of extending (to save a call per header),
# as uvicorn writes them; the subclass repeats their effect.
UVICORN_ON_URL = '''
def on_url(self, url: bytes) -> None:
    self.url += url
'''
UVICORN_ON_HEADER = '''
def on_header(self, name: bytes, value: bytes) -> None:
    name = name.lower()
    if name == b"expect" and value.lower() == b"100-continue":
        self.expect_100_continue = True
    self.headers.append((name, value))
'''


def _source(function: object) -> str:
    return textwrap.dedent(inspect.getsource(function)).strip()


def test_uvicorn_is_the_version_the_protocol_was_written_for():
    assert uvicorn.__version__.startswith("0.54."), "check serving/protocol.py against it, then widen the pin"


def test_the_callbacks_the_protocol_replaces_are_unchanged():
    assert _source(HttpToolsProtocol.on_url) == UVICORN_ON_URL.strip()
    assert _source(HttpToolsProtocol.on_header) == UVICORN_ON_HEADER.strip()


def test_every_method_the_protocol_extends_still_exists_with_its_signature():
    extended = ["connection_made", "connection_lost", "data_received", "send_400_response", "on_message_begin",
                "on_headers_complete", "on_body", "on_message_complete", "_unset_keepalive_if_required",
                "_start_asgi_task"]
    for name in extended:
        ours, theirs = getattr(GuardedHttpToolsProtocol, name), getattr(HttpToolsProtocol, name)
        assert list(inspect.signature(ours).parameters) == list(inspect.signature(theirs).parameters), name


def test_the_state_the_protocol_reads_is_still_kept_under_the_same_names():
    init = inspect.getsource(HttpToolsProtocol.__init__)
    for attribute in ("self.connections", "self.cycle", "self.flow", "self.transport", "self.loop", "self.headers",
                      "self.expect_100_continue", "self.parser"):
        assert attribute in init, attribute
    assert "self.url" in inspect.getsource(HttpToolsProtocol.on_message_begin)
    assert '"Invalid HTTP request received."' in inspect.getsource(HttpToolsProtocol.data_received)  # throttled
    cycle = inspect.getsource(RequestResponseCycle.__init__)
    for attribute in ("self.disconnected", "self.message_event", "self.response_started", "self.response_complete"):
        assert attribute in cycle, attribute
