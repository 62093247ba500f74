"""``wardnews reparse``: registered on the main command group by ``wardnews.cli``."""

from __future__ import annotations

from pathlib import Path

import click

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
    revision is written (an extractor fix is not a portal edit). It may run
    beside a crawl: each batch is read, re-extracted and saved in one
    transaction, so a page the crawl stores meanwhile is never overwritten
    with an older one; the crawl waits for the batch (--busy-timeout).

    \b
    Example:
        wardnews reparse --db data/wardnews.db
    """
    from wardnews.archive import reparse as run_reparse
    from wardnews.store import Store

    if not Path(db).exists():
        fail(f"{db} does not exist yet; run `wardnews crawl` first")
    with Store(db) as store:  # database errors: one sentence (wardnews.cli._Main)
        report = run_reparse(store, batch_size=batch_size)
    click.echo(report.line())
