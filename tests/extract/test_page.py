"""``Page.select`` answers simple selectors from the page's indexes: the same elements, in the
same order, as parsel's CSS engine gives for them."""

from __future__ import annotations

from pathlib import Path

import pytest
from parsel import Selector

from wardnews.extract import page as page_module
from wardnews.extract.document import parse_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# Nested boxes of one class, a class under a class at several depths, tags under tags, child
# combinators and attribute tests: each way ``select`` can take.
PAGE = """<html><head><title>t</title></head><body>
<nav><ul><li><a href="/a">A</a></li><li><a href="/b">B</a></li></ul></nav>
<div class="content_detail">
  <h1 class="title_detail">Tiêu đề</h1>
  <div class="tool"><span><i>08:30 | 01/12/2026</i></span><i class="date">x</i></div>
  <div class="box"><div class="box inner"><p class="item">one <a href="/1">1</a></p></div>
    <p class="item">two <i>2</i></p></div>
  <h2>Sapo</h2>
  <div class="detail_info">
    <p>Body <strong>bold</strong></p>
    <p style="text-align:right"><strong>Tác giả</strong></p>
    <p align="right"><strong>Khác</strong></p>
  </div>
</div>
<div class="tool"><i>outside</i></div>
<div class="tags"><a href="/t1">t1</a><span><a href="/t2">t2</a></span></div>
<ul class="many">{many}</ul>
</body></html>"""
MANY = "".join(f'<li class="row"><a class="cell" href="/r{n}">r{n}</a></li>' for n in range(100))

SELECTORS = [
    ".content_detail",
    "h1.title_detail",
    ".content_detail h1",
    ".content_detail .tool i",
    ".content_detail .tool .date",
    ".tool i",
    ".box .item",
    ".box .box .item",
    ".box p",
    ".content_detail > h2",
    ".detail_info > p[style*='right'] strong",
    ".detail_info > p[align='right'] strong",
    ".detail_info p strong",
    "nav a",
    "ul li a",
    "nav > ul > li > a",
    ".tags a",
    "body .tags a",
    ".many .row a",
    ".many .row .cell",  # more holders of the class than the index walk takes
    "ul .cell",
    "body .content_detail .box",
]


@pytest.fixture(scope="module")
def page():
    return parse_html(PAGE.replace("{many}", MANY).encode(), "https://laodongthudo.vn/a-1.html")


def _parsel(page, css):
    return [node.root for node in Selector(root=page.root, type="html").css(css)]


@pytest.mark.parametrize("css", SELECTORS)
def test_select_gives_what_parsel_gives(page, css):
    assert page_module._compile(css) is not None  # answered from the indexes, not by parsel
    found = page.select(css)
    assert found == _parsel(page, css)
    assert found  # every selector here matches something


def test_a_class_with_more_holders_than_the_index_walk_takes_is_walked_down():
    assert MANY.count('class="cell"') > page_module.MAX_CLASS_CANDIDATES


@pytest.mark.parametrize("fixture", sorted(FIXTURES.rglob("*.html"))[:12], ids=lambda p: p.stem)
def test_select_gives_what_parsel_gives_on_fixture_pages(fixture):
    page = parse_html(fixture.read_bytes(), "https://laodongthudo.vn/a-1.html")
    for css in SELECTORS + ["div p", "div a", "p a", "li a", "div > p", "h1", "div.detail_info p"]:
        assert page.select(css) == _parsel(page, css), css
