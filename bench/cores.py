"""How much the machine's other cores add: the same pure-Python work, run alone and on every core at once.

    python -m bench.cores

The ceiling crawl is one busy thread; wardnews keeps every core busy. On a
machine whose cores share an execution unit (hyper-threads, or vCPUs that the
host schedules that way), a thread runs slower while the others are busy, and
two busy cores give less than twice one core's work: the crawl ratio's best
case drops with it. Each process runs the same loop; together they start at
one instant (each says it is ready, then all are told to go) so that they
overlap. Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

# About a second of one core's work; the same for every process.
LOOP = 250
# The crawl's kind of work: parse a page of 900 boxes (about 80 KB) with lxml, read its text.
# A loop of integer arithmetic would hide what sharing caches and memory costs: on the
# benchmark's 2-vCPU machine it scaled 2.08x where this scaled 1.7x.
_CHILD = """
import sys, time
import lxml.html
n = int(sys.argv[1])
page = ("<html><body>" + "".join(
    f'<div class="c{i % 17}"><p>Phường {i} <a href="/tin-{i}.html">tin {i}</a></p></div>'
    for i in range(900)) + "</body></html>").encode()
print("ready", flush=True)
sys.stdin.readline()  # "go": every process has started and built its page
began = time.perf_counter()
for _ in range(n):
    doc = lxml.html.fromstring(page)
    sum(len(p.text_content()) for p in doc.iter("p"))
print(time.perf_counter() - began)
"""


def _spin_together(processes: int, loop: int) -> float:
    """Seconds the slowest of ``processes`` took for ``loop`` iterations, all started at once."""
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(loop)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    try:
        for child in children:  # each has imported lxml and built its page: none starts late
            if child.stdout.readline().strip() != "ready":
                raise RuntimeError(f"bench.cores: a process did not start (exit {child.wait()})")
        for child in children:
            child.stdin.write("go\n")
            child.stdin.flush()
        return max(float(child.communicate(timeout=300)[0]) for child in children)
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()


def core_scaling(cores: int | None = None, rounds: int = 5, loop: int = LOOP) -> dict:
    """Work per second of ``cores`` busy processes over one's (``cores`` would be perfect).

    Medians of ``rounds`` alternating runs: this machine's speed for one thread moves by
    half within seconds.
    """
    cores = cores or os.cpu_count() or 1
    alone, together = [], []
    for _ in range(rounds):  # alternating, so that a change of the machine's state hits both
        alone.append(_spin_together(1, loop))
        together.append(_spin_together(cores, loop))
    alone_s, together_s = statistics.median(alone), statistics.median(together)
    return {
        "cores": cores,
        "alone_s": alone_s,
        "together_s": together_s,
        "speedup": cores * alone_s / together_s,
    }


def main() -> int:
    print(json.dumps(core_scaling()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
