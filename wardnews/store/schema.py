"""The schema of the SQLite file, as ordered migrations: the one place it changes.

``migrations.apply(db)`` brings any older file up to date; each ``mNNN_``
function runs once per file, in order (sqlite-utils ``Migrations``).
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

from wardnews.store.units import tag_article_units, write_units

migrations = Migrations("wardnews")
FTS_TOKENIZER = "unicode61 remove_diacritics 0"  # tone marks matter: bán is not Bàn
FOLDED_FTS_TOKENIZER = "unicode61 remove_diacritics 2"  # ban finds bán, Bàn, bạn...
FOLDED_FTS_COLUMNS = ("title", "sapo", "body", "captions")
# The two states of a frontier entry (``frontier.state``).
FRONTIER_PENDING, FRONTIER_DONE = "pending", "done"


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["articles"].create(
        {
            "id": int,
            "site": str,
            "article_key": str,
            "url": str,
            "category": str,
            "title": str,
            "sapo": str,
            "body": str,
            "captions": str,
            "byline": str,
            "authors": str,
            "source": str,
            "published_at": str,
            "published_at_raw": str,
            "modified_at": str,
            "modified_at_raw": str,
            "tags": str,
            "word_count": int,
            "content_hash": str,
            "story_hash": str,
            "first_seen_at": str,
            "last_seen_at": str,
            "last_changed_at": str,
            "fetched_at": str,
            "extraction": str,
            "missing": str,
            "extractor_version": str,
        },
        pk="id",
        not_null={"url", "title", "first_seen_at", "last_seen_at"},
    )
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["site", "article_key"], unique=True)
    db["articles"].create_index(["story_hash"])
    db["articles"].create_index(["published_at"])
    db["figures"].create(
        {"article_id": int, "position": int, "image_url": str, "caption": str, "credit": str, "alt": str},
        pk=("article_id", "position"),
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["links"].create(
        {"article_id": int, "position": int, "block": str, "url": str, "anchor_text": str},
        pk=("article_id", "position"),
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["links"].create_index(["url"])
    db["links"].create_index(["block"])
    db["url_aliases"].create(
        {
            "url": str,
            "article_id": int,
            "canonical_url": str,
            "article_key": str,
            "how": str,
            "first_seen_at": str,
            "last_seen_at": str,
        },
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["url_aliases"].create_index(["article_id"])
    db["url_aliases"].create_index(["canonical_url"])
    db["url_aliases"].create_index(["article_key"])
    db["revisions"].create(
        {
            "id": int,
            "article_id": int,
            "captured_at": str,
            "content_hash": str,
            "title": str,
            "sapo": str,
            "body": str,
            "captions": str,
            "byline": str,
            "published_at": str,
            "modified_at": str,
            "first_seen_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["revisions"].create_index(["article_id"])
    db["crawl_runs"].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "mode": str,
            "status": str,
            "exit_code": int,
            "message": str,
            "base_url": str,
            "pages_fetched": int,
            "articles_new": int,
            "articles_changed": int,
            "articles_unchanged": int,
            "duplicates": int,
            "errors": int,
            "errors_by_kind": str,
            "field_coverage": str,
            "alarms": str,
            "duration_s": float,
        },
        pk="id",
    )
    db["fetch_errors"].create(
        {"id": int, "run_id": int, "url": str, "status": int, "error": str, "at": str},
        pk="id",
        foreign_keys=[("run_id", "crawl_runs", "id")],
    )
    db["fetch_errors"].create_index(["url"])
    db["articles"].enable_fts(
        ["title", "sapo", "body", "captions"], create_triggers=True, tokenize=FTS_TOKENIZER
    )


def fold_sql(expr: str) -> str:
    """SQL folding đ/Đ (and the look-alike ð/Ð) to d/D, which remove_diacritics leaves alone."""
    return f"replace(replace(replace(replace({expr}, 'đ', 'd'), 'Đ', 'D'), 'ð', 'd'), 'Ð', 'D')"


@migrations()
def m002_units(db: sqlite_utils.Database) -> None:
    db["units"].create({"name": str, "type": str, "former_units": str, "source": str}, pk="name")
    db["article_units"].create(
        {
            "article_id": int,
            "unit": str,
            "unit_type": str,
            "mentions": int,
            "in_title": int,
            "via_former": str,  # "" when the article names the unit itself (a primary key part)
            "former_split": int,
        },
        pk=("article_id", "unit", "via_former"),
        not_null={"via_former"},
        defaults={"via_former": ""},
        foreign_keys=[("article_id", "articles", "id")],  # units.name joins by value: retag may rewrite units
    )
    db["article_units"].create_index(["unit", "article_id"])
    write_units(db)
    for article_id, title, sapo, body, captions in db.execute(
        "SELECT id, title, sapo, body, captions FROM articles"
    ).fetchall():
        tag_article_units(db, article_id, title, (sapo, body, captions))


@migrations()
def m003_raw_pages(db: sqlite_utils.Database) -> None:
    db["raw_pages"].create(
        {
            "id": int,
            "article_id": int,
            "url": str,  # the response URL, after redirects
            "request_url": str,
            "status": int,
            "fetched_at": str,
            "headers": str,  # JSON: header name -> list of values
            "body": bytes,  # the body, packed with `codec` (wardnews.raw)
            "codec": str,
            "body_bytes": int,  # length before packing
            "body_sha256": str,
            "content_hash": str,  # the article's content hash when this copy was stored
        },
        pk="id",
        not_null={"article_id", "url", "body", "codec", "fetched_at"},
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["raw_pages"].create_index(["article_id", "fetched_at"])


@migrations()
def m004_frontier(db: sqlite_utils.Database) -> None:
    db["frontier"].create(
        {
            "url": str,
            "kind": str,  # listing | article
            "hops": int,  # related-link hops from a listing (articles)
            "page": int,  # listing page number (listings)
            "state": str,  # pending | done
            "reason": str,  # why it is fetched: new, recheck, start, resume...
            "added_at": str,
            "updated_at": str,
            "run_id": int,
        },
        pk="url",
        not_null={"kind", "state"},
    )
    db["frontier"].create_index(["state"])
    db["fetch_errors"].create_index(["at"], if_not_exists=True)


@migrations()
def m005_folded_fts(db: sqlite_utils.Database) -> None:
    """``articles_fts_folded``: tone marks and đ ignored, for people typing without diacritics.

    An external-content FTS5 table over ``articles`` (so snippets show the stored
    text) whose triggers index a copy with đ/Đ folded to d/D (``fold_sql``):
    folding keeps token boundaries, so snippet offsets stay right. Never run its
    'rebuild' command (it would index the unfolded text); ``rebuild_folded_fts``
    does it properly.
    """
    cols = ", ".join(FOLDED_FTS_COLUMNS)
    db.execute(
        f"CREATE VIRTUAL TABLE articles_fts_folded USING fts5({cols}, content='articles',"
        f" content_rowid='id', tokenize='{FOLDED_FTS_TOKENIZER}')"
    )
    new = ", ".join(fold_sql(f"new.{c}") for c in FOLDED_FTS_COLUMNS)
    old = ", ".join(fold_sql(f"old.{c}") for c in FOLDED_FTS_COLUMNS)
    delete = (
        f"INSERT INTO articles_fts_folded (articles_fts_folded, rowid, {cols})"
        f" VALUES ('delete', old.id, {old});"
    )
    insert = f"INSERT INTO articles_fts_folded (rowid, {cols}) VALUES (new.id, {new});"
    db.execute(f"CREATE TRIGGER articles_folded_ai AFTER INSERT ON articles BEGIN {insert} END")
    db.execute(f"CREATE TRIGGER articles_folded_ad AFTER DELETE ON articles BEGIN {delete} END")
    db.execute(f"CREATE TRIGGER articles_folded_au AFTER UPDATE ON articles BEGIN {delete} {insert} END")
    rebuild_folded_fts(db)


def rebuild_folded_fts(db: sqlite_utils.Database) -> None:
    """Re-index every article in ``articles_fts_folded`` from its folded text."""
    cols = ", ".join(FOLDED_FTS_COLUMNS)
    folded = ", ".join(fold_sql(c) for c in FOLDED_FTS_COLUMNS)
    db.execute("INSERT INTO articles_fts_folded (articles_fts_folded) VALUES ('delete-all')")
    db.execute(f"INSERT INTO articles_fts_folded (rowid, {cols}) SELECT id, {folded} FROM articles")


@migrations()
def m006_doubtful_pages(db: sqlite_utils.Database) -> None:
    """Pages kept because the crawl doubted them (refused, or cut short); doubts and caps per run."""
    db["doubtful_pages"].create(
        {
            "url": str,  # the URL asked for (canonical)
            "site": str,
            "article_id": int,  # the article it gave, if it gave one; NULL while refused
            "refusal": str,  # why extraction found no article; NULL when it found one
            "truncation": str,  # why the page looks cut short; NULL when it looks whole
            "tries": int,  # fetches in a row that were doubtful
            "first_seen_at": str,
            "last_tried_at": str,
            "next_try_at": str,
            "resolved_at": str,  # when a fetch (or a reparse) settled the doubt
            "resolution": str,  # recovered, whole, reparsed
            "run_id": int,
            "request_url": str,
            "status": int,
            "fetched_at": str,
            "headers": str,
            "body": bytes,
            "codec": str,
            "body_bytes": int,
            "body_sha256": str,
        },
        pk="url",
        not_null={"tries", "first_seen_at", "last_tried_at", "next_try_at"},
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["doubtful_pages"].create_index(["resolved_at", "next_try_at"])
    db["doubtful_pages"].create_index(["article_id"])
    db["articles"].add_column("doubts", str, not_null_default="[]")
    db["crawl_runs"].add_column("doubtful", int)
    db["crawl_runs"].add_column("caps", str)


@migrations()
def m007_story_bands(db: sqlite_utils.Database) -> None:
    """LSH band values of each article's body (wardnews.neardup): republished copies found cheaply."""
    from wardnews.neardup import bands, shingles

    db["story_bands"].create(
        {"value": int, "article_id": int},
        pk=("value", "article_id"),
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["story_bands"].create_index(["article_id"])
    for article_id, body in db.execute("SELECT id, body FROM articles").fetchall():
        db["story_bands"].insert_all(
            ({"value": v, "article_id": article_id} for v in bands(shingles(body))), ignore=True
        )


# The ward and commune names of an article, as articles.unit_names holds them: the units it
# names directly or through an unambiguous former unit (former_split = 0), headline ones first,
# then by mentions.
_UNIT_NAMES_SQL = """(SELECT json_group_array(unit) FROM (
    SELECT unit FROM article_units WHERE article_id = {id} AND former_split = 0
    GROUP BY unit ORDER BY max(in_title) DESC, sum(mentions) DESC, unit))"""


def _fts_update_trigger(name: str, body: str) -> str:
    """An update trigger of an FTS index that fires only when indexed text (or the id) changes."""
    cols = ", ".join(FOLDED_FTS_COLUMNS)
    return f"CREATE TRIGGER {name} AFTER UPDATE OF id, {cols} ON articles BEGIN {body} END"


@migrations()
def m008_boilerplate_and_publisher_day(db: sqlite_utils.Database) -> None:
    """Each site's boilerplate as its last run learnt it (wardnews.learning); the publisher's day."""
    db["boilerplate"].create(
        {"site": str, "learned_at": str, "pages": int, "data": str}, pk="site", not_null={"data"}
    )
    db["articles"].add_column("published_on", str)
    db.execute(
        "UPDATE articles SET published_on = substr(published_at, 1, 10) WHERE published_at IS NOT NULL"
    )


@migrations()
def m020_browse_columns(db: sqlite_utils.Database) -> None:
    """What Datasette facets on: ``articles.published_month`` and ``articles.unit_names``.

    ``published_month`` is a virtual generated column (computed on read, costs no
    storage); ``unit_names`` is a JSON list kept by triggers on ``article_units``
    (a generated column cannot read another table). ``published_month`` and
    ``category`` are indexed so that facet counts read an index, not 10 kB article
    rows; so is ``(id, published_at)``, for full-text matches sorted newest first.

    The two FTS indexes' update triggers fired on every UPDATE of ``articles``,
    re-indexing an article when only ``last_seen_at`` (or now ``unit_names``)
    moved; they now fire only when an indexed column changes. This comes first,
    so that filling ``unit_names`` below does not re-index every article.
    """
    cols = ", ".join(FOLDED_FTS_COLUMNS)
    new = ", ".join(f"new.{c}" for c in FOLDED_FTS_COLUMNS)
    old = ", ".join(f"old.{c}" for c in FOLDED_FTS_COLUMNS)
    folded_new = ", ".join(fold_sql(f"new.{c}") for c in FOLDED_FTS_COLUMNS)
    folded_old = ", ".join(fold_sql(f"old.{c}") for c in FOLDED_FTS_COLUMNS)
    db.execute("DROP TRIGGER IF EXISTS articles_au")
    db.execute(
        _fts_update_trigger(
            "articles_au",
            f"INSERT INTO articles_fts (articles_fts, rowid, {cols}) VALUES ('delete', old.id, {old});"
            f" INSERT INTO articles_fts (rowid, {cols}) VALUES (new.id, {new});",
        )
    )
    db.execute("DROP TRIGGER IF EXISTS articles_folded_au")
    db.execute(
        _fts_update_trigger(
            "articles_folded_au",
            f"INSERT INTO articles_fts_folded (articles_fts_folded, rowid, {cols})"
            f" VALUES ('delete', old.id, {folded_old});"
            f" INSERT INTO articles_fts_folded (rowid, {cols}) VALUES (new.id, {folded_new});",
        )
    )
    db.execute(
        "ALTER TABLE articles ADD COLUMN published_month TEXT"
        " GENERATED ALWAYS AS (substr(published_at, 1, 7)) VIRTUAL"
    )
    db.execute("ALTER TABLE articles ADD COLUMN unit_names TEXT NOT NULL DEFAULT '[]'")
    for event, row in (("INSERT", "new"), ("DELETE", "old")):
        db.execute(
            f"CREATE TRIGGER article_units_names_{event[0].lower()} AFTER {event} ON article_units BEGIN"
            f" UPDATE articles SET unit_names = {_UNIT_NAMES_SQL.format(id=f'{row}.article_id')}"
            f" WHERE id = {row}.article_id; END"
        )
    db.execute(
        "CREATE TRIGGER article_units_names_u AFTER UPDATE ON article_units BEGIN"
        f" UPDATE articles SET unit_names = {_UNIT_NAMES_SQL.format(id='old.article_id')}"
        " WHERE id = old.article_id;"
        f" UPDATE articles SET unit_names = {_UNIT_NAMES_SQL.format(id='new.article_id')}"
        " WHERE id = new.article_id; END"
    )
    db.execute(
        f"UPDATE articles SET unit_names = {_UNIT_NAMES_SQL.format(id='articles.id')}"
        " WHERE id IN (SELECT article_id FROM article_units)"
    )
    for column in ("published_month", "category"):
        db.execute(f"CREATE INDEX IF NOT EXISTS idx_articles_{column} ON articles ({column})")
    # Full-text matches sorted newest first read each match's date from this index, not from
    # its 10 kB row (wardnews.research.queries.SEARCH).
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_id_published_at ON articles (id, published_at)")
