"""bench.cputree: CPU seconds of a process tree, told apart by thread and descendant."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # bench/ is the checkout's, not an installed package
    sys.path.insert(0, str(ROOT))

from bench.cputree import CpuTree  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

# A parent that spins in a second thread and in a child process until each has used
# 0.3 s of CPU (by its own clock, not the wall's), says so, and waits to be told to end.
_BUSY = r"""
import os, subprocess, sys, threading, time
def spin():
    start = time.thread_time()
    while time.thread_time() - start < 0.3:
        pass
thread = threading.Thread(target=spin)
thread.start()
child = subprocess.Popen([sys.executable, "-c",
    "import time, sys\nstart = time.process_time()\nwhile time.process_time() - start < 0.3: pass\n"
    "print('done', flush=True)\nsys.stdin.read()"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
child.stdout.readline()
thread.join()
print("ready", flush=True)
sys.stdin.read()
child.stdin.close()
child.wait()
"""


def test_the_tree_counts_the_main_thread_other_threads_and_descendants_apart():
    proc = subprocess.Popen(
        [sys.executable, "-c", _BUSY], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "ready"
        tree = CpuTree(proc.pid)
        tree.sample()
        figures = tree.figures()
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
    # The spinning thread has ended: its CPU is in the process's total, not in a thread's row.
    assert figures["descendants"] >= 0.25
    assert figures["total"] - figures["main_thread"] - figures["descendants"] >= 0.25
    assert tree.peak_rss_kib and tree.peak_rss_kib > 1000  # a Python process's own peak, in KiB


def test_a_process_that_is_gone_gives_no_figures():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    tree = CpuTree(proc.pid)
    tree.sample()
    assert tree.figures()["total"] is None
