"""The nightly crawl: section listings (with pagination) and each article's related-link blocks.

This spider only decides what to fetch next. What a listing page offers
(article links, further pages, sections) is read by the listing page object
(``wardnews.extract.listing``); article pages by ``wardnews.extract``. Article
pages are known by their URL's shape, so a new listing layout does not blind it.

Bounds: listing pages per listing (``max_listing_pages``), articles
(``max_articles``, none under ``--full`` unless asked), related-link hops
(``max_depth``). A listing stops when its pages stop showing articles it has
not shown already (an endless listing repeats its last page). Whatever a bound
left out is counted and reported (``caps_hit``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.response import get_meta_refresh

from spiders.common import (
    article_page_facts,
    fetch_error_from_failure,
    judge_article_page,
    redirect_sightings,
    site_from_args,
)
from spiders.feeds import SITEMAP, feed_article_urls, keep_robots_sitemaps
from wardnews.doubts import UsualSize
from wardnews.extract.listing import listing_root, read_listing, with_page_number
from wardnews.incremental import ARTICLE, LISTING, CrawlPolicy, StoreCrawlState
from wardnews.items import Article, DoubtfulPage, FetchError, Sighting, Sightings
from wardnews.learning import RunBoilerplate
from wardnews.pool import DEFAULT_NICENESS, ExtractionPool, WorkerLost, extract_page
from wardnews.raw import RawPage
from wardnews.seen import RunMemory
from wardnews.store.writer import StoreWriter
from wardnews.urls import (
    ARTICLE_LINK,
    PRINT_LINK,
    article_key,
    canonicalize,
    is_article_url,
    join_url,
    link_targets,
    url_kind,
)

# The bounds a run can stop at (``crawl_runs.caps``): name -> what it left out.
CAP_ARTICLES, CAP_LISTING_PAGES, CAP_DEPTH = "articles", "listing_pages", "depth"
CAPS = (CAP_ARTICLES, CAP_LISTING_PAGES, CAP_DEPTH)
LISTING_PRIORITY, FULL_ARTICLE_PRIORITY = 10, 20
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
# The words a meta refresh cannot do without, in any ASCII-compatible charset.
# (Lower case: it is looked for in the lowered page, eight times faster than a case-blind search.)
META_REFRESH_BYTES = re.compile(rb"http-equiv\s*=\s*[\"']?\s*refresh")
# Scrapy's get_meta_refresh reads the first 4,096 characters of a page, at most 4 bytes each in
# UTF-8: a refresh further down is not one for Scrapy either, and the search stays off the body.
META_REFRESH_WINDOW = 4096 * 4


class PortalSpider(scrapy.Spider):
    name = "portal"
    # robots.txt parsed once, its Sitemap lines kept for the nightly feed shortcut (spiders/feeds.py).
    custom_settings = {"ROBOTSTXT_PARSER": "spiders.feeds.SitemapRobotParser"}

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
        self.chosen_start = bool(start_urls)  # --start-url: those listings, not the feeds
        self.start_urls = list(start_urls or self.site.start_urls())
        # Given start URLs replace the configured sections: their navigation is not searched for more.
        self.discover_sections = not start_urls
        self._limits = (max_listing_pages, max_articles, max_depth)
        self.mode = "nightly"  # from the settings, in from_crawler
        # What the run has met, on disk (wardnews.seen): a backfill's memory stays flat.
        self.memory = RunMemory()
        self.scheduled_articles = self.memory.set("scheduled_articles")
        self.scheduled_listings = self.memory.set("scheduled_listings")
        self.sighted = self.memory.set("sighted")
        self.followed = self.memory.set("followed")  # URLs as written whose article was decided on
        self.skipped_articles = self.memory.set("skipped_articles")  # stored and not due: not fetched
        self.listed = self.memory.set("listed")  # "<listing root>\n<article>": what its pages showed
        self.capped = {name: self.memory.set(f"capped_{name}", keep_text=True) for name in CAPS}
        self.state: StoreCrawlState | None = None  # known articles and the frontier (issue 4)
        self.policy: CrawlPolicy | None = None
        self.usual_size = UsualSize()  # of the site's whole article pages: a much smaller one is cut short
        self.boilerplate = RunBoilerplate()  # the site's repeated texts, never a field (wardnews.learning)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        pages, articles, depth = spider._limits
        spider.mode = settings.get("WARDNEWS_MODE", "nightly")
        full = spider.mode == "full"
        # A backfill walks every page of a listing, up to a hard cap against endless listings.
        default_pages = "WARDNEWS_FULL_MAX_LISTING_PAGES" if full else "WARDNEWS_MAX_LISTING_PAGES"
        spider.max_listing_pages = int(pages or settings.getint(default_pages, 100_000 if full else 5))
        # A backfill has no article cap unless one is asked for (--max-articles).
        cap = articles or (None if full else settings.getint("WARDNEWS_MAX_ARTICLES"))
        spider.max_articles = int(cap) if cap else None
        spider.max_depth = int(depth if depth is not None else settings.getint("WARDNEWS_MAX_DEPTH"))
        spider.recheck_days = settings.getfloat("WARDNEWS_RECHECK_DAYS", 3.0)
        spider.gone_days = settings.getfloat("WARDNEWS_GONE_DAYS", 30.0)
        spider.use_feeds = settings.getbool("WARDNEWS_FEEDS", True)
        spider.robots_sitemaps = []
        spider._robots_parsed = keep_robots_sitemaps(spider)  # kept: signals hold weak references
        crawler.signals.connect(spider._robots_parsed, signal=signals.robots_parsed)
        incremental = settings.getbool("WARDNEWS_INCREMENTAL", True)
        spider.db_path = settings.get("WARDNEWS_DB") if incremental else None
        # Every write of the run (frontier, batches) on one thread, in order (wardnews.store.writer).
        spider.store_writer = None
        if spider.db_path:
            sites = {spider.site.key: spider.site}
            spider.store_writer = StoreWriter(spider.db_path, sites=sites).acquire()
        # Extraction and listing reads in worker processes, one per core (1: in this process).
        workers = settings.get("WARDNEWS_WORKERS")
        spider.pool = ExtractionPool(
            int(workers) if workers not in (None, "") else None,
            niceness=settings.getint("WARDNEWS_WORKER_NICENESS", DEFAULT_NICENESS),
        )
        return spider

    # -- the run's memory: what is stored, what is left to fetch (wardnews.incremental) --
    def open_state(self) -> None:
        if self.state is not None or not getattr(self, "db_path", None):
            return
        self.state = StoreCrawlState(self.db_path, self.site.key, writer=self.store_writer)
        self.policy = CrawlPolicy(self.state, self.mode, self.recheck_days, self.gone_days)
        self.usual_size = UsualSize(self.state.usual_page_sizes())
        self.boilerplate = RunBoilerplate(self.state.stored_boilerplate())

    def remember(self, url: str, kind: str, **entry) -> None:
        if self.state is not None:
            self.state.run_id = self.state.run_id or self.crawler.stats.get_value("wardnews/run_id")
            self.state.add(url, kind, **entry)

    def forget(self, request) -> None:
        if self.state is not None and request is not None:
            self.state.done([request.meta.get("frontier_url", request.url)])

    def closed(self, reason):
        self.pool.close()
        self.memory.close()
        if self.state is not None:
            learnt = self.boilerplate.to_save()
            if learnt is not None:
                self.state.save_boilerplate(learnt.to_json(), learnt.pages)
            if reason == "finished":
                self.state.clear()  # every entry was fetched; a killed run never gets here
            self.state.close()
        if self.store_writer is not None:
            self.store_writer.release()  # waits for the last writes

    def caps_hit(self) -> dict[str, int]:
        """Bound -> how many pages it kept this run from fetching (only bounds that did)."""
        fetched = {
            CAP_ARTICLES: (self.scheduled_articles, self.skipped_articles),
            CAP_DEPTH: (self.scheduled_articles, self.skipped_articles),
            CAP_LISTING_PAGES: (self.scheduled_listings,),
        }
        left_out = {
            name: {u for u in self.capped[name] if not any(u in done for done in fetched[name])}
            for name in CAPS
        }
        if self.policy is not None and not self.policy.full:  # a stored article was not missed
            for name in (CAP_ARTICLES, CAP_DEPTH):
                left_out[name] = {u for u in left_out[name] if not self.policy.is_stored(u, self._key(u))}
        return {name: len(urls) for name, urls in left_out.items() if urls}

    def _key(self, canonical: str) -> str | None:
        return article_key(canonical, self.site)

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
        self.pool.warm_up()  # the workers import the extractor while robots.txt is fetched
        self.open_state()
        for item in self.resumed():
            yield item
        for url in self.policy.recheck_urls() if self.policy is not None else []:
            for item in self.follow_article(url, hops=0):
                yield item
        if self.feeds_first():
            found = await feed_article_urls(self)
            if found is not None:
                source, urls = found
                for url in urls:
                    for item in self.follow_article(url, hops=0):
                        yield item
                if source == SITEMAP:  # it lists every new article: no listing needed tonight
                    return
                # A feed may leave sections out (spiders/feeds.py): the listings are walked too.
            else:
                self.crawler.stats.set_value("wardnews/feeds/used", "none: listings walked")
        for url in self.start_urls:
            if is_article_url(canonicalize(url, self.site), self.site):
                for item in self.follow_article(url, hops=0):
                    yield item
            else:
                request = self.listing_request(url, page=1, discover=self.discover_sections)
                if request is not None:
                    yield request

    def feeds_first(self) -> bool:
        """Look for new articles in the site's sitemaps and feeds before walking the listings?

        Nightly runs only, on a database that holds articles (a feed is trusted only
        once it reaches back to one), unless start URLs were given or WARDNEWS_FEEDS is off.
        """
        return (
            self.use_feeds
            and self.mode == "nightly"
            and not self.chosen_start
            and self.state is not None
            and self.state.newest_published() is not None
        )

    # -- what to fetch ---------------------------------------------------------------
    def listing_request(self, url: str, page: int, discover: bool = False, how: str = ""):
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
            meta={"page": page, "discover": discover, "frontier_url": canonical, "how": how},
            priority=LISTING_PRIORITY,
            dont_filter=True,  # met once: scheduled_listings (Scrapy's dupefilter would keep a copy)
        )

    def follow_article(self, url: str, hops: int, canonical: str | None = None, kind: str | None = None):
        """A request for the article at ``url`` (once, within bounds) and a sighting of its URL.

        ``canonical`` and ``kind``, when given, are ``url``'s ``wardnews.urls.link_targets``.
        """
        if url in self.scheduled_articles or url in self.followed:
            return  # decided before (as written): nothing new to do, and no need to canonicalise
        if canonical is None:
            canonical = canonicalize(url, self.site)
            kind = url_kind(canonical, self.site)
        if kind == PRINT_LINK:
            yield from self.sight_print_copy(url)
            return
        if kind != ARTICLE_LINK:
            return
        if url != canonical:
            yield from self.sight(url, canonical)
        if canonical in self.scheduled_articles or canonical in self.skipped_articles:
            self._decided(url, canonical)
            return
        if self.max_articles is not None and len(self.scheduled_articles) >= self.max_articles:
            self.capped[CAP_ARTICLES].add(canonical)
            return
        reason = "new"
        if self.policy is not None:
            reason = self.policy.article_reason(canonical, article_key(canonical, self.site))
            if reason is None:  # stored and not due for a re-check, or gone
                self.skipped_articles.add(canonical)
                self._decided(url, canonical)
                self.crawler.stats.inc_value("wardnews/articles/skipped")
                return
        self.scheduled_articles.add(canonical)
        self._decided(url, canonical)
        self.remember(canonical, ARTICLE, hops=hops, reason=reason)
        yield scrapy.Request(
            canonical,
            callback=self.parse_article,
            errback=self.on_error,
            # A backfill fetches the articles a listing page shows before the next listing page,
            # so that the scheduler holds a page's worth of requests, not the whole portal's.
            priority=FULL_ARTICLE_PRIORITY if self.mode == "full" else 0,
            dont_filter=True,  # met once: scheduled_articles
            # Redirects are followed here, not by the middleware: each hop is kept as an alias
            # of where it led (a 301 to a URL already fetched would otherwise vanish in the dupefilter).
            meta={
                "hops": hops,
                "frontier_url": canonical,
                "reason": reason,
                "dont_redirect": True,
                "handle_httpstatus_list": list(REDIRECT_STATUSES),
            },
        )

    def _decided(self, url: str, canonical: str) -> None:
        # Only a URL whose article was scheduled or skipped is done with: one merely sighted
        # (beyond the depth bound) or capped must be looked at again when met within bounds.
        if url != canonical:
            self.followed.add(url)

    def sight(self, url: str, canonical: str):
        """``url`` as written, kept as an alias of the article it leads to (once a run)."""
        if not self.sighted.add(url):
            return
        yield Sighting(url=url, canonical_url=canonical, article_key=self._key(canonical), site=self.site.key)

    def sight_print_copy(self, url: str):
        """A print page is an alias of its article (found by its id), never fetched as one."""
        if not self.sighted.add(url):
            return
        canonical = canonicalize(url, self.site)
        key = self._key(canonical)
        yield Sighting(url=url, canonical_url=canonical, article_key=key, site=self.site.key, how="print")

    # -- callbacks -------------------------------------------------------------------
    # Reading a page is CPU work done in the extraction pool (wardnews.pool); what to do with
    # what it found is decided here, on the reactor, by the plain generators below.
    async def parse_listing(self, response):
        if not isinstance(response, TextResponse):
            return
        page = response.meta.get("page", 1)
        discover = bool(response.meta.get("discover"))  # sections are read only where they are used
        # Urgent: the pages a listing links to wait for it, and the workers are never idle.
        try:
            listing = await self._in_pool(
                read_listing, response.body, response.url, self.site,
                page=page, sections=discover, urgent=True,
            )  # fmt: skip
        except WorkerLost:
            self.logger.error("could not read the listing %s: its extraction worker died twice", response.url)
            self.forget(response.request)
            yield FetchError(url=response.url, status=response.status, error="extraction_worker_died")
            return
        for item in self.follow_listing(response, listing):
            yield item

    async def _in_pool(self, function, *args, **kwargs):
        """``function`` in the extraction pool, tried once more when its worker died.

        A worker that dies (killed by the kernel for memory, say) fails every page it
        held, not only the one that killed it: the others deserve a second worker.
        """
        try:
            return await self.pool.call(function, *args, **kwargs)
        except WorkerLost:
            self.crawler.stats.inc_value("wardnews/pool/worker_lost")
            return await self.pool.call(function, *args, **kwargs)

    def follow_listing(self, response, listing):
        """Requests and sightings for what a listing page shows; then its frontier entry is done."""
        page = listing.page
        for url in listing.print_links:
            yield from self.sight_print_copy(url)
        shown = []
        for url in listing.article_links:
            canonical = canonicalize(url, self.site)
            shown.append((canonical, self._key(canonical)))
            yield from self.follow_article(url, hops=0)
        # Articles this listing had not shown on its earlier pages: an endless listing that
        # repeats its last page shows none, and its walk stops there.
        root = listing_root(response.url, self.site)
        fresh = [(url, key) for url, key in shown if self.listed.add(f"{root}\n{url}")]
        if not fresh and page > 1:
            self.crawler.stats.inc_value("wardnews/listing/repeated")
        # Nightly: stop paginating at the first page whose articles are all stored. Near
        # that boundary (some stored, some not) walk one page at a time; before it, fan out.
        elif self.policy is None or self.policy.paginate(fresh):
            near = self.policy is not None and self.policy.near_stored(fresh)
            yield from self.next_pages(listing, response.meta.get("how", ""), only_next=near, fresh=fresh)
        if response.meta.get("discover"):
            for url in listing.sections:
                request = self.listing_request(url, page=1)
                if request is not None:
                    yield request
        self.forget(response.request)

    def next_pages(self, listing, how: str, only_next: bool = False, fresh=()):
        """Requests for further listing pages; with ``only_next``, the next one alone (nightly walk)."""
        page = listing.page
        candidates = [(p.url, p.number, p.how) for p in listing.next_pages]
        if not candidates and how == "more" and fresh:
            # A "load more" fragment that does not say where the next one is: ask for the next number.
            guessed = with_page_number(listing.url, page + 1, self.site)
            if guessed:
                candidates.append((guessed, page + 1, "more"))
        for url, number, found_how in candidates:
            if only_next and number != page + 1:
                continue
            if number > self.max_listing_pages:
                self.capped[CAP_LISTING_PAGES].add(canonicalize(url, self.site))
                continue
            request = self.listing_request(url, page=number, how=found_how)
            if request is not None:
                yield request

    async def parse_article(self, response):
        if response.status in REDIRECT_STATUSES:
            location = (response.headers.get(b"Location") or b"").decode("latin-1")
            for item in self.follow_redirect(response, location):
                yield item
            return
        refresh = self.meta_refresh(response)
        if refresh:
            for item in self.follow_redirect(response, refresh):
                yield item
            return
        boilerplate = self.boilerplate.current
        extracted, fetched_at = None, None
        if isinstance(response, TextResponse):
            fetched_at, declared = article_page_facts(response)
            try:
                extracted = await self._in_pool(
                    extract_page, response.body, response.url, fetched_at, self.site, declared, boilerplate
                )
            except WorkerLost:
                # Kept raw as a doubt (fetched again next run, re-judged by `wardnews reparse`).
                self.logger.error("could not extract %s: its extraction worker died twice", response.url)
                doubt = DoubtfulPage(
                    url=response.meta.get("frontier_url", response.url),
                    site=self.site.key,
                    refusal="the extraction worker died reading this page",
                )
                doubt.raw = RawPage.from_response(response, fetched_at)
                yield doubt
                return
        for item in self.follow_article_page(response, extracted, fetched_at, boilerplate):
            yield item

    def follow_article_page(self, response, extracted=None, fetched_at=None, boilerplate=None):
        """The items of a fetched article page (``judge_article_page``) and requests for its links."""
        results = judge_article_page(response, self.site, self.usual_size, extracted, fetched_at, boilerplate)
        article = next((r for r in results if isinstance(r, Article)), None)
        sightings = [r for r in results if isinstance(r, Sighting)]  # print copies
        if article is not None:
            if not any(isinstance(r, DoubtfulPage) for r in results):  # a whole page teaches
                self.boilerplate.observe(response.body)
            sightings += redirect_sightings(response, self.site, article)
        # A doubtful page's frontier entry is done with the batch that keeps it.
        yield from (r for r in results if not isinstance(r, Sighting))
        if article is None:
            if sightings:
                yield Sightings(sightings)
            if not any(isinstance(r, DoubtfulPage) for r in results):
                self.forget(response.request)
            return
        for output in self.follow_links(response, article, extracted):
            if isinstance(output, Sighting):
                sightings.append(output)
            else:
                yield output
        if sightings:
            yield Sightings(sightings)  # after the article: they are stored in its batch or a later one

    def follow_links(self, response, article: Article, extracted=None):
        """Requests for the article's links within the depth bound, sightings of the others."""
        hops = response.meta.get("hops", 0)
        # Canonical forms worked out by the extraction worker (here when the page was extracted here).
        targets = (
            extracted.links
            if extracted is not None
            else link_targets((li.url for li in article.links), self.site)
        )
        for url, canonical, kind in targets:
            if hops < self.max_depth:
                yield from self.follow_article(url, hops=hops + 1, canonical=canonical, kind=kind)
            elif kind == PRINT_LINK:
                yield from self.sight_print_copy(url)
            elif kind == ARTICLE_LINK:
                # Not followed, but kept as written: every links.url joins url_aliases.
                yield from self.sight(url, canonical)
                if canonical not in self.scheduled_articles:
                    self.capped[CAP_DEPTH].add(canonical)

    def meta_refresh(self, response) -> str | None:
        """Where a ``<meta http-equiv="refresh">`` page sends the reader at once (as Scrapy's middleware)."""
        if not isinstance(response, TextResponse):
            return None
        # Most pages have none: w3lib would decode the whole page to find out.
        head = response.body[:META_REFRESH_WINDOW].lower()
        if b"refresh" not in head or not META_REFRESH_BYTES.search(head):
            return None
        delay, url = get_meta_refresh(response)
        max_delay = self.crawler.settings.getint("METAREFRESH_MAXDELAY", 100)
        return url if url and delay is not None and delay < max_delay else None

    def follow_redirect(self, response, location: str):
        """An article URL that redirected (3xx or meta refresh): an alias of its target, followed instead.

        A target off the portal is never requested and gives no alias: it is a fetch error.
        """
        target = join_url(response.url, location) if location else None
        self.forget(response.request)
        if not target:
            yield FetchError(url=response.url, status=response.status, error="redirect_without_location")
            return
        if not self.site.owns(target):
            self.crawler.stats.inc_value("wardnews/redirects/offsite")
            self.logger.warning(
                "not following a redirect from %s to %s: off the portal", response.url, target
            )
            yield FetchError(url=response.url, status=response.status, error="OffsiteRedirect")
            return
        canonical = canonicalize(target, self.site)
        self.crawler.stats.inc_value("wardnews/redirects")
        yield Sighting(
            url=response.url, canonical_url=canonical, article_key=self._key(canonical), site=self.site.key,
            how="redirect",
        )  # fmt: skip
        yield from self.follow_article(target, hops=response.meta.get("hops", 0))

    def on_error(self, failure):
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            # Not fetched on purpose (robots.txt, an offsite filter): not a fetch error.
            self.crawler.stats.inc_value("wardnews/ignored")
        else:
            yield fetch_error_from_failure(failure)
        self.forget(getattr(failure, "request", None))
