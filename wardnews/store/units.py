"""Ward and commune tags of each article (``units``, ``article_units``), written at store time."""

from __future__ import annotations

import functools

import sqlite_utils

UNIT_TAG_BATCH = 500


@functools.cache
def unit_tagger():
    """The one UnitTagger of this process (building it reads the CSV)."""
    from wardnews.units import UnitTagger

    return UnitTagger()


def write_units(db: sqlite_utils.Database) -> None:
    """Replace the ``units`` table with the shipped reference list."""
    from wardnews.units import load_units

    db.execute("DELETE FROM units")
    db["units"].insert_all(
        {
            "name": u.name,
            "type": u.type,
            "former_units": "; ".join(f.label + (" [part]" if f.partial else "") for f in u.former),
            "source": u.source,
        }
        for u in load_units()
    )


def tag_article_units(db: sqlite_utils.Database, article_id: int, title, texts) -> None:
    """Replace one article's ``article_units`` rows with what the tagger finds now."""
    write_article_units(db, article_id, unit_tagger().tag(title, texts))


def write_article_units(db: sqlite_utils.Database, article_id: int, mentions) -> None:
    """Replace one article's ``article_units`` rows with ``mentions`` (the tagger's ``UnitMention`` list)."""
    db.execute("DELETE FROM article_units WHERE article_id = ?", [article_id])
    # Plain executemany: sqlite-utils' insert_all inspects the table on every call.
    db.conn.executemany(
        "INSERT INTO article_units (article_id, unit, unit_type, mentions, in_title, via_former,"
        " former_split) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                article_id,
                m.unit,
                m.unit_type,
                m.mentions,
                int(m.in_title),
                m.via_former or "",
                int(m.former_split),
            )
            for m in mentions
        ],
    )


def retag_all(db: sqlite_utils.Database, batch_size: int = UNIT_TAG_BATCH) -> int:
    """Re-tag every stored article, one transaction per batch; returns the number tagged."""
    with db.atomic():
        write_units(db)
    done, last_id = 0, 0
    while True:
        with db.atomic():  # read and tag together: an article a crawl rewrites meanwhile keeps its tags
            rows = db.execute(
                "SELECT id, title, sapo, body, captions FROM articles WHERE id > ? ORDER BY id LIMIT ?",
                [last_id, batch_size],
            ).fetchall()
            for article_id, title, sapo, body, captions in rows:
                tag_article_units(db, article_id, title, (sapo, body, captions))
        if not rows:
            return done
        done += len(rows)
        last_id = rows[-1][0]
