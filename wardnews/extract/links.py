"""The links an article shows in its named blocks ("Tin khác", "Nên xem" ...).

A block is found by the site's selector when there is one, else by its
heading's text: the heading's nearest ancestor that holds article links and
no other block's heading is the block. Headings are what readers see, so
they outlive class names.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from wardnews.extract.page import Page
from wardnews.extract.text import clean_text, element_text
from wardnews.items import HEURISTIC, SITE
from wardnews.sites.base import SiteProfile
from wardnews.urls import join_url

BLOCK_HEADINGS = {
    "tin khác": "tin_khac",
    "tin cùng chuyên mục": "tin_khac",
    "các tin khác": "tin_khac",
    "có thể bạn quan tâm": "co_the_ban_quan_tam",
    "bạn có thể quan tâm": "co_the_ban_quan_tam",
    "nên xem": "nen_xem",
    "tin liên quan": "related",
    "bài liên quan": "related",
    "tin bài liên quan": "related",
}
# An article link on Vietnamese news portals: "<slug>-<numeric id>.htm(l)".
ARTICLE_HREF_RE = re.compile(r"-\d{4,}\.html?(?:[?#/]|$)", re.IGNORECASE)
# Candidate headings have short own text; links, scripts and the like never are one.
_NOT_HEADINGS = frozenset({"a", "script", "style", "title", "option"})
MAX_CLIMB = 5


def heading_block(text: str) -> str | None:
    """The block name a heading's text announces, e.g. ``"TIN KHÁC"`` -> ``"tin_khac"``."""
    key = unicodedata.normalize("NFC", clean_text(text)).lower().rstrip(" :»>")
    return BLOCK_HEADINGS.get(key)


def find_named_blocks(
    page: Page, site: SiteProfile | None, base_url: str
) -> tuple[list[tuple[str, str, str, etree._Element]], str | None]:
    """``[(block, url, anchor_text, anchor)]`` for every named block, and the strategy used."""
    found: list[tuple[str, str, str, etree._Element]] = []
    strategy = None
    done: set[str] = set()
    if site is not None:
        for block, selectors in site.block_selectors.items():
            for css in selectors:
                nodes = page.select(css)
                if nodes:
                    found.extend((block, *link) for link in article_links(nodes[0], base_url))
                    done.add(block)
                    strategy = SITE
                    break
    headings = []
    if site is not None and site.block_selectors and done >= set(site.block_selectors):
        return found, strategy  # the site's own boxes were all there
    for node in page.elements:
        text = node.text
        # The cheap tests first: this looks at every element of the page.
        if not text or len(text) < 6 or not 5 < len(text.strip()) < 40 or node.tag in _NOT_HEADINGS:
            continue
        if not 5 < len(clean_text(text)) < 30:
            continue
        block = heading_block(text)
        if block and block not in done:
            headings.append((node, block))
    heading_elements = {el for el, _ in headings}
    for heading, block in headings:
        links = _links_after_heading(heading, heading_elements, base_url)
        if links:
            found.extend((block, *link) for link in links)
            strategy = strategy or HEURISTIC
    return found, strategy


def _links_after_heading(heading, heading_elements, base_url):
    ancestor = heading
    for _ in range(MAX_CLIMB):
        ancestor = ancestor.getparent()
        if ancestor is None:
            return []
        others = [h for h in heading_elements if h is not heading and _contains(ancestor, h)]
        if others:
            return []
        links = [link for link in article_links(ancestor, base_url) if _after(heading, link[2])]
        if links:
            return links
    return []


def _contains(ancestor, el) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _after(heading, anchor) -> bool:
    """True when ``anchor`` comes after ``heading`` in document order (and is not inside it)."""
    for el in heading.itersiblings():
        if el is anchor or _contains(el, anchor):
            return True
    for ancestor in heading.iterancestors():
        for el in ancestor.itersiblings():
            if el is anchor or _contains(el, anchor):
                return True
    return False


def article_links(
    root, base_url: str, *, include_root: bool = False
) -> list[tuple[str, str, etree._Element]]:
    """``(absolute url, anchor text, anchor)`` of the article-shaped links under ``root``."""
    links = []
    anchors = [root] if include_root else root.iter("a")
    # Boxes print each story twice (its picture's link, then its headline's): one test per href.
    urls: dict[str, str | None] = {}
    for anchor in anchors:
        href = anchor.get("href")
        if not href:
            continue
        url = urls.get(href, _UNSEEN)
        if url is _UNSEEN:
            url = urls[href] = _article_url(base_url, href)
        if url is not None:
            links.append((url, element_text(anchor) or clean_text(anchor.get("title")), anchor))
    return links


_UNSEEN = object()


def _article_url(base_url: str, href: str) -> str | None:
    """The absolute URL, without fragment, of an article-shaped ``href``; None for any other."""
    href = href.strip()
    # The shape test first: joining every menu and share link is most of the cost.
    if not href or not ARTICLE_HREF_RE.search(href) or href.startswith(("javascript:", "mailto:")):
        return None
    url = join_url(base_url, href)
    return None if url is None else url.split("#", 1)[0]
