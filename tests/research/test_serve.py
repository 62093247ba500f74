"""``wardnews serve``: Datasette read-only, described, with canned queries and facets (its test client)."""

from __future__ import annotations

import asyncio
import sqlite3
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from wardnews.cli import main
from wardnews.research.queries import CANNED_QUERIES
from wardnews.research.schema_docs import TABLES
from wardnews.research.serve import build_datasette, build_metadata

from .research_fixtures import CHO_URL, HOA_XA_URL, MINH_KHAI_URL, SEED_URL, article_id


@pytest.fixture(scope="module")
def ds(research_db):
    return build_datasette(research_db)


def get(ds, path: str, **params):
    """GET through Datasette's in-process client; JSON body."""
    url = path + ("?" + urlencode({**params}) if params else "")
    response = asyncio.run(ds.client.get(url))
    assert response.status_code == 200, (url, response.text[:500])
    return response.json()


def canned(ds, name: str, **params) -> list[dict]:
    return get(ds, f"/wardnews/{name}.json", _shape="array", **params)


def test_search_keeps_tone_marks_and_returns_snippets(ds, research_db):
    rows = canned(ds, "search", q="bán")
    assert [r["id"] for r in rows] == [article_id(research_db, CHO_URL)]
    assert "[bán]" in rows[0]["snippet"]
    rows = canned(ds, "search", q="Bàn")  # "Bàn giao", and "địa bàn" in several bodies
    assert article_id(research_db, HOA_XA_URL) in {r["id"] for r in rows}
    assert article_id(research_db, HOA_XA_URL) not in {r["id"] for r in canned(ds, "search", q="bán")}


def test_folded_search_ignores_accents_and_d_bar(ds, research_db):
    ids = {r["id"] for r in canned(ds, "search_folded", q="ban")}
    assert {article_id(research_db, CHO_URL), article_id(research_db, HOA_XA_URL)} <= ids
    # The query is folded too: "Đống Đa" and "dong da" find the same article.
    typed = canned(ds, "search_folded", q='"Đống Đa"')
    plain = canned(ds, "search_folded", q='"dong da"')
    assert [r["id"] for r in typed] == [r["id"] for r in plain] == [article_id(research_db, CHO_URL)]
    assert "[Đống Đa]" in plain[0]["snippet"]  # snippets show the stored text


def test_articles_per_unit_per_month(ds):
    rows = canned(ds, "articles_per_unit_per_month")
    counts = {(r["unit"], r["month"]): r["articles"] for r in rows}
    # Tây Tựu: the seed and the market story (Dec), the Minh Khai retrospective (Oct, by name in its body).
    assert counts[("Tây Tựu", "2025-12")] == 2
    assert counts[("Tây Tựu", "2025-10")] == 1
    assert counts[("Hòa Xá", "2025-11")] == 1
    assert counts[("Đống Đa", "2025-12")] == 1
    # Split-only candidates (the seed's bare "Minh Khai") are not counted.
    assert ("Bạch Mai", "2025-12") not in counts


def test_latest_articles_about_one_unit(ds, research_db):
    rows = canned(ds, "latest_for_unit", unit="Tây Tựu")
    assert [r["id"] for r in rows] == [
        article_id(research_db, url) for url in (SEED_URL, CHO_URL, MINH_KHAI_URL)
    ]  # newest first, one row per article
    minh_khai = rows[2]
    assert minh_khai["via_former"] == "phường Minh Khai (quận Bắc Từ Liêm)"
    assert minh_khai["in_title"] == 1 and minh_khai["only_split_former"] == 0


def test_most_linked_from_tin_khac_follows_aliases(ds, research_db):
    rows = canned(ds, "most_linked_tin_khac")
    linked = {r["id"]: r["linked_from"] for r in rows}
    # The seed is in the "Tin khác" box of two stored articles; Hòa Xá in one, under a utm_ URL.
    assert linked == {article_id(research_db, SEED_URL): 2, article_id(research_db, HOA_XA_URL): 1}
    assert rows[0]["id"] == article_id(research_db, SEED_URL)


def test_facets_on_category_and_unit(ds):
    articles = get(ds, "/wardnews/articles.json", _size="0")
    categories = {r["value"]: r["count"] for r in articles["facet_results"]["category"]["results"]}
    assert categories == {"Địa phương": 3, "Dân sinh": 1}
    months = {r["value"]: r["count"] for r in articles["facet_results"]["published_month"]["results"]}
    assert months == {"2025-12": 2, "2025-11": 1, "2025-10": 1}
    wards = {r["value"]: r["count"] for r in articles["facet_results"]["unit_names"]["results"]}
    assert wards["Tây Tựu"] == 3 and wards["Hòa Xá"] == 1 and wards["Đống Đa"] == 1
    authors = {r["value"]: r["count"] for r in articles["facet_results"]["authors"]["results"]}
    assert authors == {"Lê Thắm": 1, "Minh Thu": 3}
    units = get(ds, "/wardnews/article_units.json", _size="0")
    assert {r["value"] for r in units["facet_results"]["unit"]["results"]} >= {"Tây Tựu", "Hòa Xá", "Đống Đa"}


def test_every_table_and_column_is_described(ds):
    metadata = get(ds, "/-/metadata.json")
    tables = metadata["databases"]["wardnews"]["tables"]
    assert (
        tables["article_units"]["columns"]["via_former"] == TABLES["article_units"]["columns"]["via_former"]
    )
    assert set(metadata["databases"]["wardnews"]["queries"]) == set(CANNED_QUERIES)
    page = asyncio.run(ds.client.get("/wardnews/articles"))
    assert TABLES["articles"]["description"] in page.text


def test_database_is_opened_read_only(ds, research_db):
    conn = ds.get_database("wardnews").connect()
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("CREATE TABLE scribble (x)")
    immutable = build_datasette(research_db, immutable=True)
    assert immutable.get_database("wardnews").is_mutable is False


def test_metadata_is_keyed_by_the_file_name(tmp_path):
    assert set(build_metadata(tmp_path / "crawl-2026.db")["databases"]) == {"crawl-2026"}


def test_serve_refuses_a_missing_database(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "does not exist" in result.output


def test_search_is_newest_first_and_ranked_on_request(ds, research_db):
    newest = canned(ds, "search", q="phường")
    dates = [r["published_at"] for r in newest]
    assert len(dates) == 3 and dates == sorted(dates, reverse=True)  # Hòa Xá names only "xã"
    ranked = canned(ds, "search_ranked", q="phường")
    assert {r["id"] for r in ranked} == {r["id"] for r in newest}


def test_two_units_and_one_unit_by_month(ds, research_db):
    both = canned(ds, "two_units", unit1="Tây Tựu", unit2="Đống Đa")
    assert [r["id"] for r in both] == [article_id(research_db, CHO_URL)]
    months = canned(ds, "unit_by_month", unit="Tây Tựu")
    assert [(r["month"], r["articles"]) for r in months] == [("2025-12", 2), ("2025-10", 1)]


def test_list_facet_counts_what_datasettes_array_facet_counts(research_db, tmp_path):
    """Same values and counts, a value repeated within one row counted once."""
    import json
    import shutil

    from datasette.app import Datasette

    from wardnews.research.serve import build_metadata, register_plugin

    db = tmp_path / "wardnews.db"
    shutil.copy(research_db, db)
    with sqlite3.connect(db) as conn:  # two rows alike but for their id, one author twice
        conn.execute('UPDATE articles SET authors = \'["Minh Thu", "Minh Thu"]\'')
    register_plugin()
    metadata = build_metadata(db)
    metadata["databases"]["wardnews"]["tables"]["articles"].pop("facets")
    bare = Datasette(files=[str(db)], metadata=metadata)
    counts = {}
    for kind in ("array", "list"):
        for column in ("authors", "unit_names"):
            config = column if kind == "array" else json.dumps({"simple": column})
            page = get(bare, "/wardnews/articles.json", _size="0", **{f"_facet_{kind}": config})
            counts[kind, column] = {r["value"]: r["count"] for r in page["facet_results"][column]["results"]}
    assert counts["list", "authors"] == counts["array", "authors"] == {"Minh Thu": 4}
    assert counts["list", "unit_names"] == counts["array", "unit_names"]
    assert counts["list", "unit_names"]["Tây Tựu"] == 3
