"""What a nightly run fetches: the "have we seen this?" questions and the frontier.

The portal spider asks two small interfaces, so that a shared index (Redis,
with scrapy-redis's scheduler) can take their place when crawls run on
several machines:

- ``KnownArticles``: is this article stored, is it due for a re-check, did
  this URL fail for good lately (404, 410, not an article)?
- ``Frontier``: what is still to fetch, kept outside the process so a run
  killed with SIGKILL resumes where it stopped.

``StoreCrawlState`` implements both over the SQLite file (through
``wardnews.store``, the only module that knows the schema). ``CrawlPolicy``
turns the answers and the run's mode into decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from wardnews.dates import VN_TZ
from wardnews.extract.feeds import SITEMAP_INDEX, Feed, FeedEntry
from wardnews.store import Store

LISTING, ARTICLE = "listing", "article"


class KnownArticles(Protocol):
    def known_since(self, url: str, article_key: str | None) -> str | None | bool:
        """False when the article is not stored; else its publication (or first-seen) time, or None."""

    def recheck_urls(self, since: str) -> list[str]:
        """Stored articles published at or after ``since`` (ISO 8601), newest first."""

    def gone_urls(self, since: str) -> set[str]:
        """URLs that failed for good (404, 410, not an article) at or after ``since``."""

    def doubtful_urls(self, now: datetime) -> tuple[set[str], set[str]]:
        """``(due, waiting)``: doubtful pages (refused, cut short) to fetch again now, and the others."""

    def newest_published(self) -> datetime | None:
        """The publication time of the newest stored article (None when nothing is stored)."""


class Frontier(Protocol):
    def add(self, url: str, kind: str, *, hops: int = 0, page: int = 1, reason: str = "") -> None:
        """Record that ``url`` is to be fetched."""

    def done(self, urls: list[str]) -> None:
        """Record that ``urls`` need no more fetching."""

    def pending(self) -> list[dict]:
        """What is recorded and not done (left by a killed run): dicts of url, kind, hops, page."""

    def clear(self) -> None:
        """Forget everything: the run walked its whole frontier."""


def _frontier_add(store, url, kind, hops, page, reason, run_id) -> None:
    store.frontier_add(url, kind, hops=hops, page=page, reason=reason, run_id=run_id)


class StoreCrawlState:
    """``KnownArticles`` and ``Frontier`` over the SQLite file.

    Reads go through a connection of its own. Frontier writes go through ``writer``
    (a ``wardnews.store.writer.StoreWriter``) when there is one, in the one order of
    every write of the crawl; else they are made here, each committed at once.
    """

    def __init__(self, db_path: str, site_key: str | None, run_id: int | None = None, writer=None):
        self.store = Store(db_path)
        self.site_key = site_key
        self.run_id = run_id
        self.writer = writer

    # KnownArticles
    def known_since(self, url, article_key):
        row = self.store.known_article(self.site_key, article_key, url)
        return False if row is None else row[1]

    def recheck_urls(self, since):
        return self.store.recent_article_urls(since, self.site_key)

    def gone_urls(self, since):
        return self.store.gone_urls(since)

    def doubtful_urls(self, now):
        return self.store.doubtful_urls(now)

    def usual_page_sizes(self) -> list[int]:
        return self.store.usual_page_sizes(self.site_key)

    # What the last run learnt of the site's boilerplate (wardnews.learning)
    def stored_boilerplate(self) -> str | None:
        return self.store.stored_boilerplate(self.site_key) if self.site_key else None

    def save_boilerplate(self, data: str, pages: int) -> None:
        if self.site_key:
            self._write("save_boilerplate", self.site_key, data, pages)

    def newest_published(self):
        value = self.store.newest_published_at(self.site_key)
        return as_vn_time(value) if value else None

    # Frontier
    def add(self, url, kind, *, hops=0, page=1, reason=""):
        if self.writer is not None:  # with its neighbours, before whatever is written next
            self.writer.hold(_frontier_add, url, kind, hops, page, reason, self.run_id)
            return
        self._write("frontier_add", url, kind, hops=hops, page=page, reason=reason, run_id=self.run_id)

    def done(self, urls):
        self._write("frontier_done", list(urls))

    def pending(self):
        return self.store.frontier_pending()

    def clear(self):
        self._write("frontier_clear")

    def _write(self, method: str, *args, **kwargs) -> None:
        if self.writer is None:
            getattr(self.store, method)(*args, **kwargs)
        else:
            self.writer.post(lambda store: getattr(store, method)(*args, **kwargs))

    def close(self) -> None:
        self.store.close()


@dataclass
class CrawlPolicy:
    """Which pages a run fetches, given its mode and what the database holds.

    ``nightly``: new articles, plus those published within ``recheck_days``;
    a listing is paginated only while its pages still show unstored articles;
    URLs that failed for good within ``gone_days`` are not asked for again.
    ``full``: everything, every listing page.
    In both, a doubtful page (refused, or cut short) is fetched again by the next
    run, then only once its back-off has passed (``wardnews.doubts.next_try``).
    """

    known: KnownArticles
    mode: str = "nightly"
    recheck_days: float = 3.0
    gone_days: float = 30.0
    now: datetime | None = None

    def __post_init__(self) -> None:
        now = self.now or datetime.now(VN_TZ)
        self.recheck_since = (now - timedelta(days=self.recheck_days)).isoformat(timespec="seconds")
        gone_since = (now - timedelta(days=self.gone_days)).isoformat(timespec="seconds")
        self.gone = set() if self.full else self.known.gone_urls(gone_since)
        self.retry_due, self.retry_waiting = self.known.doubtful_urls(now)

    @property
    def full(self) -> bool:
        return self.mode == "full"

    def is_stored(self, url: str, article_key: str | None) -> bool:
        return self.known.known_since(url, article_key) is not False

    def article_reason(self, url: str, article_key: str | None) -> str | None:
        """Why to fetch this article ("new", "recheck", "retry", "full"), or None to skip it."""
        if self.full:
            return "full"
        if url in self.retry_due:
            return "retry"
        if url in self.gone or url in self.retry_waiting:
            return None
        since = self.known.known_since(url, article_key)
        if since is False:
            return "new"
        if self.recheck_days > 0 and since and since >= self.recheck_since:
            return "recheck"
        return None

    def fetch_listing(self, url: str) -> bool:
        return self.full or url not in self.gone

    def paginate(self, article_links: list[tuple[str, str | None]]) -> bool:
        """Walk on past this listing page? In nightly mode only while it shows an unstored article."""
        if self.full:
            return True
        return any(not self.is_stored(url, key) for url, key in article_links)

    def near_stored(self, article_links: list[tuple[str, str | None]]) -> bool:
        """Does this listing page show a stored article (so the next page may be the last to walk)?"""
        return not self.full and any(self.is_stored(url, key) for url, key in article_links)

    def recheck_urls(self) -> list[str]:
        """Stored articles to fetch again: doubtful pages due for a retry, then recent ones."""
        retry = sorted(self.retry_due)
        if self.full or self.recheck_days <= 0:
            return retry
        return retry + self.known.recheck_urls(self.recheck_since)


# -- feeds (sitemaps, RSS): new articles in a request or two ------------------------------
def as_vn_time(value: str) -> datetime:
    """An ISO 8601 time or day as the store writes it, as an aware datetime (a bare day: midnight)."""
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VN_TZ)


def sitemaps_to_read(index: Feed, since: datetime | None) -> list[str]:
    """The sitemaps of a sitemap index worth reading: the newest, and any changed since ``since``.

    ``since`` is the newest stored article: a sitemap whose ``lastmod`` is older lists
    nothing new. An index that dates none of its sitemaps gives [] (no way to tell).
    """
    if index.kind != SITEMAP_INDEX:
        return []
    dated = sorted((e for e in index.entries if e.published), key=lambda e: e.published, reverse=True)
    if not dated:
        return []
    return [dated[0].url] + [e.url for e in dated[1:] if since is not None and e.published >= since]


def feed_doubt(
    entries: list[FeedEntry],
    now: datetime,
    max_age: timedelta,
    newest_stored: datetime | None,
    is_stored,
) -> str | None:
    """Why ``entries`` (a sitemap's or a feed's) may not list every new article; None when they do.

    Trusted only when dated, fresh (the newest entry within ``max_age`` of ``now``,
    ``Feed.is_fresh``), no older than the newest stored article (a feed that stopped
    being updated lags behind what the listings showed), and reaching back to a
    stored article (an RSS feed of the newest 50 after a busy week does not).
    ``is_stored(url)`` says whether an entry's article is stored.
    """
    if not entries:
        return "it lists nothing"
    feed = Feed("", entries)
    newest = feed.newest
    if newest is None:
        return "it gives no dates"
    if not feed.is_fresh(now, max_age):
        return f"it is stale (newest entry {newest:%Y-%m-%d %H:%M})"
    if newest_stored is not None and newest < newest_stored:
        return f"it is stale (newest entry {newest:%Y-%m-%d %H:%M}, older than the newest stored article)"
    if not any(is_stored(e.url) for e in entries):
        return "it does not reach back to a stored article"
    return None
