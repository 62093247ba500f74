"""One URL, ad hoc: ``scrapy crawl article -a url=...`` or ``wardnews fetch URL``."""

from __future__ import annotations

import scrapy

from spiders.common import article_from_response, fetch_error_from_failure, redirect_sightings, site_from_args
from wardnews.items import FetchError


class ArticleSpider(scrapy.Spider):
    name = "article"

    def __init__(self, url=None, base_url=None, site=None, any_site=False, **kwargs):
        super().__init__(**kwargs)
        if not url:
            raise ValueError("the article spider needs -a url=URL")
        self.url = url
        self.site = site_from_args(site, base_url, any_site=str(any_site).lower() in ("1", "true", "yes"))
        self.results: list = []  # what the spider produced, for the wardnews command to print

    async def start(self):
        yield scrapy.Request(self.url, callback=self.parse_article, errback=self.on_error, dont_filter=True)

    def parse_article(self, response):
        article = article_from_response(response, self.site)
        if article is None:
            error = FetchError(url=response.url, status=response.status, error="not_article")
            self.results.append(error)
            yield error
            return
        yield from redirect_sightings(response, self.site, article)
        self.results.append(article)
        yield article

    def on_error(self, failure):
        error = fetch_error_from_failure(failure)
        self.results.append(error)
        yield error
