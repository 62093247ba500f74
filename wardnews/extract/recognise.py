"""Is this page an article? Judged by what it contains; what it says about itself is evidence.

A page is an article when it has a headline and running text of its own (or
pictures or a video with a lead). It is refused only by its content: no
headline, an error message for a headline, no text of its own, or text that
belongs to other pages (a list of story headlines with their excerpts, the
excerpt of one story that links elsewhere). ``og:type``, JSON-LD ``@type`` and
the shape of the URL never refuse a page: when they disagree with the content
they become a *doubt* on the article (``Article.doubts``), which the crawl
stores and counts.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from lxml import etree

from wardnews.extract.metadata import PageMetadata
from wardnews.extract.page import Page
from wardnews.extract.text import INVISIBLE_TAGS, element_text, href_path, tag_name
from wardnews.urls import join_url

NON_ARTICLE_TYPES = frozenset(
    {"website", "collectionpage", "itemlist", "searchresultspage", "profile", "profilepage"}
)
HEADLINE_TAGS = ("h1", "h2", "h3", "h4", "h5")
# A story headline names a story: a few words, not a section label ("Sport", "Xem thêm").
MIN_HEADLINE_CHARS = 15
MIN_HEADLINE_WORDS = 3
# The excerpt of a story shown under its headline on a listing is short.
MAX_EXCERPT_CHARS = 1500
_HEADLINES = etree.XPath("descendant::h1 | descendant::h2 | descendant::h3 | descendant::h4 | descendant::h5")


def page_addresses(url: str, meta: PageMetadata) -> frozenset[str]:
    """The page's own addresses (fetched URL, rel=canonical, og:url), compared loosely."""
    own = {url, meta.canonical or "", (meta.first("og:url") or ("", ""))[1]}
    return frozenset(loose(join_url(url, u) or "") for u in own if u)


def loose(url: str) -> str:
    """``url`` as compared with the page's own: no scheme, ``www.``, fragment or trailing slash."""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}?{parts.query}" if parts.query else f"{host}{path}"


def story_link(heading, base_url: str, own: frozenset[str]) -> str | None:
    """The other page a headline links to, when the headline is (mostly) that one link."""
    text = element_text(heading)
    if len(text) < MIN_HEADLINE_CHARS or len(text.split()) < MIN_HEADLINE_WORDS:
        return None
    anchors = list(heading.iter("a")) or list(heading.iterancestors("a"))[:1]
    for anchor in anchors:
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = join_url(base_url, href)
        if url is None or href_path(url) in ("", "/") or loose(url) in own:
            continue
        if anchor in heading.iterancestors() or len(element_text(anchor)) >= 0.6 * len(text):
            return url
    return None


def story_headlines(root, base_url: str, own: frozenset[str], title_el=None) -> dict:
    """``{heading: url}`` for every headline under ``root`` that links to another page."""
    found = {}
    for heading in _HEADLINES(root):
        if heading is title_el:
            continue
        url = story_link(heading, base_url, own)
        if url:
            found[heading] = url
    return found


def teaser_roots(container, headlines: dict) -> dict:
    """``{element: url}``: the block that shows one other story (its headline first, then excerpt).

    The block is the highest element inside ``container`` that holds exactly one
    story headline, starts with it (a picture or a label of a few characters may
    come first), and has little text besides. A story headline in the running
    text of an article ("Read also: <h3><a>…</a></h3>") stands alone; the
    article's paragraphs around it are not taken.
    """
    per_ancestor: dict = {}
    for heading in headlines:
        for ancestor in heading.iterancestors():
            if ancestor is container:
                break
            per_ancestor[ancestor] = per_ancestor.get(ancestor, 0) + 1
    roots = {}
    for heading, url in headlines.items():
        heading_chars = len(element_text(heading))
        root = heading
        for ancestor in heading.iterancestors():
            if ancestor is container or per_ancestor.get(ancestor) != 1:
                break
            text = element_text(ancestor)
            if len(text) > heading_chars + MAX_EXCERPT_CHARS // 2:
                break
            if _text_before(ancestor, heading) > 40:
                break
            root = ancestor
        roots[root] = url
    return roots


def _text_before(ancestor, heading) -> int:
    """Characters of visible text in ``ancestor`` before ``heading`` (a kicker, a date: a few)."""
    above = set(heading.iterancestors())
    count = 0
    for el in ancestor.iter():
        if el is heading or count > 40:
            break
        tag = tag_name(el)
        if tag and tag not in INVISIBLE_TAGS:
            count += len((el.text or "").strip())
        if el is not ancestor and el not in above:
            count += len((el.tail or "").strip())
    return count


def excerpt_of_another_story(page: Page, container, title_el, base_url: str, own: frozenset[str]) -> bool:
    """True when ``container`` is the excerpt printed under another page's headline (a tag page's lead).

    Looked for within two levels above the container: a story headline before
    it, in a block that does not hold the page's own headline and has little
    text besides the excerpt.
    """
    parent = container.getparent()
    if parent is None or tag_name(parent) in ("body", "html"):
        return False  # nothing above it to hold another story's headline (and no whole page's text asked)
    text_chars = len(element_text(container))
    if text_chars > MAX_EXCERPT_CHARS:
        return False
    order = page.order
    start = order.get(container, 0)
    ancestor = container
    for _ in range(2):
        ancestor = ancestor.getparent()
        if ancestor is None or tag_name(ancestor) in ("body", "html"):
            return False
        if title_el is not None and (ancestor is title_el or title_el in ancestor.iterdescendants()):
            return False
        if len(element_text(ancestor)) > text_chars + 400:
            return False
        for heading in story_headlines(ancestor, base_url, own, title_el):
            if order.get(heading, start) < start:
                return True
    return False


def metadata_doubts(meta: PageMetadata) -> list[str]:
    """What the page's metadata says against it being an article (evidence, not a verdict)."""
    doubts = []
    og_type = (meta.meta.get("og:type") or "").strip().lower()
    if og_type in NON_ARTICLE_TYPES:
        doubts.append(f"og:type says {og_type}")
    ld_types = {str(t).lower() for t in meta.page_types}
    if ld_types & NON_ARTICLE_TYPES and not meta.jsonld_article:
        doubts.append(f"JSON-LD says {', '.join(sorted(ld_types & NON_ARTICLE_TYPES))} and no article")
    return doubts


def declares_article(meta: PageMetadata) -> bool:
    """True when the page's metadata says it is one dated article.

    ``og:type=article`` with ``article:published_time``, or a JSON-LD article
    object with a headline and a ``datePublished``: a section page does not
    date itself as one story.
    """
    og_type = (meta.meta.get("og:type") or "").strip().lower()
    if og_type == "article" and meta.meta.get("article:published_time"):
        return True
    article = meta.jsonld_article
    types = article.get("@type") if article else None
    types = {str(t).lower() for t in ([types] if isinstance(types, str) else (types or []))}
    return bool(types - {"webpage"}) and bool(article.get("headline")) and bool(article.get("datePublished"))
