"""``crawl_runs`` and ``fetch_errors``: what each run did, and what failed.

An open run (status ``running``) is backed by a lock held by its process
(``wardnews.lock.RunLocks``), taken in the transaction that inserts the row:
``mark_killed_runs`` closes only the runs whose process is gone, never the
row of a crawl or ``fetch --store`` still working in another process.
"""

from __future__ import annotations

import json

from wardnews.lock import RunLocks
from wardnews.store.connection import now_iso

KILLED_MESSAGE = "the process ended without closing its run (killed, the machine stopped, or a full disk)"


class RunsMixin:
    """Opening, closing and reading crawl runs; recording fetch errors."""

    def _run_locks(self) -> RunLocks:
        return RunLocks.for_db(self.path)

    def start_run(self, mode: str, base_url: str | None = None) -> int:
        with self.transaction():
            table = self.db["crawl_runs"]
            table.insert({"started_at": now_iso(), "mode": mode, "status": "running", "base_url": base_url})
            run_id = table.last_pk
            self._run_locks().hold(run_id)  # before the row is visible to anyone else
        return run_id

    def finish_run(self, run_id: int, **values) -> None:
        for key in ("errors_by_kind", "field_coverage", "alarms"):
            if key in values and not isinstance(values[key], str):
                values[key] = json.dumps(values[key], ensure_ascii=False, sort_keys=True)
        values.setdefault("finished_at", now_iso())
        with self.transaction():
            self.db["crawl_runs"].update(run_id, values)
        self._run_locks().release(run_id)

    def run_status(self, run_id: int) -> str | None:
        row = self.db.execute("SELECT status FROM crawl_runs WHERE id = ?", [run_id]).fetchone()
        return row[0] if row else None

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
        """Runs still 'running' whose process is gone become 'killed'; returns how many."""
        locks = self._run_locks()
        with self.transaction():  # BEGIN IMMEDIATE: no run can open or close while we look
            running = [
                row[0] for row in self.db.execute("SELECT id FROM crawl_runs WHERE status = 'running'")
            ]
            dead = [run_id for run_id in running if not locks.alive(run_id)]
            self.db.conn.executemany(
                "UPDATE crawl_runs SET status = 'killed', exit_code = NULL, message = ? WHERE id = ?",
                [(KILLED_MESSAGE, run_id) for run_id in dead],
            )
        return len(dead)

    def recent_field_coverage(self, limit: int, before_run: int | None = None) -> list[dict]:
        """``field_coverage`` of the last ``limit`` successful crawls (status ok), newest first."""
        rows = self.db.execute(
            "SELECT field_coverage FROM crawl_runs WHERE status = 'ok' AND mode != 'url'"
            " AND field_coverage IS NOT NULL AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?",
            [before_run, before_run, limit],
        ).fetchall()
        return [json.loads(row[0]) for row in rows]
