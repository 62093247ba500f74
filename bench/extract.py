"""Extraction benchmark: wardnews against trafilatura and the lxml parse floor, in one run.

    python -m bench.extract [--pages 300] [--traf-pages 60] [--rounds 3] [--padding-kib 72]
    python bench/extract.py --quick

Pages: every fixture page under tests/fixtures/**/ that has a JSON beside it
with an ``expected`` object, and article pages of a generated portal
(``wardnews.testing.portal``, padded to the size of a real page). Prints, for
both sets, pages/s of ``lxml.html.fromstring`` (the floor: parsing alone),
``wardnews.extract.extract_article`` and trafilatura's ``bare_extraction``
(``with_metadata=True``, otherwise its defaults) on one core, with their
ratios; then field accuracy of both extractors on the fixture pages (against
the expectations written by reading the pages) and on the portal pages
(against the generator's ground truth). Speeds are the best of ``--rounds``
interleaved passes; only ratios measured in the same run mean anything.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python bench/extract.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import lxml.html

from wardnews.extract import extract_article

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
PORTAL_BASE = "https://laodongthudo.vn"
SIMILAR = 0.9  # token F1 at or above this counts a text field as right
FIELDS = (
    "title",
    "published_at",
    "sapo",
    "body",
    "authors",
    "byline",
    "category",
    "tags",
    "figures",
    "captions",
)
# Fields trafilatura has no equivalent for: its output has no printed byline,
# no list of body images with their captions.
TRAF_NA = frozenset({"byline", "figures", "captions"})
_CREDIT_RE = re.compile(r"\s*\((?:Ảnh|Ảnh minh họa|Nguồn)\s*:\s*([^)]*)\)\s*$", re.IGNORECASE)
_WORD_RE = re.compile(r"\w+")


@dataclass
class Page:
    name: str
    html: bytes
    url: str
    fetched_at: datetime | None
    expected: dict | None = None  # fields as in an Article dict; None when unknown


@dataclass
class Speed:
    pages: int
    seconds: float  # best pass

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else float("inf")


@dataclass
class Accuracy:
    """Per field: [right, counted]."""

    counts: dict[str, list[int]] = field(default_factory=dict)
    body_f1: list[float] = field(default_factory=list)

    def add(self, name: str, ok: bool | None) -> None:
        if ok is None:
            return
        cell = self.counts.setdefault(name, [0, 0])
        cell[0] += bool(ok)
        cell[1] += 1

    def share(self, name: str) -> float | None:
        right, n = self.counts.get(name, (0, 0))
        return right / n if n else None

    def to_dict(self) -> dict:
        out = {
            name: {"right": r, "of": n, "share": r / n if n else None} for name, (r, n) in self.counts.items()
        }
        out["body_mean_f1"] = sum(self.body_f1) / len(self.body_f1) if self.body_f1 else None
        return out


# -- pages -----------------------------------------------------------------------------
def fixture_pages() -> list[Page]:
    """Fixture pages whose JSON carries an ``expected`` object (the article they hold)."""
    pages = []
    for html_path in sorted(FIXTURES.rglob("*.html")):
        json_path = html_path.with_suffix(".json")
        if not json_path.exists():
            continue
        try:
            spec = json.loads(json_path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        expected = spec.get("expected")
        if not isinstance(expected, dict) or not spec.get("url"):
            continue
        fetched = spec.get("fetched_at")
        pages.append(
            Page(
                name=str(html_path.relative_to(FIXTURES)),
                html=html_path.read_bytes(),
                url=spec["url"],
                fetched_at=datetime.fromisoformat(fetched) if fetched else None,
                expected=expected,
            )
        )
    return pages


def portal_expected(article, base: str = PORTAL_BASE) -> dict:
    """The generator's ground truth for one article, in ``Article.to_dict()`` terms."""
    figures = []
    for image, printed in article.figures:
        match = _CREDIT_RE.search(printed)
        caption = printed[: match.start()].strip() if match else printed
        figures.append({"image_url": base + image, "caption": caption, "credit": match and match.group(1)})
    return {
        "title": article.title,
        "sapo": article.sapo,
        "body": article.body,
        "byline": article.byline,
        "authors": [a.strip() for a in article.byline.split(" - ")],
        "published_at": article.published_at.isoformat(),
        "category": article.category,
        "tags": list(article.tags),
        "figures": figures,
    }


def portal_pages(n: int, *, padding_kib: int = 72, seed: int = 0, portal=None) -> list[Page]:
    """Article pages of a generated portal (``n`` at most), with the generator's ground truth."""
    from wardnews.testing.portal import Portal

    portal = portal or Portal(n, seed=seed, padding_kib=padding_kib)
    pages = []
    for article in portal.expected_articles()[:n]:
        response = portal.render(article.path)
        pages.append(
            Page(
                name=article.path,
                html=response.body,
                url=PORTAL_BASE + article.path,
                fetched_at=portal.now,
                expected=portal_expected(article),
            )
        )
    return pages


# -- the three contestants ----------------------------------------------------------------
def run_lxml(page: Page):
    return lxml.html.fromstring(page.html)


def run_wardnews(page: Page):
    return extract_article(page.html, page.url, fetched_at=page.fetched_at)


def have_trafilatura() -> bool:
    """trafilatura is a benchmark dependency only (``pip install -e '.[bench]'``)."""
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        return False
    return True


def run_trafilatura(page: Page):
    from trafilatura import bare_extraction

    return bare_extraction(page.html, url=page.url, with_metadata=True)


def time_pass(fn, pages: list[Page]) -> float:
    start = time.perf_counter()
    for page in pages:
        fn(page)
    return time.perf_counter() - start


def measure(pages: list[Page], traf_pages: list[Page], rounds: int) -> dict[str, Speed]:
    """Best-of-``rounds`` pass time of each contestant, passes interleaved so noise hits all three."""
    contestants = {"lxml": (run_lxml, pages), "wardnews": (run_wardnews, pages)}
    if traf_pages:
        contestants["trafilatura"] = (run_trafilatura, traf_pages)
    for fn, subset in contestants.values():  # warm-up: imports, caches, first dateparser call
        for page in subset[:2]:
            fn(page)
    best = {name: float("inf") for name in contestants}
    for _ in range(rounds):
        for name, (fn, subset) in contestants.items():
            best[name] = min(best[name], time_pass(fn, subset))
    return {name: Speed(len(contestants[name][1]), best[name]) for name in contestants}


# -- accuracy -----------------------------------------------------------------------------
def norm(text) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).split())


def tokens(text) -> list[str]:
    return _WORD_RE.findall(norm(text).casefold())


def token_f1(got, expected) -> float:
    a, b = Counter(tokens(got)), Counter(tokens(expected))
    if not a and not b:
        return 1.0
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def names(values) -> set[str]:
    return {norm(v).casefold() for v in values or () if norm(v)}


def wardnews_fields(article) -> dict:
    if article is None:
        return {}
    return {
        "title": article.title,
        "sapo": article.sapo,
        "body": article.body,
        "byline": article.byline,
        "authors": article.authors,
        "published_at": article.published_at,
        "category": article.category,
        "tags": article.tags,
        "figures": [f.image_url for f in article.figures],
        "captions": [(norm(f.caption), norm(f.credit)) for f in article.figures],
    }


def trafilatura_fields(doc) -> dict:
    """trafilatura's Document in our terms: description is its sapo, author its authors."""
    if doc is None:
        return {}
    authors = [a for a in re.split(r"\s*[;,]\s*", doc.author or "") if a]
    tags = [t for raw in doc.tags or () for t in re.split(r"\s*,\s*", raw) if t]
    return {
        "title": doc.title,
        "sapo": doc.description,
        "body": doc.text,
        "authors": authors,
        "published_at": doc.date,
        "categories": list(doc.categories or ()),
        "tags": tags,
    }


def judge(got: dict, expected: dict, accuracy: Accuracy, *, trafilatura: bool = False) -> None:
    """Count each field right or wrong; a field the expectation leaves out is not counted."""
    if "title" in expected:
        accuracy.add("title", norm(got.get("title")) == norm(expected["title"]))
    if "published_at" in expected:
        want, have = expected["published_at"], got.get("published_at")
        accuracy.add("published_at", (str(have)[:10] if have else None) == (want[:10] if want else None))
    for name in ("sapo", "body"):
        if name in expected:
            f1 = token_f1(got.get(name), expected[name])
            if name == "body":
                accuracy.body_f1.append(f1)
            accuracy.add(name, f1 >= SIMILAR if (expected[name] or got.get(name)) else True)
    if "authors" in expected or "byline" in expected:
        want = expected.get("authors")
        if want is None:
            want = [expected["byline"]] if expected.get("byline") else []
        accuracy.add("authors", names(got.get("authors")) == names(want))
    if "category" in expected:
        if trafilatura:  # generous: right when the section is anywhere in its list
            want = norm(expected["category"]).casefold()
            have = names(got.get("categories"))
            accuracy.add("category", (want in have) if want else not have)
        else:
            accuracy.add("category", norm(got.get("category")) == norm(expected["category"]))
    if "tags" in expected:
        accuracy.add("tags", names(got.get("tags")) == names(expected["tags"]))
    if trafilatura:
        return
    if "byline" in expected:
        accuracy.add("byline", norm(got.get("byline")) == norm(expected["byline"]))
    if "figures" in expected:
        want = expected["figures"] or []
        accuracy.add("figures", got.get("figures", []) == [f.get("image_url") for f in want])
        accuracy.add(
            "captions",
            got.get("captions", []) == [(norm(f.get("caption")), norm(f.get("credit"))) for f in want],
        )


def accuracy_of(pages: list[Page], traf_pages: list[Page]) -> tuple[Accuracy, Accuracy, list[str]]:
    """Accuracy of both extractors, and the wardnews misses as ``page: field, field``."""
    ours, theirs = Accuracy(), Accuracy()
    misses: list[str] = []
    for page in pages:
        one = Accuracy()
        judge(wardnews_fields(run_wardnews(page)), page.expected, one)
        for name, (right, n) in one.counts.items():
            cell = ours.counts.setdefault(name, [0, 0])
            cell[0] += right
            cell[1] += n
        ours.body_f1 += one.body_f1
        wrong = sorted(name for name, (right, n) in one.counts.items() if right < n)
        if wrong:
            misses.append(f"{page.name}: {', '.join(wrong)}")
    for page in traf_pages:
        judge(trafilatura_fields(run_trafilatura(page)), page.expected, theirs, trafilatura=True)
    return ours, theirs, misses


# -- report -------------------------------------------------------------------------------
def speed_report(speeds: dict[str, Speed]) -> dict:
    lxml_rate = speeds["lxml"].rate
    ours = speeds["wardnews"].rate
    out = {
        name: {"pages": s.pages, "best_pass_s": s.seconds, "pages_per_s": s.rate}
        for name, s in speeds.items()
    }
    out["wardnews_over_lxml"] = ours / lxml_rate
    if "trafilatura" in speeds:
        out["wardnews_over_trafilatura"] = ours / speeds["trafilatura"].rate
    return out


def pct(share: float | None) -> str:
    return "—" if share is None else f"{share:6.1%}"


def print_speed(title: str, report: dict, avg_kib: float) -> None:
    print(f"\n{title} (avg {avg_kib:.1f} KiB/page)")
    print(f"  {'':<26}{'pages':>7}{'pages/s':>11}")
    for name, label in (
        ("lxml", "lxml.html.fromstring"),
        ("wardnews", "wardnews extract_article"),
        ("trafilatura", "trafilatura bare_extraction"),
    ):
        if name in report:
            r = report[name]
            print(f"  {label:<26}{r['pages']:>7}{r['pages_per_s']:>11.1f}")
    print(f"  wardnews / lxml floor     {report['wardnews_over_lxml']:>18.3f}   (target >= 0.4)")
    if "wardnews_over_trafilatura" in report:
        print(f"  wardnews / trafilatura    {report['wardnews_over_trafilatura']:>17.1f}x   (target >= 10x)")


def print_accuracy(title: str, ours: Accuracy, theirs: Accuracy, n_ours: int, n_theirs: int) -> None:
    print(f"\n{title}: share right (wardnews on {n_ours} pages, trafilatura on {n_theirs})")
    print(f"  {'field':<14}{'wardnews':>16}{'trafilatura':>16}")
    for name in FIELDS:
        if name not in ours.counts and name not in theirs.counts:
            continue
        r, n = ours.counts.get(name, (0, 0))
        left = f"{r}/{n} {pct(ours.share(name))}" if n else "—"
        if name in TRAF_NA:
            right = "n/a"
        else:
            tr, tn = theirs.counts.get(name, (0, 0))
            right = f"{tr}/{tn} {pct(theirs.share(name))}" if tn else "—"
        print(f"  {name:<14}{left:>16}{right:>16}")
    if ours.body_f1:
        theirs_f1 = sum(theirs.body_f1) / len(theirs.body_f1) if theirs.body_f1 else float("nan")
        print(f"  {'body mean F1':<14}{sum(ours.body_f1) / len(ours.body_f1):>16.3f}{theirs_f1:>16.3f}")


def run(
    *,
    portal_n: int = 300,
    traf_n: int = 60,
    rounds: int = 3,
    padding_kib: int = 72,
    seed: int = 0,
    portal=None,
    quiet: bool = False,
) -> dict:
    """Measure and print; returns the figures (for bench.run's JSON)."""
    if traf_n and not have_trafilatura():
        if not quiet:
            print("trafilatura is not installed (pip install -e '.[bench]'): its columns are left out")
        traf_n = 0
    fixtures = fixture_pages()
    portal_set = portal_pages(portal_n, padding_kib=padding_kib, seed=seed, portal=portal)
    results: dict = {
        "fixture_pages": len(fixtures),
        "portal_pages": len(portal_set),
        "padding_kib": padding_kib,
        "trafilatura": have_trafilatura() and bool(traf_n),
    }

    def kib(pages):
        return sum(len(p.html) for p in pages) / max(len(pages), 1) / 1024

    for label, pages, traf in (
        ("portal", portal_set, portal_set[:traf_n]),
        ("fixtures", fixtures, fixtures[: len(fixtures) if traf_n else 0]),
    ):
        if not pages:
            continue
        report = speed_report(measure(pages, traf, rounds))
        report["avg_kib"] = kib(pages)
        results[f"speed_{label}"] = report
        if not quiet:
            print_speed(f"Extraction speed, {label} pages, one core, best of {rounds}", report, kib(pages))

    for label, pages, traf in (
        ("fixtures", fixtures, fixtures[: len(fixtures) if traf_n else 0]),
        ("portal", portal_set, portal_set[:traf_n]),
    ):
        if not pages:
            continue
        ours, theirs, misses = accuracy_of(pages, traf)
        results[f"accuracy_{label}"] = {
            "wardnews": ours.to_dict(),
            "trafilatura": theirs.to_dict(),
            "wardnews_misses": misses,
        }
        if not quiet:
            print_accuracy(f"Field accuracy, {label} pages", ours, theirs, len(pages), len(traf))
            for line in misses[:15]:
                print(f"    wardnews wrong: {line}")
    if not quiet:
        print(
            "\n  Rules: title, category exact (NFC, spaces folded); published_at by its date part; sapo"
            f" and body right at token F1 >= {SIMILAR}; authors and tags as case-folded sets;"
            " figures = image URLs in order, captions = (caption, credit) in order. trafilatura:"
            " description as sapo, author split on ';' as authors, category right when anywhere"
            " in its categories; n/a = no equivalent in its output."
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.extract", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300, help="generated portal article pages (300)")
    parser.add_argument("--traf-pages", type=int, default=60, help="of those, run through trafilatura (60)")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes per contestant; best counts (3)")
    parser.add_argument("--padding-kib", type=int, default=72, help="pad portal pages to this size (72)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--quick", action="store_true", help="20 portal pages, 5 through trafilatura, 1 round"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    if args.quick:
        args.pages, args.traf_pages, args.rounds = 20, 5, 1
    results = run(
        portal_n=args.pages,
        traf_n=args.traf_pages,
        rounds=args.rounds,
        padding_kib=args.padding_kib,
        seed=args.seed,
    )
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
