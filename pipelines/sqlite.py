"""Store articles, URL sightings and fetch errors in SQLite, in batches, on a writer thread."""

from __future__ import annotations

import logging
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

from scrapy import signals

from wardnews.items import Article, DoubtfulPage, FetchError, Sighting, Sightings
from wardnews.stopping import Stopper
from wardnews.store import SaveResult
from wardnews.store.connection import is_write_failure
from wardnews.store.doubtful import RECOVERED
from wardnews.store.writer import StoreWriter

log = logging.getLogger(__name__)

# Batches handed to the writer and not yet written: past this many, the crawl waits for it.
MAX_BATCHES_IN_FLIGHT = 4


@dataclass
class BatchWritten:
    """What writing one batch did (for the run's figures)."""

    outcomes: list[SaveResult] = field(default_factory=list)
    raw_kept: int = 0
    settled: int = 0


def write_batch(store, articles, sightings, doubtful, run_id) -> BatchWritten:
    """One transaction: the batch, its sightings, and the frontier entries it completes."""
    done = BatchWritten()
    with store.transaction():
        done.outcomes = store.save_articles(articles) if articles else []
        # The pages behind them, in the same transaction (raw_pages, for `wardnews reparse`).
        done.raw_kept = store.save_raw_pages(zip(articles, done.outcomes, strict=True))
        if sightings:
            store.record_sightings(sightings)
        # Doubts: kept after the articles they may belong to; whole pages settle earlier ones.
        cut = {d.article_url for d in doubtful if d.article_url}
        for article, result in zip(articles, done.outcomes, strict=True):
            if result.article_id is not None and article.url not in cut:
                asked = [u for u in (article.url, article.fetched_url) if u]
                done.settled += bool(store.settle_doubts(asked, result.article_id, RECOVERED))
        if doubtful:
            store.save_doubtful_pages(doubtful, run_id)
        fetched = [u for a in articles for u in (a.url, a.fetched_url) if u]
        doubted = [d.url for d in doubtful]
        store.frontier_done(fetched + doubted + [s.url for s in sightings])
    return done


def _open_run(store, mode: str, base_url: str | None) -> tuple[int, int]:
    killed = store.mark_killed_runs()  # we hold the lock: a 'running' run is dead
    return killed, store.start_run(mode, base_url)


class SQLitePipeline:
    """Buffers items and writes each batch in one transaction, on the crawl's writer thread.

    The ``crawl_runs`` row is opened here and closed by ``close_spider`` with the
    run's figures; the ``wardnews`` command reads the same figures for its exit status.
    Writes go to a ``StoreWriter`` (the spider's, when it has one: the frontier's
    writes and the batches then keep one order); the run's figures for a batch are
    counted when the writer is done with it, and all of them before the run is closed.
    """

    def __init__(self, db_path: str, batch_size: int, mode: str, stats, base_url: str | None, crawler=None):
        self.crawler = crawler
        self.db_path = db_path
        self.batch_size = batch_size
        self.mode = mode
        self.stats = stats
        self.base_url = base_url
        self.writer: StoreWriter | None = None
        self.field_counts: Counter = Counter()
        self.in_flight: deque = deque()  # (future, the batch or None), oldest first
        self._failures_checked = 0  # of the writer's unawaited failures
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
        shared = getattr(spider, "store_writer", None)
        if shared is not None and shared.path == Path(self.db_path):
            self.writer = shared.acquire()
        else:
            self.writer = StoreWriter(self.db_path, sites={site.key: site} if site else None).acquire()
        killed, self.run_id = self.writer.call(_open_run, self.mode, self.base_url)
        if killed:
            log.warning("%d earlier run(s) had been killed; their frontier is resumed", killed)
        self.stats.set_value("wardnews/run_id", self.run_id)
        self.stats.set_value("wardnews/db", str(self.db_path))

    def process_item(self, item, spider=None):
        self._count_written(block=False)
        if isinstance(item, Article):
            self.articles.append(item)
            self._count_fields(item)
            if (
                len(self.articles) >= self.batch_size
                or time.monotonic() - self.last_flush >= self.flush_seconds
            ):
                self._flush()
        elif isinstance(item, (Sighting, Sightings)):
            self.sightings.extend(item.sightings if isinstance(item, Sightings) else [item])
            if len(self.sightings) >= self.batch_size * 10:
                self._flush()
        elif isinstance(item, DoubtfulPage):
            self.doubtful.append(item)
            self.stats.inc_value("wardnews/doubtful")
        elif isinstance(item, FetchError):
            future = self.writer.submit(
                lambda store, *args: store.record_fetch_error(*args),
                self.run_id,
                item.url,
                item.status,
                item.error,
            )
            self.in_flight.append((future, None))
            self.stats.inc_value("wardnews/errors")
            self.stats.inc_value(f"wardnews/errors/{item.error}")
        return item

    def _count_fields(self, article: Article) -> None:
        # Counted here, copied into the stats with each batch (a dozen stats calls an article add up).
        self.field_counts.update(
            f"wardnews/field/{name}/{strategy}" for name, strategy in article.extraction.items()
        )

    def _flush(self) -> None:
        # One transaction, on the writer thread: the batch, its sightings, and the frontier
        # entries it completes (write_batch).
        self.last_flush = time.monotonic()
        for key, count in self.field_counts.items():
            self.stats.set_value(key, count)
        if self.articles or self.sightings or self.doubtful:
            batch = (self.articles, self.sightings, self.doubtful)
            self.in_flight.append((self.writer.submit(write_batch, *batch, self.run_id), batch))
        self.articles = []
        self.sightings = []
        self.doubtful = []
        if sum(1 for _, batch in self.in_flight if batch) > MAX_BATCHES_IN_FLIGHT:
            self._count_written(block=True, keep=MAX_BATCHES_IN_FLIGHT)  # the writer is behind: wait

    def _count_written(self, block: bool, keep: int = 0) -> None:
        """Count what the writer has done, oldest first; with ``block``, wait until ``keep`` are left.

        A batch that could not be written goes back into the buffer, to be tried again with
        the next one (its frontier entries stay pending meanwhile).
        """
        self._check_unawaited_writes()
        while self.in_flight and (self.in_flight[0][0].done() or (block and len(self.in_flight) > keep)):
            future, batch = self.in_flight.popleft()
            try:
                done = future.result()
            except Exception as error:  # a write that failed is logged and counted, never lost silently
                self._write_failed(error)
                if batch is not None:
                    articles, sightings, doubtful = batch
                    self.articles[:0], self.sightings[:0], self.doubtful[:0] = articles, sightings, doubtful
                continue
            if batch is not None:
                self._count_batch(done)

    def _count_batch(self, done: BatchWritten) -> None:
        for result in done.outcomes:
            self.stats.inc_value(f"wardnews/articles/{result.outcome}")
        if done.raw_kept:
            self.stats.inc_value("wardnews/raw_pages", done.raw_kept)
        if done.settled:
            self.stats.inc_value("wardnews/doubtful/settled", done.settled)

    def _write_failed(self, error: BaseException) -> None:
        """A batch (or a fetch error) the writer could not store: the run must not say "ok"."""
        log.error("could not write to %s: %s", self.db_path, error, exc_info=error)
        self.stats.inc_value("wardnews/item_errors")
        self._stop_if_storage_failed(error)

    def _stop_if_storage_failed(self, error: BaseException) -> None:
        # A full disk (or an I/O error) refuses every write after this one: stop fetching
        # pages that cannot be stored, and say which disk (wardnews.stopping).
        if self.crawler is not None and is_write_failure(error):
            Stopper.of(self.crawler).storage_failed(error)

    def _check_unawaited_writes(self) -> None:
        """Frontier writes nobody waits for (``StoreWriter.post``): a refused one stops the run too."""
        failures = self.writer.failures
        for error in failures[self._failures_checked :]:
            self._stop_if_storage_failed(error)
        self._failures_checked = len(failures)

    def close_spider(self, spider=None):
        spider = spider or getattr(self.crawler, "spider", None)
        try:
            self._flush()
            self._count_written(block=True)
            if self.writer.failures:  # frontier writes nobody waited for (logged already)
                self.stats.inc_value("wardnews/item_errors", len(self.writer.failures))
        finally:
            from wardnews.alarm import raise_alarms
            from wardnews.runs import summarise_run

            caps_hit = getattr(spider, "caps_hit", None)
            if caps_hit is not None:
                self.stats.set_value("wardnews/caps", caps_hit())
            stats, run_id = self.stats, self.run_id

            def finish(store) -> None:
                raise_alarms(store, run_id, stats)  # markup-change alarm (issue 3)
                summary = summarise_run(stats.get_stats())
                stats.set_value("wardnews/summary", summary)
                store.finish_run(run_id, **summary.as_row())

            try:
                self.writer.call(finish)
            finally:
                self.writer.release()
