"""``wardnews report``: one self-contained HTML page: articles per month per ward, articles per night.

Two charts drawn with Vega-Lite (time axes, labelled, a tooltip with the
figures on hover), each with a table of the same numbers beside it, so the
figures are there without JavaScript too. Vega, Vega-Lite and vega-embed are
inlined from the copies the datasette-dashboards package ships (a pinned
dependency), so the page opens offline and fetches nothing. When a chart is
drawn its element gets ``data-drawn="yes"``, which the browser test reads.
"""

from __future__ import annotations

import html
import json
import sqlite3
from datetime import datetime
from importlib import resources

from wardnews.research.queries import ARTICLES_PER_NIGHT, ARTICLES_PER_UNIT_MONTH, TOP_UNITS

# Where the Vega libraries come from, and under which licence (both packages ship it).
VEGA_PACKAGE = "datasette_dashboards"
VEGA_FILES = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")
VEGA_NOTICE = (
    "Vega, Vega-Lite and vega-embed: Copyright (c) the University of Washington Interactive Data Lab "
    "and contributors, BSD-3-Clause licence (https://github.com/vega/vega/blob/main/LICENSE), "
    "inlined from the copies shipped by the datasette-dashboards package (Apache-2.0)."
)
MONTH_TITLE = "Month of publication"
NIGHT_TITLE = "Night (date the crawl started)"


def chart_data(conn: sqlite3.Connection, top: int) -> dict:
    """The report's figures.

    ``months`` (every "YYYY-MM" from the first to the last, gaps included),
    ``series`` (per unit: ``unit``, ``unit_type``, ``total``, ``counts`` per month)
    and ``nights`` (per local date of a crawl's start: ``night``, ``runs``,
    ``new``, ``changed``, ``errors``, ``status``).
    """
    tops = conn.execute(TOP_UNITS, {"top": top}).fetchall()
    wanted = {(unit, utype): total for unit, utype, total in tops}
    per_month: dict[tuple[str, str], dict[str, int]] = {key: {} for key in wanted}
    for unit, utype, month, n in conn.execute(ARTICLES_PER_UNIT_MONTH):
        if (unit, utype) in wanted and month:
            per_month[(unit, utype)][month] = n
    present = sorted({m for counts in per_month.values() for m in counts})
    months = _month_range(present[0], present[-1]) if present else []
    series = [
        {
            "unit": unit,
            "unit_type": utype,
            "total": total,
            "counts": [per_month[(unit, utype)].get(m, 0) for m in months],
        }
        for (unit, utype), total in wanted.items()
    ]
    cursor = conn.execute(ARTICLES_PER_NIGHT)
    names = [d[0] for d in cursor.description]
    nights = [dict(zip(names, row, strict=True)) for row in cursor]
    return {"months": months, "series": series, "nights": nights}


def _month_range(first: str, last: str) -> list[str]:
    """Every "YYYY-MM" from first to last inclusive, so empty months show as gaps."""
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def unit_spec(data: dict) -> dict:
    """Vega-Lite: one line per unit, months on a time axis, a point per month with its tooltip."""
    values = [
        {"unit": f"{s['unit_type']} {s['unit']}", "month": month, "articles": n}
        for s in data["series"]
        for month, n in zip(data["months"], s["counts"], strict=True)
    ]
    month = {"field": "month", "type": "temporal", "timeUnit": "utcyearmonth", "title": MONTH_TITLE}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": "Articles per month for the most-covered wards and communes",
        "width": "container",
        "height": 320,
        "data": {"values": values},
        "mark": {"type": "line", "point": {"size": 60}, "tooltip": True},
        "encoding": {
            "x": {**month, "axis": {"format": "%m/%Y", "labelAngle": 0}},
            "y": {
                "field": "articles",
                "type": "quantitative",
                "title": "Articles",
                "axis": {"tickMinStep": 1},
            },
            "color": {"field": "unit", "type": "nominal", "title": "Ward or commune"},
            "tooltip": [
                {"field": "unit", "title": "Ward or commune"},
                {**month, "format": "%m/%Y"},
                {"field": "articles", "type": "quantitative", "title": "Articles"},
            ],
        },
    }


def night_spec(data: dict) -> dict:
    """Vega-Lite: per night, the articles stored new and changed, stacked, on a time axis."""
    night = {"field": "night", "type": "temporal", "timeUnit": "utcyearmonthdate", "title": NIGHT_TITLE}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": "Articles stored per night",
        "width": "container",
        "height": 320,
        "data": {"values": data["nights"]},
        "transform": [{"fold": ["new", "changed"], "as": ["kind", "stored"]}],
        # Bars of a fixed width, centred on their night, with room either side: a time scale would
        # otherwise stretch the bar of a single night across the whole chart.
        "mark": {"type": "bar", "tooltip": True, "width": 14},
        "encoding": {
            "x": {
                **night,
                "axis": {"format": "%d/%m/%Y", "labelAngle": 0, "tickCount": "day"},
                "scale": {"padding": 40},
            },
            "y": {
                "field": "stored",
                "type": "quantitative",
                "title": "Articles stored",
                "axis": {"tickMinStep": 1},
            },
            "color": {"field": "kind", "type": "nominal", "title": "Articles", "sort": ["new", "changed"]},
            "tooltip": [
                {**night, "format": "%d/%m/%Y"},
                {"field": "kind", "title": "Articles"},
                {"field": "stored", "type": "quantitative", "title": "Count"},
                {"field": "errors", "type": "quantitative", "title": "Errors"},
                {"field": "runs", "type": "quantitative", "title": "Runs"},
                {"field": "status", "title": "Status"},
            ],
        },
    }


def _unit_table(data: dict) -> str:
    e = html.escape
    head = "".join(f"<th scope='col'>{e(s['unit_type'])} {e(s['unit'])}</th>" for s in data["series"])
    rows = [
        f"<tr><th scope='row'>{e(month)}</th>"
        + "".join(f"<td>{s['counts'][i]}</td>" for s in data["series"])
        + "</tr>"
        for i, month in enumerate(data["months"])
    ]
    total = "".join(f"<td>{s['total']}</td>" for s in data["series"])
    return (
        f"<table id='unit-table'><thead><tr><th scope='col'>Month</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody><tfoot><tr><th scope='row'>Articles</th>{total}</tr></tfoot></table>"
    )


def _night_table(data: dict) -> str:
    e = html.escape
    cols = ("night", "runs", "new", "changed", "errors", "status")
    head = "".join(f"<th scope='col'>{c}</th>" for c in cols)
    rows = [
        "<tr>" + "".join(f"<td>{e('' if n[c] is None else str(n[c]))}</td>" for c in cols) + "</tr>"
        for n in data["nights"]
    ]
    return f"<table id='night-table'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def vega_scripts() -> str:
    """The three libraries as inline scripts, with their licence notice."""
    folder = resources.files(VEGA_PACKAGE) / "static"
    parts = [f"<!-- {VEGA_NOTICE} -->"]
    for name in VEGA_FILES:
        code = (folder / name).read_text(encoding="utf-8").replace("</script", "<\\/script")
        parts.append(f"<script>/* {name} */\n{code}\n</script>")
    return "\n".join(parts)


_SCRIPT = r"""
(function () {
  var specs = JSON.parse(document.getElementById("chart-specs").textContent);
  Object.keys(specs).forEach(function (id) {
    var el = document.getElementById(id);
    vegaEmbed(el, specs[id], {renderer: "svg", actions: false}).then(function () {
      el.setAttribute("data-drawn", "yes");
    }, function (error) {
      el.setAttribute("data-drawn", "error");
      el.textContent = "The chart could not be drawn: " + error;
    });
  });
})();
"""

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; background: #fff; }
section { margin-bottom: 2.5em; }
.pair { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.5em; align-items: start; }
.chart { min-height: 340px; }
.figures { max-height: 420px; overflow: auto; }
table { border-collapse: collapse; font-size: 12px; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: right; white-space: nowrap; }
thead th { position: sticky; top: 0; background: #f4f4f4; }
th[scope=row] { text-align: left; font-weight: normal; }
td:last-child { text-align: right; }
#night-table td:first-child, #night-table td:last-child { text-align: left; }
"""


def render_html(data: dict, *, db_name: str, generated_at: datetime | None = None) -> str:
    """The whole page as one string."""
    when = (generated_at or datetime.now()).isoformat(timespec="seconds")
    specs = {"chart-units": unit_spec(data), "chart-nights": night_spec(data)}
    payload = json.dumps(specs, ensure_ascii=False).replace("</", "<\\/")
    n_units = len(data["series"])
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>wardnews: articles per month per ward, articles per night</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>wardnews report</h1>
<p>From <code>{html.escape(db_name)}</code>, generated {html.escape(when)}. Hover a point or a bar for its
figures; the tables beside the charts hold the same numbers.</p>
<section>
<h2>Articles per month for the {n_units} most-covered wards and communes</h2>
<p>An article counts for a unit when it names it (table <code>article_units</code>, former units included
when they went to it whole), in the month of its <code>published_at</code>.</p>
<div class="pair">
<div id="chart-units" class="chart" data-drawn="no" role="img"
     aria-label="Articles per month for the {n_units} most-covered wards and communes"></div>
<div class="figures">{_unit_table(data)}</div>
</div>
</section>
<section>
<h2>Articles stored per night (crawl health)</h2>
<p>What each night's crawls stored (table <code>crawl_runs</code>): articles new to the database and
articles found changed, by the local date the run started. A night without a bar had no run.</p>
<div class="pair">
<div id="chart-nights" class="chart" data-drawn="no" role="img" aria-label="Articles stored per night"></div>
<div class="figures">{_night_table(data)}</div>
</div>
</section>
<noscript>The charts need JavaScript; the tables hold every figure.</noscript>
<script type="application/json" id="chart-specs">{payload}</script>
{vega_scripts()}
<script>{_SCRIPT}</script>
</body>
</html>
"""
