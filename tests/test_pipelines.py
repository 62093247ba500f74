"""The cleaning pipelines on items built by hand."""

from __future__ import annotations

import pytest
from conftest import edited
from scrapy.exceptions import DropItem

from pipelines.dedup import DedupPipeline
from pipelines.validate import ValidatePipeline
from wardnews.items import Article, Sighting


def test_an_article_reached_twice_in_a_run_becomes_a_sighting(seed_article):
    dedup = DedupPipeline()
    assert dedup.process_item(seed_article) is seed_article
    again = edited(seed_article, fetched_url=seed_article.url + "?utm_source=zalo")
    out = dedup.process_item(again)
    assert out == Sighting(
        url=again.fetched_url, canonical_url=seed_article.url, article_key="203248", site="laodongthudo"
    )


def test_a_republished_copy_goes_on_to_the_store(seed_article):
    dedup = DedupPipeline()
    dedup.process_item(seed_article)
    copy = edited(seed_article, url=seed_article.url.replace("203248", "203300"), article_key="203300")
    assert dedup.process_item(copy) is copy  # the store decides which of the two is the original


def test_other_items_pass_untouched():
    sighting = Sighting("https://a.vn/x-123456.html", "https://a.vn/x-123456.html", "123456", None)
    assert DedupPipeline().process_item(sighting) is sighting
    assert ValidatePipeline().process_item(sighting) is sighting


def test_validate_drops_an_article_without_a_title():
    with pytest.raises(DropItem):
        ValidatePipeline().process_item(Article(url="https://laodongthudo.vn/a-123456.html"))


def test_validate_refuses_a_date_after_the_fetch(seed_article):
    future = edited(seed_article, published_at="2030-01-01T00:00:00+07:00")
    out = ValidatePipeline().process_item(future)
    assert out.published_at is None and out.extraction["published_at"] == "none"
    assert "after the fetch" in out.missing["published_at"]
