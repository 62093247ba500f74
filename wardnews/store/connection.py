"""Opening the SQLite file: WAL, a busy timeout, migrations, and one transaction at a time."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import sqlite_utils

from wardnews.dates import VN_TZ
from wardnews.sites import SITES, SiteProfile
from wardnews.store.schema import migrations

BUSY_TIMEOUT_MS = 30_000


def now_iso() -> str:
    """Now in Hà Nội, ISO 8601 to the second: every timestamp the store writes."""
    return datetime.now(VN_TZ).isoformat(timespec="seconds")


class Connection:
    """One open database. Use as a context manager, or call ``close()``."""

    def __init__(
        self, path: str | Path, *, readonly: bool = False, sites: dict[str, SiteProfile] | None = None
    ):
        self.path = Path(path)
        # Profiles by key, to tell how an alias differs; a mirror crawl passes its rebased profile.
        self.sites = {**SITES, **(sites or {})}
        if readonly:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.db = sqlite_utils.Database(conn)
        if not readonly:
            self.db.enable_wal()
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrations.apply(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write; nested calls join the outer transaction."""
        with self.db.atomic():
            yield
