"""Datasette benchmark: the articles table page with its facets, at scale.

    python -m bench.serve [--rows 100000] [--db PATH]

Builds ``--rows`` synthetic articles (as ``bench.storage`` does, one unit and
one or two authors each) in a temporary file, or reuses ``--db``, then times
through Datasette's in-process client, interleaved, median of ``--rounds``:

- the facets of ``wardnews serve`` on articles (``category``,
  ``published_month``, and the ``list`` facet of
  ``wardnews.research.datasette_plugin`` on ``unit_names`` and ``authors``);
- the same two JSON lists through Datasette's own array facet
  (``_facet_array``), which carries whole rows through its de-duplication;
- the canned ``search`` query on a common word.

Facet times are measured with the time limit lifted, so a slow facet shows
its real cost instead of timing out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def build(path: Path, rows: int) -> None:
    from bench.storage import stories, synthetic
    from wardnews.store import Store

    pool = stories()
    with Store(path) as store:
        for start in range(0, rows, 500):
            store.save_articles(
                [
                    synthetic(i, pool, "2026-01-01T00:00:00+07:00")
                    for i in range(start, min(rows, start + 500))
                ]
            )


def measure(db: Path, rounds: int) -> dict:
    from datasette.app import Datasette

    from wardnews.research import serve

    serve.register_plugin()
    # Time limits lifted: a slow facet shows its real cost instead of timing out.
    settings = {**serve.SETTINGS, "facet_time_limit_ms": 60_000, "sql_time_limit_ms": 60_000}
    metadata = serve.build_metadata(db)
    name = db.stem
    wardnews_ds = Datasette(files=[str(db)], metadata=metadata, settings=settings)
    bare = json.loads(json.dumps(metadata))
    bare["databases"][name]["tables"]["articles"].pop("facets")
    bare_ds = Datasette(files=[str(db)], metadata=bare, settings=settings)  # one facet at a time
    table = f"/{name}/articles.json?_size=0"
    pages = {
        "table page, wardnews facets": (wardnews_ds, f"/{name}/articles.json?_size=50"),
        "table page, no facets": (bare_ds, f"/{name}/articles.json?_size=50"),
        "Datasette array facet, unit_names": (bare_ds, f"{table}&_facet_array=unit_names"),
        "list facet, unit_names": (bare_ds, f'{table}&_facet_list={{"simple":"unit_names"}}'),
        "Datasette array facet, authors": (bare_ds, f"{table}&_facet_array=authors"),
        "list facet, authors": (bare_ds, f'{table}&_facet_list={{"simple":"authors"}}'),
        "canned search 'an sinh'": (wardnews_ds, f"/{name}/search.json?q=an+sinh"),
    }

    async def run() -> dict:
        times: dict[str, list[float]] = {label: [] for label in pages}
        counts: dict[str, object] = {}
        for label, (ds, path) in pages.items():  # warm up, and keep one answer to compare
            response = await ds.client.get(path)
            assert response.status_code == 200, (path, response.text[:300])
            facets = response.json().get("facet_results", {})
            counts[label] = {
                k: [(r["value"], r["count"]) for r in v["results"][:3]] for k, v in facets.items()
            }
        for _ in range(rounds):
            for label, (ds, path) in pages.items():
                start = time.perf_counter()
                await ds.client.get(path)
                times[label].append((time.perf_counter() - start) * 1000)
        return {
            "median_ms": {label: statistics.median(values) for label, values in times.items()},
            "top_values": counts,
        }

    return asyncio.run(run())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db", type=Path, help="an existing database to measure instead")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "serve.db"
            print(f"building {args.rows:,} articles", file=sys.stderr)
            build(db, args.rows)
        out = measure(db, args.rounds)
    out["rows"] = args.rows if args.db is None else None
    for label, ms in out["median_ms"].items():
        print(f"{label:<40} {ms:9.1f} ms", file=sys.stderr)
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
