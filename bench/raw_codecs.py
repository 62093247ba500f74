"""Compare codecs for the raw-page archive: bytes kept per 1,000 articles and time per page.

    .venv/bin/python bench/raw_codecs.py [--articles 1000] [--padding-kib 0] [--db]

Pages come from the generated portal (``wardnews.testing.portal``), rendered
in the seed page's markup; ``--padding-kib`` pads every page with the portal's
synthetic boilerplate (which compresses better than a real page's). The seed
fixture page (a copy of the real portal's markup) is measured on its own too.
With ``--db``, the same pages are stored through ``Store`` twice, with and
without their raw pages, and the growth of the SQLite file is printed.
"""

from __future__ import annotations

import argparse
import lzma
import tempfile
import time
import zlib
from datetime import datetime
from pathlib import Path

from wardnews.extract import extract_article
from wardnews.raw import RawPage, zstd  # the stdlib's, or its backport
from wardnews.store import SaveResult, Store
from wardnews.testing.portal import TZ, Portal

SEED = Path(__file__).resolve().parents[1] / "tests/fixtures/laodongthudo/seed_tay_tuu.html"

CODECS = {
    "zlib-6": (lambda b: zlib.compress(b, 6), zlib.decompress),
    "zlib-9": (lambda b: zlib.compress(b, 9), zlib.decompress),
    "lzma-6": (lambda b: lzma.compress(b, preset=6), lzma.decompress),
    "lzma-9e": (lambda b: lzma.compress(b, preset=9 | lzma.PRESET_EXTREME), lzma.decompress),
    "zstd-3": (lambda b: zstd.compress(b, 3), zstd.decompress),
    "zstd-10": (lambda b: zstd.compress(b, 10), zstd.decompress),
    "zstd-19": (lambda b: zstd.compress(b, 19), zstd.decompress),
}


def measure(pages: list[bytes]) -> list[tuple[str, int, float, float]]:
    rows = []
    for name, (pack, unpack) in CODECS.items():
        start = time.perf_counter()
        packed = [pack(p) for p in pages]
        mid = time.perf_counter()
        for blob in packed:
            unpack(blob)
        end = time.perf_counter()
        rows.append((name, sum(map(len, packed)), (mid - start) / len(pages), (end - mid) / len(pages)))
    return rows


def show(title: str, pages: list[bytes], per: int) -> None:
    raw = sum(map(len, pages))
    print(f"\n{title}: {len(pages)} pages, {raw / len(pages) / 1024:.1f} KiB a page uncompressed")
    print(f"{'codec':<9} {'MiB/1000 art.':>13} {'ratio':>6} {'ms pack':>8} {'ms unpack':>9}")
    for name, size, pack_s, unpack_s in measure(pages):
        per_1000 = size / len(pages) * per / 1024 / 1024
        print(f"{name:<9} {per_1000:>13.2f} {raw / size:>6.1f} {pack_s * 1000:>8.2f} {unpack_s * 1000:>9.3f}")


def db_cost(portal: Portal, n: int) -> None:
    """Bytes the raw pages add to the SQLite file (after VACUUM), per 1,000 articles."""
    stories = portal.expected_articles()
    fetched = datetime(2026, 1, 1, 8, tzinfo=TZ)
    articles = []
    for story in stories:
        url = portal.base_url + story.path
        response = portal.render(story.path)
        article = extract_article(response.body, url, fetched_at=fetched)
        if article is not None:
            article.raw = RawPage(
                url=url,
                body=response.body,
                fetched_at=fetched.isoformat(),
                headers={k: [v] for k, v in response.headers.items()},
            )
            articles.append(article)
    sizes = {}
    with tempfile.TemporaryDirectory() as tmp:
        for keep_raw in (False, True):
            path = Path(tmp) / f"raw{keep_raw}.db"
            with Store(path) as store:
                with store.transaction():
                    results = store.save_articles(articles)
                    if keep_raw:
                        store.save_raw_pages(zip(articles, results, strict=True))
                store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                store.db.vacuum()
            sizes[keep_raw] = path.stat().st_size
        stored = sum(isinstance(r, SaveResult) for r in results)
    extra = sizes[True] - sizes[False]
    print(
        f"\ndatabase: {stored} articles; file without raw pages {sizes[False] / 2**20:.2f} MiB,"
        f" with {sizes[True] / 2**20:.2f} MiB"
    )
    print(
        f"raw archive ({n} generated pages, lzma): {extra / len(articles) * 1000 / 2**20:.2f} MiB"
        " per 1,000 articles"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--padding-kib", type=int, default=0)
    parser.add_argument("--db", action="store_true", help="Also measure the SQLite file's growth.")
    args = parser.parse_args()
    portal = Portal(args.articles, seed=1, now=datetime(2026, 1, 1, tzinfo=TZ), padding_kib=args.padding_kib)
    pages = [portal.render(a.path).body for a in portal.expected_articles()]
    show(f"generated portal (padding {args.padding_kib} KiB)", pages, 1000)
    show("seed fixture page", [SEED.read_bytes()] * 20, 1000)
    if args.db:
        db_cost(portal, args.articles)


if __name__ == "__main__":
    main()
