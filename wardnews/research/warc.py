"""``wardnews export --format warc``: the stored raw pages as a WARC file that replay tools open.

One ``warcinfo`` record opens the file; then, for each row of ``raw_pages``
(oldest fetch first), a ``response`` record holding the HTTP status line,
the headers as fetched and the body, with the page's URL as
``WARC-Target-URI`` and its fetch time (in UTC, as WARC wants) as
``WARC-Date``, followed by a ``metadata`` record (``application/warc-fields``,
``WARC-Concurrent-To`` the response) saying which article the page is and
which URL was asked for when a redirect was followed.

No ``request`` records: the crawl does not keep the request headers it sent,
and a made-up request would be a guess. The body is stored decoded (Scrapy
undoes any gzip), so a ``Content-Encoding`` or ``Transfer-Encoding`` header is
left out and ``Content-Length`` says the stored length, with the fetched
values kept as ``X-Archive-Orig-<Name>`` (the prefix replay tools use for
headers they rewrote). Records are gzipped one by one (``.warc.gz``) unless
the output file ends in ``.warc``.
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from http import HTTPStatus
from typing import BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from wardnews.raw import unpack

# Headers that describe the bytes on the wire, not the decoded body the database keeps.
_WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
ORIG_PREFIX = "X-Archive-Orig-"


def warc_date(fetched_at: str) -> str:
    """An ISO 8601 time with its offset, as WARC-Date wants it: UTC, ``Z``, whole seconds."""
    moment = datetime.fromisoformat(fetched_at)
    if moment.tzinfo is None:
        raise ValueError(f"fetch time without an offset: {fetched_at!r}")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def http_headers(status: int | None, headers: dict[str, list[str]], body_length: int) -> StatusAndHeaders:
    """The status line and headers of a stored response, fit for its decoded body."""
    code = status or 200
    try:
        reason = HTTPStatus(code).phrase
    except ValueError:
        reason = ""
    pairs: list[tuple[str, str]] = []
    for name, values in headers.items():
        for value in values:
            if name.lower() in _WIRE_HEADERS:
                if name.lower() != "content-length" or value != str(body_length):
                    pairs.append((ORIG_PREFIX + name, value))
                continue
            pairs.append((name, value))
    pairs.append(("Content-Length", str(body_length)))
    return StatusAndHeaders(f"{code} {reason}".strip(), pairs, protocol="HTTP/1.1")


def _pages(conn: sqlite3.Connection, article_filter: tuple[str, list]) -> Iterator[tuple]:
    where, params = article_filter
    sql = (
        "select r.id, r.article_id, r.url, r.request_url, r.status, r.fetched_at, r.headers, r.body,"
        " r.codec, r.body_sha256 from raw_pages r"
        + (f" where r.article_id in (select a.id from articles a where {where})" if where else "")
        + " order by r.fetched_at, r.id"
    )
    cursor = conn.execute(sql, params)
    while batch := cursor.fetchmany(50):
        yield from batch


def write_warc(
    conn: sqlite3.Connection,
    out: BinaryIO,
    *,
    article_filter: tuple[str, list] = ("", []),
    gzip: bool = True,
    software: str = "wardnews",
) -> int:
    """Write every stored raw page (of the articles ``article_filter`` keeps) to ``out``.

    ``article_filter`` is a SQL condition on ``articles a`` and its parameters,
    as ``wardnews.research.export`` builds it for ``--since`` and ``--unit``.
    Returns the number of response records. Pages are read one batch at a
    time, so memory stays flat.
    """
    writer = WARCWriter(out, gzip=gzip, warc_version="1.1")
    info = {
        "software": software,
        "format": "WARC File Format 1.1",
        "description": "Pages of laodongthudo.vn as the wardnews crawler fetched them (table raw_pages).",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
    }
    writer.write_record(writer.create_warcinfo_record("wardnews.warc", info))
    n = 0
    for _id, article_id, url, request_url, status, fetched_at, headers, blob, codec, sha in _pages(
        conn, article_filter
    ):
        body = unpack(blob, codec)
        date = warc_date(fetched_at)
        response = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http_headers(status, json.loads(headers or "{}"), len(body)),
            warc_headers_dict={"WARC-Date": date},
        )
        writer.write_record(response)
        fields = [f"article-id: {article_id}", f"body-sha256: {sha}"]
        if request_url and request_url != url:
            fields.append(f"via: {request_url}")
        metadata = writer.create_warc_record(
            url,
            "metadata",
            payload=io.BytesIO(("\r\n".join(fields) + "\r\n").encode("utf-8")),
            warc_content_type="application/warc-fields",
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        writer.write_record(metadata)
        n += 1
    return n
