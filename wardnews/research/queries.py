"""The researchers' SQL: Datasette's canned queries, the export and the report read through these.

Read-only SQL over the documented schema (see ``schema_docs``); the schema
itself is only written by ``wardnews.store``.
"""

from __future__ import annotations

from wardnews.store import fold_sql

# Snippet markers: Datasette escapes HTML in cells, so plain brackets.
SNIPPET = "'[', ']', '…', 16"
# Rows a search returns: one Datasette page. The table page's search box pages through all.
SEARCH_LIMIT = 50


def _newest_first(fts: str, match: str) -> str:
    """Full-text matches, newest first, with snippets.

    Sorting by ``rank`` scores every match with bm25 (common words match half
    the articles); here each match's date comes from the (id, published_at)
    index, the newest SEARCH_LIMIT are kept, and only those are looked up again
    in the index for their snippet (``python -m bench.storage`` measures both).
    """
    return f"""
with hits as (
  select f.rowid as id, p.published_at
  from {fts} f
  join articles p indexed by idx_articles_id_published_at on p.id = f.rowid
  where f.{fts} match {match}
  order by p.published_at desc, p.id desc
  limit {SEARCH_LIMIT}
)
select h.id, h.published_at, a.title, snippet({fts}, -1, {SNIPPET}) as snippet, a.url
from hits h
cross join {fts} on {fts}.rowid = h.id
join articles a on a.id = h.id
where {fts} match {match}
order by h.published_at desc, h.id desc
"""


def _best_first(fts: str, match: str) -> str:
    """Full-text matches, best match first (bm25), with snippets."""
    return f"""
select a.id, a.published_at, a.title, snippet({fts}, -1, {SNIPPET}) as snippet, a.url
from {fts}
join articles a on a.id = {fts}.rowid
where {fts} match {match}
order by rank
limit {SEARCH_LIMIT}
"""


SEARCH = _newest_first("articles_fts", ":q")
SEARCH_RANKED = _best_first("articles_fts", ":q")
SEARCH_FOLDED = _newest_first("articles_fts_folded", fold_sql(":q"))
SEARCH_FOLDED_RANKED = _best_first("articles_fts_folded", fold_sql(":q"))

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

# One ward's articles by month: how many, how many name it in the headline, the latest title.
UNIT_BY_MONTH = """
with named as (
  select a.id, a.published_at, a.title, max(u.in_title) as in_title
  from article_units u
  join articles a on a.id = u.article_id
  where u.unit = :unit and u.former_split = 0 and a.published_at is not null
  group by a.id
)
select substr(published_at, 1, 7) as month, count(*) as articles, sum(in_title) as in_headline,
  (select n2.title from named n2 where substr(n2.published_at, 1, 7) = substr(n.published_at, 1, 7)
   order by n2.published_at desc, n2.id desc limit 1) as latest_title
from named n
group by month
order by month desc
"""

# Articles naming both units (directly or through an unambiguous former unit).
TWO_UNITS = """
select a.id, a.published_at, a.title,
  sum(case when u.unit = :unit1 then u.mentions else 0 end) as mentions_1,
  sum(case when u.unit = :unit2 then u.mentions else 0 end) as mentions_2,
  a.url
from article_units u
join articles a on a.id = u.article_id
where u.unit in (:unit1, :unit2) and u.former_split = 0
group by a.id
having count(distinct u.unit) = 2
order by a.published_at desc, a.id desc
limit 200
"""

# What the latest crawl stored: articles new in it, or changed by it (the earlier headline
# from revisions beside the new one).
LAST_NIGHT = """
with run as (
  select id, started_at, mode, status from crawl_runs where mode != 'url' order by id desc limit 1
)
select case when a.first_seen_at >= run.started_at then 'new' else 'changed' end as change,
  a.id, a.published_at, a.title,
  (select r.title from revisions r where r.article_id = a.id order by r.captured_at desc, r.id desc limit 1)
    as previous_title,
  a.unit_names, a.url, run.id as run_id, run.started_at as run_started_at, run.status as run_status
from articles a, run
where a.last_changed_at >= run.started_at
order by change desc, a.published_at desc, a.id desc
"""

# Every ward and commune, with the number of articles naming it; each name links to its page.
UNITS_OVERVIEW = """
select n.name as unit, n.type,
  count(distinct case when u.former_split = 0 then u.article_id end) as articles,
  count(distinct case when u.former_split = 0 and u.in_title = 1 then u.article_id end) as in_headline,
  max(case when u.former_split = 0 then a.published_at end) as latest_article
from units n
left join article_units u on u.unit = n.name
left join articles a on a.id = u.article_id
group by n.name, n.type
order by articles desc, n.name
"""

CANNED_QUERIES: dict[str, dict] = {
    "search": {
        "sql": SEARCH,
        "title": "Full-text search, newest first (tone marks matter)",
        "description": (
            f"The {SEARCH_LIMIT} newest articles matching an FTS5 query over title, sapo, body and "
            "captions, with a snippet; tone marks count: bán does not find Bàn. Phrases in double "
            "quotes, OR, NEAR, prefix* work. search_ranked puts the best matches first instead."
        ),
        "hide_sql": True,
    },
    "search_ranked": {
        "sql": SEARCH_RANKED,
        "title": "Full-text search, best match first (tone marks matter)",
        "description": (
            f"Same as search, sorted by relevance (bm25) instead of date: the {SEARCH_LIMIT} best. "
            "Slower on common words, which every match is scored for."
        ),
        "hide_sql": True,
    },
    "search_folded": {
        "sql": SEARCH_FOLDED,
        "title": "Full-text search without accents, newest first",
        "description": (
            "Same as search, ignoring tone marks, vowel marks and đ: ban finds bán and Bàn, "
            "dong da finds Đống Đa (type the accents or not)."
        ),
        "hide_sql": True,
    },
    "search_folded_ranked": {
        "sql": SEARCH_FOLDED_RANKED,
        "title": "Full-text search without accents, best match first",
        "description": "Same as search_folded, sorted by relevance (bm25).",
        "hide_sql": True,
    },
    "latest_for_unit": {
        "sql": LATEST_FOR_UNIT,
        "title": "One ward or commune: its articles, newest first",
        "description": (
            'The page of one unit: its name without its type, as in the units table, e.g. "Tây Tựu". '
            "only_split_former = 1: the article names only a former unit split between several new "
            "ones, this among them."
        ),
        "hide_sql": True,
    },
    "unit_by_month": {
        "sql": UNIT_BY_MONTH,
        "title": "One ward or commune: its articles by month",
        "description": (
            'Articles naming the unit (e.g. "Tây Tựu") per month of published_at, how many name it in '
            "the headline, and the month's latest headline."
        ),
        "hide_sql": True,
    },
    "two_units": {
        "sql": TWO_UNITS,
        "title": "Articles naming two wards or communes",
        "description": (
            'Articles that name both units (e.g. "Tây Tựu" and "Đống Đa"), newest first, with how '
            "often each is named."
        ),
        "hide_sql": True,
    },
    "last_night": {
        "sql": LAST_NIGHT,
        "title": "What changed last night",
        "description": (
            "Articles the latest crawl stored for the first time (new) or found edited (changed, "
            "with the headline it had before; the old text is in revisions)."
        ),
        "hide_sql": True,
    },
    "units_overview": {
        "sql": UNITS_OVERVIEW,
        "title": "All 126 wards and communes, with their articles",
        "description": "Articles naming each unit; a unit's name opens its page (latest_for_unit).",
        "hide_sql": True,
    },
    "articles_per_unit_per_month": {
        "sql": ARTICLES_PER_UNIT_MONTH,
        "title": "Articles per ward or commune per month",
        "description": (
            "Month of published_at. An article counts when it names the unit, or a former unit that "
            "went to it unambiguously; naming it several ways counts once."
        ),
        "hide_sql": True,
    },
    "most_linked_tin_khac": {
        "sql": MOST_LINKED_TIN_KHAC,
        "title": 'Articles most linked from "Tin khác"',
        "description": 'How many stored articles list each article in their "Tin khác" box.',
        "hide_sql": True,
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

# Articles per night, from crawl_runs (for the report and the dashboard): the local date of
# each run's start, summed over that date's runs.
ARTICLES_PER_NIGHT = """
select substr(started_at, 1, 10) as night, count(*) as runs,
  sum(articles_new) as new, sum(articles_changed) as changed, sum(errors) as errors,
  group_concat(distinct status) as status
from crawl_runs
where started_at is not null
group by night
order by night
"""
