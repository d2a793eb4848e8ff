"""Run a function over many jobs on all cores, isolating the jobs from each other.

Only `workers` jobs are in flight at a time (memory stays bounded and a job's time in
flight is its running time). A job still running `timeout` seconds after it was
submitted, or one whose worker process dies, costs only itself: the pool is killed
and rebuilt, the job gets `on_failure(job, reason)` as its result, and the other jobs
that were in flight are run again. After a worker dies, the jobs that were in flight
are retried one at a time, so the culprit is the one that fails alone.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

J = TypeVar("J")
R = TypeVar("R")

# Workers are forked from a clean server process that has the pipeline imported:
# no threads of the parent (DuckDB, polars) are copied into them.
# multiprocessing ignores a preload that does not import: PRELOAD is checked by a test
PRELOAD = ["pipeline.build.filework"]
CONTEXT = mp.get_context("forkserver")
CONTEXT.set_forkserver_preload(PRELOAD)
PARENT_CHECK_SECONDS = 0.5


@dataclass
class _Flight(Generic[J]):
    job: J
    deadline: float
    suspect: bool


def run_jobs(work: Callable[[J], R], jobs: Iterable[J], workers: int, timeout: float,
             on_failure: Callable[[J, str], R], initializer: Callable[[], None] | None = None) -> Iterator[R]:
    """Yield `work(job)` for every job, in completion order, using `workers` processes
    (each runs `initializer` first, outside any job's time)."""
    queue = iter(jobs)
    retry: deque[tuple[J, bool]] = deque()   # (job, suspect) to run before new jobs
    while True:
        finished = yield from _one_pool(work, queue, retry, workers, timeout, on_failure, initializer)
        if finished:
            return


def _one_pool(work: Callable[[J], R], queue: Iterator[J], retry: deque[tuple[J, bool]], workers: int,
              timeout: float, on_failure: Callable[[J, str], R],
              initializer: Callable[[], None] | None) -> Generator[R, None, bool]:
    """Run jobs until none is left (return True) or the pool had to be killed (False)."""
    before = set(CONTEXT.active_children())
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=CONTEXT, initializer=_start_worker,
                               initargs=(os.getpid(), initializer))
    running: dict[Future[R], _Flight[J]] = {}
    finished = False
    try:
        while True:
            _fill(pool, work, queue, retry, running, workers, timeout)
            if not running:
                finished = True
                return True
            next_deadline = min(f.deadline for f in running.values())
            done, _ = wait(running, timeout=max(0.0, next_deadline - time.monotonic()),
                           return_when=FIRST_COMPLETED)
            broken = [fut for fut in done if isinstance(fut.exception(), BrokenProcessPool)]
            for fut in done:
                if fut not in broken:
                    flight = running.pop(fut)
                    error = fut.exception()
                    yield on_failure(flight.job, f"error: {error!r}") if error else fut.result()
            if broken:
                if len(running) == 1 and next(iter(running.values())).suspect:
                    yield on_failure(next(iter(running.values())).job, "crash: the worker process died")
                else:
                    retry.extend((f.job, True) for f in running.values())
                return False
            now = time.monotonic()
            overdue = [fut for fut, f in running.items() if f.deadline <= now]
            if overdue:
                for fut in overdue:
                    yield on_failure(running.pop(fut).job, f"timeout: no result after {timeout:g} s")
                retry.extendleft((f.job, f.suspect) for f in running.values())
                return False
    finally:
        if not finished:   # a stuck or dead worker, or the caller stopped early: do not wait for anyone
            for child in set(CONTEXT.active_children()) - before:
                child.kill()
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(parent_pid: int, initializer: Callable[[], None] | None) -> None:
    """Exit when the process that made the pool is gone: a worker blocks on its job queue
    forever otherwise (it holds that pipe's write end too), e.g. after a kill -9 of the build."""
    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_SECONDS)
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    if initializer is not None:
        initializer()


def _fill(pool: ProcessPoolExecutor, work: Callable[[J], Any], queue: Iterator[J], retry: deque[tuple[J, bool]],
          running: dict[Future[Any], _Flight[J]], workers: int, timeout: float) -> None:
    """Submit jobs up to the limit: one at a time while a suspect is pending or running."""
    while True:
        solo = any(f.suspect for f in running.values()) or any(s for _, s in retry)
        if len(running) >= (1 if solo else workers):
            return
        if retry:
            job, suspect = retry.popleft()
        else:
            try:
                job, suspect = next(queue), False
            except StopIteration:
                return
        running[pool.submit(work, job)] = _Flight(job, time.monotonic() + timeout, suspect)
