"""Every expression used to find a field, in the order it is tried.

Each ``find_*`` function returns ``(value, strategy, element)`` or a miss
``(None, NONE, reason)``. The order per field is fixed here and nowhere else:

- title, sapo, byline, category, tags, body: site selectors, then what a
  reader sees (heuristics), then metadata. Metadata is last for these because
  CMSs fill it with SEO wording (a different headline, a truncated sapo) and
  the reader's text is what a researcher quotes.
- published_at, modified_at: site selectors, then metadata (machine-written,
  with seconds and a zone), then dates found by scanning the page header.
"""

from __future__ import annotations

import re
from datetime import datetime

import htmldate
from lxml import etree

from wardnews.dates import ParsedDate, find_date_strings, parse_date
from wardnews.extract import container, headline
from wardnews.extract.body import AUTHOR_WORDS, looks_like_byline
from wardnews.extract.links import ARTICLE_HREF_RE
from wardnews.extract.metadata import PageMetadata, jsonld_keywords, jsonld_people
from wardnews.extract.page import Page
from wardnews.extract.text import (
    class_tokens,
    class_words,
    clean_text,
    element_text,
    host_of,
    href_path,
    memo,
    tag_name,
    tokens_of,
)
from wardnews.items import HEURISTIC, METADATA, NONE, SITE
from wardnews.sites.base import SiteProfile

Found = tuple  # (value, strategy, element-or-reason)

# The whole title of an error page, not a phrase inside a headline ("... cho 404 cán bộ").
_NOT_FOUND_TITLE_RE = re.compile(
    r"^\W*(?:lỗi|error|fehler)?\s*(?:404|410)\b.{0,30}$"
    r"|^\W*(?:trang|bài viết|nội dung|đường dẫn|liên kết|page|seite)?\s*"
    r"(?:không tồn tại|không tìm thấy|not found|đã bị xóa|nicht gefunden|introuvable)\b.{0,40}$"
    r"|^\W*(?:lỗi truy cập|trang bạn tìm)",
    re.IGNORECASE,
)
SAPO_WORDS = frozenset(
    {
        "sapo",
        "lead",
        "description",
        "summary",
        "chapeau",
        "excerpt",
        "intro",
        "desc",
        "tomtat",
        "sapo_detail",
        "detail-sapo",
        "article__sapo",
    }
)
DATE_WORDS = frozenset(
    {
        "date",
        "time",
        "datetime",
        "publish",
        "published",
        "pubdate",
        "posted",
        "ngay",
        "ngaydang",
        "thoigian",
        "updated",
        "update",
        "capnhat",
        "meta",
        "post-date",
        "date-time",
        "tool",
        "info",
        "detail-time",
        "publication",
        "publishdate",
        "publish-date",
        "entry-date",
        "dateline",
    }
)
# A date line with no telling class: short, and mostly the date ("08:49 | 06/08/2021").
DATE_LINE_CHARS = 80
DATE_ELEMENT_CHILDREN = 8
FIRST_PARAGRAPH_CHARS = 100
DATE_LINE_SHARE = 0.4
LINES_BEFORE = 40
LINES_AFTER = 80
_MODIFIED_LABEL_RE = re.compile(
    r"(cập nhật|updated|sửa|chỉnh sửa|aktualisiert|geändert|modified|mis à jour|actualizado|atualizado|"
    r"aggiornato|bijgewerkt|zaktualizowano)[^0-9]{0,12}$",
    re.I,
)
TAG_BOX_WORDS = frozenset(
    {
        "tags",
        "tag",
        "tag-list",
        "taglist",
        "keywords",
        "keyword",
        "tags-links",
        "box-tag",
        "tag-box",
        "article-tags",
        "detail-tags",
    }
)
# One to five words of letters, no digits: a name as bylines print it (capitals checked apart).
_NAME_RE = re.compile(r"^(?:[^\W\d_][^\s\d]*)(?:\s+[^\W\d_][^\s\d]*){0,4}$")
COMMENT_WORDS = frozenset({"comment", "comments", "binhluan", "respond", "comment-list", "fb-comments"})
BREADCRUMB_SKIP = frozenset({"trang chủ", "home", "trang chu", "tin tức", ""})


def miss(reason: str) -> Found:
    return None, NONE, reason


def _first_css(page: Page, selectors) -> tuple[etree._Element, str] | None:
    """The first element of the first selector that matches, with text."""
    for css in selectors:
        for el in page.select(css):
            text = element_text(el)
            if text:
                return el, text
    return None


# -- title ---------------------------------------------------------------------
def find_title(page: Page, meta: PageMetadata, site: SiteProfile | None, boilerplate=None) -> Found:
    """The visible headline when the page has one, else what its metadata says (site name cut off)."""
    if site is not None:
        hit = _first_css(page, site.title_selectors)
        if hit:
            return hit[1], SITE, hit[0]
    host = host_of(page.url)
    names = list(meta.site_names)
    document_title = clean_text(" ".join(el.text or "" for el in page.tagged("title")[:1]))
    declared = [
        meta.ld_text("headline"),
        _meta_value(meta, "og:title"),
        _meta_value(meta, "twitter:title"),
        document_title,
    ]
    candidates = [
        el
        for el in headline.headline_candidates(page, names, host)
        if boilerplate is None or not boilerplate.is_boilerplate(element_text(el))
    ]
    visible = [element_text(el) for el in candidates]
    references = [headline.strip_site_name(t, names, host, visible + declared[:1]) for t in declared if t]
    references = [r for r in references if r and not headline.is_site_name(r, names, host)]
    chosen = headline.choose_headline(candidates, references)
    if chosen is not None:
        return headline.without_kicker(chosen, references), HEURISTIC, chosen
    titled = headline.titled_element(page, names, host, references, boilerplate)
    if titled is not None:
        return element_text(titled), HEURISTIC, titled
    for raw, strategy in zip(declared, _TITLE_STRATEGIES, strict=True):
        if not raw:
            continue
        value = headline.strip_site_name(raw, names, host, [r for r in references if r])
        if value and not headline.is_site_name(value, names, host):
            return value, strategy, _element_with_text(page, value)
    # Last: a <title> that reads like the site's name ("Axios Future" on axios.com) rather than
    # none; a home page or a listing with such a title is refused by its content anyway.
    if document_title:
        return headline.strip_site_name(document_title, names, host) or document_title, HEURISTIC, None
    return miss("no h1, JSON-LD headline, og:title or <title>")


_TITLE_STRATEGIES = (METADATA, METADATA, METADATA, HEURISTIC)


def _element_with_text(page: Page, text: str):
    """The heading that prints ``text`` (a headline in an h2 or a titled div), for the fields near it."""
    for el in page.tagged("h2", "h3"):
        if headline.similarity(element_text(el), text) >= 0.9 and not headline.in_site_chrome(el):
            return el
    return None


def strip_site_suffix(title: str, site_names=(), host: str | None = None) -> str:
    """``"Tin A | Báo Lao động Thủ đô"`` -> ``"Tin A"`` (see ``headline.strip_site_name``)."""
    return headline.strip_site_name(title, site_names, host) or title


def is_error_page(title: str | None) -> bool:
    """True for the title of a "page not found" page served with status 200."""
    return bool(title) and bool(_NOT_FOUND_TITLE_RE.search(title))


def error_heading(page: Page, title: str | None) -> str | None:
    """The error message a "not found" page served with status 200 shows as its headline.

    The chosen title, the document ``<title>`` and every ``<h1>`` are read: a soft
    404 often keeps the site's default metadata and says "404" only in its headings.
    """
    document_title = clean_text(" ".join(el.text or "" for el in page.tagged("title")[:1]))
    for text in (title, document_title, *(element_text(h1) for h1 in page.tagged("h1"))):
        if is_error_page(text):
            return text
    return None


# -- sapo ----------------------------------------------------------------------
def find_sapo(page: Page, meta: PageMetadata, site: SiteProfile | None, title_el, boilerplate=None) -> Found:
    if site is not None:
        hit = _first_css(page, site.sapo_selectors)
        if hit:
            return hit[1], SITE, hit[0]
    candidates = [
        el
        for el, tokens in page.classed
        if tokens & SAPO_WORDS
        and tag_name(el) in ("p", "h2", "div", "span", "h3", "strong")
        and not tokens & BIO_WORDS  # "author-description", "bio-desc": the writer's bio
        and not in_comments(el)
        and not _in_aside(el)
        and not _PICTURE_INSIDE(el)  # a "lead-asset" block is the lead picture and its caption
    ]
    for el in after(page, candidates, title_el):
        text = element_text(el)
        if 40 <= len(text) <= 1500 and not (boilerplate and boilerplate.is_boilerplate(text)):
            return text, HEURISTIC, el
    if title_el is not None:
        for sibling in list(title_el.itersiblings())[:4]:
            if tag_name(sibling) in ("h2", "p"):
                text = element_text(sibling)
                if 60 <= len(text) <= 1500:
                    return text, HEURISTIC, sibling
    for value in (
        meta.ld_text("description"),
        _meta_value(meta, "og:description", "description", "twitter:description"),
    ):
        if value and len(value) >= 20:
            return value, METADATA, None
    return miss("no sapo element and no description metadata")


BIO_WORDS = AUTHOR_WORDS | {"bio", "biography", "author-bio", "authorbio"}
_PICTURE_INSIDE = etree.XPath("boolean(descendant-or-self::figure | descendant::img | descendant::picture)")


def _in_aside(el) -> bool:
    """Inside a sidebar, a widget, a teaser of another story or a cookie dialog: not this sapo."""
    if class_tokens(el) & container.CONSENT_WORDS:
        return True  # its own "teaser" or "summary" class may well name the lead: only a dialog counts
    for ancestor in el.iterancestors():
        if tag_name(ancestor) in ("body", "html"):
            break
        tokens = class_tokens(ancestor)
        tag = tag_name(ancestor)
        if "-" in tag:
            tokens = tokens | tokens_of(tag)  # a custom element named for what it is (<ps-newsletter-module>)
        if (
            tag in container.ASIDE_TAGS
            or tokens & container.PENALTY_WORDS
            or tokens & container.CONSENT_WORDS
            or tokens & BIO_WORDS  # the writer's box ("author-bio"): a bio, not the lead
        ):
            return True
    return False


def _meta_value(meta: PageMetadata, *keys: str) -> str | None:
    found = meta.first(*keys)
    return found[1] if found else None


# -- body container ------------------------------------------------------------
def find_body_container(
    page: Page, site: SiteProfile | None, include_hidden: bool = False, title_el=None
) -> Found:
    """``(element, strategy, [sibling blocks that continue it])`` or a miss."""
    if site is not None:
        for css in site.body_selectors:
            found = page.select(css)
            if found:
                return found[0], SITE, []
    area = container.find_body_area(page, include_hidden, title_el)
    if area is not None:
        return area.main, HEURISTIC, area.continued
    return miss("no element holds the article's paragraphs")


# -- dates ---------------------------------------------------------------------
# <meta> names of the publication date, in the order tried (property, name or itemprop, lower case).
PUBLISHED_META_KEYS = (
    "article:published_time",
    "article:published:time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_time",
    "og:published_time",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dc:date",
    "dcterms.date",
    "citation_publication_date",
    "citation_date",
    "bepress_citation_date",
    "prism.publicationdate",
    "displaydate",
    "originalpublicationdate",
    "datecreated",
    "date",
    "article:published",
)
_ITEMPROP_PUBLISHED = etree.XPath("//*[@itemprop='datePublished' or @itemprop='dateCreated']")


def _microdata_date(page: Page, now: datetime) -> Found | None:
    """``itemprop="datePublished"`` on an element of the page (its datetime, content or text)."""
    for el in _ITEMPROP_PUBLISHED(page.root):
        if tag_name(el) == "meta":
            continue  # read with the other <meta>
        for raw in (el.get("datetime"), el.get("content"), element_text(el)):
            parsed = parse_date(raw, now=now) if raw and len(raw) <= 160 else None
            if parsed:
                return parsed, METADATA, el
    return None


def find_dates(
    page: Page,
    meta: PageMetadata,
    site: SiteProfile | None,
    now: datetime,
    body_el: etree._Element | None,
    title_el: etree._Element | None = None,
    boilerplate=None,
) -> tuple[Found, Found]:
    """(published, modified), each ``(ParsedDate, strategy, raw-element)`` or a miss."""
    published: Found | None = None
    modified: Found | None = None
    if site is not None:
        for css in site.date_selectors:
            for el in page.select(css):
                pub, mod = _dates_in_text(element_text(el), now)
                published = published or (pub and (pub, SITE, el))
                modified = modified or (mod and (mod, SITE, el))
            if published or modified:
                break
    if published is None:
        for key in ("datePublished", "dateCreated"):
            raw = meta.ld(key)
            parsed = parse_date(raw, now=now) if isinstance(raw, str) else None
            if parsed:
                published = (parsed, METADATA, None)
                break
    if published is None:
        for key in PUBLISHED_META_KEYS:
            found = meta.first(key)
            parsed = parse_date(found[1], now=now) if found else None
            if parsed:
                published = (parsed, METADATA, None)
                break
    if published is None:
        published = _microdata_date(page, now)
    if modified is None:
        raw = meta.ld("dateModified")
        parsed = parse_date(raw, now=now) if isinstance(raw, str) else None
        if parsed is None:
            found = meta.first(
                "article:modified_time", "og:updated_time", "datemodified", "lastmod", "last-modified"
            )
            parsed = parse_date(found[1], now=now) if found else None
        if parsed:
            modified = (parsed, METADATA, None)
    # Where the site's own selectors found the date, they know the layout: no scan for more.
    site_found = published is not None and published[1] == SITE
    if published is None or (modified is None and not site_found):
        pub, mod = _dates_in_header(page, now, body_el, title_el, boilerplate)
        if published is None and pub:
            published = pub
        if modified is None and mod:
            modified = mod
    return (
        published or miss("no date in the page's header, metadata or date elements"),
        modified or miss("the page shows no modification date"),
    )


def _dates_in_text(text: str, now: datetime) -> tuple[ParsedDate | None, ParsedDate | None]:
    """Published and modified dates in one line such as ``Cập nhật: … | Đăng: …``."""
    published = modified = None
    cursor = 0
    for raw in find_date_strings(text):
        index = text.find(raw, cursor)
        before = text[max(0, cursor if index < 0 else index - 30) : max(index, 0)]
        cursor = index + len(raw) if index >= 0 else cursor
        parsed = parse_date(raw, now=now)
        if parsed is None:
            continue
        parsed = ParsedDate(parsed.value, clean_text(text), parsed.has_time, parsed.method)
        if _MODIFIED_LABEL_RE.search(before) or raw.lower().startswith("cập nhật"):
            modified = modified or parsed
        else:
            published = published or parsed
    return published, modified


def _dates_in_header(
    page: Page, now: datetime, body_el, title_el, boilerplate=None
) -> tuple[Found | None, Found | None]:
    """Dates in the innermost date-like elements outside the body, those after the title first."""
    candidates = []
    # Only elements a date could be in, then in document order (sorting them all is the cost).
    marked = {el: class_tokens(el) for el in page.marked_with(DATE_WORDS.intersection)}
    marked.update((el, tokens) for el, tokens in page.propertied if _date_attribute(el))
    marked = [(el, tokens) for el, tokens in marked.items() if tag_name(el) != "time"]
    times = [(el, set()) for el in page.tagged("time")]
    for el, tokens in sorted(marked + times, key=lambda pair: page.order[pair[0]]):
        if len(el) > DATE_ELEMENT_CHILDREN:
            continue  # a wrapper ("post-meta" around a whole header), not a date line
        if (body_el is not None and _inside(el, body_el) and not _before_text(page, el, body_el)) or (
            in_comments(el) or beside_other_story(el)
        ):
            continue
        raw_attr = el.get("datetime") if tag_name(el) == "time" else None
        if raw_attr:
            parsed = parse_date(raw_attr, now=now)
            found = (parsed, None) if parsed else (None, None)
        else:
            text = element_text(el)
            found = _dates_in_text(text, now) if text and len(text) <= 160 else (None, None)
        if found[0] is not None and found[1] is None and says_modified(el, tokens):
            found = (None, found[0])
        if found != (None, None):
            candidates.append((el, found))
    seen = {el for el, _ in candidates}
    for el in _lines_near(page, title_el):
        inside = body_el is not None and _inside(el, body_el) and not _before_text(page, el, body_el)
        if el in seen or inside or in_comments(el):
            continue
        text = element_text(el)
        strings = find_date_strings(text)
        if strings and sum(map(len, strings)) >= DATE_LINE_SHARE * len(text):
            found = _dates_in_text(text, now)
            if found != (None, None):
                candidates.append((el, found))
    candidates.sort(key=lambda pair: page.order.get(pair[0], 0))
    scope = article_scope(title_el, body_el)
    if scope is not None:
        candidates = [(el, f) for el, f in candidates if _inside(el, scope)]
    candidates = [(el, f) for el, f in candidates if not is_masthead_date(page, el, f, title_el, now)]
    if boilerplate:  # the masthead's "today" learnt from the site's pages
        candidates = [(el, f) for el, f in candidates if not boilerplate.is_boilerplate(element_text(el))]
    holders = {el for el, _ in candidates}
    innermost = [(el, f) for el, f in candidates if not any(d in holders for d in el.iterdescendants())]
    published = modified = None
    ranked = nearest_first(page, [el for el, _ in innermost], title_el)
    by_element = dict(innermost)
    for el in ranked:
        pub, mod = by_element[el]
        published = published or (pub and (pub, HEURISTIC, el))
        modified = modified or (mod and (mod, HEURISTIC, el))
    return published, modified


_MODIFIED_WORDS = ("updated", "modified", "lastmod", "aktualisiert", "geaendert", "actualizado", "mis-a-jour")


def says_modified(el, tokens=frozenset()) -> bool:
    """True for a date element the page marks as its update date, not its publication date.

    ``itemprop="dateModified"``, a class such as ``updated`` or ``date-modified``
    (the hAtom ``updated`` beside ``published``), or a label just before it
    ("Aktualisiert am", "Updated").
    """
    if (el.get("itemprop") or "").lower() == "datemodified":
        return True
    if not tokens:
        tokens = class_tokens(el)
    if any(word in token for token in tokens for word in _MODIFIED_WORDS) and not any(
        "publish" in token for token in tokens
    ):
        return True
    previous = el.getprevious()
    if previous is not None:
        before = f"{element_text(previous)} {previous.tail or ''}"
    else:
        parent = el.getparent()
        before = (parent.text or "") if parent is not None else ""
    return bool(_MODIFIED_LABEL_RE.search(clean_text(before)[-40:]))


def _before_text(page: Page, el, body_el) -> bool:
    """True for an element of the body's element printed before its first paragraph (a tools line)."""
    first = memo("first_paragraph", body_el, _first_paragraph)
    return first is None or page.order.get(el, 0) < page.order.get(first, 0)


def _first_paragraph(body_el):
    for p in body_el.iter("p"):
        if len(element_text(p)) >= FIRST_PARAGRAPH_CHARS:
            return p
    return None


def _lines_near(page: Page, title_el) -> list:
    """Short elements just before and after the headline: where a date line with no telling class sits."""
    if title_el is None:
        return []
    position = page.order.get(title_el)
    if position is None:
        return []
    window = page.elements[max(0, position - LINES_BEFORE) : position + LINES_AFTER]
    return [
        el
        for el in window
        if el is not title_el and len(el) <= 6 and len(element_text(el)) <= DATE_LINE_CHARS
    ]


def is_masthead_date(page: Page, el, found, title_el, now: datetime) -> bool:
    """The site header's "today" (``Thứ Hai, 22/12/2025``): never the article's date.

    Printed before the headline, outside the headline's own block (its parent and
    grandparent), and within a day of the fetch: the date of the day the page was
    served, not of the story.
    """
    if title_el is None or page.order.get(el, 0) > page.order.get(title_el, 0):
        return False
    block = title_el.getparent()
    block = block.getparent() if block is not None and block.getparent() is not None else block
    if block is not None and _inside(el, block) and tag_name(block) not in ("body", "html"):
        return False
    days = {d.value.date() for d in found if d is not None}
    return bool(days) and all(abs((day - now.date()).days) <= 1 for day in days)


_DIGIT_RE = re.compile(r"\d")


def masthead_days(page: Page, title_el, now: datetime) -> set:
    """Days printed before the headline, outside its block, within a day of the fetch (the "today")."""
    if title_el is None:
        return set()
    days = set()
    for el in page.root.iter(etree.Element):
        if el is title_el:
            break
        if el.tag in ("script", "style"):
            continue
        text = f"{el.text or ''} {el.tail or ''}"
        if not _DIGIT_RE.search(text):
            continue
        for raw in find_date_strings(clean_text(text)):
            parsed = parse_date(raw, now=now)
            if parsed and is_masthead_date(page, el, (parsed,), title_el, now):
                days.add(parsed.value.date())
    return days


def _in_boilerplate(parsed, boilerplate) -> bool:
    """True when a text learnt as boilerplate (the masthead) prints the same day."""
    if not boilerplate:
        return False
    for text in boilerplate.texts:
        for raw in find_date_strings(text) if any(ch.isdigit() for ch in text) else ():
            found = parse_date(raw)
            if found is not None and found.value.date() == parsed.value.date():
                return True
    return False


YEAR_REACH = 20  # a numeric date reaches at most 14 characters from its year, and one more to look at


def day_is_written(text: str, day) -> bool:
    """True when ``text`` (a page's HTML) prints ``day`` with its day, month and year.

    htmldate turns a bare "© 2025" into 2025-01-01; a day the page never writes
    is a guess, and a guess is not a date.
    """
    y, m, d = day.year, day.month, day.day
    numeric = (
        rf"{y}\D{{1,3}}0?{m}\D{{1,3}}0?{d}(?!\d)",
        rf"(?<!\d)0?{d}\D{{1,3}}0?{m}\D{{1,3}}{y}",
        rf"(?<!\d)0?{m}/0?{d}/{y}",
        rf"{y}{m:02d}{d:02d}",
    )
    # Every numeric form holds the year: only the text around each year is searched (a page's
    # HTML is long), in spans kept apart by more non-digits than a separator may hold.
    spans: list[list[int]] = []
    year, at = str(y), text.find(str(y))
    while at >= 0:
        start, end = max(0, at - YEAR_REACH), at + len(year) + YEAR_REACH
        if spans and start <= spans[-1][1]:
            spans[-1][1] = end
        else:
            spans.append([start, end])
        at = text.find(year, at + 1)
    near_years = "\x00\x00\x00\x00".join(text[start:end] for start, end in spans)
    if any(re.search(pattern, near_years) for pattern in numeric):
        return True
    windows = []
    at = text.find(str(y))
    while at >= 0 and len(windows) < 200:
        windows.append(text[max(0, at - 40) : at + 24])
        at = text.find(str(y), at + 4)
    for raw in find_date_strings(" | ".join(windows)):
        parsed = parse_date(raw)
        if parsed is not None and parsed.value.date() == day:
            return True
    return False


def written_instants(page: Page, meta_values: bool = True) -> list[str]:
    """Every machine-written date string of the page: <meta> values and ``<time datetime>``."""
    found = [t.get("datetime") for t in page.tagged("time") if t.get("datetime")]
    if meta_values:
        found += [
            m.get("content") for m in page.tagged("meta") if m.get("content") and ":" in m.get("content")
        ]
    return [clean_text(raw) for raw in found if raw and len(raw) <= 40]


def find_library_date(page: Page, now: datetime, title_el, boilerplate=None) -> Found:
    """The publication day as htmldate finds it: the last voice, for a page where ours found none.

    htmldate reads URL dates, <meta> and JSON-LD variants we do not, and
    free-text dates; it gives a day, not a time. Its answer is refused when
    it is the site header's "today".
    """
    text = page.text or ""
    if not text.lstrip().startswith("<"):
        return miss("htmldate reads HTML only")  # a bare URL would make it download the page
    found = htmldate.find_date(
        text,
        url=page.url,
        original_date=True,
        extensive_search=True,
        max_date=now.date().isoformat(),
    )
    if not found:
        return miss("htmldate found no date either")
    parsed = parse_date(found, now=now)
    if parsed is None:
        return miss(f"htmldate's date {found} is not plausible")
    if not day_is_written(text, parsed.value.date()):
        return miss(f"htmldate's date {found} is not written on the page (a year alone, a guess)")
    if parsed.value.date() in masthead_days(page, title_el, now) or _in_boilerplate(parsed, boilerplate):
        return miss(f"htmldate's date {found} is the site header's date of the day")
    return ParsedDate(parsed.value, found, False, "htmldate"), HEURISTIC, None


def article_scope(title_el, body_el):
    """The smallest element holding both the headline and the body: the article itself.

    A date outside it (the site header's "today", a sidebar) is not the article's.
    None when either is unknown or the scope would be the whole page.
    """
    if title_el is None or body_el is None:
        return None
    body_ancestors = set(body_el.iterancestors()) | {body_el}
    for ancestor in title_el.iterancestors():
        if ancestor in body_ancestors:
            return None if tag_name(ancestor) in ("body", "html") else ancestor
    return None


def _date_attribute(el) -> bool:
    marker = f"{el.get('itemprop') or ''} {el.get('data-role') or ''}".lower()
    return "date" in marker or "time" in marker


def in_comments(el) -> bool:
    """True inside a comment thread: its dates and names are the readers', not the article's."""
    return memo("in_comments", el, _in_comments)


def _in_comments(el) -> bool:
    parent = el.getparent()
    if parent is None:
        return False
    return bool(class_tokens(parent) & COMMENT_WORDS) or in_comments(parent)


def after(page: Page, elements: list, reference) -> list:
    """The ``elements`` that come after ``reference`` (the title) in the document."""
    if reference is None or not elements:
        return list(elements)
    order = page.order
    return [el for el in elements if order.get(el, -1) > order.get(reference, -1)]


def nearest_first(page: Page, elements: list, reference) -> list:
    """``elements`` by their distance from ``reference`` (the title) in document order.

    A page's own date and byline sit next to its headline; the site header's
    "today" date and the dates of other stories sit further away.
    """
    if reference is None or not elements:
        return list(elements)
    order = page.order
    ref = order.get(reference, 0)
    return sorted(elements, key=lambda el: (abs(order.get(el, 0) - ref), order.get(el, 0)))


def beside_other_story(el) -> bool:
    """True for a date printed next to another article's headline link (a list of stories)."""
    own_links = {a for a in el.iterancestors("a")}  # a permalink around the page's own date
    for ancestor in list(el.iterancestors())[:4]:
        if len(element_text(ancestor)) > 400:
            break
        for anchor in ancestor.iter("a"):
            path = href_path(anchor.get("href"))  # not a share link's query
            if anchor not in own_links and ARTICLE_HREF_RE.search(path):
                return True
    return False


def _inside(el, container) -> bool:
    return any(ancestor is container for ancestor in el.iterancestors()) or el is container


# -- byline, category, tags ----------------------------------------------------
def find_site_byline(page: Page, site: SiteProfile | None) -> Found:
    if site is not None:
        hit = _first_css(page, site.byline_selectors)
        if hit:
            return hit[1], SITE, hit[0]
    return miss("site byline selectors matched nothing")


def _names_fn(tokens) -> bool:
    return "fn" in tokens


def _marked_authors(page: Page) -> list:
    """Elements the page marks as its author: ``itemprop=author``, ``rel=author``, an hCard's ``fn``."""
    found = [el for el, _ in page.propertied if (el.get("itemprop") or "").lower() == "author"]
    for el in page.marked_with(_names_fn):
        if any("vcard" in class_tokens(a) for a in el.iterancestors()):
            found.append(el)  # an hCard's formatted name
    found += [a for a in page.tagged("a") if "author" in (a.get("rel") or "").lower().split()]
    return sorted(set(found), key=page.order.__getitem__)


_ITEMPROP_NAME = etree.XPath(".//*[@itemprop='name']")
MAX_AUTHOR_LINES = 6
MAX_AUTHOR_ELEMENTS = 12  # the author-marked elements nearest the headline that are read


def author_lines(page: Page, title_el, body_el) -> list[tuple[str, etree._Element]]:
    """Printed lines that may be the byline, best first.

    Marked as the author by the page's own standards first (microdata
    ``itemprop=author``, ``rel=author``, an hCard's ``fn``), then elements whose
    class names an author, nearest the headline first, then a header line such
    as "Lê Thắm 11:24 | 01/07/2025" (the name printed before the date).
    """
    lines: list[tuple[str, etree._Element]] = []
    marked = [el for el in _marked_authors(page) if not in_comments(el)]
    for el in nearest_first(page, marked, title_el):
        names = _ITEMPROP_NAME(el)
        text = " , ".join(element_text(n) for n in names) if names else element_text(el)
        text = _before_date(text)
        if text and len(text) <= 120:
            lines.append((text, el))
    candidates = [el for el in page.marked_with(AUTHOR_WORDS.intersection) if not in_comments(el)]
    for el in nearest_first(page, candidates, title_el)[:MAX_AUTHOR_ELEMENTS]:
        text = element_text(el)
        if len(text) > 300:
            continue  # a whole author box or article, not a byline
        # "Nội dung: Minh Thu" / "Ảnh: Hải Linh" on lines of their own: each line is a candidate.
        rows = [c for c in el if tag_name(c) in ("p", "div", "li", "span")] if len(el) > 1 else []
        for line in [element_text(c) for c in rows] if len(rows) > 1 else [text]:
            line = _before_date(line)
            if line and looks_like_byline(line, tokens=class_tokens(el)):
                lines.append((line, el))
        if len(lines) >= MAX_AUTHOR_LINES:
            break
    date_lines = [el for el in page.marked_with(DATE_WORDS.intersection) if not in_comments(el)]
    scope = article_scope(title_el, body_el)
    for el in nearest_first(page, date_lines, title_el)[:MAX_AUTHOR_ELEMENTS]:
        if scope is not None and not _inside(el, scope):
            continue
        text = element_text(el)
        dates = find_date_strings(text) if len(text) <= 120 else []
        if dates:
            name = clean_text(text[: text.find(dates[0])]).rstrip(" |-–,")
            if _NAME_RE.match(name) and all(word[0].isupper() for word in name.split()):
                lines.append((name, el))
                break
    seen: set[str] = set()
    unique = []
    for text, el in lines:
        if text not in seen:
            seen.add(text)
            unique.append((text, el))
    return unique[:MAX_AUTHOR_LINES]


def _before_date(text: str) -> str:
    """``"Lê Thắm 11:24 | 01/07/2025"`` -> ``"Lê Thắm"``: the name is what precedes the date."""
    dates = find_date_strings(text)
    if dates:
        text = clean_text(text[: text.find(dates[0])]).rstrip("|-–,")
    return clean_text(text)


def find_author_element_byline(page: Page, title_el, body_el) -> Found:
    """The first of ``author_lines``."""
    lines = author_lines(page, title_el, body_el)
    if lines:
        return lines[0][0], HEURISTIC, lines[0][1]
    return miss("no author element")


def find_metadata_byline(meta: PageMetadata) -> Found:
    people = jsonld_people(meta.ld("author"))
    if people:
        return " - ".join(people), METADATA, None
    declared = meta_author(meta)
    if declared:
        return declared, METADATA, None
    return miss("no byline line and no author metadata")


META_AUTHOR_KEYS = (
    "author",
    "article:author",
    "dc.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
    "twitter:misc:written by",
    "cxenseparse:author",
)


def meta_author(meta: PageMetadata) -> str | None:
    """The writer a <meta> declares, the first that is a name (not an address or a profile URL).

    Besides the usual keys, the pair ``twitter:labelN = "Written by"`` /
    ``twitter:dataN`` that SEO plugins write for the author.
    """
    for key in META_AUTHOR_KEYS:
        found = meta.first(key)
        if found and not _ADDRESS_RE.search(found[1]):
            return found[1]
    for n in range(1, 5):
        label = clean_text(meta.meta.get(f"twitter:label{n}")).casefold()
        value = clean_text(meta.meta.get(f"twitter:data{n}"))
        if label in ("written by", "geschrieben von", "écrit par", "escrito por") and value:
            return value
    return None


_ADDRESS_RE = re.compile(r"^https?:|^//|^www\.|\S@\S")


def find_category(
    page: Page, meta: PageMetadata, site: SiteProfile | None, title: str | None, title_el=None
) -> Found:
    if site is not None:
        for css in site.breadcrumb_selectors:
            name = _last_crumb([element_text(el) for el in page.select(css)], title)
            if name:
                return name, SITE, None
    name = _last_crumb([element_text(a) for a in _breadcrumb_links(page)], title)
    if not name:
        name = _last_crumb([element_text(a) for a in _breadcrumb_by_shape(page, title_el)], title)
    if name:
        return name, HEURISTIC, None
    found = meta.first("article:section")
    if found:
        return found[1], METADATA, None
    section = meta.ld_text("articleSection")
    if section:
        return section, METADATA, None
    name = _last_crumb(meta.jsonld_breadcrumb, title)
    if name:
        return name, METADATA, None
    return miss("no breadcrumb and no section metadata")


def _names_a_crumb(tokens) -> bool:
    """A class or id with "crumb" in it, in any case ("breadcrumb", "BreadCrumbs", "crumbs")."""
    return any("crumb" in token for token in tokens)


def _breadcrumb_links(page: Page) -> list:
    """Links of the page's breadcrumb (a class or id naming a crumb, a BreadcrumbList, a nav so labelled)."""
    trails = page.marked_with(_names_a_crumb)
    trails += [el for el in page.itemtyped if "BreadcrumbList" in el.get("itemtype", "")]
    trails += [nav for nav in page.tagged("nav") if "readcrumb" in (nav.get("aria-label") or "")]
    links: dict = {}
    for trail in trails:
        for a in trail.iter("a"):
            links[a] = None
    return sorted(links, key=page.order.__getitem__)


_CRUMB_SEPARATORS_RE = re.compile(r"^[\s»›>/|\\·•→-]*$")
MAX_CRUMBS = 6


def _breadcrumb_by_shape(page: Page, title_el) -> list:
    """A breadcrumb with no telling class: a short row of short links that starts at the home page
    ("Trang chủ » Thời sự » Địa phương"), printed before the headline, separators between."""
    if title_el is None:
        return []
    title_at = page.order.get(title_el, 0)
    rows = []
    for anchor in page.tagged("a"):
        if page.order.get(anchor, 0) >= title_at:
            break
        path = href_path(anchor.get("href"))
        if path not in ("", "/") or not anchor.get("href"):
            continue
        row = anchor.getparent()
        if row is None or row in rows or tag_name(row) in ("body", "html"):
            continue
        links = list(row.iter("a"))
        if not 2 <= len(links) <= MAX_CRUMBS or links[0] is not anchor:
            continue
        if any(len(element_text(a)) > 40 or not element_text(a) for a in links):
            continue
        loose = element_text(row)
        for a in links:
            loose = loose.replace(element_text(a), "", 1)
        if _CRUMB_SEPARATORS_RE.match(loose):
            rows.append(row)
    return list(rows[-1].iter("a")) if rows else []


def _last_crumb(names: list[str], title: str | None) -> str | None:
    names = [n for n in names if n.lower() not in BREADCRUMB_SKIP and n != title]
    return names[-1] if names else None


def find_tags(page: Page, meta: PageMetadata, site: SiteProfile | None, body_el=None) -> Found:
    if site is not None:
        for css in site.tag_selectors:
            tags = _unique(element_text(el) for el in page.select(css))
            if tags:
                return tags, SITE, None
    rel_tags = [
        a
        for a in page.tagged("a")
        if "tag" in (a.get("rel") or "").split() and "category" not in (a.get("rel") or "")
    ]
    for anchors in (_tag_box_links(page), rel_tags, _tag_row_after(body_el)):
        tags = _unique(element_text(a) for a in anchors)
        if tags:
            return tags, HEURISTIC, None
    tags = _unique(clean_text(v) for v in meta.meta_all.get("article:tag", []))
    if not tags:
        tags = _unique(jsonld_keywords(meta.ld("keywords")))
    if tags:
        return tags, METADATA, None
    return miss("no tag links and no article:tag or keywords metadata")


def _tag_box_links(page: Page) -> list:
    """Links inside an element whose class or id says it holds tags."""
    links: dict = {}
    for el, tokens in page.classed:
        # Whole class words are among the tokens: the set test (in C) passes over nearly all.
        if not tokens.isdisjoint(TAG_BOX_WORDS) and class_words(el) & TAG_BOX_WORDS and not in_comments(el):
            for a in el.iter("a"):
                links.setdefault(a, None)
    return list(links)


def _tag_row_after(body_el) -> list:
    """A row of short topic links right after the body (a tags box with no telling class).

    The first three blocks after the body are looked at, in order; a block with
    a label before its links ("Dòng sự kiện: …", an event, not the tags) is passed over.
    """
    if body_el is None:
        return []
    for sibling in list(body_el.itersiblings())[:3]:
        anchors = list(sibling.iter("a")) if isinstance(sibling.tag, str) else []
        if not anchors:
            continue
        texts = [element_text(a) for a in anchors]
        loose = len(element_text(sibling)) - sum(len(t) for t in texts)
        if (
            all(0 < len(t) <= 60 for t in texts)
            and loose <= 12
            and not any(ARTICLE_HREF_RE.search(a.get("href") or "") for a in anchors)
        ):
            return anchors
    return []


def _unique(values) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        text = clean_text(value).lstrip("#").strip()
        if text and text.lower() not in ("tags", "tags:", "từ khóa", "từ khóa:"):
            seen.setdefault(text, None)
    return list(seen)
