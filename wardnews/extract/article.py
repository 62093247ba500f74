"""``extract_article``: one page in, one ``Article`` out (or None for a page that is not an article)."""

from __future__ import annotations

import gc
import hashlib
import html
import logging
import re
import unicodedata
from collections import Counter
from datetime import date, datetime
from urllib.parse import urlsplit

from lxml import etree

from wardnews.dates import (
    VN_TZ,
    day_as_written,
    find_date_strings,
    parse_date,
    single_zone_of,
    to_vn,
    url_date,
)
from wardnews.extract import authors, fields, recognise
from wardnews.extract.body import BodyWalker
from wardnews.extract.boilerplate import Boilerplate
from wardnews.extract.byline import strip_role_label
from wardnews.extract.container import lead_figures
from wardnews.extract.document import parse_html
from wardnews.extract.links import article_links, find_named_blocks
from wardnews.extract.metadata import jsonld_credits, read_metadata
from wardnews.extract.text import clean_text, element_text, host_of, is_folded, text_cache
from wardnews.items import HEURISTIC, METADATA, NONE, SITE, Article, Link
from wardnews.sites import site_for_url
from wardnews.sites.base import SiteProfile
from wardnews.urls import article_key, canonicalize, join_url

log = logging.getLogger(__name__)

# Bump when a change to extraction changes what it produces for a page;
# stored on every row so a researcher can tell which extractor made it.
EXTRACTOR_VERSION = "2"
MIN_BODY_CHARS = 150  # below this, with no pictures or video, a page is not an article ...
MIN_DATED_BODY_CHARS = 40  # ... unless it is dated: then a brief of a few lines is kept, with the doubt
RELATED_LINK_SHARE = 0.8  # a block that is this much link text is a list of links
LISTING_MAX_BODY_CHARS = 200  # with 8 or more headline links, less running text than this is a listing
_AUTO = object()
_NON_WORD_RE = re.compile(r"[\W_]+")
_WORD_RE = re.compile(r"\w+")


NO_BOILERPLATE = Boilerplate()


class NotAnArticle(Exception):
    """Raised inside extraction to stop with a reason; ``extract_article`` returns None."""


def extract_article(
    html: str | bytes,
    url: str,
    *,
    fetched_at: datetime | None = None,
    site: SiteProfile | None | object = _AUTO,
    encoding: str | None = None,
    boilerplate: Boilerplate | None = None,
) -> Article | None:
    """Extract the article on a page.

    ``url`` is the URL the page was fetched from; ``fetched_at`` (default now)
    anchors relative dates and the no-future rule. ``site`` defaults to the
    profile that owns ``url``; pass None to use metadata and heuristics alone.
    ``boilerplate`` (``wardnews.extract.boilerplate.Boilerplate``, learnt from
    the site's own pages) names texts that are no field's value: the
    masthead's date, the publisher's name, the footer, the "most read" list.
    Returns None, with the reason logged, for a page that is not an article.
    """
    article, reason = extract_or_explain(
        html, url, fetched_at=fetched_at, site=site, encoding=encoding, boilerplate=boilerplate
    )
    if article is None:
        log.info("not an article, skipped: %s (%s)", url, reason)
    return article


def extract_or_explain(
    html: str | bytes,
    url: str,
    *,
    fetched_at: datetime | None = None,
    site: SiteProfile | None | object = _AUTO,
    encoding: str | None = None,
    boilerplate: Boilerplate | None = None,
) -> tuple[Article | None, str | None]:
    """Like ``extract_article``, but returns ``(None, reason)`` for a page that is not an article."""
    if site is _AUTO:
        site = site_for_url(url)
    now = to_vn(fetched_at) if fetched_at else datetime.now(VN_TZ)
    # One page's extraction makes many small containers and frees them by reference
    # counting; the cyclic collector's passes over them took 9% of its time (measured
    # on the real-pages corpus). It is paused for the page and runs again after it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with text_cache():
            return _extract(html, url, now, site, encoding, boilerplate or NO_BOILERPLATE), None
    except NotAnArticle as reason:
        return None, str(reason)
    finally:
        if collecting:
            gc.enable()


def _extract(
    html, url: str, now: datetime, site: SiteProfile | None, encoding, boilerplate: Boilerplate
) -> Article:
    page = parse_html(html, url, encoding)
    meta = read_metadata(page)
    article = Article(
        url=url,
        fetched_url=url,
        site=site.key if site else None,
        fetched_at=now.isoformat(timespec="seconds"),
        extractor_version=EXTRACTOR_VERSION,
    )

    def record(name: str, found: tuple):
        value, strategy, detail = found
        article.extraction[name] = strategy
        if strategy == NONE:
            article.missing[name] = detail
        return value, detail

    own = recognise.page_addresses(url, meta)
    article.doubts = recognise.metadata_doubts(meta)
    if (
        site is not None
        and article_key(url, site) is None
        and article_key(meta.canonical or url, site) is None
    ):
        article.doubts.append(f"the URL is not shaped like a {site.name} article")
    title, title_el = record("title", fields.find_title(page, meta, site, boilerplate))
    if not title:
        raise NotAnArticle("no title")
    error_heading = fields.error_heading(page, title)
    if error_heading:
        raise NotAnArticle(f"error page titled {error_heading!r}")
    article.title = title

    sapo, sapo_el = record("sapo", fields.find_sapo(page, meta, site, title_el, boilerplate))
    article.sapo = sapo
    exclude = {el for el in (title_el, sapo_el) if el is not None}
    found = fields.find_body_container(page, site, title_el=title_el)
    container, parts = _read_body(
        page, found[0], found[2], url, own, title_el, exclude, from_site=found[1] == SITE
    )
    if found[1] != SITE and _chars(parts) < MIN_BODY_CHARS:
        # Some pages render their text hidden and show it by script: a second look
        # includes what is hidden, rather than lose the article.
        hidden = fields.find_body_container(page, site, include_hidden=True, title_el=title_el)
        hidden_container, hidden_parts = _read_body(
            page, hidden[0], hidden[2], url, own, title_el, exclude, True
        )
        if _chars(hidden_parts) >= MIN_BODY_CHARS:
            found, container, parts = hidden, hidden_container, hidden_parts
            article.doubts.append("the body is in content the page hides (hidden, display:none)")
    record("body", found)
    paragraphs = parts.paragraphs if parts else []
    paragraphs = [p for p in paragraphs if p not in (title, sapo) and not boilerplate.is_boilerplate(p)]
    if not paragraphs and meta.ld_text("articleBody"):
        paragraphs = [clean_text(p) for p in str(meta.ld("articleBody")).split("\n") if clean_text(p)]
        article.extraction["body"] = METADATA

    article.byline, paragraphs = _byline(
        page, meta, site, url, parts, title_el, container, paragraphs, article, boilerplate
    )

    # Dates must not be mistaken for body text when a heuristic container holds the header.
    published, modified = _dates(page, meta, site, now, container, title_el, article, boilerplate)
    paragraphs = [p for p in paragraphs if not _is_date_line(p, published[0], modified[0])]
    paragraphs = _without_leading_tool_lines(paragraphs)
    paragraphs = _without_picture_lines(paragraphs, parts.figures if parts else [])
    if article.extraction.get("body") != SITE:
        paragraphs = _without_trailing_furniture(paragraphs)
    if article.extraction.get("sapo") == METADATA and paragraphs:
        # The description repeats the body's first paragraph (often cut short): the visible
        # paragraph is the lead, once.
        lead = _lead_paragraph(article.sapo, paragraphs[:2])
        rest = sum(len(p) for p in paragraphs if p != lead)
        if lead is not None and rest >= MIN_BODY_CHARS:  # a short story keeps its only paragraph
            article.sapo = lead
            article.extraction["sapo"] = HEURISTIC
            paragraphs = [p for p in paragraphs if p != lead]

    if article.extraction.get("sapo") == METADATA and _copies_body(article.sapo, paragraphs):
        # The description is the article's own text run together (some CMSs put the whole
        # story in it): no sapo of its own, and the body is not read twice.
        article.sapo = None
        article.extraction["sapo"] = NONE
        article.missing["sapo"] = "the page's description is a copy of its body text"

    body = "\n\n".join(paragraphs) or None
    figures = parts.figures if parts else []
    if container is not None and article.extraction.get("body") != SITE:
        lead = BodyWalker(url, exclude).figures_of(lead_figures(page, title_el, container))
        known = {f.image_url for f in figures}
        figures = [f for f in lead if f.image_url not in known] + figures
    short = body is None or len(body) < MIN_BODY_CHARS
    if short and parts is not None and parts.teasers >= 2:
        raise NotAnArticle(
            f"page is a list of stories: {parts.teasers} headlines link to other pages,"
            f" {len(body or '')} characters of its own text"
        )
    dated_brief = published[0] is not None and body is not None and len(body) >= MIN_DATED_BODY_CHARS
    # (A player is looked for, two walks of the page, only when the rest has not decided.)
    if short and len(figures) < 2 and not dated_brief and not (sapo and _shows_media(page, parts)):
        raise NotAnArticle(f"body has {len(body or '')} characters, {len(figures)} figures, no video")
    if short and body:
        article.doubts.append(f"the body is short ({len(body)} characters)")
    if _looks_like_listing(page, body):
        if not recognise.declares_article(meta):
            raise NotAnArticle("page is a list of article links")
        # A dated article by its metadata whose visible text is a teaser (a paywall) among
        # many headline links: kept, with the doubt, rather than lost.
        article.doubts.append("many headline links and little text, but the metadata dates one article")
    if published[0] is None:
        article.doubts.append("no date found")
    article.body = body
    if body is None:
        article.extraction["body"] = NONE
        article.missing["body"] = "the page has pictures or a video but no running text"
    for figure in figures:
        if figure.caption and boilerplate.is_boilerplate(figure.caption):
            figure.caption = None
    article.figures = figures
    article.extraction["figures"] = article.extraction["body"] if figures else NONE
    if not figures:
        article.missing["figures"] = "no images inside the article body"

    category, _ = record("category", fields.find_category(page, meta, site, title, title_el))
    article.category = category
    tags, _ = record("tags", fields.find_tags(page, meta, site, container))
    article.tags = tags or []

    article.links = _links(page, site, url, parts, article, own, container, title_el)
    _identity(article, meta, site, url)
    article.word_count = len(body.split()) if body else 0
    article.content_hash = content_hash(article)
    for name, reason in article.missing.items():
        log.info("%s: %s is NULL: %s", url, name, reason)
    return article


def _byline(
    page, meta, site, url: str, parts, title_el, container, paragraphs, article: Article, boilerplate=None
):
    """The byline and its people: the line the page prints, checked against what its metadata declares.

    Printed lines are tried in order (the site's place for it, the body's last
    set-apart line, an author element near the headline); the first that names
    people or credits a source is the printed byline. ``authors.choose`` then
    weighs it against the JSON-LD or <meta> authors. Returns the byline and the
    paragraphs without it.
    """
    names, host = meta.site_names, host_of(url)

    def printed_lines():
        """The printed candidates in order, the costly page search last and only if needed."""
        site_line = fields.find_site_byline(page, site)
        if site_line[0]:
            yield site_line[0], SITE
        if parts and parts.byline:
            yield parts.byline, HEURISTIC
        for text, _ in fields.author_lines(page, title_el, container):
            yield text, HEURISTIC

    printed, printed_raw, printed_strategy = None, None, NONE
    desk = None
    tried = False
    for text, strategy in printed_lines():
        tried = True
        if boilerplate and boilerplate.is_boilerplate(text):
            continue
        read = authors.read_byline(strip_role_label(text), names, host)
        if read.authors or read.source:
            printed, printed_raw, printed_strategy = read, text, strategy
            break
        if read.desk and desk is None:
            desk = (read, text, strategy)
    declared_text = fields.find_metadata_byline(meta)[0]
    credits = jsonld_credits(meta.ld("author"))
    if not any(not is_organisation for _, is_organisation in credits):
        # The JSON-LD credits the publisher alone: a <meta> may still name the writer.
        meta_text = fields.meta_author(meta) or (declared_text if not credits else None)
        if meta_text:
            credits = credits + [(meta_text, False)]
    declared = authors.read_declared(credits, names, host)
    if printed is None and desk is not None and not (declared and declared.authors):
        # Only a desk printed ("Redaktion") and no person declared: the desk is the source.
        printed, printed_raw, printed_strategy = desk
        printed.source = printed.desk
    if printed_strategy == SITE:
        chosen, which = printed, "printed"
    else:
        chosen, which = authors.choose(printed, declared)
    if chosen is None:
        article.extraction["byline"] = NONE
        article.missing["byline"] = (
            "no byline line and no author metadata"
            if not tried and not declared_text
            else "the byline candidates name nobody (a date, a role, the publisher, a photo credit)"
        )
        article.authors, article.source = [], None
        return None, paragraphs
    article.extraction["byline"] = printed_strategy if which == "printed" else METADATA
    if which == "printed":
        paragraphs = [p for p in paragraphs if p != printed_raw]
        byline = strip_role_label(printed_raw)
        if parts and parts.byline and parts.byline != printed_raw and paragraphs[-1:] == [parts.byline]:
            paragraphs.pop()
    else:
        byline = " - ".join(chosen.authors) or None
    article.authors, article.source = chosen.authors, chosen.source
    if byline is None:
        article.extraction["byline"] = NONE
        article.missing["byline"] = f"the page credits no person, only {chosen.source!r} (kept as source)"
    return byline, paragraphs


def _read_body(
    page, container, continued, url: str, own, title_el, exclude, include_hidden=False, from_site=False
):
    """``(container, BodyParts)`` of the chosen body element, or ``(None, None)``.

    Refuses (NotAnArticle) a container that is the excerpt printed under another
    page's headline. Teasers of other stories inside it are kept apart from the text.
    """
    if container is None:
        return None, None
    if not from_site and recognise.excerpt_of_another_story(page, container, title_el, url, own):
        raise NotAnArticle("the page's main text is the excerpt of a story on another page")
    continued = continued if isinstance(continued, list) else []
    headlines = recognise.story_headlines(container, url, own, title_el)
    teasers = recognise.teaser_roots(container, headlines)
    walker = BodyWalker(url, exclude, teasers, skip_hidden=not include_hidden)
    parts = walker.walk(container, continued)
    if parts.teasers == 1 and _chars(parts) < MIN_BODY_CHARS:
        # One headline to elsewhere and little else: the short article itself may
        # look like a teaser; keep its text rather than lose the page.
        parts.paragraphs = parts.paragraphs_with_teasers
    return container, parts


def _chars(parts) -> int:
    return sum(map(len, parts.paragraphs)) if parts else 0


def _dates(page, meta, site, now, container, title_el, article: Article, boilerplate=None):
    published, modified = fields.find_dates(page, meta, site, now, container, title_el, boilerplate)
    if published[0] is None and modified[0] is not None:
        # Nothing better: the "Cập nhật" (updated) line is the closest date the page gives.
        published = modified
        article.doubts.append("the only date the page shows is its update date")
    elif published[0] is None:
        library = fields.find_library_date(page, now, title_el, boilerplate)
        if library[0] is not None:
            published = library
            article.doubts.append("the date is htmldate's reading of the page")
    for name, found in (("published_at", published), ("modified_at", modified)):
        parsed, strategy, detail = found
        article.extraction[name] = strategy
        if parsed is None:
            article.missing[name] = detail
            continue
        setattr(article, name, parsed.iso())
        setattr(article, f"{name}_raw", parsed.raw)
    if article.published_at:
        article.published_on = _publisher_day(page, now, article)
    return published, modified


def _publisher_day(page, now, article: Article) -> str:
    """The day the publisher printed: the instant in the offset it was written in.

    An instant written in UTC ("…Z") does not say the publisher's day; when the
    page writes the same instant elsewhere with an offset (another <meta>, a
    ``<time datetime>``), that offset gives the day. (htmldate's reading of the
    printed date would find a few more, at the cost of parsing the page again:
    measured on realpages, +0.003 date for extraction 15% slower.)
    """
    day = day_as_written(article.published_at, article.published_at_raw)
    if not _UTC_WRITTEN_RE.search(article.published_at_raw or ""):
        return day
    # The same instant written with the publisher's offset elsewhere on the page
    # (another <meta>, a <time datetime>) says the day cheaply.
    for raw in fields.written_instants(page):
        if _UTC_WRITTEN_RE.search(raw) or not _OFFSET_WRITTEN_RE.search(raw):
            continue
        parsed = parse_date(raw, now=now)
        if parsed is not None and parsed.iso() == article.published_at:
            return day_as_written(article.published_at, raw)
    instant = datetime.fromisoformat(article.published_at)
    # The day in the article's URL ("/2023/11/08/") is the publisher's own calendar:
    # an instant in UTC a day off it was written after the publisher's midnight.
    url_day = url_date(article.fetched_url or "")
    if url_day is not None and abs((url_day - date.fromisoformat(day)).days) == 1:
        return url_day.isoformat()
    # A page in a language spoken in one time zone: the day in that zone.
    zone = single_zone_of(page.language)
    if zone is not None:
        return instant.astimezone(zone).date().isoformat()
    return day


_OFFSET_WRITTEN_RE = re.compile(r"\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*[+-]\d{2}:?\d{2}\b")
_UTC_WRITTEN_RE = re.compile(r"\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]00:?00)\b", re.IGNORECASE)
_PICTURE_CREDIT_RE = re.compile(
    r"^\(?\s*(?:photo|photos|foto|fotos|image|images|bild|ảnh|credit|photograph|illustration|video)"
    r"\s*(?:credit)?\s*[:©]|^©|^\(?(?:getty images|afp|reuters|ap photo|dpa|imago|shutterstock)\b[^.]{0,40}$"
    # "Photo by Jane Doe on Unsplash", "Foto von Max Muster": a credit line in the stock sites' form
    r"|^(?:photo|image|picture|foto|bild)\s+(?:by|von|de|di)\s+[^.!?]{1,60}$",
    re.IGNORECASE,
)
MAX_CREDIT_CHARS = 100
# Words of a page's controls printed as lines of their own (a gallery's, an ad slot's).
_INTERFACE_RE = re.compile(
    r"^(?:caption|close|share|advertisement|anzeige|werbung|quảng cáo|publicité|publicidad|"
    r"like it\W*share it|share this(?: article| story| post)?|diesen artikel teilen|artikel teilen|"
    r"image \d+ of\s*/?\s*\d*|\d+\s*/\s*\d+|open gallery|view gallery|play video)\W*$",
    re.IGNORECASE,
)


# "Lesezeit: 3 Minuten", "Tempo de leitura: 2 minutos", "5 min read": the page's estimate, no text.
_READING_TIME_RE = re.compile(
    r"^(?:(?:reading time|read time|lesezeit|lesedauer|tempo de leitura|temps de lecture|tiempo de lectura|"
    r"tempo di lettura|leestijd|thời gian đọc)\s*:?\s*(?:ca\.\s*)?\d+\s*\w*"
    r"|\d+\s*(?:min|mins|minutes?|minuten)\.?\s*"
    r"(?:read|lesezeit|de lecture|de leitura|de lectura|di lettura))\W*$",
    re.IGNORECASE,
)


# The placeholder a consent manager prints where an embed (a tweet, a video, a chart) would be.
_EMBED_CONSENT_RE = re.compile(
    r"^(?:empfohlener redaktioneller inhalt|externer inhalt|externen inhalt anzeigen|"
    r"ich bin damit einverstanden, dass mir (?:der )?externe|"
    r"an dieser stelle finden sie (?:einen )?(?:von unseren redakteuren ausgewählten, )?externen inhalt|"
    r"recommended editorial content|external content|"
    r"i agree to (?:my|the) (?:data|personal data|external content)|contenu externe|contenido externo)",
    re.IGNORECASE,
)


def _lead_paragraph(description: str | None, first: list[str]) -> str | None:
    """The body paragraph that the page's description repeats, if one of the first two does."""
    if not description:
        return None
    wanted = _fold_for_compare(html.unescape(description)).rstrip(".…")
    if len(wanted) < 30:
        return None
    prefix = wanted[: max(30, int(len(wanted) * 0.8))]
    for paragraph in first:
        text = _fold_for_compare(paragraph)
        # The paragraph may open with a dateline the description leaves out ("BERLIN -- ").
        if 0 <= text.find(prefix) <= DATELINE_CHARS:
            return paragraph
    return None


DATELINE_CHARS = 40
COPIED_SHARE = 0.9  # of a description's words found in the body: it is the body's text


def _copies_body(description: str | None, paragraphs: list[str]) -> bool:
    """True for a description longer than the body's first paragraph and made of the body's words."""
    if not description or not paragraphs or len(description) <= 1.5 * len(paragraphs[0]):
        return False
    words = Counter(_WORD_RE.findall(html.unescape(description).lower()))
    body = Counter(_WORD_RE.findall(" ".join(paragraphs).lower()))
    total = sum(words.values())
    return total >= 40 and sum((words & body).values()) >= COPIED_SHARE * total


def _fold_for_compare(text: str) -> str:
    return _NON_WORD_RE.sub(" ", text.lower()).strip()


def _without_picture_lines(paragraphs: list[str], figures) -> list[str]:
    """The body without the lines that belong to its pictures.

    A line that repeats a figure's caption (a gallery prints it twice), a photo
    credit on a line of its own ("Photo: Gene J. Puskar", "(Image: Getty)"), and
    a paragraph printed a second time are not text.
    """
    captions = {clean_text(f.caption) for f in figures if f.caption}
    seen: set[str] = set()
    out = []
    for paragraph in paragraphs:
        if paragraph in captions:
            continue
        if len(paragraph) <= MAX_CREDIT_CHARS and _PICTURE_CREDIT_RE.match(paragraph):
            continue
        if len(paragraph) >= 40 and paragraph in seen:
            continue
        if len(paragraph) <= 24 and _INTERFACE_RE.match(paragraph):
            continue
        if len(paragraph) <= 40 and _READING_TIME_RE.match(paragraph):
            continue
        if len(paragraph) <= 400 and _EMBED_CONSENT_RE.match(paragraph):
            continue
        if len(paragraph) <= MAX_CONTACT_CHARS and _is_contact_card(paragraph):
            continue
        seen.add(paragraph)
        out.append(paragraph)
    return out


MAX_CONTACT_CHARS = 400
_PHONE_RE = re.compile(
    r"\b(?:tel|telefon|telephone|phone|fon|fax|mobil|mobile)\b\.?\s*:?\s*\+?\(?\d[\d /().-]{5,}",
    re.I,
)
_MAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|\be-?mail\b", re.I)


def _is_contact_card(paragraph: str) -> bool:
    """A name, an address, a telephone number and an e-mail in one short block: a contact card.

    Both the labelled number and the e-mail must be there: a story that quotes a hotline stays.
    """
    if "@" not in paragraph and "mail" not in paragraph.lower():
        return False  # the cheap test first: nearly every paragraph fails it
    return bool(_PHONE_RE.search(paragraph) and _MAIL_RE.search(paragraph))


PROSE_PARAGRAPH_CHARS = 100
FURNITURE_LINE_CHARS = 80
# "Weitere Informationen zum Coronavirus in Thüringen:" is a label; "Twitter seemed a bit confused
# by the campaign:" is a sentence, with a tweet after it.
LABEL_WORDS = 6
_SENTENCE_END_RE = re.compile(r"[.!?…\"'»)\]”“„:;。！？」』]$")


def _without_trailing_furniture(paragraphs: list[str]) -> list[str]:
    """The body without the short lines after its last paragraph of prose that are no sentence.

    "Comments", "Related Stories", "NEXT PREV", "Download Premium WordPress
    Themes Free", a rail's headlines: what a page prints under a story. Only
    after at least three paragraphs of prose, and only lines with no closing
    punctuation: a last sentence, a quote or "(Theo TTXVN)" stays.
    """
    prose = [k for k, p in enumerate(paragraphs) if len(p) >= PROSE_PARAGRAPH_CHARS]
    if len(prose) < 3:
        return paragraphs
    last = prose[-1]
    tail = [p for p in paragraphs[last + 1 :] if len(p) > FURNITURE_LINE_CHARS or _SENTENCE_END_RE.search(p)]
    out = paragraphs[: last + 1] + tail
    # A last line that ends in a colon announces what is not there ("Die Karte zum Abspeichern:",
    # "Download:"): a map, a widget or a file, not text.
    while len(out) > last + 1 and out[-1].endswith(":") and len(out[-1].split()) <= LABEL_WORDS:
        out.pop()
    return out


def _without_leading_tool_lines(paragraphs: list[str]) -> list[str]:
    """The body without the tools line printed above its text ("07:00 | 19/12/2025 In bài").

    Only lines before the first real paragraph, short, and mostly a date.
    """
    out = list(paragraphs)
    while out and len(out[0]) <= fields.DATE_LINE_CHARS:
        strings = find_date_strings(out[0])
        if not strings or sum(map(len, strings)) < fields.DATE_LINE_SHARE * len(out[0]):
            break
        out.pop(0)
    return out


def _is_date_line(paragraph: str, *dates) -> bool:
    return len(paragraph) <= 160 and paragraph in {d.raw for d in dates if d is not None}


_HEADLINE_LINKS = etree.XPath("count(//h2/a | //h3/a | //h4/a)")


def _shows_media(page, parts) -> bool:
    """The body holds a video or audio, or the page a player anywhere (a video story)."""
    return bool(parts and parts.has_media) or _has_player(page)


def _has_player(page) -> bool:
    """A video element or an embedded player anywhere on the page (a video story)."""
    if page.tagged("video"):
        return True
    return any(
        word in (frame.get("src") or "")
        for frame in page.tagged("iframe")
        for word in ("player", "youtube", "video")
    )


def _looks_like_listing(page, body: str | None) -> bool:
    """Many headline links and hardly any running text: a section or tag page.

    Sidebars and "more stories" rails give a real article dozens of headline
    links, so only a body shorter than a lead counts against it.
    """
    if body is not None and len(body) >= LISTING_MAX_BODY_CHARS:
        return False  # counting the headline links walks the whole page: only for a short body
    return int(_HEADLINE_LINKS(page.root)) >= 8


def _links(
    page, site, url: str, parts, article: Article, own=frozenset(), container=None, title_el=None
) -> list[Link]:
    collected = []
    if parts:
        # A link in the text to the page itself ("Xem phiên bản đầy đủ" on an AMP copy) is
        # no related story; a named box ("Nên xem") that lists the page keeps it as printed.
        collected += [
            ("related", *link) for link in parts.related_links if recognise.loose(link[0]) not in own
        ]
        collected += [("body", *link) for link in parts.body_links if recognise.loose(link[0]) not in own]
    related_strategy = HEURISTIC if collected else None
    site_boxes = []
    if site is not None:
        for css in site.related_box_selectors:
            for el in page.select(css):
                site_boxes += [("related", *link) for link in article_links(el, url)]
    if site_boxes:
        collected += site_boxes
        related_strategy = SITE
    elif container is not None:
        before = [("related", *link) for link in _related_before_body(container, title_el, url)]
        collected += before
        related_strategy = related_strategy or (HEURISTIC if before else None)
    named, named_strategy = find_named_blocks(page, site, url)
    in_named = {anchor for *_, anchor in named}
    # A story listed in a named box ("Tin khác") belongs to that box, not to "related" as well.
    collected = [item for item in collected if item[3] not in in_named] + named
    _in_document_order(collected)
    by_target: dict[tuple[str, str], Link] = {}
    for block, link_url, text, _anchor in collected:
        link = by_target.get((block, link_url))
        if link is None:
            by_target[(block, link_url)] = Link(block=block, url=link_url, anchor_text=text or None)
        elif not link.anchor_text and text:  # a thumbnail link first, its headline link after
            link.anchor_text = text
    links = list(by_target.values())
    strategies = {s for s in (related_strategy, named_strategy) if s}
    article.extraction["links"] = SITE if SITE in strategies else (HEURISTIC if strategies else NONE)
    if not links:
        article.missing["links"] = "no related-link blocks found"
    return links


def _in_document_order(collected: list) -> None:
    """Sort ``(block, url, text, anchor)`` items by their anchors' places in the page.

    Source lines order anchors that stand on lines of their own (most of them);
    anchors sharing a line (minified markup, lines past libxml2's count) are
    ordered by their paths down the tree, found for them alone rather than by
    numbering every anchor of the page.
    """
    lines = Counter(item[3].sourceline for item in collected)
    if None in lines:
        collected.sort(key=lambda item: _tree_path(item[3]))
        return
    shared = {line for line, count in lines.items() if count > 1}
    if not shared:
        collected.sort(key=lambda item: item[3].sourceline)
        return
    paths = {id(item[3]): _tree_path(item[3]) for item in collected if item[3].sourceline in shared}
    collected.sort(key=lambda item: (item[3].sourceline, paths.get(id(item[3]), ())))


def _tree_path(element) -> list[int]:
    """The child positions from the root down to ``element``: in document order when compared."""
    path = []
    parent = element.getparent()
    while parent is not None:
        path.append(parent.index(element))
        element, parent = parent, parent.getparent()
    path.reverse()
    return path


def _related_before_body(container, title_el, url: str) -> list:
    """The run of related titles printed between the lead and the body, outside the body's element.

    Blocks just before the body (its earlier siblings, back to the headline)
    that are nothing but links to other articles.
    """
    found = []
    for sibling in container.itersiblings(preceding=True):
        if sibling is title_el or not isinstance(sibling.tag, str):
            if sibling is title_el:
                break
            continue
        if title_el is not None and title_el in sibling.iterdescendants():
            break
        links = article_links(sibling, url)
        text = element_text(sibling)
        link_chars = sum(len(t) for _, t, _ in links)
        if links and link_chars >= RELATED_LINK_SHARE * len(text):
            found = links + found
    return found


def _identity(article: Article, meta, site: SiteProfile | None, url: str) -> None:
    """Canonical URL and article key: rel=canonical on the same site, else our canonical form.

    A canonical (or og:url) off the site's hosts, or for a page of no known
    site off the fetched page's own host, is ignored: a page elsewhere cannot
    claim the identity of a portal article by naming its URL.
    """
    chosen = None
    og_url = meta.first("og:url")
    own_host = urlsplit(url).netloc.lower()
    for candidate in (meta.canonical, og_url[1] if og_url else None):
        candidate = join_url(url, candidate) if candidate else None
        if not candidate:
            continue
        if site is None:
            if urlsplit(candidate).netloc.lower() == own_host:
                chosen = candidate
                break
        elif site.owns(candidate) and (article_key(candidate, site) or not article_key(url, site)):
            chosen = candidate
            break
    try:
        article.url = canonicalize(chosen or url, site)
    except ValueError:  # a canonical link the URL parser refuses: our own form of the fetched URL
        chosen = None
        article.url = canonicalize(url, site)
    article.extraction["canonical"] = METADATA if chosen else HEURISTIC
    if site is not None:
        article.article_key = article_key(article.url, site) or article_key(url, site)


def normalise_for_hash(text: str | None) -> str:
    """NFC, case kept, white space folded: markup and spacing changes do not count as edits."""
    if text and "\n\n" in text:
        # A body: clean paragraphs joined by blank lines. When joining them by spaces instead
        # leaves nothing to fold, that is the folded text (without splitting 10,000 words).
        joined = text.replace("\n\n", " ")
        if not joined.isascii():
            joined = unicodedata.normalize("NFC", joined)
        if is_folded(joined) and joined[0] != " " and joined[-1] != " ":
            return joined
    return clean_text(text)  # (clean_text composes to NFC itself)


def content_hash(article: Article) -> str:
    """sha256 over what a reader would call the article's content.

    ``modified_at`` is left out: a bumped "Cập nhật" stamp alone is not an edit.
    """
    captions = [f"{f.caption or ''}|{f.credit or ''}" for f in article.figures]
    parts = [
        article.title,
        article.sapo,
        article.body,
        "\n".join(captions),
        article.byline,
        article.published_at,
    ]
    joined = "\x1f".join(normalise_for_hash(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def story_hash(title: str | None, body: str | None) -> str | None:
    """sha256 of title and body folded hard (case, punctuation): the same story under a new URL."""
    if not body:
        return None
    folded = _NON_WORD_RE.sub(" ", f"{title or ''} {body}".lower()).strip()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


__all__ = ["EXTRACTOR_VERSION", "content_hash", "extract_article", "extract_or_explain", "story_hash"]
