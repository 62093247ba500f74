"""The shape of a site profile."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from urllib.parse import urlsplit

# The profile fields that hold CSS selectors (guesses about markup, unlike URL patterns).
SELECTOR_FIELDS = (
    "listing_link_selectors",
    "pagination_selectors",
    "navigation_selectors",
    "title_selectors",
    "sapo_selectors",
    "date_selectors",
    "body_selectors",
    "byline_selectors",
    "tag_selectors",
    "breadcrumb_selectors",
    "related_box_selectors",
)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per site
class SiteProfile:
    """What wardnews knows about one portal.

    Selectors are CSS, tried in order; the first that yields something wins.
    They are first guesses (see DESIGN.md): extraction falls back to metadata
    and heuristics when none matches, and records which one was used.
    """

    key: str
    name: str
    base_url: str  # scheme and host of the desktop site, no trailing slash
    mobile_hosts: tuple[str, ...] = ()
    extra_hosts: tuple[str, ...] = ()  # other hosts that serve the same articles
    mobile_path_prefixes: tuple[str, ...] = ()  # e.g. "/m/": stripped to reach the desktop path
    case_insensitive_paths: bool = True
    # An article page's path; group 1 is the portal's numeric id ("/slug-203248.html").
    article_path_re: re.Pattern[str] = re.compile(r"-(\d{4,})\.html?$")
    # Long reads whose URL carries no id ("/slug.media"); their id, if any, is found in the page.
    long_read_path_re: re.Pattern[str] | None = None
    # A printable copy of an article (path and query); group 1 is the article's id. Never a row
    # of its own: an alias of its article (url_aliases.how = 'print').
    print_url_re: re.Pattern[str] | None = None
    # The portal's own sub-sites: owned (their article links are followed), not mapped onto the
    # desktop host, and their ids are their own (article keys prefixed "<sub-site>:").
    sub_hosts: tuple[str, ...] = ()
    # How a listing URL says its page number (path and query), group 1 the number, tried in order.
    page_number_res: tuple[re.Pattern[str], ...] = (
        re.compile(r"[?&](?:page|p|trang|pageindex|page_index)=(\d+)", re.I),
        re.compile(r"/(?:p|page|trang)[-/]?(\d+)(?:\.html?)?/?(?:\?|$)", re.I),
    )
    start_paths: tuple[str, ...] = ()
    # Feeds a nightly run reads before the listings (spiders/feeds.py): sitemaps (an index or
    # a urlset) besides those robots.txt names, and RSS/Atom feeds; paths or absolute URLs.
    # A feed whose newest entry is older than ``feed_max_age_days`` is stale: listings instead.
    sitemap_urls: tuple[str, ...] = ()
    feed_paths: tuple[str, ...] = ()
    feed_max_age_days: float = 2.0
    # Words in a navigation link's text that mark a section worth crawling.
    section_keywords: tuple[str, ...] = ()
    # Paths never worth fetching (search, print, login ...), as regexes on the path.
    skip_path_res: tuple[re.Pattern[str], ...] = ()
    listing_link_selectors: tuple[str, ...] = ()
    pagination_selectors: tuple[str, ...] = ()
    navigation_selectors: tuple[str, ...] = ()
    title_selectors: tuple[str, ...] = ()
    sapo_selectors: tuple[str, ...] = ()
    date_selectors: tuple[str, ...] = ()
    body_selectors: tuple[str, ...] = ()
    byline_selectors: tuple[str, ...] = ()
    tag_selectors: tuple[str, ...] = ()
    breadcrumb_selectors: tuple[str, ...] = ()
    related_box_selectors: tuple[str, ...] = ()  # inline related box inside or beside the body
    # Containers of the named link blocks; headings are also found by their text.
    block_selectors: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc.lower()

    @cached_property
    def hosts(self) -> frozenset[str]:
        """Every host that serves this site's pages."""
        www = {f"www.{self.host}"} if not self.host.startswith(("www.", "127.", "localhost")) else set()
        return frozenset({self.host, *self.mobile_hosts, *self.extra_hosts, *self.sub_hosts, *www})

    def owns(self, url: str) -> bool:
        """True when ``url`` is served by one of this site's hosts."""
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and parts.netloc.lower() in self.hosts

    def start_urls(self) -> list[str]:
        return [self.base_url + path for path in self.start_paths]

    def without_selectors(self) -> SiteProfile:
        """The same portal with every CSS selector dropped: metadata and heuristics alone.

        URL patterns, hosts and start paths stay. This is how the crawler fares the
        night every class name we guessed is wrong (``WARDNEWS_SITE_SELECTORS=off``).
        """
        return replace(self, **{name: () for name in SELECTOR_FIELDS}, block_selectors={})

    def rebased(self, base_url: str) -> SiteProfile:
        """The same profile serving from ``base_url`` (a mirror, e.g. on 127.0.0.1).

        The mirror takes the place of the desktop host; the real hosts are
        dropped so a mirror crawl can never wander onto the live portal.
        """
        return replace(self, base_url=base_url.rstrip("/"), mobile_hosts=(), extra_hosts=(), sub_hosts=())
