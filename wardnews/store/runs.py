"""``crawl_runs`` and ``fetch_errors``: what each run did, and what failed."""

from __future__ import annotations

import json

from wardnews.store.connection import now_iso


class RunsMixin:
    """Opening, closing and reading crawl runs; recording fetch errors."""

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

    def mark_killed_runs(self) -> int:
        """Runs still 'running' (their process died without closing them) become 'killed'."""
        with self.transaction():
            cursor = self.db.execute(
                "UPDATE crawl_runs SET status = 'killed', exit_code = NULL, message ="
                " 'the process ended without closing its run (killed, or the machine stopped)'"
                " WHERE status = 'running'"
            )
            return cursor.rowcount

    def recent_field_coverage(self, limit: int, before_run: int | None = None) -> list[dict]:
        """``field_coverage`` of the last ``limit`` successful crawls (status ok), newest first."""
        rows = self.db.execute(
            "SELECT field_coverage FROM crawl_runs WHERE status = 'ok' AND mode != 'url'"
            " AND field_coverage IS NOT NULL AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?",
            [before_run, before_run, limit],
        ).fetchall()
        return [json.loads(row[0]) for row in rows]
