"""Pure parts of the nightly machinery: policy, backoff, frontier and run bookkeeping in the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wardnews.dates import VN_TZ
from wardnews.incremental import ARTICLE, LISTING, CrawlPolicy, StoreCrawlState
from wardnews.middlewares import backoff_delay, retry_after_seconds
from wardnews.store import Store

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=VN_TZ)


class MemoryKnown:
    """A KnownArticles in a dict: what a Redis-backed index would look like to the spider."""

    def __init__(self, stored: dict[str, str | None], gone: set[str] = frozenset()):
        self.stored, self.gone = stored, set(gone)

    def known_since(self, url, article_key):
        return self.stored.get(url, False)

    def recheck_urls(self, since):
        return [url for url, when in self.stored.items() if when and when >= since]

    def gone_urls(self, since):
        return self.gone

    def doubtful_urls(self, now):
        return set(), set()  # doubtful pages and their back-off: tests/test_doubts.py


@pytest.fixture
def known():
    return MemoryKnown(
        {"old": "2026-01-01T08:00:00+07:00", "recent": "2026-01-09T08:00:00+07:00", "undated": None},
        gone={"gone"},
    )


@pytest.mark.parametrize(
    ("url", "nightly", "full"),
    [
        ("new", "new", "full"),
        ("old", None, "full"),
        ("recent", "recheck", "full"),
        ("undated", None, "full"),
        ("gone", None, "full"),
    ],
)
def test_article_reason(known, url, nightly, full):
    assert CrawlPolicy(known, "nightly", now=NOW).article_reason(url, None) == nightly
    assert CrawlPolicy(known, "full", now=NOW).article_reason(url, None) == full


def test_recheck_days_zero_rechecks_nothing(known):
    policy = CrawlPolicy(known, "nightly", recheck_days=0, now=NOW)
    assert policy.article_reason("recent", None) is None and policy.recheck_urls() == []
    assert CrawlPolicy(known, "nightly", now=NOW).recheck_urls() == ["recent"]


def test_paginate_only_while_a_page_shows_something_new(known):
    nightly = CrawlPolicy(known, "nightly", now=NOW)
    assert nightly.paginate([("old", None), ("new", None)])
    assert not nightly.paginate([("old", None), ("recent", None)])
    assert not nightly.paginate([])
    assert CrawlPolicy(known, "full", now=NOW).paginate([("old", None)])
    assert not nightly.fetch_listing("gone") and CrawlPolicy(known, "full", now=NOW).fetch_listing("gone")
    # All new (a first crawl): fan out over the page links; some stored: one page at a time.
    assert not nightly.near_stored([("new", None)]) and nightly.near_stored([("new", None), ("old", None)])


@pytest.mark.parametrize(
    ("header", "expected"),
    [(b"120", 120.0), ("7", 7.0), (None, None), (b"", None), (b"soon", None),
     ("Sat, 10 Jan 2026 05:00:30 GMT", 30.0), ("Sat, 10 Jan 2026 04:00:00 GMT", 0.0)],
)  # fmt: skip
def test_retry_after_seconds(header, expected):
    assert retry_after_seconds(header, now=datetime(2026, 1, 10, 5, 0, tzinfo=UTC)) == expected


def test_backoff_doubles_is_capped_and_honours_retry_after():
    assert 1.0 <= backoff_delay(1, 1.0, 60) <= 1.25
    assert 4.0 <= backoff_delay(3, 1.0, 60) <= 5.0
    assert backoff_delay(10, 1.0, 60) == 60
    assert backoff_delay(1, 0.01, 60, retry_after=30) == 30
    assert backoff_delay(1, 0.01, 5, retry_after=30) == 5


def test_frontier_survives_a_new_connection_and_clears(tmp_path):
    db = tmp_path / "w.db"
    state = StoreCrawlState(str(db), "laodongthudo", run_id=1)
    state.add("https://x/a-1.html", ARTICLE, hops=1, reason="new")
    state.add("https://x/section", LISTING, page=2)
    state.done(["https://x/section"])
    state.close()  # as if killed: nothing else happens
    state = StoreCrawlState(str(db), "laodongthudo")
    assert state.pending() == [
        {"url": "https://x/a-1.html", "kind": "article", "hops": 1, "page": 1, "reason": "new"}
    ]
    state.add("https://x/section", LISTING, page=2)  # scheduled again: pending again
    assert len(state.pending()) == 2
    state.clear()
    assert state.pending() == []
    state.close()


def test_running_runs_become_killed(tmp_path):
    with Store(tmp_path / "w.db") as store:
        # A row left 'running' by a process that died: nobody holds its run lock.
        dead = store.db["crawl_runs"].insert({"mode": "nightly", "status": "running"}).last_pk
        assert store.mark_killed_runs() == 1
        assert store.mark_killed_runs() == 0
        status = store.db.execute("SELECT status FROM crawl_runs WHERE id = ?", [dead]).fetchone()[0]
    assert status == "killed"


def test_recent_and_gone_lookups(tmp_path):
    with Store(tmp_path / "w.db") as store:
        run = store.start_run("nightly")
        store.record_fetch_error(run, "https://x/gone-1.html", 404, "http_404")
        store.record_fetch_error(run, "https://x/flaky-2.html", 500, "http_500")
        store.record_fetch_error(run, "https://x/soft", 200, "not_article")
        since = (datetime.now(VN_TZ) - timedelta(days=1)).isoformat(timespec="seconds")
        assert store.gone_urls(since) == {"https://x/gone-1.html", "https://x/soft"}
        later = (datetime.now(VN_TZ) + timedelta(days=1)).isoformat(timespec="seconds")
        assert store.gone_urls(later) == set()
