"""A fetched page as it came off the wire, and how its body is packed for the ``raw_pages`` table.

The spider attaches a ``RawPage`` to each article it extracts (``Article.raw``);
the SQLite pipeline stores it beside the article, in the same transaction, so
``wardnews reparse`` can run a newer extractor over every page with no network.

Bodies are packed with Zstandard at level 3 (``compression.zstd``, from the
standard library since Python 3.14, ``backports.zstd`` before it; Scrapy
needs it too). Measured by ``bench/raw_codecs.py`` (one run, 2026-12-01):
on 300 generated portal pages of 72 KiB, zstd-3 packs a page in 0.2 ms and
keeps 7.5 MiB per 1,000, zlib-6 1.7 ms and 7.3 MiB, lzma-6 26 ms and
6.3 MiB; on the seed page (38 KiB, the portal's real markup) zstd-3 0.45 ms
and 8.9 MiB, zlib-6 3.2 ms and 8.1 MiB. Packing is part of every fetched
article's CPU, and the crawl is bound by the machine's CPU (issue 13): 3 to
9 % more disk for a seventh of the time. The codec is stored per row, so rows
packed with another codec (``zlib`` before 2026-12-01, ``lzma``) stay readable.
"""

from __future__ import annotations

import hashlib
import json
import lzma
import zlib
from dataclasses import dataclass, field
from datetime import datetime

from w3lib.encoding import http_content_type_encoding

try:
    from compression import zstd
except ImportError:  # Python < 3.14
    from backports import zstd

CODEC = "zstd"
ZSTD_LEVEL = 3
_PACKERS = {
    "zstd": lambda body: zstd.compress(body, ZSTD_LEVEL),
    "lzma": lambda body: lzma.compress(body, preset=6),
    "zlib": lambda body: zlib.compress(body, 6),
    "identity": bytes,
}
_UNPACKERS = {"zstd": zstd.decompress, "lzma": lzma.decompress, "zlib": zlib.decompress, "identity": bytes}


@dataclass
class RawPage:
    """One HTTP response for an article page.

    ``url`` is the response URL (after redirects), ``request_url`` the URL
    asked for. ``headers`` maps each header name to its values, decoded as
    latin-1. ``body`` is the body as the extractor saw it (after any
    Content-Encoding was undone). ``fetched_at`` is ISO 8601 (+07:00) and
    anchors relative dates when the page is parsed again. ``packed`` (with its
    ``codec``) and ``digest`` are the packed body and its sha256 when an
    extraction worker made them already (``wardnews.pool``): the store then
    keeps them as they are instead of packing the body again.
    """

    url: str
    body: bytes
    fetched_at: str
    status: int = 200
    request_url: str | None = None
    headers: dict[str, list[str]] = field(default_factory=dict)
    packed: bytes | None = field(default=None, repr=False)
    codec: str = CODEC
    digest: str | None = None

    @classmethod
    def from_stored(cls, url, request_url, status, fetched_at, headers, body, codec) -> RawPage:
        """A page as a ``raw_pages`` or ``doubtful_pages`` row keeps it: packed body, headers as JSON."""
        return cls(
            url=url,
            body=unpack(body, codec),
            fetched_at=fetched_at,
            status=status,
            request_url=request_url,
            headers=json.loads(headers or "{}"),
        )

    @classmethod
    def from_response(cls, response, fetched_at: datetime) -> RawPage:
        """The page behind a Scrapy response."""
        headers = {
            _text(name): [_text(value) for value in values] for name, values in response.headers.items()
        }
        request = getattr(response, "request", None)
        asked = None
        if request is not None:  # after redirects, the first URL is in the request's meta
            asked = (request.meta.get("redirect_urls") or [request.url])[0]
        return cls(
            url=response.url,
            body=bytes(response.body),
            fetched_at=fetched_at.isoformat(timespec="seconds"),
            status=response.status,
            request_url=asked,
            headers=headers,
        )

    def header(self, name: str) -> str | None:
        """The first value of a header, whatever its case."""
        for key, values in self.headers.items():
            if key.lower() == name.lower() and values:
                return values[0]
        return None

    @property
    def declared_encoding(self) -> str | None:
        """The charset the Content-Type header declares, if any."""
        return http_content_type_encoding(self.header("Content-Type") or "")

    @property
    def sha256(self) -> str:
        return self.digest or hashlib.sha256(self.body).hexdigest()

    def packed_body(self) -> tuple[bytes, str]:
        """``(blob, codec)``: the body packed for the archive (packed now unless a worker did it)."""
        if self.packed is not None:
            return self.packed, self.codec
        return pack(self.body), CODEC

    def headers_json(self) -> str:
        return json.dumps(self.headers, ensure_ascii=False, sort_keys=True)


def pack(body: bytes, codec: str = CODEC) -> bytes:
    """Compress a body with ``codec``."""
    return _PACKERS[codec](body)


def unpack(blob: bytes, codec: str) -> bytes:
    """The body a ``pack(body, codec)`` blob holds."""
    return _UNPACKERS[codec](blob)


def _text(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)
