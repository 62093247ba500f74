"""Nightly runs read the portal's sitemap (or RSS feed) first, and walk the listings only without one.

Requests are counted from the mirror's log. The portals here publish up to now, so their
feeds are fresh; ``--recheck-days 0`` leaves the re-checks of recent articles out.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from wardnews.dates import VN_TZ
from wardnews.testing import Portal, PortalServer
from wardnews.testing.portal import MONTHLY_SITEMAP_RE, RSS_PATH, SITEMAP_INDEX_PATH

from .helpers import article_requests, listing_requests, run_crawl, stored_keys

NO_RECHECK = ("--recheck-days", "0")


def feed_requests(paths: list[str]) -> list[str]:
    return [p for p in paths if p in (SITEMAP_INDEX_PATH, RSS_PATH) or MONTHLY_SITEMAP_RE.match(p)]


def walks_listings(paths: list[str]) -> bool:
    return any(p.startswith(("/thoi-su", "/bon-phuong", "/xa-phuong")) for p in listing_requests(paths))


def fresh_portal(seed: int, feeds: str | None, n: int = 60) -> Portal:
    """A portal whose newest story is from the last 20 hours (its feeds are fresh: max age 2 days)."""
    portal = Portal(n, seed=seed, feeds=feeds)
    newest = max(a.published_at for a in portal.articles.values())
    assert portal.now - newest < timedelta(hours=20), f"seed {seed}: pick another (newest {newest})"
    return portal


def first_then_second(db, portal, *, new: int = 0, args=NO_RECHECK):
    """A first nightly run (listings: the database is empty), then a second one; its requests."""
    with PortalServer(portal) as server:
        first = run_crawl(server, db)
        assert first.code == 0, first.stdout + first.stderr
        assert sorted(stored_keys(db)) == sorted(a.key for a in portal.expected_articles())
        assert walks_listings(server.paths())
        added = portal.add_articles(new) if new else []
        server.reset_log()
        second = run_crawl(server, db, *args)
        paths = server.paths()
    assert second.code == 0, second.stdout + second.stderr
    return second, paths, added


def test_unchanged_portal_with_a_sitemap_costs_robots_the_index_and_one_sitemap(db):
    second, paths, _ = first_then_second(db, fresh_portal(21, "ok"))
    assert "0 new, 0 changed" in second.stdout
    sitemaps = [p for p in paths if MONTHLY_SITEMAP_RE.match(p)]
    assert len(sitemaps) == 1
    assert sorted(paths) == sorted(["/robots.txt", SITEMAP_INDEX_PATH, sitemaps[0]])


def test_with_the_recheck_window_the_due_articles_are_fetched_too(db):
    portal = fresh_portal(26, "ok")
    cutoff = datetime.now(VN_TZ) - timedelta(days=3)
    recent = {a.path for a in portal.expected_articles() if a.published_at >= cutoff + timedelta(minutes=5)}
    near = {a.path for a in portal.expected_articles() if abs(a.published_at - cutoff) < timedelta(minutes=5)}
    assert recent, "the generated portal has no article in the last 3 days"
    second, paths, _ = first_then_second(db, portal, args=())
    assert recent <= set(article_requests(paths)) <= recent | near
    assert len(feed_requests(paths)) == 2 and not walks_listings(paths)


def test_new_articles_are_the_only_articles_fetched(db):
    second, paths, added = first_then_second(db, fresh_portal(30, "ok"), new=3)
    assert "3 new, 0 changed" in second.stdout
    assert sorted(article_requests(paths)) == sorted(a.path for a in added)
    assert not walks_listings(paths)
    assert {a.key for a in added} <= set(stored_keys(db))


def test_rss_alone_finds_the_new_articles_and_the_listings_are_still_walked(db):
    # A feed may leave whole sections out: it adds to the listings, never replaces them.
    second, paths, added = first_then_second(db, fresh_portal(32, "rss"), new=2)
    assert sorted(article_requests(paths)) == sorted(a.path for a in added)
    assert feed_requests(paths) == [RSS_PATH]
    assert walks_listings(paths)
    assert {a.key for a in added} <= set(stored_keys(db))


def test_new_articles_a_feed_leaves_out_are_stored_from_the_listings(db):
    portal = fresh_portal(32, "rss-one-section")
    with PortalServer(portal) as server:
        assert run_crawl(server, db).code == 0
        added = portal.add_articles(6)
        server.reset_log()
        second = run_crawl(server, db, *NO_RECHECK)
        paths = server.paths()
    left_out = [a for a in added if a.section != portal.sections[0].path]
    assert left_out, "every new story is in the feed's section: pick another seed"
    assert second.code == 0, second.stdout + second.stderr
    assert feed_requests(paths) == [RSS_PATH]
    assert {a.key for a in added} <= set(stored_keys(db))


def test_a_broken_sitemap_and_feed_mean_walking_the_listings(db):
    second, paths, added = first_then_second(db, fresh_portal(33, "broken"), new=2)
    assert "2 new" in second.stdout
    assert walks_listings(paths)
    assert {a.path for a in added} <= set(article_requests(paths))
    assert SITEMAP_INDEX_PATH in paths and RSS_PATH in paths


def test_a_stale_sitemap_means_walking_the_listings(db):
    second, paths, added = first_then_second(db, fresh_portal(34, "stale"), new=2)
    assert "2 new" in second.stdout
    assert walks_listings(paths)
    assert {a.path for a in added} <= set(article_requests(paths))


def test_without_feeds_the_nightly_run_walks_the_listings_as_before(db):
    second, paths, added = first_then_second(db, fresh_portal(36, None), new=1)
    assert walks_listings(paths)
    assert [p for p in article_requests(paths)] == [added[0].path]
    assert not [p for p in feed_requests(paths) if p != RSS_PATH]  # robots.txt names no sitemap
    assert re.search(r"\b1 new\b", second.stdout)
