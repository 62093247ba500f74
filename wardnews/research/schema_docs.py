"""What every table and column of the database means: the one source of truth.

``TABLES`` feeds Datasette's metadata (``wardnews serve``) and the schema
section of the README's researchers' documentation, which ``render_markdown()``
writes and a test keeps identical.
A test also fails when a migration adds a table or column missing here.

Regenerate the documentation block after editing this file::

    python -m wardnews.research.schema_docs
"""

from __future__ import annotations

import sys

# Tables the documentation leaves out: SQLite and FTS5 bookkeeping.
UNDOCUMENTED_SUFFIXES = ("_fts_data", "_fts_idx", "_fts_docsize", "_fts_config")
UNDOCUMENTED_PREFIXES = ("sqlite_",)

ISO = "ISO 8601 with offset +07:00 (Asia/Ho_Chi_Minh)"

TABLES: dict[str, dict] = {
    "articles": {
        "description": "One row per news article (one story, whatever URLs reached it).",
        "columns": {
            "id": "Row id, referenced by every other table's article_id.",
            "site": 'Site key of the portal, e.g. "laodongthudo".',
            "article_key": "The portal's own numeric article id, from the URL (…-203248.html gives 203248).",
            "url": "Canonical URL of the article (rel=canonical when on the same site).",
            "category": 'Section the portal files the article under, e.g. "Địa phương".',
            "title": "Headline as printed.",
            "sapo": "Lead paragraph (the bold summary under the headline).",
            "body": "Running text: paragraphs and sub-headings in order, separated by a blank line.",
            "captions": "Captions of the article's pictures, one per line (also in the figures table).",
            "byline": 'Byline as printed, e.g. "Lê Thắm" or "Hà An - Minh Thu".',
            "authors": 'JSON list of the people or groups credited as writers, e.g. ["Lê Thắm"].',
            "source": 'Outlet credited for the text, e.g. "TTXVN" from "(Theo TTXVN)"; NULL if none.',
            "published_at": f"When the portal says it published the article, {ISO}, or a bare date.",
            "published_at_raw": 'The string published_at was parsed from, e.g. "20:15 | 22/12/2025".',
            "published_on": (
                "The publication day as the page printed it (YYYY-MM-DD), in the publisher's own calendar;"
                " the day of published_at for the portal, which writes Hà Nội time."
            ),
            "modified_at": f"When the portal says it last updated the article, {ISO}; NULL if not shown.",
            "modified_at_raw": "The string modified_at was parsed from.",
            "tags": "JSON list of the portal's tags for the article.",
            "word_count": "Words in body.",
            "content_hash": "sha256 of title, sapo, body, captions, byline, dates: changes with the text.",
            "story_hash": "sha256 of title and body folded hard: one story republished under a new URL.",
            "first_seen_at": f"When wardnews first stored the article, {ISO}.",
            "last_seen_at": f"When a crawl last saw the article, {ISO}.",
            "last_changed_at": f"When wardnews last stored a changed version (see revisions), {ISO}.",
            "fetched_at": f"When the stored version was fetched, {ISO}.",
            "extraction": (
                "JSON object: field -> strategy that produced it: site (the portal's own markup), "
                "metadata (JSON-LD, OpenGraph, <meta>), heuristic (general rules) or none (not found)."
            ),
            "missing": "JSON object: field -> why it is NULL.",
            "extractor_version": "Version of the extractor that produced the row.",
            "doubts": (
                'JSON list of reasons the page was kept while unsure, e.g. "cut short: the document stops'
                ' before </html>" (see doubtful_pages); [] when none.'
            ),
            "published_month": (
                'Month of published_at, "YYYY-MM" (computed from it, never stored); NULL without a date.'
            ),
            "unit_names": (
                'JSON list of the wards and communes the article names, e.g. ["Tây Tựu", "Đống Đa"]: '
                "article_units rows with former_split = 0, headline ones first; kept in step by triggers."
            ),
        },
    },
    "figures": {
        "description": "Pictures of each article's body, in order.",
        "columns": {
            "article_id": "The article (articles.id).",
            "position": "Order in the article, from 0.",
            "image_url": "Absolute URL of the image.",
            "caption": "Caption without its photo credit; NULL if none.",
            "credit": 'Photographer credited after "Ảnh:"; NULL if none.',
            "alt": "The image's alt text as written (often the article title on this portal).",
        },
    },
    "links": {
        "description": "Links each article shows, by block.",
        "columns": {
            "article_id": "The article showing the link (articles.id).",
            "position": "Order on the page, from 0.",
            "block": (
                'Where the link sits: tin_khac ("Tin khác"), co_the_ban_quan_tam ("Có thể bạn quan tâm"), '
                'nen_xem ("Nên xem"), related (the inline related box), body (running text).'
            ),
            "url": "Absolute URL as written, fragment removed; join to url_aliases.url or articles.url.",
            "anchor_text": "The link's visible text.",
        },
    },
    "url_aliases": {
        "description": (
            "Every URL that reached (or links to) an article, and how it differs from the canonical one."
        ),
        "columns": {
            "url": "The URL as seen.",
            "article_id": "The article it leads to (articles.id); NULL while that article is not stored yet.",
            "canonical_url": "The canonical URL it resolves to.",
            "article_key": "The portal's article id in the URL.",
            "how": (
                "How url differs: canonical, tracking, mobile, fragment, letter_case, trailing_slash, "
                "section_path, variant, rel_canonical, republished (same story under a new id, possibly"
                " edited), redirect (it answered 3xx to the article), print (the article's print copy)."
            ),
            "first_seen_at": f"When wardnews first saw the URL, {ISO}.",
            "last_seen_at": f"When wardnews last saw the URL, {ISO}.",
        },
    },
    "revisions": {
        "description": "Earlier versions of articles whose content changed (articles holds the newest).",
        "columns": {
            "id": "Row id.",
            "article_id": "The article (articles.id).",
            "captured_at": f"When this version was replaced, {ISO}.",
            "content_hash": "content_hash of this version.",
            "title": "Headline of this version.",
            "sapo": "Lead paragraph of this version.",
            "body": "Running text of this version.",
            "captions": "Captions of this version, one per line.",
            "byline": "Byline of this version.",
            "published_at": "published_at of this version.",
            "modified_at": "modified_at of this version.",
            "first_seen_at": f"Since when this version was stored, {ISO}.",
        },
    },
    "crawl_runs": {
        "description": "One row per crawl (wardnews crawl, crawl --full, fetch --store).",
        "columns": {
            "id": "Run id.",
            "started_at": f"Start, {ISO}.",
            "finished_at": f"End, {ISO}; NULL while running or if the process died.",
            "mode": "nightly, full or url.",
            "status": "running, ok, degraded, failed or interrupted (SIGTERM, SIGINT); killed when its"
            " process died without closing it (set by the next run).",
            "exit_code": "Exit status of the command: 0 ok, 1 failed, 2 usage, 3 locked, 4 degraded,"
            " 130 or 143 interrupted (128 + the signal's number).",
            "message": "Why the run is degraded, failed or interrupted, in a sentence.",
            "base_url": "The mirror crawled instead of the portal, if any.",
            "pages_fetched": "HTTP responses received.",
            "articles_new": "Articles stored for the first time.",
            "articles_changed": "Articles whose content changed (old version in revisions).",
            "articles_unchanged": "Articles seen again unchanged.",
            "duplicates": "Pages that turned out to be an already stored article.",
            "errors": "Pages that could not be fetched or used (see fetch_errors).",
            "errors_by_kind": "JSON object: error kind -> count.",
            "field_coverage": "JSON object: field -> strategy -> articles (see articles.extraction).",
            "alarms": "JSON list of warnings raised by the run (e.g. a field's coverage dropped).",
            "doubtful": "Article pages refused or cut short in this run (doubtful_pages); degrades the run.",
            "caps": (
                'JSON object: bound the run stopped at -> pages it left out, e.g. {"articles": 12}'
                " (articles, listing_pages, depth, time); NULL or {} when none."
            ),
            "duration_s": "Run time in seconds.",
        },
    },
    "boilerplate": {
        "description": (
            "Short texts that stand on most pages of a site (masthead with today's date, publisher,"
            " footer, most-read list), learnt by the last crawl from its own pages and never taken for"
            " a field's value (wardnews.learning)."
        ),
        "columns": {
            "site": "Site key, e.g. laodongthudo.",
            "learned_at": f"When the run that learnt them ended, {ISO}.",
            "pages": "How many article pages they were learnt from.",
            "data": (
                "JSON document of wardnews.extract.boilerplate: each text and on how many pages it stood."
            ),
        },
    },
    "story_bands": {
        "description": (
            "MinHash band values of each article's body (wardnews.neardup), indexed so that a republished"
            " copy with small edits is found among 200,000 articles with a few lookups."
        ),
        "columns": {
            "value": "A band value: the band number in the top byte, a hash of the band's minimums below.",
            "article_id": "The article (articles.id).",
        },
    },
    "doubtful_pages": {
        "description": (
            "Pages on article-shaped URLs that extraction refused or that arrived cut short: kept raw,"
            " fetched again by the next run and then after 1, 2, 4... days (at most 30), and re-judged"
            " by wardnews reparse, until a whole article settles the doubt."
        ),
        "columns": {
            "url": "The URL asked for (canonical).",
            "site": "Site key of the portal.",
            "article_id": "The article the page gave (articles.id); NULL while it is refused.",
            "refusal": "Why extraction found no article (its words); NULL when it found one.",
            "truncation": (
                "Why the page looks cut short (no </html>, short of Content-Length, far smaller than"
                " usual); NULL when whole."
            ),
            "tries": "Doubtful fetches in a row.",
            "first_seen_at": f"First doubtful fetch of this run of doubts, {ISO}.",
            "last_tried_at": f"Last doubtful fetch, {ISO}.",
            "next_try_at": f"When a crawl fetches it again (a run up to 6 hours earlier counts), {ISO}.",
            "resolved_at": f"When a whole article settled the doubt, {ISO}; NULL while unsettled.",
            "resolution": "How it was settled: recovered (a later fetch), reparsed (wardnews reparse).",
            "run_id": "The run of the last doubtful fetch (crawl_runs.id).",
            "request_url": "URL as requested.",
            "status": "HTTP status.",
            "fetched_at": f"When the kept copy was fetched, {ISO}.",
            "headers": "JSON object: header name -> list of values.",
            "body": "The response body, packed with codec.",
            "codec": "How body is packed: zstd (Zstandard), zlib, lzma or identity.",
            "body_bytes": "Length of the body before packing.",
            "body_sha256": "sha256 of the body before packing.",
        },
    },
    "fetch_errors": {
        "description": "Pages a crawl could not fetch or use.",
        "columns": {
            "id": "Row id.",
            "run_id": "The run (crawl_runs.id).",
            "url": "The URL.",
            "status": "HTTP status; NULL for network errors.",
            "error": (
                'What went wrong, in a few words: "http_404", "TimeoutError", "not_article" (the portal\'s'
                ' error page, served with 200), "refused" (kept in doubtful_pages).'
            ),
            "at": f"When, {ISO}.",
        },
    },
    "raw_pages": {
        "description": (
            "The HTTP response each stored article came from, compressed, so `wardnews reparse` can "
            "re-extract every article without the network."
        ),
        "columns": {
            "id": "Row id.",
            "article_id": "The article (articles.id).",
            "url": "Response URL, after redirects.",
            "request_url": "URL as requested.",
            "status": "HTTP status.",
            "fetched_at": f"When it was fetched, {ISO}.",
            "headers": "JSON object: header name -> list of values.",
            "body": "The response body, packed with codec.",
            "codec": "How body is packed: zstd (Zstandard), zlib, lzma or identity.",
            "body_bytes": "Length of the body before packing.",
            "body_sha256": "sha256 of the body before packing.",
            "content_hash": "The article's content_hash when this copy was stored.",
        },
    },
    "frontier": {
        "description": "What the running (or last killed) crawl still has to fetch, so a killed run resumes.",
        "columns": {
            "url": "URL to fetch.",
            "kind": "listing or article.",
            "hops": "Related-link hops from a listing page (articles).",
            "page": "Listing page number (listings).",
            "state": "pending or done.",
            "reason": "Why it is fetched: new, recheck, start, resume…",
            "added_at": f"When it was added, {ISO}.",
            "updated_at": f"When its state last changed, {ISO}.",
            "run_id": "The run that added it (crawl_runs.id).",
        },
    },
    "units": {
        "description": (
            "Hà Nội's 126 wards (phường) and communes (xã) in force since 1 July 2025, "
            "shipped in wardnews/data/hanoi_units_2025.csv."
        ),
        "columns": {
            "name": 'Name without its type, e.g. "Tây Tựu"; article_units.unit joins here.',
            "type": "phường (ward) or xã (commune).",
            "former_units": (
                'The units merged into it, "; "-separated, each with its old district; '
                '"[part]" when only part of it came here.'
            ),
            "source": "The legal text and data the row comes from.",
        },
    },
    "article_units": {
        "description": (
            "Wards and communes each article names (in title, sapo, body, captions; not in related links)."
        ),
        "columns": {
            "article_id": "The article (articles.id).",
            "unit": "The ward or commune (units.name).",
            "unit_type": "phường or xã.",
            "mentions": "How many times the article names it.",
            "in_title": "1 if the headline names it, else 0.",
            "via_former": (
                "Empty when the article names the unit itself; else the former unit it named, e.g. "
                '"phường Minh Khai (quận Bắc Từ Liêm)".'
            ),
            "former_split": (
                "1 when that former unit was split between several new units and the article does not "
                "say which part: every candidate gets a row. 0 otherwise."
            ),
        },
    },
    "articles_fts": {
        "description": (
            "Full-text index (FTS5) of title, sapo, body and captions; tone marks matter "
            "(bán is not Bàn). Kept in sync by triggers."
        ),
        "columns": {c: f"articles.{c}, indexed." for c in ("title", "sapo", "body", "captions")},
    },
    "articles_fts_folded": {
        "description": (
            "Accent-insensitive full-text index of the same columns: tone marks, vowel marks and đ "
            "are ignored (ban finds bán, Bàn, bạn; dong da finds Đống Đa). Kept in sync by triggers."
        ),
        "columns": {
            c: f"articles.{c}, indexed without accents." for c in ("title", "sapo", "body", "captions")
        },
    },
    "_sqlite_migrations": {
        "description": "Schema migrations applied to this file (sqlite-utils).",
        "columns": {
            "id": "Row id.",
            "migration_set": 'Always "wardnews".',
            "name": "Migration name.",
            "applied_at": "When it was applied (UTC).",
        },
    },
}


def documented(table: str) -> bool:
    """False for SQLite and FTS5 bookkeeping tables, which the documentation leaves out."""
    return not table.startswith(UNDOCUMENTED_PREFIXES) and not any(
        table.endswith(s) or table.endswith(s.replace("_fts_", "_fts_folded_")) for s in UNDOCUMENTED_SUFFIXES
    )


MARK_START = "<!-- schema:start (generated by python -m wardnews.research.schema_docs) -->"
MARK_END = "<!-- schema:end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown() -> str:
    """The schema section, between its markers: one table of columns per database table."""
    lines = [MARK_START]
    for table, doc in TABLES.items():
        lines += ["", f"#### `{table}`", "", doc["description"], "", "| column | meaning |", "|---|---|"]
        lines += [f"| `{column}` | {_cell(text)} |" for column, text in doc["columns"].items()]
    lines += ["", MARK_END]
    return "\n".join(lines)


def extract_block(markdown: str) -> str | None:
    """The generated block inside a document, markers included; None if it has none."""
    start = markdown.find(MARK_START)
    end = markdown.find(MARK_END)
    if start < 0 or end < 0:
        return None
    return markdown[start : end + len(MARK_END)]


def main(argv: list[str] | None = None) -> int:
    """Rewrite the schema block of the given Markdown files (default README.md)."""
    from pathlib import Path

    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])] or [Path("README.md")]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        block = extract_block(text)
        if block is None:
            print(f"{path}: no schema markers, left alone", file=sys.stderr)
            continue
        path.write_text(text.replace(block, render_markdown()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
