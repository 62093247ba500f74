"""Turning fetched bytes into a parsed document, whatever the page claims about itself."""

from __future__ import annotations

import codecs
import re
import unicodedata

from wardnews.extract.page import Page

# A page bigger than this is cut: no article needs it, and it keeps a
# hostile page from costing seconds of parsing.
MAX_HTML_BYTES = 8 * 1024 * 1024
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.IGNORECASE)


def decode_html(html: str | bytes, declared_encoding: str | None = None) -> str:
    """Decode page bytes to NFC text.

    Valid UTF-8 wins over any declaration, because Vietnamese pages served as
    UTF-8 while declaring ISO-8859-1 are common and the reverse is not (bytes
    of a Vietnamese text in a legacy charset are almost never valid UTF-8).
    Then the HTTP or ``<meta>`` declaration; then Windows-1258.
    """
    if isinstance(html, str):
        return unicodedata.normalize("NFC", html)
    data = html[:MAX_HTML_BYTES]
    if data.startswith(codecs.BOM_UTF8):
        return unicodedata.normalize("NFC", data[3:].decode("utf-8", "replace"))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return unicodedata.normalize("NFC", data.decode("utf-16", "replace"))
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8"))
    except UnicodeDecodeError as error:
        if error.start > len(data) - 4:  # a multi-byte character cut by the size cap
            return unicodedata.normalize("NFC", data.decode("utf-8", "ignore"))
    for candidate in (declared_encoding, _meta_charset(data), "windows-1258"):
        if not candidate:
            continue
        try:
            codec = codecs.lookup(candidate).name
        except LookupError:
            continue
        if codec == "utf-8":
            continue
        return unicodedata.normalize("NFC", data.decode(codec, "replace"))
    return unicodedata.normalize("NFC", data.decode("utf-8", "replace"))


def _utf8_candidate(html: str | bytes) -> bytes | None:
    """The page's bytes cut to the size cap, to be parsed as UTF-8: none with a byte-order mark."""
    if not isinstance(html, bytes):
        return None
    data = html[:MAX_HTML_BYTES]
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    return data


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET_RE.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


# libxml2 gives up on a document nested deeper than about 2,000 elements, and everything after
# that point is lost. A run of the same tags opened (or closed) dozens of times over is hostile
# markup, not structure: it is folded to one before parsing, so the rest of the page survives.
_NESTED_RUN_RE = re.compile(r"((?:<[a-zA-Z][a-zA-Z0-9]*[^<>]{0,200}>\s*){1,3}?)\1{63,}")
_CLOSED_RUN_RE = re.compile(r"((?:</[a-zA-Z][a-zA-Z0-9]*\s*>\s*){1,3}?)\1{63,}")


def fold_deep_nesting(text: str) -> str:
    """``text`` with every run of 64 or more identical opening (or closing) tag groups folded to one."""
    if "<" not in text:
        return text
    text = _NESTED_RUN_RE.sub(r"\1", text)
    return _CLOSED_RUN_RE.sub(r"\1", text)


def parse_html(html: str | bytes, url: str, declared_encoding: str | None = None) -> Page:
    """The parsed page, with ``url`` as its base."""
    page = None
    utf8 = _utf8_candidate(html)
    if utf8 is not None:
        # Bytes are parsed as UTF-8 as they are, with no decoding first: libxml2 says when they
        # were not UTF-8 (a legacy charset, a multi-byte character cut by the size cap), and only
        # then is the page decoded (``decode_html``) and parsed again. The text is not
        # normalised first, as every text taken from the page is (``clean_text``).
        page = Page(None, url, utf8=utf8)
        if page.invalid_utf8:
            page = None
    if page is None:
        text = decode_html(html, declared_encoding)
        if len(text) > MAX_HTML_BYTES:
            text = text[:MAX_HTML_BYTES]
        page = Page(text, url)
    if page.too_deep:  # libxml2 stopped reading: fold the hostile run and read the page again
        page = Page(fold_deep_nesting(page.text), url)
    return page
