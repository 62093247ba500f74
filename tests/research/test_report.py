"""``wardnews report``: its figures and a page that needs nothing from the network.

How it looks in a browser (axes, tooltips, the tables) is checked in test_browser.py.
"""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from click.testing import CliRunner

from wardnews.cli import main
from wardnews.research.report import MONTH_TITLE, NIGHT_TITLE, chart_data, night_spec, unit_spec


@pytest.fixture(scope="module")
def page(research_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(main, ["report", "--db", str(research_db), "--out", str(out), "--top", "3"])
    assert result.exit_code == 0, result.output
    return out


def test_chart_data_counts_articles_per_month_for_the_top_units(research_db):
    with sqlite3.connect(research_db) as conn:
        data = chart_data(conn, top=3)
    # Months from the first to the last article, gaps included.
    assert data["months"] == ["2025-10", "2025-11", "2025-12"]
    tay_tuu = data["series"][0]
    assert (tay_tuu["unit"], tay_tuu["total"], tay_tuu["counts"]) == ("Tây Tựu", 3, [1, 0, 2])
    assert {s["unit"] for s in data["series"][1:]} == {"Hòa Xá", "Đống Đa"}  # one article each, then by name
    assert len(data["series"]) == 3
    assert data["nights"] == []  # articles stored without a crawl: no run to chart


def test_articles_per_night_sums_the_runs_of_each_local_date(tmp_path):
    db = tmp_path / "runs.db"
    from wardnews.store import Store

    with Store(db) as store:
        store.db["crawl_runs"].insert_all(
            [
                # 23:30 and 02:17 the next day, Hà Nội time: two nights, whatever UTC says.
                {
                    "started_at": "2026-01-10T23:30:00+07:00",
                    "status": "ok",
                    "articles_new": 5,
                    "articles_changed": 1,
                    "errors": 0,
                },
                {
                    "started_at": "2026-01-11T02:17:00+07:00",
                    "status": "ok",
                    "articles_new": 3,
                    "articles_changed": 0,
                    "errors": 2,
                },
                {
                    "started_at": "2026-01-11T09:00:00+07:00",
                    "status": "degraded",
                    "articles_new": 1,
                    "articles_changed": 2,
                    "errors": 7,
                },
            ]
        )
    with sqlite3.connect(db) as conn:
        nights = chart_data(conn, top=3)["nights"]
    assert [(n["night"], n["runs"], n["new"], n["changed"], n["errors"]) for n in nights] == [
        ("2026-01-10", 1, 5, 1, 0),
        ("2026-01-11", 2, 4, 2, 9),
    ]
    assert set(nights[1]["status"].split(",")) == {"ok", "degraded"}


def test_both_charts_have_titled_time_axes_and_tooltips(research_db):
    with sqlite3.connect(research_db) as conn:
        data = chart_data(conn, top=3)
    for spec, title in ((unit_spec(data), MONTH_TITLE), (night_spec(data), NIGHT_TITLE)):
        x = spec["encoding"]["x"]
        assert (x["type"], x["title"]) == ("temporal", title)
        assert spec["encoding"]["y"]["title"]
        assert spec["mark"]["tooltip"] is True and spec["encoding"]["tooltip"]
    points = unit_spec(data)["data"]["values"]
    assert {"unit": "phường Tây Tựu", "month": "2025-12", "articles": 2} in points
    assert {"unit": "phường Tây Tựu", "month": "2025-11", "articles": 0} in points  # gaps drawn as 0


def test_page_is_self_contained(page):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert not re.search(r"<script[^>]+src=", text)  # every script inline
    assert not re.search(r"<link[^>]+stylesheet", text)
    assert "BSD-3-Clause" in text  # Vega's licence notice travels with its code
    specs = json.loads(re.search(r'id="chart-specs">(.*?)</script>', text, re.S).group(1))
    assert set(specs) == {"chart-units", "chart-nights"}
    assert all("values" in spec["data"] for spec in specs.values())  # data inline, never a URL
    assert "<th scope='row'>2025-12</th>" in text  # the table beside the chart, without JavaScript
