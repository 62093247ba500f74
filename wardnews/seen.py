"""What one run has met so far (URLs scheduled, sighted, listed; articles passed on), kept on disk.

A backfill of the real portal meets some 200,000 articles and several times as
many URL variants; Python sets of them would grow the crawl by hundreds of
megabytes. ``RunMemory`` keeps them in a private temporary SQLite database
(``sqlite3.connect("")``: a file SQLite deletes itself, never left behind, even
by a killed process), with a small page cache, so the crawl's memory stays flat
however big the portal. Keys are 16-byte BLAKE2b digests of the text (a wrong
"seen" would lose an article; at 16 bytes the odds of one collision in a run
are about 10^-26). The newest keys are also held in memory, as two
generations of a bounded size: a crawl meets the same menu and box links on
page after page, and those never reach the disk.

This is the in-process implementation behind the spider's and the dedup
pipeline's small interfaces (``DiskSet`` for "have we met this?",
``DiskMap`` for "who claimed this first?"); crawls on several machines would
put a shared index (Redis) in its place (DESIGN.md, "Room to grow").
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator

CACHE_KEYS = 16_384  # keys of each kind kept in memory per generation (two generations)
PAGE_CACHE_KIB = 4096  # SQLite's page cache for the whole run memory


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class RunMemory:
    """The run's sets and maps, in one temporary database. ``close()`` deletes it."""

    def __init__(self) -> None:
        self.conn = sqlite3.connect("", isolation_level=None, check_same_thread=True)
        self.conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
        self.conn.execute("PRAGMA journal_mode = OFF")  # nothing here outlives the run
        self.conn.execute("PRAGMA synchronous = OFF")
        self.conn.execute("PRAGMA temp_store = FILE")
        self.conn.execute(
            "CREATE TABLE seen (kind INTEGER, key BLOB, text TEXT, PRIMARY KEY (kind, key)) WITHOUT ROWID"
        )
        self.conn.execute("CREATE TABLE claims (key BLOB PRIMARY KEY, value TEXT) WITHOUT ROWID")
        self.conn.execute("BEGIN")
        self._pending = 0
        self._kinds: dict[str, int] = {}

    def _kind(self, name: str) -> int:
        return self._kinds.setdefault(name, len(self._kinds) + 1)

    def written(self) -> None:
        """Commit now and then: one long transaction would keep every page in its journal."""
        self._pending += 1
        if self._pending >= 5000:
            self.conn.execute("COMMIT")
            self.conn.execute("BEGIN")
            self._pending = 0

    def set(self, name: str, keep_text: bool = False) -> DiskSet:
        """The set called ``name`` (``keep_text``: its members can be listed back)."""
        return DiskSet(self, self._kind(name), keep_text)

    def map(self) -> DiskMap:
        return DiskMap(self)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class DiskSet:
    """A set of strings on disk (``RunMemory``): ``add``, ``in``, ``len``; members if ``keep_text``."""

    def __init__(self, memory: RunMemory, kind: int, keep_text: bool):
        self.memory = memory
        self.kind = kind
        self.keep_text = keep_text
        self._count = 0
        self._young: set[bytes] = set()
        self._old: set[bytes] = set()

    def _cached(self, key: bytes) -> bool:
        return key in self._young or key in self._old

    def _remember(self, key: bytes) -> None:
        if len(self._young) >= CACHE_KEYS:
            self._old, self._young = self._young, set()
        self._young.add(key)

    def add(self, text: str) -> bool:
        """Add ``text``; True when it was not there yet."""
        key = _digest(text)
        if self._cached(key):
            return False
        cursor = self.memory.conn.execute(
            "INSERT OR IGNORE INTO seen (kind, key, text) VALUES (?, ?, ?)",
            (self.kind, key, text if self.keep_text else None),
        )
        self._remember(key)
        if cursor.rowcount:
            self._count += 1
            self.memory.written()
            return True
        return False

    def update(self, texts) -> None:
        for text in texts:
            self.add(text)

    def __contains__(self, text: str) -> bool:
        key = _digest(text)
        if self._cached(key):
            return True
        found = self.memory.conn.execute(
            "SELECT 1 FROM seen WHERE kind = ? AND key = ?", (self.kind, key)
        ).fetchone()
        if found:
            self._remember(key)
        return found is not None

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def __iter__(self) -> Iterator[str]:
        if not self.keep_text:
            raise TypeError("this set does not keep its members' text")
        for (text,) in self.memory.conn.execute("SELECT text FROM seen WHERE kind = ?", (self.kind,)):
            yield text

    def __sub__(self, others) -> set[str]:
        """Members not in ``others`` (a set, or a ``DiskSet``), as a Python set."""
        return {text for text in self if text not in others}


class DiskMap:
    """First claims of keys, on disk: ``claim(key, value)`` is None the first time, else the first value."""

    def __init__(self, memory: RunMemory):
        self.memory = memory

    def claim(self, key: str, value):
        digest = _digest(key)
        cursor = self.memory.conn.execute(
            "INSERT OR IGNORE INTO claims (key, value) VALUES (?, ?)", (digest, json.dumps(value))
        )
        if cursor.rowcount:
            self.memory.written()
            return None
        (first,) = self.memory.conn.execute("SELECT value FROM claims WHERE key = ?", (digest,)).fetchone()
        found = json.loads(first)
        return tuple(found) if isinstance(found, list) else found
