"""Drop what cannot be stored, before anything is written."""

from __future__ import annotations

import logging

from scrapy.exceptions import DropItem

from wardnews.items import Article

log = logging.getLogger(__name__)


class ValidatePipeline:
    """An article needs a URL and a title; a date after its fetch is a parsing bug, not data."""

    def process_item(self, item, spider=None):
        if not isinstance(item, Article):
            return item
        if not item.url or not item.title:
            raise DropItem(f"article without url or title from {item.fetched_url}")
        if item.published_at and item.fetched_at and item.published_at[:10] > item.fetched_at[:10]:
            log.warning("%s: published_at %s is after the fetch; stored as NULL", item.url, item.published_at)
            item.missing["published_at"] = f"parsed date {item.published_at} is after the fetch"
            item.published_at = None
            item.extraction["published_at"] = "none"
        return item
