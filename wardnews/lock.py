"""Locks beside the database: one crawl at a time, and which runs are still alive.

- ``CrawlLock``: an exclusive ``flock`` on ``<db>.lock``, held by ``wardnews
  crawl`` for its whole run, so two crawls never share a frontier. Other
  writers (fetch --store, reparse, retag, migrate) do not take it: they wait
  for SQLite's write lock, one transaction at a time (see ``store.connection``).
- ``RunLocks``: every open ``crawl_runs`` row is backed by a lock on one byte
  (at offset ``run id``) of ``<db>.runs.lock``, taken when the row is
  inserted. A run whose byte can be locked by someone else has no living
  process: that is how ``mark_killed_runs`` tells a dead run from one that is
  still working in another process.

Both kinds of lock belong to the process and the kernel releases them when
it dies however it dies, so a lock file left behind never blocks anything.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class AlreadyRunning(RuntimeError):
    """Another process holds the database's crawl lock."""


class CrawlLock:
    def __init__(self, db_path: str | Path):
        self.path = Path(f"{db_path}.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode("ascii", "replace").strip() or "another process"
            os.close(fd)
            raise AlreadyRunning(
                f"another wardnews crawl (pid {holder}) is writing {self.path.stem}"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> CrawlLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


class RunLocks:
    """Byte-range locks on ``<db>.runs.lock``, one byte per open run, for one process.

    POSIX record locks belong to the process and are all dropped when it
    closes *any* descriptor of the file, so each database gets one descriptor
    per process (``for_db``), kept open for the process's life.
    """

    _by_path: dict[Path, RunLocks] = {}

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None
        self.held: set[int] = set()

    @classmethod
    def for_db(cls, db_path: str | Path) -> RunLocks:
        path = Path(f"{Path(db_path).resolve()}.runs.lock")
        if path not in cls._by_path:
            cls._by_path[path] = cls(path)
        return cls._by_path[path]

    def _descriptor(self) -> int:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        return self._fd

    def hold(self, run_id: int) -> None:
        """Lock run ``run_id``'s byte for as long as this process works on it."""
        fcntl.lockf(self._descriptor(), fcntl.LOCK_EX | fcntl.LOCK_NB, 1, run_id)
        self.held.add(run_id)

    def release(self, run_id: int) -> None:
        if run_id in self.held and self._fd is not None:
            fcntl.lockf(self._fd, fcntl.LOCK_UN, 1, run_id)
            self.held.discard(run_id)

    def alive(self, run_id: int) -> bool:
        """True while some process (this one included) holds run ``run_id``'s byte."""
        if run_id in self.held:
            return True
        fd = self._descriptor()
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, run_id)
        except OSError:  # EACCES or EAGAIN: another process holds it
            return True
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, run_id)
        return False
