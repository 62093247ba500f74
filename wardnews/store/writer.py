"""One thread that makes every write of a crawl, in the order they were asked for.

Writing a batch (articles, their figures, links, aliases, ward tags, the two
full-text indexes, raw pages) takes milliseconds of SQLite work per article;
done on Scrapy's reactor thread it stops downloading meanwhile. A
``StoreWriter`` runs the writes on a thread of its own, over a ``Store``
opened in that thread (an sqlite3 connection belongs to one thread), while
the reactor goes on: SQLite lets go of the GIL while it works.

Every write goes through the one thread, first in, first out, so the file
sees them in the order the crawl asked for them, as it did when they were
made in place: a frontier entry is committed before the batch that marks its
parent done, and a killed process leaves whole batches or none, as before. A
crawl's spider (frontier) and pipeline (batches) share one writer, so the two
never wait for each other's lock either.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from wardnews.sites import SiteProfile

log = logging.getLogger(__name__)

HOLD_AT_MOST = 200  # held writes handed over together at most


def _run_all(store, calls) -> None:
    with store.transaction():
        for function, args, kwargs in calls:
            function(store, *args, **kwargs)


class StoreWriter:
    """Writes to the database at ``path`` on one thread; ``submit(fn, ...)`` runs ``fn(store, ...)`` there."""

    def __init__(self, path: str | Path, sites: dict[str, SiteProfile] | None = None):
        self.path = Path(path)
        self.sites = sites
        self._executor: ThreadPoolExecutor | None = ThreadPoolExecutor(
            1, thread_name_prefix="wardnews-writer"
        )
        self._local = threading.local()
        self._users = 0
        self.failures: list[BaseException] = []  # of the writes nobody waited for (post, hold)
        self._held: list = []  # writes held back to go together (hold)

    def _store(self):
        store = getattr(self._local, "store", None)
        if store is None:
            from wardnews.store import Store

            store = self._local.store = Store(self.path, sites=self.sites)
        return store

    def _run(self, function: Callable, args: tuple, kwargs: dict):
        return function(self._store(), *args, **kwargs)

    def submit(self, function: Callable, *args, **kwargs) -> Future:
        """Run ``function(store, *args, **kwargs)`` on the writer thread, after everything asked before."""
        if self._executor is None:
            raise RuntimeError(f"the writer of {self.path} is closed")
        self._hand_over_held()
        return self._executor.submit(self._run, function, args, kwargs)

    def hold(self, function: Callable, *args, **kwargs) -> None:
        """Like ``post``, but the write may wait to go with others, in one transaction.

        Held writes are handed to the thread, in order, before the next write of any
        other kind (or once ``HOLD_AT_MOST`` are held): a frontier entry is still written
        before the batch or the frontier update that comes after it, in one transaction
        with its neighbours instead of one each.
        """
        self._held.append((function, args, kwargs))
        if len(self._held) >= HOLD_AT_MOST:
            self._hand_over_held()

    def _hand_over_held(self) -> None:
        if self._held and self._executor is not None:
            held, self._held = self._held, []
            self._executor.submit(self._run, _run_all, (held,), {}).add_done_callback(self._check)

    def post(self, function: Callable, *args, **kwargs) -> None:
        """``submit`` without waiting; a failure is logged and kept in ``failures``."""
        future = self.submit(function, *args, **kwargs)
        future.add_done_callback(self._check)

    def _check(self, future: Future) -> None:
        error = future.exception()
        if error is not None:
            log.error("could not write to %s: %s", self.path, error, exc_info=error)
            self.failures.append(error)

    def call(self, function: Callable, *args, **kwargs):
        """``submit`` and wait for the result (or its exception)."""
        return self.submit(function, *args, **kwargs).result()

    def acquire(self) -> StoreWriter:
        """Count one more user (the spider, the pipeline); the last ``release()`` closes the writer."""
        self._users += 1
        return self

    def release(self) -> None:
        self._users -= 1
        if self._users <= 0:
            self.close()

    def close(self) -> None:
        """Wait for every write asked for, then close the connection and stop the thread."""
        if self._executor is None:
            return
        self._hand_over_held()
        self._executor.submit(self._close_store).result()
        self._executor.shutdown(wait=True)
        self._executor = None

    def _close_store(self) -> None:
        store = getattr(self._local, "store", None)
        if store is not None:
            store.close()
            self._local.store = None
