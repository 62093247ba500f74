"""``element_text`` within a page's text cache (built from its children's folded texts, with
shortcuts for leaves and picture links) gives what the plain walk gives, in any order of asking."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from lxml import etree

from wardnews.extract.document import parse_html
from wardnews.extract.text import INVISIBLE_TAGS, _iter_text, clean_text, element_text, text_cache

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGES = sorted(FIXTURES.rglob("*.html"))

SNIPPETS = [
    '<a href="/x-1.html"><img src="a.jpg"></a>',
    '<a href="/x-1.html">\n  <img src="a.jpg">\n</a>',
    '<a href="/x-1.html">Tiêu đề <img src="a.jpg"> tiếp</a>',
    "<a>Tin<br>mới</a>",
    "<a>Tin<!-- c --> mới</a>",
    "<div>Một<p></p>Hai</div>",
    "<div>  Một\u00a0 hai\u200b ba\tbốn\n</div>",
    "<span>Ba Đình</span>",
    "<p>Cafe\u0301 phố<script>x()</script> cổ<span> </span></p>",
    "<li><a><span></span></a> Hà Nội</li>",
]


def _reference(element) -> str:
    return clean_text("".join(_iter_text(element, INVISIBLE_TAGS)))


def _elements(root):
    return [el for el in root.iter() if isinstance(el.tag, str)]


@pytest.mark.parametrize("snippet", SNIPPETS)
def test_snippets_read_as_the_plain_walk_reads_them(snippet):
    page = parse_html(f"<html><body><div>{snippet}</div></body></html>".encode(), "https://x.vn/")
    for order in (1, -1):
        with text_cache():
            for el in _elements(page.root)[::order]:
                assert element_text(el) == _reference(el), etree.tostring(el, encoding=str)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_element_of_the_fixture_pages_reads_as_the_plain_walk_reads_it(path):
    page = parse_html(path.read_bytes(), "https://laodongthudo.vn/a-1.html")
    elements = _elements(page.root)
    expected = [_reference(el) for el in elements]
    for order in (1, -1):  # leaves first or the page first: the cache must not change answers
        with text_cache():
            got = [element_text(el) for el in elements[::order]][::order]
        assert got == expected


def test_clean_text_folds_every_unicode_space_and_drops_zero_width_characters():
    spaces = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
    assert clean_text(f"a{spaces}b") == "a b"
    assert clean_text("a\u200bb\ufeffc") == "a b c"
    assert clean_text(" Cafe\u0301 ") == unicodedata.normalize("NFC", "Café")
    assert clean_text("đã  gộp") == "đã gộp"
    assert clean_text("đã gộp") == "đã gộp"


@pytest.mark.parametrize(
    "body",
    [
        "Một đoạn.\n\nĐoạn hai.",
        "Cafe\u0301 phố.\n\n\u0301Dấu rời.",
        " Lề trái.\n\nHai.",
        "Một.\n\n\n\nHai.",
        "Một. \n\nHai.",
        "Một.\nHai.\n\nBa\u00a0bốn.",
        "Một\u200b.\n\nHai.",
        "Một.\n\nHai  ba.",
        "ASCII only.\n\nTwo.",
        "Cuối.\n\n",
    ],
)
def test_the_hash_normalisation_of_a_body_is_clean_text(body):
    # content_hash values are stored: the shortcut for bodies must give clean_text's answer exactly.
    from wardnews.extract.article import normalise_for_hash

    assert normalise_for_hash(body) == clean_text(body)
