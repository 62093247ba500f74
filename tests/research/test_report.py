"""``wardnews report``: a self-contained page whose chart is drawn, checked in headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile

import pytest
from click.testing import CliRunner

from wardnews.cli import main
from wardnews.research.report import chart_data

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
# A developer's machine may lack Chromium (skip); CI installs it (./dev test), so there it must run.
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="chromium is not installed (./dev test installs it: apt-get install chromium)",
)


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


def test_page_is_self_contained(page):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "@import" not in text and "fetch(" not in text
    assert "Tây Tựu" in text


def render(page, *flags: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                *flags,
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )


@needs_chromium
def test_chart_is_drawn_in_headless_chromium(page):
    done = render(page, "--dump-dom")
    dom = done.stdout
    assert 'id="chart"' in dom, done.stderr[-2000:]
    chart = re.search(r'<div id="chart"[^>]*>', dom).group(0)
    assert 'data-drawn="yes"' in chart  # the script ran to the end
    bars = re.findall(r'<rect [^>]*class="bar"[^>]*>', dom)
    assert len(bars) == 3 * 3 == int(re.search(r'data-bars="(\d+)"', chart).group(1))
    assert len(re.findall(r"<svg ", dom)) == 3
    heights = [float(re.search(r'height="([\d.]+)"', bar).group(1)) for bar in bars]
    # Oct, Nov, Dec for Tây Tựu (1, 0, 2), Hòa Xá (0, 1, 0), Đống Đa (0, 0, 1); 2 articles = full height.
    assert heights == [42, 0, 84, 0, 42, 0, 0, 0, 42]
