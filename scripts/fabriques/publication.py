"""Publish a run's outputs in one step: each run writes a release folder, one symlink names the current one.

    OUT_DIR/
      .releases/<run id>/        a published run: indicators.csv, quarantine.csv, data_quality.csv, data_docs/,
                                 reports/, and warehouse.duckdb when the warehouse lives in OUT_DIR
      .releases/previous         -> <run id> of the release before the current one (kept: readers may hold it)
      current                    -> .releases/<run id>: the switch, replaced by one atomic rename
      indicators.csv, ...        -> current/indicators.csv, ...: the contract's paths, links that never change
      run_history.jsonl, warehouse.duckdb.lock   plain files, in no release

A release folder appears whole (one rename of the run's staged folder), then `current` is swapped by renaming a
new symlink onto it: a reader opening OUT_DIR/indicators.csv, or any other published name, finds the previous
run's file or the new run's, never a mix, and a run killed at any point leaves the last good release in place.
Only the process dying is covered: the files are not flushed to disk against a power cut.

Every run publishing into OUT_DIR holds OUT_DIR's lock (fabriques.locking), so what a killed run left (its
`.run-<pid>` work folder, a release it never switched to, a temporary link) is removed by the next one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

RELEASES_DIR = ".releases"
CURRENT = "current"
PREVIOUS = "previous"
ADOPTED = "adopted"
"""Release that holds the outputs of an OUT_DIR written before releases existed (plain files and folders)."""
WORK_PREFIX = ".run-"
LINK_SUFFIX = ".link-"


def releases_dir(out_dir: Path) -> Path:
    return out_dir / RELEASES_DIR


def current_release(out_dir: Path) -> Path | None:
    """The folder `current` names, if any."""
    return _target(out_dir / CURRENT, out_dir)


def previous_release(out_dir: Path) -> Path | None:
    return _target(releases_dir(out_dir) / PREVIOUS, releases_dir(out_dir))


def publish_release(out_dir: Path, staged: Path, release_name: str) -> Path:
    """Make `staged` (a folder holding the published names) the current release of `out_dir`, in one step."""
    releases = releases_dir(out_dir)
    releases.mkdir(parents=True, exist_ok=True)
    release = _free_name(releases, release_name)
    os.rename(staged, release)  # 1. the release, whole, not yet published
    names = sorted(entry.name for entry in release.iterdir())
    adopt_plain_outputs(out_dir, names)
    for name in names:  # 2. the published names: links into `current`, made once
        _link(out_dir / name, f"{CURRENT}/{name}")
    before = current_release(out_dir)
    if before is not None:  # 3. remember the release before
        _link(releases / PREVIOUS, before.name)
    _link(out_dir / CURRENT, f"{RELEASES_DIR}/{release.name}")  # 4. the switch
    _drop_dangling_links(out_dir)  # 5. a name the new release does not have (a warehouse moved out of OUT_DIR)
    prune_releases(out_dir)  # 6. releases that are neither current nor previous
    return release


def adopt_plain_outputs(out_dir: Path, names: list[str]) -> None:
    """Outputs of an OUT_DIR written before releases existed (plain files and folders) become its first release,
    `adopted`, so that the next switch is one step like every other. A file is replaced by its link in one
    rename (its content stays readable throughout); a folder is moved, then linked: a run killed between the two
    leaves that one name missing until the next run. Safe to repeat after a kill at any point."""
    plain = [name for name in names if (out_dir / name).exists() and not (out_dir / name).is_symlink()]
    current = current_release(out_dir)
    if not plain or (current is not None and current.name != ADOPTED):
        return
    adopted = releases_dir(out_dir) / ADOPTED
    adopted.mkdir(parents=True, exist_ok=True)
    _link(out_dir / CURRENT, f"{RELEASES_DIR}/{ADOPTED}")
    for name in plain:
        if (out_dir / name).is_dir():
            os.rename(out_dir / name, adopted / name)
        elif not (adopted / name).exists():
            os.link(out_dir / name, adopted / name)
        _link(out_dir / name, f"{CURRENT}/{name}")


def clean_leftovers(out_dir: Path) -> list[str]:
    """Remove what a killed run left in `out_dir`; return what was removed. Call it holding OUT_DIR's lock."""
    removed = []
    if not out_dir.is_dir():
        return removed
    for entry in sorted(out_dir.iterdir()):
        if entry.name.startswith(WORK_PREFIX) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
        elif entry.name.startswith(".") and LINK_SUFFIX in entry.name and entry.is_symlink():
            entry.unlink()
            removed.append(entry.name)
    return removed + prune_releases(out_dir)


def prune_releases(out_dir: Path) -> list[str]:
    """Delete every release but the current and the previous one; return the names deleted."""
    releases = releases_dir(out_dir)
    if not releases.is_dir():
        return []
    keep = {release.name for release in (current_release(out_dir), previous_release(out_dir)) if release}
    removed = []
    for entry in sorted(releases.iterdir()):
        if entry.name == PREVIOUS or entry.name in keep:
            continue
        if entry.is_symlink() or entry.is_file():
            entry.unlink()
        else:
            shutil.rmtree(entry, ignore_errors=True)
        removed.append(f"{RELEASES_DIR}/{entry.name}")
    previous = releases / PREVIOUS
    if previous.is_symlink() and not previous.exists():
        previous.unlink()
    return removed


def replace_file(source: Path, destination: Path) -> None:
    """Put `source` at `destination` by one atomic rename (copied beside it first when on another disk)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    staged = destination.with_name(f".{destination.name}.{os.getpid()}")
    shutil.move(source, staged)
    os.replace(staged, destination)


def clean_staged_copies(destination: Path) -> list[str]:
    """Remove the copies `replace_file` staged beside `destination` in runs that were killed."""
    removed = []
    if destination.parent.is_dir():
        for entry in destination.parent.glob(f".{destination.name}.*"):
            if entry.name.rsplit(".", 1)[-1].isdigit() and entry.is_file() and not entry.is_symlink():
                entry.unlink()
                removed.append(str(entry))
    return removed


def _link(path: Path, target: str) -> None:
    """Make `path` a symlink to `target` by one atomic rename (whatever was at `path` is replaced)."""
    if path.is_symlink() and os.readlink(path) == target:
        return
    temporary = path.with_name(f".{path.name}{LINK_SUFFIX}{os.getpid()}")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(target, temporary)
    if path.is_dir() and not path.is_symlink():  # a plain folder where a link belongs: set it aside first
        aside = _free_name(path.parent, f".{path.name}.replaced")
        os.rename(path, aside)
        os.replace(temporary, path)
        shutil.rmtree(aside, ignore_errors=True)
        return
    os.replace(temporary, path)


def _target(link: Path, base: Path) -> Path | None:
    if not link.is_symlink():
        return None
    target = base / os.readlink(link)
    return target if target.is_dir() else None


def _free_name(folder: Path, name: str) -> Path:
    candidate, number = folder / name, 1
    while candidate.exists() or candidate.is_symlink():
        number += 1
        candidate = folder / f"{name}.{number}"
    return candidate


def _drop_dangling_links(out_dir: Path) -> None:
    for entry in out_dir.iterdir():
        if entry.is_symlink() and os.readlink(entry).startswith(f"{CURRENT}/") and not entry.exists():
            entry.unlink()
