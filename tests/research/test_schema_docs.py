"""One source of truth for the schema's descriptions (wardnews.research.schema_docs)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from wardnews.cli import main
from wardnews.research.queries import CANNED_QUERIES
from wardnews.research.schema_docs import TABLES, documented, extract_block, render_markdown
from wardnews.research.serve import FACETS, SETTINGS
from wardnews.store import Store

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md"]
FIX = "edit wardnews/research/schema_docs.py, then run python -m wardnews.research.schema_docs {}"


@pytest.fixture(scope="module")
def fresh_schema(tmp_path_factory) -> dict[str, list[str]]:
    path = tmp_path_factory.mktemp("schema") / "fresh.db"
    Store(path).close()  # every migration
    with sqlite3.connect(path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        # table_xinfo, not table_info: it lists generated columns too (articles.published_month).
        # Its hidden value 1 marks a virtual table's hidden columns (FTS5's rank), not documented.
        return {
            n: [r[1] for r in conn.execute(f"PRAGMA table_xinfo([{n}])") if r[6] != 1]
            for n in names
            if documented(n)
        }


def test_every_table_and_column_is_described(fresh_schema):
    undocumented = {
        f"{table}.{column}"
        for table, columns in fresh_schema.items()
        for column in columns
        if column not in TABLES.get(table, {}).get("columns", {})
    }
    assert not undocumented, f"describe these in wardnews/research/schema_docs.py: {sorted(undocumented)}"


def test_no_description_of_a_table_or_column_that_does_not_exist(fresh_schema):
    stale = {
        f"{table}.{column}"
        for table, doc in TABLES.items()
        for column in doc["columns"]
        if column not in fresh_schema.get(table, [])
    }
    assert not stale
    assert all(doc["description"] and all(doc["columns"].values()) for doc in TABLES.values())


def test_the_documentation_shows_the_same_text():
    blocks = {path.name: extract_block(path.read_text(encoding="utf-8")) for path in DOCS if path.exists()}
    present = {name: block for name, block in blocks.items() if block is not None}
    assert present, "the schema block is missing from README.md"
    for name, block in present.items():
        assert block == render_markdown(), FIX.format(name)


@pytest.mark.parametrize("command", ["retag", "serve", "export", "report"])
def test_commands_are_registered_with_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and f"wardnews {command}" in result.output


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("query", sorted(CANNED_QUERIES))
def test_every_canned_query_is_in_the_readme(query):
    assert f"`{query}`" in _readme(), (
        f"describe the canned query {query} in the README's researchers' section"
    )


@pytest.mark.parametrize("setting", sorted(SETTINGS))
def test_every_datasette_setting_is_in_the_readme(setting):
    assert f"`{setting}`" in _readme(), f"explain the Datasette setting {setting} in the README"


@pytest.mark.parametrize("table", sorted(FACETS))
def test_every_facet_is_in_the_readme(table):
    for facet in FACETS[table]:
        column = facet if isinstance(facet, str) else next(iter(facet.values()))
        assert f"`{table}.{column}`" in _readme() or f"`{column}`" in _readme(), (table, column)
