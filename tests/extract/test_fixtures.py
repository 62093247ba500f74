"""Every fixture page gives the item written beside it (tests/fixtures/<family>/<name>.{html,json}).

Adding a template is adding two files: the page, and what a reader sees in it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import load_fixture

from wardnews.items import EXTRACTED_FIELDS, LINK_BLOCKS, STRATEGIES

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


def load(spec: Path):
    return load_fixture(f"{spec.parent.name}/{spec.stem}")


@pytest.mark.parametrize("spec", list(fixture_cases()))
def test_fixture_gives_expected_item(spec):
    data, article = load(spec)
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
    for field, strategy in data.get("expected_strategies", {}).items():
        assert article.extraction.get(field) == strategy, f"{field} came from {article.extraction.get(field)}"


@pytest.mark.parametrize("spec", list(fixture_cases()))
def test_every_field_records_a_strategy_and_every_null_a_reason(spec):
    _, article = load(spec)
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
