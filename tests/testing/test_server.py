"""The HTTP server of the portal mirror: serving, logging, faults, shutdown."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from wardnews.testing.portal import ROBOTS_TXT, TZ, Portal
from wardnews.testing.server import Faults, PortalServer

NOW = datetime(2025, 12, 23, 8, 0, tzinfo=TZ)
UA = "wardnews-test/1.0 (+https://example.invalid)"
REPO = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def portal() -> Portal:
    return Portal(20, seed=1, now=NOW)


@pytest.fixture
def server(portal: Portal) -> Iterator[PortalServer]:
    with PortalServer(portal) as s:
        yield s


def get(
    server: PortalServer,
    path: str,
    *,
    timeout: float = 5.0,
    method: str = "GET",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        conn.request(method, path, headers={"User-Agent": UA, **(headers or {})})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_serves_pages_linking_to_itself(server: PortalServer, portal: Portal) -> None:
    assert server.base_url == f"http://127.0.0.1:{server.port}" and server.port > 0
    status, headers, body = get(server, "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(headers["Content-Length"]) == len(body)
    html = body.decode()
    newest = portal.expected_articles()[0]
    assert f'href="{server.base_url}{newest.path}"' in html
    assert "https://laodongthudo.vn" not in html
    status, _, body = get(server, newest.path, headers={"Host": f"localhost:{server.port}"})
    assert status == 200
    assert f'rel="canonical" href="http://localhost:{server.port}{newest.path}"' in body.decode()


def test_logs_requests(server: PortalServer) -> None:
    server.reset_log()
    get(server, "/xa-phuong?page=1")
    get(server, "/nothing-here")
    get(server, "/", method="HEAD")
    log = server.requests
    assert [r.path_and_query for r in log] == ["/xa-phuong?page=1", "/nothing-here", "/"]
    assert [r.status for r in log] == [200, 404, 200]
    assert [r.method for r in log] == ["GET", "GET", "HEAD"]
    assert all(r.user_agent == UA and r.fault is None for r in log)
    assert log[0].time <= log[1].time <= time.time()
    server.reset_log()
    assert server.requests == []


def test_head_sends_no_body(server: PortalServer) -> None:
    status, headers, body = get(server, "/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000


def test_robots_txt(server: PortalServer) -> None:
    status, headers, body = get(server, "/robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert body.decode() == ROBOTS_TXT


def test_paths_are_case_insensitive(server: PortalServer, portal: Portal) -> None:
    a = portal.expected_articles()[3]
    _, _, desktop = get(server, a.path)
    upper = "/" + a.path[1:].title()
    for variant in (upper, a.path + "/", a.path.upper()):
        status, _, body = get(server, variant)
        assert status == 200 and body == desktop, variant
    assert get(server, "/THOI-SU/DIA-PHUONG")[0] == 200
    assert get(server, "/khong-co.html")[0] == 404


def test_reads_the_portal_on_every_request() -> None:
    p = Portal(8, seed=2, now=NOW)
    with PortalServer(p) as s:
        (new,) = p.add_articles(1)
        _, _, body = get(s, new.section)
        assert new.title in body.decode()
        p.edit_article(new.key, title="Tiêu đề đã sửa")
        assert "Tiêu đề đã sửa" in get(s, new.path)[2].decode()


def test_keep_alive_connection(server: PortalServer, portal: Portal) -> None:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    try:
        for a in portal.expected_articles()[:3]:
            conn.request("GET", a.path)
            response = conn.getresponse()
            assert response.status == 200 and a.title in response.read().decode()
    finally:
        conn.close()


# -------------------------------------------------------------------- faults


def attempt(server: PortalServer, path: str, timeout: float = 5.0) -> str:
    """What one request got: a status code, or the name of the error."""
    try:
        status, headers, body = get(server, path, timeout=timeout)
    except TimeoutError:
        return "timeout"
    except http.client.IncompleteRead:
        return "truncated"
    except (ConnectionResetError, http.client.RemoteDisconnected, BrokenPipeError):
        return "reset"
    return str(status)


@pytest.mark.parametrize(
    ("faults", "failure", "timeout"),
    [
        (Faults(error_rate=1.0), "500", 5.0),
        (Faults(slow_rate=1.0, slow_seconds=0.6), "timeout", 0.15),
        (Faults(truncate_rate=1.0), "truncated", 5.0),
        (Faults(reset_rate=1.0), "reset", 5.0),
    ],
    ids=["error", "slow", "truncate", "reset"],
)
def test_fault_hits_each_path_at_most_max_failures(
    portal: Portal, faults: Faults, failure: str, timeout: float
) -> None:
    a, b = portal.expected_articles()[:2]
    with PortalServer(portal, faults=faults) as s:
        results = [attempt(s, a.path, timeout) for _ in range(4)]
        assert results == [failure, failure, "200", "200"]
        assert attempt(s, b.path, timeout) == failure  # another path fails anew
        assert attempt(s, "/robots.txt", timeout) == "200"  # exempt
        kinds = [r.fault for r in s.requests if r.path_and_query == a.path]
        assert kinds[:2] == [faults.kind_for(a.path)] * 2 and kinds[2:] == [None, None]
        s.reset_faults()
        assert attempt(s, a.path, timeout) == failure


def test_error_fault_sends_retry_after_on_some_paths(portal: Portal) -> None:
    faults = Faults(error_rate=1.0, max_failures_per_path=1, seed=3)
    paths = [a.path for a in portal.articles.values()]
    with PortalServer(portal, faults=faults) as s:
        retry_after = [get(s, p)[1].get("Retry-After") for p in paths]
    assert set(retry_after) == {"1", None}
    assert retry_after == ["1" if faults.retry_after(p) else None for p in paths]


def test_reset_fault_resets_the_connection(portal: Portal) -> None:
    with PortalServer(portal, faults=Faults(reset_rate=1.0)) as s:
        sock = socket.create_connection((s.host, s.port), timeout=5)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        with pytest.raises(ConnectionResetError):
            assert sock.recv(1024) == b""  # a FIN would give b"" instead of a reset
        sock.close()
        assert s.requests[-1].status == 0 and s.requests[-1].fault == "reset"


def test_fault_draws_are_deterministic_and_near_their_rates() -> None:
    paths = [f"/bai-{i}-{190000 + i}.html" for i in range(1000)]
    faults = Faults(error_rate=0.1, slow_rate=0.05, truncate_rate=0.05, reset_rate=0.1, seed=9)
    kinds = [faults.kind_for(p) for p in paths]
    assert kinds == [Faults(**vars(faults)).kind_for(p) for p in paths]
    assert 60 <= kinds.count("error") <= 140 and 60 <= kinds.count("reset") <= 140
    assert 20 <= kinds.count("slow") <= 80 and 20 <= kinds.count("truncate") <= 80
    other = [Faults(error_rate=0.1, seed=10).kind_for(p) for p in paths]
    assert other != [Faults(error_rate=0.1, seed=9).kind_for(p) for p in paths]


def test_faults_print_nothing(portal: Portal, capfd: pytest.CaptureFixture[str]) -> None:
    faults = Faults(error_rate=0.25, slow_rate=0.25, truncate_rate=0.25, reset_rate=0.25, slow_seconds=0.3)
    with PortalServer(portal, faults=faults) as s:
        for a in list(portal.articles.values())[:8]:
            attempt(s, a.path, timeout=0.1)
        time.sleep(0.4)  # let slow handlers write to their closed sockets
        assert attempt(s, "/robots.txt") == "200"
    out, err = capfd.readouterr()
    assert out == "" and err == ""


# ------------------------------------------------------------------ lifecycle


def test_stop_is_prompt_with_open_and_slow_connections(portal: Portal) -> None:
    s = PortalServer(portal, faults=Faults(slow_rate=1.0, slow_seconds=30)).start()
    idle = http.client.HTTPConnection(s.host, s.port, timeout=5)
    idle.request("GET", "/robots.txt")
    idle.getresponse().read()  # keep-alive connection left open
    slow = socket.create_connection((s.host, s.port), timeout=5)
    slow.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.1)
    started = time.monotonic()
    s.stop()
    assert time.monotonic() - started < 2
    with pytest.raises(OSError):
        socket.create_connection((s.host, s.port), timeout=1).close()
    idle.close()
    slow.close()
    s.stop()  # twice is harmless


def test_main_serves_until_interrupted() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "wardnews.testing.server", "--articles", "15", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    try:
        base = proc.stdout.readline().strip()
        assert base.startswith("http://127.0.0.1:")
        conn = http.client.HTTPConnection(base.removeprefix("http://"), timeout=5)
        conn.request("GET", "/xa-phuong")
        assert conn.getresponse().status == 200
        conn.close()
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert err == ""
