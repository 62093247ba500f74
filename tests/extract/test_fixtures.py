"""Every fixture page gives the item written beside it (tests/fixtures/<family>/<name>.{html,json}).

Adding a template is adding two files: the page, and what a reader sees in it.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from conftest import load_fixture

from wardnews.extract import extract_article
from wardnews.items import EXTRACTED_FIELDS, LINK_BLOCKS, STRATEGIES
from wardnews.sites import selectors_enabled, site_for_url

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXPECTED_KEYS = {
    "url",
    "site",
    "article_key",
    "title",
    "sapo",
    "body",
    "byline",
    "authors",
    "source",
    "published_at",
    "published_at_raw",
    "modified_at",
    "category",
    "tags",
    "figures",
    "links",
}


def fixture_cases():
    for spec in sorted(FIXTURES.glob("*/*.json")):
        page = spec.with_suffix(".html")
        if page.exists() and spec.parent.name != "listings":  # listing pages: tests/test_listing.py
            yield pytest.param(spec, id=f"{spec.parent.name}/{spec.stem}")


def load(spec: Path, selectors: str = "on"):
    """The fixture's JSON and its article, with the site's selectors as configured or switched off."""
    if selectors == "on":
        return load_fixture(f"{spec.parent.name}/{spec.stem}")
    data = json.loads(spec.read_text(encoding="utf-8"))
    site = site_for_url(data["url"])
    article = extract_article(
        spec.with_suffix(".html").read_bytes(),
        data["url"],
        fetched_at=datetime.fromisoformat(data["fetched_at"]),
        site=site.without_selectors() if site is not None else None,
    )
    return data, article


@pytest.mark.parametrize("selectors", ["on", "off"])
@pytest.mark.parametrize("spec", list(fixture_cases()))
def test_fixture_gives_expected_item(spec, selectors):
    """Every fixture, with the site's selectors and without them (metadata and heuristics alone):
    the same values; only the strategies recorded may differ."""
    data, article = load(spec, selectors)
    if "expected_partial" in data:
        expected, exact = data["expected_partial"], False
    else:
        expected, exact = data["expected"], True
    if expected is None:
        assert article is None, f"{spec.stem} is not an article page, yet extraction returned one"
        return
    assert article is not None, f"{spec.stem} is an article page, yet extraction returned None"
    got = article.to_dict()
    if exact:
        assert set(expected) >= EXPECTED_KEYS, f"expectation lacks {EXPECTED_KEYS - set(expected)}"
    mismatches = {key: (got.get(key), value) for key, value in expected.items() if got.get(key) != value}
    assert not mismatches, json.dumps(mismatches, ensure_ascii=False, indent=1)[:4000]
    if selectors == "off" or not selectors_enabled():  # WARDNEWS_SITE_SELECTORS=off: "on" is off too
        assert "site" not in set(article.extraction.values()), "a site selector was used with selectors off"
        return
    for field, strategy in data.get("expected_strategies", {}).items():
        assert article.extraction.get(field) == strategy, f"{field} came from {article.extraction.get(field)}"


@pytest.mark.parametrize("selectors", ["on", "off"])
@pytest.mark.parametrize("spec", list(fixture_cases()))
def test_every_field_records_a_strategy_and_every_null_a_reason(spec, selectors):
    _, article = load(spec, selectors)
    if article is None:
        return
    assert set(EXTRACTED_FIELDS) <= set(article.extraction)
    assert set(article.extraction.values()) <= set(STRATEGIES)
    assert {link.block for link in article.links} <= set(LINK_BLOCKS)
    for field, strategy in article.extraction.items():
        if strategy == "none":
            assert article.missing.get(field), f"{field} is NULL without a reason"


def test_corpus_covers_enough_templates():
    families = {spec.parent.name for spec in FIXTURES.glob("*/*.json") if spec.with_suffix(".html").exists()}
    assert len(families - {"not_articles", "hostile"}) >= 8
