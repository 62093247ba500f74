"""The portal's boilerplate, learnt from its own pages: what stands on most of them is no field's value.

A masthead that prints today's date ("Thứ Hai, 22/12/2025"), the publisher's
name, the footer's address, the "Đọc nhiều" (most read) list: every page of
one night carries them, word for word. ``Boilerplate.learn`` reads a set of
pages of one site and keeps the short texts that stand on at least
``min_share`` of them; ``extract_article(..., boilerplate=...)`` then refuses
those texts as a title, sapo, byline, date or body paragraph. Nothing here
knows a class name: the texts are found by repetition alone.

The texts are learnt exactly (case and spacing folded), so a masthead date
is learnt for the night its pages were fetched: the crawl learns from that
night's pages and keeps the result beside them (``to_json`` / ``from_json``).

    pages = [raw_html_1, raw_html_2, ...]            # str or bytes, one site
    boilerplate = Boilerplate.learn(pages)
    boilerplate.is_boilerplate("Thứ Hai, 22/12/2025")  # True when most pages print it
    saved = boilerplate.to_json()
    Boilerplate.from_json(saved) == boilerplate
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from wardnews.extract.document import parse_html
from wardnews.extract.links import ARTICLE_HREF_RE
from wardnews.extract.text import INVISIBLE_TAGS, clean_text, element_text, tag_name

FORMAT = "wardnews-boilerplate/1"
MIN_SHARE = 0.6  # a text on at least this share of the pages is boilerplate
MIN_PAGES = 3  # fewer pages than this teach nothing (two articles can share a sentence)
MAX_CHARS = 200  # longer texts are running text, never repeated word for word by a template
MIN_CHARS = 2
# Elements whose own text is one piece of a page: a line, a link, a heading, a cell.
_PIECE_TAGS = frozenset(
    {
        "p",
        "span",
        "a",
        "li",
        "div",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "b",
        "em",
        "i",
        "small",
        "time",
        "label",
        "dt",
        "dd",
        "figcaption",
        "address",
        "font",
    }
)
_BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "table", "section", "article", "h1", "h2", "h3", "h4"})


def normalise(text: str | None) -> str:
    """The form texts are compared in: NFC, spaces folded, case folded."""
    return clean_text(text).casefold()


def page_pieces(html: str | bytes, url: str = "http://boilerplate.invalid/") -> set[str]:
    """The short texts of one page: every element's text that holds no block of its own.

    The headline of a link to a story is never one: a "most read" list stands on
    every page of a night, and its stories' own pages print the same headline.
    """
    page = parse_html(html, url)
    stories = {
        normalise(element_text(a)) for a in page.tagged("a") if ARTICLE_HREF_RE.search(a.get("href") or "")
    }
    pieces: set[str] = set()
    for el in page.body_elements:
        tag = tag_name(el)
        if tag not in _PIECE_TAGS or tag in INVISIBLE_TAGS:
            continue
        if any(tag_name(child) in _BLOCKS for child in el):
            continue
        text = element_text(el)
        if MIN_CHARS <= len(text) <= MAX_CHARS and normalise(text) not in stories:
            pieces.add(normalise(text))
    return pieces


@dataclass(frozen=True)
class Boilerplate:
    """Texts that stand on most pages of a site, with how many of the pages learnt from show each."""

    texts: frozenset[str] = frozenset()
    pages: int = 0
    counts: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def learn(
        cls,
        pages: Iterable[str | bytes],
        *,
        min_share: float = MIN_SHARE,
        min_pages: int = MIN_PAGES,
    ) -> Boilerplate:
        """Learn from ``pages`` (the HTML of several pages of one site, str or bytes).

        Returns an empty Boilerplate (nothing is boilerplate) from fewer than
        ``min_pages`` pages.
        """
        counter: Counter[str] = Counter()
        seen = 0
        for html in pages:
            counter.update(page_pieces(html))
            seen += 1
        if seen < min_pages:
            return cls(frozenset(), seen, {})
        needed = max(2, int(min_share * seen + 0.999))
        kept = {text: n for text, n in counter.items() if n >= needed}
        return cls(frozenset(kept), seen, kept)

    def is_boilerplate(self, text: str | None) -> bool:
        """True when ``text`` (as a page prints it) is one of the texts learnt."""
        return bool(self.texts) and normalise(text) in self.texts

    def __len__(self) -> int:
        return len(self.texts)

    def to_json(self) -> str:
        """A JSON document the crawl can keep in its database and load again with ``from_json``."""
        return json.dumps(
            {"format": FORMAT, "pages": self.pages, "texts": dict(sorted(self.counts.items()))},
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, data: str) -> Boilerplate:
        """The Boilerplate ``to_json`` wrote; ValueError for a document of another format."""
        loaded = json.loads(data)
        if not isinstance(loaded, dict) or loaded.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} document")
        counts = {str(k): int(v) for k, v in dict(loaded.get("texts") or {}).items()}
        return cls(frozenset(counts), int(loaded.get("pages") or 0), counts)
