"""The real Scrapy engine against a generated mirror of the portal on 127.0.0.1, checked row by row.

The mirror (wardnews.testing) has 4 sections with paginated listings, a section
linked only from the home page's navigation, and every duplicate trap:
tracking parameters, mobile paths, section-prefixed paths, letter case,
trailing slashes, the self-link in "Nên xem" and republished copies.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from wardnews.extract.body import split_credit
from wardnews.sites import selectors_enabled
from wardnews.testing import Portal, PortalServer

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    portal = Portal(40, seed=3)
    db = tmp_path_factory.mktemp("e2e") / "wardnews.db"
    with PortalServer(portal) as server:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "wardnews",
                "crawl",
                "--base-url",
                server.base_url,
                "--db",
                str(db),
                "--max-listing-pages",
                "50",
                "--log-dir",
                str(db.parent / "logs"),
                *FAST,
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        requested = [r.path_and_query for r in server.requests]
        base_url = server.base_url
    connection = sqlite3.connect(db)
    connection.row_factory = sqlite3.Row
    yield portal, result, connection, requested, base_url
    connection.close()


def test_the_run_succeeds_and_says_so_in_one_line(crawled):
    _, result, db, _, _ = crawled
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("wardnews ok: ") and result.stdout.count("\n") == 1
    run = db.execute("SELECT * FROM crawl_runs").fetchone()
    assert run["status"] == "ok" and run["articles_new"] == 40 and run["finished_at"]


def test_one_row_per_story(crawled):
    portal, _, db, _, _ = crawled
    keys = sorted(r["article_key"] for r in db.execute("SELECT article_key FROM articles"))
    assert keys == sorted(a.key for a in portal.expected_articles())


def test_every_row_holds_what_the_page_shows(crawled):
    portal, _, db, _, _ = crawled
    for expected in portal.expected_articles():
        row = db.execute("SELECT * FROM articles WHERE article_key = ?", [expected.key]).fetchone()
        assert row["title"] == expected.title
        assert row["sapo"] == expected.sapo
        assert row["body"] == expected.body
        assert row["byline"] == expected.byline
        assert row["category"] == expected.category
        assert row["published_at"] == expected.published_at.isoformat(timespec="seconds")
        figures = db.execute(
            "SELECT caption, credit FROM figures WHERE article_id = ? ORDER BY position", [row["id"]]
        ).fetchall()
        assert [tuple(f) for f in figures] == [split_credit(caption) for _, caption in expected.figures]
        assert '"none"' not in row["extraction"].replace('"modified_at": "none"', "")
        if selectors_enabled():  # with WARDNEWS_SITE_SELECTORS=off no field can come from them
            assert '"site"' in row["extraction"]


def test_every_trap_url_is_an_alias_of_the_right_article(crawled):
    portal, _, db, _, base_url = crawled
    key_of_id = {r["id"]: r["article_key"] for r in db.execute("SELECT id, article_key FROM articles")}
    aliases = {r["url"]: r["article_id"] for r in db.execute("SELECT url, article_id FROM url_aliases")}
    originals = {a.key: a.republished_from or a.key for a in portal.articles.values()}
    for path, key in portal.alias_urls().items():
        url = base_url + path
        assert url in aliases, f"{url} was linked but not kept"
        assert key_of_id[aliases[url]] == originals[key], url


def test_republished_copies_are_aliases_not_rows(crawled):
    portal, _, db, _, base_url = crawled
    copies = [a for a in portal.articles.values() if a.republished_from]
    assert copies
    for copy in copies:
        row = db.execute(
            "SELECT a.article_key, u.how, u.article_key AS own_key FROM url_aliases u"
            " JOIN articles a ON a.id = u.article_id WHERE u.url = ?",
            [base_url + copy.path],
        ).fetchone()
        assert tuple(row) == (copy.republished_from, "republished", copy.key)


def test_links_blocks_are_stored(crawled):
    _, _, db, _, _ = crawled
    blocks = {r[0] for r in db.execute("SELECT DISTINCT block FROM links")}
    assert {"related", "tin_khac", "nen_xem", "co_the_ban_quan_tam"} <= blocks


def test_robots_txt_is_obeyed_and_non_articles_are_not_stored(crawled):
    _, _, db, requested, _ = crawled
    assert "/robots.txt" in requested
    assert not [p for p in requested if p.startswith(("/admin", "/search"))]
    assert db.execute("SELECT count(*) FROM articles WHERE title LIKE '%không tồn tại%'").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM fetch_errors WHERE error = 'not_article'").fetchone()[0] == 1


def test_the_section_linked_only_from_navigation_is_found(crawled):
    portal, _, db, requested, _ = crawled
    assert any(p.startswith("/xa-phuong") for p in requested)
    nav_only = [a.key for a in portal.expected_articles() if a.section == "/xa-phuong"]
    assert nav_only
    stored = {r[0] for r in db.execute("SELECT article_key FROM articles")}
    assert set(nav_only) <= stored
