"""Text helpers shared by the extractors: Unicode NFC, folded white space, element text."""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

_SPACE_RE = re.compile(r"[\s\u00a0\u200b\u200c\u200d\ufeff]+")
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


def clean_text(text: str | None) -> str:
    """NFC, white space folded to single spaces, stripped."""
    if not text:
        return ""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def element_text(element: etree._Element, *, skip=INVISIBLE_TAGS) -> str:
    """Visible text of ``element`` (scripts, styles and comments left out), cleaned."""
    return clean_text(" ".join(_iter_text(element, skip)))


def _iter_text(element, skip):
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag.lower() in skip or not isinstance(element.tag, str):
        return
    if element.text:
        yield element.text
    for child in element:
        yield from _iter_text(child, skip)
        if child.tail:
            yield child.tail


def class_tokens(element: etree._Element) -> set[str]:
    """Lower-case words of an element's class and id, split on space, ``-`` and ``_``.

    ``related_news_inline`` gives {"related", "news", "inline", "related_news_inline"}.
    """
    raw = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    tokens: set[str] = set()
    for word in raw.split():
        tokens.add(word)
        tokens.update(t for t in re.split(r"[-_]+", word) if t)
    return tokens


def tag_name(element) -> str:
    """Lower-case tag name, "" for comments and processing instructions."""
    return element.tag.lower() if isinstance(element.tag, str) else ""
