"""A full disk: the crawl stops at the first refused write, keeps what it committed, and the next run resumes.

The disk is simulated without privileges: ``WARDNEWS_DB_MAX_BYTES`` caps the
database (SQLite's ``max_page_count``), and SQLite reports SQLITE_FULL exactly
as it does when the disk itself is full.
"""

from __future__ import annotations

import os
import subprocess

from wardnews.testing import Portal, PortalServer

from .helpers import article_requests, crawl_command, integrity, query, run_crawl

QUOTA = str(600 * 1024)  # the empty schema takes about 270 KiB: room for a few batches
# Two requests in the downloader at most, and no page downloaded while one waits to be parsed: what
# was fetched before the failure is bounded by these numbers, not by the machine's speed.
NARROW = [
    "-s", "WARDNEWS_BATCH_SIZE=2",
    "-s", "CONCURRENT_REQUESTS=2",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2",
    "-s", "SCRAPER_SLOT_MAX_ACTIVE_SIZE=1",
]  # fmt: skip


def test_a_full_disk_stops_the_crawl_and_the_next_run_resumes(db):
    portal = Portal(60, seed=61)
    expected = sorted(a.key for a in portal.expected_articles())
    with PortalServer(portal) as server:
        full = subprocess.run(
            crawl_command(server, db, *NARROW),
            cwd=db.parent,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "WARDNEWS_DB_MAX_BYTES": QUOTA},
        )
        asked = len(article_requests(server.paths()))
        stored = len(query(db, "SELECT id FROM articles"))
        assert full.returncode == 1, full.stdout + full.stderr
        assert full.stdout.startswith("wardnews failed:") and full.stdout.count("\n") == 1
        assert f"the disk holding {db.parent} is full" in full.stdout
        assert full.stderr == ""
        # It stopped fetching: beyond what it stored, only the failed batch (2), the pages in the
        # downloader (2) and those waiting to be parsed (2).
        assert 0 < stored < len(expected)
        assert asked <= stored + 8, (asked, stored)
        (row,) = query(db, "SELECT status, exit_code, message FROM crawl_runs")
        assert row[:2] == ("failed", 1) and "is full" in row[2]
        assert integrity(db) == "ok"
        assert query(db, "SELECT count(*) FROM frontier WHERE state = 'pending'")[0][0] > 0

        again = run_crawl(server, db)  # space freed (no quota): it resumes and finishes
    assert again.code == 0, again.stdout + again.stderr
    assert sorted(k for (k,) in query(db, "SELECT article_key FROM articles")) == expected
    assert [s for (s,) in query(db, "SELECT status FROM crawl_runs ORDER BY id")] == ["failed", "ok"]
