"""Dates as Vietnamese news pages write them.

Day comes before month, always, and a time without a zone is Asia/Ho_Chi_Minh
(see DESIGN.md, "Dates"). The common forms (``22/12/2025 15:30``,
``15:30 | 22/12/2025``, ``22 tháng 12 năm 2025``, ISO strings from metadata)
go through compiled regexes; relative forms (``2 giờ trước``, ``hôm qua``) go
through our own small table resolved against the fetch time. Only what neither
recognises is handed to dateparser, which is slow (about 2 ms a call) and, on
these pages, fails on dates wrapped in bylines or labels and invents a year for
``Ngày 22/12``. A date after the fetch time or before 1990 is rejected, never
returned.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Any

VN_TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

# Nothing on the portals we crawl predates this; an earlier year is a typo or
# a date in the text (a historical event), not a publication date.
EARLIEST = datetime(1990, 1, 1, tzinfo=VN_TZ)
# Servers' clocks and ours disagree by a few minutes; an article stamped a
# little after our fetch is still real, one stamped hours after is not.
FUTURE_TOLERANCE = timedelta(minutes=10)
# dateparser is only worth trying on something short enough to be a date
# string; on a long text it is slow and, when it answers, it guesses.
DATEPARSER_MAX_LEN = 100

NUMERIC = "numeric"
ISO = "iso"
DATEPARSER = "dateparser"
RELATIVE = "relative"
METHODS = (NUMERIC, ISO, DATEPARSER, RELATIVE)


@dataclass(frozen=True)
class ParsedDate:
    """A date found in a string, with the string it came from."""

    value: datetime  # tz-aware, in VN_TZ
    raw: str  # the input string, stripped
    has_time: bool  # False when the text gave only a day (then value is midnight)
    method: str  # one of METHODS: which path produced the value

    def iso(self) -> str:
        """``2025-12-22T15:30:00+07:00``, or ``2025-12-22`` when the text gave no time."""
        if self.has_time:
            return self.value.isoformat(timespec="seconds")
        return self.value.date().isoformat()


def to_vn(dt: datetime) -> datetime:
    """Return ``dt`` in Asia/Ho_Chi_Minh: a naive value is taken to be VN time already."""
    if dt.tzinfo is None or dt.tzinfo.utcoffset(dt) is None:
        return dt.replace(tzinfo=VN_TZ)
    return dt.astimezone(VN_TZ)


# --- regex building blocks -------------------------------------------------
# All patterns are matched case-insensitively against NFC text ("Tháng",
# "Giờ", "CH" all occur) and Python's \s already covers the non-breaking
# spaces the pages use between date and time.

# 12-hour markers: SA (sáng) / CH (chiều) are what Vietnamese locales print for
# AM / PM; the spelled-out parts of the day appear in running text.
_AMPM = r"(?P<ampm>a\.m\.|p\.m\.|sa|ch|am|pm|sáng|trưa|chiều|tối|đêm)(?!\w)"

# A time of day: 15:30, 15:30:45, 15h30, 15g30, 15 giờ 30 phút, and a bare
# 9h / 9 giờ. Not preceded by a letter, digit or colon so that we never start
# inside another number ("30:45" of "15:30:45") or a word.
_TIME = (
    r"(?<![\w:])(?P<hour>\d{1,2})"
    r"(?:"
    r":(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?!\d)"
    r"|\s*(?:giờ|h|g)\s*(?P<minute_w>\d{1,2})(?!\d)(?:\s*(?:phút|p)(?!\w))?"
    r"(?:\s*(?P<second_w>\d{1,2})\s*giây(?!\w))?"
    # "2 giờ trước" is a relative date, not two o'clock.
    r"|\s*(?:giờ|h)(?!\w)(?!\s*trước)(?P<bare>)"
    r")"
    r"(?:\s*" + _AMPM + r")?"
)

# What may stand between a date and the time printed after it:
# "22/12/2025 - 15:30", "22/12/2025, 15:30", "ngày ... lúc 15:30". Each
# repetition eats one character or one word, so a failed match cannot
# backtrack badly.
_SEP_AFTER = r"(?:[\s,|\-–—]|lúc|vào|at|um|à|a\s+las|alle){0,20}"
# ... and between a time and the date printed after it: "15:30 | 22/12/2025",
# "15:30 ngày 22/12/2025", "15:30, Thứ Hai 22/12/2025".
_SEP_BEFORE = r"(?:[\s,|\-–—]|ngày|lúc|vào|thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật){0,20}"

_MAX_TIME_BEFORE = 120
_TIME_AFTER = re.compile(_SEP_AFTER + _TIME, re.IGNORECASE)
# Searched with endpos = the date's start, so \Z anchors it right before the date.
_TIME_BEFORE = re.compile(_TIME + _SEP_BEFORE + r"\Z", re.IGNORECASE)

# "(GMT+7)", "GMT+07:00", "UTC+7" after the time.
_TZ_SUFFIX = re.compile(
    r"\s*\(?\s*(?:GMT|UTC)\s*(?:(?P<sign>[+-])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?)?"
    r"\s*\)?",
    re.IGNORECASE,
)

# 22/12/2025, 22-12-2025, 22.12.2025 (same separator twice), 4-digit year
# only: "22/12/25" is left to dateparser. Not the tail of a longer chain of
# numbers such as "1.22.12.2025".
_DMY_NUMERIC = re.compile(
    r"(?<!\d)(?<!\d[/.\-])(?P<day>\d{1,2})(?P<sep>[/.\-])(?P<month>\d{1,2})(?P=sep)"
    r"(?P<year>\d{4})(?!\d)"
)
# 22 tháng 12 năm 2025, 22 tháng 12, 2025, 22 tháng 12 2025.
_DMY_WORDS = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})\s+tháng\s+(?P<month>\d{1,2})(?:\s*,\s*|\s+)(?:năm\s+)?"
    r"(?P<year>\d{4})(?!\d)",
    re.IGNORECASE,
)
# ISO 8601 as metadata writes it (and the 2025/12/22 variant): date, optional
# time with optional fraction and offset.
_ISO_DATE = re.compile(
    r"(?<!\d)(?P<year>\d{4})(?P<sep>[-/])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})"
    r"(?:(?:T|\s+)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d{1,9})?)?"
    r"(?:\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?))?)?(?!\d)",
    re.IGNORECASE,
)

# Foreign pages (the generalisation corpus, sub-sites quoting agencies): month names in the
# languages news is mostly written in, full and abbreviated, lower case, NFC.
_MONTHS = {
    1: "january jan januar janvier janv enero ene gennaio genn gen janeiro januari januar tammikuu",
    2: "february feb febr februar février févr fevrier febrero febbraio fev fevereiro februari",
    3: "march mar märz maerz mars marzo março marco maart",
    4: "april apr avril avr abril aprile",
    5: "may mai mayo maggio maio mei",
    6: "june jun juni juin junio giugno junho",
    7: "july jul juli juillet juil julio luglio julho",
    8: "august aug août aout agosto ago augustus",
    9: "september sep sept septembre septiembre settembre set setembro",
    10: "october oct okt oktober octobre octubre ottobre out outubro",
    11: "november nov novembre noviembre novembro",
    12: "december dec dez dezember décembre déc decembre diciembre dic dicembre dezembro",
}
_MONTH_OF = {name: number for number, names in _MONTHS.items() for name in names.split()}
_MONTH_RE = "(?P<mname>" + "|".join(sorted(map(re.escape, _MONTH_OF), key=len, reverse=True)) + r")\.?"
# "11. April 2009", "24 September 2019", "5 de mayo de 2022", "Wed, 02 Feb 2022".
_DMY_NAMED = re.compile(
    r"(?<![\w.])(?P<day>\d{1,2})(?:\.|er|st|nd|rd|th)?\s+(?:de\s+)?"
    + _MONTH_RE
    + r",?\s+(?:de\s+)?(?P<year>\d{4})(?!\d)",
    re.IGNORECASE,
)
# "May 4, 2022", "January 5th 2021".
_MDY_NAMED = re.compile(
    r"(?<!\w)" + _MONTH_RE + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})(?!\d)",
    re.IGNORECASE,
)
# 2026年1月29日, 2026년 1월 29일, 2026.01.29.
_YMD_CJK = re.compile(
    r"(?<!\d)(?P<year>\d{4})\s*(?:年|년)\s*(?P<month>\d{1,2})\s*(?:月|월)\s*(?P<day>\d{1,2})\s*(?:日|일)?"
    r"|(?<![\d.])(?P<year2>\d{4})\.\s?(?P<month2>\d{1,2})\.\s?(?P<day2>\d{1,2})\.?(?![\d])"
)
# What any match of _DMY_NAMED ("5 de mayo", "11. April") or _MDY_NAMED ("May 4") must hold:
# a number, white space, a letter; or a letter (a dot), white space, a number.
_NAMED_MONTH_GATE = re.compile(r"\d(?:\.|er|st|nd|rd|th)?\s+[^\W\d_]|[^\W\d_]\.?,?\s+\d", re.IGNORECASE)
# A numeric offset after the time of an RFC 2822 or foreign date: "09:12:22 +0100".
_NUMERIC_OFFSET = re.compile(r"\s*(?P<sign>[+-])(?P<hours>\d{2}):?(?P<minutes>\d{2})(?!\d)")

# Relative forms, resolved against the fetch time.
_AGO = re.compile(
    r"(?<!\w)(?P<n>\d{1,4})\s*(?P<unit>giây|phút|giờ|tiếng|ngày|tuần|tháng|năm)\s+trước(?!\w)",
    re.IGNORECASE,
)
_JUST_NOW = re.compile(r"(?<!\w)vừa\s+(?:xong|mới|đăng)(?!\w)", re.IGNORECASE)
_DAY_WORD = re.compile(r"(?<!\w)(?:ngày\s+)?hôm\s+(?P<word>nay|qua|kia)(?!\w)", re.IGNORECASE)
_DAYS_BACK = {"nay": 0, "qua": 1, "kia": 2}

_DIGIT = re.compile(r"\d")


# --- candidates ------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    """A date-shaped span of the text; ``value`` None when its numbers are invalid."""

    start: int
    end: int
    value: datetime | None
    has_time: bool
    method: str


class _Invalid(ValueError):
    """The text has the shape of a date or time but impossible numbers (31/02, 25:00)."""


def _time_from(m: re.Match[str]) -> time | None:
    """The time of a _TIME match; None for a bare hour that cannot be one ("24h").

    Raises _Invalid for an impossible time written with minutes: that is a
    broken date, not something else that looks like a time.
    """
    hour = int(m["hour"])
    bare = m["bare"] is not None
    minute = m["minute"] if m["minute"] is not None else m["minute_w"]
    second = m["second"] if m["second"] is not None else m["second_w"]
    minute_i = int(minute) if minute is not None else 0
    second_i = int(second) if second is not None else 0
    try:
        hour = _apply_ampm(hour, m["ampm"])
        if not (0 <= hour < 24 and 0 <= minute_i < 60 and 0 <= second_i < 60):
            raise _Invalid(m[0])
    except _Invalid:
        # "24h" or "Tin 30h" next to a date is more likely a name than a time.
        if bare:
            return None
        raise
    return time(hour, minute_i, second_i)


def _apply_ampm(hour: int, marker: str | None) -> int:
    """Convert a 12-hour clock reading to 24 hours (lenient: "15:30 CH" stays 15)."""
    if marker is None:
        return hour
    marker = marker.lower()
    if marker in ("sa", "am", "a.m.", "sáng"):
        if hour > 12:
            raise _Invalid(marker)
        return 0 if hour == 12 else hour
    if marker in ("ch", "pm", "p.m.", "chiều", "tối"):
        if hour == 0:
            raise _Invalid(marker)
        return hour + 12 if hour < 12 else hour
    if marker == "trưa":  # noon: "12 giờ trưa", "1 giờ trưa"
        return hour + 12 if 1 <= hour <= 4 else hour
    # đêm (night): "10 giờ đêm" is 22, "2 giờ đêm" is 2, "12 giờ đêm" is midnight.
    if 7 <= hour <= 11:
        return hour + 12
    return 0 if hour == 12 else hour


def _offset_from(sign: str, hours: str, minutes: str | None) -> timezone:
    """A fixed UTC offset; _Invalid for one that no place uses."""
    h, mnt = int(hours), int(minutes or 0)
    if h > 14 or mnt >= 60:
        raise _Invalid(f"{sign}{hours}:{minutes}")
    delta = timedelta(hours=h, minutes=mnt)
    return timezone(-delta if sign == "-" else delta)


def _date_from(year: str, month: str, day: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError as exc:  # month 13, 31/02, ...
        raise _Invalid(f"{day}/{month}/{year}") from exc


def _combine(d: date, t: time | None, tz: Any) -> datetime:
    """Midnight VN for a bare day; otherwise the time in ``tz`` converted to VN."""
    if t is None:
        return datetime.combine(d, time(0), tzinfo=VN_TZ)
    return to_vn(datetime.combine(d, t, tzinfo=tz))


def _adjacent_time(text: str, lo: int, start: int, end: int) -> tuple[int, int, time | None]:
    """Find the time printed right after [start, end), else right before it (back to lo).

    Returns the widened span and the time (None when there is none). After
    wins: in "08:10 | 22/12/2025 09:00" the 09:00 belongs to the date.
    """
    after = _TIME_AFTER.match(text, end)
    if after is not None:
        t = _time_from(after)
        if t is not None:
            return start, after.end(), t
    # A time and its separators never run longer than this; bounding the
    # search keeps long texts linear.
    before = _TIME_BEFORE.search(text, max(lo, start - _MAX_TIME_BEFORE), start)
    if before is not None:
        t = _time_from(before)
        if t is not None:
            return before.start(), end, t
    return start, end, None


def _tz_suffix(text: str, end: int) -> tuple[int, Any]:
    """Consume a "(GMT+7)"-like suffix at ``end``; return the new end and the zone."""
    m = _TZ_SUFFIX.match(text, end)
    if m is None or not m[0].strip():
        return end, VN_TZ
    if m["sign"] is None:  # plain "GMT": pages print it meaning local time
        return m.end(), VN_TZ
    return m.end(), _offset_from(m["sign"], m["hours"], m["minutes"])


def _dmy_candidate(text: str, m: re.Match[str], lo: int) -> _Candidate:
    start, end = m.start(), m.end()
    try:
        d = _date_from(m["year"], m["month"], m["day"])
        start, end, t = _adjacent_time(text, lo, start, end)
        end, tz = _tz_suffix(text, end)
        return _Candidate(start, end, _combine(d, t, tz), t is not None, NUMERIC)
    except _Invalid:
        return _Candidate(start, end, None, False, NUMERIC)


def _named_candidate(text: str, m: re.Match[str], lo: int) -> _Candidate:
    """A date written with a month name or in CJK order, with the time (and offset) printed beside it."""
    start, end = m.start(), m.end()
    groups = m.groupdict()
    try:
        if groups.get("mname"):
            year, month, day = m["year"], str(_MONTH_OF[m["mname"].lower()]), m["day"]
        elif groups.get("year") is not None:
            year, month, day = m["year"], m["month"], m["day"]
        else:
            year, month, day = m["year2"], m["month2"], m["day2"]
        d = _date_from(year, month, day)
        start, end, t = _adjacent_time(text, lo, start, end)
        tz: Any = VN_TZ
        if t is not None:
            offset = _NUMERIC_OFFSET.match(text, end)
            if offset is not None:
                tz = _offset_from(offset["sign"], offset["hours"], offset["minutes"])
                end = offset.end()
            else:
                end, tz = _tz_suffix(text, end)
        return _Candidate(start, end, _combine(d, t, tz), t is not None, NUMERIC)
    except _Invalid:
        return _Candidate(start, end, None, False, NUMERIC)


def _iso_candidate(m: re.Match[str]) -> _Candidate:
    try:
        d = _date_from(m["year"], m["month"], m["day"])
        if m["hour"] is None:
            return _Candidate(m.start(), m.end(), _combine(d, None, VN_TZ), False, ISO)
        hour, minute, second = int(m["hour"]), int(m["minute"]), int(m["second"] or 0)
        if not (hour < 24 and minute < 60 and second < 60):
            raise _Invalid(m[0])
        tz: Any = VN_TZ  # no offset: the portal's local time
        if m["tz"] is not None:
            raw_tz = m["tz"]
            if raw_tz.upper() == "Z":
                tz = UTC
            else:
                tz = _offset_from(raw_tz[0], raw_tz[1:3], raw_tz[3:].lstrip(":") or None)
        value = _combine(d, time(hour, minute, second), tz)
        return _Candidate(m.start(), m.end(), value, True, ISO)
    except _Invalid:
        return _Candidate(m.start(), m.end(), None, False, ISO)


@lru_cache(maxsize=1024)  # a page's date line is asked for again: its dates listed, then each parsed
def _absolute_candidates(text: str) -> tuple[_Candidate, ...]:
    """Every numeric, "tháng … năm" and ISO date in ``text``, in order, without overlaps."""
    matches: list[tuple[int, int, str, re.Match[str]]] = []
    patterns = [("dmy", _DMY_NUMERIC), ("dmy", _DMY_WORDS), ("iso", _ISO_DATE)]
    # The month-name and CJK patterns are a tenth of the others' speed; most date lines
    # ("01:31 | 02/12/2026") cannot hold what they look for, which a quick test tells.
    if _NAMED_MONTH_GATE.search(text):
        patterns += [("named", _DMY_NAMED), ("named", _MDY_NAMED)]
    if "年" in text or "년" in text or "." in text:
        patterns.append(("named", _YMD_CJK))
    for kind, pattern in patterns:
        for m in pattern.finditer(text):
            matches.append((m.start(), -m.end(), kind, m))
    matches.sort(key=lambda x: (x[0], x[1]))
    out: list[_Candidate] = []
    lo = 0  # a time before a date is only looked for after the previous date
    for _, _, kind, m in matches:
        if m.start() < lo:
            continue
        if kind == "iso":
            cand = _iso_candidate(m)
        elif kind == "named":
            cand = _named_candidate(text, m, lo)
        else:
            cand = _dmy_candidate(text, m, lo)
        out.append(cand)
        lo = cand.end
    return tuple(out)


def _shift_months(d: date, months: int) -> date:
    """``d`` moved back ``months`` months, the day clamped to the month's length."""
    total = d.year * 12 + (d.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _relative_candidates(text: str, now: datetime) -> list[_Candidate]:
    """Every relative date in ``text`` resolved against ``now`` (VN), in order."""
    out: list[_Candidate] = []
    for m in _AGO.finditer(text):
        n, unit = int(m["n"]), m["unit"].lower()
        value: datetime
        if unit == "giây":
            value, has_time = (now - timedelta(seconds=n)).replace(microsecond=0), True
        elif unit in ("phút", "giờ", "tiếng"):
            # The page rounds to the unit; we keep the minute it implies.
            delta = timedelta(minutes=n) if unit == "phút" else timedelta(hours=n)
            value, has_time = (now - delta).replace(second=0, microsecond=0), True
        else:
            # "3 ngày trước" names a day, not a moment: keep only the day.
            if unit == "ngày":
                day = (now - timedelta(days=n)).date()
            elif unit == "tuần":
                day = (now - timedelta(weeks=n)).date()
            else:
                try:
                    day = _shift_months(now.date(), n * (12 if unit == "năm" else 1))
                except ValueError:  # before year 1
                    continue
            value, has_time = _combine(day, None, VN_TZ), False
        out.append(_Candidate(m.start(), m.end(), value, has_time, RELATIVE))
    for m in _JUST_NOW.finditer(text):
        out.append(_Candidate(m.start(), m.end(), now.replace(microsecond=0), True, RELATIVE))
    for m in _DAY_WORD.finditer(text):
        day = now.date() - timedelta(days=_DAYS_BACK[m["word"].lower()])
        try:
            start, end, t = _adjacent_time(text, 0, m.start(), m.end())
        except _Invalid:
            out.append(_Candidate(m.start(), m.end(), None, False, RELATIVE))
            continue
        out.append(_Candidate(start, end, _combine(day, t, VN_TZ), t is not None, RELATIVE))
    out.sort(key=lambda c: (c.start, -c.end))
    return out


# --- dateparser fallback -----------------------------------------------------

_DATEPARSER_SETTINGS: dict[str, Any] = {
    "DATE_ORDER": "DMY",
    "TIMEZONE": "Asia/Ho_Chi_Minh",
    "RETURN_AS_TIMEZONE_AWARE": True,
    "PREFER_DATES_FROM": "past",
    # Without these, "Ngày 22/12" gets a guessed (future) year.
    "REQUIRE_PARTS": ["day", "month", "year"],
}


@lru_cache(maxsize=4)
def _date_data_parser(relative_base: datetime) -> Any:
    """One DateDataParser per RELATIVE_BASE (naive VN, to the minute), built lazily.

    RELATIVE_BASE is part of dateparser's settings, which it fixes when the
    parser is built, so the parser is cached per fetch time: the extractor
    parses a page's dates against one fetch time, and those calls share it.
    dateparser itself is imported here, not at module import, because loading
    it costs about 150 ms and most runs never need it.
    """
    from dateparser.date import DateDataParser

    settings = {**_DATEPARSER_SETTINGS, "RELATIVE_BASE": relative_base}
    return DateDataParser(languages=["vi"], settings=settings)


def _dateparser_parse(text: str, now: datetime) -> tuple[datetime, bool] | None:
    """Ask dateparser; return (value in VN, has_time) or None.

    A result must give day, month and year (a relative result may name fewer,
    e.g. "1 năm trước" gives only the year).
    """
    parser = _date_data_parser(now.replace(tzinfo=None, second=0, microsecond=0))
    try:
        data = parser.get_date_data(text)
    except (ValueError, OverflowError):  # e.g. a year out of range
        return None
    if data.date_obj is None:
        return None
    parts = set(data.parts or ())
    if not {"day", "month", "year"} <= parts:
        return None
    value = to_vn(data.date_obj)
    has_time = "time" in parts
    if not has_time:
        value = _combine(value.date(), None, VN_TZ)
    return value, has_time


# --- public API --------------------------------------------------------------


def _plausible(value: datetime, now: datetime) -> bool:
    return EARLIEST <= value <= now + FUTURE_TOLERANCE


def _normalise(raw: str) -> str:
    # Pages sometimes serve decomposed Vietnamese (NFD); the patterns are NFC.
    return unicodedata.normalize("NFC", raw).strip()


def parse_date(raw: str | None, *, now: datetime | None = None) -> ParsedDate | None:
    """Parse one date string as Vietnamese news pages write it.

    ``now`` is the fetch time (tz-aware; a naive one is taken as VN time;
    default: the current time); relative forms are resolved against it.
    Text around the date (labels, bylines, weekday names) is ignored; when the
    string holds several dates, the first one counts.

    Returns None when there is no date, when the date is impossible
    (31/02/2025, 25:00), when it has no year (``Ngày 22/12``), or when it is
    implausible: after ``now`` plus FUTURE_TOLERANCE, or before 1990-01-01.
    """
    if raw is None:
        return None
    stripped = raw.strip()
    text = _normalise(stripped)
    if not text:
        return None
    now = to_vn(now) if now is not None else datetime.now(VN_TZ)

    # The regexes say it all for anything with a numeric or ISO date: an
    # impossible or implausible one is None, not a question for dateparser.
    absolute = _absolute_candidates(text)
    if absolute:
        cand = absolute[0]
    else:
        relative = _relative_candidates(text, now)
        cand = relative[0] if relative else None
    if cand is not None:
        if cand.value is None or not _plausible(cand.value, now):
            return None
        return ParsedDate(cand.value, stripped, cand.has_time, cand.method)

    # dateparser only gets strings with a number in them: without one, the
    # only dates are relative words, and those are our table's to resolve.
    if len(text) > DATEPARSER_MAX_LEN or not _DIGIT.search(text):
        return None
    result = _dateparser_parse(text, now)
    if result is None or not _plausible(result[0], now):
        return None
    return ParsedDate(result[0], stripped, result[1], DATEPARSER)


def find_date_strings(text: str) -> list[str]:
    """Candidate date substrings inside a longer text, in order of appearance.

    For a header tools line such as ``'Lê Thắm 11:24 | 01/07/2025 In bài viết'``
    this gives ``['11:24 | 01/07/2025']``: each date with the time printed
    next to it (before or after) and any "(GMT+7)" suffix. Numeric, "tháng …
    năm", ISO and relative forms are found; dateparser is not used. Every
    returned string parses with ``parse_date`` (so impossible, future and
    pre-1990 dates are left out). Substrings are of the NFC form of ``text``.
    """
    if not text:
        return []
    text = unicodedata.normalize("NFC", text)
    now = datetime.now(VN_TZ)
    cands = [*_absolute_candidates(text), *_relative_candidates(text, now)]
    cands.sort(key=lambda c: (c.start, -c.end))
    out: list[str] = []
    end = 0
    for cand in cands:
        if cand.start < end:
            continue  # inside the previous one, e.g. "hôm qua" glued to a date's time
        end = cand.end
        piece = text[cand.start : cand.end]
        if cand.value is not None and parse_date(piece) is not None:
            out.append(piece)
    return out


_WRITTEN_OFFSET = re.compile(
    r"(?:\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?\s*(?P<z>Z)(?![a-z])"
    r"|\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?\s*(?P<off>[+-]\d{2}(?::?\d{2})?)(?!\d)"
    r"|(?:GMT|UTC)\s*(?P<gmt>[+-]\s*\d{1,2}(?::?\d{2})?))",
    re.IGNORECASE,
)


def day_as_written(instant: str | None, raw: str | None) -> str | None:
    """The calendar day of ``instant`` (ISO, as stored in +07:00) in the offset ``raw`` was written in.

    The store keeps every instant in Asia/Ho_Chi_Minh; a page from Berlin that
    says ``2021-03-05T20:00:00+01:00`` was published on the 5th for its readers
    although it is the 6th in Hà Nội. ``raw`` is the string the date was parsed
    from (``published_at_raw``): when it names an offset ("Z", "+01:00",
    "GMT+2"), the instant is shown in that offset before its day is taken;
    without one the string was local time, read as VN, so the stored day is
    the written one. A bare day (``2021-03-05``) is returned as it is.
    """
    if not instant:
        return None
    if len(instant) == 10:
        return instant
    value = datetime.fromisoformat(instant)
    match = _WRITTEN_OFFSET.search(raw or "")
    if match is None:
        return value.date().isoformat()
    if match["z"]:
        zone: Any = UTC
    else:
        written = (match["off"] or match["gmt"]).replace(" ", "")
        digits = written[1:].replace(":", "")
        hours, minutes = (digits[:2], digits[2:]) if len(digits) > 2 else (digits, "")
        try:
            zone = _offset_from(written[0], hours, minutes or None)
        except _Invalid:
            return value.date().isoformat()
    return value.astimezone(zone).date().isoformat()


_URL_DAY_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})([/-])(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")


def url_date(url: str) -> date | None:
    """The day written in a URL's path (``/2023/11/08/``, ``/2023-11-08-``), or None.

    The publisher's CMS writes it in its own calendar; only a full, valid day
    counts, never a year and month alone; eight digits in a row are as often an id.
    """
    path = url.split("?", 1)[0].split("#", 1)[0]
    path = path.split("//", 1)[-1].partition("/")[2]
    for match in _URL_DAY_RE.finditer(path):
        try:
            return date(int(match[1]), int(match[3]), int(match[4]))
        except ValueError:
            continue
    return None


# Languages whose readers (nearly all) live in one time zone: an instant written in UTC
# falls on the day of that zone for them.
_SINGLE_ZONE_LANGUAGES = {
    "de": "Europe/Berlin",
    "nl": "Europe/Amsterdam",
    "it": "Europe/Rome",
    "pl": "Europe/Warsaw",
    "cs": "Europe/Prague",
    "sk": "Europe/Bratislava",
    "hu": "Europe/Budapest",
    "da": "Europe/Copenhagen",
    "sv": "Europe/Stockholm",
    "no": "Europe/Oslo",
    "nb": "Europe/Oslo",
    "nn": "Europe/Oslo",
    "fi": "Europe/Helsinki",
    "el": "Europe/Athens",
    "ja": "Asia/Tokyo",
    "ko": "Asia/Seoul",
    "vi": "Asia/Ho_Chi_Minh",
    "th": "Asia/Bangkok",
    "tr": "Europe/Istanbul",
    "uk": "Europe/Kyiv",
}


def single_zone_of(language: str | None):
    """The time zone of a language spoken in one zone (``"de-AT"`` -> Europe/Berlin), or None."""
    if not language:
        return None
    name = _SINGLE_ZONE_LANGUAGES.get(language.strip().lower().replace("_", "-").split("-", 1)[0])
    return zoneinfo.ZoneInfo(name) if name else None
