"""End-to-end helpers: run ``wardnews crawl`` in a subprocess against a local PortalServer."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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
