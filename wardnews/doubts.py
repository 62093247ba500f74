"""Doubtful pages: a page on an article-shaped URL that extraction refused, or that arrived cut short.

A wrong guess must never lose an article (DESIGN.md), so such a page is not
a fact about the URL: it is kept raw with the reason (``doubtful_pages``),
counted against the run (status degraded, exit 4), fetched again by the next
run and then after a growing wait, and re-judged offline by ``wardnews
reparse``. Only 404, 410 and pages the extractor recognises as the portal's
own error page ("Trang không tồn tại", served with 200) are blocked for 30 days.

Pure functions: what counts as cut short, and when to try again.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

# The end of an HTML document; a page may carry a comment or a script tag after it.
_HTML_END_RE = re.compile(rb"</html\s*>", re.IGNORECASE)
_HTML_START_RE = re.compile(rb"<html[\s>]", re.IGNORECASE)
# A page smaller than this share of the site's usual article page is suspect.
SHORT_SHARE = 0.3
# How many whole pages the "usual size" needs before it is trusted.
MIN_SAMPLE = 20
# The waits before each retry, in days, after the first one (which is the next run's).
FIRST_WAIT_DAYS = 1.0
MAX_WAIT_DAYS = 30.0
# A nightly run starts at about the same time each night: one that starts a few hours
# earlier than the night before still counts the page as due.
DUE_SLACK = timedelta(hours=6)

# Words that start the reason extraction gives for the portal's own error page.
ERROR_PAGE_REASON = "error page"


def truncation(body: bytes, headers: dict[str, list[str]], usual_bytes: float | None) -> str | None:
    """Why a fetched HTML page looks cut short, or None when it looks whole.

    ``headers`` maps header names to values; ``usual_bytes`` is the site's
    usual article page size (None when not known yet).
    """
    declared = _header(headers, "Content-Length")
    if declared and declared.isdigit() and len(body) < int(declared):
        return f"{len(body)} of the {declared} bytes Content-Length announced"
    if _HTML_START_RE.search(body[:4096]) and not _ends_html(body):
        ending = "Content-Length met" if declared else "no Content-Length"
        return f"the document stops before </html> ({len(body)} bytes, {ending})"
    if usual_bytes and len(body) < SHORT_SHARE * usual_bytes:
        return f"{len(body)} bytes, under {SHORT_SHARE:.0%} of the site's usual {int(usual_bytes)}"
    return None


def _ends_html(body: bytes) -> bool:
    # The end tag is almost always in the last few KiB: look there before reading the whole page.
    return bool(_HTML_END_RE.search(body, max(0, len(body) - 8192)) or _HTML_END_RE.search(body))


def is_error_page_refusal(reason: str | None) -> bool:
    """True when extraction refused the page as the portal's own error page (a 404 served with 200)."""
    return bool(reason) and reason.startswith(ERROR_PAGE_REASON)


def next_try(tries: int, tried_at: datetime) -> datetime:
    """When a page found doubtful ``tries`` times in a row is fetched again.

    The first time, by the next run (no wait); then after 1, 2, 4... days, at most 30.
    """
    if tries <= 1:
        return tried_at
    wait = min(FIRST_WAIT_DAYS * 2 ** (tries - 2), MAX_WAIT_DAYS)
    return tried_at + timedelta(days=wait)


def due_before(now: datetime) -> datetime:
    """Pages whose next try is before this are due for a run starting ``now``."""
    return now + DUE_SLACK


class UsualSize:
    """The usual size of the site's whole pages of one kind (article, long read): a sample's median.

    Kinds are apart because templates differ: an e-magazine page is not a cut article page.
    """

    def __init__(self, known: list[tuple[str, int]] | None = None, keep: int = 200):
        self.sizes: dict[str, list[int]] = {}
        self.keep = keep
        for kind, size in known or []:
            self.add(kind, size)

    def add(self, kind: str, size: int) -> None:
        sizes = self.sizes.setdefault(kind, [])
        if len(sizes) < self.keep:
            sizes.append(size)

    def value(self, kind: str) -> float | None:
        sizes = self.sizes.get(kind, [])
        if len(sizes) < MIN_SAMPLE:
            return None
        ordered = sorted(sizes)
        return float(ordered[len(ordered) // 2])


def _header(headers: dict[str, list[str]], name: str) -> str | None:
    for key, values in headers.items():
        if key.lower() == name.lower() and values:
            return values[0].strip()
    return None
