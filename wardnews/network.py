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


class NotPublic(RuntimeError):
    """The host is (or resolves to) a non-public address; the message is one sentence for the user."""


def check_public(url: str, allowed_netlocs: set[str] | frozenset[str] = frozenset()) -> None:
    """Raise NotPublic when ``url``'s host is loopback, private, link-local or otherwise not public.

    ``allowed_netlocs`` (host:port, e.g. the ``--base-url`` mirror) are exempt.
    A name that does not resolve passes: ``check_reachable`` says so better.
    """
    from wardnews.middlewares import non_public_reason

    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.netloc.lower() in {n.lower() for n in allowed_netlocs}:
        return
    try:
        reason = non_public_reason(host)
    except ValueError:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror:
            return
        reasons = [r for *_, address in addresses if (r := non_public_reason(address[0]))]
        reason = reasons[0] if reasons else None
    if reason:
        raise NotPublic(
            f"{host} is a {reason} address: wardnews requests only public hosts and the --base-url mirror"
            " (list others in WARDNEWS_PRIVATE_HOSTS)"
        )
