"""The markup-change alarm: a field's coverage or site-selector share fell sharply tonight.

Each run records, per extracted field, how many articles got it from each
strategy (``crawl_runs.field_coverage``: field -> {site, metadata, heuristic,
none: count}). For one field:

- *coverage* is the share of the run's articles that got the field (any
  strategy but ``none``);
- *site share* is the share that got it from the portal's own selectors.

A run raises an alarm for a field when either share is more than
``MAX_DROP`` (30 percentage points) below its baseline, the median over the
previous ``WINDOW`` (5) successful runs (status ``ok``, not single-URL
fetches) that saw at least ``MIN_ARTICLES`` (10) articles (looking back at
most 4 x ``WINDOW`` runs, so quiet incremental nights are passed over), and
the run itself saw at least ``MIN_ARTICLES`` articles. A field that is often
absent on a healthy night (``modified_at``) stays quiet unless its share
falls that far below its own median. The alarms go to the log, to
``crawl_runs.alarms``, and make the run ``degraded`` (exit status 4). A
degraded run is never a baseline, so a broken selector keeps alarming every
night until it is fixed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from statistics import median

from wardnews.items import NONE, SITE

log = logging.getLogger(__name__)

WINDOW = 5  # previous successful runs the baseline is taken over
MIN_ARTICLES = 10  # articles a run needs before its shares mean anything
MAX_DROP = 0.30  # absolute fall in a share (0.30 = 30 percentage points) that raises an alarm

Coverage = Mapping[str, Mapping[str, int]]  # field -> strategy -> articles


def shares(coverage: Coverage) -> dict[str, tuple[int, float, float]]:
    """Per field: (articles, coverage share, site share)."""
    out = {}
    for field, counts in coverage.items():
        total = sum(int(n) for n in counts.values())
        if total:
            found = total - int(counts.get(NONE, 0))
            out[field] = (total, found / total, int(counts.get(SITE, 0)) / total)
    return out


def run_size(coverage: Coverage) -> int:
    """Articles a run extracted: the most any field was counted over."""
    return max((sum(int(n) for n in counts.values()) for counts in coverage.values()), default=0)


def find_alarms(
    current: Coverage,
    previous: Iterable[Coverage],
    *,
    max_drop: float = MAX_DROP,
    min_articles: int = MIN_ARTICLES,
) -> list[str]:
    """One sentence per field whose coverage or site share fell more than ``max_drop``.

    ``previous`` is the baseline runs' coverage (newest first); runs with fewer
    than ``min_articles`` articles for a field are left out of its baseline.
    """
    now = shares(current)
    history = [shares(c) for c in previous]
    articles = run_size(current)
    if articles < min_articles:
        return []
    alarms = []
    for field in sorted({f for h in history for f in h} | set(now)):
        base = [h[field] for h in history if field in h and h[field][0] >= min_articles]
        if not base:
            continue
        # A field the run did not record at all counts as missing from every article.
        total, cov, site = now.get(field, (articles, 0.0, 0.0))
        if total < min_articles:
            continue
        for label, value, index in (("coverage", cov, 1), ("site-selector share", site, 2)):
            before = median(b[index] for b in base)
            if before - value > max_drop + 1e-9:  # 0.9 - 0.6 is 0.30000000000000004
                runs = (
                    "the previous run" if len(base) == 1 else f"the median of the previous {len(base)} runs"
                )
                alarms.append(
                    f"markup alarm: {field} {label} fell to {value:.0%} of {total} articles"
                    f" ({runs}: {before:.0%})"
                )
    return alarms


def coverage_from_stats(stats: Mapping[str, object]) -> dict[str, dict[str, int]]:
    """The run's field coverage from the pipeline's ``wardnews/field/<field>/<strategy>`` counters."""
    coverage: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        if key.startswith("wardnews/field/"):
            _, _, field, strategy = key.split("/", 3)
            coverage.setdefault(field, {})[strategy] = int(value)
    return coverage


def raise_alarms(store, run_id: int | None, stats, window: int = WINDOW) -> list[str]:
    """Compare this run with the previous ones; log each alarm and add it to ``wardnews/alarms``."""
    current = coverage_from_stats(stats.get_stats())
    # The last `window` runs big enough to judge by; small incremental nights are passed over.
    history = [
        coverage
        for coverage in store.recent_field_coverage(window * 4, before_run=run_id)
        if run_size(coverage) >= MIN_ARTICLES
    ][:window]
    alarms = find_alarms(current, history)
    for alarm in alarms:
        log.warning("%s", alarm)
    if alarms:
        stats.set_value("wardnews/alarms", [*stats.get_value("wardnews/alarms", []), *alarms])
    return alarms
