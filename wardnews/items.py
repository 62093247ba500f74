"""The article item: what extraction produces and what the pipelines store.

Every field is optional. A field we could not find is ``None`` (or an empty
list for the list fields) and the reason is logged and kept in ``missing``;
it is never a guess. All text is Unicode NFC with runs of white space folded
to one space inside a paragraph.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from wardnews.raw import RawPage
    from wardnews.store.articles import Derived

# Names of the strategies recorded per field in ``Article.extraction``.
SITE = "site"  # the portal's own selectors (wardnews/sites/<site>.py)
METADATA = "metadata"  # JSON-LD, OpenGraph, article:* and other <meta>
HEURISTIC = "heuristic"  # general rules on the DOM: text blocks, figure patterns, byline position
NONE = "none"  # nothing found: the field is NULL, the reason is in ``missing``
STRATEGIES = (SITE, METADATA, HEURISTIC, NONE)

# Names of the related-link blocks, as stored in ``links.block``.
LINK_BLOCKS = ("tin_khac", "co_the_ban_quan_tam", "nen_xem", "related", "body")

# Fields whose provenance is recorded in ``Article.extraction``.
EXTRACTED_FIELDS = (
    "title",
    "sapo",
    "body",
    "published_at",
    "modified_at",
    "byline",
    "category",
    "tags",
    "figures",
    "links",
    "canonical",
)


@dataclass
class Figure:
    """One image of the article body.

    ``image_url`` is absolute. ``caption`` is the caption text without its
    photo credit; ``credit`` is what followed "Ảnh:" (e.g. ``"Lê Thắm"``),
    ``None`` when the caption names no photographer. ``alt`` is the image's
    alt text as written (often the article title on this portal).
    """

    image_url: str
    caption: str | None = None
    credit: str | None = None
    alt: str | None = None


@dataclass
class Link:
    """A link the article shows in one of its blocks.

    ``block`` is one of LINK_BLOCKS: ``tin_khac`` ("Tin khác"),
    ``co_the_ban_quan_tam`` ("Có thể bạn quan tâm"), ``nen_xem`` ("Nên xem"),
    ``related`` (the inline related box inside the body), ``body`` (a link in
    the running text). ``url`` is absolute, fragment removed, otherwise as
    the page wrote it. ``anchor_text`` is the link's visible text.
    """

    block: str
    url: str
    anchor_text: str | None = None


@dataclass
class Article:
    """One news article as extracted from one page.

    Dates are ISO 8601 strings in Asia/Ho_Chi_Minh (``2025-12-22T15:30:00+07:00``),
    or a bare date (``2025-12-22``) when the page gives no time of day.
    ``*_raw`` keeps the string the date was parsed from.
    """

    url: str  # canonical URL (rel=canonical if on the same site, else our canonicalisation)
    fetched_url: str | None = None  # the URL that was fetched, as requested
    site: str | None = None  # site key, e.g. "laodongthudo"
    article_key: str | None = None  # the portal's numeric article id, from the URL
    title: str | None = None
    sapo: str | None = None  # the lead paragraph
    body: str | None = None  # paragraphs and sub-headings in order, joined by a blank line
    byline: str | None = None  # the byline as printed, e.g. "Lê Thắm" or "Hà An - Minh Thu"
    authors: list[str] = field(default_factory=list)  # people or groups credited as writers
    source: str | None = None  # an outlet credited for the text, e.g. "TTXVN" from "(Theo TTXVN)"
    published_at: str | None = None
    published_at_raw: str | None = None
    # The publication day as the page's readers saw it (YYYY-MM-DD), in the publisher's own
    # calendar: published_at is the instant in +07:00, which for a page from another time zone
    # can fall on the next or the previous day (see wardnews.dates.day_as_written).
    published_on: str | None = None
    modified_at: str | None = None
    modified_at_raw: str | None = None
    category: str | None = None  # the section the portal files the article under
    tags: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    word_count: int | None = None  # words in the body
    content_hash: str | None = None  # sha256 of normalised title, sapo, body, captions, byline, dates
    fetched_at: str | None = None  # when the page was fetched (ISO 8601, +07:00)
    extraction: dict[str, str] = field(default_factory=dict)  # field -> strategy (see STRATEGIES)
    missing: dict[str, str] = field(default_factory=dict)  # field -> why it is NULL
    # Why the extractor kept the page while unsure it is an article, or that it arrived whole
    # ("og:type says website", "no date found", ...): evidence against it that was outweighed.
    doubts: list[str] = field(default_factory=list)
    extractor_version: str | None = None
    # The response the article came from (set by the spider, stored by the SQLite pipeline in
    # ``raw_pages``). Not a field: left out of to_dict(), feed exports, repr and equality.
    raw: ClassVar[RawPage | None] = None
    # What the store derives from the article (story hash, band values, ward tags), when an
    # extraction worker computed it already (wardnews.store.articles.Derived). Not a field either.
    derived: ClassVar[Derived | None] = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (figures and links as dicts), with ``captions``: the figures' captions."""
        data = asdict(self)
        data["captions"] = [f.caption for f in self.figures if f.caption]
        return data


@dataclass
class Sighting:
    """A URL seen in a link, kept as an alias of the article it leads to (fetched or not)."""

    url: str
    canonical_url: str
    article_key: str | None
    site: str | None
    how: str | None = None  # set when known ("republished"); else derived from the two URLs


@dataclass
class Sightings:
    """The sightings of one page, as one item: every item a callback yields costs the crawl's one
    reactor core a pass through Scrapy's middlewares and signals, and an article page shows a
    few URL variants of each story it links to."""

    sightings: list[Sighting]


@dataclass
class FetchError:
    """A page we could not fetch or could not use, for ``fetch_errors``."""

    url: str
    status: int | None  # HTTP status, None for network errors
    error: str  # what went wrong, in a few words ("404", "TimeoutError", "not an article")


@dataclass
class DoubtfulPage:
    """A page on an article-shaped URL that was refused, or arrived cut short (``doubtful_pages``).

    ``refusal`` is extraction's reason when it found no article (None when it did:
    the article is stored and ``article_url`` says which); ``truncation`` says why
    the page looks cut short (None when it looks whole). The response itself is
    in ``raw``, as for an Article.
    """

    url: str  # the URL asked for (canonical)
    site: str | None
    refusal: str | None = None
    truncation: str | None = None
    article_url: str | None = None
    raw: ClassVar[RawPage | None] = None
