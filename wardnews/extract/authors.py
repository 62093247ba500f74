"""From a byline as printed to the people who wrote the story, in any language the pages use.

A byline line carries more than names: a label ("By", "Von", "Par", "Bài và
ảnh:"), roles and titles ("News Reporter", "Redakteur"), the outlet ("| Fox
News", "For Dailymail.Com"), an agency credit ("(Theo TTXVN)", "dpa"), a
date, links to follow the writer. ``read_byline`` keeps the people as
``authors`` and an agency or outlet credited for the text as ``source``. What
is not a byline at all (a weekday, a date, a photo credit, the publisher's
name, a role label, "Share") gives no authors, so the field stays NULL.

``choose`` decides between what the page prints and what its metadata
declares (JSON-LD ``author``, ``<meta name=author>``): the printed form when
both name the same people, the declared people when they disagree (a page's
author element is often a quoted expert's box or a photo credit; its JSON-LD
is written by the CMS from the article's own record).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from wardnews.extract.byline import ROLE_LABEL_RE, split_byline
from wardnews.extract.headline import fold
from wardnews.extract.text import clean_text

# Agencies credited for a story: a source, not a writer ("(Theo TTXVN)", "Von dpa").
AGENCIES = frozenset(
    {
        "ttxvn",
        "vna",
        "ap",
        "associated press",
        "the associated press",
        "reuters",
        "afp",
        "agence france-presse",
        "dpa",
        "deutsche presse-agentur",
        "sda",
        "keystone-sda",
        "apa",
        "kna",
        "epd",
        "sid",
        "efe",
        "ansa",
        "europa press",
        "xinhua",
        "anadolu ajansı",
        "anadolu agency",
        "aa",
        "yonhap",
        "kyodo",
        "pa",
        "pa media",
        "bloomberg",
        "upi",
        "tass",
        "interfax",
        "lusa",
        "belga",
        "ntb",
        "tt",
        "ritzau",
        "ctk",
        "čtk",
        "pap",
    }
)
# Words before the names that say "written by".
_LEAD_RE = re.compile(
    r"^(?:(?:[^\s]+\s){0,2}?(?:by|By|BY)\s*:?\s+"
    r"|(?:von|vom|par|por|di|door|av|af|od|text|texte|autor|autorin|author|auteur|"
    r"written by|posted by|eingestellt von|publicado por|escribe|erstellt von|veröffentlicht von|"
    r"ein kommentar von|ein gastbeitrag von|ein interview von|reporting by|redaktion)\s*:?\s+)",
    re.IGNORECASE,
)
# What a line credits that is not a writer: a photo, a video, a graphic.
_NOT_WRITER_RE = re.compile(
    r"^(?:foto|fotos|photo|photos|bild|bilder|video|grafik|illustration|ảnh|image|images|"
    r"credit|crédit|crédits)\b",
    re.IGNORECASE,
)
_SOURCE_LABEL_RE = re.compile(r"^(?:quelle|source|fuente|fonte|nguồn)\s*:\s*(?P<source>.+)$", re.IGNORECASE)
# A role printed after a name ("Tim HanlonNews Reporter Phoebe Tonks"): it ends that name.
_ROLE_RE = re.compile(
    r"\b(?:(?:senior|chief|deputy|assistant|political|sports|lifestyle|news|staff|content\s+hub)\s+)*"
    r"(?:reporter|writer|editor|director|correspondent|redakteur|redakteurin|korrespondent|"
    r"korrespondentin|journalist|journalistin)\b",
    re.IGNORECASE,
)
# Where the names end: follow links, dates, the outlet.
_TAIL_RE = re.compile(
    r"\s*(?:\||·|•|\bfor\s+[A-Z]|\b(?:ảnh|photo|photos|foto|fotos|video|đồ họa)\s*:|\b(?:"
    r"follow|twitter|facebook|instagram|linkedin|published|updated|veröffentlicht|aktualisiert|"
    r"publié|mis à jour|actualizado|publicado|weitere beiträge|mehr von|more from|view author|"
    r"contact|kontakt|e-mail|email)\b).*$",
    re.IGNORECASE | re.DOTALL,
)
# A role glued to the name by the markup ("Emma MackenzieLifestyle Writer").
_GLUED_RE = re.compile(
    r"(?<=[a-zà-ÿ])(?=(?:Lifestyle|News|Senior|Chief|Deputy|Assistant|Staff|Sports|Political|"
    r"Twitter|Follow|Published|Updated|Reporter|Writer|Editor|Correspondent)\b)"
)
# A label glued to the name ("AuthorAndreas Kalt") and a connector left before a cut-off date
# ("VON MORITZ GATHMANN am").
_GLUED_LABEL_RE = re.compile(r"^(Author|Autor|Autorin|Auteur|By|Von|Par|Por)(?=[A-ZÀ-Ý])")
_TRAILING_CONNECTOR_RE = re.compile(r"\s+(?:am|on|le|el|il|den|um|at|à|vom|du|del|de)\s*$", re.IGNORECASE)
_PEOPLE_SEPARATOR_RE = re.compile(
    r"\s+[-–—/]\s+|\s*,\s*|\s*;\s*|\s*/\s*|\s+(?:and|und|et|y|e|og|och|và|i)\s+|\s*&\s*",
    re.IGNORECASE,
)
_WEEKDAYS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
    ]
)
# Words that are a page's furniture, never a name on their own.
_NOT_NAMES = frozenset(
    [
        "share",
        "teilen",
        "partager",
        "compartir",
        "date",
        "datum",
        "news",
        "home",
        "startseite",
        "accueil",
        "inicio",
        "menu",
        "author",
        "autor",
        "authors",
        "information",
        "info",
        "more",
        "mehr",
        "comments",
        "kommentare",
        "print",
        "drucken",
        "redaktion",
        "editorial",
        "staff",
        "admin",
        "administrator",
        "anonymous",
        "guest",
        "unknown",
        "it",
        "video",
        "foto",
        "photo",
        "by",
        "von",
        "par",
        "pv",
        "ctv",
        "btv",
    ]
) | {"phóng viên", "cộng tác viên", "biên tập viên", "ban biên tập", "tòa soạn"}
_PARTICLES = frozenset(
    [
        "de",
        "la",
        "le",
        "du",
        "des",
        "da",
        "di",
        "del",
        "della",
        "van",
        "von",
        "der",
        "den",
        "ten",
        "ter",
        "zu",
        "y",
        "e",
        "en",
        "bin",
        "ibn",
        "al",
        "el",
        "dos",
        "das",
        "do",
        "st.",
        "st",
    ]
)
_VN_DAY_RE = re.compile(r"^(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật)\b", re.IGNORECASE)
MAX_NAME_WORDS = 6
MAX_PEOPLE = 12


@dataclass
class Byline:
    """A byline read: the line as kept, the people, the outlet credited."""

    text: str | None
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    desk: str | None = None  # an editorial desk credited alone ("Redaktion", "Staff"): the last resort


# A desk credited instead of a writer: the newsroom as a whole, kept as the source when no
# person and no agency is credited anywhere.
_DESKS = frozenset(
    [
        "redaktion",
        "die redaktion",
        "online-redaktion",
        "onlineredaktion",
        "editorial",
        "editorial team",
        "editorial staff",
        "staff",
        "newsroom",
        "the newsroom",
        "rédaction",
        "la rédaction",
        "redacción",
        "la redacción",
        "redazione",
        "redactie",
        "redaktionen",
        "redakce",
    ]
)


def read_byline(text: str | None, site_names=(), host: str | None = None) -> Byline:
    """The people and the source a printed byline credits; no authors when it names nobody."""
    line = clean_text(text)
    if not line or _NOT_WRITER_RE.match(line):
        return Byline(None)
    source_label = _SOURCE_LABEL_RE.match(line)
    if source_label:
        return Byline(line, [], clean_text(source_label["source"]) or None)
    line = ROLE_LABEL_RE.sub("", line).strip() or line
    bare = _LEAD_RE.sub("", line, count=1).strip(" .:")
    if bare.casefold() in _DESKS:
        return Byline(line, [], None, desk=bare)
    authors, source = split_byline(line)  # Vietnamese forms: "Theo", "Nguồn", " - " between names
    names: list[str] = []
    for author in authors:
        names.extend(_people_in(author))
    kept = []
    for name in names:
        if name.casefold() in AGENCIES:
            source = source or name
        elif _is_publisher(name, site_names, host):
            continue  # the publisher's name is no writer
        elif looks_like_name(name) and name not in kept:
            kept.append(name)
    return Byline(line, kept[:MAX_PEOPLE], source)


def read_declared(credits: list[tuple[str, bool]], site_names=(), host: str | None = None) -> Byline | None:
    """The people and the outlet a page's metadata credits (JSON-LD ``author`` or ``<meta name=author>``).

    ``credits`` are ``(name, is_organisation)``. An organisation, an agency or
    the site itself declared as the author is the ``source``: the desk credited,
    not a person.
    """
    people: list[str] = []
    source = None
    for name, is_organisation in credits:
        if is_organisation or name.casefold() in AGENCIES or _is_publisher(name, site_names, host):
            source = source or clean_text(name)
            continue
        read = read_byline(name, site_names, host)
        if read.desk:
            source = source or read.desk
            continue
        found = read.authors
        if not found and not read.source and _declared_name(name):
            # The CMS's own record of its writer: a user name ("jesusfreak") or a name its
            # author typed in lower case is still the writer, though no printed line would pass.
            found = [clean_text(name)]
        people.extend(n for n in found if n not in people)
        source = source or read.source
    if not people and not source:
        return None
    return Byline(" - ".join(people) or None, people[:MAX_PEOPLE], source)


def _declared_name(text: str) -> bool:
    """A name declared in metadata, case not required: a few words, no digits, no furniture word."""
    words = clean_text(text).split()
    lowered = " ".join(words).casefold()
    return (
        0 < len(words) <= MAX_NAME_WORDS
        and not any(ch.isdigit() or ch in "@/:|" for ch in lowered)
        and lowered.strip(".") not in _NOT_NAMES
        and words[0].casefold() not in _WEEKDAYS
        and not _NOT_WRITER_RE.match(lowered)
    )


def _people_in(text: str) -> list[str]:
    """Names in one piece of a byline, labels, roles and the outlet cut away."""
    text = _ROLE_RE.sub(",", _GLUED_RE.sub(" ", _GLUED_LABEL_RE.sub(r"\1 ", text)))
    for _ in range(2):
        stripped = _LEAD_RE.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    text = _TAIL_RE.sub("", text).strip(" ,;:-–|/()[]")
    text = _TRAILING_CONNECTOR_RE.sub("", text)
    text = re.sub(r"\S+@\S+|@\w+|https?://\S+", "", text).strip(" ,;:-–|/")
    out = []
    for part in _PEOPLE_SEPARATOR_RE.split(text):
        part = _TAIL_RE.sub("", _LEAD_RE.sub("", part)).strip(" ,;:-–|/()[].")
        part = _deduplicate(part)
        if part:
            out.append(part)
    return out


def _is_publisher(name: str, site_names, host: str | None) -> bool:
    """The site's own name (declared or its host spelt out), not a person who shares part of it.

    A personal blog's host is its author's name ("wolfgangschmale.eu"): a name
    is the publisher's only when it is the site's name whole, not a part of it.
    """
    folded = fold(name)
    if not folded:
        return False
    for site_name in site_names:
        other = fold(site_name)
        if other and (
            folded == other
            or (other in folded and len(folded) <= len(other) + 6)  # "Redaktion hessenschau.de"
            or (folded in other and len(other) <= len(folded) + 6)  # "Lao Động Thủ Đô" of "Báo ..."
        ):
            return True
    if host:
        bare = fold(host.lower().removeprefix("www."))
        core = fold(host.lower().removeprefix("www.").rsplit(".", 1)[0])
        if folded in (bare, core):
            return not (len(name.split()) >= 2 and all(w[:1].isupper() for w in name.split()))
    return False


def _deduplicate(name: str) -> str:
    """``"Ryan Devereaux Ryan Devereaux"`` (a name printed twice by the markup) -> ``"Ryan Devereaux"``."""
    words = name.split()
    half = len(words) // 2
    if half and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return name


def looks_like_name(text: str) -> bool:
    """A person's or a desk's name: a few words, no digits, capitalised where the script has case."""
    words = text.split()
    if not words or len(words) > MAX_NAME_WORDS or any(ch.isdigit() for ch in text):
        return False
    lowered = text.casefold()
    if lowered in _NOT_NAMES or lowered.strip(".:") in _NOT_NAMES or words[0].casefold() in _WEEKDAYS:
        return False
    if _VN_DAY_RE.match(text) or text.endswith(":"):
        return False
    if lowered.startswith(("nhóm", "ban ")):  # "Nhóm PV": a group of reporters
        return True
    cased = [w for w in words if any(unicodedata.category(ch) in ("Lu", "Ll") for ch in w)]
    if not cased:
        return len(text) <= 30  # a script without case (Chinese, Korean, Arabic ...)
    capitalised = [w for w in cased if w[0].isupper() or w.casefold() in _PARTICLES]
    return len(capitalised) == len(cased)


def agree(a: list[str], b: list[str]) -> bool:
    """True when two lists of names share most of their words (the same people, spelt alike)."""
    wa = {w for name in a for w in name.casefold().split()}
    wb = {w for name in b for w in name.casefold().split()}
    if not wa or not wb:
        return False
    return len(wa & wb) >= 0.5 * min(len(wa), len(wb))


def _trims(declared: list[str], printed: list[str]) -> bool:
    """True when each declared name is a printed one less some words, and the printed ones add words."""
    printed_words = [name.casefold().split() for name in printed]
    if len(declared) != len(printed):
        return False
    for name, words in zip(declared, printed_words, strict=True):
        own = name.casefold().split()
        if not own or not set(own) <= set(words):
            return False
    return sum(map(len, printed_words)) > sum(len(n.split()) for n in declared)


def choose(printed: Byline | None, declared: Byline | None) -> tuple[Byline | None, str]:
    """The byline to keep and where it came from: ``"printed"``, ``"declared"`` or ``"none"``.

    A printed line that names people wins when the metadata names the same
    people or names none; the declared people win when the two disagree.
    A printed line that names nobody but credits a source is kept for its source.
    """
    has_printed = printed is not None and bool(printed.authors)
    has_declared = declared is not None and bool(declared.authors)
    if has_printed and (not has_declared or agree(printed.authors, declared.authors)):
        if has_declared and _trims(declared.authors, printed.authors):
            # The same people, the printed line with words of the page's furniture on them
            # ("Elizabeth Gibney Search", "News Steffan Rhys"): the metadata's spelling.
            declared.source = declared.source or printed.source
            return declared, "declared"
        if has_declared and len(declared.authors) > len(printed.authors):
            # The printed line named the first of them; the metadata names them all.
            declared.source = declared.source or printed.source
            return declared, "declared"
        return printed, "printed"
    if has_declared:
        if printed is not None and printed.source and not declared.source:
            declared.source = printed.source
        return declared, "declared"
    if printed is not None and printed.source:
        return printed, "printed"
    if declared is not None and declared.source:
        return declared, "declared"  # a desk or agency credited, and no person anywhere
    return None, "none"
