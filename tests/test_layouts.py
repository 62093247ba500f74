"""Every mirror layout, crawled end to end on 127.0.0.1 with the site selectors off (issue 9).

Two runs per layout against a server that serves some pages cut short the first
time: ``--full`` (the first night), then a nightly run. Crawl-side assertions
(every story stored once, no extra row, doubts settled on the next run, print
pages and old slugs as aliases, every link joins) run with og:type article.

The issue's done-when runs every layout with og:type website and no JSON-LD,
with the site selectors off: every story stored once, with its date to the
minute and its authors.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from wardnews.learning import RunBoilerplate
from wardnews.testing import Faults, Portal, PortalServer
from wardnews.testing.portal import LAYOUTS
from wardnews.testing.scoring import expected_authors, score

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
        "-s", "WARDNEWS_RETRY_BACKOFF=0.01", "-s", "WARDNEWS_RETRY_MAX_DELAY=1"]  # fmt: skip
JOIN = (
    "SELECT l.url FROM links l WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.url = l.url)"
    " AND NOT EXISTS (SELECT 1 FROM url_aliases u WHERE u.url = l.url)"
    " AND NOT EXISTS (SELECT 1 FROM fetch_errors f WHERE f.url = l.url)"
)


def crawl(server, db, *args):
    command = [sys.executable, "-m", "wardnews", "crawl", "--base-url", server.base_url, "--db", str(db),
               "--log-dir", str(db.parent / "logs"), *FAST, *args]  # fmt: skip
    env = {**os.environ, "WARDNEWS_SITE_SELECTORS": "off"}
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)


def crawl_twice(tmp_path, name: str, og_type: str, n: int = 40):
    portal = Portal(n, seed=21, **{**LAYOUTS[name], "og_type": og_type})
    db = tmp_path / "wardnews.db"
    with PortalServer(portal, faults=Faults(cut_rate=0.08, max_failures_per_path=1, seed=2)) as server:
        first = crawl(server, db, "--full")
        cut = [r.path_and_query for r in server.requests if r.fault == "cut"]
        second = crawl(server, db)
        base = server.base_url
    return portal, db, first, second, cut, base


@pytest.fixture(scope="module", params=sorted(LAYOUTS))
def crawled(request, tmp_path_factory):
    return request.param, *crawl_twice(tmp_path_factory.mktemp(request.param), request.param, "article")


def rows(db, sql, params=()):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_every_story_is_stored_once_and_nothing_else(crawled):
    name, portal, db, first, second, cut, _ = crawled
    assert second.returncode == 0, second.stdout + second.stderr[-1500:]
    result = score(portal, db)
    assert result.lost == [], f"{name}: lost {result.lost}"
    assert result.duplicates == 0
    assert rows(db, "SELECT count(*) FROM articles") == [(len(portal.expected_articles()),)]


def test_pages_cut_short_are_doubtful_then_settled_by_the_next_run(crawled):
    name, portal, db, first, second, cut, _ = crawled
    articles_cut = [p for p in cut if p.endswith((".html", ".media"))]
    if not articles_cut:
        pytest.skip(f"{name}: no article page drew the cut fault")
    assert first.returncode == 4 and " doubtful" in first.stdout, first.stdout
    (doubtful,) = rows(db, "SELECT doubtful FROM crawl_runs ORDER BY id LIMIT 1")[0]
    assert doubtful >= len(articles_cut)
    assert rows(db, "SELECT count(*) FROM doubtful_pages WHERE resolved_at IS NULL") == [(0,)]
    assert rows(db, "SELECT count(*) FROM articles WHERE doubts LIKE '%cut short%'") == [(0,)]


def test_print_pages_and_old_slugs_are_aliases(crawled):
    name, portal, db, *_, base = crawled
    aliases = dict(rows(db, "SELECT url, how FROM url_aliases"))
    key_of = dict(
        rows(db, "SELECT u.url, a.article_key FROM url_aliases u JOIN articles a ON a.id = u.article_id")
    )
    for article in portal.expected_articles():
        if article.old_slug:
            url = base + article.old_path
            assert aliases.get(url) == "redirect" and key_of[url] == article.key, url
        if LAYOUTS[name].get("print_links") or article.long_read:
            url = base + article.print_path
            assert aliases.get(url) == "print" and key_of[url] == article.key, url


def test_republished_copies_merge_into_the_older_story(crawled):
    _, portal, db, *_, base = crawled
    for copy in (a for a in portal.articles.values() if a.republished_from):
        got = rows(
            db,
            "SELECT a.article_key, u.how FROM url_aliases u JOIN articles a ON a.id = u.article_id"
            " WHERE u.url = ?",
            [base + copy.path],
        )
        assert got == [(copy.republished_from, "republished")], copy.title


def test_every_link_joins_an_article_an_alias_or_an_error(crawled):
    _, _, db, *_ = crawled
    assert rows(db, JOIN) == []


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_done_when_og_website_every_story_with_its_date_and_authors(tmp_path, name):
    portal, db, first, second, cut, _ = crawl_twice(tmp_path, name, "website", n=30)
    result = score(portal, db)
    assert result.lost == [] and result.duplicates == 0
    assert result.date >= 0.98 and result.authors >= 0.98
    assert result.captions >= 0.98 and result.sapo >= 0.98 and result.body_f1 >= 0.97


def test_dates_to_the_minute_and_authors_on_the_mastercms_layout(tmp_path):
    """With og:type article, today's extractor already gets these right with the selectors off."""
    portal, db, *_ = crawl_twice(tmp_path, "mastercms", "article", n=30)
    stored = {
        k: (p, json.loads(a))
        for k, p, a in rows(db, "SELECT article_key, published_at, authors FROM articles")
    }
    for article in portal.expected_articles():
        published, authors = stored[article.key]
        assert published == article.published_at.isoformat(timespec="seconds")
        assert authors == expected_authors(article)


def test_the_crawl_keeps_the_boilerplate_it_learnt_for_the_next_run(crawled):
    name, portal, db, *_ = crawled
    stored = (rows(db, "SELECT data FROM boilerplate WHERE site = 'laodongthudo'") or [(None,)])[0][0]
    learnt = RunBoilerplate(stored).current
    assert learnt is not None, name
    if LAYOUTS[name].get("layout") == "mastercms":
        assert learnt.is_boilerplate(portal._today())  # the masthead's date of that night
    assert not any(learnt.is_boilerplate(a.title) for a in portal.expected_articles())
