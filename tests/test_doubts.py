"""Doubtful pages: what counts as cut short, the retry back-off, the policy, reparse recovering refusals."""

from __future__ import annotations

from datetime import datetime, timedelta

from wardnews.dates import VN_TZ
from wardnews.doubts import UsualSize, due_before, is_error_page_refusal, next_try, truncation
from wardnews.incremental import CrawlPolicy

WHOLE = b"<!DOCTYPE html><html><body><p>x</p></body></html>\n"
NOW = datetime(2026, 1, 10, 2, 17, tzinfo=VN_TZ)


def test_a_document_without_its_end_is_cut_short_with_or_without_content_length():
    cut = WHOLE[:30]
    assert "Content-Length met" in truncation(cut, {"Content-Length": [str(len(cut))]}, None)
    assert "no Content-Length" in truncation(cut, {}, None)
    assert "announced" in truncation(cut, {"Content-Length": ["999"]}, None)
    assert truncation(WHOLE, {"Content-Length": [str(len(WHOLE))]}, None) is None


def test_a_page_far_smaller_than_the_usual_one_of_its_kind_is_doubtful():
    usual = UsualSize([("article", 20_000)] * 20)
    assert usual.value("long_read") is None  # another template: not compared
    assert truncation(WHOLE, {}, usual.value("article")).startswith(f"{len(WHOLE)} bytes")
    assert UsualSize([("article", 20_000)] * 19).value("article") is None  # too few to trust


def test_the_back_off_is_the_next_run_then_1_2_4_days_at_most_30():
    waits = [(next_try(n, NOW) - NOW).days for n in range(1, 9)]
    assert waits == [0, 1, 2, 4, 8, 16, 30, 30]
    # A run starting a little earlier the next night still counts the page as due.
    assert next_try(2, NOW) <= due_before(NOW + timedelta(days=1) - timedelta(hours=1))


def test_only_the_portal_error_page_is_a_fact():
    assert is_error_page_refusal("error page titled 'Trang không tồn tại'")
    assert not is_error_page_refusal("og:type is 'website'")
    assert not is_error_page_refusal(None)


class Known:
    def __init__(self, due=(), waiting=()):
        self.due, self.waiting = set(due), set(waiting)

    def known_since(self, url, key):
        return "2026-01-01T00:00:00+07:00" if url == "stored" else False

    def recheck_urls(self, since):
        return []

    def gone_urls(self, since):
        return {"gone"}

    def doubtful_urls(self, now):
        return self.due, self.waiting


def test_policy_retries_due_doubts_waits_on_the_others_never_blocks_them_like_404s():
    policy = CrawlPolicy(Known(due={"cut", "stored"}, waiting={"refused"}), "nightly", now=NOW)
    assert policy.article_reason("cut", None) == "retry"
    assert policy.article_reason("stored", None) == "retry"  # stored but cut short: fetched whole again
    assert policy.article_reason("refused", None) is None  # backing off
    assert policy.article_reason("gone", None) is None
    assert policy.recheck_urls() == ["cut", "stored"]
    assert CrawlPolicy(Known(waiting={"refused"}), "full", now=NOW).article_reason("refused", None) == "full"


def test_reparse_turns_a_kept_refusal_into_an_article(tmp_path):
    import json
    from pathlib import Path

    from wardnews.archive import reparse
    from wardnews.items import DoubtfulPage
    from wardnews.raw import RawPage
    from wardnews.store import Store

    fixtures = Path(__file__).resolve().parent / "fixtures" / "laodongthudo"
    spec = json.loads((fixtures / "seed_tay_tuu.json").read_text(encoding="utf-8"))
    page = DoubtfulPage(url=spec["url"], site="laodongthudo", refusal="an older extractor refused it")
    page.raw = RawPage(
        url=spec["url"],
        body=(fixtures / "seed_tay_tuu.html").read_bytes(),
        fetched_at=spec["fetched_at"],
        headers={"Content-Type": ["text/html; charset=utf-8"]},
    )
    with Store(tmp_path / "w.db") as store:
        store.save_doubtful_pages([page], None)
        assert store.db.execute("SELECT error FROM fetch_errors").fetchall() == [("refused",)]
        report = reparse(store)
        assert report.recovered == [spec["url"]]
        assert "1 of 1 refused pages recovered as articles" in report.line()
        (key, raw_pages) = store.db.execute(
            "SELECT article_key, (SELECT count(*) FROM raw_pages) FROM articles"
        ).fetchone()
        assert (key, raw_pages) == ("203248", 1)
        assert store.db.execute("SELECT resolution FROM doubtful_pages").fetchall() == [("reparsed",)]


def test_a_page_whose_end_tag_is_followed_by_a_long_script_is_whole():
    # The end tag is looked for in the page's last few KiB first: a page with more after it
    # than that is read whole before it is called cut short.
    head = b"<html><head><title>T\xe1\xbb\x95 d\xc3\xa2n ph\xe1\xbb\x91</title></head><body>"
    whole = head + b"<p>x</p>" * 2000 + b"</body></html>\n<script>" + b"var a = 1;" * 2000 + b"</script>"
    assert truncation(whole, {}, None) is None
    assert truncation(whole.replace(b"</html>", b""), {}, None).startswith("the document stops")
