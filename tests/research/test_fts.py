"""The two full-text indexes (wardnews.store: articles_fts, m005_folded_fts)."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from wardnews.store import Store, fold_sql, rebuild_folded_fts

from .research_fixtures import CHO_URL, HOA_XA_URL, SEED_URL, article_id, build_db, seed_article


def match(db, table: str, query: str) -> set[int]:
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", [query])}


def test_folded_index_finds_ban_as_ban_and_ban(research_db):
    cho, hoa_xa = article_id(research_db, CHO_URL), article_id(research_db, HOA_XA_URL)
    # "bán hàng" (sell) in the market story, "Bàn giao" (hand over) in the Hòa Xá story.
    assert {cho, hoa_xa} <= match(research_db, "articles_fts_folded", "ban")


def test_main_index_keeps_tone_marks(research_db):
    cho, hoa_xa = article_id(research_db, CHO_URL), article_id(research_db, HOA_XA_URL)
    assert match(research_db, "articles_fts", "bán") == {cho}
    assert hoa_xa in match(research_db, "articles_fts", "Bàn")
    assert match(research_db, "articles_fts", "ban") == match(research_db, "articles_fts", "Ban")


@pytest.mark.parametrize("query", ['"dong da"', '"Dong Da"', "dang uy"])
def test_folded_index_folds_d_bar(research_db, query):
    """remove_diacritics leaves đ alone; the folded index indexes a copy with đ -> d."""
    assert match(research_db, "articles_fts_folded", query)
    assert not match(research_db, "articles_fts", query)


def test_fold_sql_folds_both_d_bars_and_their_look_alikes():
    with sqlite3.connect(":memory:") as conn:
        folded = conn.execute(f"SELECT {fold_sql('?')}", ["Đống Đa, đường, Ðông ðoài"]).fetchone()[0]
    assert folded == "Dống Da, dường, Dông doài"


def test_triggers_keep_the_folded_index_in_sync(tmp_path):
    db = build_db(tmp_path / "w.db")
    seed_id = article_id(db, SEED_URL)
    assert seed_id in match(db, "articles_fts_folded", "tuu")
    changed = dataclasses.replace(
        seed_article(),
        title="Phường Đống Đa khánh thành",
        sapo=None,
        body="Đường mới.",
        content_hash="x",
        figures=[],
    )
    with Store(db) as store:
        store.save_articles([changed])
    assert seed_id in match(db, "articles_fts_folded", "khanh thanh")
    assert seed_id in match(db, "articles_fts_folded", "duong")
    assert seed_id not in match(db, "articles_fts_folded", "tuu")  # old words deleted
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM figures WHERE article_id = ?", [seed_id])
        conn.execute("DELETE FROM links WHERE article_id = ?", [seed_id])
        conn.execute("DELETE FROM article_units WHERE article_id = ?", [seed_id])
        conn.execute("DELETE FROM url_aliases WHERE article_id = ?", [seed_id])
        conn.execute("DELETE FROM revisions WHERE article_id = ?", [seed_id])
        conn.execute("DELETE FROM articles WHERE id = ?", [seed_id])
    assert seed_id not in match(db, "articles_fts_folded", "khanh")
    with Store(db) as store:  # a rebuild gives the same answers as the triggers
        before = match(db, "articles_fts_folded", "ban OR dong")
        rebuild_folded_fts(store.db)
    assert match(db, "articles_fts_folded", "ban OR dong") == before
