"""The SQLite file: its schema (ordered migrations) and every write to it.

This package is the only code that knows table and column names. ``Store``
is one open database; its methods come from one module per job:

- ``schema``: the migrations (the only place the schema changes);
- ``connection``: opening the file (WAL, busy timeout, read-only readers, the schema check),
  transactions (``BEGIN IMMEDIATE``), and the one-sentence errors (``StoreError``);
- ``articles``: articles, figures, links, aliases, revisions;
- ``units``: ward and commune tags;
- ``frontier``: what a run still has to fetch;
- ``runs``: ``crawl_runs`` and ``fetch_errors``;
- ``raw_pages``: fetched pages kept for ``wardnews reparse``;
- ``doubtful``: pages refused or cut short, kept until a fetch or a reparse settles them;
- ``learned``: each site's boilerplate, as the last run learnt it;
- ``reports``: summaries for ``wardnews stats``.

Writes happen in batches, one transaction each, so a killed process leaves
either a whole batch or none of it. WAL mode lets researchers read while
cron writes.
"""

from __future__ import annotations

from wardnews.store.articles import (
    CHANGED,
    NEW,
    REPARSED,
    REPUBLISHED,
    UNCHANGED,
    ArticlesMixin,
    SaveResult,
)
from wardnews.store.connection import (
    BUSY_TIMEOUT_MS,
    Connection,
    SchemaOutdated,
    StoreError,
    now_iso,
)
from wardnews.store.doubtful import DoubtfulMixin
from wardnews.store.frontier import FrontierMixin
from wardnews.store.learned import LearnedMixin
from wardnews.store.raw_pages import RawPagesMixin
from wardnews.store.reports import ReportsMixin
from wardnews.store.runs import RunsMixin
from wardnews.store.schema import (
    FOLDED_FTS_COLUMNS,
    FOLDED_FTS_TOKENIZER,
    FRONTIER_DONE,
    FRONTIER_PENDING,
    FTS_TOKENIZER,
    fold_sql,
    migrations,
    rebuild_folded_fts,
)
from wardnews.store.units import UNIT_TAG_BATCH, retag_all, tag_article_units, unit_tagger, write_units


class Store(
    ArticlesMixin,
    RawPagesMixin,
    DoubtfulMixin,
    FrontierMixin,
    LearnedMixin,
    RunsMixin,
    ReportsMixin,
    Connection,
):
    """One open wardnews database. Use as a context manager, or call ``close()``."""


__all__ = [
    "BUSY_TIMEOUT_MS",
    "CHANGED",
    "FOLDED_FTS_COLUMNS",
    "FOLDED_FTS_TOKENIZER",
    "FRONTIER_DONE",
    "FRONTIER_PENDING",
    "FTS_TOKENIZER",
    "NEW",
    "REPARSED",
    "REPUBLISHED",
    "UNCHANGED",
    "UNIT_TAG_BATCH",
    "SaveResult",
    "SchemaOutdated",
    "StoreError",
    "Store",
    "fold_sql",
    "migrations",
    "now_iso",
    "rebuild_folded_fts",
    "retag_all",
    "tag_article_units",
    "unit_tagger",
    "write_units",
]
