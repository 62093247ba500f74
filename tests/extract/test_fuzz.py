"""Fuzz: fixture pages, mutated (byte flips, truncation, tags deleted, duplicated or inserted),
never make ``extract_article`` raise or hang."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile import bounded  # tests/extract is on sys.path (rootdir-less tests)

from wardnews.dates import VN_TZ
from wardnews.extract import extract_article
from wardnews.items import Article

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DEFAULT_URL = "https://laodongthudo.vn/bai-viet-203248.html"
NOW = datetime(2025, 12, 23, 8, tzinfo=VN_TZ)
TAG_RE = re.compile(rb"<[^<>]{0,300}>")
INSERTS = (
    b"<div>",
    b"</div>",
    b"<p>",
    b"</p>",
    b"<script>",
    b"</script>",
    b"<style>",
    b"<!--",
    b"-->",
    b"<![CDATA[",
    b"<table><tr><td>",
    b"</body>",
    b"</html><html>",
    b"<h1>",
    b"<figure><img src='x.jpg'><figcaption>",
    b'<script type="application/ld+json">{"@type":"NewsArticle","datePublished":',
    b'<meta property="article:published_time" content="',
    b'<meta charset="windows-1258">',
    b"&#0;",
    b"&#xD800;",
    b"\x00",
    b"\xff\xfe",
    b'"',
    b"<",
    b">",
)


def _page(path: Path) -> tuple[bytes, str]:
    spec = path.with_suffix(".json")
    url = json.loads(spec.read_text(encoding="utf-8")).get("url") if spec.exists() else None
    return path.read_bytes(), url or DEFAULT_URL


PAGES = [_page(p) for p in sorted(FIXTURES.glob("**/*.html"))]

position = st.integers(min_value=0, max_value=2**31)
mutation = st.one_of(
    st.tuples(st.just("flip"), position, st.integers(1, 255)),
    st.tuples(st.just("truncate"), position),
    st.tuples(st.just("delete_tag"), position),
    st.tuples(st.just("duplicate_tag"), position, st.integers(1, 50)),
    st.tuples(st.just("insert"), position, st.sampled_from(INSERTS)),
    st.tuples(st.just("insert_bytes"), position, st.binary(min_size=1, max_size=24)),
    st.tuples(st.just("duplicate_slice"), position, st.integers(1, 5000)),
)


def mutate(html: bytes, step: tuple) -> bytes:
    kind, where, *extra = step
    if not html:
        return html
    at = where % len(html)
    if kind == "flip":
        return html[:at] + bytes([html[at] ^ extra[0]]) + html[at + 1 :]
    if kind == "truncate":
        return html[:at]
    if kind in ("delete_tag", "duplicate_tag"):
        tags = list(TAG_RE.finditer(html))
        if not tags:
            return html
        tag = tags[where % len(tags)]
        copies = 0 if kind == "delete_tag" else 1 + extra[0]
        return html[: tag.start()] + tag.group() * copies + html[tag.end() :]
    if kind in ("insert", "insert_bytes"):
        return html[:at] + extra[0] + html[at:]
    if kind == "duplicate_slice":
        return html[:at] + html[at : at + extra[0]] * 2 + html[at + extra[0] :]
    raise AssertionError(kind)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    page=st.sampled_from(PAGES),
    steps=st.lists(mutation, min_size=1, max_size=6),
    as_text=st.booleans(),
    declared=st.sampled_from([None, None, "utf-8", "iso-8859-1", "windows-1258"]),
)
def test_mutated_fixture_pages_never_raise(page, steps, as_text, declared):
    html, url = page
    for step in steps:
        html = mutate(html, step)
    if as_text:
        html = html.decode("utf-8", "replace")
    article = bounded(extract_article, html, url, fetched_at=NOW, encoding=declared)
    assert article is None or isinstance(article, Article)


def test_mutations_do_what_they_say():
    html = b"<p>ab</p><div>cd</div>"
    assert mutate(html, ("flip", 1, 1)) == b"<q>ab</p><div>cd</div>"
    assert mutate(html, ("truncate", 5)) == b"<p>ab"
    assert mutate(html, ("delete_tag", 1)) == b"<p>ab<div>cd</div>"
    assert mutate(html, ("duplicate_tag", 2, 2)) == b"<p>ab</p><div><div><div>cd</div>"
    assert mutate(html, ("insert", 3, b"<script>")) == b"<p><script>ab</p><div>cd</div>"
    assert mutate(html, ("duplicate_slice", 3, 2)) == b"<p>abab</p><div>cd</div>"
    assert len(PAGES) >= 10
