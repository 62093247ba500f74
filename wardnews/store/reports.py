"""Plain-text summaries of the database (``wardnews stats``)."""

from __future__ import annotations

import json


class ReportsMixin:
    """Counts and coverage for people reading the terminal."""

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
