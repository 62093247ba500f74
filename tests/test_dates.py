"""Example-based tests of wardnews.dates: every form DESIGN.md and the pages use."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pytest

from wardnews import dates
from wardnews.dates import VN_TZ, ParsedDate, find_date_strings, parse_date, to_vn

# The fetch time most cases are resolved against: Tuesday 23/12/2025 10:00 VN.
NOW = datetime(2025, 12, 23, 10, 0, tzinfo=VN_TZ)
# Another fetch time, with seconds, for relative forms.
NOW_S = datetime(2025, 12, 23, 10, 47, 31, 123456, tzinfo=VN_TZ)

NUMERIC_CASES = [
    ("22/12/2025 15:30", NOW, "2025-12-22T15:30:00+07:00"),
    ("22/12/2025", NOW, "2025-12-22"),
    ("22-12-2025 15:30", NOW, "2025-12-22T15:30:00+07:00"),
    ("22.12.2025", NOW, "2025-12-22"),
    ("22/12/2025 15:30:45", NOW, "2025-12-22T15:30:45+07:00"),
    ("1/7/2025 9:05", NOW, "2025-07-01T09:05:00+07:00"),
    ("22/12/2025 - 15:30", NOW, "2025-12-22T15:30:00+07:00"),
    ("22/12/2025 | 15:30", NOW, "2025-12-22T15:30:00+07:00"),
    ("22/12/2025\xa015:30", NOW, "2025-12-22T15:30:00+07:00"),
    ("Thứ Hai, 22/12/2025 - 15:30 (GMT+7)", NOW, "2025-12-22T15:30:00+07:00"),
    ("Thứ hai, 22/12/2025, 15:30 GMT+7", NOW, "2025-12-22T15:30:00+07:00"),
    ("Thứ Hai, 22/12/2025 15:30 GMT+07:00", NOW, "2025-12-22T15:30:00+07:00"),
    ("Chủ nhật, 21/12/2025 07:05", NOW, "2025-12-21T07:05:00+07:00"),
    ("15:30 | 22/12/2025", NOW, "2025-12-22T15:30:00+07:00"),
    ("15h30 22/12/2025", NOW, "2025-12-22T15:30:00+07:00"),
    ("15g30 22/12/2025", NOW, "2025-12-22T15:30:00+07:00"),
    ("15:30, 22/12/2025", NOW, "2025-12-22T15:30:00+07:00"),
    ("15 giờ 30 phút, ngày 22/12/2025", NOW, "2025-12-22T15:30:00+07:00"),
    ("9h ngày 22/12/2025", NOW, "2025-12-22T09:00:00+07:00"),
    ("15:30 Thứ Hai, 22/12/2025", NOW, "2025-12-22T15:30:00+07:00"),
    ("Cập nhật: 22/12/2025 08:10", NOW, "2025-12-22T08:10:00+07:00"),
    ("Cập nhật lúc 15:30 ngày 22/12/2025", NOW, "2025-12-22T15:30:00+07:00"),
    ("Đăng lúc 08:10 22/12/2025", NOW, "2025-12-22T08:10:00+07:00"),
    ("Ngày đăng: 22/12/2025", NOW, "2025-12-22"),
    ("Lê Thắm 11:24 | 01/07/2025", NOW, "2025-07-01T11:24:00+07:00"),
    ("Lê Thắm 11:24 | 01/07/2025 In bài viết", NOW, "2025-07-01T11:24:00+07:00"),
    # A "24h" next to the date is a name (a news brand), not a time.
    ("Tin 24h | 22/12/2025", NOW, "2025-12-22"),
    # Several dates: the first counts.
    ("Cập nhật: 22/12/2025 08:10 | Đăng: 21/12/2025 07:00", NOW, "2025-12-22T08:10:00+07:00"),
]

WORDS_CASES = [
    ("22 tháng 12 năm 2025", NOW, "2025-12-22"),
    ("ngày 22 tháng 12 năm 2025 lúc 15:30", NOW, "2025-12-22T15:30:00+07:00"),
    ("Thứ Hai, ngày 22 tháng 12 năm 2025", NOW, "2025-12-22"),
    ("22 Tháng 12, 2025", NOW, "2025-12-22"),
    ("15 giờ 30 phút, ngày 22 tháng 12 năm 2025", NOW, "2025-12-22T15:30:00+07:00"),
]

AMPM_CASES = [
    ("22/12/2025 3:15 CH", NOW, "2025-12-22T15:15:00+07:00"),
    ("22/12/2025 9:05 SA", NOW, "2025-12-22T09:05:00+07:00"),
    ("22/12/2025 3:15 PM", NOW, "2025-12-22T15:15:00+07:00"),
    ("22/12/2025 9:05 am", NOW, "2025-12-22T09:05:00+07:00"),
    ("22/12/2025 12:10 SA", NOW, "2025-12-22T00:10:00+07:00"),
    ("22/12/2025 12:10 CH", NOW, "2025-12-22T12:10:00+07:00"),
    ("22/12/2025 15:15 CH", NOW, "2025-12-22T15:15:00+07:00"),
    ("3 giờ chiều ngày 22/12/2025", NOW, "2025-12-22T15:00:00+07:00"),
    ("10 giờ đêm 22/12/2025", NOW, "2025-12-22T22:00:00+07:00"),
]

ISO_CASES = [
    ("2025-12-22T15:30:00+07:00", NOW, "2025-12-22T15:30:00+07:00"),
    ("2025-12-22T08:30:00Z", NOW, "2025-12-22T15:30:00+07:00"),
    ("2025-12-22T08:30:00.123Z", NOW, "2025-12-22T15:30:00+07:00"),
    ("2025-12-22T08:30:00+0000", NOW, "2025-12-22T15:30:00+07:00"),
    ("2025-12-22T03:30:00-05:00", NOW, "2025-12-22T15:30:00+07:00"),
    ("2025-12-22T15:30:00", NOW, "2025-12-22T15:30:00+07:00"),
    ("2025-12-22 15:30:00", NOW, "2025-12-22T15:30:00+07:00"),
    ("2025-12-22T15:30", NOW, "2025-12-22T15:30:00+07:00"),
    ("2025-12-22", NOW, "2025-12-22"),
    ("2025/12/22 15:30", NOW, "2025-12-22T15:30:00+07:00"),
    # UTC evening is the next VN day.
    ("2025-12-21T20:00:00Z", NOW, "2025-12-22T03:00:00+07:00"),
]

RELATIVE_CASES = [
    ("2 giờ trước", NOW_S, "2025-12-23T08:47:00+07:00"),
    ("2 tiếng trước", NOW_S, "2025-12-23T08:47:00+07:00"),
    ("30 phút trước", NOW_S, "2025-12-23T10:17:00+07:00"),
    ("45 giây trước", NOW_S, "2025-12-23T10:46:46+07:00"),
    ("3 ngày trước", NOW_S, "2025-12-20"),
    ("1 tuần trước", NOW_S, "2025-12-16"),
    ("2 tháng trước", NOW_S, "2025-10-23"),
    ("1 năm trước", NOW_S, "2024-12-23"),
    ("Đăng 2 giờ trước", NOW_S, "2025-12-23T08:47:00+07:00"),
    ("vừa xong", NOW_S, "2025-12-23T10:47:31+07:00"),
    ("hôm qua", NOW_S, "2025-12-22"),
    ("Hôm qua lúc 15:30", NOW_S, "2025-12-22T15:30:00+07:00"),
    ("15:30 hôm qua", NOW_S, "2025-12-22T15:30:00+07:00"),
    ("hôm nay 08:10", NOW_S, "2025-12-23T08:10:00+07:00"),
    ("hôm nay", NOW_S, "2025-12-23"),
    ("hôm kia", NOW_S, "2025-12-21"),
    # Day arithmetic crosses months and years.
    ("hôm qua", datetime(2026, 1, 1, 0, 5, tzinfo=VN_TZ), "2025-12-31"),
    ("1 tháng trước", datetime(2025, 3, 31, 12, 0, tzinfo=VN_TZ), "2025-02-28"),
    ("3 giờ trước", datetime(2026, 1, 1, 1, 0, tzinfo=VN_TZ), "2025-12-31T22:00:00+07:00"),
]

NONE_CASES = [
    ("Lê Thắm", NOW, None),
    ("", NOW, None),
    ("   ", NOW, None),
    (None, NOW, None),
    ("Xem thêm", NOW, None),
    ("In bài viết", NOW, None),
    # No year: not guessed.
    ("Ngày 22/12", NOW, None),
    ("22/12", NOW, None),
    ("15:30", NOW, None),
    # Impossible numbers.
    ("31/02/2025", NOW, None),
    ("29/02/2025", NOW, None),
    ("22/13/2025", NOW, None),
    ("00/12/2025", NOW, None),
    ("22/12/2025 24:00", NOW, None),
    ("22/12/2025 25:00", NOW, None),
    ("22/12/2025 15:60", NOW, None),
    ("22/12/2025 15:30:61", NOW, None),
    ("22/12/2025 13:15 SA", NOW, None),
    ("2025-02-30", NOW, None),
    ("2025-12-22T25:00:00", NOW, None),
    ("2025-12-22T15:30:00+25:00", NOW, None),
    ("31 tháng 2 năm 2025", NOW, None),
    ("hôm qua lúc 15:99", NOW, None),
]

FUTURE_AND_PAST_CASES = [
    # Within the clock-skew tolerance of 10 minutes: kept.
    ("23/12/2025 10:05", NOW, "2025-12-23T10:05:00+07:00"),
    ("23/12/2025 10:10", NOW, "2025-12-23T10:10:00+07:00"),
    ("23/12/2025", NOW, "2025-12-23"),
    # Beyond it: rejected.
    ("23/12/2025 10:11", NOW, None),
    ("23/12/2025 15:30", NOW, None),
    ("24/12/2025", NOW, None),
    ("2026-01-01T00:00:00+07:00", NOW, None),
    ("2025-12-23T03:30:00Z", NOW, None),  # 10:30 VN
    ("hôm nay 23:00", NOW, None),
    ("22 tháng 12 năm 2026", NOW, None),
    # 1990 is the floor.
    ("01/01/1990", NOW, "1990-01-01"),
    ("01/01/1990 00:00", NOW, "1990-01-01T00:00:00+07:00"),
    ("31/12/1989 23:59", NOW, None),
    ("1989-12-31T17:30:00Z", NOW, "1990-01-01T00:30:00+07:00"),
    ("1989-12-31T16:59:00Z", NOW, None),
    ("22 tháng 12 năm 1975", NOW, None),
    ("50 năm trước", NOW, None),
]


@pytest.mark.parametrize(
    ("raw", "now", "expected"),
    NUMERIC_CASES
    + WORDS_CASES
    + AMPM_CASES
    + ISO_CASES
    + RELATIVE_CASES
    + NONE_CASES
    + FUTURE_AND_PAST_CASES,
)
def test_parse_date(raw: str | None, now: datetime, expected: str | None) -> None:
    parsed = parse_date(raw, now=now)
    if expected is None:
        assert parsed is None
        return
    assert parsed is not None
    assert parsed.iso() == expected
    assert parsed.value.tzinfo is VN_TZ
    assert parsed.has_time == ("T" in expected)
    if not parsed.has_time:
        assert parsed.value.hour == parsed.value.minute == parsed.value.second == 0
    assert parsed.raw == raw.strip()
    assert parsed.method in dates.METHODS


@pytest.mark.parametrize(
    ("raw", "method"),
    [
        ("22/12/2025 15:30", "numeric"),
        ("22 tháng 12 năm 2025", "numeric"),
        ("2025-12-22T15:30:00+07:00", "iso"),
        ("2 giờ trước", "relative"),
        ("hôm qua", "relative"),
    ],
)
def test_method(raw: str, method: str) -> None:
    parsed = parse_date(raw, now=NOW)
    assert parsed is not None
    assert parsed.method == method


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Month in words: not in the fast path, dateparser knows it.
        ("22 tháng mười hai năm 2025", "2025-12-22"),
        ("22 Tháng Mười Hai, 2025", "2025-12-22"),
        # A two-digit year.
        ("22/12/25", "2025-12-22"),
    ],
)
def test_dateparser_fallback(raw: str, expected: str) -> None:
    parsed = parse_date(raw, now=NOW)
    assert parsed is not None
    assert parsed.method == "dateparser"
    assert parsed.iso() == expected
    assert parsed.value.tzinfo is VN_TZ


def test_dateparser_fallback_still_rejects_future() -> None:
    assert parse_date("22 tháng mười hai năm 2026", now=NOW) is None


def test_parsed_date_fields() -> None:
    parsed = parse_date("  Cập nhật: 22/12/2025 08:10 \n", now=NOW)
    assert parsed == ParsedDate(
        value=datetime(2025, 12, 22, 8, 10, tzinfo=VN_TZ),
        raw="Cập nhật: 22/12/2025 08:10",
        has_time=True,
        method="numeric",
    )
    with pytest.raises(AttributeError):
        parsed.raw = "x"  # type: ignore[misc]


def test_iso_output() -> None:
    assert ParsedDate(datetime(2025, 12, 22, tzinfo=VN_TZ), "x", False, "numeric").iso() == ("2025-12-22")
    value = datetime(2025, 12, 22, 15, 30, 0, 999, tzinfo=VN_TZ)
    assert ParsedDate(value, "x", True, "numeric").iso() == "2025-12-22T15:30:00+07:00"


def test_decomposed_unicode_is_parsed() -> None:
    raw = unicodedata.normalize("NFD", "ngày 22 tháng 12 năm 2025 lúc 15:30")
    parsed = parse_date(raw, now=NOW)
    assert parsed is not None
    assert parsed.iso() == "2025-12-22T15:30:00+07:00"
    nfd_relative = unicodedata.normalize("NFD", "hôm qua")
    parsed = parse_date(nfd_relative, now=NOW)
    assert parsed is not None
    assert parsed.iso() == "2025-12-22"


def test_now_defaults_to_current_time() -> None:
    parsed = parse_date("01/07/2025 11:24")
    assert parsed is not None
    assert parsed.iso() == "2025-07-01T11:24:00+07:00"
    tomorrow = datetime.now(VN_TZ) + timedelta(days=1)
    assert parse_date(tomorrow.strftime("%d/%m/%Y %H:%M")) is None


def test_naive_now_is_vn_time() -> None:
    naive = datetime(2025, 12, 23, 10, 0)
    assert parse_date("23/12/2025 10:05", now=naive) is not None
    assert parse_date("23/12/2025 10:30", now=naive) is None
    assert parse_date("2 giờ trước", now=naive).iso() == "2025-12-23T08:00:00+07:00"


def test_aware_now_in_another_zone() -> None:
    now_utc = datetime(2025, 12, 23, 3, 0, tzinfo=UTC)  # 10:00 VN
    assert parse_date("23/12/2025 10:05", now=now_utc) is not None
    assert parse_date("23/12/2025 10:30", now=now_utc) is None
    assert parse_date("hôm qua", now=now_utc).iso() == "2025-12-22"


def test_to_vn() -> None:
    assert to_vn(datetime(2025, 12, 22, 15, 30)) == datetime(2025, 12, 22, 15, 30, tzinfo=VN_TZ)
    assert to_vn(datetime(2025, 12, 22, 15, 30)).tzinfo is VN_TZ
    converted = to_vn(datetime(2025, 12, 22, 8, 30, tzinfo=UTC))
    assert converted.tzinfo is VN_TZ
    assert converted.isoformat() == "2025-12-22T15:30:00+07:00"
    plus9 = timezone(timedelta(hours=9))
    assert to_vn(datetime(2025, 12, 22, 17, 30, tzinfo=plus9)).hour == 15


FAST_FORMS = [case[0] for case in NUMERIC_CASES + WORDS_CASES + AMPM_CASES + ISO_CASES + RELATIVE_CASES]


@pytest.fixture
def no_dateparser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make any use of dateparser fail the test, and record the attempt."""
    calls: list[str] = []

    def forbidden(text: str, *args: object, **kwargs: object) -> None:
        calls.append(text)
        raise AssertionError(f"dateparser called for {text!r}")

    monkeypatch.setattr(dates, "_dateparser_parse", forbidden)
    from dateparser.date import DateDataParser

    monkeypatch.setattr(DateDataParser, "get_date_data", lambda self, text, *a, **k: forbidden(text))
    return calls


@pytest.mark.parametrize("raw", FAST_FORMS)
def test_fast_path_never_calls_dateparser(raw: str, no_dateparser: list[str]) -> None:
    assert parse_date(raw, now=NOW_S) is not None
    assert no_dateparser == []


@pytest.mark.parametrize(
    "raw",
    ["Lê Thắm", "Xem thêm", "31/02/2025", "22/12/2025 25:00", "24/12/2025", "1989-12-31", ""],
)
def test_rejections_never_call_dateparser(raw: str, no_dateparser: list[str]) -> None:
    # No digits, or a numeric date that is impossible or implausible: the
    # regexes have the last word.
    assert parse_date(raw, now=NOW) is None
    assert no_dateparser == []


def test_dateparser_parser_is_reused() -> None:
    dates._date_data_parser.cache_clear()
    parse_date("22 tháng mười hai năm 2025", now=NOW)
    parse_date("21 tháng mười hai năm 2025", now=NOW + timedelta(seconds=20))
    info = dates._date_data_parser.cache_info()
    assert info.misses == 1
    assert info.hits == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lê Thắm 11:24 | 01/07/2025 In bài viết", ["11:24 | 01/07/2025"]),
        (
            "Thứ Hai, 22/12/2025 - 15:30 (GMT+7) Cỡ chữ A A A",
            ["22/12/2025 - 15:30 (GMT+7)"],
        ),
        (
            "Cập nhật: 22/12/2025 08:10 | Đăng: 21/12/2025 07:00",
            ["22/12/2025 08:10", "21/12/2025 07:00"],
        ),
        ("Đăng lúc 08:10 22/12/2025 | Cập nhật 2 giờ trước", ["08:10 22/12/2025", "2 giờ trước"]),
        (
            'datePublished "2025-12-22T08:30:00Z" và ngày 21 tháng 12 năm 2025',
            ["2025-12-22T08:30:00Z", "21 tháng 12 năm 2025"],
        ),
        # A time between two dates goes with the first one (printed after it).
        ("22/12/2025 08:10 | 21/12/2025", ["22/12/2025 08:10", "21/12/2025"]),
        # Impossible and year-less dates are left out.
        ("31/02/2025 | 22/12 | 22/12/2025", ["22/12/2025"]),
        ("Lê Thắm", []),
        ("", []),
    ],
)
def test_find_date_strings(text: str, expected: list[str]) -> None:
    found = find_date_strings(text)
    assert found == expected
    for piece in found:
        assert piece in text
        assert parse_date(piece) is not None


def test_find_date_strings_agrees_with_parse_date() -> None:
    text = "Lê Thắm 11:24 | 01/07/2025 In bài viết"
    (piece,) = find_date_strings(text)
    assert parse_date(piece, now=NOW) == ParsedDate(
        datetime(2025, 7, 1, 11, 24, tzinfo=VN_TZ), piece, True, "numeric"
    )
    assert parse_date(text, now=NOW).value == parse_date(piece, now=NOW).value
