"""The ``wardnews`` command on bad input, a dead network and saved pages. No test touches the internet."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from wardnews import network
from wardnews.runs import EXIT_FAILED, EXIT_USAGE

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = FIXTURES / "laodongthudo" / "seed_tay_tuu.html"
SEED_URL = json.loads(SEED.with_suffix(".json").read_text())["url"]


def wardnews(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "wardnews", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    "args",
    [
        ["fetch", "ftp://laodongthudo.vn/a-203248.html"],
        ["fetch", "https://example.com/a-203248.html"],
        ["parse", str(SEED), "--url", "https://example.com/a-1.html"],
        ["crawl", "--start-url", "https://example.com/"],
        ["crawl", "--base-url", "not-a-url"],
    ],
)
def test_bad_urls_get_one_sentence_and_status_2(args, tmp_path):
    result = wardnews(*args, "--db", str(tmp_path / "w.db")) if args[0] != "parse" else wardnews(*args)
    assert result.returncode == EXIT_USAGE, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("wardnews: ")
    assert not (tmp_path / "w.db").exists()


def test_dead_network_fails_fast_and_leaves_the_database_as_it_was(tmp_path):
    db = tmp_path / "w.db"
    db.write_bytes(b"")  # an existing file must be left byte for byte
    before = db.read_bytes()
    result = wardnews("crawl", "--db", str(db), "--base-url", f"http://127.0.0.1:{closed_port()}")
    assert result.returncode == EXIT_FAILED
    assert "cannot reach 127.0.0.1" in result.stderr and result.stderr.count("\n") == 1
    assert db.read_bytes() == before
    assert not Path(f"{db}.lock").exists()


def test_unresolvable_host_is_reported_in_one_sentence(monkeypatch):
    def no_dns(*args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(network.socket, "getaddrinfo", no_dns)
    with pytest.raises(network.Unreachable, match="its name does not resolve"):
        network.check_reachable("https://laodongthudo.vn/")


def test_parse_prints_the_article_as_json():
    result = wardnews("parse", str(SEED), "--url", SEED_URL, "--fetched-at", "2025-12-23T08:00:00+07:00")
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert article["article_key"] == "203248" and article["byline"] == "Lê Thắm"
    assert article["published_at"] == "2025-12-22T20:15:00+07:00"


def test_parse_of_a_page_that_is_not_an_article_says_why(tmp_path):
    page = tmp_path / "listing.html"
    page.write_text(
        "<html><body><h1>Thời sự</h1>" + "<h3><a href='/a-123456.html'>Tin</a></h3>" * 20 + "</body></html>",
        encoding="utf-8",
    )
    result = wardnews("parse", str(page), "--url", "https://laodongthudo.vn/thoi-su")
    assert result.returncode == EXIT_FAILED
    assert "is not an article page" in result.stderr


def test_parse_any_site_uses_metadata_and_heuristics(tmp_path):
    result = wardnews("parse", str(SEED), "--url", "https://example.com/story-203248.html", "--any-site")
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert article["site"] is None and article["title"].startswith("Phường Tây Tựu")
    assert "site" not in article["extraction"].values()


def test_every_command_has_an_example_in_its_help():
    from wardnews.cli import main

    for name, command in main.commands.items():
        assert "Example" in (command.help or ""), f"`wardnews {name}` has no example in its help"
