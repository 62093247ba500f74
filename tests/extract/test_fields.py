"""Single field rules, as (input, expected) tables."""

import pytest

from wardnews.extract.fields import is_error_page
from wardnews.extract.headline import is_site_name, strip_site_name


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Trang không tồn tại", True),
        ("404 - Không tìm thấy trang", True),
        ("Lỗi 404", True),
        ("Page not found", True),
        ("Nội dung không tồn tại hoặc đã bị xóa", True),
        ("Xã Mỹ Đức: Tập huấn chuyển đổi số cho 404 cán bộ, công chức", False),
        ("Hộ dân không tồn tại trong danh sách cử tri: phường Ba Đình rà soát lại", False),
        ("Phường Tây Tựu: Xây dựng nền tảng vững chắc", False),
    ],
)
def test_is_error_page(title, expected):
    assert is_error_page(title) is expected


HOST = "laodongthudo.vn"


@pytest.mark.parametrize(
    ("title", "names", "others", "expected"),
    [
        # the cut-off part is a declared name of the site, or its host spelt out
        (
            "Phường Tây Hồ phủ sóng chữ ký số | Báo Lao động Thủ đô",
            ["Báo Lao động Thủ đô"],
            [],
            "Phường Tây Hồ phủ sóng chữ ký số",
        ),
        ("Phường Ba Đình tri ân – Báo Lao động Thủ đô", [], [], "Phường Ba Đình tri ân"),
        ("Lao Động Thủ Đô | Phường Ba Đình tri ân", [], [], "Phường Ba Đình tri ân"),
        # another source gives the headline without the tail
        ("Tin A về phường - Mục Địa phương", [], ["Tin A về phường"], "Tin A về phường"),
        # a headline holding " - " keeps it when nothing says the tail is the site's
        (
            "Phường Văn Miếu - Quốc Tử Giám ra quân",
            ["Báo Lao động Thủ đô"],
            [],
            "Phường Văn Miếu - Quốc Tử Giám ra quân",
        ),
        (
            "Hà Nội - Hải Phòng: cao tốc thông xe",
            [],
            ["Hà Nội - Hải Phòng: cao tốc thông xe"],
            "Hà Nội - Hải Phòng: cao tốc thông xe",
        ),
        ("Tin ngắn", [], [], "Tin ngắn"),
    ],
)
def test_strip_site_name(title, names, others, expected):
    assert strip_site_name(title, names, HOST, others) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Báo Lao động Thủ đô", True),
        ("LAO ĐỘNG THỦ ĐÔ", True),
        ("laodongthudo.vn", True),
        ("Phường Tây Tựu: Xây dựng nền tảng vững chắc", False),
        ("Lao động Thủ đô trao quà Tết cho công nhân", False),
    ],
)
def test_is_site_name(text, expected):
    assert is_site_name(text, ["Báo Lao động Thủ đô"], HOST) is expected


def test_a_headline_that_starts_like_an_error_is_still_a_headline():
    assert not is_error_page("Không có trường hợp nào vi phạm trật tự đô thị")
