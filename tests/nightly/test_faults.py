"""A flaky server: retries with backoff get every article through; only final failures are errors."""

from __future__ import annotations

from collections import defaultdict

from wardnews import runs
from wardnews.testing import Faults, Portal, PortalServer
from wardnews.testing.portal import SOFT_404_PATH

from .helpers import ARTICLE_PATH_RE, query, run_crawl

TIMEOUT = ["-s", "DOWNLOAD_TIMEOUT=0.5"]


def served_keys_are_stored(db, server) -> set[str]:
    """Every article page the server served whole (status 200, no fault) is stored, as article or alias."""
    served = {
        m.group(1)
        for r in server.requests
        if r.status == 200 and r.fault is None and r.path_and_query != SOFT_404_PATH
        if (m := ARTICLE_PATH_RE.search(r.path_and_query))
    }
    missing = {
        key
        for key in served
        if not query(
            db,
            "SELECT 1 FROM articles WHERE article_key = ? UNION ALL"
            " SELECT 1 FROM url_aliases WHERE article_key = ? AND article_id IS NOT NULL",
            (key, key),
        )
    }
    assert missing == set()
    return served


def test_transient_faults_are_retried_and_the_run_is_ok(db):
    portal = Portal(50, seed=10)
    faults = Faults(
        error_rate=0.05, slow_rate=0.03, truncate_rate=0.03, reset_rate=0.03, slow_seconds=1.5, seed=5
    )
    with PortalServer(portal, faults=faults) as server:
        result = run_crawl(server, db, *TIMEOUT)
        served_keys_are_stored(db, server)
        requests = list(server.requests)
    assert result.code == runs.EXIT_OK, result.stdout + result.stderr
    kinds = {r.fault for r in requests if r.fault}
    assert kinds == {"error", "slow", "truncate", "reset"}  # every kind was met...
    keys = [row[0] for row in query(db, "SELECT article_key FROM articles")]
    assert sorted(keys) == sorted(a.key for a in portal.expected_articles())  # ...and got through, once each
    # Faulty paths failed twice and were served on a retry: none of them is a fetch error.
    faulty = {r.path_and_query for r in requests if r.fault}
    errors = [url for (url,) in query(db, "SELECT url FROM fetch_errors")]
    assert not [url for url in errors if any(url.endswith(path) for path in faulty)]
    # Retry-After: 1 was honoured; the others were retried after the (tiny) backoff.
    times = defaultdict(list)
    for r in requests:
        times[r.path_and_query].append((r.time, r.fault))
    asked = [path for path, seen in times.items() if seen[0][1] == "error" and faults.retry_after(path)]
    assert asked
    for path in asked:
        assert times[path][1][0] - times[path][0][0] >= 0.95, path


def test_persistent_errors_are_recorded_and_past_the_threshold_the_run_is_degraded(db):
    portal = Portal(40, seed=11)
    faults = Faults(error_rate=0.3, max_failures_per_path=1000, seed=3, exempt=("/robots.txt", "/"))
    with PortalServer(portal, faults=faults) as server:
        result = run_crawl(server, db, *TIMEOUT, "-s", "WARDNEWS_RETRY_MAX_DELAY=0.05")
        served_keys_are_stored(db, server)
        failed = {r.path_and_query for r in server.requests if r.fault == "error"}
    assert result.code == runs.EXIT_DEGRADED == 4, result.stdout
    assert result.stdout.startswith("wardnews degraded:")
    recorded = {
        url.split("/", 3)[3] for (url,) in query(db, "SELECT url FROM fetch_errors WHERE error = 'http_500'")
    }
    assert recorded == {path.lstrip("/") for path in failed}
    (row,) = query(db, "SELECT status, exit_code, errors_by_kind FROM crawl_runs")
    assert row[:2] == ("degraded", 4) and '"http_500"' in row[2]
