"""Single field rules, as (input, expected) tables."""

import pytest

from wardnews.extract.fields import is_error_page, strip_site_suffix


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


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Phường Tây Hồ phủ sóng chữ ký số | Báo Lao động Thủ đô", "Phường Tây Hồ phủ sóng chữ ký số"),
        ("Phường Ba Đình tri ân – Báo Lao động Thủ đô", "Phường Ba Đình tri ân"),
        ("Tin ngắn", "Tin ngắn"),
    ],
)
def test_strip_site_suffix(title, expected):
    assert strip_site_suffix(title) == expected


def test_a_headline_that_starts_like_an_error_is_still_a_headline():
    assert not is_error_page("Không có trường hợp nào vi phạm trật tự đô thị")
