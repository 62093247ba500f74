"""``doubtful_pages``: pages the crawl doubted, kept raw until a fetch or a reparse settles them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from wardnews.dates import VN_TZ
from wardnews.doubts import due_before, next_try
from wardnews.items import DoubtfulPage
from wardnews.raw import RawPage
from wardnews.store.connection import now_iso

# How a doubt was settled (``doubtful_pages.resolution``).
RECOVERED, WHOLE, REPARSED_DOUBT = "recovered", "whole", "reparsed"
# ``fetch_errors.error`` of a refused page: not a 404, so it is fetched again.
REFUSED = "refused"


class DoubtfulMixin:
    """Keeping doubtful pages, settling them, and saying which are due for another try."""

    def save_doubtful_pages(self, pages: Iterable[DoubtfulPage], run_id: int | None) -> int:
        """Keep each page (newest copy), count the try and schedule the next; returns how many.

        A refused page also gets a ``fetch_errors`` row (error ``refused``), so every
        URL an article links to joins to something. Call inside the batch's transaction.
        """
        written = 0
        now = datetime.now(VN_TZ)
        at = now.isoformat(timespec="seconds")
        with self.transaction():
            for page in pages:
                raw = getattr(page, "raw", None)
                old = self.db.execute(
                    "SELECT tries, first_seen_at, resolved_at FROM doubtful_pages WHERE url = ?", [page.url]
                ).fetchone()
                tries = 1 if old is None or old[2] is not None else old[0] + 1
                article_id = None
                if page.article_url:
                    article_id = self.article_id_for(page.site, None, page.article_url)
                row = {
                    "url": page.url,
                    "site": page.site,
                    "article_id": article_id,
                    "refusal": page.refusal,
                    "truncation": page.truncation,
                    "tries": tries,
                    "first_seen_at": old[1] if old and old[2] is None else at,
                    "last_tried_at": at,
                    "next_try_at": next_try(tries, now).isoformat(timespec="seconds"),
                    "resolved_at": None,
                    "resolution": None,
                    "run_id": run_id,
                }
                if raw is not None:
                    blob, codec = raw.packed_body()
                    row.update(
                        request_url=raw.request_url,
                        status=raw.status,
                        fetched_at=raw.fetched_at,
                        headers=raw.headers_json(),
                        body=blob,
                        codec=codec,
                        body_bytes=len(raw.body),
                        body_sha256=raw.sha256,
                    )
                self.db["doubtful_pages"].upsert(row, pk="url")
                if page.refusal is not None:
                    self.db["fetch_errors"].insert(
                        {
                            "run_id": run_id,
                            "url": page.url,
                            "status": raw.status if raw else None,
                            "error": REFUSED,
                            "at": at,
                        }
                    )
                written += 1
        return written

    def settle_doubts(self, urls: Iterable[str], article_id: int, resolution: str) -> int:
        """Pages at ``urls`` gave a whole article (``article_id``): their doubt is settled."""
        at = now_iso()
        count = 0
        with self.transaction():
            for url in dict.fromkeys(urls):
                cursor = self.db.execute(
                    "UPDATE doubtful_pages SET resolved_at = ?, resolution = ?, article_id = ?"
                    " WHERE url = ? AND resolved_at IS NULL",
                    [at, resolution, article_id, url],
                )
                count += cursor.rowcount
        return count

    def doubtful_urls(self, now: datetime) -> tuple[set[str], set[str]]:
        """``(due, waiting)``: unsettled doubtful pages to fetch in a run starting ``now``, and the rest."""
        edge = due_before(now).isoformat(timespec="seconds")
        due: set[str] = set()
        waiting: set[str] = set()
        for url, next_at in self.db.execute(
            "SELECT url, next_try_at FROM doubtful_pages WHERE resolved_at IS NULL"
        ):
            (due if next_at <= edge else waiting).add(url)
        return due, waiting

    def cut_short_articles(self) -> dict[int, str]:
        """Stored articles whose page was cut short and not fetched whole since: id -> why."""
        return {
            row[0]: row[1]
            for row in self.db.execute(
                "SELECT article_id, truncation FROM doubtful_pages WHERE resolved_at IS NULL"
                " AND article_id IS NOT NULL AND truncation IS NOT NULL"
            )
        }

    def refused_pages(self) -> list[tuple[str, str | None, RawPage]]:
        """``(url, site, page)`` of every unsettled refused page, bodies unpacked, for reparse."""
        rows = self.db.execute(
            "SELECT url, site, request_url, status, fetched_at, headers, body, codec FROM doubtful_pages"
            " WHERE resolved_at IS NULL AND article_id IS NULL AND body IS NOT NULL ORDER BY url"
        ).fetchall()
        return [(url, site, RawPage.from_stored(url, *stored)) for url, site, *stored in rows]

    def update_refusal(self, url: str, refusal: str) -> None:
        """A reparse refused the page again: keep its newest reason."""
        with self.transaction():
            self.db.execute("UPDATE doubtful_pages SET refusal = ? WHERE url = ?", [refusal, url])

    def usual_page_sizes(self, site: str | None, limit: int = 400) -> list[tuple[str, int]]:
        """``(kind, bytes)`` of the latest whole pages kept; kind is ``long_read`` (.media) or ``article``."""
        return [
            ("long_read" if row[1].endswith(".media") else "article", row[0])
            for row in self.db.execute(
                "SELECT r.body_bytes, a.url FROM raw_pages r JOIN articles a ON a.id = r.article_id"
                " WHERE (? IS NULL OR a.site = ?) AND r.body_bytes IS NOT NULL"
                " AND r.article_id NOT IN (SELECT article_id FROM doubtful_pages"
                "  WHERE resolved_at IS NULL AND article_id IS NOT NULL)"
                " ORDER BY r.id DESC LIMIT ?",
                [site, site, limit],
            )
        ]
