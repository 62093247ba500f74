"""``wardnews export``: content of both formats, filters, and memory that stays flat."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from wardnews.cli import main
from wardnews.research.export import COLUMNS
from wardnews.store import Store

from .research_fixtures import CHO_URL, HOA_XA_URL, MINH_KHAI_URL, SEED_URL


def export(db, *args) -> str:
    result = CliRunner().invoke(main, ["export", "--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_jsonl_one_object_per_article_with_figures_authors_units(research_db):
    lines = export(research_db, "--format", "jsonl").splitlines()
    rows = [json.loads(line) for line in lines]
    assert [r["url"] for r in rows] == [SEED_URL, HOA_XA_URL, CHO_URL, MINH_KHAI_URL]
    assert all(list(r) == list(COLUMNS) for r in rows)
    seed = rows[0]
    assert seed["title"].startswith("Phường Tây Tựu:")
    assert seed["authors"] == ["Lê Thắm"]
    assert seed["tags"] == ["phường Tây Tựu", "tổng kết năm 2025"]
    assert [f["position"] for f in seed["figures"]] == [0, 1, 2, 3, 4]
    assert seed["figures"][0]["caption"] == "Bí thư Đảng ủy phường Tây Tựu phát biểu tại hội nghị."
    assert seed["units"][0] == {
        "unit": "Tây Tựu",
        "unit_type": "phường",
        "mentions": 14,
        "in_title": True,
        "via_former": None,
        "former_split": False,
    }
    assert seed["extraction"]["title"] == "site"
    assert rows[1]["figures"] == [] and rows[1]["units"][0]["unit"] == "Hòa Xá"


def test_csv_has_a_header_and_json_cells(research_db):
    text = export(research_db, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == 4
    cho = rows[2]
    assert cho["title"] == "Chợ phường Đống Đa tấp nập bán hàng Tết"
    assert json.loads(cho["authors"]) == ["Minh Thu"]
    assert json.loads(cho["figures"])[0]["caption"] == "Tiểu thương chợ phường Đống Đa bán hàng."
    assert {u["unit"] for u in json.loads(cho["units"])} == {"Đống Đa", "Tây Tựu"}
    assert "\n\n" in cho["body"]  # paragraphs survive inside the quoted cell


def test_filters_by_unit_and_date_and_writes_utf8_files(research_db, tmp_path):
    out = tmp_path / "x.jsonl"
    export(research_db, "--unit", "Hòa Xá", "--out", str(out))
    assert [json.loads(line)["url"] for line in out.read_text(encoding="utf-8").splitlines()] == [HOA_XA_URL]
    assert "Hòa Xá".encode() in out.read_bytes()  # raw UTF-8, not \\u escapes
    # Decomposed input (NFD) names the same unit.
    nfd = "Ho\u0300a Xa\u0301"
    assert len(export(research_db, "--unit", nfd).splitlines()) == 1
    urls = [json.loads(line)["url"] for line in export(research_db, "--since", "2025-12-01").splitlines()]
    assert urls == [SEED_URL, CHO_URL]
    both = export(research_db, "--since", "2025-12-01", "--unit", "Tây Tựu", "--format", "csv")
    assert [r["url"] for r in csv.DictReader(io.StringIO(both))] == [SEED_URL, CHO_URL]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "Tay Tuu"], "no ward or commune named"),
        (["--since", "22/12/2025"], "--since wants a date"),
    ],
)
def test_bad_filters_are_usage_errors(research_db, args, message):
    result = CliRunner().invoke(main, ["export", "--db", str(research_db), *args])
    assert result.exit_code == 2
    assert message in result.output


# --- memory -----------------------------------------------------------------------------

BODY = " ".join(["Hội nghị tổng kết công tác năm 2025 của phường Tây Tựu diễn ra tại hội trường."] * 24)


def generated_db(path: Path, n: int) -> Path:
    """``n`` small articles (about 2 kB each, one figure, one unit), written in bulk."""
    with Store(path) as store, store.transaction():
        store.db["articles"].insert_all(
            {
                "id": i,
                "url": f"https://laodongthudo.vn/bai-{i}.html",
                "title": f"Phường Tây Tựu: bài số {i}",
                "sapo": "Tóm tắt.",
                "body": BODY,
                "authors": '["Lê Thắm"]',
                "tags": "[]",
                "extraction": '{"title": "site"}',
                "published_at": f"2025-{1 + i % 12:02d}-15T08:00:00+07:00",
                "first_seen_at": "2025-12-23T08:00:00+07:00",
                "last_seen_at": "2025-12-23T08:00:00+07:00",
            }
            for i in range(1, n + 1)
        )
        store.db["figures"].insert_all(
            {
                "article_id": i,
                "position": 0,
                "image_url": f"https://laodongthudo.vn/{i}.jpg",
                "caption": "Ảnh",
            }
            for i in range(1, n + 1)
        )
        store.db["article_units"].insert_all(
            {"article_id": i, "unit": "Tây Tựu", "unit_type": "phường", "mentions": 1, "in_title": 1}
            for i in range(1, n + 1)
        )
    return path


MEASURE = """
import resource, sys
from wardnews.cli import main
main(sys.argv[1:], standalone_mode=False)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def peak_rss_kib(db: Path, fmt: str, out: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, "export", "--db", str(db), "--format", fmt, "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return int(done.stderr.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def small_and_large(tmp_path_factory):
    base = tmp_path_factory.mktemp("memory")
    return generated_db(base / "small.db", 2_000), generated_db(base / "large.db", 20_000)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_memory_stays_flat_on_ten_times_the_articles(small_and_large, tmp_path, fmt):
    small, large = small_and_large
    small_rss = peak_rss_kib(small, fmt, tmp_path / f"small.{fmt}")
    large_out = tmp_path / f"large.{fmt}"
    large_rss = peak_rss_kib(large, fmt, large_out)
    assert large_out.stat().st_size > 40_000_000  # 20,000 articles of ~2 kB went through
    # Loading the rows instead of streaming them would add ~40 MB or more to the large run.
    assert large_rss / small_rss < 1.15, (small_rss, large_rss)


# --- captions and WARC ------------------------------------------------------------------


def test_captions_are_a_list_in_both_formats(research_db):
    rows = [json.loads(line) for line in export(research_db, "--format", "jsonl").splitlines()]
    seed, hoa_xa, cho = rows[0], rows[1], rows[2]
    assert seed["captions"] == [f["caption"] for f in seed["figures"] if f["caption"]]
    assert seed["captions"][0] == "Bí thư Đảng ủy phường Tây Tựu phát biểu tại hội nghị."
    assert hoa_xa["captions"] == []
    csv_rows = list(csv.DictReader(io.StringIO(export(research_db, "--format", "csv"))))
    assert (
        json.loads(csv_rows[2]["captions"]) == cho["captions"] == ["Tiểu thương chợ phường Đống Đa bán hàng."]
    )


def test_fetch_prints_captions_as_a_field():
    from conftest import fixture_article

    data = fixture_article("laodongthudo/seed_tay_tuu").to_dict()
    assert data["captions"] == [f["caption"] for f in data["figures"] if f["caption"]]
    assert len(data["captions"]) >= 2


@pytest.fixture(scope="module")
def raw_db(tmp_path_factory):
    """Two stored fetches: one plain, one gzipped on the wire and reached through a redirect."""
    from wardnews.raw import RawPage
    from wardnews.store import Store

    from .research_fixtures import generated_articles, seed_article

    db = tmp_path_factory.mktemp("warc") / "w.db"
    seed, hoa_xa = seed_article(), generated_articles()[0]
    seed.raw = RawPage(
        url=SEED_URL,
        body="<html>Phường Tây Tựu</html>".encode(),
        fetched_at="2025-12-23T08:00:00+07:00",
        headers={"Content-Type": ["text/html; charset=utf-8"], "Server": ["nginx"]},
    )
    hoa_xa.raw = RawPage(
        url=HOA_XA_URL,
        request_url=HOA_XA_URL.replace("-203300", "-cu-203300"),
        body="<html>Xã Hòa Xá</html>".encode(),
        fetched_at="2025-12-23T08:05:30+07:00",
        headers={"Content-Type": ["text/html"], "Content-Encoding": ["gzip"], "Content-Length": ["31"]},
    )
    with Store(db) as store:
        pairs = list(zip([seed, hoa_xa], store.save_articles([seed, hoa_xa]), strict=True))
        store.save_raw_pages(pairs)
    return db


def read_warc(path):
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as stream:
        return [
            (r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
            for r in ArchiveIterator(stream)
        ]


@pytest.mark.parametrize("name", ["pages.warc.gz", "pages.warc"])
def test_warc_holds_each_stored_page_as_fetched(raw_db, tmp_path, name):
    out = tmp_path / name
    result = CliRunner().invoke(main, ["export", "--db", str(raw_db), "--format", "warc", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "exported 2 pages" in result.output
    assert out.read_bytes()[:2] == (b"\x1f\x8b" if name.endswith(".gz") else b"WA")
    records = read_warc(out)
    assert [r[0] for r in records] == ["warcinfo", "response", "metadata", "response", "metadata"]
    _, seed_headers, seed_http, seed_body = records[1]
    assert seed_headers.get_header("WARC-Target-URI") == SEED_URL
    assert seed_headers.get_header("WARC-Date") == "2025-12-23T01:00:00Z"  # 08:00 in Hà Nội
    assert seed_http.statusline == "200 OK" and seed_http.protocol == "HTTP/1.1"
    assert seed_http.get_header("Server") == "nginx"
    assert seed_body == "<html>Phường Tây Tựu</html>".encode()
    assert seed_http.get_header("Content-Length") == str(len(seed_body))
    _, hoa_headers, hoa_http, hoa_body = records[3]
    assert hoa_headers.get_header("WARC-Target-URI") == HOA_XA_URL
    assert hoa_headers.get_header("WARC-Date") == "2025-12-23T01:05:30Z"
    # The body is stored decoded: no Content-Encoding a replay tool would try to undo.
    assert hoa_http.get_header("Content-Encoding") is None
    assert hoa_http.get_header("X-Archive-Orig-Content-Encoding") == "gzip"
    assert hoa_http.get_header("X-Archive-Orig-Content-Length") == "31"
    assert hoa_http.get_header("Content-Length") == str(len(hoa_body))
    _, meta_headers, _, meta = records[4]
    assert meta_headers.get_header("WARC-Concurrent-To") == hoa_headers.get_header("WARC-Record-ID")
    assert f"via: {HOA_XA_URL.replace('-203300', '-cu-203300')}" in meta.decode()


def test_warc_filters_by_unit(raw_db, tmp_path):
    out = tmp_path / "hoa.warc.gz"
    args = ["export", "--db", str(raw_db), "--format", "warc", "--unit", "Hòa Xá", "--out", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    targets = [r[1].get_header("WARC-Target-URI") for r in read_warc(out) if r[0] == "response"]
    assert targets == [HOA_XA_URL]
