"""A small research database: the seed page and a few pages generated in the portal's markup.

The generated pages are written here by hand (title, sapo, paragraphs, links)
so each test's expectation can be read off the page text below.
"""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path

from conftest import fixture_article

from wardnews.extract import extract_article
from wardnews.items import Article, Sighting
from wardnews.store import Store

FIXTURES = Path(__file__).parent.parent / "fixtures" / "laodongthudo"
BASE = "https://laodongthudo.vn"
SEED_URL = f"{BASE}/phuong-tay-tuu-xay-dung-nen-tang-vung-chac-quyet-tam-but-pha-trong-nam-2026-203248.html"
FETCHED_AT = datetime.fromisoformat("2025-12-23T08:00:00+07:00")

HOA_XA_URL = f"{BASE}/xa-hoa-xa-ban-giao-nha-van-hoa-thon-203300.html"
HOA_XA_TRACKED = f"{HOA_XA_URL}?utm_source=facebook&utm_medium=social"
CHO_URL = f"{BASE}/cho-phuong-dong-da-ban-hang-tet-203301.html"
MINH_KHAI_URL = f"{BASE}/phuong-minh-khai-cu-nhin-lai-mot-chang-duong-203302.html"


def seed_article() -> Article:
    """The seed page (its related box names Tây Mỗ, Yên Nghĩa and Tây Hồ)."""
    article = fixture_article("laodongthudo/seed_tay_tuu")
    assert article is not None and article.url == SEED_URL
    return article


def make_page(
    url: str,
    title: str,
    sapo: str,
    paragraphs: list[str],
    date: str,
    *,
    category: str = "Địa phương",
    captions: tuple[str, ...] = (),
    tin_khac: tuple[tuple[str, str], ...] = (),
    related: tuple[tuple[str, str], ...] = (),
) -> str:
    """A page in the markup of seed_tay_tuu.html (pre-2025 class names)."""
    e = html.escape
    body = "\n".join(f"<p>{e(p)}</p>" for p in paragraphs)
    for i, caption in enumerate(captions):
        body += (
            f'\n<table class="image center"><tbody><tr><td><img src="/stores/news_dataimages/x{i}.jpg" '
            f'alt="{e(title)}"></td></tr><tr><td class="image_desc">{e(caption)}</td></tr></tbody></table>'
        )
    body += '\n<p style="text-align: right;"><strong>Minh Thu</strong></p>'
    rel = "".join(f'<li><a href="{u}">{e(t)}</a></li>' for u, t in related)
    others = "".join(
        f'<div class="item_news"><h3 class="title_news"><a href="{u}">{e(t)}</a></h3></div>'
        for u, t in tin_khac
    )
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{e(title)} | Báo Lao động Thủ đô</title>
<link rel="canonical" href="{url}">
<meta property="og:title" content="{e(title)}">
<meta property="article:section" content="{e(category)}">
</head><body>
<div class="title_new_nav"><a href="/">Trang chủ</a> » <a href="/thoi-su">{e(category)}</a></div>
<div class="content_detail">
<h1 class="title_detail">{e(title)}</h1>
<div class="tool"><span class="author_top">Minh Thu</span> <i>{date}</i></div>
<h2 class="sapo_detail">{e(sapo)}</h2>
<div class="related_news_inline"><ul>{rel}</ul></div>
<div class="detail_info">
{body}
</div></div>
<div class="box_tinkhac"><div class="title_box">Tin khác</div>{others}</div>
</body></html>"""


FILLER = (
    "Buổi lễ có sự tham dự của đại diện lãnh đạo địa phương, các ban, ngành, đoàn thể và đông đảo "
    "Nhân dân trên địa bàn, thể hiện sự quan tâm của cả hệ thống chính trị đối với công tác này."
)


def generated_articles() -> list[Article]:
    pages = [
        (
            HOA_XA_URL,
            make_page(
                HOA_XA_URL,
                "Xã Hòa Xá: Bàn giao nhà văn hóa thôn mới",
                "Sáng 10/11, UBND xã Hòa Xá tổ chức lễ bàn giao nhà văn hóa thôn cho Nhân dân.",
                [
                    "Nhà văn hóa được xây dựng trong 6 tháng, là nơi sinh hoạt cộng đồng của xã Hòa Xá.",
                    FILLER,
                ],
                "09:00 | 10/11/2025",
                tin_khac=((SEED_URL, "Phường Tây Tựu: Xây dựng nền tảng vững chắc"),),
            ),
        ),
        (
            CHO_URL,
            make_page(
                CHO_URL,
                "Chợ phường Đống Đa tấp nập bán hàng Tết",
                "Những ngày cuối năm, các tiểu thương chợ phường Đống Đa tất bật bán hàng phục vụ Tết.",
                ["Người dân phường Đống Đa và phường Tây Tựu đến chợ mua sắm đông hơn mọi năm.", FILLER],
                "07:30 | 15/12/2025",
                category="Dân sinh",
                captions=("Tiểu thương chợ phường Đống Đa bán hàng.",),
                tin_khac=((SEED_URL, "Phường Tây Tựu"), (HOA_XA_TRACKED, "Xã Hòa Xá: Bàn giao nhà văn hóa")),
                related=((f"{BASE}/phuong-tay-ho-203245.html", "Phường Tây Hồ tổng kết năm"),),
            ),
        ),
        (
            MINH_KHAI_URL,
            make_page(
                MINH_KHAI_URL,
                "Nhìn lại một chặng đường của phường Minh Khai (quận Bắc Từ Liêm)",
                "Trước ngày 1/7/2025, phường Minh Khai (quận Bắc Từ Liêm) là một đơn vị năng động.",
                ["Nay phần lớn địa bàn thuộc phường Tây Tựu và các phường lân cận.", FILLER],
                "16:00 | 20/10/2025",
            ),
        ),
    ]
    articles = []
    for url, page in pages:
        article = extract_article(page, url, fetched_at=FETCHED_AT)
        assert article is not None, url
        articles.append(article)
    return articles


def build_db(path: Path) -> Path:
    """Store the seed and the generated articles the way the crawler does."""
    with Store(path) as store:
        store.save_articles([seed_article(), *generated_articles()])
        # The crawler records the tracked URL it saw in a "Tin khác" box as an alias.
        store.record_sightings(
            [
                Sighting(
                    url=HOA_XA_TRACKED, canonical_url=HOA_XA_URL, article_key="203300", site="laodongthudo"
                )
            ]
        )
    return path


def article_id(db: Path, url: str) -> int:
    with Store(db, readonly=True) as store:
        return store.db.execute("SELECT id FROM articles WHERE url = ?", [url]).fetchone()[0]
