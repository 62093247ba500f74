"""Real pages of sites nobody here wrote rules for: wardnews against trafilatura, side by side.

    python -m bench.realpages [--corpus DIR] [--source fundus] [--lang de] [--limit N]
                              [--only wardnews|trafilatura] [--json OUT.json] [--preds DIR]

The corpus is ``shared/realpages`` (462 real news pages with expected title,
authors, date, body and captions; see its README): found beside the checkout
(``../shared/realpages``, or one more level up for a worktree) unless
``--corpus`` names it. Its own ``score.py`` scores both extractors; without it
(a corpus folder that lacks one) the copy vendored under ``tests/realpages/``
does.

wardnews runs with no site profile (``site=None``): a foreign page gets
metadata and heuristics alone, as the portal's pages do the night every class
name we guessed is wrong. Its body is the sapo and the body joined (the
corpus's bodies include the lead); its date is the day the page wrote,
``published_at`` shown in the offset of ``published_at_raw``
(``wardnews.dates.day_as_written``), because the store keeps every instant in
+07:00. trafilatura 2.3.1 is called as the corpus README says.

Each page goes to both extractors in turn (interleaved, so a load spike on the
shared machine hits both), timed per call; pages/s is pages over the summed
call time. One untimed warm-up call each first. The two score.py functions
used are ``score_page`` and ``aggregate``, so the figures are the scorer's.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import signal
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType

if __package__ in (None, ""):  # run as a script: python bench/realpages.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wardnews.dates import day_as_written
from wardnews.extract import extract_article

ROOT = Path(__file__).resolve().parents[1]
VENDORED_SCORER = ROOT / "tests" / "realpages" / "score.py"
PAGE_TIMEOUT_S = 60
SHOWN = ("title", "titleF1", "date", "authF1", "bodyF1", "snip", "capR")
# The fields where wardnews must beat trafilatura (issue 10), and the captions floor.
CONTESTED = ("titleF1", "date", "authF1", "bodyF1")
CAPTIONS_FLOOR = 0.8
SPEED_TARGET = 2.0


def wardnews_extract(html: str, url: str | None) -> dict:
    """The score.py adapter: ``extract_article`` with no site profile, in the scorer's terms."""
    article = extract_article(html, url or "http://example.invalid/", site=None)
    if article is None:
        return {"title": None, "authors": [], "date": None, "body": "", "captions": []}
    body = "\n\n".join(part for part in (article.sapo, article.body) if part)
    return {
        "title": article.title,
        # The corpus credits agencies and desks as authors ("dpa", "ORF.at"); wardnews keeps
        # them apart as the article's source. The scorer's "authors" is everyone credited.
        "authors": list(article.authors) + ([article.source] if article.source else []),
        "date": article.published_on or day_as_written(article.published_at, article.published_at_raw),
        "body": body,
        "captions": [figure.caption for figure in article.figures if figure.caption],
    }


def trafilatura_extract(html: str, url: str | None) -> dict:
    """The score.py adapter for trafilatura, called as the corpus README says."""
    from trafilatura import bare_extraction

    doc = bare_extraction(html, url=url, with_metadata=True, include_comments=False, include_tables=True)
    if doc is None:
        return {"title": None, "authors": [], "date": None, "body": ""}
    author = getattr(doc, "author", None)
    return {
        "title": getattr(doc, "title", None),
        "authors": [a.strip() for a in author.split(";") if a.strip()] if author else [],
        "date": getattr(doc, "date", None),
        "body": getattr(doc, "text", None) or "",
    }


EXTRACTORS = {"wardnews": wardnews_extract, "trafilatura": trafilatura_extract}


def find_corpus(given: str | None) -> Path | None:
    """``--corpus`` if given, else ``shared/realpages`` beside the checkout or one level up."""
    if given:
        return Path(given)
    for parent in (ROOT.parent, ROOT.parent.parent):
        candidate = parent / "shared" / "realpages"
        if (candidate / "manifest.jsonl").is_file():
            return candidate
    return None


def load_scorer(corpus: Path | None) -> ModuleType:
    """The corpus's own score.py when it has one, else the copy vendored in tests/realpages/."""
    path = corpus / "score.py" if corpus is not None and (corpus / "score.py").is_file() else VENDORED_SCORER
    spec = importlib.util.spec_from_file_location("realpages_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Timeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise _Timeout()


def _call(fn, html: str, url: str | None) -> tuple[dict | None, str | None, float]:
    """``(prediction, error, seconds)``: an exception or a timeout is an empty answer, as in score.py."""
    use_alarm = hasattr(signal, "SIGALRM")
    started = time.perf_counter()
    try:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, PAGE_TIMEOUT_S)
        return fn(html, url), None, time.perf_counter() - started
    except _Timeout:
        return None, "timeout", time.perf_counter() - started
    except Exception as error:  # noqa: BLE001 - the scorer's rule: a crash is an empty answer, shown
        return None, f"{type(error).__name__}: {error}", time.perf_counter() - started
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)


def run(records: list[dict], names: list[str], scorer: ModuleType) -> dict[str, dict]:
    """Per extractor: ``{"groups": {group: aggregate}, "pages": [...], "preds": [...]}``."""
    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, _on_alarm)
    for name in names:  # warm-up: lazy imports, caches
        _call(EXTRACTORS[name], records[0]["_html"], records[0].get("url"))
    results: dict[str, list] = {name: [] for name in names}
    for record in records:
        for name in names:
            pred, error, seconds = _call(EXTRACTORS[name], record["_html"], record.get("url"))
            if error:
                print(f"[{name}] {record['id']}: {error}", file=sys.stderr)
            results[name].append((record, pred, error, seconds))
    out = {}
    for name in names:
        attempted = set()
        for _, pred, _, _ in results[name]:
            if pred:
                attempted |= {key for key in scorer.FIELDS if key in pred}
        rows, preds = [], []
        for record, pred, error, seconds in results[name]:
            scores = scorer.score_page(record["gold"], pred or {}, attempted)
            rows.append(
                {
                    "id": record["id"],
                    "source": record["source"].split(":", 1)[0],
                    "lang": record["lang"],
                    "m": {key: round(value, 4) for key, value in scores.items()},
                    "secs": seconds,
                    "error": error,
                }
            )
            preds.append({"id": record["id"], "error": error, "pred": pred})
        out[name] = {"groups": group(rows, scorer), "pages": rows, "preds": preds}
    return out


def group(rows: list[dict], scorer: ModuleType, min_lang_pages: int = 3) -> dict[str, dict]:
    """Overall, per source and per language (small languages pooled), as score.py groups them."""
    groups = {"overall": scorer.aggregate(rows)}
    by_source, by_lang = defaultdict(list), defaultdict(list)
    counts = Counter(row["lang"] for row in rows)
    for row in rows:
        by_source[row["source"]].append(row)
        by_lang[row["lang"] if counts[row["lang"]] >= min_lang_pages else "other"].append(row)
    for source in sorted(by_source):
        groups[f"src:{source.split('/')[-1]}"] = scorer.aggregate(by_source[source])
    for lang in sorted(by_lang, key=lambda key: (-len(by_lang[key]), key)):
        groups[f"lang:{lang}"] = scorer.aggregate(by_lang[lang])
    return groups


def _cell(groups: dict, name: str, column: str) -> str:
    value = groups[name].get(column)
    return "-" if value is None else f"{value:.3f}"


def side_by_side(results: dict[str, dict]) -> str:
    """One row per group; each column ``wardnews trafilatura`` for one measure, then pages/s."""
    names = list(results)
    first = results[names[0]]["groups"]
    header = ["group", "n"] + [f"{column} ({'/'.join(n[:4] for n in names)})" for column in SHOWN] + ["pg/s"]
    lines = []
    for name in first:
        n_of = {c: first[name].get(f"n_{c}", 0) for c in SHOWN}
        cells = [name, str(first[name]["n"])]
        for column in SHOWN:
            values = " ".join(_cell(results[x]["groups"], name, column) for x in names)
            cells.append(values + (f" /{n_of[column]}" if n_of[column] else ""))
        cells.append(" ".join(f"{results[x]['groups'][name]['pages_per_s'] or 0:.1f}" for x in names))
        lines.append(cells)
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    rows = [header, *lines]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows)


def verdict(results: dict[str, dict]) -> list[str]:
    """The issue-10 targets, checked on this run's overall figures."""
    ours, theirs = results["wardnews"]["groups"]["overall"], results["trafilatura"]["groups"]["overall"]
    lines = []
    for column in CONTESTED:
        a, b = ours.get(column) or 0, theirs.get(column) or 0
        lines.append(f"  {column:<8} wardnews {a:.3f}  trafilatura {b:.3f}  {'ok' if a > b else 'BELOW'}")
    captions = ours.get("capR") or 0
    ok = "ok" if captions >= CAPTIONS_FLOOR else "BELOW"
    lines.append(f"  capR     wardnews {captions:.3f}  (floor {CAPTIONS_FLOOR})  {ok}")
    ratio = (ours["pages_per_s"] or 0) / (theirs["pages_per_s"] or float("inf"))
    lines.append(
        f"  speed    wardnews {ours['pages_per_s']:.1f} pages/s  trafilatura {theirs['pages_per_s']:.1f}"
        f"  ratio {ratio:.2f}x (target >= {SPEED_TARGET}x)  {'ok' if ratio >= SPEED_TARGET else 'BELOW'}"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", help="folder with manifest.jsonl, pages/ and score.py")
    parser.add_argument("--source", help="only pages whose source contains this string")
    parser.add_argument("--lang", help="only pages of this language")
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--only", choices=sorted(EXTRACTORS), help="run one extractor alone")
    parser.add_argument("--json", metavar="PATH", help="write the groups and per-page scores as JSON")
    parser.add_argument("--preds", metavar="DIR", help="write <extractor>.jsonl predictions into DIR")
    args = parser.parse_args(argv)

    corpus = find_corpus(args.corpus)
    if corpus is None or not (corpus / "manifest.jsonl").is_file():
        print(
            "no real-pages corpus found: pass --corpus DIR (a folder with manifest.jsonl and pages/);"
            " it is looked for at ../shared/realpages",
            file=sys.stderr,
        )
        return 2
    names = [args.only] if args.only else list(EXTRACTORS)
    if "trafilatura" in names and importlib.util.find_spec("trafilatura") is None:
        print("trafilatura is not installed (pip install -e '.[bench]'): wardnews alone", file=sys.stderr)
        names.remove("trafilatura")
    scorer = load_scorer(corpus)
    records = scorer.load_corpus(corpus, args.source, args.lang, args.limit)
    if not records:
        print("no pages selected", file=sys.stderr)
        return 2
    results = run(records, names, scorer)
    print(f"real pages: {len(records)} from {corpus}; wardnews with no site profile")
    print(side_by_side(results))
    if set(names) == set(EXTRACTORS):
        print("\ntargets (issue 10):")
        print("\n".join(verdict(results)))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        data = {name: {"groups": r["groups"], "pages": r["pages"]} for name, r in results.items()}
        Path(args.json).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.preds:
        folder = Path(args.preds)
        folder.mkdir(parents=True, exist_ok=True)
        for name, r in results.items():
            lines = (json.dumps(p, ensure_ascii=False, default=str) for p in r["preds"])
            (folder / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
