"""``wardnews reparse``: registered on the main command group by ``wardnews.cli``."""

from __future__ import annotations

from pathlib import Path

import click

from wardnews import runs
from wardnews.cli import db_option, fail, main


@main.command()
@db_option
@click.option(
    "--batch",
    "batch_size",
    type=click.IntRange(1),
    default=200,
    show_default=True,
    help="Pages re-extracted and saved per transaction.",
)
def reparse(db, batch_size):
    """Re-run the current extractor over every stored raw page, offline, and update the articles.

    Rows are replaced in place and stamped with the extractor version; no
    revision is written (an extractor fix is not a portal edit). Takes the
    crawl lock, so it never runs beside a crawl.

    \b
    Example:
        wardnews reparse --db data/wardnews.db
    """
    from wardnews.archive import reparse as run_reparse
    from wardnews.lock import AlreadyRunning, CrawlLock
    from wardnews.store import Store

    if not Path(db).exists():
        fail(f"{db} does not exist yet; run `wardnews crawl` first.")
    try:
        with CrawlLock(db), Store(db) as store:
            report = run_reparse(store, batch_size=batch_size)
    except AlreadyRunning as error:
        fail(f"{error}; try again when it has finished.", runs.EXIT_LOCKED)
    click.echo(report.line())
