"""Commands side by side: retag, reparse, fetch --store, export, report and stats during a crawl."""

from __future__ import annotations

import subprocess

import sqlite_utils

from wardnews.store import migrations
from wardnews.testing import PortalServer

from .helpers import WARDNEWS, GatedPortal, crawl_command, integrity, query, run_crawl

BUSY = "database is locked"


def wardnews(db, *args, cwd):
    return subprocess.Popen(
        [WARDNEWS, *args, "--db", str(db)], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_writers_and_readers_run_during_a_crawl_and_beside_each_other(db, tmp_path):
    portal = GatedPortal(90, seed=31)
    articles = portal.expected_articles()
    with PortalServer(portal) as server:
        assert run_crawl(server, db, "--max-articles", "30").code == 0  # something to retag and reparse
        portal.hold_after(8)
        crawl = subprocess.Popen(
            crawl_command(server, db, "--full", "-s", "WARDNEWS_BATCH_SIZE=2", "-s", "DOWNLOAD_DELAY=0.01"),
            cwd=db.parent,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        portal.wait_until_holding(crawl)
        others = {
            "retag": wardnews(db, "retag", "--batch-size", "5", cwd=tmp_path),
            "reparse": wardnews(db, "reparse", "--batch", "5", cwd=tmp_path),
            "fetch": subprocess.Popen(
                [
                    WARDNEWS,
                    "fetch",
                    server.url(articles[-1].path),
                    "--store",
                    "--base-url",
                    server.base_url,
                    "--db",
                    str(db),
                ],
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ),  # fmt: skip
            "export": wardnews(
                db, "export", "--format", "csv", "--out", str(tmp_path / "a.csv"), cwd=tmp_path
            ),
            "report": wardnews(db, "report", "--out", str(tmp_path / "r.html"), cwd=tmp_path),
            "stats": wardnews(db, "stats", cwd=tmp_path),
            "retag again": wardnews(db, "retag", "--batch-size", "3", cwd=tmp_path),
        }
        portal.release()  # the crawl writes its batches while they work
        results = {name: (p.wait(timeout=120), *p.communicate()) for name, p in others.items()}
        crawl_out, crawl_err = crawl.communicate(timeout=120)
    for name, (code, out, err) in results.items():
        assert code == 0, f"{name}: {out}{err}"
        assert BUSY not in out + err and "Traceback" not in err, name
    assert crawl.returncode == 0, crawl_out + crawl_err
    assert crawl_out.startswith("wardnews ok:")
    log = "\n".join(p.read_text() for p in (db.parent / "logs").glob("crawl-*.log"))
    assert BUSY not in log and "item_errors" not in log
    assert integrity(db) == "ok"
    keys = sorted(k for (k,) in query(db, "SELECT article_key FROM articles"))
    assert keys == sorted(a.key for a in articles)
    assert query(
        db, "SELECT count(*) FROM article_units WHERE article_id NOT IN (SELECT id FROM articles)"
    ) == [(0,)]


def test_readers_on_an_older_schema_say_so_and_change_nothing(tmp_path):
    db = tmp_path / "old.db"
    old = sqlite_utils.Database(db)
    migrations.apply(old, stop_before=migrations.pending(old)[-1].name)
    old.close()
    before = db.read_bytes()
    for args in (
        ["stats"],
        ["export", "--out", str(tmp_path / "x.csv")],
        ["report", "--out", str(tmp_path / "r.html")],
    ):
        done = subprocess.run(
            [WARDNEWS, *args, "--db", str(db)], capture_output=True, text=True, cwd=tmp_path
        )
        assert done.returncode == 1, done.stderr
        assert (
            done.stderr.count("\n") == 1 and "run `wardnews crawl` or `wardnews migrate` first" in done.stderr
        )
        assert done.stdout == ""
    assert db.read_bytes() == before
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "r.html").exists()
    migrated = subprocess.run([WARDNEWS, "migrate", "--db", str(db)], capture_output=True, text=True)
    assert migrated.returncode == 0 and "applied" in migrated.stdout, migrated.stderr
    done = subprocess.run([WARDNEWS, "stats", "--db", str(db)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("articles: 0"), done.stderr
    again = subprocess.run([WARDNEWS, "migrate", "--db", str(db)], capture_output=True, text=True)
    assert again.stdout.strip().endswith("schema up to date")
