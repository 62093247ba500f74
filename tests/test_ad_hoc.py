"""One URL, ad hoc, against the local mirror: `wardnews fetch` and plain `scrapy crawl article`."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from wardnews.testing import Portal, PortalServer

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def mirror():
    portal = Portal(12, seed=5)
    with PortalServer(portal) as server:
        yield portal, server


def run(*args, cwd=REPO):
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd, timeout=120)


def fetch(server, url: str, db, *options: str):
    """``wardnews fetch URL`` against the mirror, with the database at ``db``."""
    return run(
        sys.executable,
        "-m",
        "wardnews",
        "fetch",
        url,
        *options,
        "--base-url",
        server.base_url,
        "--db",
        str(db),
    )


def test_fetch_prints_the_article_and_writes_nothing(mirror, tmp_path):
    portal, server = mirror
    article = portal.expected_articles()[0]
    result = fetch(server, server.url(article.path + "?utm_source=zalo"), tmp_path / "w.db")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["title"] == article.title and printed["article_key"] == article.key
    assert printed["url"] == server.url(article.path)  # canonical, tracking removed
    assert not (tmp_path / "w.db").exists()


def test_fetch_store_writes_one_row_and_text_output_reads_well(mirror, tmp_path):
    portal, server = mirror
    article = portal.expected_articles()[1]
    db = tmp_path / "w.db"
    result = fetch(server, server.url(article.path), db, "--store", "--text")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(article.title + "\n")
    rows = sqlite3.connect(db).execute("SELECT article_key, title FROM articles").fetchall()
    assert rows == [(article.key, article.title)]


def test_fetch_of_a_page_that_is_not_an_article_exits_1(mirror, tmp_path):
    _, server = mirror
    result = fetch(server, server.url("/bai-viet-khong-ton-tai-999999.html"), tmp_path / "w.db")
    assert result.returncode == 1
    assert "is not an article page" in result.stderr


def test_scrapy_crawl_article_works_for_scrapy_users(mirror, tmp_path):
    portal, server = mirror
    article = portal.expected_articles()[2]
    db = tmp_path / "scrapy.db"
    result = run(
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "article",
        "-a",
        f"url={server.url(article.path)}",
        "-a",
        f"base_url={server.base_url}",
        "-s",
        f"WARDNEWS_DB={db}",
        "-s",
        "LOG_LEVEL=WARNING",
    )
    assert result.returncode == 0, result.stderr
    rows = sqlite3.connect(db).execute("SELECT article_key FROM articles").fetchall()
    assert rows == [(article.key,)]


class ForgedPortal(Portal):
    """Pages on another host whose links, rel=canonical included, all name the real mirror."""

    def __init__(self, *args, claims: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.claims = claims  # the portal (mirror) base URL the forged pages point at

    def render(self, path_and_query, *, base_url=None):
        return super().render(path_and_query, base_url=self.claims)


def test_fetch_any_site_store_never_overwrites_a_portal_article(mirror, tmp_path):
    portal, server = mirror
    copied, rewritten = portal.expected_articles()[3:5]
    db = tmp_path / "w.db"
    for article in (copied, rewritten):
        assert fetch(server, server.url(article.path), db, "--store").returncode == 0
    before = (
        sqlite3.connect(db).execute("SELECT id, url, title, body, site FROM articles ORDER BY id").fetchall()
    )
    forger = ForgedPortal(12, seed=5, claims=server.base_url)  # the same stories, the same ids
    forger.edit_article(rewritten.key, title="Tin giả mạo", body=["Nội dung bị thay thế hoàn toàn. " * 12])
    with PortalServer(forger, host="127.0.0.2") as elsewhere:
        for article in (copied, rewritten):
            # The portal is the mirror (--base-url); the forged page is elsewhere.
            result = fetch(
                server, elsewhere.url(article.path), db, "--store", "--any-site",
                "-s", f"WARDNEWS_PRIVATE_HOSTS={elsewhere.netloc}",
            )  # fmt: skip
            assert result.returncode == 0, result.stderr
            printed = json.loads(result.stdout)
            assert printed["url"] == elsewhere.url(article.path) and printed["site"] is None
    conn = sqlite3.connect(db)
    after = conn.execute("SELECT id, url, title, body, site FROM articles ORDER BY id").fetchall()
    assert after[: len(before)] == before  # the crawled rows are untouched
    foreign = [(url, site) for _, url, _, _, site in after[len(before) :]]
    assert foreign == [(elsewhere.url(copied.path), None), (elsewhere.url(rewritten.path), None)]
    aliases = conn.execute(
        "SELECT url FROM url_aliases WHERE article_id IN (SELECT id FROM articles WHERE site IS NOT NULL)"
    ).fetchall()
    assert not [u for (u,) in aliases if "127.0.0.2" in u]
