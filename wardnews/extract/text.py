"""Text helpers shared by the extractors: Unicode NFC, folded white space, element text."""

from __future__ import annotations

import re
import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree

_WORD_PARTS_RE = re.compile(r"[-_]+")
# Zero-width characters are not white space to str.split(), but CMSs put them between words.
_ZERO_WIDTH = {0x200B: " ", 0x200C: " ", 0x200D: " ", 0xFEFF: " "}
# Elements whose text a reader never sees.
INVISIBLE_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "svg",
        "button",
        "select",
        "option",
        "input",
        "textarea",
    }
)


# Classes that hide an element from the eye (screen-reader text, hidden SEO headings).
HIDDEN_CLASS_WORDS = frozenset(
    {
        "sr-only",
        "visually-hidden",
        "visuallyhidden",
        "screen-reader-text",
        "screenreader",
        "noscreen",
        "is-hidden",
        "u-a11y-hidden",
        "hidden",
        "d-none",
        "hide",
        "invisible",
        "element-invisible",
    }
)
_SHOWN_FROM_RE = re.compile(r"^d-(?:sm|md|lg|xl|xxl)-(?!none)|^visible-")
_DISPLAY_NONE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
INLINE_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "font",
        "i",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
        "label",
    }
)


def clean_text(text: str | None) -> str:
    """NFC, white space folded to single spaces, stripped."""
    if not text:
        return ""
    if not text.isascii():  # ASCII is known without a scan: nothing to compose, no zero-width characters
        text = unicodedata.normalize("NFC", text)
    if is_folded(text) and text[0] != " " and text[-1] != " ":
        return text  # most headlines and anchors: splitting and joining them again costs 3x the test
    if "\u200b" in text or "\u200c" in text or "\u200d" in text or "\ufeff" in text:
        text = text.translate(_ZERO_WIDTH)
    return " ".join(text.split())  # str.split() knows every Unicode space, nbsp included


def is_folded(text: str) -> bool:
    """True when ``text`` holds no white space but single spaces and no zero-width character.

    Every character ``str.split()`` splits on other than the space (tabs, line
    breaks, nbsp, the Unicode spaces) is unprintable, and so are the zero-width
    ones (format characters): one C loop answers for all of them.
    """
    return text.isprintable() and "  " not in text


# Extraction asks for the same elements' text many times (a block, then its parent, then
# the body's); within one page's extraction the answers are kept (``text_cache``).
_TEXT_CACHE: ContextVar[dict | None] = ContextVar("wardnews_text_cache", default=None)


@contextmanager
def text_cache():
    """Remember ``element_text`` answers for the duration of one page's extraction."""
    token = _TEXT_CACHE.set({})
    try:
        yield
    finally:
        _TEXT_CACHE.reset(token)


def memo(kind: str, element, compute):
    """``compute(element)``, remembered under ``kind`` for the rest of this page's extraction."""
    cache = _TEXT_CACHE.get()
    if cache is None:
        return compute(element)
    key = (kind, element)
    if key in cache:
        return cache[key]
    value = cache[key] = compute(element)
    return value


def element_text(element: etree._Element, *, skip=INVISIBLE_TAGS) -> str:
    """Visible text of ``element`` (scripts, styles and comments left out), cleaned."""
    cache = _TEXT_CACHE.get() if skip is INVISIBLE_TAGS else None
    if cache is not None:
        found = cache.get(element)
        if found is None:
            found = cache[element] = _finish_text(element, cache)
        return found
    return clean_text("".join(_iter_text(element, skip)))


# Within one page's extraction, the folded text of every element walked so far (keyed in
# the text cache under this sentinel): a parent's text is built from its children's, so
# asking for the body, then its parent, then the page does not walk the same nodes again.
_FOLDED = object()


def _finish_text(element, cache: dict) -> str:
    """``element_text`` from the folded texts of the page's cache (same result as the walk)."""
    tag = element.tag
    if tag.__class__ is not str or tag.lower() in INVISIBLE_TAGS:
        return ""
    if not len(element):  # a leaf (most links and spans): its own text is all of it
        return clean_text(element.text)
    if all(not (len(c) or c.text) and (not c.tail or c.tail.isspace()) for c in element):
        return clean_text(element.text)  # <a><img></a>: the children add white space at most
    folded = cache.get(_FOLDED)
    if folded is None:
        folded = cache[_FOLDED] = {}
    text = _folded_text(element, folded)
    if not text or text == " ":
        return ""
    if text.isascii():
        return text.strip(" ")
    text = unicodedata.normalize("NFC", text)
    if "\u200b" in text or "\u200c" in text or "\u200d" in text or "\ufeff" in text:
        return " ".join(text.translate(_ZERO_WIDTH).split())
    # Folded already: single spaces inside, at most one at either edge (NFC adds no space).
    return text.strip(" ")


def _fold_edges(text: str) -> str:
    """White space folded to single spaces, one kept at either edge that had some."""
    if not text:
        return ""
    if is_folded(text):
        return text  # at most one space at either edge already
    core = " ".join(text.split())
    if not core:
        return " "
    return (" " if text[0].isspace() else "") + core + (" " if text[-1].isspace() else "")


def _folded_text(root, folded: dict) -> str:
    """The visible text of ``root`` with white space folded but not stripped, children first.

    Iterative (hostile pages nest deep). Block children are set apart by a
    space and inline ones join their neighbours as written, as ``_iter_text``
    does; folding commutes with joining, so the parent's text is built from its
    children's.
    """
    found = folded.get(root)
    if found is not None:
        return found
    stack = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if not ready:
            if node in folded:
                continue
            stack.append((node, True))
            for child in node:
                tag = child.tag
                if tag.__class__ is str and tag.lower() not in INVISIBLE_TAGS and child not in folded:
                    if len(child):
                        stack.append((child, False))
                    else:  # a leaf (most nodes): its text at once, not a second trip through the stack
                        folded[child] = _fold_edges(child.text or "")
            continue
        parts = [node.text or ""]
        for child in node:
            tag = child.tag
            if tag.__class__ is str:
                lowered = tag.lower()
                if lowered not in INVISIBLE_TAGS:
                    if lowered in INLINE_TAGS:
                        parts.append(folded[child])
                    else:
                        parts += (" ", folded[child], " ")
            if child.tail:
                parts.append(child.tail)
        folded[node] = _fold_edges("".join(parts))
    return folded[root]


def _iter_text(root, skip, hidden: bool = False):
    """Text pieces of ``root`` in document order, without recursion (hostile pages nest deep).

    Inline children join their neighbours as written ("Ba Đình</a>."); block
    children and line breaks are set apart by a space.
    """
    stack: list = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
            continue
        tag = item.tag
        if not isinstance(tag, str) or tag.lower() in skip:
            continue
        if hidden and item is not root and is_hidden(item):
            continue
        spaced = item is not root and tag.lower() not in INLINE_TAGS
        if spaced:
            yield " "
            stack.append(" ")
        if item.text:
            yield item.text
        for child in reversed(item):
            if child.tail:
                stack.append(child.tail)
            stack.append(child)


def class_tokens(element: etree._Element) -> frozenset[str]:
    """Lower-case words of an element's class and id, split on space, ``-`` and ``_``.

    ``related_news_inline`` gives {"related", "news", "inline", "related_news_inline"}.
    """
    classes, ident = element.get("class"), element.get("id")
    if not classes and not ident:
        return _NO_TOKENS
    return _tokens_of(f"{classes or ''} {ident or ''}")


_NO_TOKENS: frozenset[str] = frozenset()


@lru_cache(maxsize=65536)  # pages repeat a few hundred class strings on thousands of elements
def _tokens_of(raw: str) -> frozenset[str]:
    tokens: set[str] = set()
    for word in raw.lower().split():
        tokens.add(word)
        if "-" in word or "_" in word:
            tokens.update(t for t in _WORD_PARTS_RE.split(word) if t)
    return frozenset(tokens)


# For a caller that reads ``class`` and ``id`` itself (the page's index of marked elements).
tokens_of = _tokens_of
NO_TOKENS = _NO_TOKENS


def class_words(element: etree._Element) -> frozenset[str]:
    """Lower-case whole words of an element's class and id (``tags-links``, not ``tags``)."""
    classes, ident = element.get("class"), element.get("id")
    if not classes and not ident:
        return _NO_TOKENS
    return _words_of(f"{classes or ''} {ident or ''}")


@lru_cache(maxsize=65536)
def _words_of(raw: str) -> frozenset[str]:
    return frozenset(raw.lower().split())


def tag_name(element) -> str:
    """Lower-case tag name, "" for comments and processing instructions."""
    tag = element.tag
    return tag.lower() if tag.__class__ is str else ""


def is_hidden(el) -> bool:
    """True for an element a reader does not see: ``hidden``, ``aria-hidden``, ``display:none``, sr-only."""
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    style = el.get("style")
    if style and _DISPLAY_NONE_RE.search(style):
        return True
    classes = el.get("class")
    if not classes:
        return False
    words = classes.lower().split()
    if HIDDEN_CLASS_WORDS.isdisjoint(words):
        return False
    # "hidden lg:block", "d-none d-md-flex": hidden on small screens only, shown on a desktop.
    return not any(":" in word or _SHOWN_FROM_RE.match(word) for word in words)


def visible_text(element: etree._Element) -> str:
    """Like ``element_text``, without the descendants a reader does not see (``is_hidden``)."""
    if not len(element):  # no descendants to hide: the element's text (remembered for the page)
        return element_text(element)
    return clean_text("".join(_iter_text(element, INVISIBLE_TAGS, hidden=True)))


def href_path(href: str | None) -> str:
    """The path of a link as written, "" for one the URL parser refuses (``http://[x/``)."""
    try:
        return urlsplit((href or "").strip()).path
    except ValueError:
        return ""


def host_of(url: str | None) -> str:
    """The host of ``url``, "" for one the URL parser refuses."""
    try:
        return urlsplit(url or "").netloc
    except ValueError:
        return ""
