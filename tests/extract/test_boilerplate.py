"""Boilerplate learnt from a site's own pages is never a field's value."""

from __future__ import annotations

from datetime import datetime

import pytest

from wardnews.dates import VN_TZ
from wardnews.extract import extract_article
from wardnews.extract.boilerplate import Boilerplate

NOW = datetime(2025, 12, 22, 21, 0, tzinfo=VN_TZ)
STORIES = [
    (
        "Phường Phú Thượng phát động Tết trồng cây xuân Bính Ngọ",
        "Phường Phú Thượng vừa phát động Tết trồng cây, với mục tiêu trồng mới 2.000 cây xanh trên các "
        "tuyến đường, trường học và khu dân cư của phường trong dịp đầu xuân năm mới.",
        "Ngọc Hà",
    ),
    (
        "Phường Tây Hồ hoàn thành phủ sóng chữ ký số cho người dân",
        "Sau ba tháng triển khai, phường Tây Hồ đã hoàn thành cấp chữ ký số cho hơn 90% người dân trong "
        "độ tuổi lao động, giúp rút ngắn thời gian giải quyết thủ tục hành chính trực tuyến.",
        "Hà An",
    ),
    (
        "Xã Thạch Thất chuẩn bị chu đáo cho ngày bầu cử sắp tới",
        "Ủy ban bầu cử xã Thạch Thất đã hoàn thành việc lập danh sách cử tri, niêm yết công khai tại các "
        "thôn và bố trí lực lượng bảo đảm an ninh, trật tự tại các điểm bỏ phiếu trên địa bàn.",
        "Minh Thu",
    ),
    (
        "Phường Giảng Võ rút ngắn thời gian giải quyết thủ tục hành chính",
        "Phường Giảng Võ triển khai nhiều giải pháp rút ngắn thời gian giải quyết thủ tục hành chính, "
        "giảm ba mươi phần trăm thời gian chờ đợi của người dân so với quy định hiện hành.",
        "Hoàng Lan",
    ),
]


def page(title: str, text: str, byline: str, *, date_line: str | None = None) -> str:
    """A page of one template: the same masthead, 'Đọc nhiều' box and footer around each story.

    The masthead's date line sits right under the headline, inside the article's block, so
    only the learnt boilerplate (not the position rule) tells it from the story's date.
    """
    own_date = f'<p class="meta">{date_line}</p>' if date_line else ""
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head>
<body>
<div class="site"><div class="brand">Báo Lao động Thủ đô</div>
<div class="story">
  <h1>{title}</h1>
  <div class="today">Thứ Hai, 22/12/2025</div>
  {own_date}
  <div class="text">
    <p>{text}</p>
    <p>Đây là đoạn văn thứ hai của bài viết về {title.lower()}, kể lại diễn biến và ý kiến của người dân.</p>
    <div class="most-read-box"><p>Đọc nhiều</p>
      <p>Giá vàng hôm nay tăng mạnh ở cả hai chiều mua vào, bán ra</p></div>
    <p style="text-align:right"><strong>{byline}</strong></p>
  </div>
</div>
<div class="bottom"><p>Cơ quan của Liên đoàn Lao động thành phố Hà Nội</p></div>
</div></body></html>"""


@pytest.fixture(scope="module")
def learnt() -> Boilerplate:
    return Boilerplate.learn(page(*story) for story in STORIES)


def test_texts_on_most_pages_are_learnt(learnt):
    for text in (
        "Thứ Hai, 22/12/2025",
        "Báo Lao động Thủ đô",
        "Đọc nhiều",
        "Giá vàng hôm nay tăng mạnh ở cả hai chiều mua vào, bán ra",
        "Cơ quan của Liên đoàn Lao động thành phố Hà Nội",
    ):
        assert learnt.is_boilerplate(text), text
    assert learnt.is_boilerplate("  THỨ HAI,   22/12/2025 ")  # case and spacing folded


def test_a_story_of_its_own_is_not_learnt(learnt):
    for title, text, byline in STORIES:
        assert not learnt.is_boilerplate(title)
        assert not learnt.is_boilerplate(text)
        assert not learnt.is_boilerplate(byline)


def test_too_few_pages_teach_nothing():
    assert len(Boilerplate.learn(page(*story) for story in STORIES[:2])) == 0
    assert not Boilerplate.learn([]).is_boilerplate("Thứ Hai, 22/12/2025")


def test_it_is_kept_as_json_and_read_back(learnt):
    again = Boilerplate.from_json(learnt.to_json())
    assert again == learnt
    assert again.is_boilerplate("Thứ Hai, 22/12/2025")
    with pytest.raises(ValueError):
        Boilerplate.from_json('{"format": "something else"}')


def extract(html: str, boilerplate=None):
    url = "https://laodongthudo.vn/phuong-phu-thuong-phat-dong-tet-trong-cay-203270.html"
    return extract_article(html, url, fetched_at=NOW, site=None, boilerplate=boilerplate)


def test_the_masthead_date_is_never_the_published_date(learnt):
    html = page(*STORIES[0])
    article = extract(html, learnt)
    assert article.published_at is None
    assert "no date found" in article.doubts


def test_the_story_s_own_date_is_kept_beside_the_masthead(learnt):
    html = page(*STORIES[0], date_line="20:15 | 19/12/2025")
    article = extract(html, learnt)
    assert article.published_at == "2025-12-19T20:15:00+07:00"


def test_no_boilerplate_text_is_a_field_value(learnt):
    article = extract(page(*STORIES[1]), learnt)
    values = [article.title, article.sapo, article.byline, *(article.body or "").split("\n\n")]
    for value in values:
        assert not learnt.is_boilerplate(value), value
    assert article.body.startswith("Sau ba tháng triển khai")
    assert "Đọc nhiều" not in article.body and "Giá vàng" not in article.body
    assert article.authors == ["Hà An"]
