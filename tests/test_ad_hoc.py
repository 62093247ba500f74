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
