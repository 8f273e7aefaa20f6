"""The reports' work that parallelises (the charts of each year, the PDFs), spread over worker processes.

One pool per rendering, one worker per core at most (FABRIQUES_REPORT_WORKERS sets another number; 1 renders in
the process itself). Workers are started with `spawn`: the parent holds a DuckDB connection and its threads,
which a forked child must not inherit. A task is a module-level function and picklable arguments; the files it
writes are the same whichever process writes them.
"""
from __future__ import annotations

import os
from concurrent.futures import Executor, ProcessPoolExecutor
from multiprocessing import get_context
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def worker_count() -> int:
    configured = os.environ.get("FABRIQUES_REPORT_WORKERS", "")
    return max(1, int(configured)) if configured.strip() else (os.cpu_count() or 1)


class Workers:
    """`map` in worker processes, started on first use."""

    def __init__(self, count: int | None = None):
        self.count = count or worker_count()
        self._pool: Executor | None = None

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> list[R]:
        items = list(items)
        if self.count <= 1 or len(items) <= 1:
            return [function(item) for item in items]
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.count, mp_context=get_context("spawn"))
        return list(self._pool.map(function, items))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
