"""Leaving the process once a command is done, without the interpreter's teardown.

After a crawl, CPython's finalisation frees every object and every module one
by one (Scrapy, Twisted, lxml, dateparser...): about a quarter of a second in
which nothing is written anywhere, paid by every cron run and counted in every
benchmark. By the time a command returns, what matters is closed: each command
closes its database connections and its pool itself, the log files are closed
by ``logging.shutdown`` (an atexit handler), and stdout and stderr are flushed
here. So ``leave`` does what the interpreter's exit does that can matter (wait
for threads, run the atexit handlers, flush the standard streams) and then
ends with ``os._exit``. A thread that is not a daemon and still runs would be
waited for by the interpreter: then ``leave`` exits the usual way instead.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
from typing import NoReturn

# The status CPython gives a process whose final flush of stdout or stderr failed.
FLUSH_FAILED = 120


def exit_status(code: object) -> int:
    """The status ``sys.exit(code)`` gives: 0 for None, an int as it is, else 1 (the code is printed)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    with contextlib.suppress(Exception):  # stderr is gone: the status still says it failed
        print(code, file=sys.stderr)
    return 1


def leave(code: object = 0) -> NoReturn:
    """End the process with ``sys.exit(code)``'s status, skipping the interpreter's teardown."""
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    if any(t.is_alive() and not t.daemon for t in others):
        sys.exit(code)  # the interpreter waits for them; so do we
    status = exit_status(code)
    atexit._run_exitfuncs()  # logging.shutdown, multiprocessing's finalizers, ...
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        try:
            if stream is not None:
                stream.flush()
        except Exception as error:  # a full disk, a closed pipe: as CPython does, the status says so
            if status == 0:
                status = FLUSH_FAILED
            _say(f"wardnews: the end of {name} could not be written ({error})")
    os._exit(status)


def _say(line: str) -> None:
    with contextlib.suppress(OSError):  # stderr is what failed
        os.write(2, (line + "\n").encode("utf-8", "replace"))
