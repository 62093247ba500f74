"""A listing page (section, hub, home page, "load more" fragment) read as a crawler needs it.

``read_listing(html, url, site, page=1)`` is pure: the page in, a ``Listing``
out (its article links, the further pages of the same listing, the sections
its navigation names). Spiders decide what to fetch from it; they hold no CSS
and no regexes.

Every rule is generic first-class, so it works with the site selectors off
(``WARDNEWS_SITE_SELECTORS=off``); the profile's selectors only put the
surest links first:

- **article links**: every link whose URL has the shape of an article page
  of the site (``-<id>.html``, ``.media``), in page order, those the
  profile's listing selectors pick first;
- **further pages**: ``rel=next``; a link reading "Trang sau", "Tiếp", "»"...;
  a link whose text is a page number and whose URL is a page of the same
  listing (``?page=N``, ``&p=N``, ``/trang-N.html``, ``/p/N``...); a "Xem
  thêm" / "load more" control, with its URL in ``href`` or in a ``data-*``
  attribute (an AJAX endpoint returning an HTML fragment, MasterCMS-style);
- **sections**: links of the navigation (the profile's menu selectors,
  ``nav``, ``header``, or any element whose class or id says menu or nav)
  whose text names local news ("phường", "xã", "địa phương"...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml import etree

from wardnews.extract.document import parse_html
from wardnews.extract.text import class_tokens, clean_text
from wardnews.sites.base import SiteProfile
from wardnews.urls import (
    ARTICLE_LINK,
    PRINT_LINK,
    canonicalize,
    is_article_url,
    is_print_url,
    join_url,
    link_target,
)

# The text of a link to the next page of a listing.
NEXT_TEXT_RE = re.compile(
    r"^(trang sau|trang tiếp|tiếp|tiếp theo|sau|xem tiếp|next|»|›|>>?|&raquo;)$", re.IGNORECASE
)
# The text of a "show more" control (a next page, or an AJAX fragment of one).
MORE_TEXT_RE = re.compile(r"^(xem thêm|tải thêm|xem thêm tin|load more|more|thêm tin)\W*$", re.IGNORECASE)
# Attributes where a "load more" control keeps the URL its script fetches.
MORE_URL_ATTRIBUTES = ("data-url", "data-href", "data-next", "data-ajax-url", "data-src", "data-link")
# Class or id words of a "load more" control and of a navigation container.
MORE_CLASS_WORDS = frozenset({"loadmore", "load_more", "viewmore", "view_more", "more", "xemthem"})
NAV_CLASS_WORDS = frozenset({"menu", "nav", "navbar", "navigation", "mainmenu", "main_menu"})
MAX_SECTION_TEXT = 40  # a menu label, not a headline

MAX_PAGING_TEXT = 40  # "Trang sau", "Xem thêm »", a page number: not a headline
_LINK_NEXT = etree.XPath("//link[@rel='next'][@href]")


@lru_cache(maxsize=64)
def _more_controls(names: tuple[str, ...]) -> etree.XPath:
    """Elements with any of the attributes ``names`` (a test on every element: only those the page spells)."""
    return etree.XPath("//*[" + " or ".join(f"@{name}" for name in names) + "]")


@dataclass(frozen=True)
class PageLink:
    """A further page of the listing: absolute URL, the page number it holds, and how it was found.

    ``how`` is ``number`` (a numbered link), ``next`` (rel=next or a "next" link) or
    ``more`` (a "Xem thêm" / load-more control, possibly an AJAX fragment URL).
    """

    url: str
    number: int
    how: str


@dataclass
class Listing:
    """What a listing page offers the crawler."""

    url: str
    page: int
    article_links: list[str] = field(default_factory=list)  # absolute, as written, page order
    print_links: list[str] = field(default_factory=list)  # printable copies of articles (aliases)
    next_pages: list[PageLink] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # absolute URLs of navigation sections


def page_number(url: str, site: SiteProfile) -> int | None:
    """The listing page a URL points to (``?page=3``, ``&p=3``, ``/trang-3.html``, ``/p/3``), if it says."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    for pattern in site.page_number_res:
        match = pattern.search(target)
        if match:
            return int(match.group(1))
    return None


def listing_root(url: str, site: SiteProfile) -> str:
    """The listing a page belongs to: its URL without the page number (``/x/trang-3.html`` -> ``/x``)."""
    parts = urlsplit(url)
    path, query = parts.path, parts.query
    for pattern in site.page_number_res:
        match = pattern.search(path)
        if match:
            path = path[: match.start()]
            break
    pairs = parse_qsl(query, keep_blank_values=True)
    for pattern in site.page_number_res:
        kept = [(k, v) for k, v in pairs if not pattern.fullmatch(f"?{k}={v}")]
        if len(kept) < len(pairs):
            pairs = kept
            break
    return urlunsplit((parts.scheme, parts.netloc.lower(), path.rstrip("/") or "/", urlencode(pairs), ""))


def with_page_number(url: str, number: int, site: SiteProfile) -> str | None:
    """``url`` asking for page ``number`` instead, when the URL says its page number; else None."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    for pattern in site.page_number_res:
        match = pattern.search(target)
        if match:
            start, end = match.span(1)
            changed = target[:start] + str(number) + target[end:]
            path, _, query = changed.partition("?")
            return urlunsplit((parts.scheme, parts.netloc, path, query, ""))
    return None


def read_listing(
    html: str | bytes, url: str, site: SiteProfile, page: int = 1, sections: bool = True
) -> Listing:
    """Read a listing page (or an HTML fragment of one) fetched from ``url``, page number ``page``.

    ``sections=False`` leaves ``Listing.sections`` empty, for a crawler that does not
    look for sections on this page (reading the navigation is half the work).
    """
    doc = parse_html(html, url)
    listing = Listing(url=url, page=page)
    anchors = [a for a in doc.tagged("a") if a.get("href") is not None]
    texts: dict = {}  # anchor -> its text, read once for paging and sections
    listing.article_links, listing.print_links = _article_links(doc, anchors, url, site)
    listing.next_pages = _next_pages(doc, anchors, url, site, page, texts)
    if sections:
        listing.sections = _sections(doc, anchors, url, site, texts)
    return listing


def _article_links(doc, anchors, url: str, site: SiteProfile) -> tuple[list[str], list[str]]:
    chosen: dict[str, None] = {}
    for css in site.listing_link_selectors:
        for href in _hrefs(doc, css):
            link = join_url(url, href)
            target = link_target(link, site) if link else None
            if target and target[1] == ARTICLE_LINK:
                chosen.setdefault(link)
    printed: dict[str, None] = {}
    for anchor in anchors:
        link = join_url(url, anchor.get("href") or "")
        target = link_target(link, site) if link else None
        kind = target[1] if target else None
        if kind == PRINT_LINK:
            printed.setdefault(link)
        elif kind == ARTICLE_LINK:
            chosen.setdefault(link)
    return list(chosen), list(printed)


_HREF_ATTR = "::attr(href)"


def _hrefs(doc, css: str) -> list[str]:
    """What ``css`` selects: ``a::attr(href)`` from the page's indexes (``Page.select``), else parsel."""
    if css.endswith(_HREF_ATTR):
        return [href for el in doc.select(css[: -len(_HREF_ATTR)]) if (href := el.get("href")) is not None]
    return doc.sel.css(css).getall()


def _text(el) -> str:
    if not len(el):
        return clean_text(el.text)  # most anchors: no children, the text is all there is
    return clean_text("".join(el.itertext()))


def _anchor_text(anchor, texts: dict) -> str:
    text = texts.get(anchor)
    if text is None:
        text = texts[anchor] = _text(anchor)
    return text


def _next_pages(doc, anchors, url: str, site: SiteProfile, page: int, texts: dict) -> list[PageLink]:
    root = doc.root
    here = listing_root(url, site)
    found: dict[str, PageLink] = {}

    def add(href: str | None, how: str, stated: int | None = None) -> None:
        link = join_url(url, href or "")
        if not link or not site.owns(link) or link.split("#")[0] == url.split("#")[0]:
            return
        canonical = canonicalize(link, site)
        if is_article_url(canonical, site) or is_print_url(canonical, site):
            return
        number = page_number(link, site) or stated
        if listing_root(link, site) != here:
            # Another listing: a page of this one only when it says which page it is
            # (an AJAX endpoint's ``?page=2``); else it is navigation, not paging.
            if how == "number" or number is None:
                return
        elif number is None:
            number = 1 if how == "number" else page + 1
        if number > page and link not in found:
            found[link] = PageLink(link, number, how)

    for el in _LINK_NEXT(root):
        add(el.get("href"), "next")
    for anchor in anchors:
        text = _anchor_text(anchor, texts)
        if not _may_be_paging(anchor, text):
            continue
        rel = (anchor.get("rel") or "").lower()
        if "next" in rel.split() or NEXT_TEXT_RE.match(text):
            add(anchor.get("href"), "next")
        elif text.isdigit():
            add(anchor.get("href"), "number")
        elif MORE_TEXT_RE.match(text) or class_tokens(anchor) & MORE_CLASS_WORDS:
            href = anchor.get("href") or ""
            if href.startswith(("javascript:", "#")) or not href:
                continue  # its URL, if any, is in a data-* attribute (below)
            add(href, "more")
    spelt = tuple(name for name in MORE_URL_ATTRIBUTES if doc.source_mentions(name))
    for el in _more_controls(spelt)(root) if spelt else ():
        if not (MORE_TEXT_RE.match(_text(el)) or class_tokens(el) & MORE_CLASS_WORDS):
            continue
        for name in MORE_URL_ATTRIBUTES:
            value = el.get(name)
            if value:
                stated = el.get("data-page")
                add(value, "more", int(stated) if stated and stated.isdigit() else None)
                break
    return sorted(found.values(), key=lambda p: (p.number, p.url))


def _may_be_paging(anchor, text: str) -> bool:
    """A rel, a short text, or a class or id that may hold a "load more" word.

    Every word of MORE_CLASS_WORDS has "more" or "xemthem" in it (the words
    themselves are checked after). A headline link, long-texted and with a class
    of its own, is none of these.
    """
    if anchor.get("rel") is not None or len(text) <= MAX_PAGING_TEXT:
        return True
    marks = f"{anchor.get('class') or ''} {anchor.get('id') or ''}".lower()
    return "more" in marks or "xemthem" in marks


def _is_navigation(el, known: dict) -> bool:
    """Is ``el`` inside a ``nav`` or ``header``, or an element whose class or id says menu or nav?

    ``known`` remembers the answer for each element looked at, so that the anchors of
    one page, which share their ancestors, cost one walk up the tree between them.
    """
    path = []
    node = el
    answer = False
    while node is not None:
        cached = known.get(node)
        if cached is not None:
            answer = cached
            break
        path.append(node)
        if isinstance(node.tag, str) and (
            node.tag.lower() in ("nav", "header") or class_tokens(node) & NAV_CLASS_WORDS
        ):
            answer = True
            break
        node = node.getparent()
    for seen in path:
        known[seen] = answer
    return answer


def _sections(doc, anchors, url: str, site: SiteProfile, texts: dict) -> list[str]:
    menu: list = []
    for css in site.navigation_selectors:
        menu += doc.select(css) if "::" not in css else []
    menu_set = set(menu)
    known: dict = {}
    candidates = menu + [a for a in anchors if a not in menu_set and _is_navigation(a, known)]
    found: dict[str, None] = {}
    for anchor in candidates:
        text = _anchor_text(anchor, texts).lower()
        href = anchor.get("href")
        if not href or not text or len(text) > MAX_SECTION_TEXT:
            continue
        if not any(word in text for word in site.section_keywords):
            continue
        link = join_url(url, href)
        if not link or not site.owns(link):
            continue
        canonical = canonicalize(link, site)
        if is_article_url(canonical, site) or is_print_url(canonical, site):
            continue
        if any(p.search(urlsplit(canonical).path) for p in site.skip_path_res):
            continue
        found.setdefault(link)
    return list(found)


__all__ = ["Listing", "PageLink", "listing_root", "page_number", "read_listing", "with_page_number"]
