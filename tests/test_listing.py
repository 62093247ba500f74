"""The listing page object on saved listing pages (tests/fixtures/listings: html + expected json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wardnews.extract.listing import listing_root, page_number, read_listing, with_page_number
from wardnews.sites import DEFAULT_SITE

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "listings"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.html"))
SITES = {"on": DEFAULT_SITE, "off": DEFAULT_SITE.without_selectors()}


@pytest.mark.parametrize("selectors", sorted(SITES))
@pytest.mark.parametrize("name", NAMES)
def test_saved_listing_pages(name, selectors):
    expected = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    html = (FIXTURES / f"{name}.html").read_bytes()
    listing = read_listing(html, expected["url"], SITES[selectors], page=expected["page"])
    assert listing.article_links == expected["article_links"]
    assert listing.print_links == expected["print_links"]
    assert [[p.url, p.number] for p in listing.next_pages] == expected["next_pages"]
    assert listing.sections == expected["sections"]


@pytest.mark.parametrize(
    ("url", "number", "root"),
    [
        ("https://x.vn/thoi-su?page=3", 3, "https://x.vn/thoi-su"),
        ("https://x.vn/thoi-su/p/4", 4, "https://x.vn/thoi-su"),
        ("https://x.vn/thoi-su/p4", 4, "https://x.vn/thoi-su"),
        ("https://x.vn/thoi-su/trang-5.html", 5, "https://x.vn/thoi-su"),
        ("https://x.vn/api/more?zone=12&p=6", 6, "https://x.vn/api/more?zone=12"),
        ("https://x.vn/thoi-su", None, "https://x.vn/thoi-su"),
    ],
)
def test_page_numbers_and_listing_roots(url, number, root):
    assert page_number(url, DEFAULT_SITE) == number
    assert listing_root(url, DEFAULT_SITE) == root


def test_the_next_load_more_fragment_is_asked_for_by_number():
    url = "https://laodongthudo.vn/api/load-more?zone=xa-phuong&page=2"
    assert with_page_number(url, 3, DEFAULT_SITE) == url.replace("page=2", "page=3")
    assert with_page_number("https://laodongthudo.vn/xa-phuong", 3, DEFAULT_SITE) is None


def test_an_html_fragment_without_a_next_control_gives_only_its_links():
    fragment = '<div class="story"><h3><a href="/xa-a-b-200001.html">A</a></h3></div>'
    listing = read_listing(fragment, "https://laodongthudo.vn/api/load-more?zone=x&page=4", DEFAULT_SITE, 4)
    assert listing.article_links == ["https://laodongthudo.vn/xa-a-b-200001.html"]
    assert listing.next_pages == [] and listing.sections == []


@pytest.mark.parametrize("marks", ['class="btn-LoadMore"', 'id="xemthem"', 'class="box view_more"'])
def test_a_load_more_control_with_a_long_text_is_found_by_its_class_or_id(marks):
    # Anchors with long texts are headlines and their texts go unread, unless a class or id
    # may name a "load more" control: such a control is still followed, whatever it says.
    html = f"""<html><body><div class="list_news">
      <h2><a href="/tin-mot-203001.html">Phường Tây Tựu tổ chức ngày hội đại đoàn kết toàn dân</a></h2>
      <a {marks} href="/thoi-su/trang-2.html">Bấm vào đây để đọc thêm nhiều tin bài của chuyên mục</a>
    </div></body></html>""".encode()
    listing = read_listing(html, "https://laodongthudo.vn/thoi-su", DEFAULT_SITE, page=1)
    assert [(p.url, p.number, p.how) for p in listing.next_pages] == [
        ("https://laodongthudo.vn/thoi-su/trang-2.html", 2, "more")
    ]


def test_every_load_more_class_word_passes_the_paging_prefilter():
    from wardnews.extract.listing import MORE_CLASS_WORDS

    assert all("more" in word or "xemthem" in word for word in MORE_CLASS_WORDS)


@pytest.mark.parametrize("attribute", ["data-url", "DATA-URL", "Data-Href", "data-ajax-url"])
@pytest.mark.parametrize("charset", ["utf-8", "windows-1258", "utf-16"])
def test_a_load_more_button_is_found_by_its_url_attribute_however_the_page_spells_and_encodes_it(
    attribute, charset
):
    # The attribute walk runs only for the names the page's source spells (in any case): a page
    # decoded from another charset, or spelling the name in capitals, must still be walked.
    html = f"""<html><head><meta charset="{charset}"></head><body><div class="list_news">
      <h3><a href="/tin-mot-203001.html">Phường Tây Tựu</a></h3>
      <button class="btn" {attribute}="/api/load-more?zone=xa-phuong&amp;page=2">Xem thêm</button>
    </div></body></html>""".encode(charset, "replace")  # (windows-1258 lacks some precomposed letters)
    listing = read_listing(html, "https://laodongthudo.vn/xa-phuong", DEFAULT_SITE, page=1)
    assert [(p.url, p.number, p.how) for p in listing.next_pages] == [
        ("https://laodongthudo.vn/api/load-more?zone=xa-phuong&page=2", 2, "more")
    ]


def test_a_page_that_spells_no_url_attribute_is_not_walked_for_one():
    from wardnews.extract.document import parse_html

    page = parse_html(b'<html><body><img data-src="a.jpg"><a href="/x">X</a></body></html>', "https://x.vn/")
    assert page.source_mentions("data-src") and not page.source_mentions("data-url")
