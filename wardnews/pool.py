"""Extraction off the reactor's core: a pool of worker processes that parse pages and pack them.

Scrapy's reactor runs on one core. Extraction (lxml parsing and the field
rules), reading a listing page, and packing the raw page for ``raw_pages``
are pure CPU work on bytes the spider already has, so they go to a process
pool sized to the machine: the spider awaits the result and goes on
scheduling downloads meanwhile.

``ExtractionPool.extract(...)`` and ``ExtractionPool.call(...)`` are awaited
from an ``async`` callback (the asyncio reactor is Scrapy's default). With
one worker (or ``workers=0``) they run in the calling process, with the same
result: tests and one-core machines need no processes. Workers ignore SIGINT
and SIGTERM: a signal stops the crawl through the main process, which then
closes the pool, and a worker never dies halfway through a page that the
crawl still waits for. A worker whose crawl died (SIGKILL) exits by itself:
its socket to the crawl reads end-of-file, and it also watches the crawl's
process, so no worker is left behind.

The crawl's side runs on the reactor thread alone: each worker is a socket
the event loop reads results from (``add_reader``), and a page is written to
a worker when it has room (at most ``PER_WORKER`` pages in its socket), so no
helper thread competes with the reactor for the GIL (``concurrent.futures``'
process pool runs two, and its wake-up pipe costs a system call per page).

Site profiles are compared by identity (one object per site), and a profile
unpickled anew for every page would miss every cache keyed on it; so a
profile crosses to the workers once, as a pickled blob, and each worker
keeps the one object it made of it. The run's learnt boilerplate travels the
same way: pickled once each time the crawl learns anew, not once per page.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import hashlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import select
import signal
import struct
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wardnews.extract import extract_or_explain
from wardnews.extract.boilerplate import Boilerplate
from wardnews.items import Article
from wardnews.longread import long_read_key, print_links
from wardnews.raw import CODEC, pack
from wardnews.sites.base import SiteProfile
from wardnews.store.articles import derive
from wardnews.urls import link_targets

log = logging.getLogger(__name__)


@dataclass
class Extracted:
    """What a worker made of one page: the article (or why there is none) and the packed body.

    ``digest`` is the body's sha256; ``prints`` the page's print links as
    ``(url, article key)``. The article comes with what the store derives from it
    (``Article.derived``: story hash, band values, ward tags), computed here too.
    """

    article: Article | None
    reason: str | None
    packed_body: bytes
    codec: str = CODEC
    digest: str | None = None
    prints: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, str, str | None]] = field(default_factory=list)  # wardnews.urls.link_targets


def extract_page(
    body: bytes,
    url: str,
    fetched_at: datetime,
    site: SiteProfile | None,
    encoding: str | None,
    boilerplate: Boilerplate | None = None,
) -> Extracted:
    """Extract the article of one fetched page and pack its body (what a worker runs).

    ``boilerplate`` is what the crawl has learnt of the site's boilerplate so far
    (``wardnews.learning``). A long read's key, which its URL does not carry, is
    read from the page here too (``wardnews.longread``), as the crawl and
    ``wardnews reparse`` both need it.
    """
    article, reason = extract_or_explain(
        body, url, fetched_at=fetched_at, site=site, encoding=encoding, boilerplate=boilerplate
    )
    prints: list[tuple[str, str]] = []
    links: list[tuple[str, str, str | None]] = []
    if article is not None:
        if article.article_key is None and site is not None:
            article.article_key = long_read_key(body, url, site)
        if site is not None:
            prints = print_links(body, url, site)
            links = link_targets((link.url for link in article.links), site)
        article.derived = derive(article)
    digest = hashlib.sha256(body).hexdigest()
    return Extracted(article, reason, pack(body), CODEC, digest, prints, links)


# -- the workers' side ---------------------------------------------------------------------
class _SiteBlob:
    """A site profile (or boilerplate) on its way to a worker: pickled once, one object per worker."""

    __slots__ = ("blob",)

    def __init__(self, blob: bytes):
        self.blob = blob


_WORKER_SITES: dict[bytes, SiteProfile | Boilerplate] = {}


def _resolve(value):
    if isinstance(value, _SiteBlob):
        site = _WORKER_SITES.get(value.blob)
        if site is None:
            site = _WORKER_SITES[value.blob] = pickle.loads(value.blob)
        return site
    return value


def _run(function: Callable, args: tuple, kwargs: dict):
    """Run ``function`` in a worker, site profiles swapped for this worker's own objects."""
    return function(*(_resolve(a) for a in args), **{k: _resolve(v) for k, v in kwargs.items()})


def _worker_main(conn, crawl_pid: int, niceness: int = 0) -> None:
    """A worker: read a call from the socket, run it, write back ``(True, result)`` or ``(False, error)``."""
    _lower_priority(niceness)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # signals are the crawl's business
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(crawl_pid,), name="wardnews-crawl-watch", daemon=True).start()
    while True:
        try:
            message = conn.recv_bytes()
        except (EOFError, OSError):  # the crawl closed the pool, or died
            return
        function, args, kwargs = pickle.loads(message)
        try:
            reply = (True, _run(function, args, kwargs))
        except Exception as error:  # handed back to the caller, who raises it
            reply = (False, error)
        try:
            data = pickle.dumps(reply, pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # an unpicklable result or error: say so instead
            data = pickle.dumps((False, RuntimeError(f"{function.__name__}: {error!r}")))
        try:
            conn.send_bytes(data)
        except OSError:
            return


def _lower_priority(niceness: int) -> None:
    """Add ``niceness`` to this process's nice value (Unix; capped at 19 by the system)."""
    if niceness <= 0:
        return
    with contextlib.suppress(AttributeError, OSError):  # not here: they run at the crawl's priority
        os.nice(niceness)


def _exit_with(crawl_pid: int) -> None:
    """Wait for process ``crawl_pid`` to end, however it ends (SIGKILL too), then end this worker.

    The socket's end-of-file says so too, but only once the worker is back from the page
    it is on; and a forkserver worker is the fork server's child, not the crawl's.
    """
    try:
        pidfd = os.pidfd_open(crawl_pid)
    except ProcessLookupError:
        os._exit(0)
    except (AttributeError, OSError):  # no pidfd (not Linux, or an old kernel): poll
        while True:
            try:
                os.kill(crawl_pid, 0)
            except (ProcessLookupError, PermissionError):  # gone (or the pid is someone else's now)
                os._exit(0)
            threading.Event().wait(0.5)
    select.select([pidfd], [], [])  # readable once the process has exited
    os._exit(0)


def default_workers() -> int:
    """One worker per core the process may use (at least one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# -- the crawl's side ----------------------------------------------------------------------
PER_WORKER = 2  # calls written to a worker's socket at once: one to run, one to read next
_READ_SIZE = 65536  # a reply or three a read; larger reads cost a fresh mapping of memory each
_FRAME = struct.Struct("!i")  # multiprocessing.connection's frame header: the size, then the bytes


class WorkerLost(RuntimeError):
    """A worker process died with calls under way (they fail with this error)."""


class _Worker:
    def __init__(self, process, conn):
        self.process = process
        self.conn = conn
        self.waiting: deque = deque()  # resolvers of the calls written to it, oldest first
        self.loop = None  # the event loop reading its socket, once attached
        self.received = bytearray()  # bytes of replies read and not handed over yet

    def replies(self) -> list[tuple[bool, Any]]:
        """Read what the socket holds (it is readable: this does not block); the whole replies in it.

        Replies are framed as ``Connection.send_bytes`` frames them (a 4-byte length, then
        the pickle), and read here with one system call, not a wait per frame.
        """
        data = os.read(self.conn.fileno(), _READ_SIZE)
        if not data:
            raise EOFError
        buffer = self.received
        buffer += data
        out = []
        while len(buffer) >= 4:
            (size,) = _FRAME.unpack_from(buffer)
            if len(buffer) < 4 + size:
                break
            out.append(pickle.loads(memoryview(buffer)[4 : 4 + size]))
            del buffer[: 4 + size]
        return out


# How much nicer than the crawl the workers run. The reactor paces the downloads and the writer
# thread is the crawl's one serial stage; when the workers compete with them for the cores, the
# reactor is late sending requests and the writer's backlog is left to the end of the run, while
# pages waiting for the workers are drained by all of them at once. The lowest priority (19) gave
# the shortest crawls (2,000 articles on 2 cores: 20.1 s as equals, 18.1 s at 10, 16.9 s at 19).
DEFAULT_NICENESS = 19


class ExtractionPool:
    """``workers`` processes (``None``: one per core; 0 or 1: inline, in this process).

    The workers run ``niceness`` below the calling process (``DEFAULT_NICENESS``; 0: as it does).
    """

    def __init__(self, workers: int | None = None, niceness: int = DEFAULT_NICENESS):
        self.workers = default_workers() if workers is None else workers
        self.niceness = niceness
        self._pool: list[_Worker] = []
        self._queue: deque = deque()  # (message, resolve) not written to a worker yet
        self._blobs: dict[int, tuple[SiteProfile | Boilerplate, _SiteBlob]] = {}
        self._starting: threading.Thread | None = None
        self._closed = False
        self._lock = threading.Lock()  # the starter thread hands the workers over under it
        if not self.inline:
            # Before multiprocessing's own exit handler (atexit runs the last registered first),
            # which would wait for workers that ignore SIGTERM: a pool left open closes at exit.
            atexit.register(self.close)

    @property
    def inline(self) -> bool:
        return self.workers <= 1

    # -- workers ---------------------------------------------------------------------
    def _spawn(self, count: int | None = None) -> list[_Worker]:
        # forkserver: workers start from a clean process, not a fork of the reactor's threads,
        # and the modules they need are imported once, in the fork server.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["wardnews.pool"])
        started = []
        for _ in range(self.workers if count is None else count):
            ours, theirs = context.Pipe(duplex=True)
            process = context.Process(
                target=_worker_main,
                args=(theirs, os.getpid(), self.niceness),
                name="wardnews-extract",
                daemon=True,
            )
            process.start()
            theirs.close()
            started.append(_Worker(process, ours))
        return started

    def warm_up(self) -> None:
        """Start the workers now, on a thread (the first start waits for the fork server's imports).

        Calls made meanwhile wait in the pool's queue.
        """
        if self.inline or self._pool or self._starting is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None

        def start() -> None:
            workers = self._spawn()
            with self._lock:
                if self._closed:
                    for worker in workers:
                        worker.conn.close()
                    return
                self._pool = workers
            if loop is not None and not loop.is_closed():
                loop.call_soon_threadsafe(self._pump)

        self._starting = threading.Thread(target=start, name="wardnews-pool-start", daemon=True)
        self._starting.start()

    def _ready(self) -> bool:
        if self._pool:
            return True
        if self._starting is None:
            self._pool = self._spawn()
            return True
        return False  # the starter thread is at it; _pump runs again when it is done

    def _attach(self, worker: _Worker) -> None:
        """Read ``worker``'s replies from the running event loop (if any)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        if worker.loop is not loop:
            loop.add_reader(worker.conn.fileno(), self._read, worker)
            worker.loop = loop

    def _pump(self) -> None:
        """Write waiting calls to the workers that have room, the least busy first."""
        if not self._queue or not self._ready():
            return
        for worker in self._pool:
            self._attach(worker)
        self._write_waiting()

    def _write_waiting(self) -> None:
        while self._queue:
            worker = min(self._pool, key=lambda w: len(w.waiting))
            if len(worker.waiting) >= PER_WORKER:
                return
            message, resolve = self._queue.popleft()
            worker.waiting.append(resolve)
            try:
                worker.conn.send_bytes(message)
            except OSError:
                self._lost(worker)

    def _read(self, worker: _Worker) -> None:
        """``worker``'s socket is readable (event loop): hand its replies over, send it more."""
        self._read_blocking(worker)
        self._pump()

    def _lost(self, worker: _Worker) -> None:
        """A worker died: its calls fail, a new worker takes its place."""
        if worker.loop is not None:
            worker.loop.remove_reader(worker.conn.fileno())
        worker.conn.close()
        log.error("extraction worker %s died (exit code %s)", worker.process.pid, worker.process.exitcode)
        while worker.waiting:
            worker.waiting.popleft()(False, WorkerLost("an extraction worker died while reading a page"))
        if not self._closed and worker in self._pool:
            self._pool[self._pool.index(worker)] = self._spawn(1)[0]

    # -- calls -----------------------------------------------------------------------
    def _shipped(self, value):
        if not isinstance(value, (SiteProfile, Boilerplate)):
            return value
        known = self._blobs.get(id(value))
        if known is None or known[0] is not value:
            known = self._blobs[id(value)] = (value, _SiteBlob(pickle.dumps(value)))
        return known[1]

    def _message(self, function: Callable, args: tuple, kwargs: dict) -> bytes:
        shipped = (
            function,
            tuple(self._shipped(a) for a in args),
            {k: self._shipped(v) for k, v in kwargs.items()},
        )
        return pickle.dumps(shipped, pickle.HIGHEST_PROTOCOL)

    async def call(self, function: Callable, *args, urgent: bool = False, **kwargs):
        """``function(*args, **kwargs)`` in a worker (a pure, picklable function), awaited.

        An ``urgent`` call goes before the calls waiting for a worker (a listing page,
        whose links the crawl waits for, before the article pages queued behind it).
        """
        if self.inline:
            return function(*args, **kwargs)
        future = asyncio.get_running_loop().create_future()

        def resolve(ok: bool, value) -> None:
            if future.cancelled():
                return
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

        call = (self._message(function, args, kwargs), resolve)
        if urgent:
            self._queue.appendleft(call)
        else:
            self._queue.append(call)
        self._pump()
        return await future

    async def extract(
        self,
        body: bytes,
        url: str,
        fetched_at: datetime,
        site: SiteProfile | None,
        encoding: str | None = None,
        boilerplate: Boilerplate | None = None,
    ) -> Extracted:
        """``extract_page`` in a worker; awaitable from an async Scrapy callback."""
        return await self.call(extract_page, body, url, fetched_at, site, encoding, boilerplate)

    def map(self, pages, chunksize: int = 8):
        """``extract_page(*args)`` for each args tuple in ``pages``, in order (for reparse).

        A generator, without an event loop: at most ``chunksize`` pages a worker are
        under way at once, so a long archive is never all in memory.
        """
        if self.inline:
            yield from (extract_page(*args) for args in pages)
            return
        if self._starting is not None:
            self._starting.join()
        self._ready()
        results: dict[int, tuple[bool, Any]] = {}
        pending = iter(enumerate(pages))
        next_out, sent = 0, 0
        window = max(1, chunksize) * len(self._pool)
        exhausted = False
        while True:
            while not exhausted and sent - next_out < window:
                item = next(pending, None)
                if item is None:
                    exhausted = True
                    break
                index, args = item

                def resolve(ok, value, index=index):
                    results[index] = (ok, value)

                self._queue.append((self._message(extract_page, args, {}), resolve))
                sent += 1
            self._write_waiting()
            while next_out in results:
                ok, value = results.pop(next_out)
                next_out += 1
                if not ok:
                    raise value
                yield value
            if exhausted and next_out == sent:
                return
            busy = [w.conn for w in self._pool if w.waiting]
            if not busy:
                continue  # room in the window again: send more first
            ready = multiprocessing.connection.wait(busy)
            for worker in self._pool:
                if worker.conn in ready:
                    self._read_blocking(worker)

    def _read_blocking(self, worker: _Worker) -> None:
        """Hand each whole reply in ``worker``'s socket to its caller."""
        try:
            replies = worker.replies()
        except (EOFError, OSError):
            self._lost(worker)
        else:
            for ok, value in replies:
                worker.waiting.popleft()(ok, value)

    def close(self) -> None:
        """Stop the workers (each finishes the page it is on); calls not yet answered are dropped."""
        atexit.unregister(self.close)
        with self._lock:
            self._closed = True
            workers, self._pool = self._pool, []
        if self._starting is not None:
            self._starting.join()  # workers it started after this point, it closed itself
        for worker in workers:
            if worker.loop is not None and not worker.loop.is_closed():
                worker.loop.remove_reader(worker.conn.fileno())
            worker.conn.close()  # the worker reads end-of-file and leaves
        for worker in workers:
            worker.process.join(timeout=10)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
        self._queue.clear()

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
