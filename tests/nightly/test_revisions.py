"""An edited article keeps its earlier version in ``revisions``; markup-only changes do not count."""

from __future__ import annotations

import time

from wardnews.testing import Portal, PortalServer

from .helpers import query, run_crawl


def test_edit_makes_a_revision_and_markup_change_does_not(db):
    portal = Portal(40, seed=7)
    edited, touched, *_ = portal.expected_articles()
    with PortalServer(portal) as server:
        assert run_crawl(server, db).code == 0
        before = dict(
            query(db, "SELECT article_key, last_changed_at FROM articles WHERE article_key IN (?, ?)",
                  (edited.key, touched.key))
        )  # fmt: skip
        old_body = query(db, "SELECT body FROM articles WHERE article_key = ?", (edited.key,))[0][0]
        portal.edit_article(edited.key, body=[*edited.paragraphs, "Đoạn bổ sung sau khi biên tập lại bài."])
        portal.touch_markup(touched.key)
        time.sleep(1.1)  # so that timestamps (whole seconds) move
        second = run_crawl(server, db, "--recheck-days", "100")  # every article is re-fetched
    assert second.code == 0, second.stderr
    assert "1 changed" in second.stdout
    (revision,) = query(
        db,
        "SELECT r.body, r.content_hash != a.content_hash"
        " FROM revisions r JOIN articles a ON a.id = r.article_id WHERE a.article_key = ?",
        (edited.key,),
    )
    assert revision == (old_body, 1)
    body, changed_at = query(
        db, "SELECT body, last_changed_at FROM articles WHERE article_key = ?", (edited.key,)
    )[0]
    assert body.endswith("Đoạn bổ sung sau khi biên tập lại bài.")
    assert changed_at > before[edited.key]
    # Markup only: no revision, last_changed_at unchanged, last_seen_at moved.
    assert query(db, "SELECT count(*) FROM revisions") == [(1,)]
    seen, changed = query(
        db, "SELECT last_seen_at, last_changed_at FROM articles WHERE article_key = ?", (touched.key,)
    )[0]
    assert changed == before[touched.key] and seen > changed
