"""One run at a time on a warehouse: an OS file lock beside it, with the owner's pid written inside.

The lock is released by the operating system when its owner ends, even when killed, so a stale lock file
never blocks the next run: the next run takes the lock and says whose run had died.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import time
from collections.abc import Iterable
from contextlib import ExitStack, contextmanager
from pathlib import Path

POLL_SECONDS = 0.5


class WarehouseBusy(Exception):
    pass


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


@contextmanager
def warehouse_lock(warehouse: Path, wait_seconds: float = 0, notice=lambda message: None):
    """Hold the warehouse's lock for the duration of the block; wait up to `wait_seconds` for it."""
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"another run holds {warehouse} ({_owner(fd) or 'owner unknown'}); "
                        "wait for it to finish, or pass --wait SECONDS"
                    ) from None
                time.sleep(POLL_SECONDS)
        previous = _owner(fd)
        if previous:
            notice(f"recovered a stale lock left by {previous}")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {dt.datetime.now():%Y-%m-%d %H:%M:%S}".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _owner(fd: int) -> str:
    return os.pread(fd, 200, 0).decode(errors="replace").strip()


@contextmanager
def warehouse_locks(warehouses: Iterable[Path], wait_seconds: float = 0, notice=lambda message: None):
    """Hold the locks of several paths (a warehouse and the output folder's), always taken in the same order so
    that two runs waiting for each other's lock cannot block each other for good."""
    with ExitStack() as held:
        for warehouse in sorted(set(warehouses), key=lock_path):
            held.enter_context(warehouse_lock(warehouse, wait_seconds, notice))
        yield
