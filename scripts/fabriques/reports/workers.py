"""The reports' work that parallelises (the charts of each year, the site sheets, the PDFs), spread over worker
processes.

One pool per rendering, one worker per core at most (FABRIQUES_REPORT_WORKERS sets another number; 1 renders in
the process itself). Workers are started with `spawn`: the parent holds a DuckDB connection and its threads,
which a forked child must not inherit. A task is a module-level function and picklable arguments; the files it
writes are the same whichever process writes them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from multiprocessing import get_context
from typing import TypeVar

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
        return list(self._started().map(function, items))

    def submit(self, function: Callable[[T], R], items: Iterable[T]) -> list[Future]:
        """Start `function` on each item and return at once (in the process itself, it has run when this returns):
        the caller goes on with other work and collects the results with `wait`."""
        if self.count <= 1:
            return [_completed(function, item) for item in items]
        return [self._started().submit(function, item) for item in items]

    @staticmethod
    def wait(futures: Iterable[Future]) -> list:
        return [future.result() for future in futures]

    def _started(self) -> Executor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.count, mp_context=get_context("spawn"))
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _completed(function: Callable[[T], R], item: T) -> Future:
    future: Future = Future()
    try:
        future.set_result(function(item))
    except Exception as error:  # raised by `wait`, as from a worker
        future.set_exception(error)
    return future
