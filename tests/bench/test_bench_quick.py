"""CI runs the benchmark's tiny version only to prove it still runs: no figure is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bench(*args: str, timeout: float = 300) -> str:
    """Run ``python <args>`` in the checkout; its standard output (it must exit 0)."""
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_bench_run_quick_prints_its_table_and_writes_its_json(tmp_path):
    stdout = _bench("-m", "bench.run", "--quick", "--out", str(tmp_path))
    assert "wardnews benchmark (issues 6 and 13)" in stdout
    assert "measure" in stdout and "verdict" in stdout
    written = list(tmp_path.glob("*.json"))
    assert len(written) == 1
    figures = json.loads(written[0].read_text(encoding="utf-8"))
    for section in ("crawl", "extraction", "reparse", "storage", "machine"):
        assert section in figures
    assert figures["crawl"]["wardnews_full"]["process"]["exit"] == 0
    assert figures["crawl"]["ceiling"]["requests"] > 0
    assert figures["crawl"]["ceiling_pairs"]["pairs"]


def test_bench_run_crawl_only_prints_the_crawl_pairs_alone(tmp_path):
    stdout = _bench("-m", "bench.run", "--quick", "--crawl-only", "--out", str(tmp_path))
    assert "crawl pair 1: ceiling / wardnews --full" in stdout
    assert "best ratio that CPU allows" in stdout
    assert "busy cores over 1 core's" in stdout
    (written,) = tmp_path.glob("*.json")
    figures = json.loads(written.read_text(encoding="utf-8"))
    assert "crawl" in figures and "extraction" not in figures and "storage" not in figures
    before, after = figures["crawl"]["ceiling_pairs"]["core_scaling"]
    assert before["speedup"] > 0 and after["cores"] == before["cores"]


def test_core_scaling_times_the_same_work_alone_and_on_every_core():
    from bench.cores import core_scaling

    figures = core_scaling(cores=2, rounds=1, loop=3)
    assert figures["cores"] == 2
    assert figures["alone_s"] > 0 and figures["together_s"] > 0
    assert figures["speedup"] == 2 * figures["alone_s"] / figures["together_s"]


def test_bench_extract_runs_as_a_script():
    stdout = _bench("bench/extract.py", "--quick")
    assert "Extraction speed" in stdout
    assert "Field accuracy" in stdout


def test_bench_layouts_quick_prints_its_table(tmp_path):
    out = tmp_path / "layouts.json"
    stdout = _bench("-m", "bench.layouts", "--quick", "--out", str(out), timeout=600)
    assert "wardnews layouts benchmark (issue 9)" in stdout
    assert {r["layout"] for r in json.loads(out.read_text(encoding="utf-8"))} == {"classic", "mastercms"}
