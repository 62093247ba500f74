"""Sitemaps and RSS/Atom feeds: lists of article URLs a portal publishes about itself.

Pure functions of fetched bytes, like the page objects: a feed in, entries
(URL and the time the feed gives for it) out. Sitemap XML (urlset with
Google News extensions, and sitemapindex; gzipped or not), RSS 2.0 and Atom
are read with lxml, entities and network off. A nightly run uses them to find new articles in one or
two requests, and falls back to the section listings when a feed is absent,
broken or stale (``Feed.is_fresh``).
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from lxml import etree

from wardnews.dates import VN_TZ, parse_date
from wardnews.urls import join_url

SITEMAP_INDEX, URLSET, RSS = "sitemapindex", "urlset", "rss"
MAX_FEED_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed
# Feeds are untrusted XML: no entities, no network, no DTDs.
_XML_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, load_dtd=False)


@dataclass
class FeedEntry:
    """One URL of a feed; ``published`` when the feed says (lastmod, pubDate, updated)."""

    url: str
    published: datetime | None = None


@dataclass
class Feed:
    """What a sitemap, sitemap index or RSS/Atom feed lists. ``kind`` is one of the constants above."""

    kind: str
    entries: list[FeedEntry] = field(default_factory=list)

    @property
    def newest(self) -> datetime | None:
        dated = [e.published for e in self.entries if e.published is not None]
        return max(dated) if dated else None

    def is_fresh(self, now: datetime, max_age: timedelta) -> bool:
        """True when the feed lists something published within ``max_age`` of ``now``.

        A feed without dates is not trusted to be fresh: the listings are walked.
        """
        newest = self.newest
        return newest is not None and now - newest <= max_age

    def newest_first(self) -> list[FeedEntry]:
        """Entries with the newest date first; undated ones last, in feed order."""
        floor = datetime.min.replace(tzinfo=self.newest.tzinfo) if self.newest else None
        return (
            sorted(self.entries, key=lambda e: e.published or floor, reverse=True) if floor else self.entries
        )


def unpack_feed(body: bytes) -> bytes:
    """The XML of a feed served gzipped as a file (``sitemap.xml.gz``), else the body itself."""
    if body[:2] == b"\x1f\x8b":
        try:
            decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
            data = decompressor.decompress(body, MAX_FEED_BYTES)
        except (zlib.error, gzip.BadGzipFile):
            return b""
        return data
    return body[:MAX_FEED_BYTES]


def read_feed(body: bytes, url: str, now: datetime) -> Feed | None:
    """The feed in ``body`` fetched from ``url``, or None when it is none of the known kinds."""
    xml = unpack_feed(body).lstrip()
    if not xml.startswith(b"<"):
        return None
    head = xml[:2048].lower()
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return _read_rss(xml, url, now)
    try:
        root = etree.fromstring(xml, _XML_PARSER)
    except etree.XMLSyntaxError:
        return None
    kind = etree.QName(root).localname.lower() if root is not None and isinstance(root.tag, str) else ""
    if kind not in (SITEMAP_INDEX, URLSET):
        return None
    entries = []
    for item in root.iterchildren("{*}url", "{*}sitemap"):
        href = (item.findtext("{*}loc") or "").strip()
        loc = join_url(url, href) if href else None
        if not loc or not loc.startswith(("http://", "https://")):
            continue
        # lastmod, else a Google News sitemap's <news:publication_date>.
        when = item.findtext("{*}lastmod") or item.findtext(".//{*}publication_date")
        entries.append(FeedEntry(loc, feed_time(when, now)))
    return Feed(kind, entries)


def feed_time(text: str | None, now: datetime) -> datetime | None:
    """A feed's timestamp in Hà Nội time: RFC 822 (RSS pubDate) or ISO 8601 / W3C (sitemaps, Atom).

    A bare day (``2025-12-22``) is that day's midnight in Hà Nội; a time after ``now`` is refused.
    """
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = parse_date(text, now=now)
        return parsed.value if parsed else None
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN_TZ)
    value = value.astimezone(VN_TZ)
    return value if value <= now else None


def _read_rss(xml: bytes, url: str, now: datetime) -> Feed | None:
    try:
        root = etree.fromstring(xml, _XML_PARSER)
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    entries = []
    for item in root.iter("{*}item", "{*}entry"):
        link = None
        for child in item:
            name = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if name == "link":
                link = (child.get("href") or child.text or "").strip() or link
            elif name == "guid" and not link and (child.text or "").startswith("http"):
                link = child.text.strip()
        when = None
        for name in ("pubDate", "published", "updated", "date"):
            found = item.find(f"{{*}}{name}")
            when = feed_time(found.text if found is not None else None, now)
            if when is not None:
                break
        absolute = join_url(url, link) if link else None
        if absolute:
            entries.append(FeedEntry(absolute, when))
    return Feed(RSS, entries)
