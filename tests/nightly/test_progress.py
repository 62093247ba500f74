"""On a terminal, a live progress line on stderr; under cron (no TTY) nothing (see test_polite)."""

from __future__ import annotations

import os
import pty
import subprocess

from wardnews.progress import progress_line
from wardnews.testing import Portal, PortalServer

from .helpers import crawl_command


def test_progress_line_format():
    stats = {
        "downloader/response_count": 50,
        "wardnews/articles/new": 30,
        "wardnews/articles/changed": 2,
        "wardnews/errors": 1,
    }
    assert progress_line(stats, 10.0) == (
        "pages 50 · new 30 · changed 2 · unchanged 0 · errors 1 · 5.0 pages/s"
    )


def test_progress_line_on_a_terminal(db):
    master, slave = pty.openpty()
    with PortalServer(Portal(20, seed=14)) as server:
        process = subprocess.Popen(
            crawl_command(server, db), cwd=db.parent, stdout=subprocess.PIPE, stderr=slave
        )
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    os.close(master)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert process.returncode in (0, 4)
    lines = [line for line in shown.replace("\r\n", "\n").split("\r") if "pages/s" in line]
    assert lines and "new " in lines[-1] and "errors " in lines[-1]
    assert "pages 0" not in lines[-1]
