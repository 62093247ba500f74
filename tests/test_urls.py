"""URL canonicalisation, article identity and alias kinds: (input, expected) tables."""

import pytest

from wardnews.sites import DEFAULT_SITE as SITE
from wardnews.urls import (
    ARTICLE_LINK,
    PRINT_LINK,
    UrlError,
    alias_kind,
    article_key,
    canonicalize,
    check_fetchable,
    link_targets,
    strip_tracking,
)

CANON = "https://laodongthudo.vn/phuong-tay-tuu-xay-dung-203248.html"


@pytest.mark.parametrize(
    ("url", "how"),
    [
        (CANON, "canonical"),
        (CANON + "?utm_source=facebook&utm_medium=social", "tracking"),
        (CANON + "?fbclid=IwAR0abc", "tracking"),
        (CANON + "?gclid=xyz", "tracking"),
        (CANON + "#binh-luan", "fragment"),
        ("https://m.laodongthudo.vn/phuong-tay-tuu-xay-dung-203248.html", "mobile"),
        ("https://laodongthudo.vn/m/phuong-tay-tuu-xay-dung-203248.html", "mobile"),
        ("https://laodongthudo.vn/Phuong-Tay-Tuu-Xay-Dung-203248.html", "letter_case"),
        (CANON + "/", "trailing_slash"),
        ("https://laodongthudo.vn/thoi-su/phuong-tay-tuu-xay-dung-203248.html", "section_path"),
        ("http://laodongthudo.vn/phuong-tay-tuu-xay-dung-203248.html", "variant"),
        ("https://www.laodongthudo.vn/phuong-tay-tuu-xay-dung-203248.html", "variant"),
    ],
)
def test_every_variant_canonicalises_to_one_url(url, how):
    assert canonicalize(url, SITE) == CANON
    assert alias_kind(url, CANON, SITE) == how


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (CANON, "203248"),
        ("https://laodongthudo.vn/thoi-su/dia-phuong", None),
        ("https://laodongthudo.vn/tags/phuong-tay-tuu.html", None),
        ("https://laodongthudo.vn/a-b-12.html", None),  # too short to be an article id
        ("https://laodongthudo.vn/slug-203248.htm", "203248"),
    ],
)
def test_article_key(url, key):
    assert article_key(url, SITE) == key


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.vn/a?utm_campaign=1&id=3&fbclid=2", "https://x.vn/a?id=3"),
        ("https://x.vn/a?page=2#top", "https://x.vn/a?page=2"),
    ],
)
def test_strip_tracking(url, expected):
    assert strip_tracking(url) == expected


def test_listing_query_is_kept_and_sorted():
    assert canonicalize("https://laodongthudo.vn/thoi-su?page=2&utm_source=x", SITE) == (
        "https://laodongthudo.vn/thoi-su?page=2"
    )


def test_foreign_url_is_left_on_its_host():
    assert (
        canonicalize("https://example.com/Story-1.html?utm_source=x", SITE)
        == "https://example.com/Story-1.html"
    )


@pytest.mark.parametrize(
    "url",
    ["ftp://laodongthudo.vn/a-203248.html", "laodongthudo.vn/a-203248.html", "", "https://example.com/a"],
)
def test_check_fetchable_refuses_with_one_sentence(url):
    with pytest.raises(UrlError) as error:
        check_fetchable(url, SITE)
    assert str(error.value).endswith(".") and "\n" not in str(error.value)


def test_rebased_site_owns_the_mirror_and_not_the_portal():
    mirror = SITE.rebased("http://127.0.0.1:8765")
    assert mirror.owns("http://127.0.0.1:8765/a-203248.html")
    assert not mirror.owns(CANON)
    assert canonicalize("http://127.0.0.1:8765/m/A-203248.html/?utm_source=x", mirror) == (
        "http://127.0.0.1:8765/a-203248.html"
    )


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/a-203248.html", "https://laodongthudo.vn/a-203248.html"),
        (" a-203248.html ", "https://laodongthudo.vn/thoi-su/a-203248.html"),
        ("http://[::1/x", None),  # the standard library refuses it: a link to skip, not a crash
        ("http://laodongthudo.vn:99999/a", None),
    ],
)
def test_join_url(href, expected):
    from wardnews.urls import join_url

    assert join_url("https://laodongthudo.vn/thoi-su/", href) == expected


def test_long_reads_print_pages_and_sub_sites():
    from wardnews.sites import DEFAULT_SITE as site
    from wardnews.urls import alias_kind, article_key, canonicalize, is_article_url, is_print_url

    media = canonicalize("https://laodongthudo.vn/thoi-su/Phuong-Tay-Tuu.media", site)
    assert media == "https://laodongthudo.vn/phuong-tay-tuu.media"
    assert is_article_url(media, site) and article_key(media, site) is None
    printed = "https://laodongthudo.vn/apicenter@/print_article&i=203248"
    assert is_print_url(printed, site) and not is_article_url(printed, site)
    assert article_key(printed, site) == "203248" and alias_kind(printed, printed + "x", site) == "print"
    sub = canonicalize("https://lamgiau.laodongthudo.vn/nuoi-ong-12345.html", site)
    assert sub == "https://lamgiau.laodongthudo.vn/nuoi-ong-12345.html"  # not mapped onto the main host
    assert article_key(sub, site) == "lamgiau:12345"


def test_link_targets_say_once_each_what_the_sites_own_links_lead_to():
    site = SITE
    base = "https://laodongthudo.vn"
    links = [
        f"{base}/xa-phuong/Phuong-A-200001.html?utm_source=zalo",
        f"{base}/apicenter@/print_article&i=200001",
        f"{base}/xa-phuong",
        "https://facebook.com/sharer?u=x-200002.html",
        f"{base}/xa-phuong/Phuong-A-200001.html?utm_source=zalo",
    ]
    assert link_targets(links, site) == [
        (links[0], f"{base}/phuong-a-200001.html", ARTICLE_LINK),
        (links[1], links[1], PRINT_LINK),
        (links[2], f"{base}/xa-phuong", None),
    ]
