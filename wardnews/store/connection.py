"""Opening the SQLite file: WAL, a busy timeout, migrations, and one transaction at a time.

Two ways in:

- a **writer** (``Connection(path)``: crawl, fetch --store, reparse, retag,
  migrate) opens the file by its name, turns WAL on, applies pending
  migrations (one writer at a time: they run inside one ``BEGIN IMMEDIATE``)
  and writes in transactions that take SQLite's write lock when they begin
  (``BEGIN IMMEDIATE``), so a transaction that has read never finds the lock
  taken when it comes to write; it waits up to the busy timeout instead;
- a **reader** (``Connection(path, readonly=True)``, ``connect_readonly``:
  stats, export, report, serve) opens it with ``mode=ro`` through a
  percent-encoded ``file:`` URI (so ``#`` and ``?`` in a path are just
  characters), never migrates, and refuses a schema older than the code.

Every failure to open or use the file becomes a ``StoreError`` whose message
is one sentence for the user (``describe_sqlite_error``).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import sqlite_utils

from wardnews.dates import VN_TZ
from wardnews.sites import SITES, SiteProfile
from wardnews.store.schema import migrations

# How long a connection waits for another one's write lock before giving up. Writers hold it
# for one batch (well under a second) or one migration; see the README, "Commands side by side".
DEFAULT_BUSY_TIMEOUT_S = 60.0
BUSY_TIMEOUT_MS = int(DEFAULT_BUSY_TIMEOUT_S * 1000)
# A quota on the database file (bytes); reaching it is handled like a full disk.
MAX_BYTES_ENV = "WARDNEWS_DB_MAX_BYTES"
BUSY_TIMEOUT_ENV = "WARDNEWS_BUSY_TIMEOUT"


def now_iso() -> str:
    """Now in Hà Nội, ISO 8601 to the second: every timestamp the store writes."""
    return datetime.now(VN_TZ).isoformat(timespec="seconds")


class StoreError(Exception):
    """The database cannot be used as asked; the message is one sentence for the user."""


class SchemaOutdated(StoreError):
    """A reader met a file whose schema is older than this code."""


def busy_timeout_s(value: float | str | None = None) -> float:
    """The busy timeout in seconds: ``value``, else ``WARDNEWS_BUSY_TIMEOUT``, else the default."""
    raw = value if value is not None else os.environ.get(BUSY_TIMEOUT_ENV)
    if raw is None or raw == "":
        return DEFAULT_BUSY_TIMEOUT_S
    seconds = float(raw)
    if seconds < 0:
        raise ValueError(f"a busy timeout cannot be negative ({raw!r})")
    return seconds


def is_storage_full(error: BaseException) -> bool:
    """True for a write refused for lack of space: SQLITE_FULL, ENOSPC, EDQUOT, EFBIG."""
    if isinstance(error, sqlite3.Error):
        return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def is_write_failure(error: BaseException) -> bool:
    """True when the storage itself refused a write: full, or an I/O error (SQLITE_IOERR_*)."""
    if is_storage_full(error):
        return True
    code = getattr(error, "sqlite_errorcode", None)
    return isinstance(error, sqlite3.Error) and code is not None and code & 0xFF == sqlite3.SQLITE_IOERR


def describe_sqlite_error(
    error: BaseException, path: str | Path, *, busy_timeout: float | None = None
) -> str:
    """One sentence saying what went wrong with the database at ``path``."""
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if code is not None else None
    detail = str(error)
    if primary == sqlite3.SQLITE_NOTADB:
        return f"{path} is not a wardnews database (SQLite says: {detail})"
    if primary == sqlite3.SQLITE_CORRUPT:
        return f"{path} is damaged (SQLite says: {detail}); restore it from a backup"
    if primary == sqlite3.SQLITE_READONLY:
        return f"{path} is read-only for this user ({detail}); this command needs to write it"
    if primary == sqlite3.SQLITE_CANTOPEN:
        return f"cannot open {path} ({detail}): check that its folder exists and that you may read it"
    if primary == sqlite3.SQLITE_BUSY:
        waited = busy_timeout_s(busy_timeout)
        return (
            f"{path} stayed locked by another writer for {waited:g} s; try again when it has"
            " finished, or wait longer with --busy-timeout"
        )
    if primary == sqlite3.SQLITE_FULL:
        return (
            f"the disk holding {Path(path).resolve().parent} is full (or {path} reached"
            f" {MAX_BYTES_ENV}): nothing committed is lost; free some space and run again"
        )
    if primary == sqlite3.SQLITE_IOERR:
        return f"cannot write {path} ({detail}): check the disk holding {Path(path).resolve().parent}"
    if isinstance(error, OSError):
        if is_storage_full(error):
            return f"the disk holding {Path(path).resolve().parent} is full ({error.strerror})"
        return f"cannot use {path}: {error.strerror or error}"
    return f"cannot use {path}: {detail}"


def readonly_uri(path: str | Path) -> str:
    """A ``file:`` URI opening ``path`` read-only; ``#``, ``?`` and ``%`` in the name are escaped."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def connect_readonly(path: str | Path, *, busy_timeout: float | None = None) -> sqlite3.Connection:
    """A read-only connection to an existing, up-to-date wardnews database, or StoreError.

    Never writes and never migrates: a file whose schema is older than this
    code gets ``SchemaOutdated`` ("run wardnews crawl or wardnews migrate first").
    """
    path = Path(path)
    if not path.exists():
        raise StoreError(f"{path} does not exist yet; run `wardnews crawl` first")
    timeout = busy_timeout_s(busy_timeout)
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True, timeout=timeout)
    except sqlite3.Error as error:
        raise StoreError(describe_sqlite_error(error, path, busy_timeout=timeout)) from None
    try:
        check_schema(sqlite_utils.Database(conn, execute_plugins=False), path)
    except sqlite3.Error as error:
        conn.close()
        raise StoreError(describe_sqlite_error(error, path, busy_timeout=timeout)) from None
    except StoreError:
        conn.close()
        raise
    return conn


def _user_tables(db: sqlite_utils.Database) -> list[str]:
    return [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]


def is_foreign_database(db: sqlite_utils.Database) -> bool:
    """True for a SQLite file holding tables but no wardnews migration record: someone else's data."""
    tables = _user_tables(db)
    if not tables:
        return False
    if migrations.migrations_table not in tables:
        return True
    return not migrations.applied(db)


def check_schema(db: sqlite_utils.Database, path: str | Path) -> None:
    """Raise StoreError unless ``db`` is a wardnews database with every migration of this code applied."""
    if is_foreign_database(db):
        raise StoreError(f"{path} is not a wardnews database (it holds other tables)")
    if not _user_tables(db):
        raise SchemaOutdated(f"{path} holds no wardnews data yet; run `wardnews crawl` first")
    pending = migrations.pending(db)
    if pending:
        names = ", ".join(m.name for m in pending)
        raise SchemaOutdated(
            f"{path} has an older schema than this wardnews (missing {names});"
            " run `wardnews crawl` or `wardnews migrate` first"
        )


class _WriterDatabase(sqlite_utils.Database):
    """sqlite-utils' Database whose outermost ``atomic()`` is ``BEGIN IMMEDIATE``.

    A deferred transaction that reads and then writes fails at once with
    "database is locked" when another connection committed in between (WAL
    cannot upgrade a stale snapshot); taking the write lock when the
    transaction begins makes it wait (busy timeout) instead.
    """

    @contextmanager
    def atomic(self) -> Iterator[sqlite_utils.Database]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise


def _page_limit(conn: sqlite3.Connection) -> None:
    """Apply the ``WARDNEWS_DB_MAX_BYTES`` quota (if set) as SQLite's ``max_page_count``."""
    quota = os.environ.get(MAX_BYTES_ENV)
    if not quota:
        return
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {max(1, int(quota) // page_size)}")


def apply_migrations(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations, one writer at a time; returns the names applied."""
    if not migrations.pending(db):
        return []
    transactional = all(m.transactional for m in migrations.pending(db))
    if not transactional:  # a migration that cannot run in a transaction (VACUUM...)
        before = {m.name for m in migrations.pending(db)}
        migrations.apply(db)
        return sorted(before)
    with db.atomic():  # BEGIN IMMEDIATE: a second writer waits, then finds nothing to do
        names = [m.name for m in migrations.pending(db)]
        if names:
            migrations.apply(db)
    return names


class Connection:
    """One open database. Use as a context manager, or call ``close()``.

    Raises StoreError (one sentence) when the file cannot be opened as asked.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        readonly: bool = False,
        sites: dict[str, SiteProfile] | None = None,
        busy_timeout: float | None = None,
    ):
        self.path = Path(path)
        self.busy_timeout = busy_timeout_s(busy_timeout)
        # Profiles by key, to tell how an alias differs; a mirror crawl passes its rebased profile.
        self.sites = {**SITES, **(sites or {})}
        if readonly:
            conn = connect_readonly(self.path, busy_timeout=self.busy_timeout)
            self.db = sqlite_utils.Database(conn)
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(describe_sqlite_error(error, self.path)) from None
        try:
            conn = sqlite3.connect(str(self.path), timeout=self.busy_timeout)
        except sqlite3.Error as error:
            raise StoreError(
                describe_sqlite_error(error, self.path, busy_timeout=self.busy_timeout)
            ) from None
        try:
            self.db = _WriterDatabase(conn)
            if is_foreign_database(self.db):
                raise StoreError(f"{self.path} is not a wardnews database (it holds other tables)")
            self.db.enable_wal()
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            _page_limit(conn)
            apply_migrations(self.db)
            # A read-only file opens and reads fine; say so now, not at the first batch.
            with self.db.atomic():
                conn.execute(f"DELETE FROM {migrations.migrations_table} WHERE 0")
        except sqlite3.Error as error:
            conn.close()
            raise StoreError(
                describe_sqlite_error(error, self.path, busy_timeout=self.busy_timeout)
            ) from None
        except BaseException:
            conn.close()
            raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write (``BEGIN IMMEDIATE``); nested calls join the outer transaction."""
        with self.db.atomic():
            yield
