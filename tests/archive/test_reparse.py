"""Raw pages kept beside their articles, and ``wardnews reparse`` re-extracting them offline."""

from __future__ import annotations

import json
import socket
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from scrapy.http import HtmlResponse, Request

from pipelines.sqlite import SQLitePipeline
from spiders.common import article_from_response
from wardnews.archive import reparse, site_for_page
from wardnews.dates import VN_TZ
from wardnews.extract import article as extract_module
from wardnews.extract import fields
from wardnews.raw import RawPage, pack, unpack
from wardnews.sites import DEFAULT_SITE, site_for_url
from wardnews.store import NEW, REPARSED, UNCHANGED, Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGES = [
    "laodongthudo/seed_tay_tuu",
    "vccorp/tay_ho_chu_ky_so",
    "wordpress/ba_dinh_tri_an",
    "netlink/hoa_xa_giam_sat_don_thu",
    "tuoitre_like/son_tay_dien_tap",
    "hostile/cp1258_van_mieu",
]


class Stats:
    """The slice of Scrapy's stats collector the pipeline uses."""

    def __init__(self, **values):
        self.values = dict(values)

    def inc_value(self, key, count=1):
        self.values[key] = self.values.get(key, 0) + count

    def set_value(self, key, value):
        self.values[key] = value

    def get_value(self, key, default=None):
        return self.values.get(key, default)

    def get_stats(self):
        return self.values


class Spider:
    site = DEFAULT_SITE


def response_for(name: str, body: bytes | None = None) -> HtmlResponse:
    """The response the portal would give for a fixture page (charset declared as the fixture says)."""
    spec = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    charset = spec.get("encoding", "utf-8").split()[0] if name.startswith("hostile/cp1258") else "utf-8"
    url = spec["url"]
    return HtmlResponse(
        url=url,
        body=body if body is not None else (FIXTURES / f"{name}.html").read_bytes(),
        headers={"Content-Type": f"text/html; charset={charset}", "Server": "nginx"},
        status=200,
        request=Request(url + "?utm_source=zalo"),
    )


def crawl_into(db: Path, responses) -> Stats:
    """What the crawl does with article responses: spider helper, then the SQLite pipeline."""
    stats = Stats()
    pipeline = SQLitePipeline(str(db), batch_size=4, mode="nightly", stats=stats, base_url=None)
    pipeline.open_spider(Spider())
    for response in responses:
        article = article_from_response(response, site_for_url(response.url))
        assert article is not None, response.url
        pipeline.process_item(article)
    pipeline.close_spider(Spider())
    return stats


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "w.db"
    crawl_into(path, [response_for(name) for name in PAGES])
    return path


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("reparse tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def rows(db: Path, sql: str, params=()):
    with Store(db) as store:
        return [dict(r) for r in store.db.query(sql, params)]


def bump_extractor(monkeypatch, version="test-2"):
    """A 'fixed' extractor: a new version whose titles carry a mark."""
    find_title = fields.find_title

    def marked(*args, **kwargs):
        value, strategy, detail = find_title(*args, **kwargs)
        return (f"{value} [v2]" if value else value), strategy, detail

    monkeypatch.setattr(fields, "find_title", marked)
    monkeypatch.setattr(extract_module, "EXTRACTOR_VERSION", version)


def test_the_crawl_keeps_each_article_page_packed_beside_it(db):
    kept = rows(db, "SELECT * FROM raw_pages ORDER BY article_id")
    articles = rows(db, "SELECT id, url, fetched_at FROM articles ORDER BY id")
    assert [r["article_id"] for r in kept] == [a["id"] for a in articles]
    for row, name in zip(kept, PAGES, strict=True):
        original = (FIXTURES / f"{name}.html").read_bytes()
        assert row["codec"] == "zstd"
        assert unpack(row["body"], row["codec"]) == original
        assert row["body_bytes"] == len(original) > len(row["body"])
        assert json.loads(row["headers"])["Server"] == ["nginx"]
        assert row["status"] == 200
        assert row["request_url"].endswith("?utm_source=zalo")
    assert [r["fetched_at"] for r in kept] == [a["fetched_at"] for a in articles]


def test_the_raw_page_remembers_the_url_asked_for_before_redirects():
    response = response_for(PAGES[0])
    response.request.meta["redirect_urls"] = ["https://laodongthudo.vn/m/old-203248.html"]
    raw = RawPage.from_response(response, datetime(2026, 1, 1, tzinfo=VN_TZ))
    assert raw.request_url == "https://laodongthudo.vn/m/old-203248.html"
    assert raw.url == response.url
    assert raw.fetched_at == "2026-01-01T00:00:00+07:00"
    assert raw.declared_encoding == "utf-8"
    assert raw.header("content-type") == "text/html; charset=utf-8"


def test_article_raw_is_not_part_of_the_item(db):
    article = article_from_response(response_for(PAGES[0]), DEFAULT_SITE)
    assert isinstance(article.raw, RawPage)
    assert "raw" not in article.to_dict()


def test_an_unchanged_refetch_replaces_the_copy_and_an_edit_adds_one(tmp_path):
    path = tmp_path / "w.db"
    seed = PAGES[0]
    crawl_into(path, [response_for(seed)])
    crawl_into(path, [response_for(seed)])
    assert len(rows(path, "SELECT id FROM raw_pages")) == 1
    html = (FIXTURES / f"{seed}.html").read_bytes()
    edited = html.replace("Tây Tựu".encode(), "Tây Tựu mới".encode())
    assert edited != html
    stats = crawl_into(path, [response_for(seed, body=edited)])
    assert stats.values["wardnews/articles/changed"] == 1
    kept = rows(path, "SELECT body, codec FROM raw_pages ORDER BY id")
    assert [unpack(r["body"], r["codec"]) for r in kept] == [html, edited]


def test_reparse_updates_rows_in_place_without_revisions_or_network(db, monkeypatch, no_network):
    before = {r["id"]: r for r in rows(db, "SELECT * FROM articles")}
    bump_extractor(monkeypatch)
    with Store(db) as store:
        report = reparse(store, batch_size=4)
    assert report.pages == len(PAGES)
    assert dict(report.outcomes) == {REPARSED: len(PAGES)}
    after = {r["id"]: r for r in rows(db, "SELECT * FROM articles")}
    assert after.keys() == before.keys()
    for article_id, row in after.items():
        old = before[article_id]
        assert row["title"] == f"{old['title']} [v2]"
        assert row["extractor_version"] == "test-2"
        assert row["content_hash"] != old["content_hash"]
        # Same page, same fetch: the crawl's timestamps and everything else stay.
        for column in ("url", "body", "sapo", "byline", "published_at", "fetched_at", "first_seen_at"):
            assert row[column] == old[column], column
        assert (row["last_seen_at"], row["last_changed_at"]) == (old["last_seen_at"], old["last_changed_at"])
    assert rows(db, "SELECT count(*) AS n FROM revisions") == [{"n": 0}]
    hits = rows(db, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", ['"v2"'])
    assert len(hits) == len(PAGES)


def test_reparse_with_the_same_extractor_changes_nothing(db, no_network):
    columns = "id, url, title, sapo, body, byline, published_at, content_hash, extraction, extractor_version"
    before = rows(db, f"SELECT {columns} FROM articles ORDER BY id")
    with Store(db) as store:
        reparse(store)
    assert rows(db, f"SELECT {columns} FROM articles ORDER BY id") == before


def test_reparse_uses_the_newest_copy_of_an_edited_page(tmp_path, no_network):
    path = tmp_path / "w.db"
    seed = PAGES[0]
    html = (FIXTURES / f"{seed}.html").read_bytes()
    edited = html.replace("Tây Tựu".encode(), "Tây Tựu (sửa)".encode())
    crawl_into(path, [response_for(seed)])
    crawl_into(path, [response_for(seed, body=edited)])
    after_crawl = rows(path, "SELECT title, body FROM articles")
    with Store(path) as store:
        reparse(store)
    assert rows(path, "SELECT title, body FROM articles") == after_crawl
    assert "(sửa)" in after_crawl[0]["title"]
    assert rows(path, "SELECT count(*) AS n FROM revisions") == [{"n": 1}]  # the crawl's, not reparse's


def test_a_page_the_extractor_now_rejects_keeps_its_row(db, monkeypatch, no_network):
    monkeypatch.setattr(fields, "find_title", lambda *a, **k: (None, "none", "no title anywhere"))
    before = rows(db, "SELECT * FROM articles ORDER BY id")
    with Store(db) as store:
        report = reparse(store)
    assert len(report.not_articles) == len(PAGES)
    assert rows(db, "SELECT * FROM articles ORDER BY id") == before


def test_reparse_command(db, monkeypatch, no_network):
    from wardnews.cli import main

    bump_extractor(monkeypatch, version="test-3")
    result = CliRunner().invoke(main, ["reparse", "--db", str(db), "--batch", "2"])
    assert result.exit_code == 0, result.output
    assert f"reparsed {len(PAGES)} of {len(PAGES)} stored pages with extractor test-3" in result.output
    assert {r["extractor_version"] for r in rows(db, "SELECT extractor_version FROM articles")} == {"test-3"}


def test_reparse_command_on_a_missing_database(tmp_path):
    from wardnews.cli import main

    result = CliRunner().invoke(main, ["reparse", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "does not exist" in result.output


@pytest.mark.parametrize(
    ("site_key", "url", "base_url"),
    [
        ("laodongthudo", "https://laodongthudo.vn/a-203248.html", "https://laodongthudo.vn"),
        ("laodongthudo", "http://127.0.0.1:8765/a-203248.html", "http://127.0.0.1:8765"),
        (None, "https://example.org/a.html", None),
    ],
)
def test_the_site_profile_a_stored_page_is_parsed_with(site_key, url, base_url):
    profile = site_for_page(site_key, url)
    assert (profile.base_url if profile else None) == base_url
    assert profile is None or profile.owns(url)


@pytest.mark.parametrize("codec", ["zstd", "lzma", "zlib", "identity"])
def test_pack_round_trip(codec):
    body = "Phường Tây Tựu ".encode() * 100
    assert unpack(pack(body, codec), codec) == body


def test_new_and_unchanged_outcomes_keep_one_copy(tmp_path):
    path = tmp_path / "w.db"
    first = crawl_into(path, [response_for(PAGES[1])])
    second = crawl_into(path, [response_for(PAGES[1])])
    assert first.values[f"wardnews/articles/{NEW}"] == 1
    assert second.values[f"wardnews/articles/{UNCHANGED}"] == 1
    assert first.values["wardnews/raw_pages"] == second.values["wardnews/raw_pages"] == 1
    fetched = rows(path, "SELECT r.fetched_at AS raw, a.last_seen_at AS seen FROM raw_pages r, articles a")
    assert fetched[0]["raw"] == fetched[0]["seen"]


def test_reparse_in_worker_processes_stores_what_it_stores_in_this_one(db, tmp_path):
    """The pool (wardnews.pool) re-extracts in other processes; the rows come out the same."""
    copies = {}
    for workers in (0, 2):
        copy = tmp_path / f"copy-{workers}.db"
        copy.write_bytes(db.read_bytes())
        with Store(copy) as store:
            # The stored copy of the seed page now says another headline: reparse must read it.
            (raw_id, blob, codec) = store.db.execute(
                "SELECT r.id, r.body, r.codec FROM raw_pages r JOIN articles a ON a.id = r.article_id"
                " WHERE a.url LIKE '%203248.html'"
            ).fetchone()
            html = unpack(blob, codec).replace("Tây Tựu: Xây".encode(), "Tây Tựu (bản mới): Xây".encode())
            store.db.execute("UPDATE raw_pages SET body = ? WHERE id = ?", [pack(html, codec), raw_id])
            report = reparse(store, batch_size=4, workers=workers)
        assert report.pages == len(PAGES)
        columns = "id, url, title, sapo, body, content_hash"
        copies[workers] = rows(copy, f"SELECT {columns} FROM articles ORDER BY id")
    assert copies[0] == copies[2]
    assert any("(bản mới)" in row["title"] for row in copies[2])


def test_raw_pages_packed_with_the_old_codec_still_reparse(db, monkeypatch, no_network):
    # Databases crawled before 2026-12-01 hold zlib rows; new rows are zstd. Both are read.
    import zlib

    with Store(db) as store:
        for row in list(store.db.query("SELECT id, body, codec FROM raw_pages")):
            old = zlib.compress(unpack(row["body"], row["codec"]), 6)
            store.db.execute("UPDATE raw_pages SET body = ?, codec = 'zlib' WHERE id = ?", [old, row["id"]])
        store.db.conn.commit()
    bump_extractor(monkeypatch)
    with Store(db) as store:
        reparse(store)
    titles = [r["title"] for r in rows(db, "SELECT title FROM articles ORDER BY id")]
    assert len(titles) == len(PAGES) and all(t.endswith(" [v2]") for t in titles)
