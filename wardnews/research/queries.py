"""The researchers' SQL: Datasette's canned queries, the export and the report read through these.

Read-only SQL over the documented schema (see ``schema_docs``); the schema
itself is only written by ``wardnews.store``.
"""

from __future__ import annotations

from wardnews.store import fold_sql

# Snippet markers: Datasette escapes HTML in cells, so plain brackets.
SNIPPET = "'[', ']', '…', 16"

SEARCH = f"""
select a.id, a.published_at, a.title, snippet(articles_fts, -1, {SNIPPET}) as snippet, a.url
from articles_fts
join articles a on a.id = articles_fts.rowid
where articles_fts match :q
order by rank
limit 100
"""

SEARCH_FOLDED = f"""
select a.id, a.published_at, a.title, snippet(articles_fts_folded, -1, {SNIPPET}) as snippet, a.url
from articles_fts_folded
join articles a on a.id = articles_fts_folded.rowid
where articles_fts_folded match {fold_sql(":q")}
order by rank
limit 100
"""

# An article counts for a unit when it names it, directly or through a former unit that went
# wholly or unambiguously to it (former_split = 0); naming it several ways counts once.
ARTICLES_PER_UNIT_MONTH = """
select u.unit, u.unit_type, substr(a.published_at, 1, 7) as month, count(distinct a.id) as articles
from article_units u
join articles a on a.id = u.article_id
where a.published_at is not null and u.former_split = 0
group by u.unit, u.unit_type, month
order by u.unit, month
"""

# One row per article, whichever ways it names the unit.
LATEST_FOR_UNIT = """
select a.id, a.published_at, a.title, sum(u.mentions) as mentions, max(u.in_title) as in_title,
  group_concat(nullif(u.via_former, ''), '; ') as via_former, min(u.former_split) as only_split_former,
  a.url
from article_units u
join articles a on a.id = u.article_id
where u.unit = :unit
group by a.id
order by a.published_at desc, a.id desc
limit 100
"""

# "Tin khác" links point at URLs; a URL reaches an article as its canonical URL or as an alias.
MOST_LINKED_TIN_KHAC = """
with targets as (
  select url, id as article_id from articles
  union
  select url, article_id from url_aliases where article_id is not null
)
select a.id, a.published_at, a.title, count(distinct l.article_id) as linked_from, a.url
from links l
join targets t on t.url = l.url
join articles a on a.id = t.article_id
where l.block = 'tin_khac' and l.article_id != a.id
group by a.id
order by linked_from desc, a.published_at desc
limit 100
"""

CANNED_QUERIES: dict[str, dict] = {
    "search": {
        "sql": SEARCH,
        "title": "Full-text search (tone marks matter)",
        "description": (
            "FTS5 query over title, sapo, body and captions, tone marks significant: "
            "bán does not find Bàn. Phrases in double quotes, OR, NEAR, prefix* work."
        ),
    },
    "search_folded": {
        "sql": SEARCH_FOLDED,
        "title": "Full-text search without accents",
        "description": (
            "Same, ignoring tone marks, vowel marks and đ: ban finds bán and Bàn, dong da finds Đống Đa."
        ),
    },
    "articles_per_unit_per_month": {
        "sql": ARTICLES_PER_UNIT_MONTH,
        "title": "Articles per ward or commune per month",
        "description": (
            "Month of published_at. An article counts when it names the unit, or a former unit that "
            "went to it unambiguously; naming it several ways counts once."
        ),
    },
    "latest_for_unit": {
        "sql": LATEST_FOR_UNIT,
        "title": "Latest articles about one ward or commune",
        "description": (
            'Unit name without its type, as in the units table, e.g. "Tây Tựu". only_split_former = 1: '
            "the article names only a former unit split between several new ones, this among them."
        ),
    },
    "most_linked_tin_khac": {
        "sql": MOST_LINKED_TIN_KHAC,
        "title": 'Articles most linked from "Tin khác"',
        "description": 'How many stored articles list each article in their "Tin khác" box.',
    },
}

# Top units by articles naming them, then their monthly counts (for ``wardnews report``).
TOP_UNITS = """
select u.unit, u.unit_type, count(distinct u.article_id) as articles
from article_units u
join articles a on a.id = u.article_id
where a.published_at is not null and u.former_split = 0
group by u.unit, u.unit_type
order by articles desc, u.unit
limit :top
"""
