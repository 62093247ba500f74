"""A nightly run's shortcut: the portal's sitemaps and RSS feed say what is new, in a request or two.

``feed_article_urls(spider)`` reads, in order, the sitemaps robots.txt names
(``Sitemap:`` lines) and those the site profile lists (``sitemap_urls``),
then the profile's RSS/Atom feeds (``feed_paths``), and returns the article
URLs of the first one that can be trusted (``wardnews.incremental.feed_doubt``:
dated, fresh, not behind the database, reaching back to a stored article), or
None: then the spider walks the section listings as it does without feeds.

A sitemap lists every article of the site, so a trusted one replaces the
listings for the night. A feed lists the newest stories *of its own choosing*
(the home page's, say, not the ward sections'), which no check can rule out
from the feed alone: its articles are fetched first, and the listings are still
walked (nightly, they stop at the first page whose articles are all stored).

Of a sitemap index only the newest sitemap is read, and any other whose
``lastmod`` is after the newest stored article: on an unchanged portal a night
costs robots.txt, the index and one sitemap. Feeds are fetched through the
downloader (``engine.download_async``: politeness, retries, robots.txt), not
through the spider's callbacks, so a missing or broken feed is no fetch error
of the run, only a line in the log and a ``wardnews/feeds/*`` figure.

robots.txt is fetched once: Scrapy's robots.txt middleware parses it with
``SitemapRobotParser`` (``ROBOTSTXT_PARSER``), which keeps its ``Sitemap:`` lines;
with ``ROBOTSTXT_OBEY`` off the spider fetches it itself.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import scrapy
from protego import Protego
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.robotstxt import ProtegoRobotParser, decode_robotstxt

from wardnews.dates import VN_TZ
from wardnews.extract.feeds import RSS, SITEMAP_INDEX, URLSET, read_feed
from wardnews.incremental import feed_doubt, sitemaps_to_read
from wardnews.urls import canonicalize, is_article_url, join_url

log = logging.getLogger(__name__)

# What a feed request may end in besides a response: the feed is then absent, not a crawl error.
DOWNLOAD_ERRORS = (
    IgnoreRequest,
    DownloadConnectionRefusedError,
    CannotResolveHostError,
    DownloadTimeoutError,
    DownloadFailedError,
    ResponseDataLossError,
    ConnectionError,
    TimeoutError,
)


def keep_robots_sitemaps(spider):
    """A ``robots_parsed`` signal handler that keeps the Sitemap lines in ``spider.robots_sitemaps``."""

    def parsed(robotparser, request=None, **kwargs) -> None:
        if spider.site.owns(getattr(request, "url", "") or spider.site.base_url):
            spider.robots_sitemaps.extend(getattr(robotparser, "sitemaps", []))

    return parsed


class SitemapRobotParser(ProtegoRobotParser):
    """Scrapy's Protego robots.txt parser, keeping the file's ``Sitemap:`` lines."""

    @property
    def sitemaps(self) -> list[str]:
        return list(self.rp.sitemaps)


async def robots_sitemaps(spider) -> list[str]:
    """The ``Sitemap:`` URLs of the site's robots.txt (fetched once in the run)."""
    base = spider.site.base_url
    crawler = spider.crawler
    middleware = next(
        (m for m in crawler.engine.downloader.middleware.middlewares if isinstance(m, RobotsTxtMiddleware)),
        None,
    )
    if middleware is not None:  # ROBOTSTXT_OBEY: the middleware has it, or fetches it now
        # Awaited for its side effect: the parser it returns is None to a second waiter on the
        # same fetch (Scrapy 2.19), so the Sitemap lines come from the robots_parsed signal.
        await middleware.robot_parser(scrapy.Request(base + "/"))
        return [join_url(base + "/", url) or url for url in spider.robots_sitemaps]
    response = await _download(spider, base + "/robots.txt", dont_obey_robotstxt=True)
    if response is None or response.status != 200:
        return []
    rules = Protego.parse(decode_robotstxt(response.body, spider))
    return [join_url(base + "/", url) or url for url in rules.sitemaps]


SITEMAP, FEED = "sitemap", "rss"


async def feed_article_urls(spider) -> tuple[str, list[str]] | None:
    """``(source, article URLs)`` of the first trustworthy sitemap or feed of the site, or None.

    ``source`` is ``"sitemap"`` or ``"rss"``. None: there is none to trust; walk the listings.
    """
    site, policy, stats = spider.site, spider.policy, spider.crawler.stats
    now = datetime.now(VN_TZ)
    max_age = timedelta(days=site.feed_max_age_days)
    newest = spider.state.newest_published()

    def stored(url: str) -> bool:
        canonical = canonicalize(url, site)
        return policy.is_stored(canonical, spider._key(canonical))

    sitemaps = await robots_sitemaps(spider)
    sitemaps += [join_url(site.base_url + "/", path) or path for path in site.sitemap_urls]
    for url in dict.fromkeys(u for u in sitemaps if site.owns(u)):
        entries = await _sitemap_entries(spider, url, newest, now)
        if entries is None:
            continue
        why = feed_doubt(entries, now, max_age, newest, stored)
        if why is None:
            stats.set_value("wardnews/feeds/used", SITEMAP)
            log.info("new articles from the sitemap %s (%d entries)", url, len(entries))
            return SITEMAP, _article_urls(entries, site)
        log.info("sitemap %s not used: %s", url, why)
        stats.inc_value("wardnews/feeds/not_used")
    for path in site.feed_paths:
        url = join_url(site.base_url + "/", path) or path
        feed = await _read(spider, url, now)
        if feed is None or feed.kind != RSS:
            continue
        why = feed_doubt(feed.entries, now, max_age, newest, stored)
        if why is None:
            stats.set_value("wardnews/feeds/used", FEED)
            log.info("new articles from the feed %s (%d entries)", url, len(feed.entries))
            return FEED, _article_urls(feed.entries, site)
        log.info("feed %s not used: %s", url, why)
        stats.inc_value("wardnews/feeds/not_used")
    return None


async def _sitemap_entries(spider, url: str, newest: datetime | None, now: datetime):
    """The entries of the sitemap at ``url`` (of the sitemaps worth reading, for an index), or None."""
    feed = await _read(spider, url, now)
    if feed is None:
        return None
    if feed.kind == URLSET:
        return feed.entries
    if feed.kind != SITEMAP_INDEX:
        return None
    children = sitemaps_to_read(feed, newest)
    if not children:
        log.info("sitemap index %s not used: it dates none of its sitemaps", url)
        return None
    entries = []
    for child in children:
        part = await _read(spider, child, now)
        if part is None or part.kind != URLSET:
            return None  # one sitemap missing: the others may not hold every new article
        entries += part.entries
    return entries


async def _read(spider, url: str, now: datetime):
    """The feed at ``url``, or None (logged, counted) when it is absent, broken or not a feed."""
    response = await _download(spider, url)
    if response is None or response.status != 200:
        status = response.status if response is not None else "no response"
        log.info("no feed at %s (%s)", url, status)
        spider.crawler.stats.inc_value("wardnews/feeds/absent")
        return None
    feed = read_feed(response.body, response.url, now)
    if feed is None:
        log.warning("%s is not a sitemap or feed that wardnews can read", url)
        spider.crawler.stats.inc_value("wardnews/feeds/broken")
    return feed


async def _download(spider, url: str, **meta):
    try:
        return await spider.crawler.engine.download_async(
            scrapy.Request(url, meta={"handle_httpstatus_all": True, **meta}, dont_filter=True)
        )
    except DOWNLOAD_ERRORS as error:
        log.info("could not fetch %s: %s", url, error)
        return None


def _article_urls(entries, site) -> list[str]:
    """The entries' URLs that are article pages of the site, newest first, once each."""
    ordered = sorted(entries, key=lambda e: e.published or datetime.min.replace(tzinfo=VN_TZ), reverse=True)
    urls = (e.url for e in ordered if site.owns(e.url) and is_article_url(canonicalize(e.url, site), site))
    return list(dict.fromkeys(urls))
