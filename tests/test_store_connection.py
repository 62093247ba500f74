"""Opening the database: writers wait for each other, readers never write, bad files are one sentence."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlite_utils

from wardnews.store import SchemaOutdated, Store, StoreError, migrations
from wardnews.store.connection import connect_readonly, readonly_uri


def test_a_transaction_that_read_first_waits_for_another_writer_instead_of_failing(tmp_path):
    db = tmp_path / "w.db"
    Store(db).close()
    with Store(db) as crawl:
        done = threading.Event()

        def other_writer():
            with Store(db) as retag:
                retag.record_fetch_error(None, "https://x/other-1.html", 500, "http_500")
            done.set()

        with crawl.transaction():
            crawl.db.execute("SELECT count(*) FROM fetch_errors").fetchone()  # the batch looks things up
            thread = threading.Thread(target=other_writer)
            thread.start()
            # A deferred transaction would let the other writer commit here and then fail its own
            # write with "database is locked"; BEGIN IMMEDIATE makes the other one wait instead.
            done.wait(1.0)
            crawl.record_fetch_error(None, "https://x/batch-1.html", 404, "http_404")
        thread.join(timeout=30)
        assert done.is_set()
        urls = [u for (u,) in crawl.db.execute("SELECT url FROM fetch_errors ORDER BY id")]
    assert sorted(urls) == ["https://x/batch-1.html", "https://x/other-1.html"]


def test_a_reader_never_migrates_and_names_the_command_that_does(tmp_path):
    db = tmp_path / "old.db"
    old = sqlite_utils.Database(db)
    migrations.apply(old, stop_before=migrations.pending(old)[-1].name)  # one migration short
    old.close()
    before = db.read_bytes()
    with pytest.raises(SchemaOutdated, match=r"run `wardnews crawl` or `wardnews migrate` first"):
        connect_readonly(db)
    with pytest.raises(SchemaOutdated):
        Store(db, readonly=True)
    assert db.read_bytes() == before
    Store(db).close()  # a writer brings it up to date
    connect_readonly(db).close()


@pytest.mark.parametrize("name", ["we#ird.db", "what?.db", "100%.db", "ph%C6%B0%E1%BB%9Dng#1?x=y.db"])
def test_a_path_with_uri_characters_is_opened_as_the_file_it_names(tmp_path, name):
    db = tmp_path / name
    with Store(db) as store:
        store.record_fetch_error(None, "https://x/a-1.html", 404, "http_404")
    conn = connect_readonly(db)
    try:
        assert conn.execute("SELECT count(*) FROM fetch_errors").fetchone() == (1,)
    finally:
        conn.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".db")) == [name]
    assert readonly_uri(db).startswith("file:///")


def test_corrupt_and_foreign_files_are_not_wardnews_databases(tmp_path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not SQLite at all\n" * 200)
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    for path in (garbage, foreign):
        for readonly in (False, True):
            with pytest.raises(StoreError, match="is not a wardnews database"):
                Store(path, readonly=readonly)
    assert foreign.read_bytes() == before  # no wardnews table was added to someone else's file


def test_a_run_still_working_in_another_process_is_not_marked_killed(tmp_path):
    db = tmp_path / "w.db"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from wardnews.store import Store\n"
            "s = Store(sys.argv[1]); s.start_run('url'); print('open', flush=True); sys.stdin.read()",
            str(db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "open\n"
        with Store(db) as store:
            assert store.mark_killed_runs() == 0  # its process is alive: not killed
            holder.kill()
            holder.wait()
            assert store.mark_killed_runs() == 1
            assert store.db.execute("SELECT status FROM crawl_runs").fetchall() == [("killed",)]
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def test_runs_of_this_process_are_alive_until_finished(tmp_path):
    with Store(tmp_path / "w.db") as store:
        run = store.start_run("nightly")
        assert store.mark_killed_runs() == 0
        store.finish_run(run, status="ok", exit_code=0)
        assert store.run_status(run) == "ok"


def test_the_quota_stops_writes_with_sqlite_full(tmp_path, monkeypatch):
    monkeypatch.setenv("WARDNEWS_DB_MAX_BYTES", str(600 * 1024))
    with Store(tmp_path / "w.db") as store, pytest.raises(sqlite3.OperationalError) as failure:
        for i in range(100_000):
            store.record_fetch_error(None, f"https://x/{'a' * 200}-{i}.html", 404, "http_404")
    assert failure.value.sqlite_errorcode == sqlite3.SQLITE_FULL
    assert Path(tmp_path / "w.db").stat().st_size <= 700 * 1024
