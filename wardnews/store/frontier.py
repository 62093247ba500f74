"""``frontier``: what a run still has to fetch, kept in the file so a killed run resumes."""

from __future__ import annotations

from collections.abc import Iterable

from wardnews.store.connection import now_iso
from wardnews.store.schema import FRONTIER_DONE, FRONTIER_PENDING


class FrontierMixin:
    """Adding to, completing and reading the crawl frontier."""

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
