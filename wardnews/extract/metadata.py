"""Structured metadata a page carries about itself: JSON-LD, OpenGraph, ``article:*`` and other <meta>.

Read once per page into a ``PageMetadata``; the field extractors ask it for
values. JSON-LD is parsed with the standard library: pages embed a handful
of small objects, and a tolerant parser of our own skips a broken block
instead of failing the page.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from wardnews.extract.page import Page
from wardnews.extract.text import clean_text

log = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset(
    {
        "newsarticle",
        "article",
        "reportagenewsarticle",
        "blogposting",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "webpage",
        "videoobject",
        "liveblogposting",
    }
)
PUBLISHER_TYPES = frozenset({"website", "organization", "newsmediaorganization", "corporation"})
SITE_NAME_KEYS = ("og:site_name", "application-name", "apple-mobile-web-app-title", "publisher")
_TRAILING_COMMA_RE = re.compile(r",\s*([}\]])")


@dataclass
class PageMetadata:
    """Everything the page says about itself in machine-readable form."""

    meta: dict[str, str] = field(default_factory=dict)  # lower-case property/name/itemprop -> first content
    meta_all: dict[str, list[str]] = field(default_factory=dict)  # every value, for repeated keys
    jsonld_article: dict[str, Any] = field(default_factory=dict)  # the NewsArticle-like object
    jsonld_breadcrumb: list[str] = field(default_factory=list)
    canonical: str | None = None
    page_types: list[str] = field(default_factory=list)  # every JSON-LD @type seen
    # Names the page gives its publisher: og:site_name, application-name, JSON-LD
    # WebSite/Organization names and the article's publisher (never a headline).
    site_names: list[str] = field(default_factory=list)

    def first(self, *keys: str) -> tuple[str, str] | None:
        """The first non-empty ``(key, value)`` among meta ``keys``."""
        for key in keys:
            value = clean_text(self.meta.get(key))
            if value:
                return key, value
        return None

    def ld(self, key: str) -> Any:
        return self.jsonld_article.get(key)

    def ld_text(self, key: str) -> str | None:
        value = self.jsonld_article.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("name") or value.get("@value")
        return clean_text(value) if isinstance(value, str) and clean_text(value) else None


def read_metadata(page: Page) -> PageMetadata:
    """Collect <meta>, rel=canonical and JSON-LD of the page."""
    result = PageMetadata()
    for node in page.tagged("meta"):
        if node.get("content") is None:
            continue
        key = (
            (node.attrib.get("property") or node.attrib.get("name") or node.attrib.get("itemprop") or "")
            .strip()
            .lower()
        )
        if not key:
            continue
        value = node.attrib.get("content", "")
        result.meta_all.setdefault(key, []).append(value)
        if key not in result.meta or not result.meta[key].strip():
            result.meta[key] = value
    canonical = next(
        (
            link.get("href")
            for link in page.tagged("link")
            if (link.get("rel") or "").lower() == "canonical" and link.get("href")
        ),
        None,
    )
    result.canonical = canonical.strip() if canonical and canonical.strip() else None
    scripts = [
        s.text or "" for s in page.tagged("script") if (s.get("type") or "").lower() == "application/ld+json"
    ]
    names: list = []
    nodes: dict[str, dict] = {}
    for raw in scripts:
        for obj in _walk_jsonld(_loads_lenient(raw)):
            if isinstance(obj.get("@id"), str) and len(obj) > 1:
                nodes.setdefault(obj["@id"], obj)
            types = obj.get("@type")
            types = [types] if isinstance(types, str) else (types or [])
            lowered = {str(t).lower() for t in types}
            result.page_types.extend(str(t) for t in types)
            if "breadcrumblist" in lowered and not result.jsonld_breadcrumb:
                result.jsonld_breadcrumb = _breadcrumb_names(obj)
            elif lowered & ARTICLE_TYPES and _better_article(obj, result.jsonld_article):
                result.jsonld_article = obj
            elif lowered & PUBLISHER_TYPES:
                names.append(obj.get("name"))
    if nodes:
        # A @graph (Yoast and other CMS plugins) names the author and publisher by "@id"
        # reference to a Person or Organization node elsewhere in the graph.
        for key in ("author", "publisher"):
            value = result.jsonld_article.get(key)
            if value is not None:
                result.jsonld_article = {**result.jsonld_article, key: _resolve_references(value, nodes)}
    publisher = result.jsonld_article.get("publisher")
    names.extend(jsonld_people(publisher) if publisher else [])
    names.extend(result.meta.get(key) for key in SITE_NAME_KEYS)
    twitter = result.meta.get("twitter:site") or ""
    names.append(twitter.lstrip("@") if twitter.startswith("@") else None)
    seen: dict[str, None] = {}
    for name in names:
        text = clean_text(name) if isinstance(name, str) else ""
        if text and len(text) <= 80:
            seen.setdefault(text, None)
    result.site_names = list(seen)
    return result


def _better_article(candidate: dict, current: dict) -> bool:
    """Prefer a NewsArticle with a headline over a bare WebPage."""

    def rank(obj: dict) -> int:
        if not obj:
            return -1
        types = obj.get("@type")
        types = [types] if isinstance(types, str) else (types or [])
        is_page = {str(t).lower() for t in types} <= {"webpage"}
        return (0 if is_page else 2) + (1 if obj.get("headline") else 0)

    return rank(candidate) > rank(current)


def _loads_lenient(raw: str) -> Any:
    text = raw.strip().removeprefix("<!--").removesuffix("-->").strip()
    for attempt in (text, _TRAILING_COMMA_RE.sub(r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            continue
    log.info("skipped a JSON-LD block that is not valid JSON (%d chars)", len(text))
    return None


def _walk_jsonld(data: Any):
    if isinstance(data, list):
        for item in data:
            yield from _walk_jsonld(item)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _walk_jsonld(graph)


def _resolve_references(value: Any, nodes: dict[str, dict]) -> Any:
    """``{"@id": ...}`` entries replaced by the node of the graph that carries that id."""
    if isinstance(value, list):
        return [_resolve_references(item, nodes) for item in value]
    if isinstance(value, dict) and "name" not in value and isinstance(value.get("@id"), str):
        return nodes.get(value["@id"], value)
    return value


def _breadcrumb_names(obj: dict) -> list[str]:
    items = obj.get("itemListElement") or []
    if isinstance(items, dict):
        items = [items]
    names = []
    for item in sorted((i for i in items if isinstance(i, dict)), key=lambda i: int(i.get("position") or 0)):
        name = item.get("name")
        if not name and isinstance(item.get("item"), dict):
            name = item["item"].get("name")
        if isinstance(name, str) and clean_text(name):
            names.append(clean_text(name))
    return names


def jsonld_people(value: Any) -> list[str]:
    """Names from a JSON-LD ``author`` value (string, object or list of them)."""
    if value is None:
        return []
    if isinstance(value, list):
        return [name for item in value for name in jsonld_people(item)]
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str):
        text = clean_text(value)
        return [text] if text and not text.startswith("http") else []
    return []


ORGANISATION_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "website"})


def jsonld_credits(value: Any) -> list[tuple[str, bool]]:
    """``(name, is_organisation)`` for each entry of a JSON-LD ``author`` value."""
    if value is None:
        return []
    if isinstance(value, list):
        return [credit for item in value for credit in jsonld_credits(item)]
    is_organisation = False
    if isinstance(value, dict):
        types = value.get("@type")
        types = [types] if isinstance(types, str) else (types or [])
        is_organisation = bool({str(t).lower() for t in types} & ORGANISATION_TYPES)
        value = value.get("name")
    if isinstance(value, str):
        text = clean_text(value)
        return [(text, is_organisation)] if text and not text.startswith("http") else []
    return []


def jsonld_keywords(value: Any) -> list[str]:
    """Tags from JSON-LD ``keywords`` (a list, or one comma-separated string)."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return []
    return [clean_text(v) for v in value if isinstance(v, str) and clean_text(v)]
