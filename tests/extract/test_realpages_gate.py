"""The extraction gate: wardnews on a fixed sample of real pages must not score below its floors.

60 real news pages of sites nobody here wrote rules for (tests/realpages/, see its README),
scored by the workplace's own scorer. The floors are pinned a little below what extraction
scored when they were set, so a change that makes extraction worse on real pages fails CI;
raise them when extraction gets better. The full corpus is a benchmark (python -m bench.realpages).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # bench/ is the checkout's, not an installed package
    sys.path.insert(0, str(ROOT))

from bench.realpages import EXTRACTORS, find_corpus, group, load_scorer  # noqa: E402

SAMPLE = ROOT / "tests" / "realpages"
# Measured on the sample when the gate was set; floors are these less a small margin.
MEASURED = {
    "titleF1": 0.929,
    "date": 0.896,
    "authF1": 0.777,
    "bodyF1": 0.917,
    "snip": 0.911,
    "capR": 0.824,
}
MARGIN = 0.03


@pytest.fixture(scope="module")
def scored():
    scorer = load_scorer(find_corpus(None))  # the corpus's own score.py, else the copy beside the sample
    records = scorer.load_corpus(SAMPLE, None, None, None)
    fields = set(scorer.FIELDS)
    rows = []
    for record in records:
        prediction = EXTRACTORS["wardnews"](record["_html"], record.get("url"))
        scores = scorer.score_page(record["gold"], prediction, fields)
        rows.append(
            {
                "id": record["id"],
                "source": record["source"].split(":", 1)[0],
                "lang": record["lang"],
                "m": scores,
                "secs": 0.0,
                "error": None,
            }
        )
    return group(rows, scorer)["overall"]


def test_the_sample_is_sixty_pages_of_several_sources_and_languages():
    lines = (SAMPLE / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 60
    assert len(list((SAMPLE / "pages").glob("*.html.gz"))) == 60


@pytest.mark.parametrize("measure", sorted(MEASURED))
def test_extraction_is_not_worse_than_its_floor(scored, measure):
    floor = MEASURED[measure] - MARGIN
    value = scored[measure]
    assert value is not None, f"{measure} was not measured on the sample"
    assert value >= floor, f"{measure} fell to {value:.3f}, below its floor {floor:.3f}"
