"""From a printed byline to the people and the outlet it credits."""

from __future__ import annotations

import re

from wardnews.extract.text import clean_text

# A line that only credits an outlet: "(Theo TTXVN)", "Nguồn: Hà Nội Mới".
_SOURCE_LINE_RE = re.compile(r"^\(?\s*(?:Theo|Nguồn)\s*:?\s+(?P<source>[^()]+?)\s*\)?\.?$", re.IGNORECASE)
_SOURCE_IN_BYLINE_RE = re.compile(r"\(?\s*\b(?:Theo|Nguồn)\s*:?\s+(?P<source>[^()]+?)\s*\)?\s*\.?$", re.I)
# What the people did, printed before their names: "Bài và ảnh: Việt Hưng".
ROLE_LABEL_RE = re.compile(
    r"^(?:Bài và ảnh|Bài, ảnh|Bài & ảnh|Tin và ảnh|Tin, ảnh|Bài|Tin|Ảnh|Tác giả|Thực hiện|Nội dung"
    r"|Nhóm phóng viên thực hiện)"
    r"\s*:\s*",
    re.IGNORECASE,
)
_SEPARATOR_RE = re.compile(r"\s+[-–—]\s+|\s*,\s*|\s*;\s*|\s+và\s+|\s*&\s*")


def split_byline(byline: str | None) -> tuple[list[str], str | None]:
    """Authors and source credited by a byline.

    ``"Hà An - Minh Thu"`` -> (["Hà An", "Minh Thu"], None);
    ``"Minh Anh (Theo TTXVN)"`` -> (["Minh Anh"], "TTXVN");
    ``"Theo Hà Nội Mới"`` -> ([], "Hà Nội Mới"); ``"Nhóm PV"`` -> (["Nhóm PV"], None).
    """
    text = clean_text(byline)
    if not text:
        return [], None
    source = None
    match = _SOURCE_IN_BYLINE_RE.search(text)
    if match:
        credited = clean_text(match.group("source")).rstrip(".") or None
        if credited and not match.group(0).lstrip().startswith("(") and is_person(credited):
            # "Theo Nguyễn Hương": written by a person, as told to the paper; not an outlet.
            text = credited
        else:
            source = credited
            text = text[: match.start()].strip(" -–,")
    text = ROLE_LABEL_RE.sub("", text).strip()
    authors = [clean_text(part) for part in _SEPARATOR_RE.split(text) if clean_text(part)]
    return authors, source


def is_source_line(text: str) -> str | None:
    """The outlet named by a line such as ``"(Theo TTXVN)"``, else None."""
    match = _SOURCE_LINE_RE.match(text)
    return clean_text(match.group("source")) if match and len(text) <= 80 else None


def strip_role_label(byline: str) -> str:
    """``"Bài và ảnh: Việt Hưng"`` -> ``"Việt Hưng"``: the label says what they did, not who."""
    return ROLE_LABEL_RE.sub("", byline).strip() or byline


# Outlets a Vietnamese byline credits with "Theo" (by name, as readers know them).
OUTLET_WORDS = (
    "báo",
    "tạp chí",
    "đài",
    "cổng",
    "thông tấn",
    "trang",
    "kênh",
    "tờ",
    "truyền hình",
    "phát thanh",
)
OUTLETS = frozenset(
    {
        "hà nội mới",
        "tuổi trẻ",
        "thanh niên",
        "dân trí",
        "vnexpress",
        "nhân dân",
        "lao động",
        "tiền phong",
        "người lao động",
        "vietnamnet",
        "vietnamplus",
        "zing",
        "zingnews",
        "kinh tế đô thị",
        "an ninh thủ đô",
        "sài gòn giải phóng",
        "quân đội nhân dân",
        "công an nhân dân",
        "đại đoàn kết",
        "pháp luật",
        "tiêu dùng",
        "giáo dục và thời đại",
    }
)
_ACRONYM_RE = re.compile(r"^[A-ZĐ0-9]{2,}(?:\s|$)")


def is_person(credited: str) -> bool:
    """True when "Theo <credited>" names a person ("Nguyễn Hương"), not an outlet ("TTXVN", "Hà Nội Mới")."""
    lowered = credited.lower()
    if lowered in OUTLETS or lowered.startswith(OUTLET_WORDS) or "." in credited:
        return False
    if _ACRONYM_RE.match(credited):
        return False
    words = credited.split()
    return 2 <= len(words) <= 4 and all(word[:1].isupper() for word in words)
