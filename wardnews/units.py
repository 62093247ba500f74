"""Ward and commune tagging: which of Hà Nội's 126 units an article names.

Pure code, no database. ``load_units()`` reads the reference list shipped in
``wardnews/data/hanoi_units_2025.csv`` (the phường and xã in force since
1 July 2025, each with the former units merged into it); ``UnitTagger.tag``
finds the units an article names and says how often and where.

How a mention is recognised:

- A unit name counts only after a prefix word: ``phường``, ``xã`` (not the
  ``xã`` of ``thị xã``), ``thị trấn`` (former units only), ``P.`` or a bare
  capital ``P``. "Hoàn Kiếm" alone (the lake, the old district) is not a ward.
  Words before the prefix do not matter ("UBND phường X", "Đảng ủy xã X").
- After the prefix, a comma/"và"-separated list of names counts name by name:
  "các phường Tây Hồ, Ba Đình và Ngọc Hà" is three mentions.
- Names match whole words only and the longest known name wins ("phường Láng
  Hạ" is the former Láng Hạ, not "phường Láng"). Letter case, NFC/NFD and the
  old tone placement ("Hoà"/"Hòa", "Thuỵ"/"Thụy") do not matter: both sides
  are reduced to the same key by ``name_key``. One exception to "any letter
  case": a one-word name written all in lower case ("các phường láng giềng",
  "neighbouring wards") is ordinary prose, not the ward Láng.
- Hyphens and dashes inside a name are equivalent ("Văn Miếu - Quốc Tử Giám",
  "Văn Miếu–Quốc Tử Giám").

How a mention is resolved:

- A bare name that is a current unit of that type means the current unit, even
  when a former unit had the same name ("phường Tây Tựu").
- A name qualified as former — by an old district ("phường Minh Khai (quận Bắc
  Từ Liêm)", "(Bắc Từ Liêm)", ", huyện Ứng Hòa") or by "cũ" ("phường Minh Khai
  cũ") — and a bare name that is only a former unit's name, map through the
  former-unit table: the result names the new unit and sets ``via_former`` to
  the former unit as the CSV writes it, e.g. ``"phường Minh Khai (quận Bắc Từ
  Liêm)"``. A district that does not narrow anything is ignored.
- When that mapping has more than one candidate — the former unit was split
  between several new units ("[part]" in the CSV), or the bare name belonged to
  former units in several districts — every candidate is returned, each with
  ``former_split=True``. The tagger does not guess which part the article meant.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

PHUONG = "phường"
XA = "xã"
THI_TRAN = "thị trấn"  # a former unit type only; no current unit is a thị trấn
UNIT_TYPES = (PHUONG, XA)

_CSV_PACKAGE = "wardnews"
_CSV_PATH = ("data", "hanoi_units_2025.csv")


@dataclass(frozen=True)
class FormerUnit:
    """A unit abolished on 1 July 2025, as one row of the CSV lists it.

    ``type`` is "phường", "xã" or "thị trấn"; ``district`` is the old district
    as written ("quận Bắc Từ Liêm"), ``None`` when the CSV gives none.
    ``partial`` is True when only part of it went into the unit listing it.
    """

    name: str
    type: str
    district: str | None
    partial: bool

    @property
    def label(self) -> str:
        """The former unit as the CSV writes it, without "[part]"."""
        label = f"{self.type} {self.name}"
        return f"{label} ({self.district})" if self.district else label


@dataclass(frozen=True)
class Unit:
    """A phường or xã of Hà Nội in force since 1 July 2025."""

    name: str
    type: str  # "phường" | "xã"
    former: tuple[FormerUnit, ...]
    source: str


@dataclass(frozen=True)
class UnitMention:
    """How an article names one unit (one row of the article-unit table).

    ``mentions`` counts the times it is named across title and texts;
    ``in_title`` says whether the title names it. ``via_former`` is the former
    unit's CSV label when the article named a former unit, ``None`` when it
    named the current one. ``former_split`` is True when the former unit named
    maps to several new units and this is only one candidate; it is False as
    soon as one mention of that former unit was unambiguous (e.g. gave its
    district).

    ``tag`` returns one row per (unit, via_former): an article naming "phường
    Tây Tựu" and the former "phường Minh Khai (quận Bắc Từ Liêm)" gets two rows
    for Tây Tựu, so a table of these rows needs via_former in its key.
    """

    unit: str
    unit_type: str
    mentions: int
    in_title: bool
    via_former: str | None
    former_split: bool


# --- loading -----------------------------------------------------------------

_FORMER_RE = re.compile(
    r"^(?P<type>phường|xã|thị trấn)\s+(?P<name>.+?)"
    r"(?:\s*\((?P<district>[^()]+)\))?(?P<part>\s*\[part\])?$"
)


def _parse_former(text: str) -> FormerUnit:
    m = _FORMER_RE.match(text.strip())
    if m is None:
        raise ValueError(f"unreadable former unit in hanoi_units_2025.csv: {text!r}")
    return FormerUnit(name=m["name"], type=m["type"], district=m["district"], partial=bool(m["part"]))


def _parse_units(text: str) -> tuple[Unit, ...]:
    units = []
    for row in csv.DictReader(io.StringIO(text)):
        if row["type"] not in UNIT_TYPES:
            raise ValueError(f"unknown unit type in hanoi_units_2025.csv: {row['type']!r}")
        former = tuple(_parse_former(f) for f in row["former_units"].split(";") if f.strip())
        units.append(Unit(name=row["name"], type=row["type"], former=former, source=row["source"]))
    return tuple(units)


@functools.cache
def load_units() -> tuple[Unit, ...]:
    """The 126 units of the shipped reference list, in CSV order (cached)."""
    resource = resources.files(_CSV_PACKAGE).joinpath(*_CSV_PATH)
    return _parse_units(resource.read_text(encoding="utf-8"))


# --- name keys ---------------------------------------------------------------

# The five Vietnamese tone marks as combining characters. Vowel-quality marks
# (circumflex, breve, horn) stay where they are.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_WORD_OR_DASH_RE = re.compile(rf"\w+|[{_DASHES}]")


@functools.lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    """One word, case-folded, with its tone mark moved to the end (so "Hoà" == "Hòa")."""
    decomposed = unicodedata.normalize("NFD", word.casefold().replace("ð", "đ"))
    if not _TONES.intersection(decomposed):
        return unicodedata.normalize("NFC", decomposed)
    base = "".join(c for c in decomposed if c not in _TONES)
    tones = "".join(c for c in decomposed if c in _TONES)
    return unicodedata.normalize("NFC", base + tones)


def name_key(name: str) -> str:
    """The comparison key of a name: words keyed by ``_word_key``, dashes as "-"."""
    name = unicodedata.normalize("NFC", name)
    return " ".join("-" if token in _DASHES else _word_key(token) for token in _WORD_OR_DASH_RE.findall(name))


# --- tagging -----------------------------------------------------------------

_HS = r"[^\S\n]"  # horizontal white space: a name never runs across a line break

# The prefix words, searched in the lower-cased text (``str.lower`` keeps
# positions; a leading lookbehind would make the scan four times slower). Only
# a capital "P." / "P" counts (checked on the original text); a bare "P" needs
# a space after it. The "xã" of "thị xã" (a town) is not a prefix. No groups:
# they would stop ``re`` from skipping ahead to the branches' first letters.
_PREFIX_RE = re.compile(
    r"phường(?<!\wphường)(?!\w)"
    r"|xã(?<!\wxã)(?<!thị\sxã)(?!\w)"
    r"|trấn(?<=thị\strấn)(?<!\wthị\strấn)(?!\w)"
    rf"|p(?<!\wp)(?:\.|(?={_HS}))"
)
# The unit type a prefix (as matched in lower case) introduces.
_PREFIX_TYPE = {"phường": PHUONG, "xã": XA, "trấn": THI_TRAN, "p.": PHUONG, "p": PHUONG}
# One token of a name: a word or a dash, after optional horizontal space.
_TOKEN_RE = re.compile(rf"{_HS}*(?:(\w+)|([{_DASHES}]))")
# Between two names of a list: "," / ", và" / " và".
_LIST_SEP_RE = re.compile(rf"{_HS}*,{_HS}*(?:và{_HS}+)?|{_HS}+và{_HS}+", re.IGNORECASE)
# "cũ" / "(cũ)" right after a name: the former unit.
_OLD_RE = re.compile(rf"{_HS}*(?:\({_HS}*cũ{_HS}*\)|cũ(?!\w))", re.IGNORECASE)
# The start of an old-district qualifier: "(quận ", "(", ", huyện ".
_DISTRICT_KIND = rf"(?:quận|huyện|thị{_HS}+xã)(?!\w)|q\.|h\.|tx\."
_DISTRICT_OPEN_RE = re.compile(
    rf"{_HS}*(?:(?P<paren>\(){_HS}*|,{_HS}*(?=(?:{_DISTRICT_KIND})))"
    rf"(?:(?P<kind>{_DISTRICT_KIND}){_HS}*)?",
    re.IGNORECASE,
)
_DISTRICT_CLOSE_RE = re.compile(
    rf"{_HS}*(?:,{_HS}*)?(?:cũ(?!\w){_HS}*)?\)(?:{_HS}*\({_HS}*cũ{_HS}*\)|{_HS}+cũ(?!\w))?",
    re.IGNORECASE,
)
_DISTRICT_TAIL_RE = re.compile(rf"{_HS}*(?:\({_HS}*cũ{_HS}*\)|cũ(?!\w))", re.IGNORECASE)

# A resolved mention: (unit name, unit type, via_former label or None, former_split).
_Candidate = tuple[str, str, str | None, bool]


@dataclass(frozen=True)
class _Entry:
    """What one (type, name key) can mean, resolved in advance."""

    bare: tuple[_Candidate, ...]  # written without qualifier
    old: tuple[_Candidate, ...]  # qualified as former, district unknown or not narrowing
    by_district: dict[str, tuple[_Candidate, ...]]  # qualified by a known old district


class _Trie:
    """Names keyed by ``name_key``, for longest-match lookups token by token.

    ``table`` maps every name and every token prefix of a name to the name's
    value, or to ``None`` for a prefix that is not itself a name.
    """

    def __init__(self) -> None:
        self.table: dict[str, object] = {}

    def add(self, key: str, value: object) -> None:
        tokens = key.split(" ")
        for i in range(1, len(tokens)):
            self.table.setdefault(" ".join(tokens[:i]), None)
        self.table[key] = value

    def match(self, text: str, pos: int) -> tuple[object, int, int] | None:
        """The longest name starting at ``pos`` (after spaces): (value, start, end)."""
        table = self.table
        t = _TOKEN_RE.match(text, pos)
        if t is None or (word := t.group(1)) is None:
            return None
        start = t.start(1)
        key = _word_key(word)
        best = None
        while key in table:
            pos = t.end()
            if (value := table[key]) is not None:
                best = (value, start, pos)
            t = _TOKEN_RE.match(text, pos)
            if t is None:
                break
            word = t.group(1)
            key = f"{key} {'-' if word is None else _word_key(word)}"
        return best


def _resolve(formers: list[tuple[str, list[tuple[str, str]]]]) -> tuple[_Candidate, ...]:
    """Candidates for some former units, given as (label, [(unit, unit type)]) pairs."""
    found = sorted({(unit, utype, label) for label, units in formers for unit, utype in units})
    split = len({(unit, utype) for unit, utype, _ in found}) > 1
    return tuple((unit, utype, label, split) for unit, utype, label in found)


class UnitTagger:
    """Finds the units an article names. Build once, call ``tag`` per article."""

    def __init__(self, units: Iterable[Unit] | None = None) -> None:
        units = tuple(load_units() if units is None else units)

        current: dict[tuple[str, str], Unit] = {}
        # (type, name key) -> district key -> former label -> [(new unit, its type)]
        formers: dict[tuple[str, str], dict[str, dict[str, list[tuple[str, str]]]]] = {}
        districts: dict[str, str] = {}  # district name key -> district key
        for u in units:
            key = (u.type, name_key(u.name))
            if key in current:
                raise ValueError(f"two current units named {u.type} {u.name}")
            current[key] = u
            for f in u.former:
                dkey = ""
                if f.district:
                    # "quận Bắc Từ Liêm" -> "bắc từ liêm"; the kind word is not compared.
                    dname = re.sub(r"^(?:quận|huyện|thị xã|thành phố)\s+", "", f.district)
                    dkey = name_key(dname)
                    districts[dkey] = dkey
                by_label = formers.setdefault((f.type, name_key(f.name)), {}).setdefault(dkey, {})
                by_label.setdefault(f.label, []).append((u.name, u.type))

        self._tries: dict[str, _Trie] = {t: _Trie() for t in (PHUONG, XA, THI_TRAN)}
        for key in sorted(current.keys() | formers.keys()):
            by_district = {dkey: list(by_label.items()) for dkey, by_label in formers.get(key, {}).items()}
            every_former = [pair for pairs in by_district.values() for pair in pairs]
            unit = current.get(key)
            direct = ((unit.name, unit.type, None, False),) if unit else ()
            old = _resolve(every_former) if every_former else direct
            entry = _Entry(
                bare=direct or old,
                old=old,
                by_district={d: _resolve(p) for d, p in by_district.items() if d},
            )
            self._tries[key[0]].add(key[1], entry)
        self._districts = _Trie()
        for dkey in districts:
            self._districts.add(dkey, dkey)

    def tag(self, title: str | None, texts: Iterable[str | None]) -> list[UnitMention]:
        """title counts for in_title and for mentions; texts are sapo, body, captions."""
        if isinstance(texts, str):
            texts = (texts,)
        counts: dict[_Candidate, list] = {}  # candidate -> [mentions, in_title]
        for text, is_title in ((title, True), *((t, False) for t in texts)):
            if not text:
                continue
            for candidate in self._scan(text):
                row = counts.setdefault(candidate, [0, False])
                row[0] += 1
                row[1] = row[1] or is_title
        # One row per (unit, via_former): certain as soon as one mention was.
        merged: dict[tuple[str, str, str | None], list] = {}
        for (unit, utype, via, split), (n, in_title) in counts.items():
            row = merged.setdefault((unit, utype, via), [0, False, True])
            row[0] += n
            row[1] = row[1] or in_title
            row[2] = row[2] and split
        mentions = [
            UnitMention(unit, utype, n, in_title, via, split)
            for (unit, utype, via), (n, in_title, split) in merged.items()
        ]
        mentions.sort(key=lambda m: (-m.mentions, m.unit, m.via_former or ""))
        return mentions

    def _scan(self, text: str) -> Iterable[_Candidate]:
        """Every candidate of every unit mention in ``text``, in order."""
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        lowered = text.replace("İ", "I").lower()  # "İ" is the one letter lower() lengthens
        pos = 0
        while (prefix := _PREFIX_RE.search(lowered, pos)) is not None:
            word = prefix.group()
            if word[0] == "p" and len(word) < 3 and text[prefix.start()] != "P":
                pos = prefix.end()
                continue  # a lower-case "p." is not "P."
            utype = _PREFIX_TYPE[word]
            trie = self._tries[utype]
            pos = prefix.end()
            while (found := trie.match(text, pos)) is not None:
                entry, start, end = found
                name = text[start:end]
                if name.islower() and len(name.split()) == 1:
                    break  # "các phường láng giềng": prose, not the ward Láng
                candidates, pos = self._qualify(text, end, entry)
                yield from candidates
                sep = _LIST_SEP_RE.match(text, pos)
                if sep is None:
                    break
                pos = sep.end()

    def _qualify(self, text: str, pos: int, entry: _Entry) -> tuple[tuple[_Candidate, ...], int]:
        """Read "cũ" or an old district after a name: (its candidates, end of the mention)."""
        old = _OLD_RE.match(text, pos)
        if old is not None:
            return entry.old, old.end()
        opening = _DISTRICT_OPEN_RE.match(text, pos)
        if opening is None:
            return entry.bare, pos
        district = self._districts.match(text, opening.end())
        if district is None:
            if opening["kind"]:  # "(quận Foo)": former, but of a district we do not know
                return entry.old, opening.end()
            return entry.bare, pos  # "(ảnh)", "(Hà Nội)": no qualifier
        dkey, _, end = district
        if opening["paren"]:
            close = _DISTRICT_CLOSE_RE.match(text, end)
        else:
            close = _DISTRICT_TAIL_RE.match(text, end)
        if close is not None:
            end = close.end()
        return entry.by_district.get(dkey, entry.old), end
