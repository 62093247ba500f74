"""An article is recognised by what the page contains; og:type, JSON-LD @type and URL shape are evidence.

Every article fixture stays an article when its metadata says "website" (or
says nothing at all), and every page of tests/fixtures/not_articles/ stays
refused when its metadata claims to be an article.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from wardnews.extract import extract_article, extract_or_explain
from wardnews.sites import DEFAULT_SITE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LONE_WEBSITE = (
    '<script type="application/ld+json">{"@context":"https://schema.org","@type":"WebSite",'
    '"name":"Báo","url":"https://example.vn/"}</script>'
)
_OG_TYPE_RE = re.compile(r"""(<meta[^>]+property=["']og:type["'][^>]+content=["'])[^"']*""", re.I)
_JSONLD_RE = re.compile(r"""<script[^>]+application/ld\+json[^>]*>.*?</script>""", re.I | re.S)
_META_RE = re.compile(r"""<meta\s[^>]*(?:property|name|itemprop)=[^>]*>""", re.I)


def specs(kind: str):
    for path in sorted(FIXTURES.glob("*/*.json")):
        if not path.with_suffix(".html").exists():
            continue
        spec = json.loads(path.read_text(encoding="utf-8"))
        is_article = spec.get("expected", spec.get("expected_partial")) is not None
        if (kind == "article") == is_article and path.parent.name != "hostile":
            yield pytest.param(path, id=f"{path.parent.name}/{path.stem}")


def page_of(path: Path) -> tuple[str, dict]:
    spec = json.loads(path.read_text(encoding="utf-8"))
    return path.with_suffix(".html").read_bytes().decode("utf-8"), spec


# Listing fixtures (tests/fixtures/listings, read by tests/test_listing.py) give no fetch time.
LISTING_FETCHED_AT = "2025-12-23T08:00:00+07:00"


def extract(html: str, spec: dict, **kwargs):
    fetched_at = datetime.fromisoformat(spec.get("fetched_at", LISTING_FETCHED_AT))
    return extract_or_explain(html, spec["url"], fetched_at=fetched_at, **kwargs)


def as_website(html: str) -> str:
    """og:type website (added when absent) and a lone WebSite JSON-LD block instead of the page's own."""
    html = _JSONLD_RE.sub("", html)
    if _OG_TYPE_RE.search(html):
        html = _OG_TYPE_RE.sub(r"\1website", html)
    else:
        html = html.replace("<head>", '<head><meta property="og:type" content="website">', 1)
    return html.replace("</head>", LONE_WEBSITE + "</head>", 1)


def without_metadata(html: str) -> str:
    return _META_RE.sub("", _JSONLD_RE.sub("", html))


def as_article(html: str) -> str:
    claim = (
        '<meta property="og:type" content="article">'
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
        '"headline":"Tin bài","datePublished":"2025-12-22T08:00:00+07:00"}</script>'
    )
    html = _OG_TYPE_RE.sub(r"\1article", html)
    return html.replace("</head>", claim + "</head>", 1)


@pytest.mark.parametrize("path", list(specs("article")))
@pytest.mark.parametrize("site", ["auto", None])
def test_an_article_that_says_website_is_kept_with_the_doubt(path, site):
    html, spec = page_of(path)
    kwargs = {} if site == "auto" else {"site": None}
    original, _ = extract(html, spec, **kwargs)
    article, reason = extract(as_website(html), spec, **kwargs)
    assert article is not None, reason
    assert article.title == original.title
    assert article.body == original.body
    assert "og:type says website" in article.doubts


@pytest.mark.parametrize("path", list(specs("article")))
def test_an_article_with_no_metadata_at_all_is_kept(path):
    html, spec = page_of(path)
    article, reason = extract(without_metadata(html), spec)
    assert article is not None, reason
    assert article.title and (article.body or article.figures)


@pytest.mark.parametrize("path", list(specs("not_article")))
@pytest.mark.parametrize("site", ["auto", None])
def test_a_page_that_is_not_an_article_is_refused_by_its_content(path, site):
    html, spec = page_of(path)
    kwargs = {} if site == "auto" else {"site": None}
    for variant in (html, as_article(html)):
        article, reason = extract(variant, spec, **kwargs)
        assert article is None, f"{path.stem} kept as an article titled {article.title!r}"
        assert "og:type" not in reason and "JSON-LD" not in reason, reason


def test_a_portal_article_on_an_unexpected_url_is_kept_with_the_doubt():
    html, spec = page_of(FIXTURES / "laodongthudo/seed_tay_tuu.json")
    html = re.sub(r"""<link rel="canonical"[^>]*>""", "", html)
    html = re.sub(r"""<meta property="og:url"[^>]*>""", "", html)
    article = extract_article(
        html, "https://laodongthudo.vn/tin-tuc/tay-tuu", fetched_at=datetime.fromisoformat(spec["fetched_at"])
    )
    assert article is not None
    assert f"the URL is not shaped like a {DEFAULT_SITE.name} article" in article.doubts


def test_a_certain_article_has_no_doubts():
    html, spec = page_of(FIXTURES / "laodongthudo/seed_tay_tuu.json")
    article, _ = extract(html, spec)
    assert article.doubts == []
