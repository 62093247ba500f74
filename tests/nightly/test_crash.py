"""SIGKILL a crawl again and again: the next run resumes, and nothing is lost or stored twice."""

from __future__ import annotations

import os
import signal
import subprocess

from wardnews.testing import PortalServer

from .helpers import GatedPortal, crawl_command, query, run_crawl

SLOW = [
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=2",
    "-s",
    "WARDNEWS_BATCH_SIZE=3",
    "-s",
    "WARDNEWS_FLUSH_SECONDS=0.3",
]


def crawl_and_kill(server, portal: GatedPortal, db, articles: int) -> None:
    """Start a crawl and SIGKILL it once ``articles`` more article pages were served.

    The gate holds the next request, so the crawl is alive (waiting) when it
    is killed, however fast or slow the machine is.
    """
    portal.hold_after(articles)
    process = subprocess.Popen(
        crawl_command(server, db, *SLOW), cwd=db.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        portal.wait_until_holding(process)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        portal.release()


def assert_whole(db) -> None:
    """Every stored article has its figures and links: no batch was half-written."""
    assert query(
        db,
        "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM figures f WHERE f.article_id = a.id)"
        " OR NOT EXISTS (SELECT 1 FROM links l WHERE l.article_id = a.id)",
    ) == [(0,)]


def test_killed_crawls_resume_to_the_expected_database(db):
    portal = GatedPortal(60, seed=8)
    expected = sorted(a.key for a in portal.expected_articles())
    # Kill points by progress: article pages served by this run (0: during the listings, before any
    # article; 1: before the first commit; more: between and inside batches of 3).
    plan = [0, 1, 2, 3, 1, 4, 5, 5, 6]
    with PortalServer(portal) as server:
        for articles in plan:
            crawl_and_kill(server, portal, db, articles)
            assert_whole(db)
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
    assert statuses == ["killed"] * len(plan) + ["ok"]  # every killed run had opened its row
    assert query(db, "SELECT count(*) FROM frontier") == [(0,)]  # a finished run leaves no frontier
