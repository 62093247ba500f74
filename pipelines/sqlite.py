"""Store articles, URL sightings and fetch errors in SQLite, in batches."""

from __future__ import annotations

import logging
import time

from scrapy import signals

from wardnews.items import Article, DoubtfulPage, FetchError, Sighting
from wardnews.store import Store
from wardnews.store.doubtful import RECOVERED

log = logging.getLogger(__name__)


class SQLitePipeline:
    """Buffers items and writes each batch in one transaction.

    The ``crawl_runs`` row is opened here and closed by ``close_spider`` with the
    run's figures; the ``wardnews`` command reads the same figures for its exit status.
    """

    def __init__(self, db_path: str, batch_size: int, mode: str, stats, base_url: str | None, crawler=None):
        self.crawler = crawler
        self.db_path = db_path
        self.batch_size = batch_size
        self.mode = mode
        self.stats = stats
        self.base_url = base_url
        self.store: Store | None = None
        self.run_id: int | None = None
        self.articles: list[Article] = []
        self.sightings: list[Sighting] = []
        self.doubtful: list[DoubtfulPage] = []
        self.flush_seconds = 5.0  # also commit a partial batch this long after the last commit
        self.last_flush = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        pipeline = cls(
            settings.get("WARDNEWS_DB"),
            settings.getint("WARDNEWS_BATCH_SIZE", 50),
            settings.get("WARDNEWS_MODE", "nightly"),
            crawler.stats,
            settings.get("WARDNEWS_BASE_URL"),
            crawler,
        )
        pipeline.flush_seconds = settings.getfloat("WARDNEWS_FLUSH_SECONDS", 5.0)
        # An item that a pipeline could not handle is a bug of ours: the run must not say "ok".
        crawler.signals.connect(pipeline._on_item_error, signal=signals.item_error)
        return pipeline

    def _on_item_error(self, item, response, spider, failure):
        self.stats.inc_value("wardnews/item_errors")

    def open_spider(self, spider=None):
        spider = spider or getattr(self.crawler, "spider", None)
        site = getattr(spider, "site", None)
        self.store = Store(self.db_path, sites={site.key: site} if site else None)
        killed = self.store.mark_killed_runs()  # we hold the lock: a 'running' run is dead
        if killed:
            log.warning("%d earlier run(s) had been killed; their frontier is resumed", killed)
        self.run_id = self.store.start_run(self.mode, self.base_url)
        self.stats.set_value("wardnews/run_id", self.run_id)
        self.stats.set_value("wardnews/db", str(self.db_path))

    def process_item(self, item, spider=None):
        if isinstance(item, Article):
            self.articles.append(item)
            self._count_fields(item)
            if (
                len(self.articles) >= self.batch_size
                or time.monotonic() - self.last_flush >= self.flush_seconds
            ):
                self._flush()
        elif isinstance(item, Sighting):
            self.sightings.append(item)
            if len(self.sightings) >= self.batch_size * 10:
                self._flush()
        elif isinstance(item, DoubtfulPage):
            self.doubtful.append(item)
            self.stats.inc_value("wardnews/doubtful")
        elif isinstance(item, FetchError):
            self.store.record_fetch_error(self.run_id, item.url, item.status, item.error)
            self.stats.inc_value("wardnews/errors")
            self.stats.inc_value(f"wardnews/errors/{item.error}")
        return item

    def _count_fields(self, article: Article) -> None:
        for field, strategy in article.extraction.items():
            self.stats.inc_value(f"wardnews/field/{field}/{strategy}")

    def _flush(self) -> None:
        # One transaction: the batch, its sightings, and the frontier entries it completes.
        self.last_flush = time.monotonic()
        with self.store.transaction():
            outcomes = self.store.save_articles(self.articles) if self.articles else []
            # The pages behind them, in the same transaction (raw_pages, for `wardnews reparse`).
            raw_kept = self.store.save_raw_pages(zip(self.articles, outcomes, strict=True))
            if self.sightings:
                self.store.record_sightings(self.sightings)
            # Doubts: kept after the articles they may belong to; whole pages settle earlier ones.
            cut = {d.article_url for d in self.doubtful if d.article_url}
            for article, result in zip(self.articles, outcomes, strict=True):
                if result.article_id is not None and article.url not in cut:
                    asked = [u for u in (article.url, article.fetched_url) if u]
                    if self.store.settle_doubts(asked, result.article_id, RECOVERED):
                        self.stats.inc_value("wardnews/doubtful/settled")
            if self.doubtful:
                self.store.save_doubtful_pages(self.doubtful, self.run_id)
            fetched = [u for a in self.articles for u in (a.url, a.fetched_url) if u]
            doubted = [d.url for d in self.doubtful]
            self.store.frontier_done(fetched + doubted + [s.url for s in self.sightings])
        for result in outcomes:
            self.stats.inc_value(f"wardnews/articles/{result.outcome}")
        if raw_kept:
            self.stats.inc_value("wardnews/raw_pages", raw_kept)
        self.articles = []
        self.sightings = []
        self.doubtful = []

    def close_spider(self, spider=None):
        try:
            self._flush()
        finally:
            from wardnews.alarm import raise_alarms
            from wardnews.runs import summarise_run

            raise_alarms(self.store, self.run_id, self.stats)  # markup-change alarm (issue 3)
            caps_hit = getattr(spider or getattr(self.crawler, "spider", None), "caps_hit", None)
            if caps_hit is not None:
                self.stats.set_value("wardnews/caps", caps_hit())
            summary = summarise_run(self.stats.get_stats())
            self.stats.set_value("wardnews/summary", summary)
            self.store.finish_run(self.run_id, **summary.as_row())
            self.store.close()
