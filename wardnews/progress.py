"""A live progress line on a terminal; nothing at all under cron.

Enabled by ``WARDNEWS_PROGRESS`` (default ``auto``: only when stderr is a
TTY). It rewrites one line on stderr at most ``1 / WARDNEWS_PROGRESS_INTERVAL``
times a second (default every 0.5 s) with pages fetched, new, changed and
unchanged articles, errors and the page rate, and ends it with a newline
when the crawl closes.
"""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

MIN_INTERVAL = 0.5  # at most two refreshes a second


def progress_line(stats: dict, elapsed: float) -> str:
    """``pages 120 · new 34 · changed 2 · unchanged 80 · errors 1 · 5.1 pages/s``."""
    pages = int(stats.get("downloader/response_count", 0))
    rate = pages / elapsed if elapsed > 0 else 0.0
    return (
        f"pages {pages} · new {stats.get('wardnews/articles/new', 0)}"
        f" · changed {stats.get('wardnews/articles/changed', 0)}"
        f" · unchanged {stats.get('wardnews/articles/unchanged', 0)}"
        f" · errors {stats.get('wardnews/errors', 0)} · {rate:.1f} pages/s"
    )


class ProgressLine:
    def __init__(self, crawler, stream, interval: float):
        self.crawler = crawler
        self.stream = stream
        self.interval = max(interval, MIN_INTERVAL)
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None
        self.width = 0

    @classmethod
    def from_crawler(cls, crawler):
        setting = str(crawler.settings.get("WARDNEWS_PROGRESS", "auto")).lower()
        stream = sys.stderr
        if setting in ("0", "false", "no", "off") or (setting == "auto" and not stream.isatty()):
            raise NotConfigured
        extension = cls(crawler, stream, crawler.settings.getfloat("WARDNEWS_PROGRESS_INTERVAL", 0.5))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider):
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=True)

    def show(self) -> None:
        line = progress_line(self.crawler.stats.get_stats(), time.monotonic() - self.started)
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def spider_closed(self, spider, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.show()
        self.stream.write("\n")
        self.stream.flush()
