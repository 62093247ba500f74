"""SIGKILL a crawl again and again: the next run resumes, and nothing is lost or stored twice."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time

from wardnews.testing import Portal, PortalServer

from .helpers import crawl_command, query, run_crawl

SLOW = [
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=2",
    "-s",
    "WARDNEWS_BATCH_SIZE=3",
    "-s",
    "WARDNEWS_FLUSH_SECONDS=0.3",
]


def article_count(db) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # not created yet
        return 0


def crawl_and_kill(server, db, *, after_s: float | None = None, more_articles: int | None = None) -> bool:
    """Start a crawl; SIGKILL it after ``after_s`` seconds or once ``more_articles`` are stored.

    Returns False when the crawl finished before it could be killed.
    """
    start_count = article_count(db)
    process = subprocess.Popen(
        crawl_command(server, db, *SLOW), cwd=db.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    started = time.monotonic()
    while process.poll() is None:
        if after_s is not None and time.monotonic() - started >= after_s:
            break
        if more_articles is not None and article_count(db) >= start_count + more_articles:
            break
        time.sleep(0.01)
    if process.poll() is not None:
        return False
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return True


def assert_whole(db) -> None:
    """Every stored article has its figures and links: no batch was half-written."""
    assert query(
        db,
        "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM figures f WHERE f.article_id = a.id)"
        " OR NOT EXISTS (SELECT 1 FROM links l WHERE l.article_id = a.id)",
    ) == [(0,)]


def test_killed_crawls_resume_to_the_expected_database(db):
    portal = Portal(60, seed=8)
    expected = sorted(a.key for a in portal.expected_articles())
    kills = 0
    with PortalServer(portal) as server:
        # Kill points: by time (before or around the first commits) and by articles committed since.
        plan = [
            {"after_s": 1.0},
            {"more_articles": 2},
            {"more_articles": 3},
            {"after_s": 0.9},
            *({"more_articles": n} for n in (4, 5, 5, 6)),
        ]
        for point in plan:
            if crawl_and_kill(server, db, **point):
                kills += 1
                if db.exists():
                    assert_whole(db)
        assert kills >= 5
        final = run_crawl(server, db)
    assert final.code == 0, final.stdout + final.stderr
    keys = [row[0] for row in query(db, "SELECT article_key FROM articles ORDER BY article_key")]
    assert keys == expected  # every expected article, exactly once
    assert_whole(db)
    orphans = query(
        db,
        "SELECT (SELECT count(*) FROM figures WHERE article_id NOT IN (SELECT id FROM articles)),"
        " (SELECT count(*) FROM links WHERE article_id NOT IN (SELECT id FROM articles)),"
        " (SELECT count(*) FROM url_aliases WHERE article_id IS NOT NULL"
        "  AND article_id NOT IN (SELECT id FROM articles))",
    )
    assert orphans == [(0, 0, 0)]
    assert query(db, "SELECT count(*) FROM articles_fts") == [(len(expected),)]
    statuses = [row[0] for row in query(db, "SELECT status FROM crawl_runs ORDER BY id")]
    assert statuses[-1] == "ok" and "running" not in statuses
    assert set(statuses) <= {"killed", "ok"}
    # Every killed run that had opened its row is marked; the two killed by time may not have had one yet.
    assert statuses.count("killed") >= kills - 2
    assert query(db, "SELECT count(*) FROM frontier") == [(0,)]  # a finished run leaves no frontier
