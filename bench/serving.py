"""The benchmark's portal server: the generated mirror, each page rendered once and served gzipped.

``wardnews.testing.server.PortalServer`` renders a page on every request,
which is right for tests (a test edits the portal between two crawls) and
wrong for a benchmark: rendering 72 KiB pages in the benchmark's own
process would cost more than either crawler's work per page and hide the
difference between them. Here a page is rendered and gzip-compressed the
first time it is asked for and served from memory after, with
``Content-Encoding: gzip`` as a real portal behind a CDN serves it, so both
crawlers also pay for decompression.
"""

from __future__ import annotations

import gzip
import threading

from wardnews.testing.portal import Portal, Response

GZIP_LEVEL = 6  # what nginx and most CDNs use


class GzippedPortal:
    """Wraps a ``Portal``: same ``render()``, pages cached and gzipped. Not for portals edited later.

    ``cache=False`` gzips every response anew instead: for a portal too big to keep
    in memory twice (200,000 articles: about 2 GiB of gzipped pages).
    """

    def __init__(self, portal: Portal, cache: bool = True):
        self.portal = portal
        self.cache = cache
        self.sections = portal.sections
        self._cache: dict[tuple[str, str | None], Response] = {}
        self._lock = threading.Lock()

    def __getattr__(self, name: str):
        return getattr(self.portal, name)

    def render(self, path_and_query: str, *, base_url: str | None = None) -> Response:
        """The portal's response for a path, gzipped (and cached: rendered once)."""
        key = (path_and_query, base_url)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        plain = self.portal.render(path_and_query, base_url=base_url)
        headers = {**plain.headers, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
        packed = Response(plain.status, headers, gzip.compress(plain.body, GZIP_LEVEL, mtime=0))
        if not self.cache:
            return packed
        with self._lock:
            self._cache.setdefault(key, packed)
        return packed

    @property
    def cached_pages(self) -> int:
        return len(self._cache)
