"""Run a command and measure its wall time, CPU time and peak memory, worker processes
included.

ru_maxrss only gives the largest single process, and a child's rusage only counts the
children it waited for; a build with a process pool holds memory and spends CPU in
several processes at once. So the whole process tree is also sampled from /proc: the
largest sum of resident sizes is kept, and each process's last CPU time seen.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def processes() -> dict[int, tuple[int, int, int]]:
    """Every process: pid → (parent pid, CPU ticks used, resident pages)."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        # after the command name: state, ppid, …, utime (12th), stime (13th), …, rss (22nd)
        out[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[21]))
    return out


def tree(root: int, procs: dict[int, tuple[int, int, int]]) -> list[int]:
    """A process and all its descendants."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in procs.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in procs:
            found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def measure(cmd: list[str], cwd: Path, interval: float = 0.02) -> dict[str, Any]:
    """Run `cmd` to the end; its stdout, exit status, wall time, CPU time and peak memory (MiB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err)
        peak_pages, ticks = 0, dict[int, int]()
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            procs = processes()
            members = tree(proc.pid, procs)
            peak_pages = max(peak_pages, sum(procs[p][2] for p in members))
            ticks |= {p: procs[p][1] for p in members}
            time.sleep(interval)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "cmd": cmd, "returncode": proc.returncode, "wall_s": wall,
            "cpu_s": max(sum(ticks.values()) / CLOCK_TICKS, usage.ru_utime + usage.ru_stime),
            "peak_tree_mib": max(peak_pages * PAGE_KIB, usage.ru_maxrss) / 1024,
            "peak_process_mib": usage.ru_maxrss / 1024,
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr_tail": err.read().decode("utf-8", "replace")[-2000:],
        }
