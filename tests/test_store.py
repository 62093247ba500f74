"""The SQLite store: identity, aliases, revisions, full-text search, atomic batches."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import edited

from wardnews.items import Sighting
from wardnews.neardup import MAX_VERIFIED, bands, shingles, similar_titles
from wardnews.store import CHANGED, NEW, REPUBLISHED, UNCHANGED, Store
from wardnews.store.articles import near_candidates_sql


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "w.db") as opened:
        yield opened


def test_new_then_unchanged_then_changed_keeps_the_old_version(store, seed_article):
    assert store.save_articles([seed_article])[0].outcome == NEW
    assert store.save_articles([seed_article])[0].outcome == UNCHANGED
    changed = edited(seed_article, title=seed_article.title + " (cập nhật)")
    assert store.save_articles([changed])[0].outcome == CHANGED
    rows = list(store.db.query("SELECT title FROM articles"))
    assert rows == [{"title": changed.title}]
    revisions = list(store.db.query("SELECT title, content_hash FROM revisions"))
    assert revisions == [{"title": seed_article.title, "content_hash": seed_article.content_hash}]


def test_whitespace_only_change_is_not_an_edit(store, seed_article):
    store.save_articles([seed_article])
    respaced = edited(seed_article, body=seed_article.body.replace(" ", "  "))
    assert store.save_articles([respaced])[0].outcome == UNCHANGED


def test_figures_and_links_are_stored_in_order(store, seed_article):
    store.save_articles([seed_article])
    figures = list(store.db.query("SELECT position, caption FROM figures ORDER BY position"))
    assert [f["caption"] for f in figures] == [f.caption for f in seed_article.figures]
    blocks = [r["block"] for r in store.db.query("SELECT block FROM links ORDER BY position")]
    assert blocks == ["related"] * 3 + ["nen_xem"] * 7 + ["tin_khac"] * 10


def test_every_url_that_reached_the_article_is_an_alias(store, seed_article):
    tracked = edited(seed_article, fetched_url=seed_article.url + "?utm_source=zalo")
    store.save_articles([tracked])
    aliases = {r["url"]: r["how"] for r in store.db.query("SELECT url, how FROM url_aliases")}
    assert aliases == {seed_article.url: "canonical", seed_article.url + "?utm_source=zalo": "tracking"}


def test_republished_copy_becomes_an_alias_with_its_own_id(store, seed_article):
    store.save_articles([seed_article])
    copy_url = seed_article.url.replace("-203248.html", "-203300.html").replace("phuong-tay-tuu", "ban-sao")
    copy_ = edited(seed_article, url=copy_url, fetched_url=copy_url, article_key="203300")
    result = store.save_articles([copy_])[0]
    assert result.outcome == REPUBLISHED
    assert store.article_count() == 1
    alias = next(
        store.db.query("SELECT article_id, article_key, how FROM url_aliases WHERE url = ?", [copy_url])
    )
    assert alias == {"article_id": result.article_id, "article_key": "203300", "how": "republished"}


def test_a_sighting_before_its_article_is_resolved_when_the_article_arrives(store, seed_article):
    mobile = seed_article.url.replace("https://laodongthudo.vn/", "https://m.laodongthudo.vn/")
    store.record_sightings([Sighting(mobile, seed_article.url, "203248", "laodongthudo")])
    assert (
        next(store.db.query("SELECT article_id FROM url_aliases WHERE url = ?", [mobile]))["article_id"]
        is None
    )
    saved = store.save_articles([seed_article])[0]
    row = next(store.db.query("SELECT article_id, how FROM url_aliases WHERE url = ?", [mobile]))
    assert row == {"article_id": saved.article_id, "how": "mobile"}
    assert store.is_known_url(mobile)


def test_full_text_search_keeps_tone_marks(store, seed_article):
    store.save_articles(
        [
            edited(seed_article, body="Người dân mang hàng ra bán ở chợ. " * 10),
            edited(
                seed_article,
                url=seed_article.url.replace("203248", "203249"),
                article_key="203249",
                title="Một tin khác",
                body="Chiếc Bàn gỗ được trao tặng nhà văn hóa tổ dân phố. " * 10,
            ),
        ]
    )

    def hits(term):
        return [
            r["title"]
            for r in store.db.query(
                "SELECT a.title FROM articles_fts f JOIN articles a ON a.id = f.rowid"
                " WHERE articles_fts MATCH ?",
                [term],
            )
        ]

    assert hits("bán") == [seed_article.title]
    assert hits("bàn") == ["Một tin khác"]
    assert seed_article.title in hits('"Giấy khen"')  # a phrase found only in the captions


def test_a_batch_is_all_or_nothing(store, seed_article):
    broken = edited(seed_article, url=seed_article.url.replace("203248", "203250"), article_key="203250")
    broken.title = None  # violates NOT NULL inside the transaction
    with pytest.raises(sqlite3.IntegrityError):
        store.save_articles([seed_article, broken])
    assert store.article_count() == 0
    assert store.db.execute("SELECT count(*) FROM url_aliases").fetchone()[0] == 0


def test_database_is_in_wal_mode_for_concurrent_readers(tmp_path):
    with Store(tmp_path / "w.db"):
        pass
    assert sqlite3.connect(tmp_path / "w.db").execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_run_rows_record_what_happened(store):
    run_id = store.start_run("nightly", "https://laodongthudo.vn")
    store.record_fetch_error(run_id, "https://laodongthudo.vn/x-123456.html", 404, "http_404")
    store.finish_run(run_id, status="ok", exit_code=0, field_coverage={"title": {"site": 3}})
    row = next(store.db.query("SELECT * FROM crawl_runs"))
    assert row["status"] == "ok" and row["finished_at"] and '"site": 3' in row["field_coverage"]
    assert store.db.execute("SELECT status, error FROM fetch_errors").fetchone() == (404, "http_404")


def test_the_near_copy_lookup_starts_from_the_band_values_not_from_every_article(store, seed_article):
    # SQLite's own plan walked every article of the site and probed its bands: each save
    # cost more as the database grew. The plan must look the band values up first.
    for n in range(30):
        url = seed_article.url.replace("-203248.html", f"-{300000 + n}.html")
        other = edited(
            seed_article, url=url, fetched_url=url, article_key=str(300000 + n), body=f"Bài {n}. " * 80
        )
        store.save_articles([other])
    store.db.execute("ANALYZE")  # statistics or none, the order is ours
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN " + near_candidates_sql(8), [*range(8), "1", "u", seed_article.site]
    ).fetchall()
    steps = [row[-1] for row in plan]
    assert steps[0].startswith("SEARCH b USING") and "value=?" in steps[0], steps
    assert any("a USING INTEGER PRIMARY KEY" in step for step in steps), steps


def test_a_copy_is_found_among_many_stories_that_share_its_stock_sentences_reading_few_bodies(
    store, seed_article
):
    # Every ward reports the same yearly festival: headlines alike, stock sentences shared.
    # The copy must still be found, and the bodies read to find it stay few, however many
    # such stories the database holds.
    sentences = [f"Câu thứ {i} kể về ngày hội đại đoàn kết của khu dân cư số {i}." for i in range(40)]

    def story(n: int, changed: int) -> str:
        own = [
            f"Khu dân cư {n} có {n * 7 + i} hộ tham gia, nhiều hơn năm trước {i} hộ." for i in range(changed)
        ]
        return " ".join(own + sentences[changed:])

    title = "Phường Tây Tựu tổ chức Ngày hội Đại đoàn kết toàn dân tộc"

    def at(n: int, body: str, headline: str):
        url = seed_article.url.replace("-203248.html", f"-{400000 + n}.html")
        return edited(
            seed_article, url=url, fetched_url=url, article_key=str(400000 + n), body=body, title=headline
        )

    original = at(0, story(0, 0), title)
    assert store.save_articles([original])[0].outcome == NEW
    for n in range(1, 41):  # 40 other wards' festivals: a fifth of their sentences their own
        assert (
            store.save_articles([at(n, story(n, 8), title.replace("Tây Tựu", f"số {n}"))])[0].outcome == NEW
        )
    copy_ = at(99, story(0, 0).replace("Câu thứ 3 ", "Câu thứ ba "), title + " (ảnh)")

    values = bands(shingles(copy_.body))
    rows = store.db.execute(
        near_candidates_sql(len(values)), [*values, "400099", copy_.url, copy_.site]
    ).fetchall()
    alike = [r for r in rows if similar_titles(copy_.title, r[4])]
    assert len(alike) > MAX_VERIFIED  # the case this test is about: more look-alikes than are read

    bodies_read = []
    store.db.conn.set_trace_callback(
        lambda sql: bodies_read.append(sql) if sql.startswith("SELECT body") else None
    )
    try:
        result = store.save_articles([copy_])[0]
    finally:
        store.db.conn.set_trace_callback(None)
    original_id = store.db.execute("SELECT id FROM articles WHERE article_key = '400000'").fetchone()[0]
    assert (result.outcome, result.article_id) == (REPUBLISHED, original_id)
    assert len(bodies_read) <= MAX_VERIFIED
