"""Quiet, self-contained runs: logs beside the database, nothing on stderr under cron, one clock."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime
from pathlib import Path

from wardnews.testing import Portal, PortalServer

from .helpers import FAST, WARDNEWS, article_requests, listing_requests

STAMP_RE = re.compile(r"crawl-(\d{8}-\d{6}[+-]\d{4})\.log$")
LINE_RE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d{4}) \[")


def test_a_cron_run_from_elsewhere_writes_only_beside_its_database(tmp_path):
    cwd = tmp_path / "cron-cwd"
    cwd.mkdir()
    db = tmp_path / "srv" / "data" / "wardnews.db"
    with PortalServer(Portal(30, seed=81)) as server:
        # No --log-dir, a working directory that is not the database's: what cron does from /.
        done = subprocess.run(
            [WARDNEWS, "crawl", "--base-url", server.base_url, "--db", str(db), *FAST],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode in (0, 4), done.stdout + done.stderr
    assert done.stderr == ""  # no warnings for cron to mail (the Scrapy deprecation warning is gone)
    assert list(cwd.iterdir()) == []
    (log,) = (db.parent / "logs").iterdir()
    text = log.read_text(encoding="utf-8")
    assert "Telnet" not in text and "telnet" not in text
    assert "Warning" not in text  # no deprecation warning in the log either
    # The file name and every dated line use the Hà Nội clock, with its offset.
    named = datetime.strptime(STAMP_RE.search(log.name).group(1), "%Y%m%d-%H%M%S%z")
    stamps = [
        datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S%z")
        for m in map(LINE_RE.match, text.splitlines())
        if m
    ]
    assert stamps and {s.utcoffset().total_seconds() for s in stamps} == {7 * 3600}
    assert named.utcoffset().total_seconds() == 7 * 3600
    assert abs((stamps[0] - named).total_seconds()) < 120  # one clock, not UTC beside local time


def test_start_url_replaces_the_configured_sections(tmp_path):
    portal = Portal(40, seed=82)
    section = sorted({a.section for a in portal.expected_articles()})[0]
    with PortalServer(portal) as server:
        done = subprocess.run(
            [WARDNEWS, "crawl", "--base-url", server.base_url, "--db", str(tmp_path / "w.db"),
             "--start-url", server.url(section), "--max-depth", "0", *FAST],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        paths = server.paths()
    assert done.returncode == 0, done.stdout + done.stderr
    listings = [p for p in listing_requests(paths) if p != "/robots.txt"]
    assert listings and all(p.split("?")[0] == section for p in listings), listings  # its pages only
    assert article_requests(paths)


def test_the_any_site_hint_names_a_command_that_has_the_option(tmp_path):
    crawl = subprocess.run(
        [WARDNEWS, "crawl", "--start-url", "https://example.com/a-1.html", "--db", str(tmp_path / "w.db")],
        capture_output=True,
        text=True,
    )
    assert crawl.returncode == 2 and "`wardnews fetch URL --any-site`" in crawl.stderr, crawl.stderr
    fetch = subprocess.run(
        [WARDNEWS, "fetch", "https://example.com/a-1.html", "--db", str(tmp_path / "w.db")],
        capture_output=True,
        text=True,
    )
    assert fetch.returncode == 2 and "--any-site" in fetch.stderr
    for command in ("fetch", "parse"):
        helped = subprocess.run([WARDNEWS, command, "--help"], capture_output=True, text=True)
        assert "--any-site" in helped.stdout
    assert (
        "--any-site"
        not in subprocess.run([WARDNEWS, "crawl", "--help"], capture_output=True, text=True).stdout
    )


def test_fetch_writes_its_log_where_it_says(tmp_path):
    db = tmp_path / "data" / "w.db"
    with PortalServer(Portal(5, seed=83)) as server:
        done = subprocess.run(
            [WARDNEWS, "fetch", server.url("/bai-viet-khong-ton-tai-999999.html"),
             "--base-url", server.base_url, "--db", str(db)],
            capture_output=True, text=True, cwd=tmp_path, timeout=120,
        )  # fmt: skip
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    named = re.search(r"see (\S+fetch-\S+\.log) for why", done.stderr)
    assert named, done.stderr
    log = named.group(1)
    assert log.startswith(str(db.parent / "logs")), log
    assert "not an article" in Path(log).read_text(encoding="utf-8")
    assert not db.exists()  # fetch without --store writes no database
