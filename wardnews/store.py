"""The SQLite file: its schema (as ordered migrations) and every write to it.

This is the only module that knows table and column names. Writes happen in
batches, one transaction each, so a killed process leaves either a whole
batch or none of it. WAL mode lets researchers read while cron writes.
"""

from __future__ import annotations

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
from wardnews.sites import SITES, SiteProfile
from wardnews.urls import alias_kind

log = logging.getLogger(__name__)

migrations = Migrations("wardnews")
FTS_TOKENIZER = "unicode61 remove_diacritics 0"  # tone marks matter: bán is not Bàn
BUSY_TIMEOUT_MS = 30_000

NEW, CHANGED, UNCHANGED, DUPLICATE, REPUBLISHED, REPARSED = (
    "new",
    "changed",
    "unchanged",
    "duplicate",
    "republished",
    "reparsed",
)


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


@dataclass
class SaveResult:
    """What happened to one article: its row id and one of the outcome words above."""

    article_id: int | None
    outcome: str


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

    # -- writing articles ----------------------------------------------------------
    def save_articles(self, articles: Iterable[Article], *, reparse: bool = False) -> list[SaveResult]:
        """Store a batch in one transaction. ``reparse`` replaces rows without writing revisions."""
        results = []
        with self.transaction():
            for article in articles:
                results.append(self._save_one(article, reparse=reparse))
            self._resolve_pending_aliases()
        return results

    def _save_one(self, article: Article, *, reparse: bool) -> SaveResult:
        seen_at = article.fetched_at or now_iso()
        existing_id = self.article_id_for(article.site, article.article_key, article.url)
        story = story_hash(article.title, article.body)
        if existing_id is None and story:
            original = self.db.execute(
                "SELECT id FROM articles WHERE story_hash = ? AND (article_key IS NOT ? OR url != ?)",
                [story, article.article_key, article.url],
            ).fetchone()
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
            "SELECT content_hash, extractor_version FROM articles WHERE id = ?", [existing_id]
        ).fetchone()
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

    def _add_aliases(
        self, article_id: int, article: Article, seen_at: str, republished: bool = False
    ) -> None:
        site = self.sites.get(article.site or "")
        for url in dict.fromkeys(u for u in (article.url, article.fetched_url) if u):
            how = "republished" if republished else alias_kind(url, article.url, site)
            self._upsert_alias(url, article_id, article.url, article.article_key, how, seen_at)

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
        when it is (see ``_resolve_pending_aliases``).
        """
        seen_at = now_iso()
        with self.transaction():
            for s in sightings:
                how = s.how or alias_kind(s.url, s.canonical_url, self.sites.get(s.site or ""))
                article_id = self.article_id_for(s.site, s.article_key, s.canonical_url)
                self._upsert_alias(s.url, article_id, s.canonical_url, s.article_key, how, seen_at)

    def _resolve_pending_aliases(self) -> None:
        self.db.execute(
            "UPDATE url_aliases SET article_id = (SELECT a.id FROM articles a WHERE a.url ="
            " url_aliases.canonical_url OR (a.article_key = url_aliases.article_key AND"
            " url_aliases.how != 'republished')) WHERE article_id IS NULL"
        )

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
            " errors FROM crawl_runs ORDER BY id DESC LIMIT 5"
        ):
            lines.append("  #{} {} {:<7} {:<8} pages={} new={} changed={} errors={}".format(*row))
        return lines
