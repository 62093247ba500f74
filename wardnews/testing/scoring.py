"""How a crawled database compares with a generated portal's ground truth, per field.

Used by ``bench/layouts.py`` (which prints the figures) and the layout tests
(which assert them). The ground truth is ``PortalArticle``: what a reader of
the page sees (the title without its kicker, the lead as printed, "(LĐTĐ)"
included when the page shows it, captions without their "(Ảnh: …)" credit).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from wardnews.testing.portal import Portal, PortalArticle

_CREDIT_RE = re.compile(r"\s*\(Ảnh:\s*[^()]+\)\s*$")
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def caption_without_credit(caption: str) -> str:
    """A printed caption without its trailing "(Ảnh: …)" credit."""
    return _CREDIT_RE.sub("", caption).strip()


def expected_authors(article: PortalArticle) -> list[str]:
    """The people a byline such as "Hà An - Minh Thu" credits."""
    return [name.strip() for name in article.byline.split(" - ") if name.strip()]


def token_f1(found: str | None, expected: str) -> float:
    """Token F1 of ``found`` against ``expected`` (lower-cased words; 0 when nothing was found)."""
    got = Counter(_TOKEN_RE.findall((found or "").lower()))
    want = Counter(_TOKEN_RE.findall(expected.lower()))
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


@dataclass
class Score:
    """One crawled database against its portal."""

    expected: int = 0
    stored: int = 0  # rows matched to an expected story
    lost: list[str] = field(default_factory=list)  # keys of stories with no row
    duplicates: int = 0  # rows beyond one per story (a copy or a variant stored as its own row)
    date: float = 0.0  # share of stored stories with published_at right to the minute, +07:00
    authors: float = 0.0
    captions: float = 0.0
    sapo: float = 0.0
    body_f1: float = 0.0  # mean token F1 of the body
    wrong: dict[str, list[str]] = field(default_factory=dict)  # field -> keys it was wrong for


def score(portal: Portal, db_path: str | Path) -> Score:
    """Compare every ``articles`` row with the story it belongs to."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("SELECT * FROM articles").fetchall()
    finally:
        conn.close()
    expected = {a.key: a for a in portal.expected_articles()}
    owner = {a.key: a.republished_from or a.key for a in portal.articles.values()}
    by_path = {a.path: a.key for a in portal.articles.values()}
    result = Score(expected=len(expected))
    matched: dict[str, sqlite3.Row] = {}
    extra = 0
    for row in rows:
        key = row["article_key"]
        if key is None:  # a long read known by its URL alone
            path = "/" + row["url"].split("/", 3)[-1]
            key = by_path.get(path)
        story = owner.get(key or "")
        if story is None or story in matched:
            extra += 1
            continue
        matched[story] = row
    result.duplicates = extra
    result.stored = len(matched)
    result.lost = sorted(k for k in expected if k not in matched)
    if not matched:
        return result
    checks = {"date": 0, "authors": 0, "captions": 0, "sapo": 0}
    f1_total = 0.0
    for key, row in matched.items():
        truth = expected[key]
        right = {
            "date": row["published_at"] == truth.published_at.isoformat(timespec="seconds"),
            "authors": json.loads(row["authors"] or "[]") == expected_authors(truth),
            "captions": (row["captions"] or "")
            == "\n".join(caption_without_credit(c) for _, c in truth.figures),
            "sapo": row["sapo"] == truth.sapo,
        }
        for name, ok in right.items():
            checks[name] += ok
            if not ok:
                result.wrong.setdefault(name, []).append(key)
        f1 = token_f1(row["body"], truth.body)
        f1_total += f1
        if f1 < 0.97:
            result.wrong.setdefault("body", []).append(key)
    n = len(matched)
    result.date, result.authors = checks["date"] / n, checks["authors"] / n
    result.captions, result.sapo = checks["captions"] / n, checks["sapo"] / n
    result.body_f1 = f1_total / n
    return result
