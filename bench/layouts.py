"""Every mirror layout, crawled end to end by the real engine on 127.0.0.1, scored field by field.

    python -m bench.layouts                      # every layout, selectors off and on, 120 stories
    python -m bench.layouts --articles 400 --layouts classic,mastercms --selectors off
    python -m bench.layouts --quick              # two small layouts: proves it runs (CI)

For each layout of ``wardnews.testing.portal.LAYOUTS`` (with og:type website
and no JSON-LD unless ``--og article``), a fresh database gets two runs of
``wardnews crawl`` against a ``PortalServer`` that serves 5 % of the pages
cut short on their first request: ``--full`` (the first night), then a
nightly run (which fetches the refused and cut pages again). Printed per
layout and selector setting: stories expected, stored, lost, duplicate rows,
the first run's status and doubtful pages, and the share of stored stories
whose date (to the minute, +07:00), authors, captions and sapo are exactly
right, and the mean body token F1 (``wardnews.testing.scoring``). Nothing
leaves 127.0.0.1; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wardnews.testing import Faults, Portal, PortalServer
from wardnews.testing.portal import LAYOUTS
from wardnews.testing.scoring import score

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
        "-s", "WARDNEWS_RETRY_BACKOFF=0.01", "-s", "WARDNEWS_RETRY_MAX_DELAY=1"]  # fmt: skip
TARGETS = {"date": 0.98, "authors": 0.98, "captions": 0.98, "sapo": 0.98, "body_f1": 0.97}


def crawl(server: PortalServer, db: Path, selectors: str, *args: str) -> dict:
    """One ``wardnews crawl`` in a subprocess: exit code and summary line."""
    command = [sys.executable, "-m", "wardnews", "crawl", "--base-url", server.base_url, "--db", str(db),
               "--log-dir", str(db.parent / "logs"), *FAST, *args]  # fmt: skip
    env = {**os.environ, "WARDNEWS_SITE_SELECTORS": selectors}
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, env=env)
    return {"exit": done.returncode, "summary": (done.stdout.strip().splitlines() or [""])[-1]}


def measure(name: str, articles: int, selectors: str, og: str | None, seed: int) -> dict:
    """Crawl one layout twice into a fresh database and score it."""
    knobs = dict(LAYOUTS[name])
    if og:
        knobs["og_type"] = og
    portal = Portal(articles, seed=seed, **knobs)
    faults = Faults(cut_rate=0.05, max_failures_per_path=1, seed=seed)
    with (
        tempfile.TemporaryDirectory(prefix="wardnews-layouts-") as tmp,
        PortalServer(portal, faults=faults) as server,
    ):
        db = Path(tmp) / "wardnews.db"
        started = time.perf_counter()
        first = crawl(server, db, selectors, "--full")
        cut = sum(1 for r in server.requests if r.fault == "cut")
        second = crawl(server, db, selectors)
        took = time.perf_counter() - started
        with sqlite3.connect(db) as conn:
            doubtful_first = conn.execute("SELECT doubtful FROM crawl_runs ORDER BY id LIMIT 1").fetchone()[0]
            unsettled = conn.execute(
                "SELECT count(*) FROM doubtful_pages WHERE resolved_at IS NULL"
            ).fetchone()[0]
        result = score(portal, db)
    return {
        "layout": name,
        "selectors": selectors,
        "og_type": knobs.get("og_type", "article"),
        "expected": result.expected,
        "stored": result.stored,
        "lost": len(result.lost),
        "duplicates": result.duplicates,
        "cut_served": cut,
        "first_run": first,
        "second_run": second,
        "doubtful_first_run": doubtful_first,
        "doubtful_unsettled": unsettled,
        "date": result.date,
        "authors": result.authors,
        "captions": result.captions,
        "sapo": result.sapo,
        "body_f1": result.body_f1,
        "seconds": round(took, 1),
        "lost_keys": result.lost[:10],
        "wrong_examples": {k: v[:5] for k, v in result.wrong.items()},
    }


def table(results: list[dict]) -> str:
    head = (f"{'layout':<15} {'sel':<4} {'og':<8} {'exp':>4} {'stored':>6} {'lost':>4} {'dup':>4} "
            f"{'cut':>4} {'1st run':<9} {'doubt':>5} {'left':>4} {'date':>5} {'auth':>5} {'capt':>5} "
            f"{'sapo':>5} {'bodyF1':>6}")  # fmt: skip
    lines = [head, "-" * len(head)]
    for r in results:
        status = r["first_run"]["summary"].split(":", 1)[0].replace("wardnews ", "")
        lines.append(
            f"{r['layout']:<15} {r['selectors']:<4} {r['og_type']:<8} {r['expected']:>4} {r['stored']:>6} "
            f"{r['lost']:>4} {r['duplicates']:>4} {r['cut_served']:>4} {status:<9} "
            f"{r['doubtful_first_run'] or 0:>5} {r['doubtful_unsettled']:>4} {r['date']:>5.2f} "
            f"{r['authors']:>5.2f} {r['captions']:>5.2f} {r['sapo']:>5.2f} {r['body_f1']:>6.3f}"
        )
    lines.append("")
    lines.append(
        "done when (issue 9), every layout, og:type website, selectors off: lost 0, dup 0,"
        " date/auth/capt/sapo >= 0.98, body F1 >= 0.97"
    )
    met = [
        r for r in results
        if r["selectors"] == "off" and r["lost"] == 0 and r["duplicates"] == 0
        and all(r[k] >= v for k, v in TARGETS.items())
    ]  # fmt: skip
    off = [r for r in results if r["selectors"] == "off"]
    lines.append(f"met on {len(met)} of {len(off)} layouts crawled with selectors off")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.layouts", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=120, help="stories per layout (120)")
    parser.add_argument("--layouts", default=",".join(LAYOUTS), help="comma-separated layout names")
    parser.add_argument("--selectors", choices=("off", "on", "both"), default="both")
    parser.add_argument(
        "--og",
        choices=("website", "article", "layout"),
        default="website",
        help="og:type of article pages: website (default), article, or as the layout says",
    )
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--quick", action="store_true", help="20 stories, two layouts, selectors off")
    parser.add_argument("--out", help="also write the figures as JSON to this file")
    args = parser.parse_args(argv)
    names = [n for n in args.layouts.split(",") if n]
    unknown = [n for n in names if n not in LAYOUTS]
    if unknown:
        parser.error(f"unknown layouts: {', '.join(unknown)} (known: {', '.join(LAYOUTS)})")
    modes = ["off", "on"] if args.selectors == "both" else [args.selectors]
    if args.quick:
        names, modes, args.articles = ["classic", "mastercms"], ["off"], 20
    og = None if args.og == "layout" else args.og
    results = []
    for name in names:
        for mode in modes:
            print(f"[layouts] {name}, selectors {mode} ...", file=sys.stderr, flush=True)
            results.append(measure(name, args.articles, mode, og, args.seed))
    print(f"wardnews layouts benchmark (issue 9): {args.articles} stories per layout, seed {args.seed}")
    print(table(results))
    if args.out:
        Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
