"""Property tests of wardnews.dates: a date rendered as the pages write it comes back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wardnews.dates import EARLIEST, FUTURE_TOLERANCE, VN_TZ, find_date_strings, parse_date

# A fixed fetch time keeps runs reproducible; every generated date is before it.
NOW = datetime(2026, 6, 30, 12, 0, tzinfo=VN_TZ)
# Asia/Ho_Chi_Minh has been UTC+7 without DST since well before 1990, so a
# minute count from EARLIEST maps to exactly one wall-clock time.
_MINUTES = int((NOW - EARLIEST) / timedelta(minutes=1))

vn_minutes = st.integers(0, _MINUTES).map(lambda m: EARLIEST + timedelta(minutes=m))

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
BYLINES = ("Lê Thắm", "Hà An - Minh Thu", "PV", "Nguyễn Văn A (TTXVN)", "Quang Đạt")

SETTINGS = settings(max_examples=200, deadline=None)


def _h12(d: datetime, am: str, pm: str) -> str:
    return f"{d.hour % 12 or 12}:{d:%M} {am if d.hour < 12 else pm}"


# Forms that carry the time: each must give the same instant back.
TIMED_FORMS: dict[str, Callable[[datetime], str]] = {
    "dd/mm/yyyy hh:mm": lambda d: f"{d:%d/%m/%Y %H:%M}",
    "d/m/yyyy h:mm": lambda d: f"{d.day}/{d.month}/{d.year} {d.hour}:{d:%M}",
    "dd-mm-yyyy hh:mm": lambda d: f"{d:%d-%m-%Y %H:%M}",
    "dd.mm.yyyy hh:mm": lambda d: f"{d:%d.%m.%Y %H:%M}",
    "with seconds": lambda d: f"{d:%d/%m/%Y %H:%M:%S}",
    "weekday - time (GMT+7)": lambda d: f"{WEEKDAYS[d.weekday()]}, {d:%d/%m/%Y} - {d:%H:%M} (GMT+7)",
    "weekday lower, time GMT+7": lambda d: (
        f"{WEEKDAYS[d.weekday()].capitalize()}, {d:%d/%m/%Y}, {d:%H:%M} GMT+7"
    ),
    "hh:mm | date": lambda d: f"{d:%H:%M} | {d:%d/%m/%Y}",
    "hhhmm date": lambda d: f"{d:%H}h{d:%M} {d:%d/%m/%Y}",
    "hh:mm, date": lambda d: f"{d:%H:%M}, {d:%d/%m/%Y}",
    "giờ phút, ngày": lambda d: f"{d.hour} giờ {d.minute} phút, ngày {d:%d/%m/%Y}",
    "Cập nhật: date time": lambda d: f"Cập nhật: {d:%d/%m/%Y %H:%M}",
    "Cập nhật lúc time ngày date": lambda d: f"Cập nhật lúc {d:%H:%M} ngày {d:%d/%m/%Y}",
    "Đăng lúc time date": lambda d: f"Đăng lúc {d:%H:%M} {d:%d/%m/%Y}",
    "tháng năm lúc": lambda d: f"ngày {d.day} tháng {d.month} năm {d.year} lúc {d:%H:%M}",
    "12h CH/SA": lambda d: f"{d:%d/%m/%Y} {_h12(d, 'SA', 'CH')}",
    "12h PM/AM": lambda d: f"{d:%d/%m/%Y} {_h12(d, 'AM', 'PM')}",
    "iso +07:00": lambda d: d.isoformat(),
    "iso naive": lambda d: d.replace(tzinfo=None).isoformat(),
    "iso Z": lambda d: d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "iso space": lambda d: f"{d:%Y-%m-%d %H:%M:%S}",
}

# Forms that give only the day.
DAY_FORMS: dict[str, Callable[[datetime], str]] = {
    "dd/mm/yyyy": lambda d: f"{d:%d/%m/%Y}",
    "dd.mm.yyyy": lambda d: f"{d:%d.%m.%Y}",
    "Ngày đăng": lambda d: f"Ngày đăng: {d:%d/%m/%Y}",
    "tháng năm": lambda d: f"{d:%d} tháng {d:%m} năm {d:%Y}",
    "weekday ngày tháng năm": lambda d: f"{WEEKDAYS[d.weekday()]}, ngày {d.day} tháng {d.month} năm {d.year}",
    "iso date": lambda d: f"{d:%Y-%m-%d}",
}


@pytest.mark.parametrize("form", TIMED_FORMS)
@SETTINGS
@given(d=vn_minutes)
def test_timed_forms_round_trip(form: str, d: datetime) -> None:
    raw = TIMED_FORMS[form](d)
    parsed = parse_date(raw, now=NOW)
    assert parsed is not None, raw
    assert parsed.value == d, raw
    assert parsed.value.tzinfo is VN_TZ
    assert parsed.has_time
    assert parsed.method in ("numeric", "iso")


@pytest.mark.parametrize("form", DAY_FORMS)
@SETTINGS
@given(d=vn_minutes)
def test_day_forms_round_trip(form: str, d: datetime) -> None:
    raw = DAY_FORMS[form](d)
    parsed = parse_date(raw, now=NOW)
    assert parsed is not None, raw
    assert not parsed.has_time
    assert parsed.value == d.replace(hour=0, minute=0)
    assert parsed.iso() == d.date().isoformat()


@SETTINGS
@given(d=vn_minutes, byline=st.sampled_from(BYLINES), tail=st.sampled_from(("", " In bài viết")))
def test_byline_glued_to_date(d: datetime, byline: str, tail: str) -> None:
    text = f"{byline} {d:%H:%M} | {d:%d/%m/%Y}{tail}"
    parsed = parse_date(text, now=NOW)
    assert parsed is not None, text
    assert parsed.value == d
    (piece,) = find_date_strings(text)
    assert piece == f"{d:%H:%M} | {d:%d/%m/%Y}"
    assert parse_date(piece, now=NOW) == parsed.__class__(d, piece, True, "numeric")


@SETTINGS
@given(first=vn_minutes, second=vn_minutes)
def test_find_date_strings_in_order(first: datetime, second: datetime) -> None:
    text = f"Cập nhật: {first:%d/%m/%Y %H:%M} | Đăng: {second:%d/%m/%Y %H:%M} Cỡ chữ A A A"
    found = find_date_strings(text)
    assert found == [f"{first:%d/%m/%Y %H:%M}", f"{second:%d/%m/%Y %H:%M}"]
    assert [parse_date(p, now=NOW).value for p in found] == [first, second]


# A fetch time anywhere from 1991 to NOW, to the microsecond.
fetch_times = st.integers(
    int((datetime(1991, 1, 1, tzinfo=VN_TZ) - EARLIEST).total_seconds()),
    int((NOW - EARLIEST).total_seconds()),
).flatmap(lambda s: st.integers(0, 999_999).map(lambda us: EARLIEST + timedelta(seconds=s, microseconds=us)))


@SETTINGS
@given(now=fetch_times, n=st.integers(1, 600))
def test_minutes_ago(now: datetime, n: int) -> None:
    parsed = parse_date(f"{n} phút trước", now=now)
    assert parsed is not None
    assert parsed.has_time
    assert parsed.method == "relative"
    assert parsed.value == (now - timedelta(minutes=n)).replace(second=0, microsecond=0)


@SETTINGS
@given(now=fetch_times, n=st.integers(1, 72), word=st.sampled_from(("giờ", "tiếng")))
def test_hours_ago(now: datetime, n: int, word: str) -> None:
    parsed = parse_date(f"{n} {word} trước", now=now)
    assert parsed is not None
    assert parsed.has_time
    assert parsed.value == (now - timedelta(hours=n)).replace(second=0, microsecond=0)


@SETTINGS
@given(now=fetch_times, n=st.integers(1, 365))
def test_days_ago(now: datetime, n: int) -> None:
    parsed = parse_date(f"{n} ngày trước", now=now)
    assert parsed is not None
    assert not parsed.has_time
    assert parsed.iso() == (now - timedelta(days=n)).date().isoformat()


@SETTINGS
@given(now=fetch_times, minutes=st.integers(0, 24 * 60 - 1))
def test_yesterday_and_today_at(now: datetime, minutes: int) -> None:
    at = timedelta(minutes=minutes)
    hhmm = f"{minutes // 60:02d}:{minutes % 60:02d}"
    yesterday = parse_date(f"hôm qua lúc {hhmm}", now=now)
    expected = datetime.combine(now.date() - timedelta(days=1), datetime.min.time(), VN_TZ) + at
    assert yesterday is not None
    assert yesterday.value == expected
    today = parse_date(f"hôm nay {hhmm}", now=now)
    expected_today = expected + timedelta(days=1)
    if expected_today <= now + FUTURE_TOLERANCE:
        assert today is not None
        assert today.value == expected_today
    else:
        assert today is None


@SETTINGS
@given(d=vn_minutes, later=st.integers(11, 10 * 365 * 24 * 60))
def test_future_is_rejected(d: datetime, later: int) -> None:
    # d rendered, fetched `later` minutes before it.
    now = d - timedelta(minutes=later)
    assert parse_date(f"{d:%d/%m/%Y %H:%M}", now=now) is None
    assert parse_date(d.isoformat(), now=now) is None


# Pieces of dates glued at random: numbers, separators and the words the
# parser reacts to, so that the fuzzing reaches the regexes and dateparser.
_TOKENS = st.sampled_from(
    list("0123456789/-.:,|() ")
    + ["12", "2025", "1989", "99", "h", "g", "giờ", "phút", "giây", "ngày", "tháng", "năm"]
    + ["trước", "hôm qua", "hôm nay", "vừa xong", "lúc", "SA", "CH", "PM", "GMT+7", "T", "Z"]
    + ["+07:00", "Thứ Hai", "Chủ nhật", "Lê Thắm", "mười hai", "\xa0", "\u0301"]
)
fuzz_text = st.one_of(st.text(max_size=60), st.lists(_TOKENS, max_size=15).map("".join))


@settings(max_examples=400, deadline=None)
@given(text=fuzz_text)
def test_never_raises_and_stays_in_bounds(text: str) -> None:
    parsed = parse_date(text, now=NOW)
    if parsed is not None:
        assert EARLIEST <= parsed.value <= NOW + FUTURE_TOLERANCE
        assert parsed.value.tzinfo is VN_TZ
    for piece in find_date_strings(text):
        assert parse_date(piece) is not None
