"""Re-extraction from the raw-page archive: the current extractor over every stored page, no network.

``reparse(store)`` takes the newest stored copy of each article's page
(``raw_pages``), runs ``extract_article`` on it as the crawl did (same URL,
same declared charset, relative dates anchored at the original fetch time),
applies the same validation as the crawl's pipeline, and saves the result
with ``Store.save_articles(..., reparse=True)``: the row is replaced in
place, ``extractor_version`` records the extractor that made it, and no
revision is written, because an extractor fix is not a portal edit.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from scrapy.exceptions import DropItem

from pipelines.validate import ValidatePipeline
from wardnews.extract import EXTRACTOR_VERSION, extract_article
from wardnews.items import Article
from wardnews.raw import RawPage
from wardnews.sites import SITES, SiteProfile, as_configured
from wardnews.store import REPARSED, Store

log = logging.getLogger(__name__)

DEFAULT_BATCH = 200


@dataclass
class ReparseReport:
    """What a reparse did: pages read, and what happened to each."""

    extractor_versions: set[str] = field(default_factory=set)  # as recorded on the rows
    pages: int = 0
    outcomes: Counter = field(default_factory=Counter)  # store outcome -> pages ("reparsed", "new"...)
    not_articles: list[str] = field(default_factory=list)  # URLs the extractor now rejects (rows kept)

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
        )


def site_for_page(site_key: str | None, url: str) -> SiteProfile | None:
    """The profile a stored page was crawled with: its site's, rebased when it came from a mirror."""
    profile = SITES.get(site_key or "")
    if profile is None or profile.owns(url):
        return as_configured(profile)
    parts = urlsplit(url)
    return as_configured(profile.rebased(f"{parts.scheme}://{parts.netloc}"))


def extract_raw(page: RawPage, site_key: str | None) -> Article | None:
    """The article the current extractor finds in a stored page, as the crawl would have made it."""
    article = extract_article(
        page.body,
        page.url,
        fetched_at=datetime.fromisoformat(page.fetched_at),
        site=site_for_page(site_key, page.url),
        encoding=page.declared_encoding,
    )
    if article is not None:
        article.fetched_url = page.request_url or page.url
    return article


def reparse(store: Store, batch_size: int = DEFAULT_BATCH) -> ReparseReport:
    """Re-extract the newest stored page of every article and update the rows in place."""
    report = ReparseReport()
    validate = ValidatePipeline()
    ids = store.latest_raw_page_ids()
    for start in range(0, len(ids), batch_size):
        # Read, re-extract and save in one transaction: a page a crawl stores meanwhile is never
        # overwritten with the extraction of an older one.
        with store.transaction():
            latest = set(store.latest_raw_page_ids())  # a crawl may have stored a newer page since
            batch = []
            current = [raw_id for raw_id in ids[start : start + batch_size] if raw_id in latest]
            for article_id, site_key, page in store.raw_pages(current):
                report.pages += 1
                article = extract_raw(page, site_key)
                if article is not None:
                    try:
                        article = validate.process_item(article)
                    except DropItem as reason:
                        log.warning("article %s: %s", article_id, reason)
                        article = None
                if article is None:
                    report.not_articles.append(page.url)
                    continue
                report.extractor_versions.add(article.extractor_version)
                batch.append(article)
            for result in store.save_articles(batch, reparse=True):
                report.outcomes[result.outcome] += 1
        log.info("reparse: %d of %d pages done", min(start + batch_size, len(ids)), len(ids))
    return report
