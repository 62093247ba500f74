"""``wardnews serve``: the database in Datasette, read-only, described, with facets, searches and charts.

Everything is Datasette's own configuration (metadata, settings) and two
plugins: datasette-dashboards (the charts, at ``/-/dashboards/wardnews``; it
ships Vega, so they draw offline) and ``wardnews.research.datasette_plugin``
(a faster list facet, unit names linking to their page). One template,
``templates/database.html``, lists ``articles`` first on the database page:
Datasette 0.65 sorts tables by name and has no setting for it; one style sheet,
``static/wardnews.css``, keeps the column descriptions above a table to a few
lines, so that the table is in view at once.
"""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import quote

from wardnews.research import queries
from wardnews.research.queries import CANNED_QUERIES
from wardnews.research.schema_docs import TABLES

TITLE = "wardnews: Hà Nội ward and commune news"
TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
STATIC_MOUNT = "wardnews-static"
DASHBOARD = "wardnews"
# Facets shown on each table page: a column name, or {"list": column} for a JSON list
# (wardnews.research.datasette_plugin.ListFacet).
FACETS = {
    "articles": ["category", "published_month", {"list": "unit_names"}, {"list": "authors"}],
    "article_units": ["unit", "unit_type"],
    "links": ["block"],
    "crawl_runs": ["mode", "status"],
    "fetch_errors": ["error"],
}
# Bookkeeping a researcher need not see in the list of tables (still reachable).
HIDDEN = ("_sqlite_migrations",)
# Datasette settings (`datasette --setting NAME VALUE`); each is explained in the README.
SETTINGS = {
    "default_page_size": 50,
    "sql_time_limit_ms": 5000,
    "truncate_cells_html": 140,
    "facet_time_limit_ms": 1000,
    "suggest_facets": False,
}
TOP_UNITS_CHARTED = 8
# Values listed per facet (Datasette's default, 30, pushes the table a screen down).
FACET_SIZE = 8


def database_name(db: str | Path) -> str:
    """Datasette names a database after its file's stem."""
    return Path(db).stem


def _folded_search_form() -> str:
    # The folded index ignores tone marks but not đ (SQLite does not decompose it), so the
    # form turns đ into d before sending, as the search_folded query does in SQL.
    return (
        '<form method="get" class="wardnews-folded-search"'
        " onsubmit=\"this._search.value=this._search.value.replace(/[đð]/g,'d').replace(/[ĐÐ]/g,'D')\">"
        '<label for="wardnews-folded-q">Without accents:</label>'
        '<input type="search" id="wardnews-folded-q" name="_search" placeholder="dong da, ban giao">'
        '<input type="hidden" name="_fts_table" value="articles_fts_folded">'
        ' <input type="submit" value="Search without accents"></form>'
    )


def _articles_description() -> str:
    return (
        f"<p>{html.escape(TABLES['articles']['description'])} Long texts are cut short here; "
        "a row's page (its id) shows them whole.</p>"
        '<div class="wardnews-table-only"><p>The Search box under the row count takes tone marks into '
        "account (bán is not Bàn); this one ignores them (ban finds bán, Bàn, bạn):</p>"
        + _folded_search_form()
        + "</div>"
    )


def _database_description(name: str) -> str:
    base = "/" + quote(name)
    return (
        "<p>Articles of laodongthudo.vn about Hà Nội's wards and communes, tagged with the units they "
        "name. Opened read-only.</p>"
        f'<p>Start with <a href="{base}/articles">articles</a> (facets by category, month, ward or '
        "commune and author; two search boxes), "
        f'<a href="/-/dashboards/{DASHBOARD}">the charts</a>, '
        f'<a href="{base}/units_overview">the 126 wards and communes</a> (each name opens its page) '
        "or one of the queries below.</p>"
    )


def _per_unit_month_query() -> str:
    return f"""
with top as (
  select u.unit from article_units u join articles a on a.id = u.article_id
  where u.former_split = 0 and a.published_at is not null
  group by u.unit order by count(distinct u.article_id) desc, u.unit limit {TOP_UNITS_CHARTED}
)
select u.unit, substr(a.published_at, 1, 7) as month, count(distinct a.id) as articles
from article_units u join articles a on a.id = u.article_id
where u.former_split = 0 and a.published_at is not null and u.unit in (select unit from top)
group by u.unit, month
order by month, u.unit
"""


def _dashboard(name: str) -> dict:
    """datasette-dashboards: articles per month for the top units, articles per night; tables beside."""
    month_axis = {"field": "month", "type": "temporal", "timeUnit": "utcyearmonth", "title": "Month"}
    night_axis = {"field": "night", "type": "temporal", "timeUnit": "utcyearmonthdate", "title": "Night"}
    return {
        DASHBOARD: {
            "title": "wardnews: articles per ward and per night",
            "description": (
                f"Articles per month for the {TOP_UNITS_CHARTED} most-covered wards and communes "
                "(month of published_at), and what each night's crawl stored (crawl_runs). "
                "Hover a point or bar for its figures; the tables beside hold the same numbers."
            ),
            "layout": [["per-unit-month", "per-unit-month-table"], ["per-night", "per-night-table"]],
            "charts": {
                "per-unit-month": {
                    "title": f"Articles per month, {TOP_UNITS_CHARTED} most-covered units",
                    "db": name,
                    "query": _per_unit_month_query(),
                    "library": "vega-lite",
                    "display": {
                        "mark": {"type": "line", "point": True, "tooltip": True},
                        "encoding": {
                            "x": {**month_axis, "axis": {"format": "%m/%Y"}},
                            "y": {"field": "articles", "type": "quantitative", "title": "Articles"},
                            "color": {"field": "unit", "type": "nominal", "title": "Ward or commune"},
                            "tooltip": [
                                {"field": "unit", "title": "Ward or commune"},
                                {**month_axis, "format": "%m/%Y"},
                                {"field": "articles", "type": "quantitative", "title": "Articles"},
                            ],
                        },
                    },
                },
                "per-unit-month-table": {
                    "title": "The same figures",
                    "db": name,
                    "query": _per_unit_month_query(),
                    "library": "table",
                },
                "per-night": {
                    "title": "Articles stored per night (crawl health)",
                    "db": name,
                    "query": queries.ARTICLES_PER_NIGHT,
                    "library": "vega-lite",
                    "display": {
                        "transform": [{"fold": ["new", "changed"], "as": ["kind", "stored"]}],
                        "mark": {"type": "bar", "tooltip": True, "width": 14},
                        "encoding": {
                            "x": {
                                **night_axis,
                                "axis": {"format": "%d/%m/%Y", "tickCount": "day"},
                                "scale": {"padding": 40},
                            },
                            "y": {"field": "stored", "type": "quantitative", "title": "Articles stored"},
                            "color": {"field": "kind", "type": "nominal", "title": "Articles"},
                            "tooltip": [
                                {**night_axis, "format": "%d/%m/%Y"},
                                {"field": "kind", "title": "Articles"},
                                {"field": "stored", "type": "quantitative", "title": "Count"},
                                {"field": "errors", "type": "quantitative", "title": "Errors"},
                                {"field": "runs", "type": "quantitative", "title": "Runs"},
                                {"field": "status", "title": "Status"},
                            ],
                        },
                    },
                },
                "per-night-table": {
                    "title": "Runs per night",
                    "db": name,
                    "query": queries.ARTICLES_PER_NIGHT,
                    "library": "table",
                },
            },
        }
    }


def build_metadata(db: str | Path) -> dict:
    """Datasette metadata: every table and column described, facets, canned queries, charts."""
    name = database_name(db)
    tables = {}
    for table, doc in TABLES.items():
        entry = {"description": doc["description"], "columns": dict(doc["columns"])}
        if table in FACETS:
            entry["facets"] = list(FACETS[table])
        if table in FACETS:
            entry["facet_size"] = FACET_SIZE
        if table in HIDDEN:
            entry["hidden"] = True
        tables[table] = entry
    articles = tables["articles"]
    del articles["description"]
    articles["description_html"] = _articles_description()
    # Two FTS tables point at articles: the search box uses the one where tone marks matter.
    articles.update(fts_table="articles_fts", fts_pk="id", sort_desc="published_at", label_column="title")
    return {
        "title": TITLE,
        "extra_css_urls": [f"/{STATIC_MOUNT}/wardnews.css"],
        "databases": {
            name: {
                "description_html": _database_description(name),
                "tables": tables,
                "queries": {key: dict(q) for key, q in CANNED_QUERIES.items()},
            }
        },
        "plugins": {"datasette-dashboards": _dashboard(name)},
    }


def register_plugin() -> None:
    """Register wardnews's Datasette hooks once per process."""
    from datasette.plugins import pm

    from wardnews.research import datasette_plugin

    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name="wardnews")


def build_datasette(db: str | Path, *, immutable: bool = False):
    """A Datasette over ``db`` that cannot write to it.

    By default the file is opened with ``?mode=ro`` (Datasette's read
    connections for a mutable file), so a crawl may keep writing and the pages
    show its new rows; ``immutable=True`` opens a snapshot with
    ``?immutable=1`` (faster, but the file must not change while served).
    """
    from datasette.app import Datasette

    register_plugin()
    path = str(db)
    return Datasette(
        files=[] if immutable else [path],
        immutables=[path] if immutable else [],
        metadata=build_metadata(db),
        settings=dict(SETTINGS),
        template_dir=str(TEMPLATES),
        static_mounts=[(STATIC_MOUNT, str(STATIC))],
    )
