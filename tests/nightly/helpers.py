"""End-to-end helpers: run ``wardnews crawl`` in a subprocess against a local PortalServer."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from wardnews.testing import Portal

WARDNEWS = str(Path(sys.executable).with_name("wardnews"))
FAST = [
    "-s", "DOWNLOAD_DELAY=0",
    "-s", "AUTOTHROTTLE_ENABLED=0",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "-s", "RETRY_TIMES=3",
    "-s", "WARDNEWS_RETRY_BACKOFF=0.01",
    "-s", "WARDNEWS_RETRY_MAX_DELAY=2",
    "-s", "DOWNLOAD_TIMEOUT=5",
    "-s", "LOG_LEVEL=INFO",
]  # fmt: skip
ARTICLE_PATH_RE = re.compile(r"-(\d+)\.html")


def crawl_command(server, db: Path, *args: str) -> list[str]:
    log_dir = db.parent / "logs"
    return [WARDNEWS, "crawl", "--base-url", server.base_url, "--db", str(db), "--log-dir", str(log_dir),
            *FAST, *args]  # fmt: skip


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_crawl(server, db: Path, *args: str, timeout: float = 60) -> Run:
    done = subprocess.run(
        crawl_command(server, db, *args), capture_output=True, text=True, timeout=timeout, cwd=db.parent
    )
    return Run(done.returncode, done.stdout, done.stderr)


def article_requests(paths: list[str]) -> list[str]:
    """Requests for article pages (by the URL's ``-<id>.html`` shape)."""
    return [p for p in paths if ARTICLE_PATH_RE.search(p)]


def listing_requests(paths: list[str]) -> list[str]:
    return [p for p in paths if not ARTICLE_PATH_RE.search(p) and p != "/robots.txt"]


def query(db: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def stored_keys(db: Path) -> list[str]:
    return [row[0] for row in query(db, "SELECT article_key FROM articles")]


class GatedPortal(Portal):
    """The mirror, with a gate: after ``n`` more article pages, every request is held until released.

    A held request keeps the crawl alive at a point chosen by progress (pages
    served), not by time: a test can kill or signal it there on any machine.
    ``arrivals`` lists every request path in the order it reached the portal.
    """

    HOLD_LIMIT_S = 60  # a held request is let through after this, whatever the test does

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._gate = threading.Lock()
        self._served_articles = 0
        self._limit: int | None = None
        self._released = threading.Event()
        self._released.set()
        self.holding = threading.Event()
        self.arrivals: list[str] = []

    def hold_after(self, articles: int) -> None:
        """Serve ``articles`` more article pages, then hold every request."""
        with self._gate:
            self._limit = self._served_articles + articles
            self._released.clear()
            self.holding.clear()

    def release(self) -> None:
        with self._gate:
            self._limit = None
            self._released.set()

    def wait_until_holding(self, process, timeout: float = 60) -> None:
        """Block until a request is held; fail if ``process`` (the crawl) ended first."""
        deadline = time.monotonic() + timeout
        while not self.holding.wait(0.05):
            assert process.poll() is None, "the crawl ended before the gate held a request"
            assert time.monotonic() < deadline, "the gate never held a request"

    def render(self, path_and_query, *, base_url=None):
        with self._gate:
            self.arrivals.append(path_and_query)
            hold = self._limit is not None and self._served_articles >= self._limit
            if hold:
                self.holding.set()
            elif ARTICLE_PATH_RE.search(path_and_query):
                self._served_articles += 1
        if hold:
            self._released.wait(self.HOLD_LIMIT_S)
        return super().render(path_and_query, base_url=base_url)


def wait_for_line(path_glob: Path, needle: str, process, timeout: float = 60) -> None:
    """Wait until a log file matching ``path_glob`` holds ``needle`` (the crawl noticed something)."""
    deadline = time.monotonic() + timeout
    while True:
        for log in path_glob.parent.glob(path_glob.name):
            if needle in log.read_text(encoding="utf-8", errors="replace"):
                return
        assert process.poll() is None, f"the crawl ended before logging {needle!r}"
        assert time.monotonic() < deadline, f"the log never said {needle!r}"
        time.sleep(0.02)


def integrity(db: Path) -> str:
    return query(db, "PRAGMA integrity_check")[0][0]
