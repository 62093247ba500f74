"""The ``wardnews`` command: crawl, fetch one URL, parse a saved page, and look at the database."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import click

from wardnews import runs
from wardnews.dates import VN_TZ

DEFAULT_DB = "data/wardnews.db"
_DB_META = "wardnews.db"  # the command's --db, for error sentences


def _remember_db(ctx, _param, value):
    ctx.meta[_DB_META] = value
    return value


def _set_busy_timeout(_ctx, _param, value):
    # Every connection of this process (readers, writers, the crawl's pipeline) reads it from here.
    if value is not None:
        os.environ["WARDNEWS_BUSY_TIMEOUT"] = str(value)
    return value


def db_option(function):
    """``--db PATH`` and ``--busy-timeout SECONDS``, for every command that opens the database."""
    function = click.option(
        "--busy-timeout",
        type=click.FloatRange(0),
        envvar="WARDNEWS_BUSY_TIMEOUT",
        expose_value=False,
        callback=_set_busy_timeout,
        help="Seconds to wait while another command holds the database's write lock [default: 60].",
    )(function)
    return click.option(
        "--db",
        "db",
        default=DEFAULT_DB,
        show_default=True,
        envvar="WARDNEWS_DB",
        type=click.Path(dir_okay=False),
        callback=_remember_db,
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
    end = "" if message.endswith((".", "?", "!")) else "."
    click.echo(f"wardnews: {message}{end}", err=True)
    sys.exit(code)


class _Main(click.Group):
    """The command group: database and file-system failures become one sentence, not a traceback."""

    def invoke(self, ctx):
        from wardnews.store.connection import StoreError, describe_sqlite_error

        try:
            return super().invoke(ctx)
        except StoreError as error:
            fail(str(error))
        except sqlite3.Error as error:
            fail(describe_sqlite_error(error, ctx.meta.get(_DB_META) or "the database"))
        except KeyboardInterrupt:
            fail("interrupted (SIGINT); nothing more was done", runs.EXIT_INTERRUPTED_SIGINT)
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            fail(f"{where}{error.strerror or error}")


@click.group(
    cls=_Main,
    context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "WARDNEWS"},
)
@click.version_option(package_name="wardnews")
def main():
    """Crawl Hà Nội ward and commune news from Lao Động Thủ Đô into one SQLite file."""


def run() -> None:
    """The ``wardnews`` command (and ``python -m wardnews``): ``main``, then a quick exit.

    ``main`` ends with ``sys.exit``; ``wardnews.exiting.leave`` then exits with the
    same status without the interpreter's teardown (a quarter of a second a crawl).
    """
    from wardnews.exiting import leave

    try:
        main()
    except SystemExit as done:
        leave(done.code)
    leave(0)


def _checked_settings(db, overrides, extra):
    from wardnews.crawling import SettingError, build_settings

    try:
        settings = build_settings(db, list(overrides), extra)
    except SettingError as error:
        fail(str(error), runs.EXIT_USAGE)
    if settings.get("WARDNEWS_BUSY_TIMEOUT") is not None:  # -s: every connection reads it from here
        os.environ["WARDNEWS_BUSY_TIMEOUT"] = str(settings.get("WARDNEWS_BUSY_TIMEOUT"))
    return settings


def _check_public(url: str, settings, allowed: set[str]) -> None:
    from wardnews.network import NotPublic, check_public

    extra = {h.strip() for h in settings.getlist("WARDNEWS_PRIVATE_HOSTS") if h.strip()}
    try:
        check_public(url, allowed | extra)
    except NotPublic as error:
        fail(f"{error}; nothing was fetched", runs.EXIT_USAGE)


def _open_for_writing(db: str) -> None:
    """Open (create, migrate) the database once, so that a bad file is one sentence before any fetch."""
    from wardnews.store import Store

    Store(db).close()  # StoreError -> one sentence (see _Main)


@main.command()
@db_option
@click.option("--full", is_flag=True, help="Walk every listing page (backfill), not only the newest.")
@click.option("--base-url", metavar="URL", help="Crawl a mirror of the portal, e.g. http://127.0.0.1:8765.")
@click.option(
    "--start-url",
    "start_urls",
    multiple=True,
    metavar="URL",
    help="Start here instead of the configured sections (repeatable); sections are not looked for.",
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
@click.option("--log-dir", help="Where the run's log file goes [default: <db folder>/logs].")
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

    SIGTERM or SIGINT (Ctrl-C) stops it within seconds: what was fetched is
    stored, the rest stays on the frontier for the next run, and it exits
    with 128 + the signal's number (143, 130). A second signal stops it at once.

    \b
    Example:
        wardnews crawl
        wardnews crawl --base-url http://127.0.0.1:8765 --db /tmp/mirror.db
    """
    from spiders.portal import PortalSpider
    from wardnews.crawling import log_file, run_spider
    from wardnews.lock import AlreadyRunning, CrawlLock
    from wardnews.network import Unreachable, check_reachable
    from wardnews.sites import DEFAULT_SITE
    from wardnews.stopping import Stopper
    from wardnews.urls import UrlError, check_fetchable

    site = DEFAULT_SITE
    try:
        if base_url:
            check_fetchable(base_url, None)
            site = site.rebased(base_url)
        for url in start_urls:
            check_fetchable(url, None)
            if not site.owns(url):
                fail(
                    f"{urlsplit(url).netloc} is not a host of {site.name} ({', '.join(sorted(site.hosts))});"
                    " the crawl stays on the portal: use `wardnews fetch URL --any-site` for a page"
                    " elsewhere",
                    runs.EXIT_USAGE,
                )
    except UrlError as error:
        fail(str(error), runs.EXIT_USAGE)
    extra = {"WARDNEWS_MODE": "full" if full else "nightly", "WARDNEWS_BASE_URL": base_url}
    if recheck_days is not None:
        extra["WARDNEWS_RECHECK_DAYS"] = recheck_days
    settings = _checked_settings(db, overrides, extra)
    first = start_urls[0] if start_urls else site.base_url
    _check_public(first, settings, {site.host} if base_url else set())
    try:
        check_reachable(first)
    except Unreachable as error:
        fail(f"{error}; nothing was crawled and the database was not touched")
    try:
        with CrawlLock(db):
            _open_for_writing(db)
            settings.set("LOG_FILE", str(log_file(db, "crawl", log_dir)), priority="cmdline")
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
        fail(f"{error}; this run exits without crawling", runs.EXIT_LOCKED)
    stopper = Stopper.of(crawler)
    summary = crawler.stats.get_value("wardnews/summary")
    if summary is None and stopper.stopping:
        # The pipeline could not close the run (its writes failed): say what happened anyway.
        summary = runs.summarise_run(crawler.stats.get_stats())
        stopper.close_run_if_open(db, summary)
    if summary is None:
        fail(f"the crawl ended before it could record its results (see {settings.get('LOG_FILE')})")
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
@click.option("--log-dir", help="Where the log file goes [default: <db folder>/logs].")
@settings_option
def fetch(url, db, store, as_json, any_site, base_url, log_dir, overrides):
    """Fetch one article and print it (JSON by default); --store also writes it to the database.

    A foreign page (--any-site) is stored under its own URL with no site,
    never merged into a portal article. The log goes to <db folder>/logs/fetch-*.log.

    \b
    Example:
        wardnews fetch https://laodongthudo.vn/phuong-tay-tuu-...-203248.html --store
        wardnews fetch https://laodongthudo.vn/phuong-tay-tuu-...-203248.html --text
    """
    from spiders.article import ArticleSpider
    from wardnews.crawling import log_file, run_spider
    from wardnews.network import Unreachable, check_reachable
    from wardnews.sites import DEFAULT_SITE
    from wardnews.urls import UrlError, check_fetchable

    try:
        site = DEFAULT_SITE.rebased(check_fetchable(base_url, None)) if base_url else DEFAULT_SITE
        url = check_fetchable(url, None if any_site else site)
    except UrlError as error:
        fail(str(error), runs.EXIT_USAGE)
    foreign = any_site and not site.owns(url)  # a portal URL keeps the portal's profile and identity
    extra = {
        "WARDNEWS_MODE": "url",
        "WARDNEWS_ANY_SITE": any_site,
        "WARDNEWS_BASE_URL": base_url,
        "LOG_LEVEL": "INFO",
    }
    if not store:
        extra["ITEM_PIPELINES"] = {"pipelines.validate.ValidatePipeline": 100}
    settings = _checked_settings(db, overrides, extra)
    _check_public(url, settings, {site.host} if base_url else set())
    try:
        check_reachable(url)
    except Unreachable as error:
        fail(f"{error}; nothing was fetched")
    if store:
        _open_for_writing(db)  # no crawl lock: it waits for SQLite's write lock, batch by batch
    log_path = log_file(db, "fetch", log_dir)
    settings.set("LOG_FILE", str(log_path), priority="cmdline")
    crawler = run_spider(ArticleSpider, settings, url=url, any_site=foreign, base_url=base_url)
    stopped = crawler.stats.get_value(runs.INTERRUPTED_STAT)
    if stopped:
        fail(f"interrupted by {stopped}; nothing more was fetched", runs.interrupted_exit_code(stopped))
    storage = crawler.stats.get_value(runs.STORAGE_FAILED_STAT)
    if storage:
        fail(storage)
    _print_results(crawler.spider.results, url, as_json, log_path)


def _print_results(results, url, as_json=True, log_path=None):
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
            fail(f"{url} is not an article page (see {log_path or 'the log'} for why)")
        fail(f"could not fetch {url}: {error.error} (see {log_path or 'the log'})")
    fail(f"could not fetch {url} (blocked by robots.txt or no response; see {log_path or 'the log'})")


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
    "--fetched-at",
    help="When it was fetched (ISO 8601, e.g. 2025-12-23T08:00:00+07:00); anchors relative dates."
    " Default: the file's mtime.",
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
    try:
        when = (
            datetime.fromisoformat(fetched_at)
            if fetched_at
            else datetime.fromtimestamp(Path(file).stat().st_mtime, VN_TZ)
        )
    except ValueError:
        fail(
            f"--fetched-at wants an ISO 8601 time such as 2025-12-23T08:00:00+07:00, not {fetched_at!r}",
            runs.EXIT_USAGE,
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

    with Store(db, readonly=True) as store:  # never writes, never migrates
        for line in store.report_lines():
            click.echo(line)


@main.command()
@db_option
def migrate(db):
    """Bring the database's schema up to date, as a crawl does before it starts.

    Commands that only read (stats, export, report, serve) never change the
    schema: after an upgrade of wardnews they ask for this (or a crawl) first.

    \b
    Example:
        wardnews migrate --db data/wardnews.db
    """
    import sqlite_utils

    from wardnews.store import Store, migrations
    from wardnews.store.connection import readonly_uri

    if not Path(db).exists():
        fail(f"{db} does not exist yet; run `wardnews crawl` first")
    probe = sqlite3.connect(readonly_uri(db), uri=True)
    try:
        pending = [m.name for m in migrations.pending(sqlite_utils.Database(probe, execute_plugins=False))]
    finally:
        probe.close()
    Store(db).close()
    click.echo(f"{db}: applied {', '.join(pending)}" if pending else f"{db}: schema up to date")


# Commands kept in other modules register themselves on `main`: reparse (commands_archive);
# the researchers' retag, serve, export, report (research.commands).
from wardnews import commands_archive as _archive_commands  # noqa: E402,F401
from wardnews.research import commands as _research_commands  # noqa: E402,F401
