"""``articles`` and what hangs off them: figures, links, aliases, revisions, unit tags.

One article, one row: identity by site and article key, then canonical URL,
then an alias URL, then the story hash (a republished copy). Every URL that
reached an article is kept in ``url_aliases``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from wardnews.extract import story_hash
from wardnews.items import Article, Sighting
from wardnews.neardup import (
    MAX_VERIFIED,
    MIN_JACCARD,
    MIN_TITLE_JACCARD,
    bands,
    jaccard,
    shingles,
    title_similarity,
    title_words,
)
from wardnews.store.connection import now_iso
from wardnews.store.units import unit_tagger, write_article_units
from wardnews.urls import alias_kind

# What ``save_articles`` did with each article (``SaveResult.outcome``).
NEW, CHANGED, UNCHANGED, REPUBLISHED, REPARSED = ("new", "changed", "unchanged", "republished", "reparsed")


@dataclass
class Derived:
    """What the store computes from an article before writing it (``derive``).

    An extraction worker computes it beside the article (``Article.derived``), so
    that the writer thread spends its time in SQLite, not in Python.
    """

    story: str | None  # story_hash of title and body
    bands: list[int]  # the band values of the body's shingles (story_bands, wardnews.neardup)
    units: list  # the ward tagger's UnitMention list (article_units)


def derive(article: Article) -> Derived:
    """The story hash, band values and ward tags of ``article``.

    The shingles themselves are not kept: the store needs them only for a candidate
    copy whose headline matched (``_near_original``), and a set of a thousand ints
    costs more to send from a worker than to compute again on the rare page that needs it.
    """
    captions = [f.caption for f in article.figures]
    mentions = unit_tagger().tag(article.title, [article.sapo, article.body, *captions])
    return Derived(story_hash(article.title, article.body), bands(shingles(article.body)), mentions)


def near_candidates_sql(band_values: int) -> str:
    """Stored stories sharing some of ``band_values`` band values with an article, and how many.

    ``CROSS JOIN`` keeps SQLite from its own choice, which (without statistics) was to
    walk every article of the site and probe the bands of each: a cost per save that
    grew with the database, so that a backfill slowed down as it went.
    """
    marks = ", ".join("?" * band_values)
    return (
        "SELECT a.id, a.url, a.published_at, a.article_key, a.title, count(*) AS shared FROM story_bands b"
        f" CROSS JOIN articles a ON a.id = b.article_id WHERE b.value IN ({marks})"
        " AND (a.article_key IS NOT ? OR a.url != ?) AND a.site IS ?"  # never across sites
        " GROUP BY a.id"
    )


def _derived(article: Article) -> Derived:
    return article.derived if article.derived is not None else derive(article)


@dataclass
class SaveResult:
    """What happened to one article: its row id and one of the outcome words above."""

    article_id: int | None
    outcome: str


def _published_earlier(article: Article, stored_published_at, stored_key) -> bool:
    """True when ``article`` is the older of two copies of one story (earlier date, then lower id)."""

    def rank(published_at, key):
        return (published_at or "9999", int(key) if key and key.isdigit() else 10**12)

    return rank(article.published_at, article.article_key) < rank(stored_published_at, stored_key)


class ArticlesMixin:
    """Looking articles up, and writing them with their figures, links and aliases."""

    # -- lookups (the "have we seen this?" questions) ----------------------------
    def article_id_for(self, site: str | None, article_key: str | None, url: str | None) -> int | None:
        if site and article_key:
            row = self.db.execute(
                "SELECT id FROM articles WHERE site = ? AND article_key = ?", [site, article_key]
            ).fetchone()
            if row:
                return row[0]
        if url:
            row = self.db.execute("SELECT id FROM articles WHERE url = ?", [url]).fetchone()
            if row:
                return row[0]
            row = self.db.execute(
                "SELECT article_id FROM url_aliases WHERE url = ? AND article_id IS NOT NULL", [url]
            ).fetchone()
            if row:
                return row[0]
        return None

    def is_known_url(self, url: str) -> bool:
        """True when ``url`` (as stored: canonical or alias) belongs to a stored article."""
        return (
            self.db.execute(
                "SELECT 1 FROM articles WHERE url = ? UNION ALL "
                "SELECT 1 FROM url_aliases WHERE url = ? AND article_id IS NOT NULL LIMIT 1",
                [url, url],
            ).fetchone()
            is not None
        )

    def known_article(self, site: str | None, article_key: str | None, url: str | None):
        """(id, published_at or first_seen_at) of a stored article, or None."""
        article_id = self.article_id_for(site, article_key, url)
        if article_id is None:
            return None
        row = self.db.execute(
            "SELECT id, COALESCE(published_at, first_seen_at) FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        return (row[0], row[1]) if row else None

    def newest_published_at(self, site: str | None = None) -> str | None:
        """The latest ``published_at`` (or ``first_seen_at``, if undated) of the stored articles."""
        row = self.db.execute(
            "SELECT max(COALESCE(published_at, first_seen_at)) FROM articles WHERE (? IS NULL OR site = ?)",
            [site, site],
        ).fetchone()
        return row[0] if row else None

    def recent_article_urls(self, since: str, site: str | None = None) -> list[str]:
        """Canonical URLs of articles published (or first seen, if undated) at or after ``since``."""
        return [
            row[0]
            for row in self.db.execute(
                "SELECT url FROM articles WHERE COALESCE(published_at, first_seen_at) >= ?"
                " AND (? IS NULL OR site = ?) ORDER BY COALESCE(published_at, first_seen_at) DESC",
                [since, site, site],
            )
        ]

    # -- writing articles ----------------------------------------------------------
    def save_articles(self, articles: Iterable[Article], *, reparse: bool = False) -> list[SaveResult]:
        """Store a batch in one transaction. ``reparse`` replaces rows without writing revisions."""
        results = []
        with self.transaction():
            for article in articles:
                results.append(self._save_one(article, reparse=reparse))
        return results

    def _save_one(self, article: Article, *, reparse: bool) -> SaveResult:
        seen_at = article.fetched_at or now_iso()
        existing_id = self.article_id_for(article.site, article.article_key, article.url)
        derived = _derived(article)
        story = derived.story
        if existing_id is None and story:
            original = self.db.execute(
                "SELECT id, url, published_at, article_key FROM articles WHERE story_hash = ?"
                " AND (article_key IS NOT ? OR url != ?) AND site IS ?",  # never across sites
                [story, article.article_key, article.url, article.site],
            ).fetchone() or self._near_original(article, derived)
            if original and _published_earlier(article, original[2], original[3]):
                self._become_original(original[0], original[1], article, story, seen_at)
                return SaveResult(original[0], REPUBLISHED)
            if original:
                self._add_aliases(original[0], article, seen_at, republished=True)
                return SaveResult(original[0], REPUBLISHED)
        row = self._row(article, story)
        if existing_id is None:
            row.update(first_seen_at=seen_at, last_seen_at=seen_at, last_changed_at=seen_at)
            article_id = self._insert_row("articles", row)
            self._replace_children(article_id, article, derived)
            self._write_bands(article_id, derived)
            self._add_aliases(article_id, article, seen_at)
            return SaveResult(article_id, NEW)
        old = self.db.execute(
            "SELECT content_hash, extractor_version, article_key,"
            " EXISTS (SELECT 1 FROM doubtful_pages d WHERE d.article_id = articles.id"
            "  AND d.resolved_at IS NULL AND d.truncation IS NOT NULL)"
            " FROM articles WHERE id = ?",
            [existing_id],
        ).fetchone()
        if article.article_key and old[2] and old[2] != article.article_key:
            # A republished copy fetched again (its URL is an alias of the original): not an edit.
            self._add_aliases(existing_id, article, seen_at, republished=True)
            return SaveResult(existing_id, REPUBLISHED)
        self._add_aliases(existing_id, article, seen_at)
        if old[0] == row["content_hash"] and not reparse:
            # Same content; the doubts may have gone (a page cut short came whole this time).
            self.db.execute(
                "UPDATE articles SET last_seen_at = ?, doubts = ? WHERE id = ?",
                [seen_at, row["doubts"], existing_id],
            )
            return SaveResult(existing_id, UNCHANGED)
        if reparse:
            row.pop("fetched_at", None)
        elif old[3]:
            # The stored version came from a page cut short: our partial read, not an edit.
            row.update(last_seen_at=seen_at)
        else:
            self._write_revision(existing_id)
            row.update(last_seen_at=seen_at, last_changed_at=seen_at)
        self.db["articles"].update(existing_id, row)
        self._replace_children(existing_id, article, derived)
        self._write_bands(existing_id, derived)
        return SaveResult(existing_id, REPARSED if reparse else CHANGED)

    def _near_original(self, article: Article, derived: Derived):
        """(id, url, published_at, article_key) of a stored story whose body is near-identical, or None.

        Candidates share a band value (indexed); each is verified on its headline, then
        on its shingles, so distinct stories that share stock sentences stay apart
        (wardnews.neardup). The headline goes first because it is cheap; bodies are read
        and shingled for at most ``MAX_VERIFIED`` candidates whose headline is an edit of
        this one, those sharing the most band values (then the closest headline) first:
        a copy shares several bands, a story that merely shares stock sentences one.
        """
        values = derived.bands
        if not values:
            return None
        candidates = self.db.execute(
            near_candidates_sql(len(values)), [*values, article.article_key, article.url, article.site]
        ).fetchall()
        words = title_words(article.title)
        titled = []
        for article_id, url, published_at, key, title, shared in candidates:
            similarity = title_similarity(words, title_words(title))
            if similarity >= MIN_TITLE_JACCARD:
                titled.append((-shared, -similarity, article_id, (article_id, url, published_at, key)))
        titled.sort()
        best, best_j = None, MIN_JACCARD
        mine = shingles(article.body) if titled else None
        for _, _, article_id, found in titled[:MAX_VERIFIED]:
            (body,) = self.db.execute("SELECT body FROM articles WHERE id = ?", [article_id]).fetchone()
            similarity = jaccard(mine, shingles(body))
            if similarity >= best_j:
                best, best_j = found, similarity
        return best

    def _write_bands(self, article_id: int, derived: Derived) -> None:
        self.db.execute("DELETE FROM story_bands WHERE article_id = ?", [article_id])
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO story_bands (value, article_id) VALUES (?, ?)",
            [(v, article_id) for v in derived.bands],
        )

    def _become_original(self, article_id: int, copy_url: str, article: Article, story, seen_at) -> None:
        """The stored row was a republished copy that arrived first: the original takes its place.

        The row keeps its id (and so its figures, links and aliases stay attached);
        the copy's URL stays as an alias marked ``republished``.
        """
        self.db.execute("UPDATE url_aliases SET how = 'republished' WHERE url = ?", [copy_url])
        self.db["articles"].update(article_id, self._row(article, story))
        derived = _derived(article)
        self._replace_children(article_id, article, derived)
        self._write_bands(article_id, derived)
        self._add_aliases(article_id, article, seen_at)

    def _row(self, article: Article, story: str | None) -> dict:
        return {
            "site": article.site,
            "article_key": article.article_key,
            "url": article.url,
            "category": article.category,
            "title": article.title,
            "sapo": article.sapo,
            "body": article.body,
            "captions": "\n".join(f.caption for f in article.figures if f.caption) or None,
            "byline": article.byline,
            "authors": json.dumps(article.authors, ensure_ascii=False),
            "source": article.source,
            "published_at": article.published_at,
            "published_at_raw": article.published_at_raw,
            "published_on": article.published_on,
            "modified_at": article.modified_at,
            "modified_at_raw": article.modified_at_raw,
            "tags": json.dumps(article.tags, ensure_ascii=False),
            "word_count": article.word_count,
            "content_hash": article.content_hash,
            "story_hash": story,
            "fetched_at": article.fetched_at,
            "extraction": json.dumps(article.extraction, sort_keys=True),
            "missing": json.dumps(article.missing, ensure_ascii=False, sort_keys=True),
            "extractor_version": article.extractor_version,
            # Reasons extraction (or the crawl: a page cut short) kept the page while unsure.
            "doubts": json.dumps(getattr(article, "doubts", None) or [], ensure_ascii=False),
        }

    def _insert_row(self, table: str, row: dict) -> int:
        """Insert one row (values already SQLite types); returns its rowid."""
        columns = ", ".join(row)
        marks = ", ".join("?" * len(row))
        return self.db.conn.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values())
        ).lastrowid

    def _write_revision(self, article_id: int) -> None:
        self.db.execute(
            "INSERT INTO revisions (article_id, captured_at, content_hash, title, sapo, body, captions,"
            " byline, published_at, modified_at, first_seen_at)"
            " SELECT id, ?, content_hash, title, sapo, body, captions, byline, published_at,"
            " modified_at, last_changed_at FROM articles WHERE id = ?",
            [now_iso(), article_id],
        )

    def _replace_children(self, article_id: int, article: Article, derived: Derived) -> None:
        self.db.execute("DELETE FROM figures WHERE article_id = ?", [article_id])
        self.db.execute("DELETE FROM links WHERE article_id = ?", [article_id])
        self.db.conn.executemany(
            "INSERT INTO figures (article_id, position, image_url, caption, credit, alt)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(article_id, i, f.image_url, f.caption, f.credit, f.alt) for i, f in enumerate(article.figures)],
        )
        self.db.conn.executemany(
            "INSERT INTO links (article_id, position, block, url, anchor_text) VALUES (?, ?, ?, ?, ?)",
            [(article_id, i, link.block, link.url, link.anchor_text) for i, link in enumerate(article.links)],
        )
        write_article_units(self.db, article_id, derived.units)

    def _add_aliases(
        self, article_id: int, article: Article, seen_at: str, republished: bool = False
    ) -> None:
        site = self.sites.get(article.site or "")
        for url in dict.fromkeys(u for u in (article.url, article.fetched_url) if u):
            how = "republished" if republished else alias_kind(url, article.url, site)
            self._upsert_alias(url, article_id, article.url, article.article_key, how, seen_at)
        self._claim_pending_aliases(article_id, article)

    def _upsert_alias(self, url, article_id, canonical_url, article_key, how, seen_at) -> None:
        self.db.execute(
            "INSERT INTO url_aliases (url, article_id, canonical_url, article_key, how, first_seen_at,"
            " last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(url) DO UPDATE SET last_seen_at = excluded.last_seen_at,"
            " article_id = COALESCE(url_aliases.article_id, excluded.article_id)",
            [url, article_id, canonical_url, article_key, how, seen_at, seen_at],
        )

    def record_sightings(self, sightings: Iterable[Sighting]) -> None:
        """URLs seen in links or reached twice: kept as aliases.

        The article they lead to may not be stored yet; ``article_id`` is filled in
        when it is (see ``_claim_pending_aliases``).
        """
        seen_at = now_iso()
        with self.transaction():
            for s in sightings:
                how = s.how or alias_kind(s.url, s.canonical_url, self.sites.get(s.site or ""))
                article_id = self.article_id_for(s.site, s.article_key, s.canonical_url)
                self._upsert_alias(s.url, article_id, s.canonical_url, s.article_key, how, seen_at)

    def _claim_pending_aliases(self, article_id: int, article: Article) -> None:
        """URLs sighted before their article was stored now point at it.

        Only the aliases of this one article are looked up (both columns indexed), so
        the cost of a batch does not grow with the table.
        """
        self.db.execute(
            "UPDATE url_aliases SET article_id = ? WHERE article_id IS NULL AND canonical_url = ?",
            [article_id, article.url],
        )
        if article.article_key:
            self.db.execute(
                "UPDATE url_aliases SET article_id = ? WHERE article_id IS NULL AND article_key = ?"
                " AND how != 'republished'",
                [article_id, article.article_key],
            )
