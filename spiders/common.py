"""What both spiders share: the site profile they crawl and turning responses into items."""

from __future__ import annotations

import logging
from datetime import datetime

from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from w3lib.encoding import http_content_type_encoding

from wardnews.dates import VN_TZ
from wardnews.extract import extract_article
from wardnews.items import Article, FetchError, Sighting
from wardnews.raw import RawPage
from wardnews.sites import DEFAULT_SITE, SITES, SiteProfile, as_configured
from wardnews.urls import article_key, canonicalize

log = logging.getLogger(__name__)


def site_from_args(site: str | None, base_url: str | None, any_site: bool = False) -> SiteProfile | None:
    """The profile to crawl: the named (or default) site, rebased onto a mirror if asked."""
    if any_site:
        return None
    profile = SITES[site] if site else DEFAULT_SITE
    return as_configured(profile.rebased(base_url) if base_url else profile)


def article_from_response(response, site: SiteProfile | None) -> Article | None:
    """Run extraction on a fetched page; None (logged) when it is not an article."""
    if not isinstance(response, TextResponse):
        log.info("not an HTML page, skipped: %s", response.url)
        return None
    declared = http_content_type_encoding((response.headers.get(b"Content-Type") or b"").decode("latin-1"))
    fetched_at = datetime.now(VN_TZ)
    article = extract_article(
        response.body, response.url, fetched_at=fetched_at, site=site, encoding=declared
    )
    if article is not None:
        article.fetched_url = response.request.url if response.request else response.url
        article.raw = RawPage.from_response(response, fetched_at)  # kept in raw_pages by the pipeline
    return article


def redirect_sightings(response, site: SiteProfile | None, article: Article):
    """URLs that redirected to this article: aliases too."""
    for url in response.meta.get("redirect_urls", []):
        yield Sighting(
            url=url,
            canonical_url=article.url,
            article_key=article_key(canonicalize(url, site), site) if site else None,
            site=article.site,
        )


def fetch_error_from_failure(failure) -> FetchError:
    """One FetchError for a failed request: HTTP status, or the network error's name."""
    request = getattr(failure, "request", None)
    if failure.check(HttpError):
        response = failure.value.response
        return FetchError(url=response.url, status=response.status, error=f"http_{response.status}")
    url = request.url if request is not None else "?"
    return FetchError(url=url, status=None, error=failure.type.__name__)
