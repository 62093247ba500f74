"""Can we reach the portal at all? Asked once before a crawl, so a dead network fails in seconds."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit


class Unreachable(RuntimeError):
    """The host cannot be reached; the message is one sentence for the user."""


def check_reachable(url: str, timeout: float = 10.0) -> None:
    """Resolve the host of ``url`` and open a TCP connection to it, or raise Unreachable."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise Unreachable(
            f"cannot reach {host}: its name does not resolve ({error.strerror}); check the network connection"
        ) from None
    last_error: OSError | None = None
    for family, kind, proto, _, address in addresses:
        try:
            with socket.socket(family, kind, proto) as sock:
                sock.settimeout(timeout)
                sock.connect(address)
                return
        except OSError as error:
            last_error = error
    reason = getattr(last_error, "strerror", None) or type(last_error).__name__
    raise Unreachable(f"cannot reach {host}:{port} ({reason}); check the network connection")
