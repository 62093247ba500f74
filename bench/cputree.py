"""CPU seconds of a process and its descendants, per thread of the process, read from ``/proc``.

``bench.run`` samples a crawl's tree while it runs: the crawl's reactor thread
(the process's main thread), its other threads (the store's writer), and its
descendants (the extraction workers, their fork server). A descendant that
exits between two samples is counted up to its last sample (samples every
quarter second: a worker's last fraction of a second may be missed). On a
system without ``/proc`` every figure is None.
"""

from __future__ import annotations

import os
from pathlib import Path

_PROC = Path("/proc")
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat_fields(path: Path) -> list[str] | None:
    try:
        text = path.read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces: split after it.
    return text.rsplit(")", 1)[1].split()


def _cpu_ticks(fields: list[str]) -> int:
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))


class CpuTree:
    """The CPU used so far by process ``pid``'s threads and descendants; call ``sample`` now and then."""

    def __init__(self, pid: int):
        self.pid = pid
        self.available = (_PROC / str(pid)).exists()
        self._threads: dict[int, int] = {}  # thread id of the root -> ticks
        self._process = 0  # ticks of the root, all its threads (those that ended too)
        # The root's own peak RSS (VmHWM, KiB): wait4's ru_maxrss is no measure of a child, as
        # Linux carries the forking parent's resident size across exec into it.
        self.peak_rss_kib: int | None = None
        self._descendants: dict[int, int] = {}  # pid -> ticks

    def sample(self) -> None:
        if not self.available:
            return
        own = _stat_fields(_PROC / str(self.pid) / "stat")
        if own:
            self._process = _cpu_ticks(own)
        try:
            for line in (_PROC / str(self.pid) / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.peak_rss_kib = max(self.peak_rss_kib or 0, int(line.split()[1]))
        except (OSError, ValueError, IndexError):
            pass
        for task in (_PROC / str(self.pid) / "task").glob("*"):
            fields = _stat_fields(task / "stat")
            if fields:
                self._threads[int(task.name)] = _cpu_ticks(fields)
        parents: dict[int, tuple[int, int]] = {}
        for entry in _PROC.iterdir():
            if entry.name.isdigit():
                fields = _stat_fields(entry / "stat")
                if fields:
                    parents[int(entry.name)] = (int(fields[1]), _cpu_ticks(fields))
        family = {self.pid}
        grew = True
        while grew:
            grew = False
            for pid, (parent, _) in parents.items():
                if parent in family and pid not in family:
                    family.add(pid)
                    grew = True
        for pid in family - {self.pid}:
            self._descendants[pid] = parents[pid][1]

    def figures(self) -> dict:
        """Seconds: ``main_thread``, ``other_threads`` (live ones, largest first), ``descendants``, ``total``.

        ``total`` is the root's CPU (every thread it ran, ended ones too) and its descendants'.
        """
        if not self.available or not self._threads:
            return {"main_thread": None, "other_threads": [], "descendants": None, "total": None}
        main = self._threads.get(self.pid, 0) / _TICKS
        others = sorted((t / _TICKS for tid, t in self._threads.items() if tid != self.pid), reverse=True)
        descendants = sum(self._descendants.values()) / _TICKS
        return {
            "main_thread": main,
            "other_threads": [round(s, 2) for s in others if s > 0],
            "descendants": descendants,
            "total": max(self._process / _TICKS, main + sum(others)) + descendants,
        }
