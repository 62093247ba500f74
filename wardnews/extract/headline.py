"""The headline: which ``<h1>`` is the story's, what of it is a kicker, what of a title is the site's name.

The visible headline is what a reader quotes, so an ``<h1>`` wins when it is
the story's: not the site's name or logo, not hidden, not in the page's
header or navigation. The page's other sources (JSON-LD headline, og:title,
twitter:title, ``<title>``) decide between several ``<h1>``, tell a kicker
printed inside the ``<h1>`` from the headline, and say which end of a
``<title>`` is the site's name. A title is cut at a separator only when the
cut-off part is a name of the site (its declared names or its host), or when
another source gives the title without it; never just because it holds " - ".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from wardnews.extract.text import class_tokens, clean_text, element_text, href_path, is_hidden, tag_name

# Spaced separators between a headline and the site's name in <title> and og:title.
_SEPARATOR_RE = re.compile(r"\s+(?:[|\-–—·•»/:]{1,2}|::)\s+|\s*\|\s*")
_WORD_RE = re.compile(r"\w+")
# Where a site prints its name: the page header, navigation, the logo.
CHROME_TAGS = frozenset({"nav", "footer", "aside", "dialog"})
CHROME_WORDS = frozenset(
    {"logo", "brand", "branding", "site-title", "site-name", "sitename", "masthead", "navbar"}
)
MIN_HEADLINE_CHARS = 10
MAX_KICKER_WORDS = 6
MAX_KICKER_CHARS = 60


def hidden_or_inside_hidden(el) -> bool:
    return is_hidden(el) or any(is_hidden(a) for a in el.iterancestors())


@lru_cache(maxsize=8192)
def fold(text: str | None) -> str:
    """Lower case, no diacritics, letters and digits only: ``"Báo Lao động"`` -> ``"baolaodong"``."""
    decomposed = unicodedata.normalize("NFD", (text or "").lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def words(text: str | None) -> list[str]:
    return _WORD_RE.findall(unicodedata.normalize("NFC", (text or "").casefold()))


def similarity(a: str | None, b: str | None) -> float:
    """Token F1 of two titles (case and punctuation ignored)."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    common = 0
    pool = list(wb)
    for word in wa:
        if word in pool:
            pool.remove(word)
            common += 1
    if not common:
        return 0.0
    precision, recall = common / len(wa), common / len(wb)
    return 2 * precision * recall / (precision + recall)


def is_site_name(text: str | None, site_names, host: str | None, *, segment: bool = False) -> bool:
    """True when ``text`` is one of the site's names, or its host spelt out ("MDR.DE", "Báo Lao động Thủ đô").

    ``segment``: ``text`` is a piece of a title cut at a separator, where a name
    that starts like the host ("Gregory Szorc's Digital Home" on gregoryszorc.com)
    is the site's too.
    """
    folded = fold(text)
    if not folded:
        return False
    for name in site_names:
        other = fold(name)
        near = folded == other or (len(other) >= 4 and (other in folded or folded in other))
        if other and near and len(folded) <= len(other) + 6:
            return True
    if host:
        bare = host.lower().removeprefix("www.")
        core = max((fold(label) for label in bare.split(".")[:-1]), key=len, default="")
        if len(core) >= 4 and core in folded and len(folded) <= len(core) + 8:
            return True
        if segment and len(core) >= 6 and folded.startswith(core):
            return True
        if len(folded) >= 4 and folded in fold(bare):
            return True
    return False


def strip_site_name(title: str | None, site_names=(), host: str | None = None, others=()) -> str | None:
    """``title`` without the site's name at either end.

    ``"Tin A | Báo Lao động Thủ đô"`` -> ``"Tin A"`` when "Báo Lao động Thủ đô" is a name of
    the site, or when another source (``others``: the ``<h1>``, og:title ...) says "Tin A".
    A headline that merely contains " - " keeps it.
    """
    title = clean_text(title)
    if not title:
        return None
    pieces = _SEPARATOR_RE.split(title)
    if len(pieces) < 2:
        return title
    separators = _SEPARATOR_RE.findall(title)
    for keep_first in (True, False):
        # Cut one piece at a time from the end (or the start): "Tin A - Mục B | Báo X".
        for cut in range(1, len(pieces)):
            if keep_first:
                kept, dropped = pieces[: len(pieces) - cut], pieces[len(pieces) - cut :]
                text = _join(kept, separators[: len(kept) - 1])
            else:
                kept, dropped = pieces[cut:], pieces[:cut]
                text = _join(kept, separators[cut:])
            if len(text) < MIN_HEADLINE_CHARS:
                break
            if is_site_name(dropped[0] if keep_first else dropped[-1], site_names, host, segment=True):
                return text
            if any(similarity(text, other) >= 0.95 for other in others if other):
                return text
    return title


def _join(pieces: list[str], separators: list[str]) -> str:
    out = pieces[0]
    for separator, piece in zip(separators, pieces[1:], strict=False):
        out += separator + piece
    return clean_text(out)


def headline_candidates(page, site_names, host) -> list:
    """The ``<h1>`` elements that can be the story's headline, in document order."""
    found = []
    for el in page.tagged("h1"):
        text = element_text(el)
        if len(text) < MIN_HEADLINE_CHARS and not _is_cjk(text):
            continue
        if hidden_or_inside_hidden(el) or is_site_name(text, site_names, host) or _links_home(el):
            continue
        found.append(el)
    return found


def in_site_chrome(el) -> bool:
    """Inside the page's navigation, footer, sidebar or logo (not the article's own header)."""
    for ancestor in (el, *el.iterancestors()):
        tag = tag_name(ancestor)
        if tag in CHROME_TAGS:
            return True
        if tag in ("article", "main"):
            return False
        if class_tokens(ancestor) & CHROME_WORDS:
            return True
    return False


def _links_home(el) -> bool:
    """A headline that links to the site's home page (or holds only a logo) is the site's name."""
    anchors = list(el.iter("a")) + list(el.iterancestors("a"))[:1]
    for anchor in anchors:
        path = href_path(anchor.get("href"))
        if (anchor.get("rel") or "").lower() == "home" or (path in ("", "/") and anchor.get("href")):
            return True
    return bool(list(el.iter("img", "svg"))) and len(element_text(el)) < 40


def _is_cjk(text: str) -> bool:
    return len(text) >= 5 and any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)


def choose_headline(candidates: list, references: list[str]):
    """The ``<h1>`` that is the story's headline, or None when the page's other titles outvote them all.

    With no other titles, the first ``<h1>`` outside the site's navigation. Otherwise
    the one that agrees best with them (one in the navigation or a dialog counts
    less); none when several ``<h1>`` all disagree with them (a blog's list of
    posts) or when the only one is a short label they never mention ("Sections").
    """
    if not candidates:
        return None
    if not references:
        outside = [el for el in candidates if not in_site_chrome(el)]
        return (outside or candidates)[0]
    best, best_rank, best_agreement = None, -1.0, 0.0
    for el in candidates:
        agreement = max(similarity(element_text(el), ref) for ref in references)
        rank = agreement - (0.5 if in_site_chrome(el) else 0.0)
        if rank > best_rank + 1e-9:
            best, best_rank, best_agreement = el, rank, agreement
    if best_agreement < 0.3 and len(candidates) >= 2:
        return None
    if best_agreement == 0 and len(words(element_text(best))) <= 3:
        return None
    return best


def without_kicker(el, references: list[str]) -> str:
    """The headline's text without a kicker printed in its own element before it.

    ``<h1><span>Premier League</span><span>Liverpool verliert bei Everton</span></h1>``
    gives "Liverpool verliert bei Everton", unless the page's other titles
    include the kicker (then it is part of the headline as published).
    """
    full = element_text(el)
    children = [c for c in el if isinstance(c.tag, str) and element_text(c)]
    if (el.text or "").strip() or len(children) < 2:
        return full
    kicker = element_text(children[0])
    if len(kicker) > MAX_KICKER_CHARS or len(kicker.split()) > MAX_KICKER_WORDS:
        return full
    rest = clean_text(" ".join(element_text(c) for c in children[1:]))
    if len(rest.split()) < 3 or len(rest) <= len(kicker):
        return full
    if references:
        with_kicker = max(similarity(full, ref) for ref in references)
        without = max(similarity(rest, ref) for ref in references)
        if with_kicker > without + 0.05:
            return full
    return rest


TITLE_WORDS = frozenset({"title", "headline", "tieude", "tieu-de", "heading"})
_TITLED_TAGS = frozenset({"h2", "h3", "div", "p", "span", "strong", "header"})
MAX_HEADLINE_CHARS = 250


def titled_element(page, site_names, host, references: list[str], boilerplate=None):
    """Without an ``<h1>``: the first element whose class names a title and whose text reads like one.

    A print version or an old template puts the headline in ``<div class="…title">``;
    it is taken when the page's other titles agree with it, or say nothing but a
    generic word ("In bài viết" as the document title).
    """
    for el, tokens in page.classed:
        if tag_name(el) not in _TITLED_TAGS or not tokens & TITLE_WORDS:
            continue
        if el.find(".//a") is not None or in_site_chrome(el) or hidden_or_inside_hidden(el):
            continue
        text = element_text(el)
        if not MIN_HEADLINE_CHARS <= len(text) <= MAX_HEADLINE_CHARS or len(words(text)) < 3:
            continue
        if is_site_name(text, site_names, host) or (boilerplate and boilerplate.is_boilerplate(text)):
            continue
        telling = [r for r in references if len(words(r)) >= 4]
        if not telling or max(similarity(text, r) for r in telling) >= 0.5:
            return el
        return None
    return None
