"""SIGTERM and SIGINT (systemd stop, `timeout` in cron, Ctrl-C): a clean stop, reported as what it was."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

from wardnews import runs
from wardnews.testing import PortalServer
from wardnews.testing.portal import SOFT_404_PATH

from .helpers import ARTICLE_PATH_RE, GatedPortal, crawl_command, integrity, query, run_crawl, wait_for_line

# One request at a time with a download delay: while one page is held by the gate, the next
# requests wait in the downloader's queue. A stop must drop them, not send them one by one.
QUEUED = [
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
    "-s", "DOWNLOAD_DELAY=0.05",
    "-s", "WARDNEWS_BATCH_SIZE=2",
    "-s", "WARDNEWS_FLUSH_SECONDS=0",
]  # fmt: skip
STOPPING = "received: stopping"


def start(server, db):
    return subprocess.Popen(
        crawl_command(server, db, *QUEUED),
        cwd=db.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_crawl_stores_what_it_fetched_and_keeps_the_frontier(db, signum):
    portal = GatedPortal(40, seed=21)
    with PortalServer(portal) as server:
        portal.hold_after(6)  # six article pages, then the crawl waits for the seventh request
        process = start(server, db)
        portal.wait_until_holding(process)
        process.send_signal(signum)
        wait_for_line(db.parent / "logs" / "crawl-*.log", STOPPING, process)
        seen_when_stopped = len(portal.arrivals)
        portal.release()  # the held page arrives; nothing after it may be asked for
        stdout, stderr = process.communicate(timeout=60)
        arrivals = list(portal.arrivals)

        code = 128 + signum
        assert process.returncode == code, stdout + stderr
        assert arrivals[seen_when_stopped:] == []  # no request after the stop, though some were queued
        assert stderr == ""
        name = signal.Signals(signum).name
        assert stdout.startswith("wardnews interrupted:") and stdout.count("\n") == 1
        assert f"stopped by {name}" in stdout
        (row,) = query(db, "SELECT status, exit_code, message, finished_at FROM crawl_runs")
        assert row[:2] == ("interrupted", code) and name in row[2] and row[3]
        # Every article page served, the held one included, is stored: nothing fetched was lost.
        # (the portal's own "no such article" page, served with 200, is refused by design)
        served = {
            m.group(1) for path in arrivals if path != SOFT_404_PATH and (m := ARTICLE_PATH_RE.search(path))
        }
        stored = {key for (key,) in query(db, "SELECT article_key FROM articles")}
        assert served and served <= stored | aliased_keys(db)
        assert query(db, "SELECT count(*) FROM frontier WHERE state = 'pending'")[0][0] > 0
        assert integrity(db) == "ok"

        if signum == signal.SIGTERM:  # the next run resumes the frontier and finishes
            again = run_crawl(server, db)
            assert again.code == 0, again.stdout + again.stderr
            keys = sorted(key for (key,) in query(db, "SELECT article_key FROM articles"))
            assert keys == sorted(a.key for a in portal.expected_articles())
            assert query(db, "SELECT count(*) FROM frontier") == [(0,)]
            assert [s for (s,) in query(db, "SELECT status FROM crawl_runs ORDER BY id")] == [
                "interrupted",
                "ok",
            ]


def aliased_keys(db) -> set[str]:
    return {k for (k,) in query(db, "SELECT article_key FROM url_aliases WHERE article_id IS NOT NULL") if k}


def test_a_second_signal_stops_at_once_and_corrupts_nothing(db):
    portal = GatedPortal(40, seed=22)
    with PortalServer(portal) as server:
        portal.hold_after(5)
        process = start(server, db)
        portal.wait_until_holding(process)
        process.send_signal(signal.SIGTERM)
        wait_for_line(db.parent / "logs" / "crawl-*.log", STOPPING, process)
        # The held page never comes: a graceful stop would wait for it. The second signal does not.
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=60)
        portal.release()
        assert process.returncode == runs.EXIT_INTERRUPTED_SIGTERM == 143, stdout + stderr
        assert (
            stdout.startswith("wardnews interrupted:") and "stopped at once after a second SIGTERM" in stdout
        )
        assert integrity(db) == "ok"
        (row,) = query(db, "SELECT status, exit_code FROM crawl_runs")
        assert row == ("interrupted", 143)
        again = run_crawl(server, db)
    assert again.code == 0, again.stdout + again.stderr
    keys = sorted(key for (key,) in query(db, "SELECT article_key FROM articles"))
    assert keys == sorted(a.key for a in portal.expected_articles())


def test_a_signal_before_the_first_article_still_closes_the_run(db):
    portal = GatedPortal(20, seed=23)
    with PortalServer(portal) as server:
        portal.hold_after(0)  # robots.txt is held: nothing fetched yet
        process = start(server, db)
        portal.wait_until_holding(process)
        os.kill(process.pid, signal.SIGINT)
        wait_for_line(db.parent / "logs" / "crawl-*.log", STOPPING, process)
        portal.release()
        stdout, _ = process.communicate(timeout=60)
    assert process.returncode == 130
    assert query(db, "SELECT status, exit_code FROM crawl_runs") == [("interrupted", 130)]
    assert stdout.startswith("wardnews interrupted:")


def test_a_page_that_never_arrives_cannot_hold_the_stop_past_its_grace(db):
    portal = GatedPortal(20, seed=24)
    with PortalServer(portal) as server:
        portal.hold_after(3)
        process = subprocess.Popen(
            crawl_command(server, db, *QUEUED, "-s", "WARDNEWS_STOP_GRACE=0.5", "-s", "DOWNLOAD_TIMEOUT=60"),
            cwd=db.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        portal.wait_until_holding(process)
        process.send_signal(signal.SIGTERM)
        stdout, _ = process.communicate(timeout=60)  # the held page never comes
        portal.release()
    assert process.returncode == 143
    assert "stopped at once after the 0.5 s grace period (SIGTERM first)" in stdout
    assert query(db, "SELECT status, exit_code FROM crawl_runs") == [("interrupted", 143)]
    assert integrity(db) == "ok"
