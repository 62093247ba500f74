"""What a researcher sees, in headless Chromium: ``wardnews serve`` over a crawled mirror, and the report.

A real crawl of the generated mirror fills the database; ``wardnews serve`` runs
as the README says; Playwright drives Debian's /usr/bin/chromium (it never
downloads a browser of its own). Each test reads what a person would read (the
first row of a table, a facet's count, an axis title, a tooltip) and compares
it with the same figure computed in SQL. Screenshots go to the test's tmp
folder; with WARDNEWS_SCREENSHOTS=docs the two README pictures are rewritten
there too.

On CI (``CI`` set) a missing browser or Playwright fails these tests; elsewhere
it skips them.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from wardnews.research.queries import CANNED_QUERIES, SEARCH_LIMIT
from wardnews.research.report import MONTH_TITLE, NIGHT_TITLE
from wardnews.research.serve import DASHBOARD, SETTINGS
from wardnews.testing import Portal, PortalServer

from .research_fixtures import build_db

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Root in CI needs --no-sandbox; the rest keeps Chromium off the (closed) network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
    "--disable-quic",
]
DB_NAME = "wardnews"


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests (./dev test installs Chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        _unavailable("chromium is not installed (./dev test installs Debian's package)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (./dev test installs the test extras)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = tmp_path_factory.mktemp("screenshots")
    docs = os.environ.get("WARDNEWS_SCREENSHOTS")

    def save(page, name: str, *, readme: bool = False, full_page: bool = False):
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        if readme and docs:
            Path(docs).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(docs) / f"{name}.png")
        return path

    return save


@pytest.fixture(scope="module")
def crawled_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("browser") / f"{DB_NAME}.db"
    with PortalServer(Portal(60, seed=5)) as server:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "wardnews",
                "crawl",
                "--full",
                "--base-url",
                server.base_url,
                "--db",
                str(db),
                "--log-dir",
                str(db.parent / "logs"),
                *FAST,
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    # The mirror's articles name one unit each; the fixture pages name several (two_units).
    build_db(db)
    return db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(crawled_db):
    """``wardnews serve`` on a free port, as a user starts it; its base URL."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "wardnews", "serve", "--db", str(crawled_db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # until it answers (or dies), checked by progress, not by a clock
            if process.poll() is not None:
                pytest.fail(f"wardnews serve exited: {process.stdout.read().decode()[-2000:]}")
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=5).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("wardnews serve did not answer")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    outside: list[str] = []
    tab.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "file:")) else None,
    )
    tab.outside_requests = outside
    yield tab
    assert not outside, f"the page asked the network for {outside}"
    context.close()


def sql(db: Path, query: str, params=()):
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(query, params).fetchall()


def cells(row) -> list[str]:
    return [c.strip() for c in row.locator("td").all_inner_texts()]


# --- Datasette -------------------------------------------------------------------------


def test_home_and_database_page_put_articles_first(page, site, crawled_db, shots):
    page.goto(site + "/")
    assert page.locator("h1").inner_text() == "wardnews: Hà Nội ward and commune news"
    assert page.get_by_role("link", name=DB_NAME, exact=True).count() >= 1
    page.goto(f"{site}/{DB_NAME}")
    tables = page.locator("div.db-table h3 a").all_inner_texts()
    assert tables[0] == "articles"
    count = sql(crawled_db, "select count(*) from articles")[0][0]
    assert f"{count:,} rows" in page.locator("div.db-table").first.inner_text()
    listed = page.locator("#queries ~ ul li a").all_inner_texts()
    assert [q["title"] for q in CANNED_QUERIES.values()] == listed
    shots(page, "datasette-database")


def test_articles_table_truncates_long_text_and_shows_facets(page, site, crawled_db, shots):
    page.goto(f"{site}/{DB_NAME}/articles")
    first = page.locator("table.rows-and-columns tbody tr").first
    newest = sql(
        crawled_db, "select id, title, body from articles order by published_at desc, id desc limit 1"
    )[0]
    assert first.locator("td.col-title").inner_text().strip() == newest[1]
    body = first.locator("td.col-body").inner_text().strip()
    limit = SETTINGS["truncate_cells_html"]
    assert len(newest[2]) > limit and body == newest[2][:limit] + "…"
    # Facet counts as SQL counts them.
    category, n = sql(
        crawled_db, "select category, count(*) from articles group by category order by 2 desc, 1 limit 1"
    )[0]
    facet = page.locator(".facet-info").filter(has=page.locator("strong", has_text="category"))
    assert f"{category} {n}" in facet.inner_text()
    month, n = sql(
        crawled_db,
        "select published_month, count(*) from articles group by 1 order by 2 desc, 1 desc limit 1",
    )[0]
    assert f"{month} {n}" in page.locator(".facet-info").filter(has_text="published_month").inner_text()
    unit, n = sql(
        crawled_db,
        "select unit, count(distinct article_id) from article_units where former_split = 0"
        " group by unit order by 2 desc, 1 limit 1",
    )[0]
    assert f"{unit} {n}" in page.locator(".facet-info").filter(has_text="unit_names").inner_text()
    author, n = sql(
        crawled_db,
        "select j.value, count(distinct a.id) from articles a, json_each(a.authors) j"
        " group by j.value order by 2 desc, 1 limit 1",
    )[0]
    assert f"{author} {n}" in page.locator(".facet-info").filter(has_text="authors").inner_text()
    page.set_viewport_size({"width": 1600, "height": 1500})  # a few rows below the facets
    shots(page, "datasette-articles", readme=True)


def test_a_ward_facet_filters_and_a_unit_name_opens_its_page(page, site, crawled_db):
    page.goto(f"{site}/{DB_NAME}/articles")
    unit, n = sql(
        crawled_db,
        "select unit, count(distinct article_id) from article_units where former_split = 0"
        " group by unit order by 2 desc, 1 limit 1",
    )[0]
    page.locator(".facet-info").filter(has_text="unit_names").get_by_role(
        "link", name=unit, exact=True
    ).click()
    page.wait_for_url("**unit_names__arraycontains=**")
    assert page.locator("h3").first.inner_text().startswith(f"{n} row")
    page.locator("td.col-unit_names").first.get_by_role("link", name=unit, exact=True).click()
    page.wait_for_url(f"{site}/{DB_NAME}/latest_for_unit?**")
    page.locator("table.rows-and-columns tbody tr").first.wait_for()
    assert page.locator("table.rows-and-columns tbody tr").count() == n


def test_row_page_shows_the_whole_article(page, site, crawled_db, shots):
    article_id, body, captions = sql(
        crawled_db,
        "select id, body, captions from articles where captions like '%' || char(10) || '%'"
        " order by length(body) desc limit 1",
    )[0]
    page.goto(f"{site}/{DB_NAME}/articles/{article_id}")
    assert page.locator("td.col-body").inner_text().strip() == body.strip()
    shown = page.locator("td.col-captions").inner_text().strip().split("\n")
    assert shown == captions.split("\n")  # one caption a line
    label = page.locator("th.col-body").bounding_box()
    value = page.locator("td.col-body").bounding_box()
    assert label["x"] < value["x"] and abs(label["y"] - value["y"]) < 5  # label beside its value
    shots(page, "datasette-row")


def _common_word(db: Path) -> str:
    return sql(
        db,
        "select term from articles_fts_vocab where length(term) > 3 order by doc desc, term limit 1",
    )[0][0]


@pytest.fixture(scope="module")
def vocab(crawled_db):
    # fts5vocab cannot be created on a read-only file: a copy holds it.
    copy = crawled_db.with_name("vocab.db")
    shutil.copy(crawled_db, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("CREATE VIRTUAL TABLE articles_fts_vocab USING fts5vocab(articles_fts, 'row')")
    return copy


def test_both_searches_from_the_table_page(page, site, crawled_db):
    page.goto(f"{site}/{DB_NAME}/articles")
    page.locator("#_search").fill("phường")
    page.locator("#_search").press("Enter")
    page.wait_for_url("**_search=**")
    n = sql(crawled_db, "select count(*) from articles_fts where articles_fts match '\"phường\"'")[0][0]
    assert page.locator("h3").first.inner_text().startswith(f"{n} row")
    # The accent-free box: "Dong Da" with đ typed finds what "dong da" finds in the folded index.
    page.goto(f"{site}/{DB_NAME}/articles")
    page.locator("#wardnews-folded-q").fill("phuong")
    page.get_by_role("button", name="Search without accents").click()
    page.wait_for_url("**_fts_table=articles_fts_folded**")
    folded = sql(
        crawled_db, "select count(*) from articles_fts_folded where articles_fts_folded match 'phuong'"
    )
    assert page.locator("h3").first.inner_text().startswith(f"{folded[0][0]} row")
    assert "_fts_table=articles_fts_folded" in page.url


def _params(db: Path, vocab_db: Path) -> dict[str, dict]:
    ((u1, u2),) = sql(
        db,
        "select a.unit, b.unit from article_units a join article_units b on a.article_id = b.article_id"
        " and a.unit < b.unit where a.former_split = 0 and b.former_split = 0"
        " group by a.unit, b.unit order by count(*) desc, 1, 2 limit 1",
    )
    word = _common_word(vocab_db)
    return {
        "search": {"q": word},
        "search_ranked": {"q": word},
        "search_folded": {"q": word},
        "search_folded_ranked": {"q": word},
        "latest_for_unit": {"unit": u1},
        "unit_by_month": {"unit": u1},
        "two_units": {"unit1": u1, "unit2": u2},
    }


def _expected_rows(db: Path, name: str, params: dict) -> list[tuple]:
    """The canned query's rows, by the SQL Datasette runs."""
    return sql(db, CANNED_QUERIES[name]["sql"], params)


@pytest.mark.parametrize("name", sorted(CANNED_QUERIES))
def test_each_canned_query_shows_its_answer(name, page, site, crawled_db, vocab, shots):
    params = _params(crawled_db, vocab).get(name, {})
    expected = _expected_rows(crawled_db, name, params)
    assert expected, f"{name} has nothing to show on the crawled mirror"
    url = f"{site}/{DB_NAME}/{name}" + ("?" + urlencode(params) if params else "")
    page.goto(url)
    if expected:
        page.locator("table.rows-and-columns tbody tr").first.wait_for()
    assert page.locator("h1").inner_text().startswith(CANNED_QUERIES[name]["title"])
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() == len(expected)
    if name.startswith("search"):
        assert len(expected) <= SEARCH_LIMIT
    shown = cells(rows.first)
    first = ["" if v is None else str(v) for v in expected[0]]
    for got, want in zip(shown, first, strict=True):
        assert got == want.strip() or (
            want and got.startswith(want[: SETTINGS["truncate_cells_html"]].strip())
        )
    shots(page, f"query-{name}", full_page=False)


def test_search_puts_the_newest_match_first(page, site, crawled_db, vocab):
    word = _common_word(vocab)
    page.goto(f"{site}/{DB_NAME}/search?" + urlencode({"q": word}))
    dates = page.locator("table.rows-and-columns tbody td.col-published_at").all_inner_texts()
    assert dates == sorted(dates, reverse=True)
    newest = sql(
        crawled_db,
        "select max(a.published_at) from articles_fts f join articles a on a.id = f.rowid"
        " where articles_fts match ?",
        [word],
    )[0][0]
    assert dates[0] == newest


def test_dashboard_draws_both_charts_with_tables_beside(page, site, crawled_db, shots):
    page.goto(f"{site}/-/dashboards/{quote(DASHBOARD)}")
    for chart in ("per-unit-month", "per-night"):
        page.locator(f"#chart-{chart} svg.marks").wait_for()
    titles = page.locator("#chart-per-unit-month svg.marks g.role-axis-title text").all_text_contents()
    assert titles == ["Month", "Articles"]
    night = sql(crawled_db, "select substr(started_at, 1, 10), sum(articles_new) from crawl_runs group by 1")[
        0
    ]
    table = page.locator("#chart-per-night-table table tbody tr").first
    assert cells(table)[:3] == [night[0], "1", str(night[1])]
    shots(page, "datasette-dashboard")


# --- the report -------------------------------------------------------------------------


def test_report_draws_labelled_time_axes_tooltips_and_tables(page, crawled_db, tmp_path, shots):
    out = tmp_path / "report.html"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "wardnews",
            "report",
            "--db",
            str(crawled_db),
            "--out",
            str(out),
            "--top",
            "6",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    page.goto(out.as_uri())
    page.locator("#chart-units[data-drawn=yes]").wait_for()
    page.locator("#chart-nights[data-drawn=yes]").wait_for()
    assert page.locator("#chart-units g.role-axis-title text").all_text_contents() == [
        MONTH_TITLE,
        "Articles",
    ]
    assert page.locator("#chart-nights g.role-axis-title text").all_text_contents() == [
        NIGHT_TITLE,
        "Articles stored",
    ]
    # The month axis is a time axis: its labels are months, in order.
    labels = page.locator("#chart-units g.role-axis-label").first.locator("text").all_text_contents()
    assert labels and all(len(label) == 7 and label[2] == "/" for label in labels)
    # Hovering a point shows its figures, as the table beside has them. Points of equal value in
    # one month overlap, so pick one whose count no other unit has that month.
    units = page.locator("#unit-table thead th").all_inner_texts()[1:]
    table_rows = page.locator("#unit-table tbody tr")
    unit = month = count = None
    for i in range(table_rows.count()):
        counts = cells(table_rows.nth(i))
        alone = [j for j, c in enumerate(counts) if c != "0" and counts.count(c) == 1]
        if alone:
            unit, count = units[alone[0]], counts[alone[0]]
            month = table_rows.nth(i).locator("th").inner_text()
            break
    assert unit, "no point stands alone in the chart"
    shown_month = f"{month[5:]}/{month[:4]}"
    point = page.locator(
        "#chart-units path[aria-roledescription=point]"
        f'[aria-label*="{shown_month};"][aria-label*="Articles: {count};"][aria-label$="{unit}"]'
    )
    point.hover(force=True)
    tip = page.locator("#vg-tooltip-element")
    tip.wait_for(state="visible")
    assert unit in tip.inner_text() and shown_month in tip.inner_text()
    assert tip.inner_text().split()[-1] == count
    night = sql(crawled_db, "select substr(started_at, 1, 10), sum(articles_new) from crawl_runs group by 1")[
        0
    ]
    assert cells(page.locator("#night-table tbody tr").first)[:3] == [night[0], "1", str(night[1])]
    shots(page, "report", readme=True)
