"""What a crawl run did, in figures, and what its exit status is.

Exit statuses (documented in the README):
0 success, 1 failure, 2 usage error, 3 another run holds the lock, 4 degraded,
128 + the signal's number when a signal stopped the run (130 SIGINT, 143 SIGTERM).
"""

from __future__ import annotations

import signal
from dataclasses import asdict, dataclass, field
from datetime import datetime

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3
EXIT_DEGRADED = 4
# A run stopped by a signal exits as a shell reports a process killed by it: 128 + its number.
EXIT_SIGNAL_BASE = 128
EXIT_INTERRUPTED_SIGINT = EXIT_SIGNAL_BASE + signal.SIGINT  # 130
EXIT_INTERRUPTED_SIGTERM = EXIT_SIGNAL_BASE + signal.SIGTERM  # 143

# Stats keys set by wardnews.stopping when a run is stopped before its end.
INTERRUPTED_STAT = "wardnews/interrupted"  # the signal's name ("SIGTERM")
STORAGE_FAILED_STAT = "wardnews/storage_failed"  # one sentence naming the disk

# A run whose fetch errors exceed this share of its requests is degraded.
ERROR_RATE_THRESHOLD = 0.10


@dataclass
class RunSummary:
    status: str  # ok | degraded | failed | interrupted
    exit_code: int
    message: str
    pages_fetched: int = 0
    articles_new: int = 0
    articles_changed: int = 0
    articles_unchanged: int = 0
    duplicates: int = 0
    errors: int = 0
    errors_by_kind: dict[str, int] = field(default_factory=dict)
    field_coverage: dict[str, dict[str, int]] = field(default_factory=dict)
    alarms: list[str] = field(default_factory=list)
    duration_s: float | None = None
    doubtful: int = 0  # pages refused or cut short: kept, fetched again (wardnews.doubts)
    caps: dict[str, int] = field(default_factory=dict)  # bound the run stopped at -> pages left out

    def as_row(self) -> dict:
        return asdict(self)

    def line(self) -> str:
        """The one line cron mails: status first."""
        return (
            f"wardnews {self.status}: {self.pages_fetched} pages, {self.articles_new} new, "
            f"{self.articles_changed} changed, {self.articles_unchanged} unchanged, "
            f"{self.duplicates} duplicates, {self.errors} errors, {self.doubtful} doubtful"
            + (f"; {self.message}" if self.message else "")
            + (f"; stopped at {self.caps_text()}" if self.caps else "")
        )

    def caps_text(self) -> str:
        """``max articles (12 left out), max depth (3 left out)``: the bounds the run stopped at."""
        caps = sorted(self.caps.items())
        return ", ".join(f"max {name.replace('_', ' ')} ({n} left out)" for name, n in caps)


def summarise_run(stats: dict) -> RunSummary:
    """Build the run's summary from Scrapy's stats (``wardnews/*`` keys are ours)."""
    pages = int(stats.get("downloader/response_count", 0))
    errors_by_kind = {
        key.split("/", 2)[2]: value for key, value in stats.items() if key.startswith("wardnews/errors/")
    }
    coverage: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        if key.startswith("wardnews/field/"):
            _, _, name, strategy = key.split("/", 3)
            coverage.setdefault(name, {})[strategy] = value
    summary = RunSummary(
        status="ok",
        exit_code=EXIT_OK,
        message="",
        pages_fetched=pages,
        articles_new=int(stats.get("wardnews/articles/new", 0)),
        articles_changed=int(stats.get("wardnews/articles/changed", 0)),
        articles_unchanged=int(stats.get("wardnews/articles/unchanged", 0)),
        duplicates=int(stats.get("wardnews/duplicates", 0))
        + int(stats.get("wardnews/articles/republished", 0)),
        errors=int(stats.get("wardnews/errors", 0)) + int(stats.get("spider_exceptions/count", 0)),
        errors_by_kind=errors_by_kind,
        field_coverage=coverage,
        alarms=list(stats.get("wardnews/alarms", [])),
        doubtful=int(stats.get("wardnews/doubtful", 0)),
        caps=dict(stats.get("wardnews/caps") or {}),
    )
    start, finish = stats.get("start_time"), stats.get("finish_time")
    if start and not finish:  # the pipeline summarises before Scrapy stamps finish_time
        finish = datetime.now(start.tzinfo)
    if start and finish:
        summary.duration_s = round((finish - start).total_seconds(), 3)
    requests = max(int(stats.get("downloader/request_count", 0)), 1)
    reason = stats.get("finish_reason", "finished")
    if reason == "closespider_timeout":
        summary.caps["time"] = 1
    item_errors = int(stats.get("wardnews/item_errors", 0))
    storage_failed = stats.get(STORAGE_FAILED_STAT)
    interrupted = stats.get(INTERRUPTED_STAT)
    if storage_failed:
        # The disk (or the database's quota) is full: the crawl stopped at the first failed write.
        summary.status, summary.exit_code = "failed", EXIT_FAILED
        summary.message = storage_failed
    elif interrupted:
        summary.status, summary.exit_code = "interrupted", interrupted_exit_code(interrupted)
        summary.message = (
            f"stopped by {interrupted}: what was fetched is stored, the rest stays on the frontier"
            " for the next run"
        )
    elif item_errors:
        # A pipeline raised: an article could not be stored. That is our bug, never "ok".
        summary.status, summary.exit_code = "failed", EXIT_FAILED
        summary.message = f"{item_errors} items could not be stored (see the log)"
    elif pages == 0:
        summary.status, summary.exit_code = "failed", EXIT_FAILED
        summary.message = "no page could be fetched"
    elif reason not in ("finished", "closespider_itemcount", "closespider_pagecount", "closespider_timeout"):
        summary.status, summary.exit_code = "failed", EXIT_FAILED
        summary.message = f"the crawl stopped early ({reason})"
    elif summary.errors / requests > ERROR_RATE_THRESHOLD:
        summary.status, summary.exit_code = "degraded", EXIT_DEGRADED
        summary.message = f"{summary.errors} of {requests} requests failed"
    elif summary.doubtful:
        # A page refused or cut short may be a lost article: never "ok" (issue 9).
        summary.status, summary.exit_code = "degraded", EXIT_DEGRADED
        summary.message = (
            f"{summary.doubtful} article pages refused or cut short (kept in doubtful_pages, fetched again)"
        )
    if summary.alarms and summary.exit_code == EXIT_OK:
        summary.status, summary.exit_code = "degraded", EXIT_DEGRADED
        summary.message = "; ".join(summary.alarms)
    return summary


def interrupted_exit_code(signal_name: str) -> int:
    """128 + the signal's number (130 for SIGINT, 143 for SIGTERM), as a shell reports it."""
    try:
        return EXIT_SIGNAL_BASE + int(signal.Signals[signal_name])
    except KeyError:
        return EXIT_FAILED
