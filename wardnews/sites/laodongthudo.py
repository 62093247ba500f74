"""Lao Động Thủ Đô (laodongthudo.vn), the Hà Nội Federation of Labour's newspaper.

Selectors come from public scrapers written around 2020 and from the text of
one real article page (shared/seed/article-page.txt); none could be checked
against the live markup. They are the first strategy only: extraction falls
back to metadata and heuristics, and the crawl's field-coverage alarm says
when these stop matching.
"""

from __future__ import annotations

import re

from wardnews.sites.base import SiteProfile

LAODONGTHUDO = SiteProfile(
    key="laodongthudo",
    name="Lao Động Thủ Đô",
    base_url="https://laodongthudo.vn",
    mobile_hosts=("m.laodongthudo.vn",),
    mobile_path_prefixes=("/m/", "/mobile/", "/amp/"),
    # MasterCMS traces (DESIGN.md): e-magazine long reads at /<slug>.media, print copies at
    # /apicenter@/print_article&i=<id>, and two sub-sites (see DESIGN.md in this repo).
    long_read_path_re=re.compile(r"/[a-z0-9]+(?:-[a-z0-9]+)*\.media$", re.I),
    print_url_re=re.compile(r"^/apicenter@/print_article[&?]i=(\d{4,})(?:&|$)", re.I),
    sub_hosts=("lamgiau.laodongthudo.vn", "laodongvaphapluat.laodongthudo.vn"),
    # The home page first: its navigation is how we find sections created
    # after these paths were written down (ward news since 1 July 2025).
    # Then the sections public scrapers knew to carry local government news.
    start_paths=(
        "/",
        "/bon-phuong/dia-phuong",
        "/thoi-su",
        "/thu-do-van-hien/thanh-uy",
        "/thu-do-van-hien/hdnd",
        "/thu-do-van-hien/ubnd",
        "/thu-do-van-hien/cai-cach-hanh-chinh",
    ),
    # No sitemap or feed of the portal could be found (DESIGN.md); robots.txt's Sitemap lines
    # are read anyway, and MasterCMS sites publish their newest stories at /rss/home.rss.
    feed_paths=("/rss/home.rss",),
    section_keywords=(
        "phường",
        "xã",
        "địa phương",
        "cơ sở",
        "quận huyện",
        "thời sự",
        "thủ đô",
        "hđnd",
        "ubnd",
        "thành ủy",
        "cải cách hành chính",
        "dân sinh",
    ),
    skip_path_res=(
        re.compile(r"^/(search|tim-kiem|admin|login|dang-nhap|print|rss)\b", re.I),
        re.compile(r"\.(jpe?g|png|gif|webp|svg|pdf|mp4|mp3|zip|css|js)$", re.I),
    ),
    listing_link_selectors=(
        ".list_news .list_news_title h2 a::attr(href)",
        ".list_news h2 a::attr(href)",
        ".list_news h3 a::attr(href)",
    ),
    pagination_selectors=(
        ".paging a::attr(href)",
        ".__MB_ARTICLE_PAGING a::attr(href)",
    ),
    navigation_selectors=("ul.menu_top a", "#menu a", ".menu a", "nav a"),
    title_selectors=("h1.title_detail", ".content_detail h1"),
    sapo_selectors=("h2.sapo_detail", ".content_detail h2.sapo", ".content_detail > h2"),
    date_selectors=(".content_detail .tool i", ".content_detail .tool .date", ".tool i"),
    body_selectors=(".content_detail .detail_info", ".detail_info"),
    byline_selectors=(
        ".detail_info > p[style*='right'] strong",
        ".detail_info > p[align='right'] strong",
        ".content_detail .author_top",
    ),
    tag_selectors=(".tags a",),
    breadcrumb_selectors=(".title_new_nav a",),
    related_box_selectors=(".related_news_inline", ".detail_info .related"),
    block_selectors={
        "tin_khac": (".box_tinkhac",),
        "co_the_ban_quan_tam": (".box_related",),
        "nen_xem": (".box_nenxem",),
    },
)
