"""bench/serve.py runs (tiny size, no figure asserted) and its two facets agree."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_serve_runs_and_both_facets_count_alike():
    result = subprocess.run(
        [sys.executable, "-m", "bench.serve", "--rows", "300", "--rounds", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout)
    assert set(out["median_ms"]) >= {"table page, wardnews facets", "list facet, unit_names"}
    top = out["top_values"]
    for column in ("unit_names", "authors"):
        assert top[f"list facet, {column}"] == top[f"Datasette array facet, {column}"]
        assert top[f"list facet, {column}"][column]
