"""wardnews.exiting: the quick exit keeps sys.exit's status, the atexit handlers, the buffered output."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from wardnews.exiting import FLUSH_FAILED, exit_status

# Buffered, as cron and a shell give it (PYTHONUNBUFFERED would make every write reach the file at once).
BUFFERED = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        env=BUFFERED,
    )


@pytest.mark.parametrize("code, status", [(None, 0), (0, 0), (3, 3), (True, 1), ("broken", 1)])
def test_exit_status_is_what_sys_exit_gives(code, status):
    assert exit_status(code) == status
    assert _python(f"import sys; sys.exit({code!r})").returncode == status
    assert _python(f"from wardnews.exiting import leave; leave({code!r})").returncode == status


def test_leave_runs_the_atexit_handlers_and_flushes_what_is_buffered(tmp_path):
    marker = tmp_path / "handler-ran"
    result = _python(
        f"""
        import atexit, logging, sys
        from wardnews.exiting import leave
        logging.basicConfig(filename={str(tmp_path / "run.log")!r}, level=logging.INFO)
        atexit.register(lambda: open({str(marker)!r}, "w").write("yes"))
        logging.info("the last log line")
        sys.stdout.write("no newline, still buffered")
        sys.stderr.write("on stderr")
        leave(4)
        print("never printed")
        """
    )
    assert result.returncode == 4
    assert result.stdout == "no newline, still buffered"
    assert result.stderr == "on stderr"
    assert marker.read_text() == "yes"
    assert "the last log line" in (tmp_path / "run.log").read_text()


def test_leave_prints_a_message_code_like_sys_exit():
    result = _python("from wardnews.exiting import leave; leave('wardnews: it failed.')")
    assert result.returncode == 1
    assert result.stderr == "wardnews: it failed.\n"


def test_leave_waits_for_a_thread_that_is_not_a_daemon():
    result = _python(
        """
        import threading
        from wardnews.exiting import leave
        go = threading.Event()
        def late():
            go.wait()
            print("the thread finished", flush=True)
        threading.Thread(target=late).start()
        threading.Timer(0, go.set).start()
        leave(5)
        """
    )
    assert result.returncode == 5
    assert result.stdout == "the thread finished\n"


@pytest.mark.parametrize("code", ["leave(0)", "leave(None)"])
def test_leave_says_so_when_stdout_cannot_be_flushed(code):
    def run(program: str) -> subprocess.CompletedProcess:
        with open("/dev/full", "w") as full:  # every write fails: "No space left on device"
            return subprocess.run(
                [sys.executable, "-c", program], stdout=full, stderr=subprocess.PIPE, text=True, env=BUFFERED
            )

    result = run(f"from wardnews.exiting import leave; print('the summary line'); {code}")
    assert result.returncode == FLUSH_FAILED
    assert "the end of stdout could not be written" in result.stderr
    # The interpreter's own exit gives the same status for the same failure.
    assert run("print('the summary line')").returncode == FLUSH_FAILED


def test_the_command_leaves_with_its_status():
    def wardnews(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "wardnews", *args], capture_output=True, text=True)

    ok = wardnews("--version")
    assert ok.returncode == 0 and ", version " in ok.stdout
    usage = wardnews("no-such-command")
    assert usage.returncode == 2 and "No such command" in usage.stderr
