"""What altegio_server.serving.protocol relies on inside uvicorn (behaviour 8.1): if an upgrade
of uvicorn changes any of it, this fails before a server quietly loses its limits."""

from __future__ import annotations

import inspect
import textwrap

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

from altegio_server.serving.protocol import GuardedHttpToolsProtocol

# The methods the subclass replaces instead of extending (to save a call per header, read or
# request), as uvicorn writes them: the subclass repeats their code. And one whose result it reads.
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
UVICORN_DATA_RECEIVED = '''
def data_received(self, data: bytes) -> None:
    self._unset_keepalive_if_required()

    try:
        self.parser.feed_data(data)
    except httptools.HttpParserError:
        msg = "Invalid HTTP request received."
        self.logger.warning(msg)
        self.send_400_response(msg)
        return
    except httptools.HttpParserUpgrade:
        if self._should_upgrade():
            self.handle_websocket_upgrade()
        else:
            self._unsupported_upgrade_warning()
'''
UVICORN_ON_MESSAGE_COMPLETE = '''
def on_message_complete(self) -> None:
    if (self.parser.should_upgrade() and self._should_upgrade()) or self.cycle.response_complete:
        return
    self.cycle.more_body = False
    self.cycle.message_event.set()
'''


def _source(function: object) -> str:
    return textwrap.dedent(inspect.getsource(function)).strip()


def test_uvicorn_is_the_version_the_protocol_was_written_for():
    assert uvicorn.__version__.startswith("0.54."), "check serving/protocol.py against it, then widen the pin"


def test_the_callbacks_the_protocol_replaces_or_reads_are_unchanged():
    assert _source(HttpToolsProtocol.on_url) == UVICORN_ON_URL.strip()
    assert _source(HttpToolsProtocol.on_header) == UVICORN_ON_HEADER.strip()
    assert _source(HttpToolsProtocol.data_received) == UVICORN_DATA_RECEIVED.strip()
    assert _source(HttpToolsProtocol.on_message_complete) == UVICORN_ON_MESSAGE_COMPLETE.strip()


def test_every_method_the_protocol_extends_still_exists_with_its_signature():
    extended = ["connection_made", "connection_lost", "data_received", "on_message_begin", "on_header",
                "on_headers_complete", "on_body", "on_message_complete", "_unset_keepalive_if_required",
                "_start_asgi_task", "pause_writing", "resume_writing"]
    for name in extended:
        ours, theirs = getattr(GuardedHttpToolsProtocol, name), getattr(HttpToolsProtocol, name)
        assert list(inspect.signature(ours).parameters) == list(inspect.signature(theirs).parameters), name


def test_the_state_the_protocol_reads_is_still_kept_under_the_same_names():
    init = inspect.getsource(HttpToolsProtocol.__init__)
    for attribute in ("self.connections", "self.cycle", "self.flow", "self.transport", "self.loop", "self.headers",
                      "self.expect_100_continue", "self.parser"):
        assert attribute in init, attribute
    assert "self.url" in inspect.getsource(HttpToolsProtocol.on_message_begin)
    cycle = inspect.getsource(RequestResponseCycle.__init__)
    for attribute in ("self.disconnected", "self.message_event", "self.response_started", "self.response_complete"):
        assert attribute in cycle, attribute
