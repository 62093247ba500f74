"""Shared test helpers: articles built from fixture pages."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path

import pytest

from wardnews.extract import content_hash, extract_article

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def load_fixture(relative: str):
    """``(spec, article)``: a fixture's JSON and what extraction makes of its page, at its fetch time."""
    spec = json.loads((FIXTURES / f"{relative}.json").read_text(encoding="utf-8"))
    html = (FIXTURES / f"{relative}.html").read_bytes()
    return spec, extract_article(html, spec["url"], fetched_at=datetime.fromisoformat(spec["fetched_at"]))


def fixture_article(relative: str):
    """The Article extracted from ``tests/fixtures/<relative>.html`` at its fixture's fetch time."""
    return load_fixture(relative)[1]


def edited(article, **changes):
    """A copy of ``article`` with fields changed and its content hash recomputed."""
    copy_ = copy.deepcopy(article)
    for name, value in changes.items():
        setattr(copy_, name, value)
    copy_.content_hash = content_hash(copy_)
    return copy_


@pytest.fixture
def seed_article():
    return fixture_article("laodongthudo/seed_tay_tuu")
