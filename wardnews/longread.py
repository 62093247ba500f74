"""The identity of a long read (``/<slug>.media``), whose URL carries no article id.

Its id is the one its page states: the print link (``/apicenter@/print_article&i=<id>``)
or an id meta tag. Without one, the article is known by its canonical URL (the
slug) alone, and ``article_key`` stays NULL.
"""

from __future__ import annotations

import re

from wardnews.sites.base import SiteProfile
from wardnews.urls import is_long_read_url, join_url, qualified_key

# On the lower-cased page: an href's value (what a print link's would be is found around
# each "print" the page says, as a page has hundreds of links and one print link).
_HREF_RE = re.compile(rb"""href\s*=\s*["']([^"'<>]{1,300})["']""")
_AROUND = 400  # bytes before a "print" where its href may start
_ID_META_RE = re.compile(
    rb"""<meta[^>]+(?:name|property|itemprop)\s*=\s*["'](?:article|news)[_:-]?id["'][^>]*>""", re.IGNORECASE
)
_CONTENT_RE = re.compile(rb"""content\s*=\s*["'](\d{4,})["']""", re.IGNORECASE)


def print_links(body: bytes, url: str, site: SiteProfile) -> list[tuple[str, str]]:
    """``(print URL, article key)`` of every print link on a page (a bytes scan, no parse)."""
    found: dict[str, str] = {}
    if site.print_url_re is None:
        return []
    for value in _hrefs_saying_print(body):
        link = join_url(url, value.decode("latin-1").replace("&amp;", "&"))
        if not link or not site.owns(link):
            continue
        path_and_query = link.split("://", 1)[-1].partition("/")[2]
        hit = site.print_url_re.search("/" + path_and_query)
        if hit:
            found.setdefault(link, qualified_key(hit.group(1), link.split("/")[2], site))
    return list(found.items())


def _hrefs_saying_print(body: bytes) -> list[bytes]:
    """The href values of ``body`` that contain "print" (any case), in page order."""
    lowered = body.lower()
    spans: dict[int, int] = {}
    at = lowered.find(b"print")
    while at != -1:
        start = max(0, at - _AROUND)
        for match in _HREF_RE.finditer(lowered, start, at + 302):
            if match.start(1) <= at < match.end(1):
                spans.setdefault(match.start(1), match.end(1))
        at = lowered.find(b"print", at + 5)
    return [body[begin:end] for begin, end in sorted(spans.items())]


def long_read_key(body: bytes, url: str, site: SiteProfile) -> str | None:
    """The article key a long-read page states for itself, or None (also for any other page)."""
    if not is_long_read_url(url, site):
        return None
    for _, key in print_links(body, url, site)[:1]:
        return key
    meta = _ID_META_RE.search(body)
    if meta:
        content = _CONTENT_RE.search(meta.group(0))
        if content:
            return qualified_key(content.group(1).decode("ascii"), url.split("/")[2], site)
    return None
