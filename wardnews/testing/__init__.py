"""Test helpers: a generated local mirror of the portal and an HTTP server for it.

``Portal`` (in ``portal.py``) generates a deterministic copy of laodongthudo.vn
with ground truth for every article and every duplicate trap; ``PortalServer``
(in ``server.py``) serves one on 127.0.0.1 with optional injected faults.
Serve one by hand with ``python -m wardnews.testing.server --articles 2000``.
"""

from __future__ import annotations

from typing import Any

from wardnews.testing.portal import Portal, PortalArticle, Response, Section

__all__ = [
    "Faults",
    "Portal",
    "PortalArticle",
    "PortalServer",
    "RequestRecord",
    "Response",
    "Section",
]

_SERVER_NAMES = ("Faults", "PortalServer", "RequestRecord")


def __getattr__(name: str) -> Any:
    # Imported lazily so that ``python -m wardnews.testing.server`` does not
    # find the module already imported by its package.
    if name in _SERVER_NAMES:
        from wardnews.testing import server

        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
