"""Calls to `/_sandbox/...` with the sandbox token, on the standard library alone."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

TIMEOUT = 30.0


class SandboxError(Exception):
    """A control answered an error: `status` and the envelope's `body`."""

    def __init__(self, status: int, body: Any) -> None:
        self.status, self.body = status, body
        message = body.get("meta", {}).get("message") if isinstance(body, dict) else body
        super().__init__(f"{status}: {message}")


class Controls:
    def __init__(self, base_url: str, token: str) -> None:
        self.base_url, self.token = base_url, token

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """The control's JSON answer (None for 204); SandboxError for a 4xx or 5xx."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.base_url}/_sandbox/{path}", data=data, method=method,
                                         headers={"Authorization": f"Bearer {self.token}",
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
                raw = answer.read()
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            raise SandboxError(exc.code, json.loads(raw) if raw else None) from None
        return json.loads(raw) if raw else None
