"""``wardnews export``: one line per article, with its figures, authors and units, streamed.

Rows come from one cursor and are written as they arrive, so memory stays flat
whatever the size of the database. JSONL nests lists and objects; CSV writes
them as JSON text in their cell. Both are UTF-8.

CSV cells are safe to open in a spreadsheet: a text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return (what Excel, LibreOffice
and Google Sheets read as the start of a formula) gets a leading apostrophe,
as OWASP's guidance on CSV injection says. JSONL is left as stored.

Written to a file (``write_export_file``), a failed write (a full disk, a
file-size limit) removes the partial file and says so.
"""

from __future__ import annotations

import csv
import errno
import json
import sqlite3
import stat
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TextIO

FORMATS = ("csv", "jsonl", "warc")
# Formats written as bytes (the others are UTF-8 text).
BINARY_FORMATS = ("warc",)

# What spreadsheets take for the start of a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Article columns exported as they are, in this order.
PLAIN = (
    "id",
    "site",
    "article_key",
    "url",
    "category",
    "title",
    "sapo",
    "body",
    "byline",
    "source",
    "published_at",
    "published_at_raw",
    "modified_at",
    "word_count",
    "first_seen_at",
    "last_seen_at",
    "last_changed_at",
    "extractor_version",
)
# Columns holding JSON (in the database or built by the query), decoded for JSONL.
NESTED = ("authors", "tags", "captions", "extraction", "figures", "units")
COLUMNS = PLAIN + NESTED

_SELECT = f"""
select {", ".join(f"a.{c}" for c in PLAIN)}, a.authors, a.tags,
  (select json_group_array(f.caption) from (select caption from figures f
     where f.article_id = a.id and f.caption is not null order by f.position) f) as captions,
  a.extraction,
  (select json_group_array(json_object(
      'position', f.position, 'image_url', f.image_url, 'caption', f.caption,
      'credit', f.credit, 'alt', f.alt))
   from (select * from figures f where f.article_id = a.id order by f.position) f) as figures,
  (select json_group_array(json_object(
      'unit', u.unit, 'unit_type', u.unit_type, 'mentions', u.mentions,
      'in_title', json(case when u.in_title then 'true' else 'false' end),
      'via_former', nullif(u.via_former, ''),
      'former_split', json(case when u.former_split then 'true' else 'false' end)))
   from (select * from article_units u where u.article_id = a.id
         order by u.mentions desc, u.unit, u.via_former) u) as units
from articles a
"""


class ExportError(ValueError):
    """A filter that cannot be applied (unknown unit, unreadable date)."""


class ExportWriteError(Exception):
    """The export could not be written (full disk, file-size limit); the message is one sentence."""


def spreadsheet_safe(value):
    """A CSV cell a spreadsheet shows as text: a leading apostrophe before a formula character."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def article_filter(conn: sqlite3.Connection, since: str | None, unit: str | None) -> tuple[str, list]:
    """A SQL condition on ``articles a`` for ``--since`` and ``--unit``, and its parameters ("" for all)."""
    where, params = [], []
    if since:
        try:
            date.fromisoformat(since[:10])
        except ValueError as error:
            raise ExportError(f"--since wants a date like 2025-07-01, not {since!r}") from error
        where.append("a.published_at >= ?")
        params.append(since)
    if unit:
        unit = unicodedata.normalize("NFC", unit.strip())
        known = conn.execute("select name from units where name = ?", [unit]).fetchone()
        if known is None:
            like = conn.execute(
                "select name from units where lower(name) = lower(?) or name like ? limit 5",
                [unit, f"%{unit}%"],
            ).fetchall()
            hint = f"; did you mean {', '.join(r[0] for r in like)}?" if like else ""
            raise ExportError(f"no ward or commune named {unit!r} in the units table{hint}")
        where.append("exists (select 1 from article_units x where x.article_id = a.id and x.unit = ?)")
        params.append(unit)
    return " and ".join(where), params


def export_query(conn: sqlite3.Connection, since: str | None, unit: str | None) -> tuple[str, list]:
    """SQL and parameters for the filtered export, oldest article first."""
    where, params = article_filter(conn, since, unit)
    sql = _SELECT + (" where " + where if where else "") + " order by a.id"
    return sql, params


def iter_rows(conn: sqlite3.Connection, since: str | None = None, unit: str | None = None) -> Iterator[dict]:
    """Each exported article as a dict of COLUMNS, JSON columns decoded, one at a time."""
    sql, params = export_query(conn, since, unit)
    cursor = conn.execute(sql, params)
    while batch := cursor.fetchmany(200):
        for values in batch:
            row = dict(zip(COLUMNS, values, strict=True))
            for key in NESTED:
                row[key] = json.loads(row[key]) if row[key] else ([] if key != "extraction" else {})
            yield row


def write_export(conn: sqlite3.Connection, out: TextIO, fmt: str, **filters) -> int:
    """Write the export to ``out`` in ``fmt``; returns the number of articles (of pages for warc).

    ``out`` is a text stream, or a binary one for BINARY_FORMATS.
    """
    if fmt not in FORMATS:
        raise ExportError(f"format must be one of {', '.join(FORMATS)}")
    if fmt == "warc":
        from wardnews.research.warc import write_warc

        gzip = filters.pop("gzip", True)
        return write_warc(conn, out, article_filter=article_filter(conn, **filters), gzip=gzip)
    n = 0
    if fmt == "jsonl":
        for row in iter_rows(conn, **filters):
            out.write(json.dumps(row, ensure_ascii=False))
            out.write("\n")
            n += 1
        return n
    # CRLF between records (RFC 4180): the csv module then quotes every cell holding \r or \n,
    # which a bare \r would otherwise end early.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in iter_rows(conn, **filters):
        for key in NESTED:
            row[key] = json.dumps(row[key], ensure_ascii=False)
        writer.writerow(spreadsheet_safe(row[c]) for c in COLUMNS)
        n += 1
    return n


def write_export_file(conn: sqlite3.Connection, path: str | Path, fmt: str, **filters) -> int:
    """``write_export`` into the file at ``path``; on a failed write the partial file is removed.

    Raises ExportWriteError (one sentence) when the disk refuses the file. Only
    a regular file is removed, never a device such as /dev/full.
    """
    path = Path(path)
    try:
        if fmt in BINARY_FORMATS:
            with open(path, "wb") as binary_out:
                return write_export(conn, binary_out, fmt, **filters)
        with open(path, "w", encoding="utf-8", newline="") as out:
            return write_export(conn, out, fmt, **filters)
    except OSError as error:
        removed = _remove_partial(path)
        where = path.resolve().parent
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            why = f"the disk holding {where} is full ({error.strerror})"
        elif error.errno == errno.EFBIG:
            why = f"{path} grew past the file-size limit ({error.strerror})"
        else:
            why = f"cannot write {path} ({error.strerror or error})"
        tail = f"; the partial {path} was removed" if removed else ""
        raise ExportWriteError(why + tail) from None


def _remove_partial(path: Path) -> bool:
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        path.unlink()
    except FileNotFoundError:
        return False
    return True
