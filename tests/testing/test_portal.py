"""The generated portal mirror: determinism, markup, reachability and traps."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from parsel import Selector

from wardnews.testing.portal import (
    ROBOTS_TXT,
    SOFT_404_PATH,
    TZ,
    Portal,
    PortalArticle,
    hanoi_units,
    slugify,
)

NOW = datetime(2025, 12, 23, 8, 0, tzinfo=TZ)
BASE = "https://laodongthudo.vn"
FIXTURE = Path(__file__).parents[1] / "fixtures" / "laodongthudo" / "seed_tay_tuu.html"
DISALLOWED = ("/admin/", "/search")  # from ROBOTS_TXT


@pytest.fixture(scope="module")
def portal() -> Portal:
    return Portal(40, seed=0, now=NOW)


def local(url: str) -> str:
    """Path and query of a URL on the portal."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def key_of(url: str) -> str | None:
    m = re.search(r"-(\d+)\.html/?$", urlsplit(url).path)
    return m.group(1) if m else None


@dataclass
class Page:
    path: str
    status: int
    sel: Selector
    links: list[str] = field(default_factory=list)  # absolute hrefs of <a>

    @property
    def is_article(self) -> bool:
        return bool(self.sel.css("h1.title_detail"))

    @property
    def canonical(self) -> str | None:
        return self.sel.css("link[rel=canonical]::attr(href)").get()


def fetch(portal: Portal, path: str) -> Page:
    response = portal.render(path)
    sel = Selector(text=response.text)
    links = [urljoin(BASE + path, h) for h in sel.css("a::attr(href)").getall()]
    return Page(path, response.status, sel, links)


def article_facts(sel: Selector) -> dict[str, object]:
    """What an extractor should find, read with the portal's old selectors."""
    ps = sel.css(".detail_info p")
    body = [p.xpath("string()").get().strip() for p in ps]
    return {
        "title": sel.css("h1.title_detail::text").get(),
        "stamp": sel.css(".content_detail .tool i::text").get(),
        "sapo": sel.css("h2.sapo_detail::text").get(),
        "paragraphs": body[:-1],
        "byline": body[-1],
        "captions": sel.css("td.image_desc::text").getall(),
        "images": sel.css(".detail_info img::attr(src)").getall(),
        "tags": sel.css(".tags a::text").getall(),
        "category": sel.css(".title_new_nav a::text").getall()[-1],
        "og_title": sel.css("meta[property='og:title']::attr(content)").get(),
        "canonical": sel.css("link[rel=canonical]::attr(href)").get(),
    }


def crawl(portal: Portal) -> dict[str, Page]:
    """Breadth-first over every same-site <a> link from the home page, obeying robots.txt."""
    pages: dict[str, Page] = {}
    queue = deque(["/"])
    while queue:
        path = queue.popleft()
        if path in pages:
            continue
        page = pages[path] = fetch(portal, path)
        for url in page.links:
            if not url.startswith(BASE + "/"):
                continue
            target = local(url)
            if target not in pages and not target.startswith(DISALLOWED):
                queue.append(target)
    return pages


@pytest.fixture(scope="module")
def site(portal: Portal) -> dict[str, Page]:
    return crawl(portal)


# ---------------------------------------------------------------- generation


def test_same_seed_same_site() -> None:
    a, b = Portal(30, seed=7, now=NOW), Portal(30, seed=7, now=NOW)
    assert a.articles == b.articles
    key = a.expected_articles()[3].key
    for path in ("/", "/thoi-su/dia-phuong?page=2", a.articles[key].path, "/tags/chuyen-doi-so.html"):
        assert a.render(path) == b.render(path)
    assert a.alias_urls() == b.alias_urls()
    c = Portal(30, seed=8, now=NOW)
    assert {x.title for x in c.articles.values()} != {x.title for x in a.articles.values()}


def test_ground_truth_is_plausible(portal: Portal) -> None:
    stories = portal.expected_articles()
    assert len(stories) == 40
    assert [int(a.key) for a in stories] == sorted((int(a.key) for a in stories), reverse=True)
    assert len({a.title for a in stories}) == 40
    unit_names = {f"{kind} {name}" for name, kind in hanoi_units()}
    for a in portal.articles.values():
        assert a.published_at.tzinfo is not None
        assert NOW - timedelta(days=61) < a.published_at < NOW
        assert a.published_at.second == 0
        assert 3 <= len(a.paragraphs) <= 8
        assert 1 <= len(a.figures) <= 3
        assert a.slug == slugify(a.title) or a.republished_from
        assert a.path == f"/{a.slug}-{a.key}.html"
        assert a.tags[0] in unit_names and a.tags[0].lower() in a.title.lower()
        assert a.byline and a.sapo
    captions = [c for a in stories for _, c in a.figures]
    assert any(c.endswith(")") and "(Ảnh: " in c for c in captions)
    assert any("(Ảnh: " not in c for c in captions)
    assert {a.section for a in stories} == {s.path for s in portal.sections}
    assert any(a.title.startswith("Phường ") for a in stories)
    assert any(a.title.startswith("Xã ") for a in stories)


def test_sections(portal: Portal) -> None:
    paths = [s.path for s in portal.sections]
    for expected in ("/thoi-su/dia-phuong", "/bon-phuong/dia-phuong", "/thu-do-van-hien/ubnd"):
        assert expected in paths
    assert [s.path for s in portal.sections if s.nav_only] == ["/xa-phuong"]


# -------------------------------------------------------------------- markup


def test_article_page_matches_ground_truth(portal: Portal) -> None:
    for a in portal.articles.values():
        page = fetch(portal, a.path)
        facts = article_facts(page.sel)
        assert facts["title"] == a.title == facts["og_title"]
        assert facts["stamp"] == a.published_at.strftime("%H:%M | %d/%m/%Y")
        assert facts["sapo"] == a.sapo
        assert facts["paragraphs"] == a.paragraphs
        assert facts["byline"] == a.byline
        assert facts["captions"] == [c for _, c in a.figures]
        assert facts["images"] == [p for p, _ in a.figures]
        assert facts["tags"] == a.tags
        assert facts["category"] == a.category
        assert facts["canonical"] == BASE + a.path


def test_article_markup_follows_the_fixture(portal: Portal) -> None:
    fixture = Selector(text=FIXTURE.read_text("utf-8"))
    a = portal.expected_articles()[0]
    ours = fetch(portal, a.path).sel
    selectors = [
        "h1.title_detail",
        ".content_detail .tool i",
        "h2.sapo_detail",
        ".related_news_inline li a",
        ".detail_info p",
        ".detail_info table.image td.image_desc",
        ".detail_info p[style*=right] strong",
        ".tags a",
        ".title_new_nav a",
        ".box_nenxem .item_news h3.title_news a",
        ".box_tinkhac .item_news p.sapo",
        ".box_tinkhac a.view_more",
        "ul.menu_top li a",
        "meta[property='og:title']",
        "meta[property='og:url']",
        "meta[property='article:section']",
        "link[rel=canonical]",
        "link[rel=alternate]",
        ".share_bar a",
        "#footer a",
    ]
    for css in selectors:
        assert fixture.css(css), css
        assert ours.css(css), css
    # "Nên xem" lists the article itself, as on the real page.
    nen_xem = ours.css(".box_nenxem h3.title_news a::attr(href)").getall()
    assert BASE + a.path in nen_xem
    assert ours.css(".box_related .item_news")


def test_listing_pages(portal: Portal) -> None:
    for section in portal.sections:
        seen: list[str] = []
        path: str | None = section.path
        while path:
            page = fetch(portal, path)
            assert page.status == 200
            assert not page.is_article
            seen += [key_of(u) for u in page.sel.css(".list_news .list_news_title h2 a::attr(href)").getall()]
            assert len(page.sel.css(".list_news a.thumb")) == len(page.sel.css(".list_news_title"))
            assert page.sel.css(".list_news p.sapo")
            nxt = page.sel.css(".paging a.next::attr(href)").get()
            if nxt:
                assert page.sel.xpath("//div[@class='paging']//a[text()='Trang sau']")
            path = nxt and local(urljoin(BASE, nxt))
        keys = [
            k
            for k, a in sorted(portal.articles.items(), key=lambda kv: -int(kv[0]))
            if a.section == section.path
        ]
        assert seen == keys  # newest first, every article once
    last = -(-len([a for a in portal.articles.values() if a.section == "/xa-phuong"]) // 10)
    assert portal.render(f"/xa-phuong?page={last + 1}").status == 404
    assert portal.render("/xa-phuong?page=abc").status == 404


def test_home_page(portal: Portal) -> None:
    home = fetch(portal, "/")
    menu = home.sel.css("ul.menu_top a::attr(href)").getall()
    for s in portal.sections:
        assert s.path in menu
    assert home.sel.css(f"a[href='{SOFT_404_PATH}'], a[href='{BASE}{SOFT_404_PATH}']")
    hrefs = home.sel.css("a::attr(href)").getall()
    assert "/search?q=x" in hrefs and "/admin/" in hrefs
    assert any(h.startswith("https://www.facebook.com/") or "hanoimoi.vn" in h for h in hrefs)
    assert sum(1 for h in hrefs if key_of(h)) >= 5


def test_special_pages(portal: Portal) -> None:
    robots = portal.render("/robots.txt")
    assert robots.status == 200 and robots.headers["Content-Type"].startswith("text/plain")
    assert robots.text == ROBOTS_TXT
    assert "User-agent: *" in robots.text and "Disallow: /admin/" in robots.text
    soft = fetch(portal, SOFT_404_PATH)
    assert soft.status == 200 and "Trang không tồn tại" in soft.sel.get()
    assert not soft.is_article and not soft.sel.css(".detail_info, meta[property='og:type'][content=article]")
    tag = fetch(portal, "/tags/" + slugify(portal.expected_articles()[0].tags[0]) + ".html")
    assert tag.status == 200 and not tag.is_article and tag.sel.css(".list_news_title h2 a")
    a = portal.expected_articles()[0]
    for missing in (
        "/khong-co-gi.html",
        "/bai-viet-moi-999998.html",
        f"/sai-slug-{a.key}.html",
        "/tags/khong-co.html",
        "/thoi-su/dia-phuong/khac",
    ):
        assert portal.render(missing).status == 404, missing


def test_paths_are_case_insensitive(portal: Portal) -> None:
    a = portal.expected_articles()[2]
    assert fetch(portal, a.path.upper()).sel.css("h1.title_detail::text").get() == a.title
    assert portal.render("/XA-PHUONG?page=2").body == portal.render("/xa-phuong?page=2").body
    assert portal.render("/thoi-su/dia-phuong/").body == portal.render("/thoi-su/dia-phuong").body


# ------------------------------------------------------------- reachability


def test_everything_is_reachable_from_home(portal: Portal, site: dict[str, Page]) -> None:
    assert all(p.status == 200 for p in site.values()), [p.path for p in site.values() if p.status != 200]
    reached = {key_of(p.canonical) for p in site.values() if p.is_article}
    assert {a.key for a in portal.articles.values()} <= reached
    assert set(portal.alias_urls()) <= set(site)
    assert SOFT_404_PATH in site
    assert any(p.startswith("/tags/") for p in site)
    assert not any(p.startswith(DISALLOWED) for p in site)
    # every listing page is reached
    for s in portal.sections:
        n = sum(1 for a in portal.articles.values() if a.section == s.path)
        for page in range(2, -(-n // portal.page_size) + 1):
            assert f"{s.path}?page={page}" in site


def test_nav_only_section_is_linked_only_from_home(portal: Portal, site: dict[str, Page]) -> None:
    hidden = "/xa-phuong"

    def inside(page: Page) -> bool:
        if page.path.startswith(hidden):
            return True
        key = key_of(page.canonical or "")
        return key is not None and portal.articles[key].section == hidden

    linking = {p.path for p in site.values() if BASE + hidden in p.links and not inside(p)}
    assert linking == {"/", "/m/"}


def test_links_to_other_hosts(site: dict[str, Page]) -> None:
    external = {urlsplit(u).netloc for p in site.values() for u in p.links if u.startswith("http")}
    assert "www.facebook.com" in external
    assert "hanoimoi.vn" in external or "congdoanvietnam.org" in external


# --------------------------------------------------------------------- traps


def test_alias_urls_cover_every_kind_of_trap(portal: Portal) -> None:
    aliases = portal.alias_urls()
    kinds = {
        "utm": lambda p: "utm_source=facebook&utm_medium=social" in p,
        "fbclid": lambda p: "?fbclid=IwAR" in p,
        "gclid": lambda p: "?gclid=" in p,
        "mobile": lambda p: p.startswith("/m/"),
        "section": lambda p: any(p.startswith(s.path + "/") for s in portal.sections),
        "case": lambda p: p != p.lower(),
        "slash": lambda p: p.endswith(".html/"),
        "republished": lambda p: (
            portal.articles.get(key_of(p) or "", None) is not None
            and portal.articles[key_of(p)].republished_from is not None
        ),
    }
    for name, test in kinds.items():
        assert sum(1 for p in aliases if test(p)) >= 2, name
    assert all(v in portal.articles and portal.articles[v].republished_from is None for v in aliases.values())


def test_alias_urls_resolve_to_their_article(portal: Portal) -> None:
    for path, key in portal.alias_urls().items():
        target = portal.articles[key]
        page = fetch(portal, path)
        assert page.status == 200 and page.is_article, path
        assert page.sel.css("h1.title_detail::text").get() == target.title, path
        copy = portal.articles[key_of(path)]
        if copy.republished_from:
            assert key_of(page.canonical) == copy.key
        else:
            assert page.canonical == BASE + target.path, path


def test_mobile_and_section_variants_carry_desktop_canonical(portal: Portal) -> None:
    a = portal.expected_articles()[1]
    desktop = fetch(portal, a.path)
    for variant in (f"/m{a.path}", a.section + a.path, a.path + "/", a.path + "?utm_source=x"):
        page = fetch(portal, variant)
        assert page.canonical == BASE + a.path
        assert article_facts(page.sel) == article_facts(desktop.sel)


def test_republished_copies_are_verbatim(portal: Portal) -> None:
    copies = [a for a in portal.articles.values() if a.republished_from]
    assert len(copies) >= 2
    for copy in copies:
        original = portal.articles[copy.republished_from]
        assert (copy.title, copy.sapo, copy.paragraphs) == (
            original.title,
            original.sapo,
            original.paragraphs,
        )
        assert copy.key != original.key and copy.slug != original.slug
        assert copy.published_at > original.published_at and int(copy.key) > int(original.key)
        a, b = article_facts(fetch(portal, copy.path).sel), article_facts(fetch(portal, original.path).sel)
        for name in ("title", "sapo", "paragraphs", "byline", "captions"):
            assert a[name] == b[name]
        assert a["canonical"] != b["canonical"]
    assert {a.key for a in portal.expected_articles()}.isdisjoint(a.key for a in copies)


# ----------------------------------------------------------------- mutation


def test_add_articles_come_first_on_listings() -> None:
    p = Portal(20, seed=2, now=NOW)
    newest_before = max(a.published_at for a in p.articles.values())
    aliases_before = p.alias_urls()
    added = p.add_articles(5)
    assert len(p.expected_articles()) == 25
    assert [a.key for a in added] == [a.key for a in p.expected_articles()[:5]]
    assert all(a.published_at > newest_before for a in added)
    assert all(a.published_at <= p.now for a in added)
    for a in added:
        listing = fetch(p, a.section)
        first = [key_of(u) for u in listing.sel.css(".list_news_title h2 a::attr(href)").getall()]
        assert a.key in first
        assert fetch(p, a.path).sel.css("h1.title_detail::text").get() == a.title
    # keys and traps of older articles are stable
    for path, key in aliases_before.items():
        if path in p.alias_urls():
            assert p.alias_urls()[path] == key


def test_edit_article_changes_content() -> None:
    p = Portal(10, seed=3, now=NOW)
    a = p.expected_articles()[4]
    before = fetch(p, a.path)
    p.edit_article(a.key, body="Đoạn một đã sửa.\n\nĐoạn hai đã sửa.", title="Tiêu đề mới")
    after = article_facts(fetch(p, a.path).sel)
    assert after["paragraphs"] == ["Đoạn một đã sửa.", "Đoạn hai đã sửa."]
    assert after["title"] == "Tiêu đề mới" == p.articles[a.key].title
    assert after["canonical"] == before.canonical  # same URL
    assert p.articles[a.key].revision == 1


def test_touch_markup_keeps_content() -> None:
    p = Portal(10, seed=4, now=NOW)
    a = p.expected_articles()[2]
    before = p.render(a.path)
    p.touch_markup(a.key)
    after = p.render(a.path)
    assert after.body != before.body
    assert article_facts(Selector(text=after.text)) == article_facts(Selector(text=before.text))
    p.touch_markup(a.key)
    third = p.render(a.path)
    assert third.body not in (before.body, after.body)
    assert article_facts(Selector(text=third.text)) == article_facts(Selector(text=before.text))
    assert p.articles[a.key].revision == 0


# ------------------------------------------------------------------- padding


def test_padding_brings_pages_near_72_kib() -> None:
    plain = Portal(30, seed=5, now=NOW)
    padded = Portal(30, seed=5, now=NOW, padding_kib=72)
    a = padded.expected_articles()[0]
    paths = [
        "/",
        a.path,
        f"/m{a.path}",
        "/thoi-su/dia-phuong",
        "/tags/" + slugify(a.tags[0]) + ".html",
        SOFT_404_PATH,
    ]
    for path in paths:
        size = len(padded.render(path).body)
        assert abs(size - 72 * 1024) <= 1024, (path, size)
        assert len(plain.render(path).body) < 40 * 1024
    page = fetch(padded, a.path)
    assert article_facts(page.sel) == article_facts(fetch(plain, a.path).sel)
    assert page.sel.css("head style") and page.sel.css("head script")
    for url in page.links:  # boilerplate links lead somewhere real
        if url.startswith(BASE):
            assert padded.render(local(url)).status == 200, url


def test_large_portal_is_cheap() -> None:
    p = Portal(3000, seed=6, now=NOW)
    assert len(p.expected_articles()) == 3000
    assert len([a for a in p.articles.values() if a.republished_from]) == 2 + 3000 // 500
    oldest = p.expected_articles()[-1]
    assert oldest.published_at > NOW - timedelta(days=61)
    assert fetch(p, oldest.path).is_article


def test_article_key_is_in_every_article_url(portal: Portal) -> None:
    a: PortalArticle = portal.expected_articles()[0]
    assert key_of(BASE + a.path) == a.key
