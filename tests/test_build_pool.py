"""The extraction pool: one job that hangs or kills its worker costs only itself."""

from __future__ import annotations

import importlib
import os
import signal
import time

from pipeline.build.pool import PRELOAD, run_jobs


def work(job: str) -> str:
    if job == "hang":   # stuck where the worker's own alarm cannot reach it
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(60)
    if job == "crash":
        os._exit(1)
    return f"done {job}"


def failed(job: str, reason: str) -> str:
    return f"{job} {reason}"


def test_the_forkserver_preloads_modules_that_exist() -> None:
    """A preload that fails to import is skipped without a word, and every worker then
    imports the pipeline itself (pipeline.filework, moved by issue 11, was)."""
    assert PRELOAD and all(importlib.import_module(name) for name in PRELOAD)


def test_every_job_gives_one_result_on_several_workers() -> None:
    jobs = [str(n) for n in range(7)]
    assert sorted(run_jobs(work, jobs, workers=2, timeout=30, on_failure=failed)) == sorted(f"done {j}" for j in jobs)


def test_a_hanging_job_is_killed_and_the_others_finish() -> None:
    results = list(run_jobs(work, ["a", "hang", "b", "c"], workers=2, timeout=2, on_failure=failed))
    assert sorted(results) == ["done a", "done b", "done c", "hang timeout: no result after 2 s"]


def test_a_job_that_kills_its_worker_is_found_and_the_others_finish() -> None:
    results = list(run_jobs(work, ["a", "b", "crash", "c", "d"], workers=2, timeout=30, on_failure=failed))
    assert sorted(results) == ["crash crash: the worker process died", "done a", "done b", "done c", "done d"]
