"""The nightly crawl: section listings (with pagination) and each article's related-link blocks.

This spider only decides what to fetch next. Article pages are known by
their URL's shape (``<slug>-<id>.html``), so a new listing layout does not
blind it; the site profile's listing selectors only put the surest links first.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from spiders.common import (
    article_from_response,
    fetch_error_from_failure,
    redirect_sightings,
    site_from_args,
)
from wardnews.incremental import ARTICLE, LISTING, CrawlPolicy, StoreCrawlState
from wardnews.items import FetchError, Sighting
from wardnews.urls import article_key, canonicalize, is_article_url, join_url

_NEXT_TEXT_RE = re.compile(r"^(trang sau|tiếp|sau|xem tiếp|next|»|›|>>?)$", re.IGNORECASE)
_PAGE_NUMBER_RES = (
    re.compile(r"[?&](?:page|p|trang)=(\d+)", re.I),
    re.compile(r"/(?:p|page|trang)[-/]?(\d+)(?:\.html?)?/?$", re.I),
)


def page_number(url: str) -> int | None:
    """The listing page a URL points to (``?page=3``, ``/p3``, ``/trang-3``), if it says."""
    for pattern in _PAGE_NUMBER_RES:
        match = pattern.search(url)
        if match:
            return int(match.group(1))
    return None


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(
        self,
        base_url=None,
        start_urls=None,
        site=None,
        max_listing_pages=None,
        max_articles=None,
        max_depth=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.site = site_from_args(site, base_url)
        if isinstance(start_urls, str):
            start_urls = [u for u in re.split(r"[\s,]+", start_urls) if u]
        self.start_urls = list(start_urls or self.site.start_urls())
        # Given start URLs replace the configured sections: their navigation is not searched for more.
        self.discover_sections = not start_urls
        self._limits = (max_listing_pages, max_articles, max_depth)
        self.scheduled_articles: set[str] = set()
        self.scheduled_listings: set[str] = set()
        self.sighted: set[str] = set()
        self.skipped_articles: set[str] = set()  # stored and not due: not fetched this run
        self.state: StoreCrawlState | None = None  # known articles and the frontier (issue 4)
        self.policy: CrawlPolicy | None = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        pages, articles, depth = spider._limits
        spider.max_listing_pages = int(pages or settings.getint("WARDNEWS_MAX_LISTING_PAGES"))
        spider.max_articles = int(articles or settings.getint("WARDNEWS_MAX_ARTICLES"))
        spider.max_depth = int(depth if depth is not None else settings.getint("WARDNEWS_MAX_DEPTH"))
        spider.mode = settings.get("WARDNEWS_MODE", "nightly")
        spider.recheck_days = settings.getfloat("WARDNEWS_RECHECK_DAYS", 3.0)
        spider.gone_days = settings.getfloat("WARDNEWS_GONE_DAYS", 30.0)
        incremental = settings.getbool("WARDNEWS_INCREMENTAL", True)
        spider.db_path = settings.get("WARDNEWS_DB") if incremental else None
        return spider

    # -- the run's memory: what is stored, what is left to fetch (wardnews.incremental) --
    def open_state(self) -> None:
        if self.state is not None or not getattr(self, "db_path", None):
            return
        self.state = StoreCrawlState(self.db_path, self.site.key)
        self.policy = CrawlPolicy(self.state, self.mode, self.recheck_days, self.gone_days)

    def remember(self, url: str, kind: str, **entry) -> None:
        if self.state is not None:
            self.state.run_id = self.state.run_id or self.crawler.stats.get_value("wardnews/run_id")
            self.state.add(url, kind, **entry)

    def forget(self, request) -> None:
        if self.state is not None and request is not None:
            self.state.done([request.meta.get("frontier_url", request.url)])

    def closed(self, reason):
        if self.state is not None:
            if reason == "finished":
                self.state.clear()  # every entry was fetched; a killed run never gets here
            self.state.close()

    def resumed(self):
        """Requests for what a killed run left on the frontier."""
        for entry in self.state.pending() if self.state is not None else []:
            self.crawler.stats.inc_value("wardnews/frontier/resumed")
            if entry["kind"] == LISTING:
                request = self.listing_request(
                    entry["url"], page=entry["page"] or 1, discover=entry["reason"] == "start"
                )
                if request is not None:
                    yield request
            else:
                yield from self.follow_article(entry["url"], hops=entry["hops"] or 0)

    async def start(self):
        self.open_state()
        for item in self.resumed():
            yield item
        for url in self.policy.recheck_urls() if self.policy is not None else []:
            for item in self.follow_article(url, hops=0):
                yield item
        for url in self.start_urls:
            if is_article_url(canonicalize(url, self.site), self.site):
                for item in self.follow_article(url, hops=0):
                    yield item
            else:
                request = self.listing_request(url, page=1, discover=self.discover_sections)
                if request is not None:
                    yield request

    # -- what to fetch ---------------------------------------------------------------
    def listing_request(self, url: str, page: int, discover: bool = False):
        canonical = canonicalize(url, self.site)
        if canonical in self.scheduled_listings or not self.site.owns(canonical):
            return None
        if any(p.search(urlsplit(canonical).path) for p in self.site.skip_path_res):
            return None
        if self.policy is not None and not self.policy.fetch_listing(canonical):
            return None  # failed for good lately (404, 410)
        self.scheduled_listings.add(canonical)
        self.remember(canonical, LISTING, page=page, reason="start" if discover else "")
        return scrapy.Request(
            canonical,
            callback=self.parse_listing,
            errback=self.on_error,
            meta={"page": page, "discover": discover, "frontier_url": canonical},
            priority=10,
        )

    def follow_article(self, url: str, hops: int):
        """A request for the article at ``url`` (once, within bounds) and a sighting of its URL."""
        canonical = canonicalize(url, self.site)
        if not is_article_url(canonical, self.site):
            return
        if url != canonical and url not in self.sighted:
            self.sighted.add(url)
            yield Sighting(
                url=url,
                canonical_url=canonical,
                article_key=article_key(canonical, self.site),
                site=self.site.key,
            )
        if canonical in self.scheduled_articles or len(self.scheduled_articles) >= self.max_articles:
            return
        if canonical in self.skipped_articles:
            return
        reason = "new"
        if self.policy is not None:
            reason = self.policy.article_reason(canonical, article_key(canonical, self.site))
            if reason is None:  # stored and not due for a re-check, or gone
                self.skipped_articles.add(canonical)
                self.crawler.stats.inc_value("wardnews/articles/skipped")
                return
        self.scheduled_articles.add(canonical)
        self.remember(canonical, ARTICLE, hops=hops, reason=reason)
        yield scrapy.Request(
            canonical,
            callback=self.parse_article,
            errback=self.on_error,
            meta={"hops": hops, "frontier_url": canonical, "reason": reason},
        )

    # -- callbacks -------------------------------------------------------------------
    def parse_listing(self, response):
        if not isinstance(response, TextResponse):
            return
        page = response.meta.get("page", 1)
        hrefs = []
        for css in self.site.listing_link_selectors:
            hrefs += response.css(css).getall()
        listed = len(hrefs)  # the first ones come from the listing selectors
        hrefs += response.css("a::attr(href)").getall()
        articles = []
        for i, href in enumerate(hrefs):
            url = join_url(response.url, href)
            if url and self.site.owns(url):
                canonical = canonicalize(url, self.site)
                if is_article_url(canonical, self.site) and (i < listed or not listed):
                    articles.append((canonical, article_key(canonical, self.site)))
                yield from self.follow_article(url, hops=0)
        # Nightly: stop paginating at the first page whose articles are all stored. Near
        # that boundary (some stored, some not) walk one page at a time; before it, fan out.
        if self.policy is None or self.policy.paginate(articles):
            near = self.policy is not None and self.policy.near_stored(articles)
            yield from self.next_pages(response, page, only_next=near)
        if response.meta.get("discover"):
            yield from self.sections(response)
        self.forget(response.request)

    def next_pages(self, response, page: int, only_next: bool = False):
        """Requests for further listing pages; with ``only_next``, the next one alone (nightly walk)."""
        candidates = []
        for css in self.site.pagination_selectors:
            candidates += [(href, None) for href in response.css(css).getall()]
        for anchor in response.css("a[href]"):
            text = " ".join(anchor.css("::text").getall()).strip()
            rel = anchor.root.get("rel") or ""  # not .attrib: it fails on malformed attribute names
            if "next" in rel or _NEXT_TEXT_RE.match(text) or text.isdigit():
                candidates.append((anchor.root.get("href"), text))
        section_path = urlsplit(response.url).path.rstrip("/")
        for href, text in candidates:
            url = join_url(response.url, href or "")
            if not url or not self.site.owns(url) or is_article_url(canonicalize(url, self.site), self.site):
                continue
            if not urlsplit(url).path.rstrip("/").startswith(section_path or "/"):
                continue
            number = page_number(url)
            if number is None:
                if text is not None and not _NEXT_TEXT_RE.match(text):
                    continue
                number = page + 1  # a "next" link that does not say its number
            if page < number <= self.max_listing_pages and (number == page + 1 or not only_next):
                request = self.listing_request(url, page=number)
                if request is not None:
                    yield request

    def sections(self, response):
        """Sections linked from the navigation whose names suggest ward or local news."""
        anchors = []
        for css in (*self.site.navigation_selectors, "nav a", "header a"):
            anchors += response.css(css)
        for anchor in anchors:
            text = " ".join(anchor.css("::text").getall()).strip().lower()
            href = anchor.root.get("href")
            if not href or not text or not any(word in text for word in self.site.section_keywords):
                continue
            url = join_url(response.url, href)
            if not url or is_article_url(canonicalize(url, self.site), self.site):
                continue
            request = self.listing_request(url, page=1)
            if request is not None:
                yield request

    def parse_article(self, response):
        article = article_from_response(response, self.site)
        if article is None:
            yield FetchError(url=response.url, status=response.status, error="not_article")
            self.forget(response.request)
            return
        yield from redirect_sightings(response, self.site, article)
        yield article
        hops = response.meta.get("hops", 0)
        if hops < self.max_depth:
            for link in article.links:
                if self.site.owns(link.url):
                    yield from self.follow_article(link.url, hops=hops + 1)

    def on_error(self, failure):
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            # Not fetched on purpose (robots.txt, an offsite filter): not a fetch error.
            self.crawler.stats.inc_value("wardnews/ignored")
        else:
            yield fetch_error_from_failure(failure)
        self.forget(getattr(failure, "request", None))
