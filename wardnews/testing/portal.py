"""A generated mirror of laodongthudo.vn: pages rendered on demand, with ground truth.

``Portal(n_articles, seed=...)`` invents ``n_articles`` ward and commune news
stories (plus a few verbatim republished copies), files them under four
sections and renders any page of the site from its path: home page, section
listings with pagination, articles in the markup of
``tests/fixtures/laodongthudo/seed_tay_tuu.html``, tag pages, robots.txt, a
soft 404 and real 404s. Everything is a function of ``seed`` (and ``now``),
so two portals built alike render the same bytes.

The site is full of the duplicate traps a crawler must see through; every
trap URL it links to is listed by ``Portal.alias_urls()`` with the key of the
article it must resolve to:

- tracking parameters: ``?utm_source=facebook&utm_medium=social`` and
  ``?fbclid=IwAR…`` on some listing links, ``?fbclid=`` and ``?gclid=`` on
  some related-box links;
- mobile variant ``/m/<slug>-<key>.html`` (rel=canonical to the desktop URL),
  linked from some "Nên xem" boxes;
- section-prefixed variant ``/<section>/<slug>-<key>.html`` (rel=canonical to
  the root URL), linked from some listings and "Nên xem" boxes;
- letter case ``/Phuong-Tay-Ho-…-203248.html`` (paths are served
  case-insensitively) in "Tin khác", trailing slash ``…-203248.html/`` in
  "Có thể bạn quan tâm";
- the article itself in its own "Nên xem" box (its plain URL, so it is not in
  ``alias_urls``);
- stories republished verbatim (same title, sapo, body) under a new id and
  slug in another section, listed like any article.

Links to the portal are absolute and use ``base_url`` (the real portal's
``https://laodongthudo.vn`` unless the caller passes the mirror's own
``http://127.0.0.1:PORT``); menus, breadcrumbs and tags are relative, as on
the real site. Images are not served (404).

Nothing is read or written at run time except the packaged list of Hà Nội's
wards and communes (``wardnews/data/hanoi_units_2025.csv``).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import random
import re
import threading
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from functools import lru_cache
from html import escape
from importlib import resources
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
REAL_BASE_URL = "https://laodongthudo.vn"
SITE_NAME = "Báo Lao động Thủ đô"
SOFT_404_PATH = "/bai-viet-khong-ton-tai-999999.html"
SEARCH_PATH = "/search?q=x"
ADMIN_PATH = "/admin/"
ROBOTS_TXT = "User-agent: *\nDisallow: /admin/\nDisallow: /search\n"
# Feeds (Portal(feeds=...)): a sitemap index named in robots.txt, a sitemap a month, an RSS feed.
SITEMAP_INDEX_PATH = "/sitemap.xml"
MONTHLY_SITEMAP_RE = re.compile(r"^/sitemaps/(\d{4})-(\d{2})\.xml$")
RSS_PATH = "/rss/home.rss"
RSS_ITEMS = 50
FEED_STYLES = ("ok", "stale", "broken", "rss", "rss-one-section")
STALE_FEED_DAYS = 7  # a stale feed stopped this long before ``now``
UTM_QUERY = "utm_source=facebook&utm_medium=social"
FIRST_KEY = 190000

HTML_TYPE = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Section:
    """A section whose listing holds articles."""

    path: str  # e.g. "/thoi-su/dia-phuong"
    name: str  # visible name, e.g. "Địa phương"
    parent_path: str | None = None  # the top-level menu entry it sits under
    parent_name: str | None = None
    nav_only: bool = False  # linked only from the home page's navigation
    weight: float = 1.0  # share of the generated stories

    @property
    def breadcrumb(self) -> list[tuple[str, str]]:
        """(path, name) pairs after "Trang chủ"."""
        crumbs = [(self.parent_path, self.parent_name)] if self.parent_path else []
        return [*crumbs, (self.path, self.name)]


# Top-level menu entries, as on the real site; the article sections below sit
# under three of them. Each is served as a hub page listing its sections.
HUBS: tuple[tuple[str, str], ...] = (
    ("/thoi-su", "Thời sự"),
    ("/thu-do-van-hien", "Thủ đô văn hiến"),
    ("/cong-doan", "Công đoàn"),
    ("/lao-dong", "Lao động"),
    ("/dan-sinh", "Dân sinh"),
    ("/bon-phuong", "Bốn phương"),
)

SECTIONS: tuple[Section, ...] = (
    Section("/thoi-su/dia-phuong", "Địa phương", "/thoi-su", "Thời sự", weight=0.30),
    Section("/bon-phuong/dia-phuong", "Địa phương", "/bon-phuong", "Bốn phương", weight=0.15),
    Section("/thu-do-van-hien/ubnd", "UBND", "/thu-do-van-hien", "Thủ đô văn hiến", weight=0.20),
    Section("/xa-phuong", "Xã - Phường", nav_only=True, weight=0.35),
)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass
class PortalArticle:
    """Ground truth for one article, as the portal shows it."""

    key: str  # numeric id, e.g. "203248"
    slug: str
    section: str  # section path, e.g. "/thoi-su/dia-phuong"
    category: str  # visible section name, e.g. "Địa phương"
    title: str
    sapo: str
    paragraphs: list[str]  # body paragraphs and sub-headings, in order
    byline: str
    published_at: datetime  # tz-aware Asia/Ho_Chi_Minh, whole minutes
    figures: list[tuple[str, str]]  # (image path, caption as printed, credit included)
    tags: list[str]
    republished_from: str | None = None  # key of the article this is a copy of (verbatim or edited)
    revision: int = 0  # bumped by Portal.edit_article
    kicker: str | None = None  # series line above the headline (MasterCMS layout): not in the title
    long_read: bool = False  # an e-magazine page at /<slug>.media (its id only in its print link)
    old_slug: str | None = None  # an earlier slug, whose URL answers 301 to the current one

    @property
    def path(self) -> str:
        if self.long_read:
            return f"/{self.slug}.media"
        return f"/{self.slug}-{self.key}.html"

    @property
    def print_path(self) -> str:
        """The printable copy: an alias of the article, never a row of its own."""
        return f"/apicenter@/print_article&i={self.key}"

    @property
    def old_path(self) -> str | None:
        return f"/{self.old_slug}-{self.key}.html" if self.old_slug else None

    @property
    def body(self) -> str:
        """Paragraphs joined by a blank line (the ``Article.body`` convention)."""
        return "\n\n".join(self.paragraphs)


# --------------------------------------------------------------------------
# Text material. Sentences of the seed article (shared/seed/article-page.txt)
# generalised to any ward or commune, plus more in the same register.
# Placeholders: {dv} "phường"/"xã", {Dv} capitalised, {ten} the unit's name,
# {y} the year, {y1} the next one, {d}/{mo} the event's day and month, and
# the numbers drawn in _values().

PARAGRAPHS: tuple[str, ...] = (
    "Năm {y} được xác định là năm có ý nghĩa đặc biệt quan trọng, đánh dấu giai đoạn chuyển"
    " đổi mạnh mẽ trong sắp xếp tổ chức bộ máy và triển khai mô hình chính quyền địa phương 2"
    " cấp. Bám sát sự lãnh đạo, chỉ đạo của Thành ủy, HĐND, UBND thành phố Hà Nội, Đảng bộ,"
    " chính quyền, MTTQ và các tổ chức chính trị - xã hội {dv} {ten} đã phát huy tinh thần"
    " “vừa chạy vừa xếp hàng”, chủ động khắc phục khó khăn, vừa tập trung kiện toàn tổ chức"
    " bộ máy, vừa lãnh đạo, chỉ đạo thực hiện hiệu quả các nhiệm vụ chính trị.",
    "Trong công tác xây dựng Đảng, Ban Thường vụ Đảng ủy {dv} đã thực hiện việc tiếp nhận, sắp"
    " xếp các tổ chức Đảng và đảng viên theo đúng quy định. Đồng thời lãnh đạo, chỉ đạo HĐND,"
    " UBND, Ủy ban MTTQ Việt Nam {dv} và các cơ quan tham mưu triển khai toàn diện nhiệm vụ"
    " chính trị, bảo đảm quản lý, điều hành thông suốt, giữ vững ổn định an ninh chính trị,"
    " trật tự an toàn xã hội.",
    "Công tác đào tạo, bồi dưỡng cán bộ tiếp tục được chú trọng. Đảng ủy {dv} đã phối hợp với"
    " Trung tâm Chính trị khu vực mở {k} lớp bồi dưỡng, tập huấn cho cán bộ, công chức, viên"
    " chức và các lực lượng ở cơ sở với tổng số {big} học viên, đạt 100% kế hoạch đề ra.",
    "Cùng với công tác xây dựng Đảng, hoạt động của chính quyền {dv} từng bước đi vào nền nếp."
    " Hội đồng nhân dân {dv} thực hiện đúng chức năng, nhiệm vụ, tổ chức thành công {k2} kỳ họp,"
    " ban hành {n} nghị quyết; tăng cường giám sát, tiếp xúc cử tri và tổ chức các phiên giải"
    " trình chuyên đề, góp phần nâng cao hiệu lực, hiệu quả quản lý nhà nước ở cơ sở.",
    "UBND {dv} sau gần 6 tháng hoạt động theo mô hình mới đã vận hành ổn định, ban hành {big}"
    " văn bản chỉ đạo, tổ chức {n2} cuộc họp; 100% văn bản được xử lý trên môi trường mạng.",
    "Ủy ban MTTQ Việt Nam {dv} và các tổ chức chính trị - xã hội đã tổ chức thành công Đại hội"
    " lần thứ I, nhiệm kỳ 2025 - 2030; đẩy mạnh phong trào thi đua yêu nước, công tác an sinh xã"
    " hội, giám sát và phản biện xã hội, góp phần củng cố khối đại đoàn kết toàn dân.",
    "Trước bối cảnh đó, lãnh đạo {dv} xác định rõ yêu cầu giữ vững kỷ cương hành chính, bảo đảm"
    " sự điều hành liên tục, lấy sự hài lòng của Nhân dân làm thước đo hiệu quả công việc. Ban"
    " Thường vụ, Ban Chấp hành Đảng ủy cùng lãnh đạo các cơ quan trong hệ thống chính trị đã"
    " trực tiếp chỉ đạo, kiểm tra và chịu trách nhiệm đối với các nhiệm vụ trọng tâm.",
    "Đánh giá kết quả bước đầu, Bí thư Đảng ủy {dv} khẳng định, {dv} {ten} đã vượt qua giai đoạn"
    " khó khăn nhất, tạo nền tảng quan trọng để bước vào giai đoạn tăng tốc từ năm {y1}. Việc"
    " đánh giá cán bộ, tập thể sẽ dựa trên kết quả cụ thể, không bằng báo cáo hình thức.",
    "Bí thư Đảng ủy {dv} đề nghị Ban Thường vụ, Ban Chấp hành Đảng bộ tiếp tục lãnh đạo, chỉ đạo"
    " quyết liệt hơn; dám giao việc khó, dám đánh giá đúng và thay đổi cán bộ nếu không đáp ứng"
    " yêu cầu. HĐND {dv} tăng cường giám sát sát thực tiễn; UBND {dv} phấn đấu tăng trưởng kinh"
    " tế gắn với an sinh xã hội, quốc phòng - an ninh.",
    "Với quyết tâm chính trị cao, sự đồng thuận của Nhân dân và nền tảng đã được xây dựng vững"
    " chắc, {dv} {ten} bước vào năm {y1} với khí thế mới, kỳ vọng hoàn thành và hoàn thành vượt"
    " mức các mục tiêu đề ra, đóng góp tích cực vào sự phát triển chung của Thủ đô Hà Nội.",
    "Dịp này, {dv} {ten} đã khen thưởng {k} tập thể, {n2} cá nhân có thành tích xuất sắc; {n}"
    " tập thể, {n3} cá nhân hoàn thành tốt nhiệm vụ.",
    "Thu ngân sách trên địa bàn {dv} đạt {big2} triệu đồng, bằng {pct}% chỉ tiêu được giao. Công"
    " tác quản lý trật tự xây dựng, trật tự đô thị được tăng cường, nhiều vi phạm được phát hiện"
    " và xử lý kịp thời.",
    "Công tác cải cách hành chính, chuyển đổi số được triển khai đồng bộ. Trung tâm Phục vụ hành"
    " chính công {dv} đã tiếp nhận {big} hồ sơ, giải quyết đúng và trước hạn đạt {pct_hi}%; tỷ lệ"
    " hồ sơ trực tuyến toàn trình tăng mạnh so với những tháng đầu vận hành.",
    "Các chính sách an sinh xã hội được thực hiện đầy đủ, kịp thời. {Dv} đã trao {n2} suất quà"
    " cho hộ nghèo, hộ cận nghèo, gia đình chính sách, người có công với cách mạng với tổng trị"
    " giá gần {tien} tỷ đồng.",
    "Phát biểu chỉ đạo, đại diện lãnh đạo Thành phố ghi nhận, đánh giá cao những kết quả mà Đảng"
    " bộ, chính quyền và Nhân dân {dv} {ten} đạt được trong thời gian qua, đồng thời đề nghị {dv}"
    " tiếp tục rà soát, hoàn thiện quy chế làm việc, nâng cao chất lượng đội ngũ cán bộ, công"
    " chức.",
    "Nhiều ý kiến tham luận tập trung vào những khó khăn, vướng mắc trong quá trình vận hành bộ"
    " máy mới như hạ tầng công nghệ thông tin, trụ sở làm việc và bố trí nhân sự; đồng thời đề"
    " xuất các giải pháp tháo gỡ trong thời gian tới.",
    "Thời gian tới, {dv} {ten} tập trung đẩy mạnh giải phóng mặt bằng các dự án trọng điểm, nâng"
    " cao chất lượng dịch vụ công trực tuyến, chăm lo đời sống vật chất, tinh thần cho Nhân dân"
    " và giữ vững an ninh chính trị, trật tự an toàn xã hội trên địa bàn.",
    "Lực lượng công an {dv} đã phối hợp với các tổ bảo vệ an ninh, trật tự ở cơ sở tổ chức {n}"
    " đợt tuần tra, kiểm soát; tuyên truyền, hướng dẫn người dân phòng cháy, chữa cháy và phòng"
    " ngừa các loại tội phạm lừa đảo trên không gian mạng.",
    "Đối với công tác vệ sinh môi trường, {dv} duy trì ra quân vào sáng thứ Bảy hằng tuần, huy"
    " động cán bộ, đoàn viên, hội viên và Nhân dân tham gia thu gom rác thải, phát quang bụi"
    " rậm, chỉnh trang các tuyến đường, ngõ xóm.",
    "Ủy ban MTTQ Việt Nam {dv} cho biết, cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn"
    " mới, đô thị văn minh” tiếp tục được hưởng ứng rộng rãi; {pct_hi}% hộ gia đình trên địa"
    " bàn đạt danh hiệu gia đình văn hóa.",
    "Trên cơ sở kết quả đạt được, hội nghị đã thống nhất {k2} nhóm nhiệm vụ, giải pháp trọng tâm,"
    " trong đó ưu tiên hoàn thiện quy hoạch, thu hút đầu tư, phát triển kinh tế - xã hội bền"
    " vững và nâng cao chỉ số hài lòng của người dân đối với sự phục vụ của cơ quan hành chính.",
    "Về phát triển kinh tế, {dv} tiếp tục chuyển dịch cơ cấu theo hướng nâng cao giá trị, khuyến"
    " khích các hộ kinh doanh, hợp tác xã ứng dụng công nghệ số; nhiều sản phẩm của địa phương"
    " đạt chứng nhận OCOP từ 3 sao trở lên.",
    "Công tác chuẩn bị cho bầu cử đại biểu Quốc hội khóa XVI và đại biểu HĐND các cấp nhiệm kỳ"
    " 2026 - 2031 được {dv} {ten} triển khai chặt chẽ, đúng luật; các tổ bầu cử được kiện toàn,"
    " danh sách cử tri được rà soát kỹ lưỡng.",
    "Người dân {dv} {ten} đánh giá cao tinh thần phục vụ của cán bộ, công chức. Nhiều thủ tục"
    " trước đây phải đi lại nhiều lần nay được giải quyết ngay trong ngày, không phát sinh hồ"
    " sơ trễ hạn.",
)

HEADINGS: tuple[str, ...] = (
    "Chủ động, linh hoạt trong giai đoạn chuyển đổi đặc biệt",
    "Nâng cao chất lượng cán bộ, củng cố niềm tin Nhân dân",
    "Nhiều kết quả nổi bật",
    "Tạo chuyển biến rõ nét từ cơ sở",
    "Quyết tâm hoàn thành các mục tiêu năm {y1}",
    "Lấy người dân làm trung tâm",
)

CAPTIONS: tuple[str, ...] = (
    "Bí thư Đảng ủy {dv} {ten} phát biểu tại hội nghị.",
    "Quang cảnh hội nghị.",
    "Lãnh đạo {dv} {ten} trao Giấy khen cho các tập thể, cá nhân có thành tích xuất sắc.",
    "Chủ tịch UBND {dv} {ten} phát biểu chỉ đạo.",
    "Các đại biểu dự hội nghị.",
    "Các tổ chức cơ sở Đảng ký giao ước thi đua năm {y1}.",
    "Khen thưởng tổ dân phố văn hóa tiêu biểu và gia đình văn hóa tiêu biểu.",
)

BYLINES: tuple[str, ...] = (
    "Lê Thắm",
    "Hà An",
    "Minh Thu",
    "Hà An - Minh Thu",
    "Phạm Tuấn",
    "Bảo Ngọc",
    "Thu Hương",
    "Ngọc Ánh",
    "Hoài Nam",
    "Kiều Vân",
    "Nguyễn Hoàng",
    "Trần Long",
)
PHOTOGRAPHERS: tuple[str, ...] = ("Lê Thắm", "Minh Châu", "Hải Linh", "Quang Vinh")


@dataclass(frozen=True)
class _Topic:
    titles: tuple[str, ...]
    sapo: str
    lead: str
    tags: tuple[str, ...]
    captions: tuple[str, ...]


TOPICS: tuple[_Topic, ...] = (
    _Topic(
        (
            "{Dv} {ten}: Tổng kết công tác năm {y}, triển khai nhiệm vụ năm {y1}",
            "{Dv} {ten}: Xây dựng nền tảng vững chắc, quyết tâm bứt phá trong năm {y1}",
            "Đảng ủy {dv} {ten} tổng kết năm {y}, {k} tổ chức cơ sở Đảng ký giao ước thi đua",
        ),
        "Ngày {d}/{mo}, Đảng ủy - Hội đồng nhân dân (HĐND) - Ủy ban nhân dân (UBND) - Ủy ban Mặt"
        " trận Tổ quốc (MTTQ) Việt Nam {dv} {ten} tổ chức Hội nghị tổng kết công tác năm {y},"
        " triển khai nhiệm vụ năm {y1}. Hội nghị là dịp đánh giá toàn diện kết quả đạt được trong"
        " năm đầu vận hành mô hình mới.",
        "Dự hội nghị có {n3} đại biểu là lãnh đạo các cơ quan, đơn vị, bí thư chi bộ, tổ trưởng"
        " tổ dân phố và đại diện Nhân dân {dv} {ten}; hội nghị đã nghe {k} ý kiến tham luận.",
        ("tổng kết năm {y}", "chính quyền địa phương 2 cấp"),
        ("Các tổ chức cơ sở Đảng trực thuộc Đảng ủy {dv} {ten} ký giao ước thi đua năm {y1}.",),
    ),
    _Topic(
        (
            "Kỳ họp thứ {k} HĐND {dv} {ten}: Thống nhất {n} chỉ tiêu và {k2} khâu đột phá năm {y1}",
            "HĐND {dv} {ten}: Thông qua {n} nghị quyết quan trọng tại Kỳ họp thứ {k}",
        ),
        "Ngày {d}/{mo}, Hội đồng nhân dân {dv} {ten} khóa I, nhiệm kỳ 2021 - 2026 tổ chức Kỳ họp"
        " thứ {k} để xem xét, thảo luận và thông qua nhiều nội dung quan trọng về phát triển kinh"
        " tế - xã hội, ngân sách và đầu tư công năm {y1}.",
        "Kỳ họp đã nghe báo cáo kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội, dự toán"
        " thu, chi ngân sách năm {y1} và biểu quyết thông qua {n} nghị quyết với {n3} đại biểu"
        " tán thành.",
        ("kỳ họp HĐND", "đầu tư công"),
        ("Các đại biểu biểu quyết thông qua nghị quyết tại kỳ họp.",),
    ),
    _Topic(
        (
            "{Dv} {ten}: Thu ngân sách đạt {pct}% sau hơn {m} tháng hoạt động",
            "{Dv} {ten}: Kinh tế tăng trưởng {pctd}%, thích ứng mô hình chính quyền mới",
        ),
        "Sau hơn {m} tháng vận hành mô hình chính quyền địa phương 2 cấp, {dv} {ten} đạt nhiều"
        " kết quả tích cực; tổng thu ngân sách nhà nước trên địa bàn đạt {pct}% dự toán Thành phố"
        " giao.",
        "Theo báo cáo tại hội nghị ngày {d}/{mo}, tổng giá trị sản xuất trên địa bàn {dv} {ten}"
        " ước đạt {big} tỷ đồng, tăng {pctd}% so với cùng kỳ.",
        ("thu ngân sách", "phát triển kinh tế"),
        ("Lãnh đạo {dv} {ten} báo cáo kết quả thu ngân sách.",),
    ),
    _Topic(
        (
            "{Dv} {ten} “phủ sóng” chữ ký số, hướng tới {pct_hi}% hồ sơ trực tuyến",
            "{Dv} {ten}: Tập huấn chuyển đổi số cho {n3} cán bộ, công chức",
        ),
        "Thực hiện Kế hoạch số {k3}/KH-UBND của UBND thành phố Hà Nội, {dv} {ten} xác định chiến"
        " dịch “phủ sóng” chữ ký số là nhiệm vụ trọng tâm, hướng tới mô hình “Công dân số - Chính"
        " quyền số” văn minh, hiện đại.",
        "Từ ngày {d}/{mo}, {n} tổ công nghệ số cộng đồng của {dv} {ten} đã đến từng khu dân cư"
        " hướng dẫn người dân cài đặt, sử dụng chữ ký số và nộp hồ sơ trực tuyến.",
        ("chuyển đổi số", "chữ ký số"),
        ("Cán bộ {dv} {ten} hướng dẫn người dân thực hiện thủ tục trên môi trường điện tử.",),
    ),
    _Topic(
        (
            "{Dv} {ten} ra quân giải quyết “điểm nghẽn” trật tự đô thị",
            "{Dv} {ten}: Xử lý {n2} trường hợp lấn chiếm vỉa hè, lòng đường",
        ),
        "Ngày {d}/{mo}, {dv} {ten} tổ chức Lễ ra quân giải quyết “điểm nghẽn” về trật tự đô thị,"
        " tạo chuyển biến về nhận thức và hành động của cả hệ thống chính trị và Nhân dân.",
        "Ngay sau lễ ra quân, {n} lượt cán bộ, chiến sĩ đã kiểm tra, nhắc nhở và xử lý {n2}"
        " trường hợp lấn chiếm vỉa hè, lòng đường trên các tuyến phố chính của {dv} {ten}.",
        ("trật tự đô thị",),
        ("Lực lượng chức năng {dv} {ten} ra quân chỉnh trang trật tự đô thị.",),
    ),
    _Topic(
        (
            "Thành ủy Hà Nội giám sát kết quả thực hiện các chuyên đề trọng tâm tại {dv} {ten}",
            "Đoàn giám sát số {k} làm việc với Ban Thường vụ Đảng ủy {dv} {ten}",
        ),
        "Ngày {d}/{mo}, Đoàn giám sát số {k} của Ban Thường vụ Thành ủy Hà Nội đã làm việc với"
        " Ban Thường vụ Đảng ủy {dv} {ten} nhằm giám sát công tác lãnh đạo, chỉ đạo và tổ chức"
        " thực hiện các nhiệm vụ trọng tâm, cấp bách năm {y}.",
        "Báo cáo với Đoàn giám sát, lãnh đạo {dv} {ten} cho biết, Đảng bộ hiện có {n2} tổ chức"
        " cơ sở Đảng với {big} đảng viên; {pct_hi}% chi bộ duy trì sinh hoạt định kỳ.",
        ("giám sát", "xây dựng Đảng"),
        ("Đoàn giám sát làm việc với Ban Thường vụ Đảng ủy {dv} {ten}.",),
    ),
    _Topic(
        (
            "{Dv} {ten}: Trao {n3} suất quà cho hộ nghèo, gia đình chính sách",
            "{Dv} {ten} hỗ trợ xóa {n2} nhà tạm, nhà dột nát",
        ),
        "Ngày {d}/{mo}, {dv} {ten} tổ chức trao quà và hỗ trợ các hộ nghèo, hộ cận nghèo, gia"
        " đình chính sách trên địa bàn, với tổng kinh phí gần {tien} tỷ đồng.",
        "Nguồn kinh phí được huy động từ Quỹ “Vì người nghèo” của {dv}, các doanh nghiệp và nhà"
        " hảo tâm; {n3} hộ gia đình đã được hỗ trợ kịp thời.",
        ("an sinh xã hội",),
        ("Lãnh đạo {dv} {ten} trao quà cho các hộ gia đình.",),
    ),
    _Topic(
        (
            "{Dv} {ten} triển khai nhiệm vụ phục vụ bầu cử đại biểu Quốc hội khóa XVI",
            "{Dv} {ten}: Lập {n2} tổ bầu cử, sẵn sàng cho ngày hội non sông",
        ),
        "Ủy ban bầu cử {dv} {ten} vừa tổ chức hội nghị triển khai một số nội dung quan trọng trong"
        " công tác chuẩn bị cho bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân"
        " nhiệm kỳ 2026 - 2031.",
        "Theo kế hoạch, {dv} {ten} thành lập {n2} tổ bầu cử tại {n2} khu vực bỏ phiếu với tổng số"
        " {big} cử tri.",
        ("bầu cử", "đại biểu Quốc hội khóa XVI"),
        ("Ủy ban bầu cử {dv} {ten} triển khai nhiệm vụ.",),
    ),
    _Topic(
        (
            "MTTQ {dv} {ten} phát huy vai trò nòng cốt xây dựng khối đại đoàn kết toàn dân",
            "Ủy ban MTTQ Việt Nam {dv} {ten} tổ chức Ngày hội Đại đoàn kết tại {n2} khu dân cư",
        ),
        "Ngày {d}/{mo}, Ủy ban MTTQ Việt Nam {dv} {ten} tổ chức hội nghị tổng kết công tác Mặt"
        " trận năm {y}, biểu dương các điển hình tiêu biểu trong phong trào thi đua yêu nước.",
        "Năm {y}, Ủy ban MTTQ {dv} {ten} đã vận động được {tien} tỷ đồng ủng hộ Quỹ “Vì người"
        " nghèo”, hỗ trợ {n3} hộ gia đình có hoàn cảnh khó khăn.",
        ("MTTQ", "đại đoàn kết toàn dân"),
        ("Ủy ban MTTQ Việt Nam {dv} {ten} biểu dương các điển hình tiêu biểu.",),
    ),
    _Topic(
        (
            "Đảng ủy {dv} {ten}: Nâng cao năng lực lãnh đạo trong công tác xây dựng Đảng",
            "{Dv} {ten}: Kết nạp {n2} đảng viên mới trong năm {y}",
        ),
        "Ngày {d}/{mo}, Đảng ủy {dv} {ten} tổ chức Hội nghị tổng kết công tác xây dựng Đảng năm"
        " {y}, triển khai nhiệm vụ trọng tâm năm {y1}.",
        "Trong năm, Đảng ủy {dv} {ten} đã kết nạp {n2} đảng viên mới, xét công nhận chính thức"
        " cho {k} đảng viên dự bị và trao Huy hiệu Đảng cho {n} đảng viên.",
        ("xây dựng Đảng",),
        ("Bí thư Đảng ủy {dv} {ten} trao quyết định kết nạp đảng viên mới.",),
    ),
    _Topic(
        ("Công an {dv} {ten} ra mắt {n2} tổ bảo vệ an ninh, trật tự ở cơ sở",),
        "Ngày {d}/{mo}, Công an {dv} {ten} tổ chức lễ ra mắt các tổ bảo vệ an ninh, trật tự ở cơ"
        " sở, góp phần giữ vững an ninh chính trị, trật tự an toàn xã hội trên địa bàn.",
        "{n2} tổ bảo vệ an ninh, trật tự ở cơ sở của {dv} {ten} gồm {n3} thành viên, được trang"
        " bị kiến thức pháp luật và kỹ năng nghiệp vụ cần thiết.",
        ("an ninh trật tự",),
        ("Công an {dv} {ten} ra mắt các tổ bảo vệ an ninh, trật tự ở cơ sở.",),
    ),
    _Topic(
        (
            "{Dv} {ten}: Thu gom {tan} tấn rác thải trong đợt ra quân vệ sinh môi trường",
            "{Dv} {ten}: Trồng mới {n3} cây xanh hưởng ứng “Tết trồng cây”",
        ),
        "Sáng {d}/{mo}, {dv} {ten} đồng loạt ra quân tổng vệ sinh môi trường, chỉnh trang các"
        " tuyến đường, ngõ xóm, hướng tới xây dựng cảnh quan xanh - sạch - đẹp.",
        "Đợt ra quân thu hút {n3} cán bộ, đoàn viên, hội viên và người dân {dv} {ten} tham gia,"
        " thu gom {tan} tấn rác thải, phát quang {n} điểm bụi rậm.",
        ("môi trường",),
        ("Người dân {dv} {ten} tham gia tổng vệ sinh môi trường.",),
    ),
    _Topic(
        (
            "{Dv} {ten}: Giải quyết {big} hồ sơ thủ tục hành chính đúng hạn",
            "{Dv} {ten} đối thoại với Nhân dân về cải cách hành chính",
        ),
        "Ngày {d}/{mo}, UBND {dv} {ten} tổ chức hội nghị đối thoại với Nhân dân về công tác cải"
        " cách hành chính, tiếp nhận và giải quyết thủ tục hành chính trên địa bàn.",
        "Tại hội nghị, {n} ý kiến của người dân {dv} {ten} đã được lãnh đạo UBND trả lời trực"
        " tiếp; {big} hồ sơ được giải quyết đúng hạn trong năm.",
        ("cải cách hành chính",),
        ("Người dân đến làm thủ tục tại Trung tâm Phục vụ hành chính công {dv} {ten}.",),
    ),
    _Topic(
        ("{Dv} {ten}: Đẩy nhanh giải phóng mặt bằng {k} dự án trọng điểm",),
        "Ngày {d}/{mo}, UBND {dv} {ten} tổ chức hội nghị đánh giá tiến độ giải phóng mặt bằng các"
        " dự án trọng điểm trên địa bàn và đề ra giải pháp tháo gỡ vướng mắc.",
        "Đến nay, {dv} {ten} đã bàn giao {pct_hi}% diện tích mặt bằng của {k} dự án trọng điểm,"
        " với {n3} hộ dân đồng thuận nhận tiền bồi thường.",
        ("giải phóng mặt bằng", "đầu tư công"),
        ("Lãnh đạo {dv} {ten} kiểm tra tiến độ dự án.",),
    ),
)


@lru_cache(maxsize=1)
def hanoi_units() -> tuple[tuple[str, str], ...]:
    """(name, type) of Hà Nội's 126 wards and communes since 1 July 2025."""
    text = resources.files("wardnews").joinpath("data/hanoi_units_2025.csv").read_text("utf-8")
    return tuple((row["name"], row["type"]) for row in csv.DictReader(io.StringIO(text)))


def slugify(text: str) -> str:
    """The portal's URL slug: ASCII, lower case, words joined by hyphens."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _vn_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _vn_dec(x: float, places: int) -> str:
    return f"{x:.{places}f}".replace(".", ",")


def _stamp(dt: datetime) -> str:
    return dt.strftime("%H:%M | %d/%m/%Y")


def _values(rng: random.Random, pub: datetime, unit: tuple[str, str]) -> dict[str, object]:
    name, kind = unit
    event = pub - timedelta(days=rng.choice((0, 0, 0, 1, 2)))
    return {
        "dv": kind,
        "Dv": kind[:1].upper() + kind[1:],
        "ten": name,
        "y": pub.year,
        "y1": pub.year + 1,
        "d": event.day,
        "mo": event.month,
        "k": rng.randint(2, 9),
        "k2": rng.randint(2, 5),
        "k3": rng.randint(120, 460),
        "n": rng.randint(12, 96),
        "n2": rng.randint(3, 40),
        "n3": rng.randint(100, 480),
        "m": rng.randint(3, 6),
        "pct": _vn_dec(rng.uniform(101, 260), 1),
        "pctd": _vn_dec(rng.uniform(6, 12), 2),
        "pct_hi": rng.randint(92, 99),
        "big": _vn_int(rng.randint(1200, 9800)),
        "big2": _vn_int(rng.randint(12000, 96000)),
        "tien": _vn_dec(rng.uniform(1, 9), 1),
        "tan": _vn_dec(rng.uniform(5, 80), 1),
    }


def _token(*parts: object, n: int = 22) -> str:
    digest = hashlib.sha1(":".join(map(str, parts)).encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:n]


def _case_variant(article: PortalArticle) -> str:
    words = "-".join(w[:1].upper() + w[1:] for w in article.slug.split("-"))
    return f"/{words}-{article.key}.html"


# --------------------------------------------------------------------------
# Boilerplate for padding pages to a benchmark size: site-wide styles, ad
# scripts and footer link lists, as news portals carry. Links go only to
# pages that exist, to other hosts, or nowhere (javascript:).

_CSS_CLASSES = (
    "menu_top", "sub_menu", "list_news", "list_news_title", "item_news", "title_news",
    "box_nenxem", "box_tinkhac", "box_related", "title_box", "paging", "tags", "share_bar",
    "content_detail", "detail_info", "sapo_detail", "title_detail", "tool", "mega_menu",
    "footer_links", "box_ads", "thumb", "view_more", "related_news_inline",
)  # fmt: skip
_CSS_PROPS = (
    "color:#333", "padding:0 12px", "margin:0 auto", "font-size:14px", "line-height:1.6",
    "border-bottom:1px solid #e5e5e5", "background:#fff", "display:block", "float:left",
    "width:100%", "overflow:hidden", "text-decoration:none", "font-weight:700",
    "font-family:Arial,Helvetica,sans-serif", "position:relative", "max-width:1170px",
)  # fmt: skip
_PARTNERS = (
    ("https://congdoanvietnam.org/", "Công đoàn Việt Nam"),
    ("https://hanoimoi.vn/", "Báo Hànộimới"),
    ("https://hanoi.gov.vn/", "Cổng thông tin điện tử Hà Nội"),
    ("https://kinhtedothi.vn/", "Kinh tế & Đô thị"),
    ("https://baochinhphu.vn/", "Báo Điện tử Chính phủ"),
    ("https://nhandan.vn/", "Báo Nhân Dân"),
)


@lru_cache(maxsize=1)
def _padding_chunks() -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
    head: list[bytes] = []
    body: list[bytes] = []
    for i in range(96):
        if i % 2 == 0:
            rules = []
            for j in range(24):
                cls = _CSS_CLASSES[(i + j) % len(_CSS_CLASSES)]
                suffix = ("", " a", " li", ":hover", " img", " h3")[(i * 7 + j) % 6]
                props = ";".join(_CSS_PROPS[(i + j + k * 5) % len(_CSS_PROPS)] for k in range(3))
                rules.append(f".{cls}{suffix}{{{props}}}")
            head.append(f"<style>{''.join(rules)}</style>\n".encode())
        else:
            slots = ",".join(
                f'{{"zone":"zone_{i}_{j}","slot":"/21{i:03d}/ldtd_{_CSS_CLASSES[j]}",'
                f'"sizes":[[300,250],[300,600]],"refresh":{30 + j}}}'
                for j in range(12)
            )
            head.append(
                f"<script>window.__ADS__=window.__ADS__||[];"
                f"window.__ADS__.push.apply(window.__ADS__,[{slots}]);</script>\n".encode()
            )
        items = []
        for j in range(14):
            if j % 3 == 2:
                url, name = _PARTNERS[(i + j) % len(_PARTNERS)]
                items.append(f'<li><a href="{url}" target="_blank" rel="nofollow">{name}</a></li>')
            elif j % 3 == 1:
                items.append(f'<li><a href="javascript:void(0)">Chuyên mục {i}.{j}</a></li>')
            else:
                path, name = HUBS[(i + j) % len(HUBS)]
                items.append(f'<li><a href="{path}">{name}</a></li>')
        body.append(f'<div class="footer_links" data-block="{i}"><ul>{"".join(items)}</ul></div>\n'.encode())
    return tuple(head), tuple(body)


def _padding(needed: int) -> tuple[str, str]:
    """Head and body boilerplate adding up to exactly ``needed`` bytes."""
    if needed <= 0:
        return "", ""
    head_chunks, body_chunks = _padding_chunks()
    head: list[bytes] = []
    used = 0
    for chunk in head_chunks:
        if used + len(chunk) > needed * 2 // 5:
            break
        head.append(chunk)
        used += len(chunk)
    body: list[bytes] = []
    for chunk in body_chunks:
        if used + len(chunk) > needed:
            break
        body.append(chunk)
        used += len(chunk)
    body.append(b"\n" + b" " * (needed - used - 1) if needed > used else b"")
    return b"".join(head).decode(), b"".join(body).decode()


_HEAD_PAD = "\x00HEAD-PADDING\x00"
_BODY_PAD = "\x00BODY-PADDING\x00"
_ARTICLE_PATH = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)-(\d+)\.html$")
_TAG_PATH = re.compile(r"^/tags/([a-z0-9-]+)\.html$")
_MEDIA_PATH = re.compile(r"^(/m|/[a-z0-9-]+(?:/[a-z0-9-]+)?)?/([a-z0-9]+(?:-[a-z0-9]+)*)\.media$")
_PAGED_PATH = re.compile(r"^(/[a-z0-9-]+(?:/[a-z0-9-]+)?)/(?:trang-(\d+)\.html|p/(\d+))$")


def _a(href: str, text: str, **attrs: str) -> str:
    extra = "".join(f' {k.rstrip("_")}="{escape(v)}"' for k, v in attrs.items())
    return f'<a href="{escape(href)}"{extra}>{escape(text)}</a>'


PAGING_STYLES = ("query", "path", "p", "more", "ajax", "endless")
AJAX_PATH = "/api/load-more"

# Named mixes of the Portal knobs: the layouts bench/layouts.py and the tests walk.
LAYOUTS: dict[str, dict[str, object]] = {
    "classic": {},
    "website": {"og_type": "website"},
    "mastercms": {
        "layout": "mastercms",
        "og_type": "website",
        "paging": "path",
        "long_reads": 7,
        "print_links": True,
        "old_slugs": 9,
        "edited_copies": True,
    },
    "paging-p": {"og_type": "website", "paging": "p"},
    "paging-more": {"og_type": "website", "paging": "more"},
    "paging-ajax": {"layout": "mastercms", "og_type": "website", "paging": "ajax"},
    "paging-endless": {"og_type": "website", "paging": "endless"},
}

KICKERS = ("Chính quyền địa phương 2 cấp", "Chuyển đổi số ở cơ sở", "Vì Thủ đô văn minh")
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


class Portal:
    """A deterministic mirror of the portal; see the module docstring."""

    base_url = REAL_BASE_URL

    def __init__(
        self,
        n_articles: int = 40,
        *,
        seed: int = 0,
        now: datetime | None = None,
        page_size: int = 10,
        padding_kib: int = 0,
        layout: str = "classic",
        og_type: str = "article",
        paging: str = "query",
        long_reads: int = 0,
        print_links: bool = False,
        old_slugs: int = 0,
        edited_copies: bool = False,
        feeds: str | None = None,
    ) -> None:
        """Build ``n_articles`` distinct stories (plus republished copies).

        ``now`` (default: the current time) ends the ~60 days the stories
        were published in; a naive ``now`` is taken as Asia/Ho_Chi_Minh.
        ``padding_kib``, when set, is the size every HTML page is padded up to
        with boilerplate (pages already larger are left as they are).

        The defaults give the classic layout the first tests were written for.
        The other knobs (``LAYOUTS`` names the usual mixes):

        - ``layout``: ``classic`` (the seed page's markup) or ``mastercms`` (the
          MasterCMS traits of DESIGN.md: kicker above the headline, ``08:49 |
          06/08/2021`` date line, lead starting "(LĐTĐ)" on every third story,
          related titles right after the lead, captions in small tables,
          "Dòng sự kiện:" topic links, today's date in the masthead, "Đọc nhiều"
          sidebar on every page);
        - ``og_type``: ``article`` or ``website`` (article pages then say website;
          there is never any JSON-LD);
        - ``paging``: listings paged as ``query`` (``?page=N``), ``path``
          (``/trang-N.html``), ``p`` (``/p/N``), ``more`` (a lone "Xem thêm" link
          to ``?p=N``), ``ajax`` (a load-more control whose ``data-url`` fetches
          HTML fragments from ``/api/load-more``, later fragments saying nothing of
          the next one) or ``endless`` (page N always links N+1; pages past the
          end repeat the last one);
        - ``long_reads``: every Nth story is an e-magazine page at ``/<slug>.media``
          (byline under the lead, an empty "Nguồn :" line, its id only in its
          print link);
        - ``print_links``: article pages link their print copy
          ``/apicenter@/print_article&i=<id>``, which is served;
        - ``old_slugs``: every Nth story has an earlier slug, linked from other
          stories' boxes, whose URL answers 301 to the current one;
        - ``edited_copies``: republished copies get an edited title ("…: …" to
          "… - …", or "(cập nhật)" added) and a small body edit;
        - ``feeds``: None (the default: no feed, as the real portal is believed to
          be), ``ok`` (robots.txt names ``/sitemap.xml``, a sitemap index of one
          sitemap a month ``/sitemaps/YYYY-MM.xml`` with ``<lastmod>``, and
          ``/rss/home.rss`` lists the newest 50 stories), ``stale`` (the same, frozen
          ``STALE_FEED_DAYS`` before the newest story), ``broken`` (robots.txt names
          the index, which answers 500, and the RSS feed is not XML), ``rss`` (no
          sitemap; the RSS feed only) or ``rss-one-section`` (no sitemap; the RSS
          feed lists the stories of the first section alone).
        """
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        if layout not in ("classic", "mastercms") or paging not in PAGING_STYLES:
            raise ValueError(f"unknown layout {layout!r} or paging {paging!r}")
        if feeds is not None and feeds not in FEED_STYLES:
            raise ValueError(f"unknown feeds {feeds!r}: one of {', '.join(FEED_STYLES)} or None")
        self.feeds = feeds
        self.layout = layout
        self.og_type = og_type
        self.paging = paging
        self.long_reads = long_reads
        self.print_links = print_links
        self.old_slugs = old_slugs
        self.edited_copies = edited_copies
        now = now or datetime.now(TZ)
        now = now.replace(tzinfo=TZ) if now.tzinfo is None else now.astimezone(TZ)
        self.now = now.replace(second=0, microsecond=0)
        self.seed = seed
        self.page_size = page_size
        self.padding_kib = padding_kib
        self.sections: list[Section] = list(SECTIONS)
        self.articles: dict[str, PortalArticle] = {}
        self._lock = threading.RLock()
        self._rng = random.Random(seed)
        self._units = hanoi_units()
        self._titles: set[str] = set()
        self._headings: set[str] = set()
        self._paragraphs: dict[tuple[int, str, int], str] = {}
        self._ordinal: dict[str, int] = {}
        self._markup: dict[str, int] = {}
        self._listed: dict[str, list[str]] = {}  # section path -> keys, newest first
        self._public: list[str] = []
        self._position: dict[str, int] = {}  # key -> index in its section's list
        self._tag_index: dict[str, tuple[str, list[str]]] | None = None
        self._sections_by_path = {s.path: s for s in self.sections}
        self._build(n_articles)

    # ------------------------------------------------------------------ model

    def _pick_section(self, ordinal: int) -> Section:
        if ordinal < len(self.sections):
            return self.sections[ordinal]
        weights = [s.weight for s in self.sections]
        return self._rng.choices(self.sections, weights=weights)[0]

    def _shared_paragraph(self, index: int, unit: tuple[str, str], year: int) -> str:
        cache_key = (index, unit[0], year)
        text = self._paragraphs.get(cache_key)
        if text is None:
            rng = random.Random(f"{self.seed}:para:{index}:{unit[0]}:{year}")
            values = _values(rng, datetime(year, 6, 1, tzinfo=TZ), unit)
            text = PARAGRAPHS[index].format(**values)
            self._paragraphs[cache_key] = text
        return text

    def _story(self, pub: datetime, section: Section) -> PortalArticle:
        rng = self._rng
        for _ in range(200):
            topic = rng.choice(TOPICS)
            unit = rng.choice(self._units)
            values = _values(rng, pub, unit)
            title = rng.choice(topic.titles).format(**values)
            if title not in self._titles:
                break
        else:  # pragma: no cover - the title space is far larger than any portal
            title = f"{title} (kỳ {len(self._titles)})"
        self._titles.add(title)

        n_text = rng.randint(3, 7)
        shared = rng.sample(range(len(PARAGRAPHS)), n_text - 1)
        paragraphs = [topic.lead.format(**values)]
        paragraphs += [self._shared_paragraph(i, unit, pub.year) for i in shared]
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            if len(paragraphs) >= 8:
                break
            heading = rng.choice(HEADINGS).format(**values)
            self._headings.add(heading)
            paragraphs.insert(rng.randint(1, len(paragraphs) - 1), heading)

        byline = rng.choice(BYLINES)
        unit_slug = slugify(unit[0])
        captions = list(topic.captions) + list(CAPTIONS)
        figures = []
        for i in range(1, rng.randint(1, 3) + 1):
            shot = pub - timedelta(minutes=6 - i)
            image = (
                f"/stores/news_dataimages/{shot:%Y}/{shot:%m%Y}/{shot:%d}/{shot:%H}/"
                f"{unit_slug}-{i}-{shot:%Y%m%d%H%M}.jpg"
            )
            caption = captions.pop(rng.randrange(len(captions))).format(**values)
            if rng.random() < 0.4:
                credit = byline if " - " not in byline else rng.choice(PHOTOGRAPHERS)
                caption = f"{caption} (Ảnh: {credit})"
            figures.append((image, caption))

        tags = [f"{unit[1]} {unit[0]}"]
        tags += [t.format(**values) for t in rng.sample(topic.tags, rng.randint(1, len(topic.tags)))]
        return PortalArticle(
            key="",
            slug=slugify(title),
            section=section.path,
            category=section.name,
            title=title,
            sapo=topic.sapo.format(**values),
            paragraphs=paragraphs,
            byline=byline,
            published_at=pub,
            figures=figures,
            tags=tags,
        )

    def _build(self, n_articles: int) -> None:
        rng = self._rng
        span = int(timedelta(days=60).total_seconds() // 60)
        offsets = sorted((rng.randint(90, span) for _ in range(n_articles)), reverse=True)
        stories = [
            self._story(self.now - timedelta(minutes=m), self._pick_section(i)) for i, m in enumerate(offsets)
        ]
        entries: list[tuple[PortalArticle, PortalArticle | None]] = [(s, None) for s in stories]
        old = [s for s in stories if s.published_at < self.now - timedelta(days=3)]
        n_copies = min(2 + n_articles // 500, len(old))
        for original in rng.sample(old, n_copies):
            others = [s for s in self.sections if s.path != original.section]
            section = rng.choice(others)
            pub = original.published_at + timedelta(minutes=rng.randint(120, 2880))
            copy = PortalArticle(
                key="",
                slug=f"{original.slug}-{rng.choice(('ban-tin', 'tin-tong-hop', 'dia-phuong'))}",
                section=section.path,
                category=section.name,
                title=original.title,
                sapo=original.sapo,
                paragraphs=list(original.paragraphs),
                byline=original.byline,
                published_at=pub,
                figures=list(original.figures),
                tags=list(original.tags),
            )
            entries.append((copy, original))
        entries.sort(key=lambda e: e[0].published_at)
        key = FIRST_KEY
        for article, _ in entries:
            key += rng.randint(1, 3)
            article.key = str(key)
        for article, original in entries:
            if original is not None:
                article.republished_from = original.key
                if self.edited_copies:
                    self._edit_copy(article)
            self._dress(article)
            self._register(article)
        self._reindex()

    def _dress(self, article: PortalArticle) -> None:
        """The per-story traits of the chosen knobs, drawn from the story's own generator."""
        rng = random.Random(f"{self.seed}:dress:{article.key}")
        number = int(article.key)
        if self.layout == "mastercms":
            if number % 3 == 0 and not article.sapo.startswith("(LĐTĐ)"):
                article.sapo = f"(LĐTĐ) {article.sapo}"  # the lead as printed: a reader sees it
            if number % 4 == 1:
                article.kicker = rng.choice(KICKERS)
        if self.long_reads and number % self.long_reads == 0 and not article.republished_from:
            article.long_read = True
        if self.old_slugs and number % self.old_slugs == 2 and not article.long_read:
            article.old_slug = "-".join(article.slug.split("-")[:-2] or [article.slug]) + "-ban-cu"

    def _edit_copy(self, copy: PortalArticle) -> None:
        """A republished copy whose editor touched it: title punctuation, a word of the body."""
        rng = random.Random(f"{self.seed}:edit:{copy.key}")
        if ": " in copy.title:
            copy.title = copy.title.replace(": ", " - ", 1)
        else:
            copy.title = f"{copy.title} (cập nhật)"
        copy.slug = slugify(copy.title) + "-" + copy.slug.rsplit("-", 1)[-1]
        i = rng.randrange(1, len(copy.paragraphs)) if len(copy.paragraphs) > 1 else 0
        copy.paragraphs[i] = copy.paragraphs[i].rstrip(".") + ", theo thông tin mới nhất."

    def _register(self, article: PortalArticle) -> None:
        self._ordinal[article.key] = len(self._ordinal)
        self.articles[article.key] = article

    def _reindex(self) -> None:
        newest_first = sorted(self.articles, key=int, reverse=True)
        listed: dict[str, list[str]] = {s.path: [] for s in self.sections}
        for key in newest_first:
            listed[self.articles[key].section].append(key)
        self._listed = listed
        self._position = {k: i for keys in listed.values() for i, k in enumerate(keys)}
        # Keys newest first, less those of nav-only sections, which are reached
        # only through their own listing: not from the home page, nor tag pages.
        hidden = {s.path for s in self.sections if s.nav_only}
        self._public = [k for k in newest_first if self.articles[k].section not in hidden]
        self._tag_index = None
        self._long_reads = {a.slug: a.key for a in self.articles.values() if a.long_read}

    # ------------------------------------------------------------ public API

    def expected_articles(self) -> list[PortalArticle]:
        """Distinct stories, newest first; republished copies excluded."""
        with self._lock:
            stories = [a for a in self.articles.values() if a.republished_from is None]
        return sorted(stories, key=lambda a: int(a.key), reverse=True)

    def add_articles(self, k: int) -> list[PortalArticle]:
        """Publish ``k`` new stories after every existing one; returns them newest first.

        They are spread between the newest article and ``now`` (at least a
        minute apart; ``now`` moves forward when there is not room).
        """
        with self._lock:
            newest = max((a.published_at for a in self.articles.values()), default=self.now)
            room = int((self.now - newest).total_seconds() // 60)
            step = max(1, min(10, room // (k + 1)))
            added = []
            key = max((int(x) for x in self.articles), default=FIRST_KEY)
            for i in range(1, k + 1):
                pub = newest + timedelta(minutes=step * i)
                article = self._story(pub, self._pick_section(len(self._ordinal)))
                key += self._rng.randint(1, 3)
                article.key = str(key)
                self._dress(article)
                self._register(article)
                added.append(article)
            self.now = max(self.now, newest + timedelta(minutes=step * (k + 1)))
            self._reindex()
        return added[::-1]

    def edit_article(
        self,
        key: str,
        *,
        body: str | list[str] | None = None,
        title: str | None = None,
        sapo: str | None = None,
    ) -> PortalArticle:
        """Change an article's content (same URL); ``body`` as a list or blank-line-joined."""
        with self._lock:
            article = self.articles[key]
            if body is not None:
                paragraphs = body.split("\n\n") if isinstance(body, str) else list(body)
                article.paragraphs = [p.strip() for p in paragraphs if p.strip()]
            if title is not None:
                self._titles.discard(article.title)
                article.title = title
                self._titles.add(title)
            if sapo is not None:
                article.sapo = sapo
            article.revision += 1
            self._tag_index = None
        return article

    def touch_markup(self, key: str) -> None:
        """Change the article page's markup (wrapper div, white space) but not its content."""
        with self._lock:
            if key not in self.articles:
                raise KeyError(key)
            self._markup[key] = self._markup.get(key, 0) + 1

    def alias_urls(self) -> dict[str, str]:
        """Every trap URL (path and query) the site links to -> key it must resolve to.

        Republished copies map to their original. Plain article paths (such
        as the self-link in "Nên xem") are not listed.
        """
        out: dict[str, str] = {}
        with self._lock:

            def add(href: str, target: PortalArticle) -> None:
                if target.republished_from:
                    out[href] = target.republished_from
                elif href != target.path:
                    out[href] = target.key

            for article in self.articles.values():
                add(self._listing_href(article), article)
                for items in self._boxes(article).values():
                    for href, target in items:
                        add(href, target)
        return out

    # ----------------------------------------------------------------- links

    def _listing_href(self, article: PortalArticle) -> str:
        if article.republished_from or article.long_read:
            return article.path
        slot = self._ordinal[article.key] % 8
        if slot == 3:
            return f"{article.path}?{UTM_QUERY}"
        if slot == 5:
            return article.section + article.path
        if slot == 7:
            return f"{article.path}?fbclid=IwAR{_token(self.seed, 'fb', article.key)}"
        return article.path

    def _variant(self, kind: str, target: PortalArticle) -> str:
        if target.long_read and kind in ("case", "slash", "section"):
            return target.path
        if kind == "plain" and target.old_slug:
            return target.old_path  # a link written before the story's slug changed: 301
        if kind == "gclid":
            return f"{target.path}?gclid=Cj0KCQiA{_token(self.seed, 'g', target.key)}"
        if kind == "fbclid":
            return f"{target.path}?fbclid=IwAR{_token(self.seed, 'fb', target.key)}"
        if kind == "utm":
            return f"{target.path}?{UTM_QUERY}"
        if kind == "mobile":
            return "/m" + target.path
        if kind == "section":
            return target.section + target.path
        if kind == "case":
            return _case_variant(target)
        if kind == "slash":
            return target.path + "/"
        return target.path

    def _boxes(self, article: PortalArticle) -> dict[str, list[tuple[str, PortalArticle]]]:
        """The related blocks of an article page: block -> [(href, target)]."""
        keys = self._listed[article.section]
        i = self._position[article.key]
        pool = [self.articles[k] for k in keys[i + 1 : i + 41] + keys[max(0, i - 40) : i][::-1]]
        j = self._ordinal[article.key]

        def pick(items: list[PortalArticle], kinds: dict[int, str]) -> list[tuple[str, PortalArticle]]:
            return [(self._variant(kinds.get(p, "plain"), t), t) for p, t in enumerate(items)]

        related = pick(pool[:3], {1: "gclid"} if j % 4 == 1 else {})
        nen_kinds = {}
        if j % 3 == 0:
            nen_kinds[0] = "mobile"
        if j % 5 == 2:
            nen_kinds[1] = "section"
        nen_xem = pick(pool[3:8], nen_kinds)
        nen_xem.insert(min(4, len(nen_xem)), (article.path, article))
        tin_kinds = {0: "fbclid"} if j % 4 == 2 else {1: "case"} if j % 4 == 3 else {}
        if j % 6 == 0:
            tin_kinds[2] = "utm"
        tin_khac = pick(pool[8:18], tin_kinds)
        candidates = pool[18:40] or pool
        chosen = random.Random(f"{self.seed}:ctbqt:{article.key}").sample(candidates, min(3, len(candidates)))
        ctb_kinds = {0: "slash"} if j % 4 == 0 else {1: "gclid"} if j % 4 == 2 else {}
        return {
            "related": related,
            "co_the_ban_quan_tam": pick(chosen, ctb_kinds),
            "nen_xem": nen_xem,
            "tin_khac": tin_khac,
        }

    def _tags(self) -> dict[str, tuple[str, list[str]]]:
        if self._tag_index is None:
            # Every tag has a page; it lists the tag's articles outside nav-only sections.
            index: dict[str, tuple[str, list[str]]] = {}
            public = set(self._public)
            for key in sorted(self.articles, key=int, reverse=True):
                for tag in self.articles[key].tags:
                    keys = index.setdefault(slugify(tag), (tag, []))[1]
                    if key in public:
                        keys.append(key)
            self._tag_index = index
        return self._tag_index

    # ------------------------------------------------------------- rendering

    def render(self, path_and_query: str, *, base_url: str | None = None) -> Response:
        """The response the portal gives for a path (and query); absolute URLs use ``base_url``."""
        base = (base_url or self.base_url).rstrip("/")
        parts = urlsplit(path_and_query)
        path = (parts.path or "/").lower()
        query = parse_qs(parts.query)
        if path == "/robots.txt":
            robots = ROBOTS_TXT
            if self.feeds in ("ok", "stale", "broken"):
                robots += f"Sitemap: {base}{SITEMAP_INDEX_PATH}\n"
            return Response(200, {"Content-Type": "text/plain; charset=utf-8"}, robots.encode())
        is_feed = path in (SITEMAP_INDEX_PATH, RSS_PATH) or MONTHLY_SITEMAP_RE.match(path)
        if self.feeds is not None and is_feed:
            with self._lock:
                feed = self._feed(path, base)
            if feed is not None:
                return feed
        if path != "/":
            path = path.rstrip("/") or "/"
        with self._lock:
            moved = self._moved(path)
            if moved is not None:
                body = f'<html><body><a href="{escape(base + moved)}">Moved</a></body></html>\n'
                return Response(301, {"Content-Type": HTML_TYPE, "Location": base + moved}, body.encode())
            if path == AJAX_PATH:
                fragment = self._ajax_fragment(base, query)
                if fragment is not None:
                    return Response(200, {"Content-Type": HTML_TYPE}, fragment.encode())
            page = self._route(path, query, base)
        if page is None:
            status, html = 404, self._page_not_found(base)
        else:
            status, html = 200, page
        return Response(status, {"Content-Type": HTML_TYPE}, self._pad(html))

    # ------------------------------------------------------------------ feeds

    def _feed_articles(self) -> list[PortalArticle]:
        """What the feeds list, newest first: every public article (up to the freeze, if stale)."""
        stories = sorted(self.articles.values(), key=lambda a: a.published_at, reverse=True)
        if self.feeds == "stale" and stories:
            frozen = stories[0].published_at - timedelta(days=STALE_FEED_DAYS)
            stories = [a for a in stories if a.published_at <= frozen]
        if self.feeds == "rss-one-section" and stories:
            stories = [a for a in stories if a.section == self.sections[0].path]
        return stories

    def _feed(self, path: str, base: str) -> Response | None:
        xml = "application/xml; charset=utf-8"
        if self.feeds == "broken":
            if path == RSS_PATH:
                return Response(200, {"Content-Type": xml}, "<html><body>Lỗi hệ thống</body></html>".encode())
            return Response(500, {"Content-Type": HTML_TYPE}, b"<html><body>500</body></html>")
        stories = self._feed_articles()
        if path == RSS_PATH:
            rss = "application/rss+xml; charset=utf-8"
            return Response(200, {"Content-Type": rss}, self._rss(stories, base))
        if self.feeds in ("rss", "rss-one-section"):
            return None  # no sitemap: a 404
        months: dict[str, list[PortalArticle]] = {}
        for article in stories:
            months.setdefault(f"{article.published_at:%Y-%m}", []).append(article)
        if path == SITEMAP_INDEX_PATH:
            entries = "".join(
                f"<sitemap><loc>{base}/sitemaps/{month}.xml</loc>"
                f"<lastmod>{items[0].published_at.isoformat()}</lastmod></sitemap>\n"
                for month, items in sorted(months.items())
            )
            body = f'{_XML_HEAD}<sitemapindex xmlns="{_SITEMAP_NS}">\n{entries}</sitemapindex>\n'
            return Response(200, {"Content-Type": xml}, body.encode())
        match = MONTHLY_SITEMAP_RE.match(path)
        items = months.get(f"{match.group(1)}-{match.group(2)}") if match else None
        if not items:
            return None
        entries = "".join(
            f"<url><loc>{escape(base + a.path)}</loc><lastmod>{a.published_at.isoformat()}</lastmod></url>\n"
            for a in items
        )
        body = f'{_XML_HEAD}<urlset xmlns="{_SITEMAP_NS}">\n{entries}</urlset>\n'
        return Response(200, {"Content-Type": xml}, body.encode())

    def _rss(self, stories: list[PortalArticle], base: str) -> bytes:
        items = "".join(
            f"<item><title>{escape(a.title)}</title><link>{escape(base + a.path)}</link>"
            f"<guid>{escape(base + a.path)}</guid>"
            f"<pubDate>{format_datetime(a.published_at)}</pubDate></item>\n"
            for a in stories[:RSS_ITEMS]
        )
        return (
            f'{_XML_HEAD}<rss version="2.0"><channel>'
            f"<title>{escape(SITE_NAME)}</title><link>{base}/</link>\n{items}</channel></rss>\n"
        ).encode()

    def _moved(self, path: str) -> str | None:
        """The current path of a story reached by its old slug (answered with a 301)."""
        m = _ARTICLE_PATH.match(path.rsplit("/", 1)[-1])
        if not m or "/" in path.strip("/"):
            return None
        article = self.articles.get(m.group(2))
        if article is not None and article.old_slug == m.group(1) and article.slug != m.group(1):
            return article.path
        return None

    def _route(self, path: str, query: dict[str, list[str]], base: str) -> str | None:
        if path == "/":
            return self._page_home(base, mobile=False)
        if path == "/m":
            return self._page_home(base, mobile=True)
        if path == "/admin" or path.startswith("/admin/"):
            return self._page_simple(base, "Đăng nhập quản trị", '<form method="post"></form>')
        if path == "/search":
            q = escape(query.get("q", [""])[0])
            return self._page_simple(base, "Tìm kiếm", f"<p>Kết quả tìm kiếm cho “{q}”</p>")
        if path == SOFT_404_PATH:
            return self._page_soft_404(base)
        for hub_path, hub_name in HUBS:
            if path == hub_path:
                return self._page_hub(base, hub_path, hub_name)
        if path.startswith("/apicenter@/print_article&i="):
            article = self.articles.get(path.rsplit("=", 1)[-1])
            if article is None or not self._has_print(article):
                return None
            return self._page_print(base, article)
        m = _MEDIA_PATH.match(path)
        if m:
            key = self._long_reads.get(m.group(2))
            if key is None or (m.group(1) and m.group(1) not in self._sections_by_path):
                return None
            return self._page_media(base, self.articles[key], mobile=m.group(1) == "/m")
        m = _PAGED_PATH.match(path)
        if m and m.group(1) in self._sections_by_path:
            return self._page_listing(base, self._sections_by_path[m.group(1)], int(m.group(2) or m.group(3)))
        section = self._sections_by_path.get(path)
        if section is not None:
            page = query.get("page", query.get("p", ["1"]))[0]
            if not page.isdigit():
                return None
            return self._page_listing(base, section, int(page))
        m = _TAG_PATH.match(path)
        if m:
            tag = self._tags().get(m.group(1))
            return None if tag is None else self._page_tag(base, m.group(1), *tag)
        prefix, _, last = path.rpartition("/")
        m = _ARTICLE_PATH.match(last)
        if not m:
            return None
        article = self.articles.get(m.group(2))
        if article is None or article.slug != m.group(1) or article.long_read:
            return None
        known_prefix = prefix in ("", "/m") or prefix in self._sections_by_path
        if self.layout == "mastercms" and known_prefix:
            return self._page_article_mc(base, article)
        if prefix == "":
            return self._page_article(base, article, mobile=False)
        if prefix == "/m":
            return self._page_article(base, article, mobile=True)
        if prefix in self._sections_by_path:
            return self._page_article(base, article, mobile=False)
        return None

    def _pad(self, html: str) -> bytes:
        bare = html.replace(_HEAD_PAD, "").replace(_BODY_PAD, "")
        if not self.padding_kib:
            return bare.encode()
        needed = self.padding_kib * 1024 - len(bare.encode())
        head, body = _padding(needed)
        return html.replace(_HEAD_PAD, head).replace(_BODY_PAD, body).encode()

    # pieces

    def _head(self, title: str, extra: str = "") -> str:
        return (
            '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)}</title>\n{extra}"
            "<script>var _gaq = _gaq || []; _gaq.push(['_setAccount', 'UA-0000000-1']);</script>\n"
            '<link rel="stylesheet" href="/templates/ldtd/css/style.css">\n'
            f"{_HEAD_PAD}</head>\n"
        )

    def _menu(self, *, home: bool) -> str:
        by_parent: dict[str, list[Section]] = {}
        for s in self.sections:
            if s.parent_path:
                by_parent.setdefault(s.parent_path, []).append(s)
        items = []
        for path, name in HUBS:
            subs = "".join(f"<li>{_a(s.path, s.name)}</li>" for s in by_parent.get(path, []))
            sub = f'<ul class="sub_menu">{subs}</ul>' if subs else ""
            items.append(f"<li>{_a(path, name)}{sub}</li>")
        if home:
            for s in self.sections:
                if s.nav_only:
                    items.append(f'<li class="new">{_a(s.path, s.name)}</li>')
        return '<ul class="menu_top">\n' + "\n".join(items) + "\n</ul>"

    def _header(self, *, home: bool = False, mobile: bool = False) -> str:
        if self.layout == "mastercms":
            return self._mc_header(home=home)
        cls = ' class="mobile"' if mobile else ""
        return (
            f"<body{cls}>\n"
            '<div id="header"><div class="logo"><a href="/"><img src="/templates/ldtd/images/logo.png"'
            f' alt="{SITE_NAME}"></a></div>\n{self._menu(home=home)}</div>\n'
            '<div class="container">\n'
        )

    def _footer(self, *, home: bool = False) -> str:
        if self.layout == "mastercms":
            return self._mc_footer(home=home)
        partners = " ".join(_a(url, name, target="_blank", rel="nofollow") for url, name in _PARTNERS[:2])
        admin = f" {_a(ADMIN_PATH, 'Quản trị')}" if home else ""
        return (
            '</div>\n<div id="footer"><a href="/m/">Phiên bản di động</a>\n'
            "<p>Cơ quan của Liên đoàn Lao động thành phố Hà Nội</p>\n"
            f'<p class="partners">Liên kết: {partners}{admin}</p></div>\n'
            f'<script src="/templates/ldtd/js/main.js"></script>\n{_BODY_PAD}</body>\n</html>\n'
        )

    def _breadcrumb(self, crumbs: list[tuple[str, str]]) -> str:
        links = [_a("/", "Trang chủ")] + [_a(p, n) for p, n in crumbs]
        return f'<div class="title_new_nav">{" <span>&raquo;</span> ".join(links)}</div>\n'

    def _thumb(self, base: str, article: PortalArticle) -> str:
        return f"{base}/stores/news_dataimages/thumb/{article.slug[:20]}.jpg"

    def _list_item(self, base: str, href: str, article: PortalArticle) -> str:
        url = base + href
        t = escape(article.title)
        return (
            '<div class="list_news_item">'
            f'<a class="thumb" href="{escape(url)}" title="{t}">'
            f'<img src="{escape(self._thumb(base, article))}" alt="{t}"></a>\n'
            f'<div class="list_news_title"><h2><a href="{escape(url)}" title="{t}">{t}</a></h2></div>\n'
            f'<div class="list_news_time"><i>{_stamp(article.published_at)}</i></div>\n'
            f'<p class="sapo">{escape(article.sapo)}</p></div>\n'
        )

    def _box_item(self, base: str, href: str, article: PortalArticle) -> str:
        url = escape(base + href)
        t = escape(article.title)
        return (
            f'<div class="item_news"><a class="thumb" href="{url}" title="{t}">'
            f'<img src="{escape(self._thumb(base, article))}" alt="{t}"></a>\n'
            f'<h3 class="title_news"><a href="{url}">{t}</a></h3>\n'
            f'<p class="sapo">{escape(article.sapo)}</p></div>\n'
        )

    # pages

    def _page_home(self, base: str, *, mobile: bool) -> str:
        newest = self._public
        latest = "".join(self._list_item(base, self.articles[k].path, self.articles[k]) for k in newest[:8])
        popular = [
            f"<li>{_a(base + self.articles[k].path, self.articles[k].title)}</li>" for k in newest[8:12]
        ]
        popular.insert(
            1,
            f"<li>{_a(base + SOFT_404_PATH, 'Hà Nội công bố danh sách các phường, xã sau sắp xếp')}</li>",
        )
        tags = sorted(self._tags().items(), key=lambda kv: -len(kv[1][1]))[:4]
        topics = " ".join(_a(f"/tags/{slug}.html", name) for slug, (name, _) in tags)
        meta = (
            f'<meta name="description" content="{SITE_NAME} - Tin tức Thủ đô, công đoàn, lao động">\n'
            f'<link rel="canonical" href="{escape(base)}/">\n'
            '<meta property="og:type" content="website">\n'
            f'<meta property="og:site_name" content="{SITE_NAME}">\n'
        )
        return (
            self._head(f"{SITE_NAME} - Tin tức Thủ đô", meta)
            + self._header(home=True, mobile=mobile)
            + '<form class="search" action="/search"><input name="q" placeholder="Tìm kiếm"></form>\n'
            + f'<p class="search_link">{_a(SEARCH_PATH, "Tìm kiếm nâng cao")}</p>\n'
            + '<div class="box_home"><div class="title_box">Tin mới</div>\n'
            + f'<div class="list_news">\n{latest}</div></div>\n'
            + '<div class="box_docnhieu"><div class="title_box">Đọc nhiều</div><ul>'
            + "".join(popular)
            + "</ul></div>\n"
            + f'<div class="box_chude"><div class="title_box">Chủ đề</div> {topics}</div>\n'
            + self._footer(home=True)
        )

    def _page_hub(self, base: str, path: str, name: str) -> str:
        blocks = []
        for s in self.sections:
            if s.parent_path != path:
                continue
            keys = self._listed[s.path][:5]
            items = "".join(self._list_item(base, self.articles[k].path, self.articles[k]) for k in keys)
            blocks.append(
                f'<div class="box_category"><h2 class="title_cate">{_a(s.path, s.name)}</h2>\n'
                f'<div class="list_news">\n{items}</div></div>\n'
            )
        content = "".join(blocks) or '<p class="empty">Chưa có bài viết trong chuyên mục.</p>\n'
        return (
            self._head(f"{name} | {SITE_NAME}")
            + self._header()
            + self._breadcrumb([(path, name)])
            + f'<h1 class="title_cate">{escape(name)}</h1>\n{content}'
            + self._footer()
        )

    def _listing_page_href(self, section: Section, n: int) -> str:
        """The URL of page ``n`` of a section's listing, in the portal's paging style."""
        if n == 1:
            return section.path
        if self.paging == "path":
            return f"{section.path}/trang-{n}.html"
        if self.paging == "p":
            return f"{section.path}/p/{n}"
        if self.paging == "more":
            return f"{section.path}?p={n}"
        if self.paging == "ajax":
            return f"{AJAX_PATH}?zone={slugify(section.path)}&page={n}"
        return f"{section.path}?page={n}"

    def _listing_chunk(self, section: Section, page: int) -> tuple[list[str], int] | None:
        keys = self._listed[section.path]
        last = max(1, -(-len(keys) // self.page_size))
        if page < 1 or (page > last and self.paging != "endless"):
            return None
        shown = min(page, last)  # an endless listing repeats its last page past the end
        return keys[(shown - 1) * self.page_size : shown * self.page_size], last

    def _items(self, base: str, keys: list[str]) -> str:
        item = self._story_item if self.layout == "mastercms" else self._list_item
        return "".join(item(base, self._listing_href(self.articles[k]), self.articles[k]) for k in keys)

    def _paging(self, section: Section, page: int, last: int) -> str:
        def href(n: int) -> str:
            return self._listing_page_href(section, n)

        if self.paging == "more":
            return _a(href(page + 1), "Xem thêm", class_="view_more") if page < last else ""
        if self.paging == "ajax":
            if page >= last:
                return ""
            return (
                f'<div class="load_more" data-url="{escape(href(page + 1))}" data-page="{page + 1}">'
                "<span>Xem thêm</span></div>"
            )
        links = []
        if page > 1:
            links.append(_a(href(page - 1), "Trang trước", class_="prev"))
        top = page + 2 if self.paging == "endless" else min(last, page + 2)
        for n in range(max(1, page - 2), top + 1):
            links.append(f'<span class="current">{n}</span>' if n == page else _a(href(n), str(n)))
        if page < last or self.paging == "endless":
            links.append(_a(href(page + 1), "Trang sau", class_="next"))
        if page < last and self.paging != "endless":
            links.append(_a(href(last), "Trang cuối", class_="last"))
        return " ".join(links)

    def _page_listing(self, base: str, section: Section, page: int) -> str | None:
        found = self._listing_chunk(section, page)
        if found is None or (self.paging == "ajax" and page > 1):
            return None
        chunk, last = found
        items = self._items(base, chunk)
        paging = self._paging(section, page, last)
        title = section.name if page == 1 else f"{section.name} - Trang {page}"
        canonical = f'<link rel="canonical" href="{escape(base + self._listing_page_href(section, page))}">\n'
        if self.layout == "mastercms":
            return (
                self._head(f"{title} | {SITE_NAME}", canonical)
                + self._header()
                + '<div class="wrapper"><div class="col-main">'
                + self._breadcrumb(section.breadcrumb)
                + f'<h1 class="cate-title">{escape(section.name)}</h1>\n'
                + f'<div class="cate-stories">\n{items}</div>\n'
                + f'<div class="pagination">{paging}</div>\n'
                + "</div>"
                + self._mc_sidebar(base)
                + "</div>\n"
                + self._footer()
            )
        return (
            self._head(f"{title} | {SITE_NAME}", canonical)
            + self._header()
            + self._breadcrumb(section.breadcrumb)
            + f'<h1 class="title_cate">{escape(section.name)}</h1>\n'
            + f'<div class="list_news">\n{items}</div>\n'
            + f'<div class="paging">{paging}</div>\n'
            + self._footer()
        )

    def _ajax_fragment(self, base: str, query: dict[str, list[str]]) -> str | None:
        """A "load more" answer: the items of one page as an HTML fragment (empty past the end).

        It says nothing of the next page: the page's script counts (the crawler must too).
        """
        zone, page = query.get("zone", [""])[0], query.get("page", [""])[0]
        section = next((s for s in self.sections if slugify(s.path) == zone), None)
        if section is None or not page.isdigit():
            return None
        found = self._listing_chunk(section, int(page))
        if found is None:
            return ""
        return self._items(base, found[0])

    def _page_tag(self, base: str, slug: str, name: str, keys: list[str]) -> str:
        items = "".join(self._list_item(base, self.articles[k].path, self.articles[k]) for k in keys[:20])
        items = items or '<p class="empty">Chưa có bài viết.</p>\n'
        return (
            self._head(f"{name} | {SITE_NAME}", f'<link rel="canonical" href="{base}/tags/{slug}.html">\n')
            + self._header()
            + self._breadcrumb([(f"/tags/{slug}.html", name)])
            + f'<h1 class="title_cate">Tags: {escape(name)}</h1>\n'
            + f'<div class="list_news">\n{items}</div>\n'
            + self._footer()
        )

    def _page_simple(self, base: str, title: str, content: str) -> str:
        return (
            self._head(f"{title} | {SITE_NAME}")
            + self._header()
            + f'<h1 class="title_cate">{escape(title)}</h1>\n{content}\n'
            + self._footer()
        )

    def _page_soft_404(self, base: str) -> str:
        return (
            self._head(f"Trang không tồn tại | {SITE_NAME}")
            + self._header()
            + '<div class="page_notfound"><h2>Trang không tồn tại</h2>\n'
            + "<p>Xin lỗi, trang bạn tìm kiếm không tồn tại hoặc đã bị xóa.</p>\n"
            + f"<p>{_a('/', 'Về trang chủ')}</p></div>\n"
            + self._footer()
        )

    def _page_not_found(self, base: str) -> str:
        return (
            self._head(f"404 - Không tìm thấy | {SITE_NAME}")
            + self._header()
            + '<div class="page_404"><h2>404 - Không tìm thấy đường dẫn</h2></div>\n'
            + self._footer()
        )

    def _page_article(self, base: str, a: PortalArticle, *, mobile: bool) -> str:
        canonical = escape(base + a.path)
        section = self._sections_by_path[a.section]
        t = escape(a.title)
        sapo = escape(a.sapo)
        og_image = escape(base + a.figures[0][0]) if a.figures else ""
        meta = (
            f'<meta name="description" content="{sapo}">\n'
            f'<meta name="keywords" content="{escape(", ".join(a.tags))}">\n'
            f'<link rel="canonical" href="{canonical}">\n'
            '<link rel="alternate" media="only screen and (max-width: 640px)"'
            f' href="{escape(base + "/m" + a.path)}">\n'
            f'<meta property="og:type" content="{escape(self.og_type)}">\n'
            f'<meta property="og:title" content="{t}">\n'
            f'<meta property="og:description" content="{sapo}">\n'
            f'<meta property="og:url" content="{canonical}">\n'
            + (f'<meta property="og:image" content="{og_image}">\n' if og_image else "")
            + f'<meta property="og:site_name" content="{SITE_NAME}">\n'
            f'<meta property="article:section" content="{escape(a.category)}">\n'
        )
        boxes = self._boxes(a)
        version = self._markup.get(a.key, 0)
        sep = "\n" + "  " * (version % 3)

        related = "".join(
            f'<li><a href="{escape(base + href)}" title="{escape(x.title)}">{escape(x.title)}</a></li>'
            for href, x in boxes["related"]
        )
        detail = self._detail(a, sep)
        if version:
            detail = f'<div class="detail_content v{version}">{sep}{detail}{sep}</div>'
        tags = " ".join(_a(f"/tags/{slugify(tag)}.html", tag) for tag in a.tags)
        share = (
            f'<a href="https://www.facebook.com/sharer/sharer.php?u={canonical}">Chia sẻ Facebook</a>'
            f' <a href="https://zalo.me/share?u={canonical}">Zalo</a>'
        )

        def box(cls: str, title: str, block: str, more: str = "") -> str:
            items = "".join(self._box_item(base, href, x) for href, x in boxes[block])
            return f'<div class="{cls}"><div class="title_box">{title}</div>\n{items}{more}</div>\n'

        content_cls = "content_detail" + (" clearfix" if version else "")
        return (
            self._head(f"{a.title} | {SITE_NAME}", meta)
            + self._header(mobile=mobile)
            + self._breadcrumb(section.breadcrumb)
            + f'<div class="{content_cls}">\n'
            + f'<h1 class="title_detail">{t}</h1>\n'
            + f'<div class="tool"><span class="author_top">{escape(a.byline)}</span>'
            + f" <i>{_stamp(a.published_at)}</i>"
            + (
                f' <a class="print" href="{escape(base + a.print_path)}">In bài viết</a>'
                if self._has_print(a)
                else ' <a class="print" href="javascript:window.print()">In bài viết</a>'
            )
            + ' <span class="font">Cỡ chữ A A A</span></div>\n'
            + f'<h2 class="sapo_detail">{sapo}</h2>\n'
            + (f'<div class="related_news_inline"><ul>{related}</ul></div>\n' if related else "")
            + f'<div class="detail_info">{sep}{detail}{sep}</div>\n'
            + f'<div class="tags"><span>Tags:</span> {tags}</div>\n'
            + f'<div class="share_bar">{share}</div>\n'
            + "</div>\n"
            + box("box_related", "Có thể bạn quan tâm", "co_the_ban_quan_tam")
            + box("box_nenxem", "Nên xem", "nen_xem")
            + box(
                "box_tinkhac",
                "Tin khác",
                "tin_khac",
                f'<a class="view_more" href="{escape(a.section)}">Xem thêm</a>\n',
            )
            + self._footer()
        )

    def _detail(self, a: PortalArticle, sep: str) -> str:
        n = len(a.paragraphs)
        n_fig = len(a.figures)
        # Figure i goes after paragraph slots[i]; -1 puts it before the first.
        slots = [min(n - 1, max(0, round((i + 1) * n / (n_fig + 1)) - 1)) for i in range(n_fig)]
        body_link = self._ordinal.get(a.key, 1) % 5 == 0 and bool(a.tags)
        parts = [self._figure(a, f) for f, slot in zip(a.figures, slots, strict=True) if slot < 0]
        for i, text in enumerate(a.paragraphs):
            if text in self._headings:
                parts.append(f"<p><strong>{escape(text)}</strong></p>")
            else:
                html = escape(text)
                if body_link and i == 0 and escape(a.tags[0]) in html:
                    link = _a(f"/tags/{slugify(a.tags[0])}.html", a.tags[0])
                    html = html.replace(escape(a.tags[0]), link, 1)
                parts.append(f'<p style="text-align: justify;">{html}</p>')
            parts += [self._figure(a, f) for f, slot in zip(a.figures, slots, strict=True) if slot == i]
        parts.append(f'<p style="text-align: right;"><strong>{escape(a.byline)}</strong></p>')
        return sep.join(parts)

    def _figure(self, a: PortalArticle, figure: tuple[str, str]) -> str:
        image, caption = figure
        return (
            '<table class="image center"><tbody><tr><td>'
            f'<img src="{escape(image)}" alt="{escape(a.title)}" title="{escape(a.title)}">'
            f'</td></tr>\n<tr><td class="image_desc">{escape(caption)}</td></tr></tbody></table>'
        )

    # --------------------------------------------------- MasterCMS-like layout

    def _today(self) -> str:
        """The masthead's date: today, as the real portal's header shows it."""
        return f"{WEEKDAYS[self.now.weekday()]}, {self.now:%d/%m/%Y}"

    def _mc_header(self, *, home: bool = False) -> str:
        items = [f"<li>{_a(path, name)}</li>" for path, name in HUBS]
        for s in self.sections:
            if s.parent_path or home and s.nav_only:
                items.append(f"<li>{_a(s.path, s.name)}</li>")
        return (
            "<body>\n"
            '<div class="site-header"><div class="topbar"><span class="today">'
            f'{escape(self._today())}</span> <span class="hotline">Đường dây nóng: 024.3851.2345</span>'
            f'</div>\n<div class="brand"><a href="/"><img src="/images/logo.png" alt="{SITE_NAME}"></a>'
            f"<span>{SITE_NAME}</span></div>\n"
            f'<div class="main-menu"><ul>{"".join(items)}</ul></div></div>\n'
        )

    def _mc_footer(self, *, home: bool = False) -> str:
        admin = f" {_a(ADMIN_PATH, 'Quản trị')}" if home else ""
        return (
            '<div class="site-footer"><p>Báo Lao động Thủ đô - Cơ quan của Liên đoàn Lao động'
            f" thành phố Hà Nội</p><p>{_a('/m/', 'Phiên bản di động')}{admin}</p></div>\n"
            f"{_BODY_PAD}</body>\n</html>\n"
        )

    def _mc_sidebar(self, base: str) -> str:
        popular = "".join(
            f"<li>{_a(base + self.articles[k].path, self.articles[k].title)}</li>" for k in self._public[:5]
        )
        return (
            '<div class="col-side"><div class="box-most-read">'
            f"<h3>Đọc nhiều</h3><ul>{popular}</ul></div></div>"
        )

    def _story_item(self, base: str, href: str, article: PortalArticle) -> str:
        url = escape(base + href)
        t = escape(article.title)
        return (
            f'<div class="story"><a class="story-thumb" href="{url}">'
            f'<img src="{escape(self._thumb(base, article))}" alt="{t}"></a>'
            f'<h3 class="story-heading"><a href="{url}">{t}</a></h3>'
            f'<div class="story-meta">{_stamp(article.published_at)}</div>'
            f'<div class="story-summary">{escape(article.sapo)}</div></div>\n'
        )

    def _has_print(self, article: PortalArticle) -> bool:
        return self.print_links or article.long_read

    def _article_meta(self, base: str, a: PortalArticle) -> str:
        canonical = escape(base + a.path)
        sapo = escape(a.sapo)
        og_image = escape(base + a.figures[0][0]) if a.figures else ""
        return (
            f'<meta name="description" content="{sapo}">\n'
            f'<link rel="canonical" href="{canonical}">\n'
            f'<meta property="og:type" content="{escape(self.og_type)}">\n'
            f'<meta property="og:title" content="{escape(a.title)}">\n'
            f'<meta property="og:description" content="{sapo}">\n'
            f'<meta property="og:url" content="{canonical}">\n'
            + (f'<meta property="og:image" content="{og_image}">\n' if og_image else "")
            + f'<meta property="og:site_name" content="{SITE_NAME}">\n'
        )

    def _mc_figure(self, a: PortalArticle, figure: tuple[str, str]) -> str:
        image, caption = figure
        return (
            '<table class="MASTERCMS_TPL_TABLE" align="center"><tbody><tr><td>'
            f'<img src="{escape(image)}" alt="{escape(a.title)}"></td></tr>\n'
            f'<tr><td><p style="text-align: center;"><em>{escape(caption)}</em></p></td></tr></tbody></table>'
        )

    def _mc_body(self, a: PortalArticle, *, byline_at_end: bool = True) -> str:
        n = len(a.paragraphs)
        n_fig = len(a.figures)
        slots = [min(n - 1, max(0, round((i + 1) * n / (n_fig + 1)) - 1)) for i in range(n_fig)]
        parts = []
        for i, text in enumerate(a.paragraphs):
            if text in self._headings:
                parts.append(f"<h2><strong>{escape(text)}</strong></h2>")
            else:
                parts.append(f'<p style="text-align: justify;">{escape(text)}</p>')
            parts += [self._mc_figure(a, f) for f, slot in zip(a.figures, slots, strict=True) if slot == i]
        if byline_at_end:
            parts.append(f'<p style="text-align: right;"><strong>{escape(a.byline)}</strong></p>')
        return "\n".join(parts)

    def _page_article_mc(self, base: str, a: PortalArticle) -> str:
        section = self._sections_by_path[a.section]
        boxes = self._boxes(a)
        related = "".join(
            f'<li><a href="{escape(base + href)}">{escape(x.title)}</a></li>' for href, x in boxes["related"]
        )
        events = " ".join(_a(f"/tags/{slugify(tag)}.html", tag) for tag in a.tags)
        kicker = f'<div class="article-kicker">{escape(a.kicker)}</div>\n' if a.kicker else ""
        printed = (
            f' <a class="print" href="{escape(base + a.print_path)}">In bài</a>' if self._has_print(a) else ""
        )

        def box(cls: str, title: str, block: str) -> str:
            items = "".join(self._story_item(base, href, x) for href, x in boxes[block])
            return f'<div class="{cls}"><h3 class="box-heading">{title}</h3>\n{items}</div>\n'

        return (
            self._head(f"{a.title} | {SITE_NAME}", self._article_meta(base, a))
            + self._header()
            + '<div class="wrapper"><div class="col-main">'
            + self._breadcrumb(section.breadcrumb)
            + '<div class="article-detail">\n'
            + kicker
            + f'<h1 class="article-title">{escape(a.title)}</h1>\n'
            + f'<div class="article-meta"><span class="time">{_stamp(a.published_at)}</span>{printed}</div>\n'
            + f'<div class="article-lead"><strong>{escape(a.sapo)}</strong></div>\n'
            + (f'<ul class="article-relate">{related}</ul>\n' if related else "")
            + f'<div class="article-body" id="__MB_MASTERCMS_EL_3">\n{self._mc_body(a)}\n</div>\n'
            + f'<div class="article-event">Dòng sự kiện: {events}</div>\n'
            + "</div>\n"
            + box("box-other", "Tin khác", "tin_khac")
            + box("box-interest", "Có thể bạn quan tâm", "co_the_ban_quan_tam")
            + box("box-watch", "Nên xem", "nen_xem")
            + "</div>"
            + self._mc_sidebar(base)
            + "</div>\n"
            + self._footer()
        )

    def _page_media(self, base: str, a: PortalArticle, *, mobile: bool) -> str:
        """An e-magazine long read: cover, headline, lead, the byline under it, an empty source line."""
        cover = escape(base + a.figures[0][0]) if a.figures else ""
        return (
            self._head(f"{a.title} | {SITE_NAME}", self._article_meta(base, a))
            + self._header(mobile=mobile)
            + '<div class="emagazine">\n'
            + (f'<div class="e-cover"><img src="{cover}" alt="{escape(a.title)}"></div>\n' if cover else "")
            + f'<h1 class="e-title">{escape(a.title)}</h1>\n'
            + f'<div class="e-sapo"><p><strong>{escape(a.sapo)}</strong></p></div>\n'
            + f'<p class="e-author" style="text-align: right;"><strong>{escape(a.byline)}</strong></p>\n'
            + '<p class="e-source">Nguồn :</p>\n'
            + f'<div class="e-body">\n{self._mc_body(a, byline_at_end=False)}\n</div>\n'
            + f'<div class="e-foot"><span class="time">{_stamp(a.published_at)}</span>'
            + f' <a class="print" href="{escape(base + a.print_path)}">In bài</a></div>\n'
            + "</div>\n"
            + self._footer()
        )

    def _page_print(self, base: str, a: PortalArticle) -> str:
        """The printable copy: date line, headline, lead, body and byline, nothing else."""
        body = "".join(f"<p>{escape(p)}</p>" for p in a.paragraphs)
        return (
            self._head(f"{a.title} | {SITE_NAME}", '<meta name="robots" content="noindex">\n')
            + '<body class="print">\n'
            + f'<div class="print-date">{_stamp(a.published_at)}</div>\n'
            + f"<h1>{escape(a.title)}</h1>\n<p><strong>{escape(a.sapo)}</strong></p>\n{body}\n"
            + f'<p style="text-align: right;"><strong>{escape(a.byline)}</strong></p>\n'
            + f"{_BODY_PAD}</body>\n</html>\n"
        )
