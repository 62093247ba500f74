"""The ``wardnews`` command: crawl, fetch one URL, parse a saved page, and look at the database."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click

from wardnews import runs
from wardnews.dates import VN_TZ

DEFAULT_DB = "data/wardnews.db"


def db_option(function):
    return click.option(
        "--db",
        "db",
        default=DEFAULT_DB,
        show_default=True,
        envvar="WARDNEWS_DB",
        type=click.Path(dir_okay=False),
        help="SQLite database file.",
    )(function)


def settings_option(function):
    return click.option(
        "-s",
        "overrides",
        multiple=True,
        metavar="NAME=VALUE",
        help="Override a Scrapy or wardnews setting, as in `scrapy crawl`.",
    )(function)


def fail(message: str, code: int = runs.EXIT_FAILED):
    """Print one sentence to stderr and exit with ``code``."""
    click.echo(f"wardnews: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "WARDNEWS"})
@click.version_option(package_name="wardnews")
def main():
    """Crawl Hà Nội ward and commune news from Lao Động Thủ Đô into one SQLite file."""


@main.command()
@db_option
@click.option("--full", is_flag=True, help="Walk every listing page (backfill), not only the newest.")
@click.option("--base-url", metavar="URL", help="Crawl a mirror of the portal, e.g. http://127.0.0.1:8765.")
@click.option(
    "--start-url",
    "start_urls",
    multiple=True,
    metavar="URL",
    help="Start here instead of the configured sections (repeatable).",
)
@click.option(
    "--max-listing-pages",
    type=click.IntRange(1),
    help="Pages per listing at most [default: 5; --full: 5000, and a listing stops where it repeats].",
)
@click.option(
    "--max-articles", type=click.IntRange(1), help="Articles to fetch at most [default: 2000; --full: none]."
)
@click.option("--max-depth", type=click.IntRange(0), help="Hops through related links.")
@click.option(
    "--recheck-days",
    type=click.FloatRange(0),
    envvar="WARDNEWS_RECHECK_DAYS",
    help="Re-fetch stored articles published within this many days, to catch edits [default: 3].",
)
@click.option("--log-dir", default="data/logs", show_default=True, help="Where the run's log file goes.")
@settings_option
def crawl(
    db,
    full,
    base_url,
    start_urls,
    max_listing_pages,
    max_articles,
    max_depth,
    recheck_days,
    log_dir,
    overrides,
):
    """Crawl the portal into the database (the nightly job).

    \b
    Example:
        wardnews crawl
        wardnews crawl --base-url http://127.0.0.1:8765 --db /tmp/mirror.db
    """
    from spiders.portal import PortalSpider
    from wardnews.crawling import build_settings, run_spider
    from wardnews.lock import AlreadyRunning, CrawlLock
    from wardnews.network import Unreachable, check_reachable
    from wardnews.sites import DEFAULT_SITE
    from wardnews.urls import UrlError, check_fetchable

    site = DEFAULT_SITE
    try:
        if base_url:
            check_fetchable(base_url, None)
            site = site.rebased(base_url)
        for url in start_urls:
            check_fetchable(url, site)
    except UrlError as error:
        fail(str(error), runs.EXIT_USAGE)
    try:
        check_reachable(start_urls[0] if start_urls else site.base_url)
    except Unreachable as error:
        fail(f"{error}; nothing was crawled and the database was not touched.")
    extra = {"WARDNEWS_MODE": "full" if full else "nightly", "WARDNEWS_BASE_URL": base_url}
    if recheck_days is not None:
        extra["WARDNEWS_RECHECK_DAYS"] = recheck_days
    try:
        settings = build_settings(db, list(overrides), extra, log_dir=log_dir)
    except ValueError as error:
        fail(str(error), runs.EXIT_USAGE)
    try:
        with CrawlLock(db):
            crawler = run_spider(
                PortalSpider,
                settings,
                base_url=base_url,
                start_urls=list(start_urls) or None,
                max_listing_pages=max_listing_pages,
                max_articles=max_articles,
                max_depth=max_depth,
            )
    except AlreadyRunning as error:
        fail(f"{error}; this run exits without crawling.", runs.EXIT_LOCKED)
    summary = crawler.stats.get_value("wardnews/summary")
    if summary is None:
        fail("the crawl ended before it could record its results (see the log).")
    click.echo(summary.line())
    sys.exit(summary.exit_code)


@main.command()
@click.argument("url")
@db_option
@click.option("--store", is_flag=True, help="Also write the article to the database.")
@click.option("--json/--text", "as_json", default=True, help="Print JSON (default) or readable text.")
@click.option(
    "--any-site", is_flag=True, help="Allow a URL outside the portal (metadata and heuristics only)."
)
@click.option(
    "--base-url", metavar="URL", help="Treat this host as the portal (a mirror, e.g. on 127.0.0.1)."
)
@settings_option
def fetch(url, db, store, as_json, any_site, base_url, overrides):
    """Fetch one article and print it (JSON by default); --store also writes it to the database.

    \b
    Example:
        wardnews fetch https://laodongthudo.vn/phuong-tay-tuu-...-203248.html --store
        wardnews fetch https://laodongthudo.vn/phuong-tay-tuu-...-203248.html --text
    """
    from spiders.article import ArticleSpider
    from wardnews.crawling import build_settings, run_spider
    from wardnews.lock import AlreadyRunning, CrawlLock
    from wardnews.network import Unreachable, check_reachable
    from wardnews.sites import DEFAULT_SITE
    from wardnews.urls import UrlError, check_fetchable

    try:
        site = DEFAULT_SITE.rebased(check_fetchable(base_url, None)) if base_url else DEFAULT_SITE
        url = check_fetchable(url, None if any_site else site)
    except UrlError as error:
        fail(str(error), runs.EXIT_USAGE)
    try:
        check_reachable(url)
    except Unreachable as error:
        fail(f"{error}; nothing was fetched.")
    extra = {"WARDNEWS_MODE": "url", "LOG_LEVEL": "WARNING"}
    if not store:
        extra["ITEM_PIPELINES"] = {"pipelines.validate.ValidatePipeline": 100}
    settings = build_settings(db, list(overrides), extra)
    try:
        if store:
            with CrawlLock(db):
                crawler = run_spider(ArticleSpider, settings, url=url, any_site=any_site, base_url=base_url)
        else:
            crawler = run_spider(ArticleSpider, settings, url=url, any_site=any_site, base_url=base_url)
    except AlreadyRunning as error:
        fail(f"{error}; try again when it has finished.", runs.EXIT_LOCKED)
    _print_results(crawler.spider.results, url, as_json)


def _print_results(results, url, as_json=True):
    from wardnews.items import Article

    articles = [r for r in results if isinstance(r, Article)]
    if articles:
        click.echo(
            json.dumps(articles[0].to_dict(), ensure_ascii=False, indent=2)
            if as_json
            else _as_text(articles[0])
        )
        return
    if results:
        error = results[0]
        if error.error == "not_article":
            fail(f"{url} is not an article page (see the log for why).")
        fail(f"could not fetch {url}: {error.error}.")
    fail(f"could not fetch {url} (blocked by robots.txt or no response).")


def _as_text(article) -> str:
    """The article as a reader would skim it, with where each field came from."""
    lines = [article.title or "(no title)", ""]
    lines.append(
        f"{article.published_at or 'no date'} · {article.byline or 'no byline'} · "
        f"{article.category or 'no category'} · {article.url}"
    )
    if article.sapo:
        lines += ["", article.sapo]
    if article.body:
        lines += ["", article.body]
    for figure in article.figures:
        lines.append(
            f"[ảnh] {figure.caption or ''} {f'(Ảnh: {figure.credit})' if figure.credit else ''}".rstrip()
        )
    lines += ["", "extraction: " + ", ".join(f"{k}={v}" for k, v in sorted(article.extraction.items()))]
    return "\n".join(lines)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--url", required=True, help="The URL the page was saved from.")
@click.option(
    "--fetched-at", help="When it was fetched (ISO 8601); anchors relative dates. Default: the file's mtime."
)
@click.option("--any-site", is_flag=True, help="Use metadata and heuristics only, whatever the URL.")
def parse(file, url, fetched_at, any_site):
    """Extract a saved page, offline, and print the article as JSON.

    \b
    Example:
        wardnews parse page.html --url https://laodongthudo.vn/slug-203248.html
    """
    from wardnews.extract import extract_or_explain
    from wardnews.sites import DEFAULT_SITE
    from wardnews.urls import UrlError, check_fetchable

    try:
        url = check_fetchable(url, None if any_site else DEFAULT_SITE)
    except UrlError as error:
        fail(str(error), runs.EXIT_USAGE)
    when = (
        datetime.fromisoformat(fetched_at)
        if fetched_at
        else datetime.fromtimestamp(Path(file).stat().st_mtime, VN_TZ)
    )
    kwargs = {"site": None} if any_site else {}
    article, reason = extract_or_explain(Path(file).read_bytes(), url, fetched_at=when, **kwargs)
    if article is None:
        fail(f"{file} is not an article page: {reason}.")
    click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))


@main.command()
@db_option
def stats(db):
    """Print what the database holds: articles, date range, field coverage, last runs.

    \b
    Example:
        wardnews stats --db data/wardnews.db
    """
    from wardnews.store import Store

    if not Path(db).exists():
        fail(f"{db} does not exist yet; run `wardnews crawl` first.")
    with Store(db, readonly=True) as store:
        for line in store.report_lines():
            click.echo(line)


# Commands kept in other modules register themselves on `main`: reparse (commands_archive);
# the researchers' retag, serve, export, report (research.commands).
from wardnews import commands_archive as _archive_commands  # noqa: E402,F401
from wardnews.research import commands as _research_commands  # noqa: E402,F401
