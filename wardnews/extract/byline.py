"""From a printed byline to the people and the outlet it credits."""

from __future__ import annotations

import re

from wardnews.extract.text import clean_text

# A line that only credits an outlet: "(Theo TTXVN)", "Nguồn: Hà Nội Mới".
_SOURCE_LINE_RE = re.compile(r"^\(?\s*(?:Theo|Nguồn)\s*:?\s+(?P<source>[^()]+?)\s*\)?\.?$", re.IGNORECASE)
_SOURCE_IN_BYLINE_RE = re.compile(r"\(?\s*\b(?:Theo|Nguồn)\s*:?\s+(?P<source>[^()]+?)\s*\)?\s*\.?$", re.I)
# What the people did, printed before their names: "Bài và ảnh: Việt Hưng".
ROLE_LABEL_RE = re.compile(
    r"^(?:Bài và ảnh|Bài, ảnh|Bài & ảnh|Tin và ảnh|Tin, ảnh|Bài|Tin|Ảnh|Tác giả|Thực hiện"
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
        source = clean_text(match.group("source")).rstrip(".") or None
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
