"""The portal spider's decisions, on responses built by hand: no engine, no network."""

from __future__ import annotations

import asyncio
from pathlib import Path

import scrapy
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

import wardnews.settings
from spiders.portal import PortalSpider
from wardnews.items import Article, DoubtfulPage, FetchError, Sighting, Sightings
from wardnews.pool import WorkerLost

BASE = "https://laodongthudo.vn"


def spider(**settings):
    """The spider with the project's settings; incremental state off (no database)."""
    project = {name: getattr(wardnews.settings, name) for name in dir(wardnews.settings) if name.isupper()}
    crawler = get_crawler(
        PortalSpider, {**project, "WARDNEWS_INCREMENTAL": False, "WARDNEWS_WORKERS": 0, **settings}
    )
    return PortalSpider.from_crawler(crawler)


def drain(callback_output) -> list:
    """Everything an async callback yields."""

    async def collect():
        return [item async for item in callback_output]

    return asyncio.run(collect())


def requests_to(callback: str, output) -> list[str]:
    """URLs of the requests in ``output`` handled by ``callback``."""
    return [r.url for r in output if isinstance(r, scrapy.Request) and r.callback.__name__ == callback]


def listing(body: str, url: str = f"{BASE}/bon-phuong/dia-phuong", page: int = 1) -> HtmlResponse:
    request = scrapy.Request(url, meta={"page": page})
    return HtmlResponse(url, body=body.encode("utf-8"), encoding="utf-8", request=request)


LISTING = """<html><body>
<div class="list_news">
  <div class="list_news_title"><h2><a href="/phuong-a-200001.html?utm_source=fb">A</a></h2></div>
  <div class="list_news_title"><h2><a href="/Phuong-B-200002.html">B</a></h2></div>
</div>
<div class="sidebar"><a href="/m/phuong-c-200003.html">C</a> <a href="http://[::1/bad-200004.html">bad</a>
  <a href="https://facebook.com/share?u=x-200005.html">share</a> <a href="/tags/phuong-a.html">tag</a></div>
<div class="paging"><a href="?page=2">2</a> <a href="?page=3">3</a> <a href="?page=9">9</a>
  <a href="?page=2">Trang sau</a></div>
</body></html>"""


def test_listing_yields_canonical_article_requests_and_sightings_of_the_variants():
    out = drain(spider(WARDNEWS_MAX_LISTING_PAGES=3).parse_listing(listing(LISTING)))
    requests = [
        r.url for r in out if isinstance(r, scrapy.Request) and r.callback.__name__ == "parse_article"
    ]
    assert requests == [
        f"{BASE}/phuong-a-200001.html",
        f"{BASE}/phuong-b-200002.html",
        f"{BASE}/phuong-c-200003.html",
    ]
    sightings = {s.url: s.canonical_url for s in out if isinstance(s, Sighting)}
    assert sightings == {
        f"{BASE}/phuong-a-200001.html?utm_source=fb": f"{BASE}/phuong-a-200001.html",
        f"{BASE}/Phuong-B-200002.html": f"{BASE}/phuong-b-200002.html",
        f"{BASE}/m/phuong-c-200003.html": f"{BASE}/phuong-c-200003.html",
    }


def test_pagination_stops_at_the_bound():
    out = drain(spider(WARDNEWS_MAX_LISTING_PAGES=3).parse_listing(listing(LISTING)))
    pages = sorted(
        r.url for r in out if isinstance(r, scrapy.Request) and r.callback.__name__ == "parse_listing"
    )
    assert pages == [f"{BASE}/bon-phuong/dia-phuong?page=2", f"{BASE}/bon-phuong/dia-phuong?page=3"]


def test_max_articles_bounds_the_crawl():
    out = drain(spider(WARDNEWS_MAX_ARTICLES=1).parse_listing(listing(LISTING)))
    assert (
        len([r for r in out if isinstance(r, scrapy.Request) and r.callback.__name__ == "parse_article"]) == 1
    )


def test_sections_are_found_from_the_navigation_words():
    home = listing(
        """<html><body><ul class="menu_top">
        <li><a href="/xa-phuong">Xã - Phường</a></li><li><a href="/giai-tri">Giải trí</a></li>
        <li><a href="https://other.vn/dia-phuong">Địa phương</a></li></ul></body></html>""",
        url=f"{BASE}/",
    )
    home.meta["discover"] = True
    out = drain(spider().parse_listing(home))
    assert [r.url for r in out if isinstance(r, scrapy.Request)] == [f"{BASE}/xa-phuong"]


def test_a_link_seen_beyond_the_depth_bound_is_still_fetched_when_a_listing_shows_it():
    # An article page at the depth bound sights its links without following them; the same
    # URL met again from a listing (hops 0) must be fetched: sighted is not scheduled.
    crawl = spider(WARDNEWS_MAX_LISTING_PAGES=1)
    variant = f"{BASE}/phuong-a-200001.html?utm_source=fb"
    list(crawl.sight(variant, f"{BASE}/phuong-a-200001.html"))
    list(crawl.sight(f"{BASE}/phuong-b-200002.html", f"{BASE}/phuong-b-200002.html"))
    out = drain(crawl.parse_listing(listing(LISTING)))
    assert requests_to("parse_article", out) == [
        f"{BASE}/phuong-a-200001.html",
        f"{BASE}/phuong-b-200002.html",
        f"{BASE}/phuong-c-200003.html",
    ]


class DyingPool:
    """An extraction pool whose every worker dies on the page it is given."""

    def __init__(self):
        self.calls = 0

    async def call(self, function, *args, **kwargs):
        self.calls += 1
        raise WorkerLost("an extraction worker died while reading a page")


def test_an_article_whose_worker_dies_twice_is_kept_raw_as_a_doubt():
    crawl = spider()
    crawl.pool = DyingPool()
    url = f"{BASE}/phuong-a-200001.html"
    request = scrapy.Request(url, meta={"frontier_url": url})
    response = HtmlResponse(url, body=b"<html><body><h1>A</h1></body></html>", request=request)
    out = drain(crawl.parse_article(response))
    assert crawl.pool.calls == 2  # tried on a second worker first
    (doubt,) = out
    assert isinstance(doubt, DoubtfulPage) and doubt.url == url
    assert "worker died" in doubt.refusal and doubt.raw.body == response.body


def test_a_listing_whose_worker_dies_twice_is_a_fetch_error_not_a_crash():
    crawl = spider()
    crawl.pool = DyingPool()
    (error,) = drain(crawl.parse_listing(listing(LISTING)))
    assert isinstance(error, FetchError) and error.error == "extraction_worker_died"


def test_an_article_pages_sightings_come_as_one_item_after_the_article():
    fixtures = Path(__file__).resolve().parent / "fixtures" / "laodongthudo"
    page = (fixtures / "seed_tay_tuu.html").read_bytes()
    at = page.find(b"</p>", page.find(b'class="detail_info"'))
    variants = (
        b' <a href="/xa-phuong/phuong-b-200002.html?utm_source=fb">B</a>'
        b' <a href="https://m.laodongthudo.vn/phuong-c-200003.html">C</a>'
    )
    page = page[:at] + variants + page[at:]
    url = "https://laodongthudo.vn/phuong-tay-tuu-xay-dung-nen-tang-vung-chac-quyet-tam-but-pha-trong-nam-2026-203248.html"
    request = scrapy.Request(url, meta={"frontier_url": url, "hops": 0})
    out = drain(spider().parse_article(HtmlResponse(url, body=page, request=request)))
    assert not [o for o in out if isinstance(o, Sighting)]
    kinds = [type(o) for o in out if not isinstance(o, scrapy.Request)]
    assert kinds == [Article, Sightings]
    (bundle,) = [o for o in out if isinstance(o, Sightings)]
    seen = {s.url: s.canonical_url for s in bundle.sightings}
    assert seen[f"{BASE}/xa-phuong/phuong-b-200002.html?utm_source=fb"] == f"{BASE}/phuong-b-200002.html"
    assert seen["https://m.laodongthudo.vn/phuong-c-200003.html"] == f"{BASE}/phuong-c-200003.html"
    followed = set(requests_to("parse_article", out))
    assert {f"{BASE}/phuong-b-200002.html", f"{BASE}/phuong-c-200003.html"} <= followed


def test_a_meta_refresh_is_found_where_scrapy_reads_one_and_only_there():
    # Scrapy's get_meta_refresh reads a page's first 4,096 characters; the spider's byte
    # search looks as far as they can reach (4 bytes a character), so it misses none of them.
    spider_ = spider()
    url = BASE + "/chuyen-huong-198006.html"
    refresh = f'<meta http-equiv="refresh" content="0; url={BASE}/bai-moi-198007.html">'

    def page(before: str) -> HtmlResponse:
        html = f"<html><head><title>{before}</title>{refresh}</head><body></body></html>"
        return HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8")

    near = page("Phường Tây Tựu " + "ệ" * 3900)  # about 11,700 bytes before the refresh: 3,900 characters
    assert spider_.meta_refresh(near) == BASE + "/bai-moi-198007.html"
    far = page("x" * 20_000)  # past Scrapy's 4,096 characters: not a refresh for Scrapy either
    assert spider_.meta_refresh(far) is None
    shouted = f'<META HTTP-EQUIV="Refresh" CONTENT="0; URL={BASE}/bai-moi-198007.html">'
    loud = HtmlResponse(url, body=f"<html><head>{shouted}</head></html>".encode(), encoding="utf-8")
    assert spider_.meta_refresh(loud) == BASE + "/bai-moi-198007.html"  # any case, as Scrapy reads it


def test_the_pool_runs_at_the_configured_niceness():
    from wardnews.pool import DEFAULT_NICENESS

    assert spider().pool.niceness == DEFAULT_NICENESS == 19
    assert spider(WARDNEWS_WORKER_NICENESS=0).pool.niceness == 0
