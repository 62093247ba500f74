"""Sitemaps and RSS feeds read into entries (wardnews.extract.feeds)."""

from __future__ import annotations

import gzip
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from wardnews.dates import VN_TZ
from wardnews.extract.feeds import RSS, SITEMAP_INDEX, URLSET, feed_time, read_feed

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
NOW = datetime(2025, 12, 23, 8, 0, tzinfo=VN_TZ)
SEED = "https://laodongthudo.vn/phuong-tay-tuu-xay-dung-nen-tang-vung-chac-quyet-tam-but-pha-trong-nam-2026-203248.html"


def _read(name: str, url: str, *, gzipped: bool = False):
    body = (FEEDS / name).read_bytes()
    return read_feed(gzip.compress(body) if gzipped else body, url, NOW)


def test_a_sitemap_index_lists_its_sitemaps_with_absolute_urls():
    feed = _read("sitemap_index.xml", "https://laodongthudo.vn/sitemap.xml")
    assert feed.kind == SITEMAP_INDEX
    assert [e.url for e in feed.entries] == [
        "https://laodongthudo.vn/sitemaps/news-2025-12.xml",
        "https://laodongthudo.vn/sitemaps/news-2025-11.xml",
        "https://laodongthudo.vn/sitemaps/categories.xml",
    ]
    assert feed.entries[0].published == datetime(2025, 12, 22, 15, 30, 12, tzinfo=VN_TZ)
    assert feed.entries[2].published is None
    assert feed.newest_first()[0].url.endswith("news-2025-12.xml")


@pytest.mark.parametrize("gzipped", [False, True])
def test_a_news_sitemap_gives_each_article_and_its_date(gzipped):
    feed = _read("news_sitemap.xml", "https://laodongthudo.vn/sitemaps/news-2025-12.xml", gzipped=gzipped)
    assert feed.kind == URLSET
    assert [e.url for e in feed.entries] == [
        SEED,
        "https://laodongthudo.vn/phuong-tay-mo-tong-ket-cong-tac-nam-2025-203201.html",
    ]
    assert feed.entries[0].published == datetime(2025, 12, 22, 15, 30, tzinfo=VN_TZ)
    assert feed.entries[1].published == datetime(2025, 12, 21, tzinfo=VN_TZ)  # a bare day: its midnight
    assert feed.is_fresh(NOW, timedelta(days=2))
    assert not feed.is_fresh(NOW + timedelta(days=30), timedelta(days=2))


def test_an_rss_feed_gives_links_and_pubdates_in_hanoi_time():
    feed = _read("home.rss", "https://laodongthudo.vn/rss/home.rss")
    assert feed.kind == RSS
    assert [e.url for e in feed.entries] == [
        SEED,
        "https://laodongthudo.vn/mttq-phuong-yen-nghia-phat-huy-vai-tro-nong-cot-203190.html",
    ]
    assert feed.entries[1].published == datetime(2025, 12, 21, 8, 5, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><body>Trang kh\xc3\xb4ng t\xe1\xbb\x93n t\xe1\xba\xa1i</body></html>",
        b"\x1f\x8bnot gzip",
        b"User-agent: *",
    ],
)
def test_what_is_no_feed_gives_none_or_an_empty_feed(body):
    feed = read_feed(body, "https://laodongthudo.vn/sitemap.xml", NOW)
    assert feed is None or feed.entries == []


def test_feed_times_never_lie_in_the_future():
    assert feed_time("Tue, 23 Dec 2025 09:00:00 +0700", NOW) is None
    assert feed_time("2025-12-22T08:00:00Z", NOW) == datetime(2025, 12, 22, 15, 0, tzinfo=VN_TZ)
    assert feed_time("", NOW) is None
