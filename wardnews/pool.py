"""Extraction off the reactor's core: a pool of worker processes that parse pages and pack them.

Scrapy's reactor runs on one core. Extraction (lxml parsing and the field
rules) and packing the raw page for ``raw_pages`` are pure CPU work on bytes
the spider already has, so they go to a process pool sized to the machine:
the spider awaits the result and goes on scheduling downloads meanwhile.

``ExtractionPool.extract(...)`` is awaited from an ``async`` callback (the
asyncio reactor is Scrapy's default). With one worker (or ``workers=0``) it
runs in the calling process, with the same result: tests and one-core
machines need no processes. Workers ignore SIGINT and SIGTERM: a signal
stops the crawl through the main process, which then closes the pool, and a
worker never dies halfway through a page that the crawl still waits for.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wardnews.extract import extract_or_explain
from wardnews.items import Article
from wardnews.raw import CODEC, pack
from wardnews.sites.base import SiteProfile

log = logging.getLogger(__name__)


@dataclass
class Extracted:
    """What a worker made of one page: the article (or why there is none) and the packed body."""

    article: Article | None
    reason: str | None
    packed_body: bytes
    codec: str = CODEC


def extract_page(
    body: bytes,
    url: str,
    fetched_at: datetime,
    site: SiteProfile | None,
    encoding: str | None,
    options: dict[str, Any] | None = None,
) -> Extracted:
    """Extract the article of one fetched page and pack its body (what a worker runs)."""
    article, reason = extract_or_explain(
        body, url, fetched_at=fetched_at, site=site, encoding=encoding, **(options or {})
    )
    return Extracted(article, reason, pack(body))


def _quiet_worker() -> None:
    """Worker initializer: signals are the main process's business."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def default_workers() -> int:
    """One worker per core the process may use (at least one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class ExtractionPool:
    """``workers`` processes (``None``: one per core; 0 or 1: inline, in this process)."""

    def __init__(self, workers: int | None = None):
        self.workers = default_workers() if workers is None else workers
        self._executor: Executor | None = None
        if self.workers > 1:
            # forkserver: workers start from a clean process, not a fork of the reactor's threads.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["wardnews.extract", "wardnews.pool"])
            self._executor = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_quiet_worker)

    @property
    def inline(self) -> bool:
        return self._executor is None

    async def extract(
        self,
        body: bytes,
        url: str,
        fetched_at: datetime,
        site: SiteProfile | None,
        encoding: str | None = None,
        options: dict[str, Any] | None = None,
    ) -> Extracted:
        """``extract_page`` in a worker; awaitable from an async Scrapy callback."""
        if self._executor is None:
            return extract_page(body, url, fetched_at, site, encoding, options)
        future = self._executor.submit(extract_page, body, url, fetched_at, site, encoding, options)
        return await asyncio.wrap_future(future)

    def map(self, pages, chunksize: int = 8):
        """``extract_page(*args)`` for each args tuple in ``pages``, in order (for reparse)."""
        if self._executor is None:
            return (extract_page(*args) for args in pages)
        columns = list(zip(*pages, strict=True)) if pages else [()] * 6
        return self._executor.map(extract_page, *columns, chunksize=chunksize)

    def close(self) -> None:
        """Stop the workers (waiting for pages under way)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
