"""Build hook: the wheel carries what the package reads at run time beside its code, under `fabriques/_project/`
(the dbt project, seeds, reference data, expectation suites, report templates, styles and catalogues), so an
installed `fabriques` runs outside the repository (fabriques.settings finds them with importlib.resources).
The configuration itself is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
PROJECT_DATA = (
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds",
    "programmes",
    "tests/dbt",
    "data/reference",
    "expectations",
    "reports/templates",
    "reports/static",
    "reports/locales",
)
"""What the package reads at run time, relative to the repository root (fabriques.settings names each)."""


class BuildPyWithProject(build_py):
    def run(self):
        # build/lib is kept between builds: start from an empty package so that no removed file is packed
        shutil.rmtree(Path(self.build_lib) / "fabriques", ignore_errors=True)
        super().run()
        target = Path(self.build_lib) / "fabriques" / "_project"
        for name in PROJECT_DATA:
            source, destination = ROOT / name, target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, destination, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy2(source, destination)


setup(cmdclass={"build_py": BuildPyWithProject})
