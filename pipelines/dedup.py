"""One article, one row, within a run: the second arrival of an article becomes an alias.

Across runs the store resolves identity (article id, canonical URL, story
hash). Within a run this pipeline remembers what it has passed on, behind
the small ``SeenArticles`` interface, so a shared index (Redis) can take its
place when crawls run on several machines.
"""

from __future__ import annotations

from typing import Protocol

from wardnews.items import Article, Sighting
from wardnews.seen import RunMemory


class SeenArticles(Protocol):
    def claim(self, identity: str, holder: tuple[str, str | None]) -> tuple[str, str | None] | None:
        """Record ``holder`` (canonical url, article key) for ``identity``.

        Returns None the first time, else the holder that claimed it first.
        """


class DiskSeenArticles:
    """The in-process index, on disk (``wardnews.seen``): flat memory however many articles a run meets."""

    def __init__(self) -> None:
        self.memory = RunMemory()
        self._claims = self.memory.map()

    def claim(self, identity, holder):
        return self._claims.claim(identity, list(holder))

    def close(self) -> None:
        self.memory.close()


class MemorySeenArticles:
    """An index in a dict (tests, and runs too small to care)."""

    def __init__(self) -> None:
        self._holders: dict[str, tuple[str, str | None]] = {}

    def claim(self, identity, holder):
        existing = self._holders.get(identity)
        if existing is None:
            self._holders[identity] = holder
        return existing


class DedupPipeline:
    """Pass each article once per run; later copies are kept as URL sightings."""

    def __init__(self, stats=None, seen: SeenArticles | None = None):
        self.stats = stats
        self.seen = seen or DiskSeenArticles()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def close_spider(self, spider=None):
        close = getattr(self.seen, "close", None)
        if close is not None:
            close()

    def process_item(self, item, spider=None):
        if not isinstance(item, Article):
            return item
        holder = (item.url, item.article_key)
        identities = [f"url:{item.url}"]
        if item.article_key:
            identities.append(f"key:{item.site}:{item.article_key}")
        earlier = [self.seen.claim(identity, holder) for identity in identities]
        if not any(earlier):
            # A republished copy (same story, new id) goes on to the store, which keeps the
            # older of the two as the article and the other as an alias, whatever came first.
            return item
        if self.stats:
            self.stats.inc_value("wardnews/duplicates")
        original = next(e for e in earlier if e)
        return Sighting(
            url=item.fetched_url or item.url,
            canonical_url=original[0],
            article_key=original[1],
            site=item.site,
        )
