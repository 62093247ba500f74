"""``boilerplate``: what the crawl learnt of each site's repeated texts, for the next run."""

from __future__ import annotations

from wardnews.store.connection import now_iso


class LearnedMixin:
    """Reading and keeping a site's learnt boilerplate (``wardnews.learning``)."""

    def stored_boilerplate(self, site: str) -> str | None:
        """The JSON document the last run kept for ``site``, or None."""
        row = self.db.execute("SELECT data FROM boilerplate WHERE site = ?", [site]).fetchone()
        return row[0] if row else None

    def save_boilerplate(self, site: str, data: str, pages: int) -> None:
        """Keep ``data`` (``Boilerplate.to_json()``) as the site's boilerplate, learnt from ``pages``."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO boilerplate (site, learned_at, pages, data) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(site) DO UPDATE SET learned_at = excluded.learned_at,"
                " pages = excluded.pages, data = excluded.data",
                [site, now_iso(), pages, data],
            )
