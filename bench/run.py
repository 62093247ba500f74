"""The issue 6 benchmark: one command, one table, one JSON file.

    python -m bench.run                 # portal of 2,000 articles (~10 min on 2 cores)
    python -m bench.run --big           # and a crawl of 20,000 for the memory figures
    python -m bench.run --quick         # a few dozen pages, tiny storage: proves it runs (CI)
    python -m bench.run --crawl-only    # the ceiling/wardnews pairs alone (about 4 minutes)

Generates a local portal (``wardnews.testing.portal``, pages padded to 72 KiB,
duplicate traps included), serves it on 127.0.0.1 and measures, in this run:

- crawl: the ceiling (``bench/ceiling.py``, the minimal spider: each
  listing walked to its end, each article fetched once by its canonical URL,
  hrefs found by a bytes regex, nothing parsed) and ``wardnews crawl --full``
  into a fresh database, both in a subprocess against the same server (pages
  rendered once and served gzipped, ``bench/serving.py``) with the same
  politeness overrides; crawl time = from the first request the server sees
  to the crawler's exit (start-up left out, the last commit counted); three
  alternating pairs after one warm-up ceiling run, the median ratio reported;
  ``bench.cores`` before and after the pairs (how much the second core adds);
- extraction: ``bench.extract`` (wardnews vs ``lxml.html.fromstring`` vs
  trafilatura on the same pages);
- re-extraction of the crawled database (``wardnews reparse``, if it exists);
- nightly request economy: ``wardnews crawl`` (incremental) on the unchanged
  portal, then after adding 1% new articles, counted from the server's log;
- memory: peak RSS of the crawl subprocess (its ``VmHWM``, sampled; ``os.wait4``'s figure
  would carry this process's own size across the fork);
- storage: ``bench.storage`` (upserts, size, FTS, URL-known lookups).

All figures go to ``bench/out/<UTC timestamp>.json``. Nothing leaves 127.0.0.1;
every subprocess has a time limit. No figure is asserted anywhere.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import extract as extract_bench
from bench import storage as storage_bench
from bench.ceiling import LIFTED
from bench.cores import core_scaling
from bench.cputree import CpuTree
from wardnews.testing.portal import MONTHLY_SITEMAP_RE, RSS_PATH, SITEMAP_INDEX_PATH

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
HEADER = "wardnews benchmark (issues 6 and 13)"
_ARTICLE_RE = re.compile(r"-(\d{4,})\.html/?(?:\?|$)")


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# -- subprocesses --------------------------------------------------------------------------
def run_measured(cmd: list[str], log_path: Path, timeout: float, env: dict | None = None) -> dict:
    """Run ``cmd`` to the end (killed after ``timeout`` s); exit code, wall time, peak RSS, output."""
    start = time.perf_counter()
    own_before = resource.getrusage(resource.RUSAGE_SELF)
    with open(log_path, "wb") as out:
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env={**os.environ, **(env or {})}
        )
        tree = CpuTree(proc.pid)
        killed = False
        polls = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout and not killed:
                proc.kill()
                killed = True
            if polls % 5 == 0:
                tree.sample()
            polls += 1
            time.sleep(0.05)
    own_after = resource.getrusage(resource.RUSAGE_SELF)
    ended_at = time.time()  # the server's request log uses the same clock
    proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is KiB on Linux, bytes on macOS; on Linux it holds the resident size of this
    # process when it forked the child (a 200,000-article portal: 665 MiB), so the child's own
    # peak (VmHWM, sampled to its last quarter second) is the figure where /proc has it.
    wait4_peak = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    peak = tree.peak_rss_kib / 1024 if tree.peak_rss_kib else wait4_peak
    return {
        "cmd": " ".join(cmd),
        "exit": proc.returncode,
        "killed_after_timeout": killed,
        "wall_s": time.perf_counter() - start,
        "ended_at": ended_at,
        "peak_rss_mib": peak,
        "wait4_maxrss_mib": wait4_peak,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        # Per thread and descendant (bench.cputree); the server runs in this process, so its CPU
        # over the run is this process's.
        "cpu_tree": tree.figures(),
        "server_cpu_s": _cpu_s(own_after) - _cpu_s(own_before),
        "output": log_path.read_text(encoding="utf-8", errors="replace"),
    }


def _cpu_s(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def wardnews_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "wardnews", *args]


def has_command(name: str) -> bool:
    result = subprocess.run(wardnews_cmd(name, "--help"), capture_output=True, cwd=ROOT, timeout=60)
    return result.returncode == 0


def lifted_overrides(extra: dict | None = None) -> list[str]:
    args = []
    for name, value in {**LIFTED, **(extra or {})}.items():
        args += ["-s", f"{name}={value}"]
    return args


# -- the server's log ----------------------------------------------------------------------
def traffic(records, portal, new_keys: set[str] = frozenset()) -> dict:
    """Requests by kind; pages/s over the span from the first request to the last."""
    kinds: Counter = Counter()
    article_keys: Counter = Counter()
    sections = {s.path for s in portal.sections}
    for r in records:
        path = r.path_and_query.split("?", 1)[0].lower().rstrip("/") or "/"
        match = _ARTICLE_RE.search(r.path_and_query.lower())
        if r.path_and_query == "/robots.txt":
            kinds["robots"] += 1
        elif path in (SITEMAP_INDEX_PATH, RSS_PATH) or MONTHLY_SITEMAP_RE.match(path):
            kinds["feed"] += 1
        elif match:
            kinds["article"] += 1
            article_keys[match.group(1)] += 1
        elif path in sections:
            kinds["listing"] += 1
        else:
            kinds["other"] += 1  # home, hubs, tag pages, 404s
    span = records[-1].time - records[0].time if len(records) > 1 else 0.0
    out = {
        "requests": len(records),
        "by_kind": dict(kinds),
        "span_s": span,
        "pages_per_s": len(records) / span if span > 0 else None,
        "statuses": dict(Counter(str(r.status) for r in records)),
        "distinct_articles": len(article_keys),
        "repeat_article_fetches": sum(n - 1 for n in article_keys.values()),
    }
    if new_keys:
        out["new_articles_fetched"] = len(set(article_keys) & new_keys)
        out["old_articles_fetched"] = len(set(article_keys) - new_keys)
    return out


def db_facts(path: Path) -> dict:
    if not path.exists():
        return {}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        q = conn.execute
        facts = {"articles": q("SELECT count(*) FROM articles").fetchone()[0]}
        row = q("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
        if row:
            cols = [d[0] for d in q("SELECT * FROM crawl_runs LIMIT 0").description]
            run = dict(zip(cols, row, strict=True))
            facts["last_run"] = {
                k: run.get(k)
                for k in (
                    "mode",
                    "status",
                    "pages_fetched",
                    "articles_new",
                    "articles_changed",
                    "articles_unchanged",
                    "duplicates",
                    "errors",
                )
            }
        with contextlib.suppress(sqlite3.Error):  # where the bytes are (dbstat: most SQLite builds)
            facts["kib_by_table"] = dict(
                q(
                    "SELECT name, sum(pgsize) / 1024 FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8"
                ).fetchall()
            )
    finally:
        conn.close()
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    facts["db_bytes"] = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    if facts["articles"]:
        facts["db_mib_per_1000"] = facts["db_bytes"] / 2**20 / (facts["articles"] / 1000)
    return facts


# -- phases --------------------------------------------------------------------------------
def _crawl_seconds(server, proc: dict) -> float | None:
    """From the first request the server saw to the crawler's exit: fetching and the last commit."""
    records = list(server.requests)
    return proc["ended_at"] - records[0].time if records else None


def ceiling_phase(server, portal, work: Path, name: str, timeout: float) -> dict:
    """One run of the minimal spider (bench/ceiling.py) over the portal's sections."""
    server.reset_log()
    cmd = [sys.executable, "-m", "bench.ceiling", "--base-url", server.base_url]
    for section in portal.sections:
        cmd += ["--start-path", section.path]
    cmd += ["--timeout", str(timeout), "--log-file", str(work / f"{name}.log")]
    proc = run_measured(cmd, work / f"{name}.out", timeout + 60)
    out = {"process": _trim(proc), **traffic(list(server.requests), portal)}
    out["crawl_s"] = _crawl_seconds(server, proc)
    lines = [line for line in proc["output"].splitlines() if line.startswith("{")]
    if lines:
        stats = json.loads(lines[-1])
        fetched = set(stats.pop("article_ids"))
        out["scrapy_stats"] = stats
        out["articles_missed"] = sorted(set(portal.articles) - fetched)
    return out


def crawl_phase(
    server,
    portal,
    work: Path,
    db: Path,
    name: str,
    *,
    full: bool,
    timeout: float,
    new_keys: set[str] = frozenset(),
) -> dict:
    server.reset_log()
    args = ["crawl", "--db", str(db), "--base-url", server.base_url, "--log-dir", str(work / "logs")]
    extra = {}
    if full:
        # Caps lifted far above the portal: a backfill must not be cut (issue 13 point 4).
        args += ["--full", "--max-articles", str(len(portal.articles) * 3 + 100)]
        extra = {"WARDNEWS_MAX_LISTING_PAGES": 1_000_000, "WARDNEWS_FULL_MAX_LISTING_PAGES": 1_000_000}
    cmd = wardnews_cmd(*args, *lifted_overrides(extra))
    proc = run_measured(cmd, work / f"{name}.out", timeout, env={"WARDNEWS_PROGRESS": "off"})
    out = {"process": _trim(proc), **traffic(list(server.requests), portal, new_keys), **db_facts(db)}
    out["crawl_s"] = _crawl_seconds(server, proc)
    summary = [line for line in proc["output"].splitlines() if line.startswith("wardnews")]
    out["summary"] = summary[-1] if summary else None
    if full:
        out["articles_missed"] = sorted(set(portal.articles) - reached_keys(db))
    return out


def reached_keys(db: Path) -> set[str]:
    """Article ids the database holds, as a row or as an alias resolved to a row."""
    if not db.exists():
        return set()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT article_key FROM articles UNION"
            " SELECT article_key FROM url_aliases WHERE article_id IS NOT NULL"
        ).fetchall()
    finally:
        conn.close()
    return {key for (key,) in rows if key}


def ceiling_pairs(
    server, portal, work: Path, n: int, pairs: int, timeout: float, scaling_rounds: int = 5
) -> dict:
    """Issue 13 point 1: wardnews --full against the minimal spider, ``pairs`` alternating pairs.

    One ceiling run first warms the server's page cache (every page rendered and
    gzipped once); then each pair runs both crawls back to back, the order
    alternating, each wardnews run into a fresh database. The figure is the
    median over pairs of ceiling time / wardnews time (>= 0.8 is the target).
    """
    log("ceiling: warm-up run (fills the server's page cache)")
    warm = ceiling_phase(server, portal, work, "ceiling-warm", timeout)
    log("cores: how much the second core adds, before the pairs")
    scaling = [core_scaling(rounds=scaling_rounds)]
    runs = []
    for i in range(pairs):
        order = ("ceiling", "wardnews") if i % 2 == 0 else ("wardnews", "ceiling")
        pair = {}
        for kind in order:
            log(f"pair {i + 1}/{pairs}: {kind}")
            if kind == "ceiling":
                pair[kind] = ceiling_phase(server, portal, work, f"ceiling-{i}", timeout)
            else:
                db = work / f"crawl-{n}-{i}.db"
                pair[kind] = crawl_phase(
                    server, portal, work, db, f"full-{n}-{i}", full=True, timeout=timeout
                )
                pair["db"] = db
        c, w = pair["ceiling"].get("crawl_s"), pair["wardnews"].get("crawl_s")
        pair["ratio"] = c / w if c and w else None
        runs.append(pair)
    log("cores: and after them")
    scaling.append(core_scaling(rounds=scaling_rounds))
    ratios = sorted(r["ratio"] for r in runs if r["ratio"] is not None)
    return {
        "core_scaling": scaling,
        "cpu": cpu_budget(runs),
        "warm_up": warm,
        "pairs": [{k: v for k, v in r.items() if k != "db"} for r in runs],
        "ratios": ratios,
        "median_ratio": statistics.median(ratios) if ratios else None,
        "last_db": runs[-1]["db"],
    }


def reparse_phase(db: Path, work: Path, timeout: float) -> dict:
    if not has_command("reparse"):
        return {"available": False}
    copy = work / "reparse.db"
    shutil.copy(db, copy)
    articles = db_facts(copy).get("articles", 0)
    proc = run_measured(
        wardnews_cmd("reparse", "--db", str(copy)),
        work / "reparse.out",
        timeout,
        env={"WARDNEWS_PROGRESS": "off"},
    )
    out = {"available": True, "articles": articles, "process": _trim(proc)}
    out["articles_per_s"] = articles / proc["wall_s"] if proc["exit"] == 0 and proc["wall_s"] else None
    return out


def _trim(proc: dict) -> dict:
    """The process figures without its whole output (the last lines are kept)."""
    tail = proc["output"].splitlines()[-5:]
    return {**{k: v for k, v in proc.items() if k != "output"}, "output_tail": tail}


def allowed_listing_pages(portal, new_articles) -> int:
    """Issue 6: one listing page per section, plus one per page of new articles in it."""
    per_section = Counter(a.section for a in new_articles)
    return len(portal.sections) + sum(math.ceil(n / portal.page_size) for n in per_section.values())


def due_for_recheck(portal, days: float) -> int:
    cutoff = datetime.now(portal.now.tzinfo) - timedelta(days=days)
    return sum(1 for a in portal.expected_articles() if a.published_at >= cutoff)


def machine_extra() -> dict:
    try:
        import psutil
    except ImportError:  # a bench dependency: pip install -e '.[bench]'
        return {}
    return {
        "physical_cores": psutil.cpu_count(logical=False),
        "memory_gib": psutil.virtual_memory().total / 2**30,
        "cpu_percent_1s": psutil.cpu_percent(interval=1.0),
    }


# -- the whole run -------------------------------------------------------------------------
def cpu_budget(runs: list[dict]) -> dict:
    """Where each crawl's CPU went (medians over pairs), and the best ratio that much CPU allows.

    The ceiling is one busy thread: on an idle machine its crawl time is its thread's CPU
    time. wardnews spreads its work over the cores (reactor, writer thread, extraction
    workers) and so takes no less than its CPU (the server's included: it runs on the
    same cores) divided by the cores, nor less than its reactor thread's CPU alone. The
    ceiling's CPU over that is the best ratio wardnews could reach on an idle machine
    with this much work. CPU over CPU, so that a busy machine, which stretches both
    crawls' times unevenly, does not move it much.
    """
    cores = os.cpu_count() or 1

    def median(values):
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    rows = []
    for run in runs:
        c, w = run["ceiling"]["process"], run["wardnews"]["process"]
        ct, wt = c.get("cpu_tree") or {}, w.get("cpu_tree") or {}
        if wt.get("total") is None or ct.get("total") is None:
            continue
        total = wt["total"] + w["server_cpu_s"]
        floor = max(total / cores, wt["main_thread"])
        ceiling_s = ct["total"]
        rows.append(
            {
                "ceiling_cpu_s": ct["total"],
                "ceiling_server_cpu_s": c["server_cpu_s"],
                "reactor_cpu_s": wt["main_thread"],
                "threads_cpu_s": sum(wt["other_threads"]),
                "workers_cpu_s": wt["descendants"],
                "server_cpu_s": w["server_cpu_s"],
                "total_cpu_s": total,
                "best_ratio": ceiling_s / floor if ceiling_s and floor else None,
            }
        )
    if not rows:
        return {"cores": cores}
    return {"cores": cores, **{key: median(r[key] for r in rows) for key in rows[0]}}


def crawl_size(n: int, work: Path, args, *, with_ceiling: bool, nightly: bool) -> dict:
    from bench.serving import GzippedPortal
    from wardnews.testing.portal import Portal
    from wardnews.testing.server import PortalServer

    log(f"portal of {n:,} articles, pages padded to {args.padding_kib} KiB, served gzipped")
    started = time.perf_counter()
    portal = Portal(n, seed=args.seed, padding_kib=args.padding_kib)
    res: dict = {"articles": n, "portal_article_pages": len(portal.articles)}
    res["portal_build_s"] = time.perf_counter() - started
    timeout = args.timeout * max(1.0, n / 20_000)  # the limit grows with the portal past 20,000
    # Past 50,000 articles the gzipped pages would not fit in memory beside the portal: gzip each time.
    served = GzippedPortal(portal, cache=n <= 50_000)
    with PortalServer(served) as server:
        if with_ceiling:
            pairs = ceiling_pairs(server, served, work, n, args.pairs, timeout, 1 if args.quick else 5)
            db = pairs.pop("last_db")
            res["ceiling_pairs"] = pairs
            last = pairs["pairs"][-1]
            res["ceiling"], res["wardnews_full"] = last["ceiling"], last["wardnews"]
        else:
            db = work / f"crawl-{n}.db"
            log("wardnews crawl --full into a fresh database")
            res["wardnews_full"] = crawl_phase(
                server, served, work, db, f"full-{n}", full=True, timeout=timeout
            )
        if nightly:
            # The nightly phases change the portal: from here pages are rendered on every request.
            server.portal = portal
            log("nightly crawl on the unchanged portal")
            res["nightly_unchanged"] = crawl_phase(
                server, portal, work, db, f"nightly0-{n}", full=False, timeout=timeout
            )
            res["nightly_unchanged"]["allowed_listing_pages"] = allowed_listing_pages(portal, [])
            res["nightly_unchanged"]["due_for_recheck"] = due_for_recheck(portal, args.recheck_days)
            k = max(1, n // 100)
            added = portal.add_articles(k)
            log(f"nightly crawl after {k} new articles")
            new_keys = {a.key for a in added}
            res["nightly_new"] = crawl_phase(
                server, portal, work, db, f"nightly1-{n}", full=False, timeout=timeout, new_keys=new_keys
            )
            res["nightly_new"]["added"] = k
            res["nightly_new"]["allowed_listing_pages"] = allowed_listing_pages(portal, added)
            res["nightly_new"]["due_for_recheck"] = due_for_recheck(portal, args.recheck_days)
            # Issue 13 point 5: the same portal now publishes a sitemap index, monthly sitemaps and
            # an RSS feed (robots.txt names the index); the nightly run reads them first.
            portal.feeds = "ok"
            log("nightly crawl with a sitemap, portal unchanged")
            res["sitemap_unchanged"] = crawl_phase(
                server, portal, work, db, f"sitemap0-{n}", full=False, timeout=timeout
            )
            res["sitemap_unchanged"]["due_for_recheck"] = due_for_recheck(portal, args.recheck_days)
            added = portal.add_articles(k)
            log(f"nightly crawl with a sitemap after {k} new articles")
            new_keys = {a.key for a in added}
            res["sitemap_new"] = crawl_phase(
                server, portal, work, db, f"sitemap1-{n}", full=False, timeout=timeout, new_keys=new_keys
            )
            res["sitemap_new"]["added"] = k
            res["sitemap_new"]["due_for_recheck"] = due_for_recheck(portal, args.recheck_days)
    res["portal"] = portal
    res["db"] = db
    return res


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="portal size (2000)")
    parser.add_argument("--big", action="store_true", help="also crawl a portal of 20,000 (memory figures)")
    parser.add_argument("--big-articles", type=int, default=20_000, help="size of the --big portal (20,000)")
    parser.add_argument(
        "--huge", action="store_true", help="also crawl a portal of 200,000 (the real portal's size; ~1 h)"
    )
    parser.add_argument("--huge-articles", type=int, default=200_000, help="size of the --huge portal")
    parser.add_argument(
        "--memory-only", action="store_true", help="only the memory crawls (--big, --huge): no other figure"
    )
    parser.add_argument(
        "--crawl-only", action="store_true", help="only the ceiling/wardnews pairs: no other figure"
    )
    parser.add_argument("--quick", action="store_true", help="a few dozen pages, tiny storage (< 60 s)")
    parser.add_argument("--padding-kib", type=int, default=72, help="page size of the portal (72 KiB)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--storage-rows", type=int, default=100_000)
    parser.add_argument("--extract-pages", type=int, default=300)
    parser.add_argument("--traf-pages", type=int, default=60)
    parser.add_argument("--recheck-days", type=float, default=3.0, help="the crawl's default (3)")
    parser.add_argument("--timeout", type=float, default=1200, help="limit per subprocess, seconds (1200)")
    parser.add_argument("--out", type=Path, default=OUT, help="folder of the JSON files (bench/out)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (databases, logs)")
    parser.add_argument("--pairs", type=int, default=3, help="alternating ceiling/wardnews pairs (3)")
    args = parser.parse_args(argv)
    rounds = 3
    if args.quick:
        args.articles, args.big, args.pairs = 30, False, 1
        args.storage_rows, args.extract_pages, args.traf_pages, rounds = 1000, 20, 3, 1
        args.timeout = min(args.timeout, 120)
    small_rows = max(args.storage_rows // 10, 1)

    started = datetime.now(UTC)
    work = Path(tempfile.mkdtemp(prefix="wardnews-bench-"))
    results: dict = {
        "started_at": started.isoformat(timespec="seconds"),
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_avg_at_start": os.getloadavg(),
            **machine_extra(),
        },
    }
    try:
        if args.crawl_only:
            main_run = crawl_size(args.articles, work, args, with_ceiling=True, nightly=False)
            main_run.pop("portal"), main_run.pop("db")
            results["crawl"] = main_run
        elif not args.memory_only:
            main_run = crawl_size(args.articles, work, args, with_ceiling=True, nightly=True)
            portal, db = main_run.pop("portal"), main_run.pop("db")
            results["crawl"] = main_run
            log("reparse of the crawled database")
            results["reparse"] = reparse_phase(db, work, args.timeout)
            log("extraction: wardnews vs lxml floor vs trafilatura")
            results["extraction"] = extract_bench.run(
                portal_n=args.extract_pages,
                traf_n=args.traf_pages,
                rounds=rounds,
                padding_kib=args.padding_kib,
                seed=args.seed,
                quiet=True,
            )
            log(f"storage: {args.storage_rows:,} synthetic articles")
            results["storage"] = storage_bench.run(args.storage_rows, small_rows, folder=work, progress=log)
            del portal
        # Last: at 20,000 and 200,000 the crawls may need their whole time limit.
        extra = ((args.big, args.big_articles, "crawl_big"), (args.huge, args.huge_articles, "crawl_huge"))
        for flag, size, key in extra:
            if flag:
                big = crawl_size(size, work, args, with_ceiling=False, nightly=False)
                big.pop("portal")
                big.pop("db")
                results[key] = big
    finally:
        results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        results["machine"]["load_avg_at_end"] = os.getloadavg()
        if args.keep:
            results["work_folder"] = str(work)
        else:
            shutil.rmtree(work, ignore_errors=True)
        args.out.mkdir(parents=True, exist_ok=True)
        path = args.out / f"{started:%Y%m%dT%H%M%SZ}.json"
        path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    print_table(results)
    print(f"\nJSON: {path}")
    return 0


# -- the table -----------------------------------------------------------------------------
def _f(value, spec: str = ".1f", none: str = "—") -> str:
    return none if value is None else format(value, spec)


def _verdict(ok: bool | None) -> str:
    return "" if ok is None else ("MET" if ok else "MISSED")


def print_table(r: dict) -> None:
    rows: list[tuple[str, str, str, str]] = []

    def row(what, figure, target="", verdict=""):
        rows.append((what, figure, target, verdict))

    if "crawl" in r:
        _crawl_rows(r, row)
    _memory_rows(r, row)
    if "storage" in r:
        _storage_rows(r, row)

    m = r["machine"]
    print(f"\n{HEADER}")
    print(
        f"{r['started_at']} .. {r['finished_at']}, {m['cpus']} CPUs, Python {m['python']}, "
        f"load {m['load_avg_at_start'][0]:.2f} at start, {m['load_avg_at_end'][0]:.2f} at end"
    )
    w0 = max(len(x[0]) for x in rows)
    w1 = max(len(x[1]) for x in rows)
    w2 = max(len(x[2]) for x in rows)
    print(f"{'measure':<{w0}}  {'figure':<{w1}}  {'target':<{w2}}  verdict")
    print("-" * (w0 + w1 + w2 + 14))
    for what, figure, target, verdict in rows:
        print(f"{what:<{w0}}  {figure:<{w1}}  {target:<{w2}}  {verdict}")


def _crawl_rows(r: dict, row) -> None:
    crawl = r["crawl"]
    n = crawl["articles"]
    full = crawl["wardnews_full"]
    cp = crawl.get("ceiling_pairs")
    if cp:
        for i, pair in enumerate(cp["pairs"], 1):
            c, w = pair["ceiling"], pair["wardnews"]
            row(
                f"crawl pair {i}: ceiling / wardnews --full ({n:,} art.)",
                f"{_f(c.get('crawl_s'))} s ({c.get('requests', 0):,} req.) / "
                f"{_f(w.get('crawl_s'))} s ({w.get('requests', 0):,} req.) = {_f(pair['ratio'], '.2f')}",
            )
        ratio = cp["median_ratio"]
        row(
            f"  median ratio over {len(cp['pairs'])} pairs (ceiling time / wardnews)",
            _f(ratio, ".2f"),
            ">= 0.8",
            _verdict(ratio is not None and ratio >= 0.8),
        )
        cpu = cp.get("cpu") or {}
        if cpu.get("total_cpu_s") is not None:
            row(
                "  CPU s, ceiling: its one thread (+ server)",
                f"{_f(cpu['ceiling_cpu_s'])} (+ {_f(cpu['ceiling_server_cpu_s'])})",
            )
            row(
                "  CPU s, wardnews: reactor, writer, workers, server",
                f"{_f(cpu['reactor_cpu_s'])}, {_f(cpu['threads_cpu_s'])}, {_f(cpu['workers_cpu_s'])}, "
                f"{_f(cpu['server_cpu_s'])} = {_f(cpu['total_cpu_s'])} on {cpu['cores']} cores",
            )
            row("  best ratio that CPU allows (ceiling CPU / (CPU / cores))", _f(cpu["best_ratio"], ".2f"))
        scaling = cp.get("core_scaling") or []
        if scaling:
            row(
                f"  work of {scaling[0]['cores']} busy cores over 1 core's (bench.cores; before / after)",
                " / ".join(f"{s['speedup']:.2f}x" for s in scaling),
            )
        missed = {
            "ceiling": sum(len(p["ceiling"].get("articles_missed", [])) for p in cp["pairs"]),
            "wardnews": sum(len(p["wardnews"].get("articles_missed", [])) for p in cp["pairs"]),
        }
        row(
            "  article ids missed (ceiling fetched / wardnews stored)",
            f"{missed['ceiling']} / {missed['wardnews']} of {crawl['portal_article_pages']:,} a run",
            "0 / 0",
            _verdict(missed == {"ceiling": 0, "wardnews": 0}),
        )
    row("  wardnews summary line (last pair)", (full.get("summary") or "none")[:90])
    if "extraction" not in r:  # --crawl-only
        return

    ex = r["extraction"]
    sp = ex.get("speed_portal", {})
    row(
        f"extraction, portal pages ({sp.get('avg_kib', 0):.0f} KiB), one core",
        f"{_f(sp.get('wardnews', {}).get('pages_per_s'))} pages/s",
    )
    row("  lxml.html.fromstring floor", f"{_f(sp.get('lxml', {}).get('pages_per_s'))} pages/s")
    row("  trafilatura bare_extraction", f"{_f(sp.get('trafilatura', {}).get('pages_per_s'))} pages/s")
    v = sp.get("wardnews_over_lxml")
    row("  ratio wardnews / lxml floor", _f(v, ".3f"), ">= 0.4", _verdict(v and v >= 0.4))
    v = sp.get("wardnews_over_trafilatura")
    if ex.get("trafilatura"):
        row("  ratio wardnews / trafilatura", _f(v, ".1f") + "x", ">= 10x", _verdict(v and v >= 10))
    else:
        row("  ratio wardnews / trafilatura", "trafilatura not installed (.[bench] extra)", ">= 10x")
    sf = ex.get("speed_fixtures", {})
    if sf:
        row(
            f"  fixture pages ({ex['fixture_pages']}): wardnews / lxml, / traf.",
            f"{_f(sf.get('wardnews_over_lxml'), '.3f')}, {_f(sf.get('wardnews_over_trafilatura'), '.1f')}x",
        )
    acc = ex.get("accuracy_fixtures")
    if acc and ex.get("trafilatura"):
        ours, theirs = acc["wardnews"], acc["trafilatura"]
        worse = [
            k
            for k, v in theirs.items()
            if isinstance(v, dict) and k in ours and (ours[k]["share"] or 0) < (v["share"] or 0)
        ]
        row(
            "  fixture accuracy, fields where wardnews < traf.",
            ", ".join(worse) or "none",
            "none",
            _verdict(not worse),
        )

    rp = r.get("reparse", {})
    if rp.get("available"):
        row(
            "re-extraction, wardnews reparse",
            f"{_f(rp.get('articles_per_s'))} articles/s "
            f"({rp.get('articles', 0):,}; exit {rp['process']['exit']})",
        )
    else:
        row("re-extraction, wardnews reparse", "not available")

    for key, label in (
        ("nightly_unchanged", "nightly, unchanged portal"),
        ("nightly_new", "nightly, +1% new articles"),
    ):
        night = crawl.get(key)
        if not night:
            continue
        kinds = night.get("by_kind", {})
        row(
            label,
            f"{night['requests']:,} requests: {kinds.get('article', 0):,} article, "
            f"{kinds.get('listing', 0):,} listing, {kinds.get('other', 0):,} other, "
            f"{kinds.get('robots', 0)} robots",
        )
        due = night.get("due_for_recheck", 0)
        if key == "nightly_new":
            new, old = night.get("new_articles_fetched", 0), night.get("old_articles_fetched", 0)
            row(
                "  articles: new fetched / old fetched",
                f"{new}/{night['added']} new, {old:,} old ({due} due for re-check)",
                f"all new, old <= {due}",
                _verdict(new == night["added"] and old <= due),
            )
        else:
            row(
                "  article fetches",
                f"{night.get('distinct_articles', 0):,} ({due} due for re-check)",
                f"<= {due}",
                _verdict(night.get("distinct_articles", 0) <= due),
            )
        allowed = night["allowed_listing_pages"]
        row(
            "  listing pages",
            f"{kinds.get('listing', 0):,}",
            f"<= {allowed}",
            _verdict(kinds.get("listing", 0) <= allowed),
        )

    for key, label in (
        ("sitemap_unchanged", "nightly with a sitemap, unchanged portal"),
        ("sitemap_new", "nightly with a sitemap, +1% new articles"),
    ):
        night = crawl.get(key)
        if not night:
            continue
        kinds = night.get("by_kind", {})
        row(
            label,
            f"{night['requests']:,} requests: {kinds.get('robots', 0)} robots, {kinds.get('feed', 0)} feed, "
            f"{kinds.get('article', 0):,} article, {kinds.get('listing', 0):,} listing, "
            f"{kinds.get('other', 0):,} other",
        )
        due = night.get("due_for_recheck", 0)
        if key == "sitemap_unchanged":
            allowed = 3 + due  # robots.txt, the index, one sitemap, and the re-checks
            row(
                "  requests (robots, index, one sitemap + re-checks)",
                f"{night['requests']:,} ({due} due for re-check)",
                f"<= {allowed}",
                _verdict(night["requests"] <= allowed and kinds.get("listing", 0) == 0),
            )
        else:
            new, old = night.get("new_articles_fetched", 0), night.get("old_articles_fetched", 0)
            row(
                "  articles: new fetched / old fetched, listing pages",
                f"{new}/{night['added']} new, {old:,} old ({due} due), {kinds.get('listing', 0)} listing",
                f"all new, old <= {due}, 0 listing",
                _verdict(new == night["added"] and old <= due and kinds.get("listing", 0) == 0),
            )


def _memory_rows(r: dict, row) -> None:
    """Peak RSS of each full crawl; the ratios of issue 6 (--big / main run) and 13 (--huge / --big)."""
    sizes = []
    if "crawl" in r:
        sizes.append((r["crawl"]["articles"], r["crawl"]["wardnews_full"]))
    for key in ("crawl_big", "crawl_huge"):
        if key in r:
            sizes.append((r[key]["articles"], r[key]["wardnews_full"]))
    rss = {}
    for n, full in sizes:
        cut = full["process"]["killed_after_timeout"]
        peak = full["process"]["peak_rss_mib"]
        rss[n] = None if cut else peak
        note = f" (INCOMPLETE: killed after {full['process']['wall_s']:.0f} s)" if cut else ""
        missed = len(full.get("articles_missed", []))
        big = n >= 20_000
        row(
            f"memory, peak RSS of the crawl at {n:,}",
            f"{peak:.0f} MiB{note}",
            "< 300 MB" if big else "",
            ("incomplete" if cut else _verdict(peak * 2**20 < 300e6)) if big else "",
        )
        if big:
            row(
                f"  crawl wardnews --full at {n:,}",
                f"{_f(full.get('crawl_s'), '.0f')} s, {_f(full.get('pages_per_s'))} pages/s "
                f"({full.get('requests', 0):,} req., {full.get('articles', 0):,} articles, "
                f"{missed} ids missed)",
            )
    pairs = []
    if "crawl" in r and "crawl_big" in r:
        pairs.append((r["crawl"]["articles"], r["crawl_big"]["articles"], 1.5))
    if "crawl_big" in r and "crawl_huge" in r:
        pairs.append((r["crawl_big"]["articles"], r["crawl_huge"]["articles"], 1.2))
    for small, large, limit in pairs:
        both = rss[small] is not None and rss[large] is not None
        ratio = rss[large] / rss[small] if both else None
        verdict = _verdict(ratio < limit) if both else "incomplete"
        row(f"  ratio {large:,} / {small:,}", _f(ratio, ".2f"), f"< {limit}", verdict)
    if "crawl_big" not in r:
        row("memory, peak RSS of the crawl at 20,000", "not run (use --big)", "< 300 MB")


def _storage_rows(r: dict, row) -> None:
    full = r.get("crawl", {}).get("wardnews_full", {})
    st = r["storage"]
    rows_n = st["rows"]
    row(
        f"storage, upsert rate (insert, 0 -> {rows_n:,})",
        f"{st['insert_rows_per_s']:.0f} rows/s (last 10%: {st['insert_rows_per_s_last_10pct']:.0f})",
    )
    row(f"  re-save unchanged at {rows_n:,}", f"{st['upsert_unchanged_rows_per_s']:.0f} rows/s")
    row("  DB size per 1,000 articles, synthetic", f"{st['db_mib_per_1000']:.2f} MiB")
    if full.get("db_mib_per_1000"):
        row("  DB size per 1,000 articles, crawled portal", f"{full['db_mib_per_1000']:.2f} MiB")
    fts = st["fts"]
    row(
        f"  FTS query, median over {fts['queries']} ({rows_n:,} art.)",
        f"{fts['median_ms']:.2f} ms (p90 {fts['p90_ms']:.2f})",
        "< 20 ms",
        _verdict(fts["median_ms"] < 20),
    )
    ls, ll = st.get("lookup_small", {}), st["lookup_large"]
    row(
        f"  is_known_url, median at {ls.get('rows', 0):,} / {ll['rows']:,} rows",
        f"{_f(ls.get('known_median_ms'), '.4f')} / {ll['known_median_ms']:.4f} ms known, "
        f"{_f(ls.get('unknown_median_ms'), '.4f')} / {ll['unknown_median_ms']:.4f} unknown",
    )
    ratio = st.get("lookup_known_ratio")
    row(
        "  lookup ratio large / small (known, unknown)",
        f"{_f(ratio, '.2f')}, {_f(st.get('lookup_unknown_ratio'), '.2f')}",
        "flat (~1)",
        _verdict(ratio is not None and ratio < 1.5 and st.get("lookup_unknown_ratio", 9) < 1.5),
    )


if __name__ == "__main__":
    sys.exit(main())
