"""``wardnews report``: a self-contained HTML page charting articles per month for the most-covered wards.

The data sits in the page as JSON; a few lines of inline JavaScript draw one
small bar chart per unit as SVG (no CDN, nothing fetched). When the drawing is
done the chart element gets ``data-drawn="yes"`` and ``data-bars="N"``, which
the headless-browser test reads.
"""

from __future__ import annotations

import html
import json
import sqlite3
from datetime import datetime

from wardnews.research.queries import ARTICLES_PER_UNIT_MONTH, TOP_UNITS


def chart_data(conn: sqlite3.Connection, top: int) -> dict:
    """{"months": [...], "series": [{"unit", "unit_type", "total", "counts": [...]}]}, months filled in."""
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
    return {"months": months, "series": series}


def _month_range(first: str, last: str) -> list[str]:
    """Every "YYYY-MM" from first to last inclusive, so empty months show as gaps."""
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


_SCRIPT = r"""
(function () {
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var chart = document.getElementById("chart");
  var NS = "http://www.w3.org/2000/svg";
  var months = data.months, W = 720, H = 110, left = 190, bottom = 18, top = 8;
  var max = 1;
  data.series.forEach(function (s) { s.counts.forEach(function (n) { if (n > max) max = n; }); });
  var step = months.length ? (W - left - 10) / months.length : 0;
  var bars = 0;
  function el(name, attrs, text) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  data.series.forEach(function (s) {
    var svg = el("svg", {width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img",
                         "aria-label": s.unit_type + " " + s.unit + ": articles per month"});
    svg.appendChild(el("text", {x: 4, y: 28, "class": "unit"}, s.unit_type + " " + s.unit));
    svg.appendChild(el("text", {x: 4, y: 48, "class": "total"}, s.total + " articles"));
    svg.appendChild(el("line", {x1: left, x2: W - 10, y1: H - bottom, y2: H - bottom, "class": "axis"}));
    s.counts.forEach(function (n, i) {
      var h = (H - bottom - top) * n / max;
      var bar = el("rect", {x: left + i * step + 1, y: H - bottom - h, width: Math.max(step - 2, 1),
                            height: h, "class": "bar", "data-month": months[i], "data-count": n});
      bar.appendChild(el("title", {}, months[i] + ": " + n));
      svg.appendChild(bar);
      bars += 1;
      if (months.length <= 24 || i % 3 === 0) {
        svg.appendChild(el("text", {x: left + i * step + step / 2, y: H - 4, "class": "month"},
                           months[i].slice(2)));
      }
    });
    chart.appendChild(svg);
  });
  chart.setAttribute("data-bars", String(bars));
  chart.setAttribute("data-drawn", "yes");
})();
"""

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; background: #fff; }
#chart svg { display: block; margin-bottom: 6px; }
.bar { fill: #2b6cb0; }
.axis { stroke: #999; }
.unit { font-weight: bold; font-size: 14px; }
.total, .month { fill: #666; font-size: 10px; }
.month { text-anchor: middle; }
"""


def render_html(data: dict, *, db_name: str, generated_at: datetime | None = None) -> str:
    """The whole page as one string."""
    when = (generated_at or datetime.now()).isoformat(timespec="seconds")
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    n_units = len(data["series"])
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>wardnews: articles per month, {n_units} most-covered wards and communes</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>Articles per month for the {n_units} most-covered wards and communes</h1>
<p>From <code>{html.escape(db_name)}</code>, generated {html.escape(when)}. An article counts for a unit
when it names it (table <code>article_units</code>), in the month of its <code>published_at</code>.
Bars share one scale; hover a bar for its figure.</p>
<div id="chart" data-drawn="no" data-bars="0"
     data-units="{n_units}" data-months="{len(data["months"])}"></div>
<noscript>This chart needs JavaScript; the figures are in the JSON below the page source.</noscript>
<script type="application/json" id="chart-data">{payload}</script>
<script>{_SCRIPT}</script>
</body>
</html>
"""
