"""What both spiders share: the site profile they crawl and turning responses into items."""

from __future__ import annotations

import logging
from datetime import datetime

from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from w3lib.encoding import http_content_type_encoding

from wardnews.dates import VN_TZ
from wardnews.doubts import UsualSize, is_error_page_refusal, truncation
from wardnews.extract import extract_article
from wardnews.extract.boilerplate import Boilerplate
from wardnews.items import Article, DoubtfulPage, FetchError, Sighting
from wardnews.pool import Extracted, extract_page
from wardnews.raw import RawPage
from wardnews.sites import DEFAULT_SITE, SITES, SiteProfile, as_configured
from wardnews.urls import article_key, canonicalize, is_long_read_url

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


def article_page_facts(response) -> tuple[datetime, str | None]:
    """``(fetched_at, declared charset)`` of a fetched page: what its extraction is anchored on."""
    declared = http_content_type_encoding((response.headers.get(b"Content-Type") or b"").decode("latin-1"))
    return datetime.now(VN_TZ), declared


def judge_article_page(
    response,
    site: SiteProfile,
    usual: UsualSize | None = None,
    extracted: Extracted | None = None,
    fetched_at: datetime | None = None,
    boilerplate: Boilerplate | None = None,
) -> list:
    """What a fetched article-shaped page gives: the article and/or a doubt, or an error.

    A refused page and a page cut short are doubts (``DoubtfulPage``, kept raw and
    fetched again), never facts; the portal's own error page ("Trang không tồn tại",
    a 404 served with 200) is a ``not_article`` fetch error, blocked like a 404.

    ``extracted`` is what an extraction worker made of the page (``wardnews.pool``,
    with ``fetched_at`` the time it was anchored on); without it the page is
    extracted here.
    """
    asked = response.meta.get("frontier_url") or (response.request.url if response.request else response.url)
    if not isinstance(response, TextResponse):
        return [DoubtfulPage(url=asked, site=site.key, refusal="not an HTML page")]
    if extracted is None:
        fetched_at, declared = article_page_facts(response)
        extracted = extract_page(response.body, response.url, fetched_at, site, declared, boilerplate)
    raw = RawPage.from_response(response, fetched_at)
    raw.packed, raw.codec, raw.digest = extracted.packed_body, extracted.codec, extracted.digest
    kind = "long_read" if is_long_read_url(asked, site) else "article"
    cut = truncation(raw.body, raw.headers, usual.value(kind) if usual else None)
    article, reason = extracted.article, extracted.reason
    if article is None:
        log.info("not an article: %s (%s)", response.url, reason)
        # An error page is small by nature: only an unfinished document makes it doubtful.
        if is_error_page_refusal(reason) and not truncation(raw.body, raw.headers, None):
            return [FetchError(url=response.url, status=response.status, error="not_article")]
        doubt = DoubtfulPage(url=asked, site=site.key, refusal=reason, truncation=cut)
        doubt.raw = raw
        return [doubt]
    article.fetched_url = response.request.url if response.request else response.url
    article.raw = raw
    # The page's print copy: an alias of this article (url_aliases.how = 'print'), never fetched.
    printed = [
        Sighting(url=link, canonical_url=article.url, article_key=key, site=site.key, how="print")
        for link, key in extracted.prints
        if key == article.article_key
    ]
    if cut is None:
        if usual is not None:
            usual.add(kind, len(raw.body))
        return [*printed, article]
    log.warning("page cut short, stored and fetched again next run: %s (%s)", response.url, cut)
    article.doubts = [*(getattr(article, "doubts", None) or []), f"cut short: {cut}"]
    doubt = DoubtfulPage(url=asked, site=site.key, truncation=cut, article_url=article.url)
    doubt.raw = raw
    return [*printed, doubt, article]  # in this order, so both go in one batch (the doubt names the article)


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
