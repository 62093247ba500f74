"""The researchers' commands, registered on ``wardnews.cli.main``: retag, serve, export, report."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from wardnews.cli import db_option, fail, main
from wardnews.runs import EXIT_USAGE


def _existing(db: str) -> None:
    if not Path(db).exists():
        fail(f"{db} does not exist yet; run `wardnews crawl` first.")


def _read_only(db: str) -> sqlite3.Connection:
    """A read-only connection to an up-to-date database; never writes, never migrates.

    A missing, foreign, damaged or older-schema file is one sentence (StoreError, see wardnews.cli).
    """
    from wardnews.store.connection import connect_readonly

    return connect_readonly(db)


@main.command()
@db_option
@click.option(
    "--batch-size", default=500, show_default=True, type=click.IntRange(1), help="Articles per transaction."
)
def retag(db, batch_size):
    """Re-tag every article with the wards and communes it names.

    Run it after the unit list (wardnews/data/hanoi_units_2025.csv) or the
    tagger changes; it also reloads the units table. Each batch is one
    transaction, so a crawl can run at the same time.

    \b
    Example:
        wardnews retag --db data/wardnews.db
    """
    from wardnews.store import Store, retag_all

    _existing(db)
    with Store(db) as store:
        n = retag_all(store.db, batch_size=batch_size)
        rows = store.db.execute("SELECT count(*) FROM article_units").fetchone()[0]
    click.echo(f"retagged {n} articles: {rows} article-unit rows")


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535), help="Port.")
@click.option("--immutable", is_flag=True, help="Serve a snapshot that will not change (faster, no locking).")
def serve(db, host, port, immutable):
    """Browse the database in Datasette, read-only, with canned queries.

    \b
    Example:
        wardnews serve --db data/wardnews.db --port 8001
        then open http://127.0.0.1:8001/wardnews/search?q=Tây+Tựu
    """
    import uvicorn

    from wardnews.research.serve import build_datasette

    _read_only(db).close()
    _check_port_free(host, port)
    ds = build_datasette(db, immutable=immutable)
    click.echo(f"serving {db} read-only on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")


def _check_port_free(host: str, port: int) -> None:
    """One sentence, not uvicorn's error, when the port is taken."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind((host, port))
        except OSError as error:
            fail(f"cannot serve on {host}:{port}: {error.strerror}; pick another --port", EXIT_USAGE)


@main.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl", "warc"]),
    default="jsonl",
    show_default=True,
    help="warc: the stored raw pages as fetched (gzipped records unless --out ends in .warc).",
)
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE (YYYY-MM-DD).")
@click.option("--unit", metavar="NAME", help='Only articles naming this ward or commune, e.g. "Tây Tựu".')
@click.option(
    "--out",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="Output file (default stdout).",
)
def export(db, fmt, since, unit, out):
    """Export articles, one per line (CSV record or JSON object), with figures, authors and units.

    --format warc writes the stored pages themselves instead, as a WARC file
    that replay tools open (one response record per fetch, with its URL and
    fetch time). Streams from the database: memory stays flat however large it is.

    \b
    Example:
        wardnews export --format csv --since 2025-07-01 --unit "Tây Tựu" --out tay_tuu.csv
        wardnews export --format jsonl | gzip > articles.jsonl.gz
        wardnews export --format warc --out pages.warc.gz
    """
    from wardnews.research.export import (
        BINARY_FORMATS,
        ExportError,
        ExportWriteError,
        write_export,
        write_export_file,
    )

    conn = _read_only(db)
    binary = fmt in BINARY_FORMATS
    options = {"gzip": not out.endswith(".warc")} if fmt == "warc" else {}
    try:
        if out == "-":
            with click.open_file(
                out, "wb" if binary else "w", encoding=None if binary else "utf-8", lazy=True
            ) as stream:
                n = write_export(conn, stream, fmt, since=since, unit=unit, **options)
        else:
            n = write_export_file(conn, out, fmt, since=since, unit=unit, **options)
    except ExportWriteError as error:
        fail(str(error))
    except ExportError as error:
        fail(str(error), EXIT_USAGE)
    finally:
        conn.close()
    click.echo(f"exported {n} {'pages' if fmt == 'warc' else 'articles'}", err=True)


@main.command()
@db_option
@click.option("--out", default="data/report.html", show_default=True, type=click.Path(dir_okay=False))
@click.option("--top", default=12, show_default=True, type=click.IntRange(1), help="How many units to chart.")
def report(db, out, top):
    """Write an HTML page charting articles per month per ward and commune, and per night's crawl.

    The page is self-contained (no CDN, nothing fetched): open it in any browser.

    \b
    Example:
        wardnews report --db data/wardnews.db --out report.html --top 10
    """
    from wardnews.research.report import chart_data, render_html

    conn = _read_only(db)
    try:
        data = chart_data(conn, top)
    finally:
        conn.close()
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(render_html(data, db_name=Path(db).name), encoding="utf-8")
    click.echo(
        f"wrote {out}: {len(data['series'])} units over {len(data['months'])} months,"
        f" {len(data['nights'])} nights of crawls",
        err=True,
    )
