"""``wardnews serve``: the database in Datasette, read-only, with descriptions and canned queries."""

from __future__ import annotations

from pathlib import Path

from wardnews.research.queries import CANNED_QUERIES
from wardnews.research.schema_docs import TABLES

TITLE = "wardnews: Hà Nội ward and commune news"
FACETS = {"articles": ["category"], "article_units": ["unit", "unit_type"], "links": ["block"]}


def database_name(db: str | Path) -> str:
    """Datasette names a database after its file's stem."""
    return Path(db).stem


def build_metadata(db: str | Path) -> dict:
    """Datasette metadata: every table and column described, facets, canned queries."""
    tables = {}
    for table, doc in TABLES.items():
        entry = {"description": doc["description"], "columns": dict(doc["columns"])}
        if table in FACETS:
            entry["facets"] = list(FACETS[table])
        tables[table] = entry
    # Two FTS tables point at articles: say which one Datasette's search box uses.
    tables["articles"]["fts_table"] = "articles_fts"
    tables["articles"]["fts_pk"] = "id"
    tables["articles"]["sort_desc"] = "published_at"
    return {
        "title": TITLE,
        "description": (
            "Articles of laodongthudo.vn about Hà Nội's wards and communes, tagged with the units "
            "they name. Opened read-only."
        ),
        "databases": {
            database_name(db): {
                "tables": tables,
                "queries": {name: dict(q) for name, q in CANNED_QUERIES.items()},
            }
        },
    }


def build_datasette(db: str | Path, *, immutable: bool = False):
    """A Datasette over ``db`` that cannot write to it.

    By default the file is opened with ``?mode=ro`` (Datasette's read
    connections for a mutable file), so a crawl may keep writing and the pages
    show its new rows; ``immutable=True`` opens a snapshot with
    ``?immutable=1`` (faster, but the file must not change while served).
    """
    from datasette.app import Datasette

    path = str(db)
    ds = Datasette(
        files=[] if immutable else [path],
        immutables=[path] if immutable else [],
        metadata=build_metadata(db),
        settings={"default_page_size": 50, "sql_time_limit_ms": 5000},
    )
    return ds
