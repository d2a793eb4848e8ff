"""Run a command and measure its wall time and peak memory, worker processes included.

ru_maxrss only gives the largest single process; a build with a process pool holds
memory in several at once, so the resident sizes of the whole process tree are also
sampled from /proc and their largest sum kept.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # the process ended while we looked
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _rss_kib(pid: int) -> int:
    try:
        return int((Path("/proc") / str(pid) / "statm").read_text().split()[1]) * PAGE_KIB
    except OSError:
        return 0


def tree_rss_kib(root: int) -> int:
    """Resident memory of a process and all its descendants, in KiB."""
    tree, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss_kib(pid)
        todo.extend(tree.get(pid, []))
    return total


def measure(cmd: list[str], cwd: Path, interval: float = 0.02) -> dict[str, Any]:
    """Run `cmd` to the end; its stdout, exit status, wall time and peak memory (MiB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err)
        peak_tree = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak_tree = max(peak_tree, tree_rss_kib(proc.pid))
            time.sleep(interval)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "cmd": cmd, "returncode": proc.returncode, "wall_s": wall,
            "peak_tree_mib": max(peak_tree, usage.ru_maxrss) / 1024,
            "peak_process_mib": usage.ru_maxrss / 1024,
            "cpu_s": usage.ru_utime + usage.ru_stime,  # the command and the children it waited for
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr_tail": err.read().decode("utf-8", "replace")[-2000:],
        }
