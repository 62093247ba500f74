"""Bad files and settings: one sentence and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from wardnews.crawling import SettingError, parse_override
from wardnews.runs import EXIT_FAILED, EXIT_USAGE
from wardnews.store import Store
from wardnews.testing import Portal, PortalServer

WARDNEWS = str(Path(sys.executable).with_name("wardnews"))
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "laodongthudo" / "seed_tay_tuu.html"


def wardnews(*args, cwd=None, prefix=()):
    return subprocess.run([*prefix, WARDNEWS, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def one_sentence(result, code: int, *needles: str) -> None:
    assert result.returncode == code, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("wardnews: "), result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


@pytest.fixture(scope="module")
def mirror():
    with PortalServer(Portal(6, seed=71)) as server:
        yield server


@pytest.fixture
def garbage(tmp_path) -> Path:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"SQLite format 2? no: a text file that someone named .db\n" * 100)
    return path


@pytest.mark.parametrize(
    "args",
    [["stats"], ["export"], ["report", "--out", "r.html"], ["retag"], ["reparse"], ["migrate"]],
)
def test_a_corrupt_database_is_not_a_wardnews_database(garbage, args, tmp_path):
    before = garbage.read_bytes()
    one_sentence(
        wardnews(*args, "--db", str(garbage), cwd=tmp_path), EXIT_FAILED, "is not a wardnews database"
    )
    assert garbage.read_bytes() == before


def test_crawl_and_fetch_store_refuse_a_corrupt_database_before_fetching(garbage, mirror, tmp_path):
    mirror.reset_log()
    crawl = wardnews("crawl", "--db", str(garbage), "--base-url", mirror.base_url, cwd=tmp_path)
    one_sentence(crawl, EXIT_FAILED, "is not a wardnews database")
    url = mirror.url(mirror.portal.expected_articles()[0].path)
    fetch = wardnews(
        "fetch", url, "--store", "--base-url", mirror.base_url, "--db", str(garbage), cwd=tmp_path
    )
    one_sentence(fetch, EXIT_FAILED, "is not a wardnews database")
    assert mirror.paths() == []  # nothing was fetched for a database that cannot hold it


def without_write_override() -> list[str]:
    """A prefix that makes a root process obey file modes (it drops CAP_DAC_OVERRIDE); none for others."""
    if os.geteuid() != 0:
        return []
    caps = "-dac_override,-dac_read_search"
    return [shutil.which("setpriv") or "setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", "--"]


@pytest.mark.parametrize("args", [["retag"], ["reparse"], ["migrate"], ["crawl"]])
def test_a_read_only_database_says_so(tmp_path, mirror, args):
    db = tmp_path / "ro.db"
    Store(db).close()
    db.chmod(0o444)
    extra = ["--base-url", mirror.base_url] if args == ["crawl"] else []
    result = wardnews(*args, "--db", str(db), *extra, cwd=tmp_path, prefix=without_write_override())
    one_sentence(result, EXIT_FAILED, "is read-only for this user")
    stats = wardnews("stats", "--db", str(db), cwd=tmp_path, prefix=without_write_override())
    assert stats.returncode == 0, stats.stderr  # reading it is fine


def test_paths_with_hash_and_question_mark_are_the_files_they_name(tmp_path, mirror):
    db = tmp_path / "data #1?" / "wardnews#?.db"
    crawl = wardnews("crawl", "--db", str(db), "--base-url", mirror.base_url, "-s", "DOWNLOAD_DELAY=0",
                     "-s", "AUTOTHROTTLE_ENABLED=0", cwd=tmp_path)  # fmt: skip
    assert crawl.returncode in (0, 4), crawl.stderr  # the mirror lacks some configured sections: 404s
    stats = wardnews("stats", "--db", str(db), cwd=tmp_path)
    assert stats.returncode == 0 and stats.stdout.startswith(
        f"articles: {len(mirror.portal.expected_articles())}"
    )
    export = wardnews("export", "--db", str(db), cwd=tmp_path)
    assert export.returncode == 0 and export.stdout.count("\n") == len(mirror.portal.expected_articles())
    assert sorted(p.name for p in db.parent.iterdir() if p.suffix == ".db") == ["wardnews#?.db"]


@pytest.mark.parametrize(
    ("override", "needle"),
    [
        ("DOWNLOAD_DELAYY=1", "unknown setting"),
        ("FOO=1", "unknown setting"),
        ("DOWNLOAD_DELAY=soon", "DOWNLOAD_DELAY takes a number"),
        ("CONCURRENT_REQUESTS=2.5", "CONCURRENT_REQUESTS takes a whole number"),
        ("ROBOTSTXT_OBEY=maybe", "ROBOTSTXT_OBEY takes 0, 1, true or false"),
        ("WARDNEWS_BATCH_SIZE=lots", "WARDNEWS_BATCH_SIZE takes a whole number"),
        ("WARDNEWS_BUSY_TIMEOUT=long", "WARDNEWS_BUSY_TIMEOUT takes a number"),
        ("ITEM_PIPELINES=[1, 2]", "takes a JSON object"),
        ("DOWNLOAD_DELAY", "-s takes NAME=VALUE"),
        ("=1", "-s takes NAME=VALUE"),
    ],
)
def test_unknown_or_malformed_settings_are_refused(override, needle):
    with pytest.raises(SettingError, match=re.escape(needle)):
        parse_override(override)


@pytest.mark.parametrize(
    "override",
    ["DOWNLOAD_DELAY=0.5", "DOWNLOAD_TIMEOUT=7", "AUTOTHROTTLE_ENABLED=false", "CONCURRENT_REQUESTS=4",
     "ITEM_PIPELINES={}", "WARDNEWS_ANYTHING_ELSE=x", "LOG_LEVEL=DEBUG", "WARDNEWS_PRIVATE_HOSTS=a:1,b:2"],
)  # fmt: skip
def test_known_settings_are_accepted(override):
    name, value = parse_override(override)
    assert f"{name}={value}" == override


@pytest.mark.parametrize(
    ("command", "override"),
    [("crawl", "DOWNLOAD_DELAYY=1"), ("fetch", "DOWNLOAD_DELAY"), ("crawl", "RETRY_TIMES=x")],
)
def test_a_bad_setting_is_a_usage_error_before_anything_else(tmp_path, command, override):
    args = ["https://laodongthudo.vn/a-203248.html"] if command == "fetch" else []
    result = wardnews(command, *args, "--db", str(tmp_path / "w.db"), "-s", override, cwd=tmp_path)
    one_sentence(result, EXIT_USAGE, "-s")
    assert not (tmp_path / "w.db").exists()


def test_known_settings_of_every_kind_are_accepted(mirror, tmp_path):
    result = wardnews(
        "crawl", "--db", str(tmp_path / "w.db"), "--base-url", mirror.base_url,
        "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false", "-s", "DOWNLOAD_TIMEOUT=7.5",
        "-s", "CONCURRENT_REQUESTS=4", "-s", "WARDNEWS_NOT_A_KNOB_BUT_OURS=1", "-s", "LOG_LEVEL=DEBUG",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode in (0, 4), result.stderr


@pytest.mark.parametrize("value", ["yesterday", "2025-13-01T00:00:00", "22/12/2025 15:30"])
def test_a_bad_fetched_at_is_a_usage_error(value):
    url = "https://laodongthudo.vn/phuong-tay-tuu-xay-dung-nen-tang-203248.html"
    one_sentence(
        wardnews("parse", str(FIXTURE), "--url", url, "--fetched-at", value), EXIT_USAGE, "--fetched-at"
    )


def test_serve_on_a_port_in_use_says_so(tmp_path):
    db = tmp_path / "w.db"
    Store(db).close()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = wardnews("serve", "--db", str(db), "--port", str(port), cwd=tmp_path)
    one_sentence(result, EXIT_USAGE, f"cannot serve on 127.0.0.1:{port}")


def test_a_database_locked_longer_than_the_busy_timeout_is_one_sentence(tmp_path):
    db = tmp_path / "w.db"
    Store(db).close()
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = wardnews("retag", "--db", str(db), "--busy-timeout", "0.2", cwd=tmp_path)
    finally:
        holder.rollback()
        holder.close()
    one_sentence(result, EXIT_FAILED, "stayed locked by another writer for 0.2 s", "--busy-timeout")
