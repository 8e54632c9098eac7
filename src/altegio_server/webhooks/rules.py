"""Pure rules of webhooks (behaviour 20): settings, signatures, which answers are retried."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_URLS = 10
MAX_URL_LENGTH = 2048
# The vendor's resource flags (behaviour 20.1), then this server's extension `activity` (20.2).
VENDOR_FLAGS = ("salon", "service_category", "service", "good", "master", "client", "record",
                "goods_operations_sale", "goods_operations_receipt", "goods_operations_move", "finances_operation")
FLAGS = (*VENDOR_FLAGS, "activity")
STATUSES = ("create", "update", "delete")
URL_INVALID = "This value is not a valid URL. Expected an absolute http:// or https:// URL."


def url_problem(url: str) -> str | None:
    """Why a receiver URL cannot be used, or None: absolute http(s), a host, no spaces."""
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        return URL_INVALID
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok or any(c.isspace() for c in url):
        return URL_INVALID
    return None


@dataclass(frozen=True)
class Policy:
    """How deliveries are timed and retried (behaviour 20.4); seconds."""

    delay: float = 5.0
    timeout: float = 10.0
    retries: int = 2
    retry_interval: float = 1.5
    poll: float = 0.5
    log_entries: int = 5000
    retention: float = 7 * 86400.0
    in_flight: int = 16

    def lease(self) -> float:
        """How long a claimed notification stays another process's: every attempt to every URL
        with room to spare (the URLs are sent to at once, so this is generous)."""
        return MAX_URLS * (self.retries + 1) * (self.timeout + self.retry_interval) + 60


def retryable(status: int | None) -> bool:
    """Transport errors (no status), 429 and 5xx are tried again; any other answer is final."""
    return status is None or status == 429 or status >= 500


def delivered(status: int | None) -> bool:
    return status is not None and 200 <= status < 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>` (behaviour 20.5)."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def signature_matches(secret: str, header: str, body: bytes) -> bool:
    """Whether a signature header was made with this secret for this body."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    if not fields.get("t", "").isdigit() or "v1" not in fields:
        return False
    return hmac.compare_digest(signature(secret, int(fields["t"]), body), f"t={fields['t']},v1={fields['v1']}")
