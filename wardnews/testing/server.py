"""Serve a generated ``Portal`` over HTTP on 127.0.0.1, optionally with injected faults.

    with PortalServer(Portal(200, seed=1)) as server:
        crawl(server.base_url)
        assert all(r.user_agent.startswith("wardnews") for r in server.requests)

Pages are rendered on every request from the portal's current state, so a
test can add or edit articles between two crawls. Links in pages use the
request's Host header, so they point back at this server.

By hand: ``python -m wardnews.testing.server --articles 2000 --port 8765``.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import signal
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from wardnews.testing.portal import LAYOUTS, Portal, Response

FAULT_KINDS = ("error", "slow", "truncate", "reset", "cut")


@dataclass
class Faults:
    """Which requests go wrong. Deterministic from ``seed``.

    Each path-and-query is drawn once: with probability ``error_rate`` it is
    an error path, then ``slow_rate``, ``truncate_rate``, ``reset_rate``
    then ``cut_rate`` (the rates add up to at most 1). A faulty path fails that way for its
    first ``max_failures_per_path`` requests and is served normally after,
    so a client that retries gets through. Paths in ``exempt`` never fail.
    """

    error_rate: float = 0.0  # 500; half of these paths also send Retry-After: 1
    slow_rate: float = 0.0  # sleep slow_seconds before responding
    slow_seconds: float = 5.0
    truncate_rate: float = 0.0  # declare the full Content-Length, send half the body, close
    reset_rate: float = 0.0  # close the connection without a response (TCP RST)
    # Serve the document cut short (60 %) as a whole HTTP message: half of these paths with a
    # Content-Length that the cut body meets, half with none (the connection closes after it).
    cut_rate: float = 0.0
    max_failures_per_path: int = 2
    seed: int = 0
    exempt: tuple[str, ...] = ("/robots.txt",)

    def kind_for(self, path_and_query: str) -> str | None:
        """The fault this path is subject to (before counting attempts), or None."""
        if path_and_query in self.exempt:
            return None
        draw = random.Random(f"{self.seed}|{path_and_query}").random()
        edge = 0.0
        for kind, rate in zip(
            FAULT_KINDS,
            (self.error_rate, self.slow_rate, self.truncate_rate, self.reset_rate, self.cut_rate),
            strict=True,
        ):
            edge += rate
            if draw < edge:
                return kind
        return None

    def cut_with_length(self, path_and_query: str) -> bool:
        """Whether a cut page of this path says its (cut) length in Content-Length."""
        return random.Random(f"{self.seed}|{path_and_query}|cut-length").random() < 0.5

    def retry_after(self, path_and_query: str) -> bool:
        return random.Random(f"{self.seed}|{path_and_query}|retry-after").random() < 0.5


@dataclass
class RequestRecord:
    path_and_query: str
    status: int  # 0 when the connection was reset without a response
    user_agent: str | None
    time: float  # time.time() when the request arrived
    method: str = "GET"
    fault: str | None = None  # one of FAULT_KINDS when a fault was applied


class _Abort(Exception):
    """The handler closed the connection itself."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # no per-request output

    def setup(self) -> None:
        super().setup()
        self.server.owner._opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.owner._closed(self.connection)

    def handle(self) -> None:
        try:
            super().handle()
        except (_Abort, ConnectionError, TimeoutError):
            self.close_connection = True

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, *, head: bool) -> None:
        owner = self.server.owner
        arrived = time.time()
        path = self.path
        host = self.headers.get("Host") or owner.netloc
        fault = owner._fault(path)

        def record(status: int) -> None:
            owner._record(
                RequestRecord(path, status, self.headers.get("User-Agent"), arrived, self.command, fault)
            )

        if fault == "reset":
            record(0)
            self._close(linger=False)  # raises _Abort
        if fault == "error":
            headers = {"Content-Type": "text/html; charset=utf-8"}
            if owner.faults.retry_after(path):
                headers["Retry-After"] = "1"
            body = b"<html><body><h1>500 Internal Server Error</h1></body></html>\n"
            response = Response(500, headers, body)
        else:
            response = owner.portal.render(path, base_url=f"http://{host}")
        record(response.status)
        if fault == "slow" and owner._stopping.wait(owner.faults.slow_seconds):
            raise _Abort
        body = response.body
        with_length = True
        if fault == "cut":
            body = body[: len(body) * 3 // 5]
            with_length = owner.faults.cut_with_length(path)
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if with_length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if head:
            return
        if fault == "truncate":
            self.wfile.write(response.body[: len(response.body) // 2])
            self._close()  # raises _Abort
        self.wfile.write(body)

    def _close(self, *, linger: bool = True) -> None:
        if not linger:
            # Linger on, timeout 0: close() sends RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        self.wfile.close()
        self.connection.close()
        raise _Abort


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: PortalServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that time out or hang up are expected: keep quiet about them.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, _Abort)):
            super().handle_error(request, client_address)


class PortalServer:
    """Serves ``portal`` on ``host:port`` (port 0: any free port) in a daemon thread."""

    def __init__(
        self,
        portal: Portal,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: Faults | None = None,
    ) -> None:
        self.portal = portal
        self.host = host
        self.port = port
        self.faults = faults or Faults()
        self.requests: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._attempts: dict[str, int] = {}
        self._connections: set[socket.socket] = set()
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def netloc(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``, without a trailing slash."""
        return f"http://{self.netloc}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> PortalServer:
        if self._httpd is not None:
            raise RuntimeError("already started")
        self._stopping.clear()
        httpd = _HTTPServer((self.host, self.port), _Handler)
        httpd.owner = self
        self.port = httpd.server_address[1]
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"PortalServer:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, wake slow handlers, close open connections, wait for the thread."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> PortalServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def reset_log(self) -> None:
        """Forget the requests recorded so far."""
        with self._lock:
            self.requests.clear()

    def reset_faults(self) -> None:
        """Count fault attempts from zero again (every faulty path fails anew)."""
        with self._lock:
            self._attempts.clear()

    def paths(self) -> list[str]:
        """The path-and-query of every request logged, in order."""
        with self._lock:
            return [r.path_and_query for r in self.requests]

    # called from handler threads

    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self.requests.append(record)

    def _fault(self, path_and_query: str) -> str | None:
        kind = self.faults.kind_for(path_and_query)
        if kind is None:
            return None
        with self._lock:
            attempt = self._attempts.get(path_and_query, 0) + 1
            self._attempts[path_and_query] = attempt
        return kind if attempt <= self.faults.max_failures_per_path else None

    def _opened(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.add(conn)

    def _closed(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.discard(conn)


def main(argv: list[str] | None = None) -> None:
    """Serve a generated mirror until Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="python -m wardnews.testing.server",
        description="Serve a generated mirror of laodongthudo.vn on 127.0.0.1.",
        epilog="Example: python -m wardnews.testing.server --articles 2000 --port 8765",
    )
    parser.add_argument("--articles", type=int, default=2000, help="distinct stories (2000)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (0)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port, 0 for any free one (8765)")
    parser.add_argument("--page-size", type=int, default=10, help="items per listing page (10)")
    parser.add_argument(
        "--padding-kib", type=int, default=0, help="pad every HTML page up to this size (0: off)"
    )
    for kind in FAULT_KINDS:
        parser.add_argument(f"--{kind}-rate", type=float, default=0.0, help=f"{kind} fault rate")
    parser.add_argument(
        "--layout", choices=sorted(LAYOUTS), default="classic", help="mirror layout (classic)"
    )
    parser.add_argument("--slow-seconds", type=float, default=5.0, help="delay of slow faults")
    parser.add_argument("--fault-seed", type=int, default=0, help="seed of the fault draws")
    args = parser.parse_args(argv)

    portal = Portal(
        args.articles,
        seed=args.seed,
        page_size=args.page_size,
        padding_kib=args.padding_kib,
        **LAYOUTS[args.layout],
    )
    faults = Faults(
        error_rate=args.error_rate,
        slow_rate=args.slow_rate,
        slow_seconds=args.slow_seconds,
        truncate_rate=args.truncate_rate,
        reset_rate=args.reset_rate,
        cut_rate=args.cut_rate,
        seed=args.fault_seed,
    )
    # Ctrl-C or a plain `kill` stops it, even when started from a background job (which
    # inherits SIGINT ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    server = PortalServer(portal, host=args.host, port=args.port, faults=faults).start()
    print(server.base_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
