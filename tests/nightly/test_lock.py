"""One crawl at a time per database; a lock left by a killed run does not block the next."""

from __future__ import annotations

import os
import signal
import subprocess
import time

from wardnews import runs
from wardnews.testing import Faults, Portal, PortalServer

from .helpers import crawl_command, run_crawl


def test_second_crawl_exits_at_once_and_a_killed_holder_leaves_no_stale_lock(db):
    portal = Portal(40, seed=9)
    # Every page is slow the first time it is asked for: the first crawl is still running when we look.
    slow = Faults(slow_rate=1.0, slow_seconds=1.0, max_failures_per_path=1)
    with PortalServer(portal, faults=slow) as server:
        first = subprocess.Popen(
            crawl_command(server, db), cwd=db.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        lock = db.with_name(db.name + ".lock")
        deadline = time.monotonic() + 20
        while not (lock.exists() and lock.read_text().strip() == str(first.pid)):
            assert time.monotonic() < deadline and first.poll() is None, "the first crawl never took the lock"
            time.sleep(0.05)

        started = time.monotonic()
        second = run_crawl(server, db)
        assert time.monotonic() - started < 10
        assert second.code == runs.EXIT_LOCKED == 3
        assert second.stdout == ""
        message = [line for line in second.stderr.splitlines() if line.startswith("wardnews:")]
        assert message == [
            f"wardnews: another wardnews crawl (pid {first.pid}) is writing {db.name};"
            " this run exits without crawling."
        ]

        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        assert lock.exists()  # the file stays behind; the kernel released its flock
        server.faults = Faults()  # no more slow pages
        third = run_crawl(server, db)
    assert third.code == 0, third.stdout + third.stderr
    assert third.stdout.startswith("wardnews ok:")
