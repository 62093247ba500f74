"""Ward tagging at store time (wardnews.store: article_units, units, retag, m002_units)."""

from __future__ import annotations

import csv
import dataclasses
import io
import sqlite3
from importlib import resources

import sqlite_utils
from click.testing import CliRunner

from wardnews.cli import main
from wardnews.store import Store, migrations

from .research_fixtures import (
    CHO_URL,
    HOA_XA_URL,
    MINH_KHAI_URL,
    SEED_URL,
    article_id,
    build_db,
    seed_article,
)

MINH_KHAI_BTL = "phường Minh Khai (quận Bắc Từ Liêm)"


def unit_rows(db, url) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(unit, via_former) -> (mentions, in_title, former_split) for one article."""
    aid = article_id(db, url)
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT unit, via_former, mentions, in_title, former_split FROM article_units"
            " WHERE article_id = ?",
            [aid],
        ).fetchall()
    return {(u, v): (m, t, s) for u, v, m, t, s in rows}


def test_seed_is_tay_tuu_in_title_not_its_related_links(research_db):
    rows = unit_rows(research_db, SEED_URL)
    mentions, in_title, split = rows[("Tây Tựu", "")]
    assert in_title == 1 and split == 0
    assert mentions >= 10  # the page names phường Tây Tựu in title, sapo, body and captions
    named = {unit for unit, _ in rows}
    # Only in the inline related box ("Tin liên quan") of the seed page:
    assert not named & {"Tây Mỗ", "Yên Nghĩa", "Tây Hồ"}


def test_title_sapo_body_and_captions_are_counted(research_db):
    # "Chợ phường Đống Đa…" (title), "…chợ phường Đống Đa…" (sapo), body, one caption: 4.
    rows = unit_rows(research_db, CHO_URL)
    assert rows[("Đống Đa", "")] == (4, 1, 0)
    assert rows[("Tây Tựu", "")] == (1, 0, 0)  # "phường Đống Đa và phường Tây Tựu" in the body
    assert ("Tây Hồ", "") not in rows  # its related box only
    assert unit_rows(research_db, HOA_XA_URL) == {("Hòa Xá", ""): (3, 1, 0)}


def test_a_unit_named_directly_and_via_a_former_name_gets_two_rows(research_db):
    rows = unit_rows(research_db, MINH_KHAI_URL)
    # Title and sapo name the former phường Minh Khai (quận Bắc Từ Liêm), split between four new wards.
    for unit in ("Tây Tựu", "Đông Ngạc", "Thượng Cát", "Xuân Phương"):
        assert rows[(unit, MINH_KHAI_BTL)] == (2, 1, 1)
    assert rows[("Tây Tựu", "")] == (1, 0, 0)  # "thuộc phường Tây Tựu" in the body


def test_units_table_ships_the_csv_with_sources(research_db):
    with sqlite3.connect(research_db) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT source) > 1 FROM units").fetchone() == (126, 1)
        assert conn.execute("SELECT count(*) FROM units WHERE type = 'phường'").fetchone()[0] == 51
        former, source = conn.execute(
            "SELECT former_units, source FROM units WHERE name = 'Tây Tựu'"
        ).fetchone()
        assert MINH_KHAI_BTL + " [part]" in former.split("; ")
        assert "1656/NQ-UBTVQH15" in source
        shipped = resources.files("wardnews").joinpath("data", "hanoi_units_2025.csv").read_text("utf-8")
        expected = {
            (r["name"], r["type"], r["former_units"], r["source"])
            for r in csv.DictReader(io.StringIO(shipped))
        }
        assert set(conn.execute("SELECT name, type, former_units, source FROM units")) == expected
        orphans = conn.execute(
            "SELECT count(*) FROM article_units au"
            " LEFT JOIN units u ON u.name = au.unit AND u.type = au.unit_type"
            " WHERE u.name IS NULL"
        ).fetchone()[0]
        assert orphans == 0


def test_a_changed_article_is_retagged_in_its_save(tmp_path):
    db = build_db(tmp_path / "w.db")
    seed = seed_article()
    changed = dataclasses.replace(
        seed,
        title="Phường Tây Mỗ: Tổng kết công tác năm 2025",
        content_hash="changed",
        figures=[],
        body="Hội nghị tổng kết của phường Tây Mỗ.",
        sapo=None,
    )
    with Store(db) as store:
        (result,) = store.save_articles([changed])
    assert result.outcome == "changed"
    assert unit_rows(db, SEED_URL) == {("Tây Mỗ", ""): (2, 1, 0)}


def test_retag_command_rebuilds_every_article(tmp_path):
    db = build_db(tmp_path / "w.db")
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT * FROM article_units ORDER BY 1, 2, 6").fetchall()
        conn.execute("DELETE FROM article_units")
        conn.execute("DELETE FROM units")
        conn.execute(
            "INSERT INTO article_units (article_id, unit, unit_type, mentions) VALUES (1, 'X', 'xã', 9)"
        )
    result = CliRunner().invoke(main, ["retag", "--db", str(db), "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert "retagged 4 articles" in result.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT * FROM article_units ORDER BY 1, 2, 6").fetchall() == before
        assert conn.execute("SELECT count(*) FROM units").fetchone()[0] == 126


def test_retag_refuses_a_missing_database(tmp_path):
    result = CliRunner().invoke(main, ["retag", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert not (tmp_path / "none.db").exists()


def test_migrations_tag_and_index_articles_stored_before_them(tmp_path):
    conn = sqlite3.connect(tmp_path / "old.db")
    db = sqlite_utils.Database(conn)
    migrations.apply(db, stop_before="m002_units")
    db["articles"].insert(
        {
            "id": 7,
            "url": "https://laodongthudo.vn/a-1.html",
            "title": "Xã Hòa Xá đón bằng công nhận",
            "body": "Đảng ủy xã Hòa Xá tổ chức lễ đón bằng.",
            "first_seen_at": "2025-12-01T08:00:00+07:00",
            "last_seen_at": "2025-12-01T08:00:00+07:00",
        }
    )
    migrations.apply(db)
    assert conn.execute("SELECT unit, mentions, in_title FROM article_units").fetchall() == [("Hòa Xá", 2, 1)]
    hits = conn.execute("SELECT rowid FROM articles_fts_folded WHERE articles_fts_folded MATCH 'dang uy'")
    assert hits.fetchall() == [(7,)]
    conn.close()
