"""Stopping a crawl before its end: on SIGTERM or SIGINT, or at the first write the disk refuses.

A ``Stopper`` belongs to one crawler (``Stopper.of(crawler)``). Stopping:

1. records why in the stats (``wardnews/interrupted`` = the signal's name, or
   ``wardnews/storage_failed`` = a sentence naming the disk), which is what
   ``runs.summarise_run`` turns into the run's status and exit code;
2. stops the engine gracefully: nothing new leaves the scheduler, and the
   requests already queued in the downloader are dropped (``Interrupted``)
   instead of being sent one download delay after another; the pages in
   transfer arrive, the pipeline commits what was fetched, and the spider
   keeps the frontier (it clears it only after a finished run);
3. gives the in-flight transfers ``WARDNEWS_STOP_GRACE`` seconds (default
   10); after that, or at a second signal, it stops hard: the run's row is
   closed as ``interrupted`` if the database lets it within a second, the
   summary line is printed and the process exits at once. That is as safe as
   SIGKILL (every batch is one SQLite transaction); the batch not yet
   committed is fetched again by the next run.

Requests dropped on the way are put back on the frontier after the crawl
(``restore_frontier``): the spider's errback marks a failed request done.
"""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import sys
from dataclasses import dataclass

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from twisted.python.failure import Failure

from wardnews import runs
from wardnews.store.connection import describe_sqlite_error, is_write_failure, now_iso

log = logging.getLogger(__name__)

DEFAULT_GRACE_S = 10.0
HARD_STOP_DB_WAIT_S = 1.0


class Interrupted(IgnoreRequest):
    """A request not sent (or dropped from the downloader's queue) because the run is stopping."""


@dataclass(frozen=True)
class DroppedRequest:
    """A frontier entry whose request was dropped by the stop: pending again for the next run."""

    url: str
    kind: str
    hops: int
    page: int
    reason: str


class Stopper:
    """Stops one crawler early, gracefully first, then hard (see the module's docstring)."""

    def __init__(self, crawler, grace: float = DEFAULT_GRACE_S):
        self.crawler = crawler
        self.grace = grace
        self.reason: str | None = None  # "SIGTERM", "SIGINT", "storage"
        self.signals_received = 0
        self._dropped: dict[str, DroppedRequest] = {}
        self._engine_running = False
        self._pending_close = False
        crawler.signals.connect(self._engine_started, signal=signals.engine_started)

    @classmethod
    def of(cls, crawler) -> Stopper:
        """The crawler's Stopper, made on first use."""
        stopper = getattr(crawler, "wardnews_stopper", None)
        if stopper is None:
            grace = crawler.settings.getfloat("WARDNEWS_STOP_GRACE", DEFAULT_GRACE_S)
            stopper = cls(crawler, grace)
            crawler.wardnews_stopper = stopper
        return stopper

    @property
    def stopping(self) -> bool:
        return self.reason is not None

    # -- signals (the handler runs between two bytecodes: it only hands over to the reactor) --
    def install_signal_handlers(self) -> None:
        """Handle SIGTERM and SIGINT in place of Scrapy's handlers (start the process without them)."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum, _frame) -> None:
        from twisted.internet import reactor

        name = signal.Signals(signum).name
        self.signals_received += 1
        if self.signals_received == 1:
            reactor.callFromThread(self.interrupt, name)
        else:
            # The reactor may be busy (waiting for SQLite): act now. Exiting mid-batch is as
            # safe as SIGKILL, which the crash tests show loses nothing committed.
            self.hard_stop(f"a second {name}", db_wait=HARD_STOP_DB_WAIT_S)

    def interrupt(self, signal_name: str) -> None:
        """Stop because of a signal (called in the reactor)."""
        log.warning(
            "%s received: stopping (no new requests; pages in transfer are stored, the rest stays on"
            " the frontier); send it again to stop at once",
            signal_name,
        )
        self.stop(signal_name, runs.INTERRUPTED_STAT, signal_name)

    def storage_failed(self, error: BaseException) -> None:
        """Stop because a write failed for lack of space (or an I/O error), naming the disk."""
        if self.stopping:
            return
        db = self.crawler.settings.get("WARDNEWS_DB")
        message = describe_sqlite_error(error, db)
        log.error("stopping: %s", message)
        self.stop("storage", runs.STORAGE_FAILED_STAT, message)

    def stop(self, reason: str, stat: str, value: str) -> None:
        if self.stopping:
            return
        self.reason = reason
        self.crawler.stats.set_value(stat, value)
        if self._engine_running:
            self._close()
        else:
            self._pending_close = True  # the signal came before the engine started

    def _engine_started(self) -> None:
        self._engine_running = True
        if self._pending_close:
            self._close()

    def _close(self) -> None:
        from scrapy.utils.defer import deferred_from_coro
        from twisted.internet import reactor

        deferred_from_coro(self.crawler.stop_async()).addErrback(
            lambda failure: log.error("could not stop the crawl: %s", failure.getErrorMessage())
        )
        self._drop_queued_requests()
        if self.grace > 0:
            timer = reactor.callLater(self.grace, self.hard_stop, f"the {self.grace:g} s grace period")
            self.crawler.signals.connect(
                lambda: timer.active() and timer.cancel(), signal=signals.engine_stopped, weak=False
            )

    def _drop_queued_requests(self) -> None:
        """Fail the requests waiting in the downloader's slots (not yet sent) with Interrupted."""
        engine = getattr(self.crawler, "engine", None)
        downloader = getattr(engine, "downloader", None)
        for slot in list(getattr(downloader, "slots", {}).values()):
            slot.close()  # cancels the delayed call that would send the next one
            while slot.queue:
                request, deferred = slot.queue.popleft()
                self.dropped(request)
                deferred.errback(
                    Failure(Interrupted(f"dropped from the queue: the run is stopping ({self.reason})"))
                )

    def dropped(self, request) -> None:
        """Remember a frontier request that the stop kept from being fetched."""
        url = request.meta.get("frontier_url")
        if not url:
            return
        kind = "listing" if "page" in request.meta else "article"
        self._dropped[url] = DroppedRequest(
            url=url,
            kind=kind,
            hops=int(request.meta.get("hops") or 0),
            page=int(request.meta.get("page") or 1),
            reason=str(request.meta.get("reason") or ("start" if request.meta.get("discover") else "")),
        )

    # -- after the crawl -----------------------------------------------------------
    def restore_frontier(self, db_path: str) -> int:
        """Put the dropped requests back on the frontier as pending; returns how many."""
        if not self._dropped:
            return 0
        from wardnews.store import Store, StoreError

        run_id = self.crawler.stats.get_value("wardnews/run_id")
        try:
            with Store(db_path) as store, store.transaction():
                for entry in self._dropped.values():
                    store.frontier_add(
                        entry.url,
                        entry.kind,
                        hops=entry.hops,
                        page=entry.page,
                        reason=entry.reason,
                        run_id=run_id,
                    )
        except (StoreError, sqlite3.Error) as error:
            log.error("could not put %d dropped requests back on the frontier: %s", len(self._dropped), error)
            return 0
        return len(self._dropped)

    def close_run_if_open(self, db_path: str, summary: runs.RunSummary) -> None:
        """Close the run's row when the pipeline could not (its writes failed): best effort."""
        run_id = self.crawler.stats.get_value("wardnews/run_id")
        if run_id is None:
            return
        try:
            conn = sqlite3.connect(str(db_path), timeout=HARD_STOP_DB_WAIT_S)
            try:
                with conn:
                    conn.execute(
                        "UPDATE crawl_runs SET status = ?, exit_code = ?, message = ?, finished_at = ?"
                        " WHERE id = ? AND status = 'running'",
                        [summary.status, summary.exit_code, summary.message, now_iso(), run_id],
                    )
            finally:
                conn.close()
        except sqlite3.Error as error:  # the disk is truly full: the next run marks the row
            log.error("could not close run %s: %s", run_id, error)

    # -- the hard stop ---------------------------------------------------------------
    def hard_stop(self, why: str, db_wait: float = HARD_STOP_DB_WAIT_S) -> None:
        """Close the run's row if possible, print the summary and exit now."""
        stats = self.crawler.stats.get_stats()
        if not stats.get(runs.INTERRUPTED_STAT) and not stats.get(runs.STORAGE_FAILED_STAT):
            stats[runs.INTERRUPTED_STAT] = why
        summary = runs.summarise_run(stats)
        signal_name = stats.get(runs.INTERRUPTED_STAT)
        if summary.status == "interrupted":
            summary.message = (
                f"stopped at once after {why} ({signal_name} first): what was committed is stored,"
                " the batch in progress and the rest of the frontier are fetched by the next run"
            )
        db = self.crawler.settings.get("WARDNEWS_DB")
        run_id = stats.get("wardnews/run_id")
        if db and run_id is not None:
            try:
                conn = sqlite3.connect(str(db), timeout=db_wait)
                try:
                    with conn:
                        conn.execute(
                            "UPDATE crawl_runs SET status = ?, exit_code = ?, message = ?, finished_at = ?,"
                            " pages_fetched = ?, duration_s = ? WHERE id = ? AND status = 'running'",
                            [
                                summary.status,
                                summary.exit_code,
                                summary.message,
                                now_iso(),
                                summary.pages_fetched,
                                summary.duration_s,
                                run_id,
                            ],
                        )
                finally:
                    conn.close()
            except sqlite3.Error:
                pass  # busy or full: the next run marks the row 'killed'
        sys.stdout.write(summary.line() + "\n")
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(summary.exit_code)


class StopOnStorageFailure:
    """Extension: the first write the disk refuses (full, quota, I/O error) stops the crawl.

    Pipelines and the spider's frontier write through SQLite; their failures
    reach Scrapy as ``item_error`` and ``spider_error`` signals. Without this,
    the crawl would go on fetching pages it cannot store.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        Stopper.of(crawler)  # made now, so that it hears engine_started
        crawler.signals.connect(extension._failed, signal=signals.item_error)
        crawler.signals.connect(extension._failed, signal=signals.spider_error)
        return extension

    def _failed(self, failure, **_kwargs) -> None:
        error = failure.value
        if is_write_failure(error):
            Stopper.of(self.crawler).storage_failed(error)
