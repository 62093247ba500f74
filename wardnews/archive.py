"""Re-extraction from the raw-page archive: the current extractor over every stored page, no network.

``reparse(store)`` takes the newest stored copy of each article's page
(``raw_pages``), runs ``extract_article`` on it as the crawl did, in the
crawl's extraction pool (``wardnews.pool``: one worker per core; same URL,
same declared charset, relative dates anchored at the original fetch time),
applies the same validation as the crawl's pipeline, and saves the result
with ``Store.save_articles(..., reparse=True)``: the row is replaced in
place, ``extractor_version`` records the extractor that made it, and no
revision is written, because an extractor fix is not a portal edit.

Then it re-judges every kept refusal (``doubtful_pages``): a page the
current extractor now reads as an article becomes an article row (with its
raw page), and its doubt is settled, so a better extractor recovers
yesterday's losses offline. A page cut short stays doubtful (the next crawl
fetches it whole), and keeps its "cut short" doubt on the article.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from scrapy.exceptions import DropItem

from pipelines.validate import ValidatePipeline
from wardnews.extract import EXTRACTOR_VERSION, extract_or_explain
from wardnews.extract.boilerplate import Boilerplate
from wardnews.items import Article
from wardnews.learning import RunBoilerplate
from wardnews.longread import long_read_key
from wardnews.pool import ExtractionPool
from wardnews.raw import RawPage
from wardnews.sites import SITES, SiteProfile, as_configured
from wardnews.store import NEW, REPARSED, Store
from wardnews.store.doubtful import REPARSED_DOUBT

log = logging.getLogger(__name__)

DEFAULT_BATCH = 200


@dataclass
class ReparseReport:
    """What a reparse did: pages read, and what happened to each."""

    extractor_versions: set[str] = field(default_factory=set)  # as recorded on the rows
    pages: int = 0
    outcomes: Counter = field(default_factory=Counter)  # store outcome -> pages ("reparsed", "new"...)
    not_articles: list[str] = field(default_factory=list)  # URLs the extractor now rejects (rows kept)
    refusals: int = 0  # kept refused pages re-judged
    recovered: list[str] = field(default_factory=list)  # ... that are now articles

    @property
    def updated(self) -> int:
        return self.outcomes[REPARSED]

    def line(self) -> str:
        others = ", ".join(f"{n} {k}" for k, n in sorted(self.outcomes.items()) if k != REPARSED)
        return (
            f"reparsed {self.updated} of {self.pages} stored pages with extractor"
            f" {', '.join(sorted(self.extractor_versions)) or EXTRACTOR_VERSION}"
            + (f"; {others}" if others else "")
            + (f"; {len(self.not_articles)} no longer an article (rows kept)" if self.not_articles else "")
            + (
                f"; {len(self.recovered)} of {self.refusals} refused pages recovered as articles"
                if self.refusals
                else ""
            )
        )


def site_for_page(site_key: str | None, url: str) -> SiteProfile | None:
    """The profile a stored page was crawled with: its site's, rebased when it came from a mirror."""
    profile = SITES.get(site_key or "")
    if profile is None or profile.owns(url):
        return as_configured(profile)
    parts = urlsplit(url)
    return as_configured(profile.rebased(f"{parts.scheme}://{parts.netloc}"))


class _SitesOfPages(dict):
    """``(site key, origin)`` -> the page's profile, made once per reparse.

    The extraction pool ships a profile to its workers once per object (and the
    profile's own caches are keyed on it): one object per origin, not per page.
    """

    def of(self, site_key: str | None, url: str) -> SiteProfile | None:
        parts = urlsplit(url)
        key = (site_key, parts.scheme, parts.netloc)
        if key not in self:
            self[key] = site_for_page(site_key, url)
        return self[key]


def extract_raw(
    page: RawPage, site_key: str | None, boilerplate: Boilerplate | None = None
) -> Article | None:
    """The article the current extractor finds in a stored page, as the crawl would have made it."""
    return extract_raw_explained(page, site_key, boilerplate)[0]


def extract_raw_explained(
    page: RawPage, site_key: str | None, boilerplate: Boilerplate | None = None
) -> tuple[Article | None, str | None]:
    """``(article, None)``, or ``(None, why)`` when the current extractor finds no article."""
    site = site_for_page(site_key, page.url)
    article, reason = extract_or_explain(
        page.body,
        page.url,
        fetched_at=datetime.fromisoformat(page.fetched_at),
        site=site,
        encoding=page.declared_encoding,
        boilerplate=boilerplate,
    )
    if article is not None:
        article.fetched_url = page.request_url or page.url
        if article.article_key is None and site is not None:
            article.article_key = long_read_key(page.body, page.url, site)
    return article, reason


class StoredBoilerplate(dict):
    """Site key -> the boilerplate its last crawl learnt (wardnews.learning), read once per site."""

    def __init__(self, store: Store):
        super().__init__()
        self.store = store

    def __missing__(self, site_key: str | None) -> Boilerplate | None:
        learnt = RunBoilerplate(self.store.stored_boilerplate(site_key) if site_key else None).current
        self[site_key] = learnt
        return learnt


# Below this many stored pages a reparse runs in this process: starting workers costs more.
POOL_MIN_PAGES = 100


def reparse(store: Store, batch_size: int = DEFAULT_BATCH, workers: int | None = None) -> ReparseReport:
    """Re-extract the newest stored page of every article and update the rows in place.

    Pages are extracted by an ``ExtractionPool`` (``workers``: one per core by default;
    in this process for a small archive), in order, a batch at a time, each with the
    boilerplate its site's last crawl learnt.
    """
    report = ReparseReport()
    boilerplate = StoredBoilerplate(store)
    sites = _SitesOfPages()
    validate = ValidatePipeline()
    cut_short = store.cut_short_articles()
    ids = store.latest_raw_page_ids()
    if workers is None and len(ids) < POOL_MIN_PAGES:
        workers = 0
    with ExtractionPool(workers) as pool:
        for start in range(0, len(ids), batch_size):
            # Read, re-extract and save in one transaction: a page a crawl stores meanwhile is
            # never overwritten with the extraction of an older one.
            with store.transaction():
                batch = []
                current = sorted(store.still_latest(ids[start : start + batch_size]))
                stored = store.raw_pages(current)
                calls = [
                    _extraction_call(page, sites.of(site_key, page.url), boilerplate[site_key])
                    for _, site_key, page in stored
                ]
                for (article_id, _, page), extracted in zip(stored, pool.map(calls), strict=True):
                    report.pages += 1
                    article = _as_crawled(extracted.article, page)
                    if article is not None:
                        try:
                            article = validate.process_item(article)
                        except DropItem as reason:
                            log.warning("article %s: %s", article_id, reason)
                            article = None
                    if article is None:
                        report.not_articles.append(page.url)
                        continue
                    if article_id in cut_short:  # still the page that was cut short
                        article.doubts = [
                            *(getattr(article, "doubts", None) or []),
                            f"cut short: {cut_short[article_id]}",
                        ]
                    report.extractor_versions.add(article.extractor_version)
                    batch.append(article)
                for result in store.save_articles(batch, reparse=True):
                    report.outcomes[result.outcome] += 1
            log.info("reparse: %d of %d pages done", min(start + batch_size, len(ids)), len(ids))
    _rejudge_refusals(store, report, validate, boilerplate)
    return report


def _extraction_call(page: RawPage, site: SiteProfile | None, boilerplate: Boilerplate | None) -> tuple:
    """The arguments of ``extract_page`` for a stored page, as the crawl extracted it."""
    return (
        page.body,
        page.url,
        datetime.fromisoformat(page.fetched_at),
        site,
        page.declared_encoding,
        boilerplate,
    )


def _as_crawled(article: Article | None, page: RawPage) -> Article | None:
    """The article as the crawl would have made it from ``page`` (the URL it was asked for)."""
    if article is not None:
        article.fetched_url = page.request_url or page.url
    return article


def _rejudge_refusals(
    store: Store, report: ReparseReport, validate: ValidatePipeline, boilerplate: StoredBoilerplate
) -> None:
    """Every kept refused page, through the current extractor: articles now are stored."""
    for url, site_key, page in store.refused_pages():
        report.refusals += 1
        article, reason = extract_raw_explained(page, site_key, boilerplate[site_key])
        if article is not None:
            try:
                article = validate.process_item(article)
            except DropItem as drop:
                article, reason = None, str(drop)
        if article is None:
            store.update_refusal(url, reason or "refused")
            continue
        with store.transaction():
            (result,) = store.save_articles([article])
            if result.outcome == NEW:
                article.raw = page
                store.save_raw_pages([(article, result)])
            store.settle_doubts([url], result.article_id, REPARSED_DOUBT)
        report.outcomes[result.outcome] += 1
        report.recovered.append(url)
        report.extractor_versions.add(article.extractor_version)
