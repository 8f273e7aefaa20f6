"""`pip install .` into a fresh virtual environment, outside the repository, gives a `fabriques` that runs the
demo: the dbt project, seeds, reference data, suites, templates and catalogues travel in the package
(fabriques/_project, found through importlib.resources) and nothing is read from the checkout."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
DEMO_YEAR = "2024"


def run(command: list[str], cwd: Path, timeout: int) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "FABRIQUES_PROJECT_DIR")}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, (command, result.stdout[-3000:], result.stderr[-3000:])
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment holding the locked dependencies and the package built from the repository."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    run([sys.executable, "-m", "venv", str(venv)], venv.parent, 300)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run([*pip, "-r", str(REPOSITORY / "requirements.lock"), str(REPOSITORY)], venv.parent, 1200)
    return venv


def test_the_installed_package_reads_its_own_copy_of_the_project(installed):
    python = str(installed / "bin" / "python")
    found = run(
        [python, "-c", "import fabriques.settings as s; print(s.PROJECT_DIR); print(s.IS_INSTALLED)"],
        installed.parent,
        120,
    ).stdout.split()
    assert Path(found[0]).is_relative_to(installed) and found[1] == "True"
    assert not Path(found[0]).is_relative_to(REPOSITORY)
    version = run([str(installed / "bin" / "fabriques"), "--version"], installed.parent, 120).stdout
    assert version.startswith("fabriques 0.1.0 (dbt-core 1.11.")


def test_the_installed_package_runs_the_demo_outside_the_repository(installed, tmp_path):
    python, fabriques = str(installed / "bin" / "python"), str(installed / "bin" / "fabriques")
    # -P: the generator's folder (the checkout's scripts/) is not put on the path: it imports the installed package
    run(
        [python, "-P", str(REPOSITORY / "scripts" / "generate_demo.py"), "--out", str(tmp_path / "demo")], tmp_path, 600
    )
    campaigns = sorted(str(p) for p in (tmp_path / "demo").glob("campaign-*"))
    assert campaigns
    result = run([fabriques, "run", *campaigns, "--year", DEMO_YEAR, "--out", str(tmp_path / "out")], tmp_path, 1200)
    assert "published in" in result.stdout
    indicators = (tmp_path / "out" / "indicators.csv").read_text(encoding="utf-8").splitlines()
    assert indicators[0].startswith("indicator_code,year,scope_type,scope_code,value") and len(indicators) > 1000
    assert (tmp_path / "out" / "reports" / "index.html").is_file()
    assert list((tmp_path / "out" / "reports" / "annual" / DEMO_YEAR).glob("report.*.pdf"))
    package = installed / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    assert not (package / "fabriques" / "_project" / "logs").exists()
