"""The extraction pool gives what extraction in this process gives, from worker processes too."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from wardnews.extract import extract_article
from wardnews.extract.boilerplate import Boilerplate, normalise
from wardnews.pool import ExtractionPool
from wardnews.raw import unpack
from wardnews.sites import site_for_url

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = "laodongthudo/seed_tay_tuu"


def _seed():
    spec = json.loads((FIXTURES / f"{SEED}.json").read_text(encoding="utf-8"))
    return (FIXTURES / f"{SEED}.html").read_bytes(), spec["url"], datetime.fromisoformat(spec["fetched_at"])


@pytest.mark.parametrize("workers", [0, 2])
def test_pool_extracts_like_the_extractor_and_packs_the_body(workers):
    body, url, when = _seed()
    expected = extract_article(body, url, fetched_at=when)
    with ExtractionPool(workers) as pool:
        assert pool.inline == (workers < 2)
        result = asyncio.run(pool.extract(body, url, when, site_for_url(url)))
    assert result.article == expected
    assert result.reason is None
    assert unpack(result.packed_body, result.codec) == body


def test_a_page_that_is_no_article_comes_back_with_its_reason():
    with ExtractionPool(2) as pool:
        result = asyncio.run(
            pool.extract(b"<html><body></body></html>", "https://example.org/x", datetime.now(), None)
        )
    assert result.article is None and result.reason


def test_map_keeps_the_order_of_the_pages():
    body, url, when = _seed()
    pages = [
        (body, url, when, site_for_url(url), None, None),
        (b"<html></html>", url, when, None, None, None),
    ] * 3
    with ExtractionPool(2) as pool:
        results = list(pool.map(pages, chunksize=1))
    assert [r.article is not None for r in results] == [True, False] * 3


@pytest.mark.parametrize("workers", [0, 2])
def test_the_runs_learnt_boilerplate_reaches_the_workers(workers):
    body, url, when = _seed()
    plain = extract_article(body, url, fetched_at=when)
    last_paragraph = plain.body.split("\n")[-1]
    learnt = Boilerplate(frozenset({normalise(last_paragraph)}), pages=30)
    expected = extract_article(body, url, fetched_at=when, boilerplate=learnt)
    assert last_paragraph not in expected.body  # the learnt text is no field's value
    with ExtractionPool(workers) as pool:
        first = asyncio.run(pool.extract(body, url, when, site_for_url(url), None, learnt))
        again = asyncio.run(pool.extract(body, url, when, site_for_url(url), None, learnt))
    assert first.article == expected and again.article == expected


@pytest.mark.parametrize("niceness", [0, 7, 19])
def test_the_workers_run_at_the_niceness_asked_below_the_crawl(niceness):
    crawl = os.nice(0)

    async def ask_every_worker():  # four calls at once: two for each worker
        return await asyncio.gather(*(pool.call(os.nice, 0) for _ in range(4)))

    with ExtractionPool(2, niceness=niceness) as pool:
        theirs = set(asyncio.run(ask_every_worker()))
    assert theirs == {min(19, crawl + niceness)}
    assert os.nice(0) == crawl  # the crawl's own priority is left as it was
