"""Publication in one step (fabriques.publication): the process is stopped before each filesystem operation of a
publication in turn, and at every such point readers find the previous outputs or the new ones, never a mix;
the next run cleans what was left and publishes."""

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from fabriques import publication
from fabriques.cli import main
from fabriques.run import RunPaths, publish

NAMES = (
    "indicators.csv",
    "quarantine.csv",
    "data_quality.csv",
    "datapackage.json",
    "data_docs",
    "reports",
    "warehouse.duckdb",
)
STEPS = ("rename", "replace", "symlink", "link", "unlink", "rmdir", "mkdir")
"""The os functions by which publication changes the filesystem (shutil's use them too)."""


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no `except Exception` catches it."""


def staged_release(folder, tag):
    """A folder holding every published name, each file saying which run wrote it."""
    for name in NAMES:
        if "." in name:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(f"{name} of {tag}")
        else:
            (folder / name / "sub").mkdir(parents=True)
            (folder / name / "index.html").write_text(f"{name} of {tag}")
            (folder / name / "sub" / "page.html").write_text(f"page of {tag}")
    return folder


def view(out):
    """What a reader of OUT_DIR finds under each published name (None when the name is missing)."""
    found = {}
    for name in NAMES:
        path = out / name
        if path.is_dir():
            found[name] = {str(p.relative_to(path)): p.read_text() for p in sorted(path.rglob("*")) if p.is_file()}
        else:
            found[name] = path.read_text() if path.exists() else None
    return found


def expected_view(tag):
    files = {}
    for name in NAMES:
        files[name] = (
            f"{name} of {tag}" if "." in name else {"index.html": f"{name} of {tag}", "sub/page.html": f"page of {tag}"}
        )
    return files


def publish_tag(out, tmp_path, tag):
    return publication.publish_release(out, staged_release(tmp_path / f"staged-{tag}", tag), f"run-{tag}")


def count_steps(monkeypatch, action):
    """Run `action` counting the filesystem operations it makes."""
    calls = []
    for name in STEPS:
        original = getattr(os, name)

        def counted(*args, _original=original, **kwargs):
            calls.append(1)
            return _original(*args, **kwargs)

        monkeypatch.setattr(os, name, counted)
    action()
    monkeypatch.undo()
    return len(calls)


def kill_at(monkeypatch, step, action):
    """Run `action`, stopping it just before its `step`-th filesystem operation."""
    calls = []
    for name in STEPS:
        original = getattr(os, name)

        def stopping(*args, _original=original, **kwargs):
            calls.append(1)
            if len(calls) == step:
                raise Killed
            return _original(*args, **kwargs)

        monkeypatch.setattr(os, name, stopping)
    with pytest.raises(Killed):
        action()
    monkeypatch.undo()


def assert_clean(out, current_tag):
    entries = sorted(p.name for p in publication.releases_dir(out).iterdir())
    assert entries == sorted(
        [f"run-{current_tag}", publication.PREVIOUS, os.readlink(publication.releases_dir(out) / publication.PREVIOUS)]
    )
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name != publication.RELEASES_DIR]


def test_every_name_is_a_link_into_the_current_release(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    publish_tag(out, tmp_path, "a")
    publish_tag(out, tmp_path, "b")
    assert view(out) == expected_view("b")
    assert os.readlink(out / "current") == ".releases/run-b"
    assert all(os.readlink(out / name) == f"current/{name}" for name in NAMES)
    assert os.readlink(publication.releases_dir(out) / publication.PREVIOUS) == "run-a"


def test_a_publication_stopped_before_any_of_its_steps_leaves_the_previous_or_the_new_outputs(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    publish_tag(out, tmp_path, "a")
    publish_tag(out, tmp_path, "b")  # a release to prune: the pruning steps are stopped too
    trial = shutil.copytree(out, tmp_path / "trial" / "out", symlinks=True)
    staged = staged_release(tmp_path / "trial" / "staged", "new")
    steps = count_steps(monkeypatch, lambda: publication.publish_release(trial, staged, "run-new"))
    assert steps >= 5
    for step in range(1, steps + 1):
        folder = tmp_path / f"kill-{step}"
        copy = shutil.copytree(out, folder / "out", symlinks=True)
        staged = staged_release(folder / "staged", "new")
        kill_at(
            monkeypatch, step, lambda copy=copy, staged=staged: publication.publish_release(copy, staged, "run-new")
        )
        assert view(copy) in (expected_view("b"), expected_view("new")), f"stopped before step {step}"
        publication.clean_leftovers(copy)
        publish_tag(copy, folder / "next", "next")
        assert view(copy) == expected_view("next"), f"next run after step {step}"
        assert_clean(copy, "next")


def test_outputs_of_an_earlier_layout_are_adopted_and_a_stopped_adoption_is_finished_by_the_next_run(
    tmp_path, monkeypatch
):
    legacy = staged_release(tmp_path / "legacy", "old")
    trial = shutil.copytree(legacy, tmp_path / "trial" / "out")
    staged = staged_release(tmp_path / "trial" / "staged", "new")
    steps = count_steps(monkeypatch, lambda: publication.publish_release(trial, staged, "run-new"))
    assert view(trial) == expected_view("new") and (trial / ".releases" / "adopted" / "indicators.csv").exists()
    for step in range(1, steps + 1):
        out = shutil.copytree(legacy, tmp_path / f"kill-{step}" / "out")
        staged = staged_release(out.parent / "staged", "new")
        kill_at(monkeypatch, step, lambda out=out, staged=staged: publication.publish_release(out, staged, "run-new"))
        found = view(out)
        for name in NAMES:  # a file is old or new; a folder may be missing between its move and its link
            assert found[name] in (expected_view("old")[name], expected_view("new")[name]) or (
                found[name] is None and "." not in name
            ), (step, name)
        publication.clean_leftovers(out)
        publish_tag(out, out.parent / "next", "next")
        assert view(out) == expected_view("next"), f"next run after step {step}"


def test_leftovers_of_a_killed_run_are_removed_by_the_next(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    publish_tag(out, tmp_path, "a")
    (out / ".run-999999" / "outputs").mkdir(parents=True)
    os.rename(staged_release(tmp_path / "half", "half"), publication.releases_dir(out) / "run-half")
    os.symlink("current/indicators.csv", out / ".indicators.csv.link-999999")
    removed = publication.clean_leftovers(out)
    assert sorted(removed) == [".indicators.csv.link-999999", ".releases/run-half", ".run-999999"]
    assert view(out) == expected_view("a")


def test_a_warehouse_outside_out_dir_is_replaced_before_the_outputs_switch(tmp_path, monkeypatch):
    """The documented order: a run killed between the two leaves the new warehouse with the previous outputs,
    never published outputs computed from a warehouse that is not in place."""
    out, warehouse = tmp_path / "out", tmp_path / "elsewhere" / "wh.duckdb"
    out.mkdir()
    warehouse.parent.mkdir()
    warehouse.write_text("warehouse of a")
    publish_tag(out, tmp_path, "a")
    paths = RunPaths(out, warehouse, out / ".run-1")
    staged_release(paths.staged_outputs, "b")
    (paths.staged_outputs / "warehouse.duckdb").unlink()
    paths.building_warehouse.write_text("warehouse of b")

    def killed(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(publication, "publish_release", killed)
    with pytest.raises(Killed):
        publish(paths, "run-b")
    assert warehouse.read_text() == "warehouse of b"
    assert (out / "indicators.csv").read_text() == "indicators.csv of a"
    monkeypatch.undo()
    (paths.building_warehouse).write_text("warehouse of c")
    publish(paths, "run-c")
    assert warehouse.read_text() == "warehouse of c"
    assert (out / "indicators.csv").read_text() == "indicators.csv of b"
    assert not (out / "warehouse.duckdb").is_symlink()  # the link of the earlier warehouse in OUT_DIR is gone
    assert publication.clean_staged_copies(warehouse) == []


HOLD_LOCK = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from fabriques.locking import warehouse_lock
    with warehouse_lock(Path(sys.argv[1])):
        print("locked", flush=True)
        time.sleep(60)
""")


def test_a_run_into_an_output_folder_in_use_exits_even_with_another_warehouse(tmp_path, capsys):
    from campaign_builder import small_campaign

    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(out / "warehouse.duckdb")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        folder = small_campaign().write(tmp_path / "c")
        code = main(
            [
                "run",
                str(folder),
                "--year",
                "2021",
                "--out",
                str(out),
                "--warehouse",
                str(tmp_path / "other" / "wh.duckdb"),
            ]
        )
        assert code == 3 and f"pid {holder.pid}" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("failure", ["build fails", "disk full"])
def test_a_run_that_fails_half_way_publishes_nothing_and_leaves_no_work_folder(tmp_path, monkeypatch, failure):
    from campaign_builder import small_campaign
    from fabriques.dbt_build import BuildResult
    from fabriques.history import read_records

    def dbt_build(*args, **kwargs):
        if failure == "disk full":
            raise OSError(28, "No space left on device")
        return BuildResult(False, failures=["model.fabriques.indicators: error"])

    monkeypatch.setattr("fabriques.run.dbt_build", dbt_build)
    out = tmp_path / "out"
    folder = small_campaign().write(tmp_path / "c")
    if failure == "disk full":
        with pytest.raises(OSError):
            main(["run", str(folder), "--year", "2021", "--out", str(out)])
    else:
        assert main(["run", str(folder), "--year", "2021", "--out", str(out)]) == 1
    assert sorted(p.name for p in out.iterdir()) == ["run_history.jsonl", "warehouse.duckdb.lock"]
    assert read_records(out)[-1].outcome == "failed"
