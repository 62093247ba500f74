"""A researcher's queries while the crawl writes: never "database is locked", never half an article."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from wardnews.testing import Portal, PortalServer

from .helpers import crawl_command

READER = r"""
import json, os, sqlite3, sys, time
db, stop = sys.argv[1], sys.argv[2]
while True:  # wait for the crawl to open its run (schema in place)
    if os.path.exists(db):
        try:
            probe = sqlite3.connect(db, timeout=5)
            if probe.execute("SELECT count(*) FROM sqlite_master WHERE name = 'crawl_runs'").fetchone()[0] \
                    and probe.execute("SELECT count(*) FROM crawl_runs").fetchone()[0]:
                probe.close()
                break
            probe.close()
        except sqlite3.OperationalError:
            pass
    time.sleep(0.01)
conn = sqlite3.connect(db, isolation_level=None)  # as a researcher would; default 5 s busy timeout
out = {"loops": 0, "locked": [], "half": [], "max_articles": 0, "counts": []}
while not os.path.exists(stop):
    try:
        conn.execute("BEGIN")  # one snapshot for the three queries
        n, with_figures, with_links = conn.execute(
            "SELECT count(*),"
            " (SELECT count(DISTINCT f.article_id) FROM figures f JOIN articles a ON a.id = f.article_id),"
            " (SELECT count(DISTINCT l.article_id) FROM links l JOIN articles a ON a.id = l.article_id)"
            " FROM articles"
        ).fetchone()
        joined = conn.execute(
            "SELECT count(*) FROM articles a JOIN figures f ON f.article_id = a.id WHERE f.position = 0"
        ).fetchone()[0]
        conn.execute(
            "SELECT count(*) FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
            " WHERE articles_fts MATCH 'phường OR xã'"
        ).fetchone()
        conn.execute("COMMIT")
        if not (n == with_figures == with_links == joined):
            out["half"].append((n, with_figures, with_links, joined))
        out["max_articles"] = max(out["max_articles"], n)
        if n not in out["counts"]:
            out["counts"].append(n)
        out["loops"] += 1
    except sqlite3.OperationalError as error:
        out["locked"].append(str(error))
        if conn.in_transaction:
            conn.execute("ROLLBACK")
print(json.dumps(out))
"""


def test_reader_never_sees_locked_or_half_written_articles(db):
    portal = Portal(60, seed=12)  # every generated article has figures and links
    stop = db.with_name("stop")
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), str(stop)], stdout=subprocess.PIPE, text=True
    )
    with PortalServer(portal) as server:
        crawl = subprocess.run(
            crawl_command(server, db, "-s", "WARDNEWS_BATCH_SIZE=2", "-s", "WARDNEWS_FLUSH_SECONDS=0.1"),
            cwd=db.parent,
            capture_output=True,
            text=True,
            timeout=60,
        )
    time.sleep(0.2)
    stop.touch()
    out = json.loads(reader.communicate(timeout=30)[0])
    assert crawl.returncode == 0, crawl.stdout + crawl.stderr
    assert out["locked"] == []
    assert out["half"] == []
    assert out["loops"] > 20 and out["max_articles"] == len(portal.expected_articles())
    assert len(out["counts"]) >= 5  # it read while the batches were being written
