"""The markup-change alarm: a field's coverage or site share falling against the previous runs."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import fixture_article

from pipelines.sqlite import SQLitePipeline
from wardnews.alarm import MAX_DROP, MIN_ARTICLES, coverage_from_stats, find_alarms, shares
from wardnews.runs import EXIT_DEGRADED, EXIT_OK
from wardnews.sites import DEFAULT_SITE
from wardnews.store import Store


def cov(site=0, metadata=0, heuristic=0, none=0):
    counts = {"site": site, "metadata": metadata, "heuristic": heuristic, "none": none}
    return {k: v for k, v in counts.items() if v}


HEALTHY = {"title": cov(site=100), "sapo": cov(site=90, none=10), "modified_at": cov(metadata=40, none=60)}


def test_shares():
    assert shares(HEALTHY) == {
        "title": (100, 1.0, 1.0),
        "sapo": (100, 0.9, 0.9),
        "modified_at": (100, 0.4, 0.0),
    }
    assert shares({"title": {}}) == {}


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        # Same as before: quiet.
        (HEALTHY, [HEALTHY] * 5, []),
        # No history yet: quiet.
        (HEALTHY, [], []),
        # The sapo selector broke and nothing else found it.
        (
            {**HEALTHY, "sapo": cov(none=100)},
            [HEALTHY] * 5,
            [
                "markup alarm: sapo coverage fell to 0% of 100 articles"
                " (the median of the previous 5 runs: 90%)",
                "markup alarm: sapo site-selector share fell to 0% of 100 articles"
                " (the median of the previous 5 runs: 90%)",
            ],
        ),
        # The title selector broke but og:title saved the field: coverage holds, site share falls.
        (
            {**HEALTHY, "title": cov(metadata=100)},
            [HEALTHY] * 3,
            [
                "markup alarm: title site-selector share fell to 0% of 100 articles"
                " (the median of the previous 3 runs: 100%)"
            ],
        ),
        # A drop of exactly 30 points is not "more than" 30: quiet; 31 points is loud.
        ({**HEALTHY, "sapo": cov(site=60, none=40)}, [HEALTHY], []),
        (
            {**HEALTHY, "sapo": cov(site=59, none=41)},
            [HEALTHY],
            [
                "markup alarm: sapo coverage fell to 59% of 100 articles (the previous run: 90%)",
                "markup alarm: sapo site-selector share fell to 59% of 100 articles (the previous run: 90%)",
            ],
        ),
        # A field often missing stays quiet while it keeps near its own median.
        ({**HEALTHY, "modified_at": cov(metadata=15, none=85)}, [HEALTHY] * 5, []),
        # Too small a run to judge (fewer than MIN_ARTICLES articles).
        ({"title": cov(none=9)}, [HEALTHY] * 5, []),
        # Rises never alarm.
        (HEALTHY, [{**HEALTHY, "sapo": cov(none=100)}] * 5, []),
        # The median shrugs off one odd previous run.
        (
            {**HEALTHY, "sapo": cov(site=50, none=50)},
            [HEALTHY, {"sapo": cov(site=100)}] + [{"sapo": cov(site=55, none=45)}] * 3,
            [],
        ),
        # Small previous runs are left out of the baseline.
        ({**HEALTHY, "sapo": cov(none=100)}, [{"sapo": cov(site=5)}] * 5, []),
        # A field the run did not record at all counts as missing everywhere.
        (
            {"title": cov(site=20)},
            [{"title": cov(site=20), "tags": cov(site=20)}],
            [
                "markup alarm: tags coverage fell to 0% of 20 articles (the previous run: 100%)",
                "markup alarm: tags site-selector share fell to 0% of 20 articles (the previous run: 100%)",
            ],
        ),
    ],
)
def test_find_alarms(current, previous, expected):
    assert find_alarms(current, previous) == expected


def test_thresholds_are_the_documented_ones():
    assert (MAX_DROP, MIN_ARTICLES) == (0.30, 10)


def test_coverage_from_stats():
    stats = {"wardnews/field/title/site": 3, "wardnews/field/title/none": 1, "wardnews/errors": 2}
    assert coverage_from_stats(stats) == {"title": {"site": 3, "none": 1}}


class Stats(dict):
    def inc_value(self, key, count=1):
        self[key] = self.get(key, 0) + count

    def set_value(self, key, value):
        self[key] = value

    def get_value(self, key, default=None):
        return self.get(key, default)

    def get_stats(self):
        return self


class Spider:
    site = DEFAULT_SITE


def run_pipeline(db, articles):
    stats = Stats({"downloader/response_count": len(articles), "downloader/request_count": len(articles)})
    pipeline = SQLitePipeline(str(db), batch_size=50, mode="nightly", stats=stats, base_url=None)
    pipeline.open_spider(Spider())
    for article in articles:
        pipeline.process_item(article)
    pipeline.close_spider(Spider())
    return stats


def previous_run(store, coverage, status="ok", mode="nightly"):
    run_id = store.start_run(mode)
    store.finish_run(run_id, status=status, field_coverage=coverage)


@pytest.mark.parametrize("sapo_breaks", [True, False])
def test_the_pipeline_raises_the_alarm_against_fabricated_previous_runs(tmp_path, caplog, sapo_breaks):
    db = tmp_path / "w.db"
    seed = fixture_article("laodongthudo/seed_tay_tuu")
    with Store(db) as store:
        for _ in range(3):
            previous_run(store, {"title": cov(site=40), "sapo": cov(site=40)})
        # Not baselines: a degraded run, a one-URL fetch.
        previous_run(store, {"title": cov(none=40), "sapo": cov(none=40)}, status="degraded")
        previous_run(store, {"sapo": cov(none=1)}, mode="url")
        for _ in range(6):  # quiet incremental nights: too small to be a baseline
            previous_run(store, {"title": cov(site=3), "sapo": cov(none=3)})
    articles = []
    for _ in range(12):
        article = copy.deepcopy(seed)
        if sapo_breaks:
            article.extraction["sapo"] = "none"
        articles.append(article)
    stats = run_pipeline(db, articles)
    summary = stats["wardnews/summary"]
    with Store(db) as store:
        row = next(store.db.query("SELECT status, alarms FROM crawl_runs ORDER BY id DESC LIMIT 1"))
    if sapo_breaks:
        assert summary.exit_code == EXIT_DEGRADED
        assert row["status"] == "degraded"
        alarms = json.loads(row["alarms"])
        assert [a.split(" fell")[0] for a in alarms] == [
            "markup alarm: sapo coverage",
            "markup alarm: sapo site-selector share",
        ]
        assert "the median of the previous 3 runs: 100%" in alarms[0]
        assert summary.message == "; ".join(alarms)
        assert any("sapo coverage fell to 0% of 12 articles" in r.getMessage() for r in caplog.records)
    else:
        assert summary.exit_code == EXIT_OK, summary.message
        assert (row["status"], json.loads(row["alarms"])) == ("ok", [])
