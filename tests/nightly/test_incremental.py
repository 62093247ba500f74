"""Nightly runs fetch what is new (and what may have changed), not the whole portal again."""

from __future__ import annotations

from datetime import datetime, timedelta

from wardnews.dates import VN_TZ
from wardnews.testing import Portal, PortalServer

from .helpers import article_requests, listing_requests, query, run_crawl, stored_keys

AGED = datetime.now(VN_TZ) - timedelta(days=10)  # no article within the 3-day re-check window


def test_unchanged_portal_costs_one_listing_page_per_section_and_no_article(db, capsys):
    portal = Portal(40, seed=3, now=AGED)
    with PortalServer(portal) as server:
        first = run_crawl(server, db)
        assert first.code == 0, first.stderr
        assert sorted(stored_keys(db)) == sorted(a.key for a in portal.expected_articles())
        first_paths = server.paths()
        server.reset_log()

        second = run_crawl(server, db)
        paths = server.paths()
    assert second.code == 0, second.stderr
    assert "0 new, 0 changed" in second.stdout
    assert article_requests(paths) == []
    listings = listing_requests(paths)
    # Each listing once, page 1 only: the home page, hubs and sections; 404s of the first night skipped.
    assert len(listings) == len(set(listings))
    assert not [p for p in listings if "page=" in p]
    assert not [p for p in listings if p in ("/thu-do-van-hien/thanh-uy", "/thu-do-van-hien/hdnd")]
    with capsys.disabled():
        print(
            f"\n  nightly economy: first run {len(first_paths)} requests"
            f" ({len(article_requests(first_paths))} articles); unchanged rerun {len(paths)} requests"
            f" ({len(listings)} listing pages, 0 articles, 1 robots.txt)"
        )
    assert len(paths) <= 12
    runs = query(db, "SELECT mode, status, articles_new, articles_unchanged FROM crawl_runs ORDER BY id")
    assert runs == [("nightly", "ok", 40, 0), ("nightly", "ok", 0, 0)]


def test_one_percent_new_fetches_only_the_new_article(db, capsys):
    portal = Portal(100, seed=4, now=AGED)
    with PortalServer(portal) as server:
        assert run_crawl(server, db).code == 0
        server.reset_log()
        (new,) = portal.add_articles(1)
        second = run_crawl(server, db)
        paths = server.paths()
    assert second.code == 0, second.stderr
    assert "1 new, 0 changed" in second.stdout
    assert [p for p in article_requests(paths)] == [new.path]
    assert new.key in stored_keys(db)
    listings = listing_requests(paths)
    # The new article's section is walked one page further, to the first page with nothing new.
    paged = [p for p in listings if "page=" in p]
    assert paged == [f"{new.section}?page=2"]
    with capsys.disabled():
        print(f"\n  1% new: {len(paths)} requests ({len(listings)} listing pages, 1 article)")
    assert len(paths) <= 14


def test_recent_articles_are_rechecked(db):
    portal = Portal(40, seed=5)  # published over the 60 days up to now
    cutoff = datetime.now(VN_TZ) - timedelta(days=3)
    recent = {a.path for a in portal.expected_articles() if a.published_at >= cutoff + timedelta(minutes=5)}
    borderline = {
        a.path for a in portal.expected_articles() if abs(a.published_at - cutoff) < timedelta(minutes=5)
    }
    assert recent, "the generated portal has no article in the last 3 days"
    with PortalServer(portal) as server:
        assert run_crawl(server, db).code == 0
        server.reset_log()
        second = run_crawl(server, db)
        fetched = set(article_requests(server.paths()))
        server.reset_log()
        third = run_crawl(server, db, "--recheck-days", "0")
        none = article_requests(server.paths())
    assert second.code == 0
    assert recent <= fetched <= recent | borderline
    assert f"{len(fetched)} unchanged" in second.stdout
    assert third.code == 0 and none == []


def test_full_refetches_everything(db):
    portal = Portal(40, seed=6, now=AGED)
    with PortalServer(portal) as server:
        assert run_crawl(server, db).code == 0
        server.reset_log()
        full = run_crawl(server, db, "--full")
        fetched = set(article_requests(server.paths()))
    assert full.code == 0
    assert {a.path for a in portal.expected_articles()} <= fetched
    assert query(db, "SELECT mode FROM crawl_runs ORDER BY id DESC LIMIT 1") == [("full",)]
