"""How much the machine's other cores add: the same pure-Python work, run alone and on every core at once.

    python -m bench.cores

The ceiling crawl is one busy thread; wardnews keeps every core busy. On a
machine whose cores share an execution unit (hyper-threads, or vCPUs that the
host schedules that way), a thread runs slower while the others are busy, and
two busy cores give less than twice one core's work: the crawl ratio's best
case drops with it. Each process spins the same loop; together they start at
one instant (a start time given to all) so that they overlap. Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

# About a second of one core's work; the same for every process.
LOOP = 250
# The crawl's kind of work: parse a page of 900 boxes (about 80 KB) with lxml, read its text.
# A loop of integer arithmetic would hide what sharing caches and memory costs: on the
# benchmark's 2-vCPU machine it scaled 2.08x where this scaled 1.7x.
_CHILD = """
import sys, time
import lxml.html
start_at, n = float(sys.argv[1]), int(sys.argv[2])
page = ("<html><body>" + "".join(
    f'<div class="c{i % 17}"><p>Phường {i} <a href="/tin-{i}.html">tin {i}</a></p></div>'
    for i in range(900)) + "</body></html>").encode()
while time.time() < start_at:
    pass
began = time.perf_counter()
for _ in range(n):
    doc = lxml.html.fromstring(page)
    sum(len(p.text_content()) for p in doc.iter("p"))
print(time.perf_counter() - began)
"""


def _spin_together(processes: int, loop: int) -> float:
    """Seconds the slowest of ``processes`` took for ``loop`` iterations, all started at once."""
    start_at = time.time() + 0.3  # after every child has started
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, repr(start_at), str(loop)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(processes)
    ]
    return max(float(child.communicate(timeout=300)[0]) for child in children)


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
