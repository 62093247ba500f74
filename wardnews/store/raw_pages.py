"""``raw_pages``: each article's fetched page, packed, for ``wardnews reparse``."""

from __future__ import annotations

from collections.abc import Iterable

from wardnews.items import Article
from wardnews.raw import RawPage
from wardnews.store.articles import CHANGED, NEW, UNCHANGED, SaveResult


class RawPagesMixin:
    """Keeping and reading raw pages."""

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
                body, codec = raw.packed_body()
                row = {
                    "article_id": result.article_id,
                    "url": raw.url,
                    "request_url": raw.request_url,
                    "status": raw.status,
                    "fetched_at": raw.fetched_at,
                    "headers": raw.headers_json(),
                    "body": body,
                    "codec": codec,
                    "body_bytes": len(raw.body),
                    "body_sha256": raw.sha256,
                    "content_hash": article.content_hash,
                }
                latest = self.db.execute(
                    "SELECT id, content_hash FROM raw_pages WHERE article_id = ?"
                    " ORDER BY fetched_at DESC, id DESC LIMIT 1",
                    [result.article_id],
                ).fetchone()
                columns = list(row)
                if latest and (result.outcome == UNCHANGED or latest[1] == article.content_hash):
                    self.db.conn.execute(
                        f"UPDATE raw_pages SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
                        [*row.values(), latest[0]],
                    )
                else:
                    self.db.conn.execute(
                        f"INSERT INTO raw_pages ({', '.join(columns)}) VALUES ({', '.join('?' * len(row))})",
                        list(row.values()),
                    )
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

    def still_latest(self, ids: Iterable[int]) -> set[int]:
        """Those of ``raw_pages`` ``ids`` that are still their article's newest page (indexed lookups)."""
        ids = list(ids)
        if not ids:
            return set()
        marks = ", ".join("?" * len(ids))
        return {
            row[0]
            for row in self.db.execute(
                f"SELECT r.id FROM raw_pages r WHERE r.id IN ({marks}) AND r.id = (SELECT n.id"
                " FROM raw_pages n WHERE n.article_id = r.article_id"
                " ORDER BY n.fetched_at DESC, n.id DESC LIMIT 1)",
                ids,
            )
        }

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
        return [(article_id, site, RawPage.from_stored(*stored)) for article_id, site, *stored in rows]
