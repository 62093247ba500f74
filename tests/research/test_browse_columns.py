"""m020: the columns Datasette facets on, and FTS update triggers that fire on indexed text only."""

from __future__ import annotations

import json
import sqlite3

from wardnews.store import Store

from .research_fixtures import CHO_URL, SEED_URL, article_id, build_db


def test_unit_names_follow_article_units(tmp_path):
    db = build_db(tmp_path / "w.db")
    cho = article_id(db, CHO_URL)
    with sqlite3.connect(db) as conn:
        names = json.loads(conn.execute("SELECT unit_names FROM articles WHERE id = ?", [cho]).fetchone()[0])
        # "Chợ phường Đống Đa" is in the headline, Tây Tựu only in the body.
        assert names == ["Đống Đa", "Tây Tựu"]
        conn.execute("DELETE FROM article_units WHERE article_id = ? AND unit = 'Đống Đa'", [cho])
        assert (
            conn.execute("SELECT unit_names FROM articles WHERE id = ?", [cho]).fetchone()[0] == '["Tây Tựu"]'
        )
        conn.execute("UPDATE article_units SET former_split = 1 WHERE article_id = ?", [cho])
        assert conn.execute("SELECT unit_names FROM articles WHERE id = ?", [cho]).fetchone()[0] == "[]"
        # Split-only candidates are left out, as in every count of the canned queries.
        seed = article_id(db, SEED_URL)
        split = {
            r[0]
            for r in conn.execute(
                "SELECT unit FROM article_units WHERE article_id = ? AND former_split = 1", [seed]
            )
        }
        listed = set(
            json.loads(conn.execute("SELECT unit_names FROM articles WHERE id = ?", [seed]).fetchone()[0])
        )
        assert "Tây Tựu" in listed and not (split - {"Tây Tựu"}) & listed


def test_published_month_is_computed_from_published_at(research_db):
    with sqlite3.connect(research_db) as conn:
        rows = conn.execute("SELECT published_at, published_month FROM articles").fetchall()
    assert rows and all(month == published[:7] for published, month in rows)


def test_fts_reindexes_only_when_indexed_text_changes(tmp_path):
    db = build_db(tmp_path / "w.db")
    seed = article_id(db, SEED_URL)
    with Store(db) as store:
        # A last_seen_at update (the nightly's unchanged article) leaves both indexes alone...
        before = store.db.execute("SELECT count(*) FROM articles_fts_data").fetchone()[0]
        store.db.execute("UPDATE articles SET last_seen_at = 'x', unit_names = '[]' WHERE id = ?", [seed])
        assert store.db.execute("SELECT count(*) FROM articles_fts_data").fetchone()[0] == before
        # ...a new title is indexed in both.
        store.db.execute("UPDATE articles SET title = 'Khánh thành cầu Đông Trù' WHERE id = ?", [seed])
        hits = store.db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'Trù'").fetchall()
        folded = store.db.execute(
            "SELECT rowid FROM articles_fts_folded WHERE articles_fts_folded MATCH 'dong tru'"
        ).fetchall()
    assert hits == [(seed,)] and folded == [(seed,)]
