"""Where the article's running text lives, on a page nobody wrote selectors for.

Every text block (a paragraph, or a ``<div>``/``<td>`` holding text directly)
scores its length, less the share of it that is link text, plus a little for
the commas of prose; its parent gets the score and its grandparent half of
it. The best-scoring element is the body. Blocks hidden from the reader,
inside navigation, comment threads or forms score nothing; an element whose
class says it is a sidebar, footer or related box counts a fifth. Pictures
score nothing: a gallery, a footer of logos or a sidebar of thumbnails holds
many of them and no prose.

A body the CMS split into sibling blocks (the lead's block, then the text's,
a box between them) is kept whole: the siblings of the best element that
score at least a fifth of it, or are plain paragraphs of prose, come with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from wardnews.extract.page import Page
from wardnews.extract.text import INLINE_TAGS, class_tokens, class_words, element_text, is_hidden, tag_name

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
        "article-text",
        "story-content",
        "post-body",
        "entry-body",
        "article__content",
        "article-body-content",
        "text-content",
        "richtext",
    }
)
PENALTY_WORDS = frozenset(
    {
        "comment",
        "comments",
        "sidebar",
        "footer",
        "related",
        "binhluan",
        "widget",
        "teaser",
        "promo",
        "recommended",
        "recommendations",
        "newsletter",
        "popular",
        "most-read",
        "mostread",
        "trending",
        "tinkhac",
        "lienquan",
        "docnhieu",
        "breadcrumb",
        "menu",
        "navigation",
    }
)
# Elements whose text is never the article's: navigation, and what a page adds around it.
SKIP_TAGS = frozenset({"nav", "dialog", "template", "menu"})
# Usually around the article, now and then around its text: counted, at a fifth.
ASIDE_TAGS = frozenset({"aside", "footer"})
# A form around the whole page (ASP.NET) holds the article; a comment form is short.
MAX_FORM_CHARS = 3000
# A cookie or privacy consent dialog: long prose, never the article.
CONSENT_WORDS = frozenset(
    {"cookie", "cookies", "consent", "gdpr", "onetrust", "ccpa", "cookiebanner", "didomi"}
)
# Whole class or id words of comment threads ("comments-open" on <body> is not one).
COMMENT_WORDS = frozenset(
    {
        "comment",
        "comments",
        "commentlist",
        "comment-list",
        "comments-area",
        "comment-section",
        "comments-section",
        "binhluan",
        "respond",
        "fb-comments",
        "disqus_thread",
    }
)
MIN_BLOCK_CHARS = 25
SIBLING_SHARE = 0.2
MAX_WIDEN_LEVELS = 5
WIDEN_GAIN = 0.25  # the parent must hold this much more prose than the body found so far
WIDEN_DENSITY = 0.7  # and be at least this much prose, relative to it
PARAGRAPH_TAGS = frozenset({"p", "pre", "blockquote"})
LEAF_TAGS = frozenset({"div", "td", "section"})
LOOSE_HOLDER_TAGS = frozenset({"div", "td", "section", "article", "main", "font", "center", "span"})
_HOLDS_BLOCKS = frozenset({"p", "div", "table"})
LOOSE_TEXT_CHARS = 30
LOOSE_INLINE_CHARS = 60
LIST_ITEM_CHARS = 120


def text_blocks(page: Page) -> tuple[list, list]:
    """``(blocks, loose)``: the page's paragraphs (and leaf ``<div>``/``<td>``/long ``<li>``), and the
    elements that hold loose text of their own beside other blocks (lines between ``<br>``).

    One pass over the page marks every element that has a ``<p>``, ``<div>`` or
    ``<table>`` inside it; no XPath predicate walks a subtree per element.
    """
    elements = page.body_elements
    holds_blocks: set = set()
    holds_paragraph: set = set()
    for el in elements:
        tag = el.tag  # the HTML parser gives lower-case names; only elements are in the list
        if tag in _HOLDS_BLOCKS:
            for ancestor in el.iterancestors():
                if ancestor in holds_blocks and (tag != "p" or ancestor in holds_paragraph):
                    break
                holds_blocks.add(ancestor)
                if tag == "p":
                    holds_paragraph.add(ancestor)
    blocks, loose = [], []
    for el in elements:
        tag = el.tag
        if tag == "p" or tag == "pre":
            blocks.append(el)
        elif tag == "blockquote":
            if el not in holds_paragraph:
                blocks.append(el)
        elif tag in LEAF_TAGS and el not in holds_blocks:
            blocks.append(el)
        elif tag == "li" and el not in holds_blocks and len(_STRING(el)) > LIST_ITEM_CHARS:
            blocks.append(el)  # a long list item with no paragraph or block of its own
        if tag in LOOSE_HOLDER_TAGS and el in holds_blocks and _has_loose_text(el):
            loose.append(el)
    return blocks, loose


def _has_loose_text(el) -> bool:
    if el.text and len(el.text.strip()) > LOOSE_TEXT_CHARS:
        return True
    for child in el:
        if child.tail and len(child.tail.strip()) > LOOSE_TEXT_CHARS:
            return True
        if tag_name(child) in _LOOSE_INLINE and len(_STRING(child)) > LOOSE_INLINE_CHARS:
            return True
    return False


_LOOSE_INLINE = frozenset({"span", "font", "b", "strong", "em", "i", "a"})


def _widen(main, totals: dict, title_el=None):
    """The ancestor of ``main`` that holds the whole body when the CMS cut it into chunks.

    Climb, below the element that holds the headline, while the parent holds
    markedly more prose (a quarter more) and is as much prose as ``main`` is (not
    a page wrapper whose extra text is menus and link lists). Prose density is
    prose characters over all visible characters.
    """
    current = main
    density = None  # asked only once a parent is worth weighing (a whole page's text is costly)
    title_line = set(title_el.iterancestors()) if title_el is not None else set()
    for _ in range(MAX_WIDEN_LEVELS):
        parent = current.getparent()
        if parent is None or tag_name(parent) in ("body", "html") or class_tokens(parent) & PENALTY_WORDS:
            break
        if parent in title_line:
            break  # the article's header (headline, date, byline) is not its body
        if density is None:
            density = totals.get(main, 0.0) / max(len(element_text(main)), 1)
        gain = totals.get(parent, 0.0) - totals.get(current, 0.0)
        if gain < WIDEN_GAIN * totals.get(current, 0.0):
            # Little more prose one level up: a wrapper; try the next level before giving up.
            if gain <= 0 and len(element_text(parent)) <= len(element_text(current)) * 1.2:
                current_candidate = parent
                parent_density = totals.get(parent, 0.0) / max(len(element_text(parent)), 1)
                if parent_density >= WIDEN_DENSITY * density:
                    current = current_candidate
                    continue
            break
        parent_density = totals.get(parent, 0.0) / max(len(element_text(parent)), 1)
        if parent_density < WIDEN_DENSITY * density:
            break
        current = parent
    return current if current is not main and totals.get(current, 0) > totals.get(main, 0) else main


@dataclass
class BodyArea:
    """The body's element, and the sibling blocks that continue it (in document order)."""

    main: etree._Element
    continued: list[etree._Element] = field(default_factory=list)


def _excluded(el, cache: dict, include_hidden: bool = False) -> bool:
    """Inside something that is never the article's text (memoised up the tree)."""
    chain = []
    node = el
    verdict = False
    while node is not None:
        known = cache.get(node)
        if known is not None:
            verdict = known
            break
        chain.append(node)
        tag = tag_name(node)
        if tag in SKIP_TAGS or tag == "a" or (tag == "form" and len(element_text(node)) < MAX_FORM_CHARS):
            verdict = True
            break
        if (not include_hidden and is_hidden(node)) or class_words(node) & COMMENT_WORDS:
            verdict = True
            break
        if tag not in ("body", "html", "main", "article") and class_tokens(node) & CONSENT_WORDS:
            verdict = True
            break
        node = node.getparent()
    for item in chain:
        cache[item] = verdict
    return verdict


def loose_text(el) -> tuple[str, int]:
    """The text an element holds itself (its text nodes and inline children), and its link text."""
    pieces = [el.text or ""]
    link_chars = 0
    for child in el:
        tag = tag_name(child)
        if tag in INLINE_TAGS or tag == "br":
            text = element_text(child)
            pieces.append(text)
            if tag == "a":
                link_chars += len(text)
            else:
                link_chars += sum(len(element_text(a)) for a in child.iter("a"))
        pieces.append(child.tail or "")
    return " ".join(" ".join(pieces).split()), link_chars


_STRING = etree.XPath("normalize-space()")


def block_weight(el, text: str | None = None, link_chars: int | None = None) -> float:
    """Characters of prose in a block: its text less its link text, plus a point per comma."""
    text = element_text(el) if text is None else text
    if len(text) < MIN_BLOCK_CHARS:
        return 0.0
    if link_chars is None:
        # A paragraph with no child elements holds no link (unless it is one).
        link_chars = sum(len(_STRING(a)) for a in el.iter("a")) if len(el) or el.tag == "a" else 0
    share = 1 - min(link_chars / max(len(text), 1), 1)
    if share < 0.5:
        return 0.0
    commas = text.count(",") + text.count("、") + text.count("，")
    return (len(text) + 5 * min(commas, 20)) * share


def score_elements(page: Page, include_hidden: bool = False) -> dict:
    return _scores(page, include_hidden)[0]


def _scores(page: Page, include_hidden: bool = False) -> tuple[dict, dict]:
    """Element -> the prose it holds: its children's blocks in full, its grandchildren's half.

    A block of loose text counts for the element that holds it, as a paragraph would.
    """
    scores: dict = {}
    totals: dict = {}  # element -> all the prose beneath it
    cache: dict = {}
    weighed = []
    blocks, loose = text_blocks(page)
    for el in blocks:
        weighed.append((el, block_weight(el), el.getparent()))
    for el in loose:
        text, link_chars = loose_text(el)
        weighed.append((el, block_weight(el, text, link_chars), el))
    for el, weight, parent in weighed:
        if not weight or _excluded(el, cache, include_hidden):
            continue
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0.0) + weight
        for ancestor in (parent, *parent.iterancestors()):
            totals[ancestor] = totals.get(ancestor, 0.0) + weight
        grandparent = parent.getparent()
        if grandparent is not None:
            scores[grandparent] = scores.get(grandparent, 0.0) + weight / 2
    for el in list(scores):
        tokens = class_tokens(el)
        if tokens & BODY_HINT_WORDS or (el.get("itemprop") or "").lower() == "articlebody":
            scores[el] *= 1.5
        if tokens & PENALTY_WORDS or tag_name(el) in ASIDE_TAGS:
            scores[el] *= 0.2
        if tag_name(el) in ("body", "html"):
            scores[el] *= 0.5
    return scores, totals


def find_body_area(page: Page, include_hidden: bool = False, title_el=None) -> BodyArea | None:
    """The element that holds the article's prose, with the sibling blocks that continue it.

    Content the page hides is left out unless ``include_hidden`` (the second try
    on a page whose visible text holds no body: some render it hidden, then show it).
    """
    scores, totals = _scores(page, include_hidden)
    if not scores:
        return None
    next_stories = _next_stories(page, title_el)
    main = _widen(_own_story_best(page, scores, title_el, next_stories), totals, title_el)
    best = scores.get(main, 0.0)
    continued = []
    parent = main.getparent()
    if parent is not None and tag_name(main) not in ("body", "html"):
        for sibling in parent:
            if sibling is main or not isinstance(sibling.tag, str) or is_hidden(sibling):
                continue
            if any(h is sibling or h in sibling.iterdescendants() for h in next_stories):
                continue  # the next story, under its own headline
            tokens = class_tokens(sibling)
            if tokens & PENALTY_WORDS:
                continue
            score = scores.get(sibling, 0.0)
            if score >= SIBLING_SHARE * best or (
                tag_name(sibling) == "p" and block_weight(sibling) >= 80 and score == 0
            ):
                continued.append(sibling)
    if not continued:
        outer, chunks = _chunks_beside_wrapper(main, totals, title_el, include_hidden)
        if chunks:
            return BodyArea(outer, chunks)
    return BodyArea(main, continued)


OWN_STORY_SHARE = 0.2  # of the best score: the headline's own text, though a later story's is longer


def _own_story_best(page: Page, scores: dict, title_el, later: list):
    """The best-scoring element, unless it lies under the next headline of the same rank.

    A page that runs several stories one after the other (an endless scroll, a
    live page) prints each under its own ``<h1>``: the article is the text
    between its headline and the next one, when that text is a body's worth.
    """
    best = max(scores, key=scores.get)
    order = page.order
    start = order.get(title_el)
    if start is None or not later or order.get(best, 0) < order[later[0]]:
        return best
    end = order[later[0]]
    holders = set(later[0].iterancestors())  # the next story's own block starts before its headline
    between = [el for el in scores if start < order.get(el, -1) < end and el not in holders]
    if not between:
        return best
    own = max(between, key=scores.get)
    return own if scores[own] >= OWN_STORY_SHARE * scores[best] else best


def _next_stories(page: Page, title_el) -> list:
    """Headlines of the title's rank after it that are other stories' (not a repeat of the title)."""
    if title_el is None or not isinstance(title_el.tag, str) or title_el not in page.order:
        return []
    order = page.order
    start = order[title_el]
    words = set(element_text(title_el).casefold().split())
    return [
        h
        for h in page.tagged(tag_name(title_el))
        if order.get(h, -1) > start and not _same_headline(words, element_text(h))
    ]


def _same_headline(words: set, other: str) -> bool:
    """True for a headline that repeats the title (a print heading, a sticky header): not the next story."""
    theirs = set(other.casefold().split())
    if not words or not theirs:
        return not theirs
    return len(words & theirs) >= 0.5 * min(len(words), len(theirs))


WRAPPER_SLACK = 1.1  # a parent with no more text than this is only a wrapper around the body
CHUNK_SHARE = 0.2  # a chunk of the body: some paragraphs of the text, as dense in prose as it is
CHUNK_MIN_PROSE = 80


def _chunks_beside_wrapper(main, totals: dict, title_el, include_hidden: bool) -> tuple:
    """The outermost wrapper of ``main`` and its siblings that carry the rest of the body.

    Some CMSs wrap each chunk of the text (a few paragraphs between two ads or
    pictures) in the same stack of ``<div>``s: the chunks are siblings several
    levels above the paragraphs, where ``scores`` (children and grandchildren)
    sees nothing. A sibling of the outermost wrapper that holds a fifth
    of the body's prose, all levels counted, is about as much prose as the body
    (not a gallery or a list of links), and is no teaser, sidebar or the
    headline's block, continues it.
    """
    own = totals.get(main, 0.0)
    title_line = set(title_el.iterancestors()) if title_el is not None else set()
    outer = main
    length = None  # the text of main, asked only when it has a parent to compare with
    while True:
        parent = outer.getparent()
        if parent is None or tag_name(parent) in ("body", "html") or parent in title_line:
            break
        if length is None:
            length = len(element_text(main))
        if len(element_text(parent)) > length * WRAPPER_SLACK + 20:
            break
        outer = parent
    parent = outer.getparent()
    if outer is main or parent is None or tag_name(parent) in ("body", "html"):
        return outer, []
    density = own / max(length, 1)
    chunks = []
    for sibling in parent:
        if sibling is outer or not isinstance(sibling.tag, str) or sibling in title_line:
            continue
        if (not include_hidden and is_hidden(sibling)) or class_tokens(sibling) & PENALTY_WORDS:
            continue
        if title_el is not None and (sibling is title_el or title_el in sibling.iterdescendants()):
            continue
        prose = totals.get(sibling, 0.0)
        if prose >= max(CHUNK_MIN_PROSE, CHUNK_SHARE * own) and prose >= WIDEN_DENSITY * density * len(
            element_text(sibling)
        ):
            chunks.append(sibling)  # as much prose as the body is: no gallery or list of stories
    return outer, chunks


_FIGURES = etree.XPath("//body//figure")
LEAD_FIGURES = 3
COVER_CHILDREN = 4  # a cover block holds the picture, the headline and a line or two


def lead_figures(page: Page, title_el, body_el) -> list:
    """``<figure>`` elements between the headline and the body: the story's lead picture.

    Pages put the lead picture in the article's header, outside the element
    that holds the text. Only figures after the headline and before the body
    count, outside navigation, links (another story's thumbnail) and hidden parts.
    """
    if body_el is None:
        return []
    order = page.order
    start = order.get(title_el, -1) if title_el is not None else -1
    scope = _scope(title_el, body_el)
    if scope is not None:
        start = min(start, order.get(scope, start))  # a hero picture printed above the headline
    end = order.get(body_el, -1)
    if end < 0:
        return []
    found = []
    cache: dict = {}
    for el in _FIGURES(page.root):
        position = order.get(el, -1)
        if not start < position < end or any(a is body_el for a in el.iterancestors()):
            continue
        if (
            next(el.iterancestors("figure"), None) is not None
            or _excluded(el, cache)
            or class_tokens(el) & PENALTY_WORDS
        ):
            continue
        found.append(el)
    if title_el is None:
        found = found[-1:]  # without a headline to start from, only the picture right above the body
    else:
        # A cover picture printed with the headline in one block (an e-magazine's title over it).
        cover = title_el.getparent()
        if cover is not None and tag_name(cover) not in ("body", "html") and len(cover) <= COVER_CHILDREN:
            pictures = [c for c in cover if tag_name(c) in ("img", "picture", "amp-img")]
            found = [p for p in pictures if order.get(p, end) < end] + found
    return found[:LEAD_FIGURES]


def _scope(title_el, body_el):
    """The smallest element holding the headline and the body, when it is not the whole page."""
    if title_el is None:
        return None
    body_line = {body_el, *body_el.iterancestors()}
    for ancestor in title_el.iterancestors():
        if ancestor in body_line:
            return None if tag_name(ancestor) in ("body", "html") else ancestor
    return None
