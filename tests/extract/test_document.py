"""Bytes to a parsed page: UTF-8 parsed as it is, anything else decoded first (wardnews.extract.document)."""

from __future__ import annotations

import pytest

from wardnews.extract import document
from wardnews.extract.document import parse_html

HEADLINE = "Phường Tây Tựu khánh thành nhà văn hoá"
PAGE = f"<html><head><title>{HEADLINE}</title></head><body><p>Đường làng mới.</p></body></html>"


def title(page) -> str:
    return page.root.findtext(".//title")


def test_utf8_bytes_are_parsed_as_they_are_and_decoded_only_when_asked():
    page = parse_html(PAGE.encode(), "https://laodongthudo.vn/a-1.html")
    assert not page.invalid_utf8
    assert page._text is None  # nothing decoded yet
    assert title(page) == HEADLINE
    assert page.text == PAGE


@pytest.mark.parametrize("charset", ["windows-1258", "latin-1"])
def test_bytes_that_are_not_utf8_are_decoded_first(charset):
    # libxml2, told the bytes are UTF-8, reads U+FFFD for a legacy charset's letters and says so:
    # the page is then decoded by its declaration (or as Windows-1258) and parsed again.
    html = PAGE.replace("<head>", f'<head><meta charset="{charset}">').encode(charset, "replace")
    page = parse_html(html, "https://laodongthudo.vn/a-1.html")
    assert "\ufffd" not in title(page)
    assert title(page) == HEADLINE.encode(charset, "replace").decode(charset)


def test_a_character_cut_by_the_size_cap_is_dropped_not_replaced(monkeypatch):
    html = PAGE.encode()
    cut = html.index("Tựu".encode()) + 2  # inside the three bytes of "ự"
    monkeypatch.setattr(document, "MAX_HTML_BYTES", cut)
    page = parse_html(html, "https://laodongthudo.vn/a-1.html")
    assert "\ufffd" not in page.text
    assert page.text.endswith("Phường Tây T")


@pytest.mark.parametrize("newline", ["\n", ""])
def test_links_are_put_in_page_order_on_one_line_or_many(newline):
    # Source lines order the anchors when each has its own; on a shared line, their tree paths.
    from wardnews.extract.article import _in_document_order

    anchors = newline.join(f'<p><a href="/tin-{n}-20300{n}.html">Tin {n}</a></p>' for n in range(5))
    page = parse_html(f"<html><body>{newline}{anchors}{newline}</body></html>".encode(), "https://x.vn/")
    found = list(page.root.iter("a"))
    collected = [("related", a.get("href"), a.text, a) for a in reversed(found)]
    _in_document_order(collected)
    assert [item[3] for item in collected] == found


def test_links_sharing_a_line_keep_page_order_among_links_on_lines_of_their_own():
    # A minified related list (one line, anchors at different depths) between pretty-printed boxes.
    from wardnews.extract.article import _in_document_order

    one_line = (
        '<ul><li><a href="/a-200001.html">A</a></li><li><div><a href="/b-200002.html">B</a></div></li>'
        '<li><a href="/c-200003.html"><img src="c.jpg"></a><a href="/c-200003.html">C</a></li></ul>'
        '<p><a href="/d-200004.html">D</a></p>'
    )
    html = (
        '<html><body>\n<div><a href="/x-200000.html">X</a></div>\n'
        f"{one_line}\n"
        '<div>\n<h3><a href="/y-200005.html">Y</a></h3>\n</div>\n</body></html>'
    )
    page = parse_html(html.encode(), "https://x.vn/")
    found = list(page.root.iter("a"))
    assert len({a.sourceline for a in found}) == 3  # the case under test: five anchors on one line
    for shuffled in (list(reversed(found)), found[3:] + found[:3], found[1::2] + found[::2]):
        collected = [("related", a.get("href"), a.text, a) for a in shuffled]
        _in_document_order(collected)
        assert [item[3] for item in collected] == found
