"""The SQLite file: its schema (as ordered migrations) and every write to it.

This is the only module that knows table and column names. Writes happen in
batches, one transaction each, so a killed process leaves either a whole
batch or none of it. WAL mode lets researchers read while cron writes.
"""

from __future__ import annotations

import functools
import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

from wardnews.dates import VN_TZ
from wardnews.extract import story_hash
from wardnews.items import Article, Sighting
from wardnews.raw import CODEC as RAW_CODEC
from wardnews.raw import RawPage, pack, unpack
from wardnews.sites import SITES, SiteProfile
from wardnews.urls import alias_kind

log = logging.getLogger(__name__)

migrations = Migrations("wardnews")
FTS_TOKENIZER = "unicode61 remove_diacritics 0"  # tone marks matter: bán is not Bàn
BUSY_TIMEOUT_MS = 30_000

# What ``save_articles`` did with each article (``SaveResult.outcome``).
NEW, CHANGED, UNCHANGED, REPUBLISHED, REPARSED = ("new", "changed", "unchanged", "republished", "reparsed")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["articles"].create(
        {
            "id": int,
            "site": str,
            "article_key": str,
            "url": str,
            "category": str,
            "title": str,
            "sapo": str,
            "body": str,
            "captions": str,
            "byline": str,
            "authors": str,
            "source": str,
            "published_at": str,
            "published_at_raw": str,
            "modified_at": str,
            "modified_at_raw": str,
            "tags": str,
            "word_count": int,
            "content_hash": str,
            "story_hash": str,
            "first_seen_at": str,
            "last_seen_at": str,
            "last_changed_at": str,
            "fetched_at": str,
            "extraction": str,
            "missing": str,
            "extractor_version": str,
        },
        pk="id",
        not_null={"url", "title", "first_seen_at", "last_seen_at"},
    )
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["site", "article_key"], unique=True)
    db["articles"].create_index(["story_hash"])
    db["articles"].create_index(["published_at"])
    db["figures"].create(
        {"article_id": int, "position": int, "image_url": str, "caption": str, "credit": str, "alt": str},
        pk=("article_id", "position"),
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["links"].create(
        {"article_id": int, "position": int, "block": str, "url": str, "anchor_text": str},
        pk=("article_id", "position"),
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["links"].create_index(["url"])
    db["links"].create_index(["block"])
    db["url_aliases"].create(
        {
            "url": str,
            "article_id": int,
            "canonical_url": str,
            "article_key": str,
            "how": str,
            "first_seen_at": str,
            "last_seen_at": str,
        },
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["url_aliases"].create_index(["article_id"])
    db["url_aliases"].create_index(["canonical_url"])
    db["url_aliases"].create_index(["article_key"])
    db["revisions"].create(
        {
            "id": int,
            "article_id": int,
            "captured_at": str,
            "content_hash": str,
            "title": str,
            "sapo": str,
            "body": str,
            "captions": str,
            "byline": str,
            "published_at": str,
            "modified_at": str,
            "first_seen_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["revisions"].create_index(["article_id"])
    db["crawl_runs"].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "mode": str,
            "status": str,
            "exit_code": int,
            "message": str,
            "base_url": str,
            "pages_fetched": int,
            "articles_new": int,
            "articles_changed": int,
            "articles_unchanged": int,
            "duplicates": int,
            "errors": int,
            "errors_by_kind": str,
            "field_coverage": str,
            "alarms": str,
            "duration_s": float,
        },
        pk="id",
    )
    db["fetch_errors"].create(
        {"id": int, "run_id": int, "url": str, "status": int, "error": str, "at": str},
        pk="id",
        foreign_keys=[("run_id", "crawl_runs", "id")],
    )
    db["fetch_errors"].create_index(["url"])
    db["articles"].enable_fts(
        ["title", "sapo", "body", "captions"], create_triggers=True, tokenize=FTS_TOKENIZER
    )


# -- issue 5: ward/commune tagging and the accent-insensitive index -----------------
FOLDED_FTS_TOKENIZER = "unicode61 remove_diacritics 2"  # ban finds bán, Bàn, bạn...
FOLDED_FTS_COLUMNS = ("title", "sapo", "body", "captions")
UNIT_TAG_BATCH = 500


def fold_sql(expr: str) -> str:
    """SQL folding đ/Đ (and the look-alike ð/Ð) to d/D, which remove_diacritics leaves alone."""
    return f"replace(replace(replace(replace({expr}, 'đ', 'd'), 'Đ', 'D'), 'ð', 'd'), 'Ð', 'D')"


@functools.cache
def unit_tagger():
    """The one UnitTagger of this process (building it reads the CSV)."""
    from wardnews.units import UnitTagger

    return UnitTagger()


def write_units(db: sqlite_utils.Database) -> None:
    """Replace the ``units`` table with the shipped reference list."""
    from wardnews.units import load_units

    db.execute("DELETE FROM units")
    db["units"].insert_all(
        {
            "name": u.name,
            "type": u.type,
            "former_units": "; ".join(f.label + (" [part]" if f.partial else "") for f in u.former),
            "source": u.source,
        }
        for u in load_units()
    )


def tag_article_units(db: sqlite_utils.Database, article_id: int, title, texts) -> None:
    """Replace one article's ``article_units`` rows with what the tagger finds now."""
    db.execute("DELETE FROM article_units WHERE article_id = ?", [article_id])
    db["article_units"].insert_all(
        {
            "article_id": article_id,
            "unit": m.unit,
            "unit_type": m.unit_type,
            "mentions": m.mentions,
            "in_title": int(m.in_title),
            "via_former": m.via_former or "",
            "former_split": int(m.former_split),
        }
        for m in unit_tagger().tag(title, texts)
    )


def retag_all(db: sqlite_utils.Database, batch_size: int = UNIT_TAG_BATCH) -> int:
    """Re-tag every stored article, one transaction per batch; returns the number tagged."""
    with db.atomic():
        write_units(db)
    done, last_id = 0, 0
    while True:
        rows = db.execute(
            "SELECT id, title, sapo, body, captions FROM articles WHERE id > ? ORDER BY id LIMIT ?",
            [last_id, batch_size],
        ).fetchall()
        if not rows:
            return done
        with db.atomic():
            for article_id, title, sapo, body, captions in rows:
                tag_article_units(db, article_id, title, (sapo, body, captions))
        done += len(rows)
        last_id = rows[-1][0]


@migrations()
def m002_units(db: sqlite_utils.Database) -> None:
    db["units"].create({"name": str, "type": str, "former_units": str, "source": str}, pk="name")
    db["article_units"].create(
        {
            "article_id": int,
            "unit": str,
            "unit_type": str,
            "mentions": int,
            "in_title": int,
            "via_former": str,  # "" when the article names the unit itself (a primary key part)
            "former_split": int,
        },
        pk=("article_id", "unit", "via_former"),
        not_null={"via_former"},
        defaults={"via_former": ""},
        foreign_keys=[("article_id", "articles", "id")],  # units.name joins by value: retag may rewrite units
    )
    db["article_units"].create_index(["unit", "article_id"])
    write_units(db)
    for article_id, title, sapo, body, captions in db.execute(
        "SELECT id, title, sapo, body, captions FROM articles"
    ).fetchall():
        tag_article_units(db, article_id, title, (sapo, body, captions))


# -- issue 4: the crawl frontier, kept in the file so a killed run resumes ----------
FRONTIER_PENDING, FRONTIER_DONE = "pending", "done"


@migrations()
def m003_raw_pages(db: sqlite_utils.Database) -> None:
    db["raw_pages"].create(
        {
            "id": int,
            "article_id": int,
            "url": str,  # the response URL, after redirects
            "request_url": str,
            "status": int,
            "fetched_at": str,
            "headers": str,  # JSON: header name -> list of values
            "body": bytes,  # the body, packed with `codec` (wardnews.raw)
            "codec": str,
            "body_bytes": int,  # length before packing
            "body_sha256": str,
            "content_hash": str,  # the article's content hash when this copy was stored
        },
        pk="id",
        not_null={"article_id", "url", "body", "codec", "fetched_at"},
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["raw_pages"].create_index(["article_id", "fetched_at"])


@migrations()
def m004_frontier(db: sqlite_utils.Database) -> None:
    db["frontier"].create(
        {
            "url": str,
            "kind": str,  # listing | article
            "hops": int,  # related-link hops from a listing (articles)
            "page": int,  # listing page number (listings)
            "state": str,  # pending | done
            "reason": str,  # why it is fetched: new, recheck, start, resume...
            "added_at": str,
            "updated_at": str,
            "run_id": int,
        },
        pk="url",
        not_null={"kind", "state"},
    )
    db["frontier"].create_index(["state"])
    db["fetch_errors"].create_index(["at"], if_not_exists=True)


# -- issue 3: raw responses, kept so `wardnews reparse` needs no network ------------
@migrations()
def m005_folded_fts(db: sqlite_utils.Database) -> None:
    """``articles_fts_folded``: tone marks and đ ignored, for people typing without diacritics.

    An external-content FTS5 table over ``articles`` (so snippets show the stored
    text) whose triggers index a copy with đ/Đ folded to d/D (``fold_sql``):
    folding keeps token boundaries, so snippet offsets stay right. Never run its
    'rebuild' command (it would index the unfolded text); ``rebuild_folded_fts``
    does it properly.
    """
    cols = ", ".join(FOLDED_FTS_COLUMNS)
    db.execute(
        f"CREATE VIRTUAL TABLE articles_fts_folded USING fts5({cols}, content='articles',"
        f" content_rowid='id', tokenize='{FOLDED_FTS_TOKENIZER}')"
    )
    new = ", ".join(fold_sql(f"new.{c}") for c in FOLDED_FTS_COLUMNS)
    old = ", ".join(fold_sql(f"old.{c}") for c in FOLDED_FTS_COLUMNS)
    delete = (
        f"INSERT INTO articles_fts_folded (articles_fts_folded, rowid, {cols})"
        f" VALUES ('delete', old.id, {old});"
    )
    insert = f"INSERT INTO articles_fts_folded (rowid, {cols}) VALUES (new.id, {new});"
    db.execute(f"CREATE TRIGGER articles_folded_ai AFTER INSERT ON articles BEGIN {insert} END")
    db.execute(f"CREATE TRIGGER articles_folded_ad AFTER DELETE ON articles BEGIN {delete} END")
    db.execute(f"CREATE TRIGGER articles_folded_au AFTER UPDATE ON articles BEGIN {delete} {insert} END")
    rebuild_folded_fts(db)


def rebuild_folded_fts(db: sqlite_utils.Database) -> None:
    """Re-index every article in ``articles_fts_folded`` from its folded text."""
    cols = ", ".join(FOLDED_FTS_COLUMNS)
    folded = ", ".join(fold_sql(c) for c in FOLDED_FTS_COLUMNS)
    db.execute("INSERT INTO articles_fts_folded (articles_fts_folded) VALUES ('delete-all')")
    db.execute(f"INSERT INTO articles_fts_folded (rowid, {cols}) SELECT id, {folded} FROM articles")


@dataclass
class SaveResult:
    """What happened to one article: its row id and one of the outcome words above."""

    article_id: int | None
    outcome: str


def _published_earlier(article: Article, stored_published_at, stored_key) -> bool:
    """True when ``article`` is the older of two copies of one story (earlier date, then lower id)."""

    def rank(published_at, key):
        return (published_at or "9999", int(key) if key and key.isdigit() else 10**12)

    return rank(article.published_at, article.article_key) < rank(stored_published_at, stored_key)


def now_iso() -> str:
    return datetime.now(VN_TZ).isoformat(timespec="seconds")


class Store:
    """One open database. Use as a context manager, or call ``close()``."""

    def __init__(
        self, path: str | Path, *, readonly: bool = False, sites: dict[str, SiteProfile] | None = None
    ):
        self.path = Path(path)
        # Profiles by key, to tell how an alias differs; a mirror crawl passes its rebased profile.
        self.sites = {**SITES, **(sites or {})}
        if readonly:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.db = sqlite_utils.Database(conn)
        if not readonly:
            self.db.enable_wal()
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrations.apply(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write; nested calls join the outer transaction."""
        with self.db.atomic():
            yield

    # -- runs ----------------------------------------------------------------------
    def start_run(self, mode: str, base_url: str | None = None) -> int:
        with self.transaction():
            table = self.db["crawl_runs"]
            table.insert({"started_at": now_iso(), "mode": mode, "status": "running", "base_url": base_url})
            return table.last_pk

    def finish_run(self, run_id: int, **values) -> None:
        for key in ("errors_by_kind", "field_coverage", "alarms"):
            if key in values and not isinstance(values[key], str):
                values[key] = json.dumps(values[key], ensure_ascii=False, sort_keys=True)
        values.setdefault("finished_at", now_iso())
        with self.transaction():
            self.db["crawl_runs"].update(run_id, values)

    def record_fetch_error(self, run_id: int | None, url: str, status: int | None, error: str) -> None:
        with self.transaction():
            self.db["fetch_errors"].insert(
                {"run_id": run_id, "url": url, "status": status, "error": error, "at": now_iso()}
            )

    # -- lookups (the "have we seen this?" questions) ----------------------------
    def article_id_for(self, site: str | None, article_key: str | None, url: str | None) -> int | None:
        if site and article_key:
            row = self.db.execute(
                "SELECT id FROM articles WHERE site = ? AND article_key = ?", [site, article_key]
            ).fetchone()
            if row:
                return row[0]
        if url:
            row = self.db.execute("SELECT id FROM articles WHERE url = ?", [url]).fetchone()
            if row:
                return row[0]
            row = self.db.execute(
                "SELECT article_id FROM url_aliases WHERE url = ? AND article_id IS NOT NULL", [url]
            ).fetchone()
            if row:
                return row[0]
        return None

    def is_known_url(self, url: str) -> bool:
        """True when ``url`` (as stored: canonical or alias) belongs to a stored article."""
        return (
            self.db.execute(
                "SELECT 1 FROM articles WHERE url = ? UNION ALL "
                "SELECT 1 FROM url_aliases WHERE url = ? AND article_id IS NOT NULL LIMIT 1",
                [url, url],
            ).fetchone()
            is not None
        )

    def known_article(self, site: str | None, article_key: str | None, url: str | None):
        """(id, published_at or first_seen_at) of a stored article, or None."""
        article_id = self.article_id_for(site, article_key, url)
        if article_id is None:
            return None
        row = self.db.execute(
            "SELECT id, COALESCE(published_at, first_seen_at) FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        return (row[0], row[1]) if row else None

    def recent_article_urls(self, since: str, site: str | None = None) -> list[str]:
        """Canonical URLs of articles published (or first seen, if undated) at or after ``since``."""
        return [
            row[0]
            for row in self.db.execute(
                "SELECT url FROM articles WHERE COALESCE(published_at, first_seen_at) >= ?"
                " AND (? IS NULL OR site = ?) ORDER BY COALESCE(published_at, first_seen_at) DESC",
                [since, site, site],
            )
        ]

    def gone_urls(self, since: str) -> set[str]:
        """URLs that answered 404/410 or were no article page, in a fetch error at or after ``since``."""
        return {
            row[0]
            for row in self.db.execute(
                "SELECT DISTINCT url FROM fetch_errors WHERE at >= ?"
                " AND (status IN (404, 410) OR error = 'not_article')",
                [since],
            )
        }

    # -- the frontier (issue 4) ------------------------------------------------------
    def frontier_add(
        self, url: str, kind: str, *, hops: int = 0, page: int = 1, reason: str = "", run_id=None
    ) -> None:
        """Put ``url`` on the frontier as pending (again, if an earlier run had done it)."""
        at = now_iso()
        self.db.execute(
            "INSERT INTO frontier (url, kind, hops, page, state, reason, added_at, updated_at, run_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET state = excluded.state,"
            " updated_at = excluded.updated_at, run_id = excluded.run_id",
            [url, kind, hops, page, FRONTIER_PENDING, reason, at, at, run_id],
        )  # sqlite-utils commits it at once, unless inside transaction()

    def frontier_done(self, urls: Iterable[str]) -> None:
        """Mark ``urls`` done; inside ``transaction()`` this commits with the batch it belongs to."""
        with self.transaction():
            self.db.conn.executemany(
                "UPDATE frontier SET state = ?, updated_at = ? WHERE url = ? AND state != ?",
                [(FRONTIER_DONE, now_iso(), url, FRONTIER_DONE) for url in urls],
            )

    def frontier_pending(self) -> list[dict]:
        """What an earlier, killed run still had to fetch, oldest first."""
        cursor = self.db.execute(
            "SELECT url, kind, hops, page, reason FROM frontier WHERE state = ? ORDER BY rowid",
            [FRONTIER_PENDING],
        )
        return [dict(zip(("url", "kind", "hops", "page", "reason"), row, strict=True)) for row in cursor]

    def frontier_clear(self) -> None:
        """Forget the frontier: called when a run has walked all of it."""
        with self.transaction():
            self.db.execute("DELETE FROM frontier")

    def mark_killed_runs(self) -> int:
        """Runs still 'running' (their process died without closing them) become 'killed'."""
        with self.transaction():
            cursor = self.db.execute(
                "UPDATE crawl_runs SET status = 'killed', exit_code = NULL, message ="
                " 'the process ended without closing its run (killed, or the machine stopped)'"
                " WHERE status = 'running'"
            )
            return cursor.rowcount

    # -- writing articles ----------------------------------------------------------
    def save_articles(self, articles: Iterable[Article], *, reparse: bool = False) -> list[SaveResult]:
        """Store a batch in one transaction. ``reparse`` replaces rows without writing revisions."""
        results = []
        with self.transaction():
            for article in articles:
                results.append(self._save_one(article, reparse=reparse))
        return results

    def _save_one(self, article: Article, *, reparse: bool) -> SaveResult:
        seen_at = article.fetched_at or now_iso()
        existing_id = self.article_id_for(article.site, article.article_key, article.url)
        story = story_hash(article.title, article.body)
        if existing_id is None and story:
            original = self.db.execute(
                "SELECT id, url, published_at, article_key FROM articles WHERE story_hash = ?"
                " AND (article_key IS NOT ? OR url != ?)",
                [story, article.article_key, article.url],
            ).fetchone()
            if original and _published_earlier(article, original[2], original[3]):
                self._become_original(original[0], original[1], article, story, seen_at)
                return SaveResult(original[0], REPUBLISHED)
            if original:
                self._add_aliases(original[0], article, seen_at, republished=True)
                return SaveResult(original[0], REPUBLISHED)
        row = self._row(article, story)
        if existing_id is None:
            row.update(first_seen_at=seen_at, last_seen_at=seen_at, last_changed_at=seen_at)
            table = self.db["articles"]
            table.insert(row)
            article_id = table.last_pk
            self._replace_children(article_id, article)
            self._add_aliases(article_id, article, seen_at)
            return SaveResult(article_id, NEW)
        old = self.db.execute(
            "SELECT content_hash, extractor_version, article_key FROM articles WHERE id = ?", [existing_id]
        ).fetchone()
        if article.article_key and old[2] and old[2] != article.article_key:
            # A republished copy fetched again (its URL is an alias of the original): not an edit.
            self._add_aliases(existing_id, article, seen_at, republished=True)
            return SaveResult(existing_id, REPUBLISHED)
        self._add_aliases(existing_id, article, seen_at)
        if old[0] == row["content_hash"] and not reparse:
            self.db.execute("UPDATE articles SET last_seen_at = ? WHERE id = ?", [seen_at, existing_id])
            return SaveResult(existing_id, UNCHANGED)
        if reparse:
            row.pop("fetched_at", None)
        else:
            self._write_revision(existing_id)
            row.update(last_seen_at=seen_at, last_changed_at=seen_at)
        self.db["articles"].update(existing_id, row)
        self._replace_children(existing_id, article)
        return SaveResult(existing_id, REPARSED if reparse else CHANGED)

    def _become_original(self, article_id: int, copy_url: str, article: Article, story, seen_at) -> None:
        """The stored row was a republished copy that arrived first: the original takes its place.

        The row keeps its id (and so its figures, links and aliases stay attached);
        the copy's URL stays as an alias marked ``republished``.
        """
        self.db.execute("UPDATE url_aliases SET how = 'republished' WHERE url = ?", [copy_url])
        self.db["articles"].update(article_id, self._row(article, story))
        self._replace_children(article_id, article)
        self._add_aliases(article_id, article, seen_at)

    def _row(self, article: Article, story: str | None) -> dict:
        return {
            "site": article.site,
            "article_key": article.article_key,
            "url": article.url,
            "category": article.category,
            "title": article.title,
            "sapo": article.sapo,
            "body": article.body,
            "captions": "\n".join(f.caption for f in article.figures if f.caption) or None,
            "byline": article.byline,
            "authors": json.dumps(article.authors, ensure_ascii=False),
            "source": article.source,
            "published_at": article.published_at,
            "published_at_raw": article.published_at_raw,
            "modified_at": article.modified_at,
            "modified_at_raw": article.modified_at_raw,
            "tags": json.dumps(article.tags, ensure_ascii=False),
            "word_count": article.word_count,
            "content_hash": article.content_hash,
            "story_hash": story,
            "fetched_at": article.fetched_at,
            "extraction": json.dumps(article.extraction, sort_keys=True),
            "missing": json.dumps(article.missing, ensure_ascii=False, sort_keys=True),
            "extractor_version": article.extractor_version,
        }

    def _write_revision(self, article_id: int) -> None:
        self.db.execute(
            "INSERT INTO revisions (article_id, captured_at, content_hash, title, sapo, body, captions,"
            " byline, published_at, modified_at, first_seen_at)"
            " SELECT id, ?, content_hash, title, sapo, body, captions, byline, published_at,"
            " modified_at, last_changed_at FROM articles WHERE id = ?",
            [now_iso(), article_id],
        )

    def _replace_children(self, article_id: int, article: Article) -> None:
        self.db.execute("DELETE FROM figures WHERE article_id = ?", [article_id])
        self.db.execute("DELETE FROM links WHERE article_id = ?", [article_id])
        self.db["figures"].insert_all(
            (
                {
                    "article_id": article_id,
                    "position": i,
                    "image_url": f.image_url,
                    "caption": f.caption,
                    "credit": f.credit,
                    "alt": f.alt,
                }
                for i, f in enumerate(article.figures)
            )
        )
        self.db["links"].insert_all(
            (
                {
                    "article_id": article_id,
                    "position": i,
                    "block": link.block,
                    "url": link.url,
                    "anchor_text": link.anchor_text,
                }
                for i, link in enumerate(article.links)
            )
        )
        captions = [f.caption for f in article.figures]
        tag_article_units(self.db, article_id, article.title, [article.sapo, article.body, *captions])

    def _add_aliases(
        self, article_id: int, article: Article, seen_at: str, republished: bool = False
    ) -> None:
        site = self.sites.get(article.site or "")
        for url in dict.fromkeys(u for u in (article.url, article.fetched_url) if u):
            how = "republished" if republished else alias_kind(url, article.url, site)
            self._upsert_alias(url, article_id, article.url, article.article_key, how, seen_at)
        self._claim_pending_aliases(article_id, article)

    def _upsert_alias(self, url, article_id, canonical_url, article_key, how, seen_at) -> None:
        self.db.execute(
            "INSERT INTO url_aliases (url, article_id, canonical_url, article_key, how, first_seen_at,"
            " last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(url) DO UPDATE SET last_seen_at = excluded.last_seen_at,"
            " article_id = COALESCE(url_aliases.article_id, excluded.article_id)",
            [url, article_id, canonical_url, article_key, how, seen_at, seen_at],
        )

    def record_sightings(self, sightings: Iterable[Sighting]) -> None:
        """URLs seen in links or reached twice: kept as aliases.

        The article they lead to may not be stored yet; ``article_id`` is filled in
        when it is (see ``_claim_pending_aliases``).
        """
        seen_at = now_iso()
        with self.transaction():
            for s in sightings:
                how = s.how or alias_kind(s.url, s.canonical_url, self.sites.get(s.site or ""))
                article_id = self.article_id_for(s.site, s.article_key, s.canonical_url)
                self._upsert_alias(s.url, article_id, s.canonical_url, s.article_key, how, seen_at)

    def _claim_pending_aliases(self, article_id: int, article: Article) -> None:
        """URLs sighted before their article was stored now point at it.

        Only the aliases of this one article are looked up (both columns indexed), so
        the cost of a batch does not grow with the table.
        """
        self.db.execute(
            "UPDATE url_aliases SET article_id = ? WHERE article_id IS NULL AND canonical_url = ?",
            [article_id, article.url],
        )
        if article.article_key:
            self.db.execute(
                "UPDATE url_aliases SET article_id = ? WHERE article_id IS NULL AND article_key = ?"
                " AND how != 'republished'",
                [article_id, article.article_key],
            )

    # -- raw pages (issue 3) -----------------------------------------------------------
    def save_raw_pages(self, pairs: Iterable[tuple[Article, SaveResult]]) -> int:
        """Keep each article's fetched page beside it; returns how many were written.

        One copy per article and content: a fetch whose article is unchanged
        replaces the latest copy, a fetch that changed the article adds one
        (the older copy stays, the source of the revision). Pages that became
        an alias of another article (republished, duplicate) are not kept.
        Call inside the transaction that saved the articles.
        """
        written = 0
        with self.transaction():
            for article, result in pairs:
                raw = getattr(article, "raw", None)
                kept = result.outcome in (NEW, CHANGED, UNCHANGED)
                if raw is None or result.article_id is None or not kept:
                    continue
                row = {
                    "article_id": result.article_id,
                    "url": raw.url,
                    "request_url": raw.request_url,
                    "status": raw.status,
                    "fetched_at": raw.fetched_at,
                    "headers": raw.headers_json(),
                    "body": pack(raw.body),
                    "codec": RAW_CODEC,
                    "body_bytes": len(raw.body),
                    "body_sha256": raw.sha256,
                    "content_hash": article.content_hash,
                }
                latest = self.db.execute(
                    "SELECT id, content_hash FROM raw_pages WHERE article_id = ?"
                    " ORDER BY fetched_at DESC, id DESC LIMIT 1",
                    [result.article_id],
                ).fetchone()
                if latest and (result.outcome == UNCHANGED or latest[1] == article.content_hash):
                    self.db["raw_pages"].update(latest[0], row)
                else:
                    self.db["raw_pages"].insert(row)
                written += 1
        return written

    def latest_raw_page_ids(self) -> list[int]:
        """The newest stored page of every article, by ``raw_pages.id``, in article order."""
        return [
            row[0]
            for row in self.db.execute(
                "SELECT (SELECT r.id FROM raw_pages r WHERE r.article_id = a.id"
                " ORDER BY r.fetched_at DESC, r.id DESC LIMIT 1) AS raw_id"
                " FROM articles a WHERE raw_id IS NOT NULL ORDER BY a.id"
            )
        ]

    def raw_pages(self, ids: Iterable[int]) -> list[tuple[int, str | None, RawPage]]:
        """``(article_id, site, page)`` for the given ``raw_pages`` ids, bodies unpacked."""
        ids = list(ids)
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        rows = self.db.execute(
            "SELECT r.article_id, a.site, r.url, r.request_url, r.status, r.fetched_at, r.headers,"
            " r.body, r.codec FROM raw_pages r JOIN articles a ON a.id = r.article_id"
            f" WHERE r.id IN ({marks}) ORDER BY r.article_id",
            ids,
        ).fetchall()
        return [
            (
                article_id,
                site,
                RawPage(
                    url=url,
                    body=unpack(body, codec),
                    fetched_at=fetched_at,
                    status=status,
                    request_url=request_url,
                    headers=json.loads(headers or "{}"),
                ),
            )
            for article_id, site, url, request_url, status, fetched_at, headers, body, codec in rows
        ]

    def recent_field_coverage(self, limit: int, before_run: int | None = None) -> list[dict]:
        """``field_coverage`` of the last ``limit`` successful crawls (status ok), newest first."""
        rows = self.db.execute(
            "SELECT field_coverage FROM crawl_runs WHERE status = 'ok' AND mode != 'url'"
            " AND field_coverage IS NOT NULL AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?",
            [before_run, before_run, limit],
        ).fetchall()
        return [json.loads(row[0]) for row in rows]

    # -- reading ---------------------------------------------------------------------
    def article_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def report_lines(self) -> list[str]:
        """Plain-text lines for ``wardnews stats``."""
        q = self.db.execute
        total = q("SELECT count(*) FROM articles").fetchone()[0]
        first, last = q("SELECT min(published_at), max(published_at) FROM articles").fetchone()
        lines = [
            f"articles: {total}",
            f"published: {first or '-'} .. {last or '-'}",
            f"url aliases: {q('SELECT count(*) FROM url_aliases').fetchone()[0]}",
            f"revisions: {q('SELECT count(*) FROM revisions').fetchone()[0]}",
            "field coverage (share of articles by strategy):",
        ]
        coverage: dict[str, dict[str, int]] = {}
        for (extraction,) in q("SELECT extraction FROM articles"):
            for field_name, strategy in json.loads(extraction or "{}").items():
                coverage.setdefault(field_name, {}).setdefault(strategy, 0)
                coverage[field_name][strategy] += 1
        for field_name in sorted(coverage):
            shares = ", ".join(
                f"{s} {n / max(total, 1):.0%}" for s, n in sorted(coverage[field_name].items())
            )
            lines.append(f"  {field_name:<13} {shares}")
        lines.append("last runs:")
        for row in q(
            "SELECT id, started_at, mode, status, pages_fetched, articles_new, articles_changed,"
            " articles_unchanged, errors, duration_s FROM crawl_runs ORDER BY id DESC LIMIT 5"
        ):
            *figures, duration = ("-" if value is None else value for value in row)
            took = f"{duration:.1f}s" if duration != "-" else "-"
            lines.append(
                "  #{} {} {:<7} {:<8} pages={} new={} changed={} unchanged={} errors={}".format(*figures)
                + f" took={took}"
            )
        return lines
