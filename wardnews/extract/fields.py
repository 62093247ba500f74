"""Every expression used to find a field, in the order it is tried.

Each ``find_*`` function returns ``(value, strategy, element)`` or a miss
``(None, NONE, reason)``. The order per field is fixed here and nowhere else:

- title, sapo, byline, category, tags, body: site selectors, then what a
  reader sees (heuristics), then metadata. Metadata is last for these because
  CMSs fill it with SEO wording (a different headline, a truncated sapo) and
  the reader's text is what a researcher quotes.
- published_at, modified_at: site selectors, then metadata (machine-written,
  with seconds and a zone), then dates found by scanning the page header.
"""

from __future__ import annotations

import re
from datetime import datetime

from lxml import etree
from parsel import Selector

from wardnews.dates import ParsedDate, find_date_strings, parse_date
from wardnews.extract.metadata import PageMetadata, jsonld_keywords, jsonld_people
from wardnews.extract.text import class_tokens, clean_text, element_text, tag_name
from wardnews.items import HEURISTIC, METADATA, NONE, SITE
from wardnews.sites.base import SiteProfile

Found = tuple  # (value, strategy, element-or-reason)

_SITE_SUFFIX_RE = re.compile(r"\s+[|\-–—]\s+[^|\-–—]{2,60}$")
_NOT_FOUND_TITLE_RE = re.compile(
    r"không tồn tại|không tìm thấy|404|page not found|not found|lỗi truy cập|trang bạn tìm", re.I
)
SAPO_WORDS = frozenset(
    {
        "sapo",
        "lead",
        "description",
        "summary",
        "chapeau",
        "excerpt",
        "intro",
        "desc",
        "tomtat",
        "sapo_detail",
        "detail-sapo",
        "article__sapo",
    }
)
BODY_HINT_WORDS = frozenset(
    {
        "detail_info",
        "detail-content",
        "detail__content",
        "article-content",
        "article__body",
        "article-body",
        "articlebody",
        "entry-content",
        "post-content",
        "fck_detail",
        "content-detail",
        "news-content",
        "detail-cmain",
        "cms-body",
        "maincontent",
        "main-content",
        "content_detail_news",
        "story-body",
        "the-article-body",
        "singular-content",
        "body-content",
        "noidung",
        "detail-body",
    }
)
DATE_WORDS = frozenset(
    {
        "date",
        "time",
        "datetime",
        "publish",
        "published",
        "pubdate",
        "posted",
        "ngay",
        "ngaydang",
        "thoigian",
        "updated",
        "update",
        "capnhat",
        "meta",
        "post-date",
        "date-time",
        "tool",
        "info",
        "detail-time",
    }
)
_MODIFIED_LABEL_RE = re.compile(r"(cập nhật|updated|sửa|chỉnh sửa)[^0-9]{0,12}$", re.I)
_PUBLISHED_LABEL_RE = re.compile(r"(đăng|ngày đăng|xuất bản|published|posted)[^0-9]{0,12}$", re.I)
BREADCRUMB_SKIP = frozenset({"trang chủ", "home", "trang chu", "tin tức", ""})


def miss(reason: str) -> Found:
    return None, NONE, reason


def _first_css(sel: Selector, selectors) -> tuple[Selector, str] | None:
    for css in selectors:
        for node in sel.css(css):
            text = element_text(node.root) if not isinstance(node.root, str) else clean_text(node.root)
            if text:
                return node, text
    return None


# -- title ---------------------------------------------------------------------
def find_title(sel: Selector, meta: PageMetadata, site: SiteProfile | None) -> Found:
    if site is not None:
        hit = _first_css(sel, site.title_selectors)
        if hit:
            return hit[1], SITE, hit[0].root
    for node in sel.xpath("//h1"):
        text = element_text(node.root)
        if len(text) >= 10 and not class_tokens(node.root) & {"logo", "site-title", "brand"}:
            return text, HEURISTIC, node.root
    headline = meta.ld_text("headline") or meta.ld_text("name")
    if headline:
        return headline, METADATA, None
    found = meta.first("og:title", "twitter:title")
    if found:
        return strip_site_suffix(found[1]), METADATA, None
    title = clean_text(sel.xpath("//title/text()").get())
    if title:
        return strip_site_suffix(title), HEURISTIC, None
    return miss("no h1, JSON-LD headline, og:title or <title>")


def strip_site_suffix(title: str) -> str:
    """``"Tin A | Báo Lao động Thủ đô"`` -> ``"Tin A"``."""
    stripped = _SITE_SUFFIX_RE.sub("", title)
    return stripped if len(stripped) >= 10 else title


def is_error_page(title: str | None) -> bool:
    return bool(title) and bool(_NOT_FOUND_TITLE_RE.search(title)) and len(title) < 80


# -- sapo ----------------------------------------------------------------------
def find_sapo(
    sel: Selector, meta: PageMetadata, site: SiteProfile | None, title_el: etree._Element | None
) -> Found:
    if site is not None:
        hit = _first_css(sel, site.sapo_selectors)
        if hit:
            return hit[1], SITE, hit[0].root
    for node in sel.xpath("//body//*[@class or @id]"):
        el = node.root
        if tag_name(el) in ("p", "h2", "div", "span", "h3", "strong") and class_tokens(el) & SAPO_WORDS:
            text = element_text(el)
            if 40 <= len(text) <= 1500:
                return text, HEURISTIC, el
    if title_el is not None:
        for sibling in list(title_el.itersiblings())[:4]:
            if tag_name(sibling) in ("h2", "p"):
                text = element_text(sibling)
                if 60 <= len(text) <= 1500:
                    return text, HEURISTIC, sibling
    for value in (
        meta.ld_text("description"),
        _meta_value(meta, "og:description", "description", "twitter:description"),
    ):
        if value and len(value) >= 20:
            return value, METADATA, None
    return miss("no sapo element and no description metadata")


def _meta_value(meta: PageMetadata, *keys: str) -> str | None:
    found = meta.first(*keys)
    return found[1] if found else None


# -- body container ------------------------------------------------------------
def find_body_container(sel: Selector, site: SiteProfile | None) -> Found:
    if site is not None:
        for css in site.body_selectors:
            node = sel.css(css)
            if node:
                return node[0].root, SITE, node[0].root
    container = _densest_container(sel)
    if container is not None:
        return container, HEURISTIC, container
    return miss("no element holds the article's paragraphs")


def _densest_container(sel: Selector) -> etree._Element | None:
    """The element whose paragraphs hold the most text (a small readability)."""
    scores: dict[etree._Element, float] = {}
    for p in sel.xpath("//body//p | //body//div[not(descendant::p) and not(descendant::div)]"):
        el = p.root
        text = element_text(el)
        if len(text) < 25:
            continue
        link_chars = sum(len(element_text(a)) for a in el.iter("a"))
        weight = len(text) * (1 - min(link_chars / max(len(text), 1), 1))
        parent = el.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0) + weight
        grandparent = parent.getparent()
        if grandparent is not None:
            scores[grandparent] = scores.get(grandparent, 0) + weight / 2
    for node in sel.xpath("//body//*[@class or @id]"):
        if class_tokens(node.root) & BODY_HINT_WORDS and node.root in scores:
            scores[node.root] *= 1.5
    for el in list(scores):
        if class_tokens(el) & {"comment", "comments", "sidebar", "footer", "related", "binhluan"}:
            scores[el] *= 0.2
        images = len(el.xpath(".//img"))
        scores[el] += 60 * min(images, 20)
    if not scores:
        return None
    return max(scores, key=scores.get)


# -- dates ---------------------------------------------------------------------
def find_dates(
    sel: Selector, meta: PageMetadata, site: SiteProfile | None, now: datetime, body_el: etree._Element | None
) -> tuple[Found, Found]:
    """(published, modified), each ``(ParsedDate, strategy, raw-element)`` or a miss."""
    published: Found | None = None
    modified: Found | None = None
    if site is not None:
        for css in site.date_selectors:
            for node in sel.css(css):
                pub, mod = _dates_in_text(element_text(node.root), now)
                published = published or (pub and (pub, SITE, node.root))
                modified = modified or (mod and (mod, SITE, node.root))
            if published or modified:
                break
    if published is None:
        for key in ("datePublished", "dateCreated"):
            raw = meta.ld(key)
            parsed = parse_date(raw, now=now) if isinstance(raw, str) else None
            if parsed:
                published = (parsed, METADATA, None)
                break
    if published is None:
        for key in (
            "article:published_time",
            "datepublished",
            "pubdate",
            "publishdate",
            "og:published_time",
            "dc.date.issued",
            "date",
            "article:published",
        ):
            found = meta.first(key)
            parsed = parse_date(found[1], now=now) if found else None
            if parsed:
                published = (parsed, METADATA, None)
                break
    if modified is None:
        raw = meta.ld("dateModified")
        parsed = parse_date(raw, now=now) if isinstance(raw, str) else None
        if parsed is None:
            found = meta.first(
                "article:modified_time", "og:updated_time", "datemodified", "lastmod", "last-modified"
            )
            parsed = parse_date(found[1], now=now) if found else None
        if parsed:
            modified = (parsed, METADATA, None)
    if published is None or modified is None:
        pub, mod = _dates_in_header(sel, now, body_el)
        if published is None and pub:
            published = pub
        if modified is None and mod:
            modified = mod
    return (
        published or miss("no date in the page's header, metadata or date elements"),
        modified or miss("the page shows no modification date"),
    )


def _dates_in_text(text: str, now: datetime) -> tuple[ParsedDate | None, ParsedDate | None]:
    """Published and modified dates in one line such as ``Cập nhật: … | Đăng: …``."""
    published = modified = None
    cursor = 0
    for raw in find_date_strings(text):
        index = text.find(raw, cursor)
        before = text[max(0, cursor if index < 0 else index - 30) : max(index, 0)]
        cursor = index + len(raw) if index >= 0 else cursor
        parsed = parse_date(raw, now=now)
        if parsed is None:
            continue
        parsed = ParsedDate(parsed.value, clean_text(text), parsed.has_time, parsed.method)
        if _MODIFIED_LABEL_RE.search(before) or raw.lower().startswith("cập nhật"):
            modified = modified or parsed
        else:
            published = published or parsed
    return published, modified


def _dates_in_header(sel: Selector, now: datetime, body_el) -> tuple[Found | None, Found | None]:
    published = modified = None
    for node in sel.xpath("//time[@datetime]"):
        if body_el is not None and _inside(node.root, body_el):
            continue
        parsed = parse_date(node.attrib["datetime"], now=now)
        if parsed:
            return (parsed, HEURISTIC, node.root), None
    for node in sel.xpath("//body//*[@class or @id]"):
        el = node.root
        if not class_tokens(el) & DATE_WORDS or (body_el is not None and _inside(el, body_el)):
            continue
        text = element_text(el)
        if not text or len(text) > 160:
            continue
        pub, mod = _dates_in_text(text, now)
        published = published or (pub and (pub, HEURISTIC, el))
        modified = modified or (mod and (mod, HEURISTIC, el))
        if published:
            break
    return published, modified


def _inside(el, container) -> bool:
    return any(ancestor is container for ancestor in el.iterancestors()) or el is container


# -- byline, category, tags ----------------------------------------------------
def find_site_byline(sel: Selector, site: SiteProfile | None) -> Found:
    if site is not None:
        hit = _first_css(sel, site.byline_selectors)
        if hit:
            return hit[1], SITE, hit[0].root
    return miss("site byline selectors matched nothing")


def find_metadata_byline(meta: PageMetadata) -> Found:
    people = jsonld_people(meta.ld("author"))
    if people:
        return " - ".join(people), METADATA, None
    found = meta.first("author", "article:author", "dc.creator")
    if found and not found[1].startswith("http"):
        return found[1], METADATA, None
    return miss("no byline line and no author metadata")


def find_category(sel: Selector, meta: PageMetadata, site: SiteProfile | None, title: str | None) -> Found:
    if site is not None:
        for css in site.breadcrumb_selectors:
            name = _last_crumb([element_text(n.root) for n in sel.css(css)], title)
            if name:
                return name, SITE, None
    crumbs = sel.xpath(
        "//*[contains(@class,'breadcrumb') or contains(@id,'breadcrumb')"
        " or contains(@itemtype,'BreadcrumbList')]//a | //nav[contains(@aria-label,'readcrumb')]//a"
    )
    name = _last_crumb([element_text(n.root) for n in crumbs], title)
    if name:
        return name, HEURISTIC, None
    found = meta.first("article:section")
    if found:
        return found[1], METADATA, None
    section = meta.ld_text("articleSection")
    if section:
        return section, METADATA, None
    name = _last_crumb(meta.jsonld_breadcrumb, title)
    if name:
        return name, METADATA, None
    return miss("no breadcrumb and no section metadata")


def _last_crumb(names: list[str], title: str | None) -> str | None:
    names = [n for n in names if n.lower() not in BREADCRUMB_SKIP and n != title]
    return names[-1] if names else None


def find_tags(sel: Selector, meta: PageMetadata, site: SiteProfile | None) -> Found:
    if site is not None:
        for css in site.tag_selectors:
            tags = _unique(element_text(n.root) for n in sel.css(css))
            if tags:
                return tags, SITE, None
    nodes = sel.xpath(
        "//*[contains(concat(' ',normalize-space(@class),' '),' tags ')"
        " or contains(concat(' ',normalize-space(@class),' '),' tag ')"
        " or contains(@class,'tag-list') or contains(@class,'tags-') or contains(@class,'keyword')]//a"
        " | //a[@rel='tag'] | //a[contains(@href,'/tag/') or contains(@href,'/tags/')]"
    )
    tags = _unique(element_text(n.root) for n in nodes)
    if tags:
        return tags, HEURISTIC, None
    tags = _unique(clean_text(v) for v in meta.meta_all.get("article:tag", []))
    if not tags:
        tags = _unique(jsonld_keywords(meta.ld("keywords")))
    if tags:
        return tags, METADATA, None
    return miss("no tag links and no article:tag or keywords metadata")


def _unique(values) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        text = clean_text(value).lstrip("#").strip()
        if text and text.lower() not in ("tags", "tags:", "từ khóa", "từ khóa:"):
            seen.setdefault(text, None)
    return list(seen)
