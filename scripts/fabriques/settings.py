"""Paths and settings, in one place."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

PACKAGED_PROJECT = files("fabriques") / "_project"
"""Where an installed package (`pip install .`) carries the dbt project, seeds, reference data, suites, templates
and catalogues (setup.py copies them there); a source checkout reads them from the repository root."""
IS_INSTALLED = isinstance(PACKAGED_PROJECT, Path) and PACKAGED_PROJECT.is_dir()
PROJECT_DIR = Path(
    os.environ.get("FABRIQUES_PROJECT_DIR")
    or (PACKAGED_PROJECT if IS_INSTALLED else Path(__file__).resolve().parents[2])
)
"""The dbt project and the data files beside it: the repository root, or the installed package's copy."""
SEEDS_DIR = PROJECT_DIR / "seeds"
REFERENCE_DIR = PROJECT_DIR / "data" / "reference"
EXPECTATIONS_DIR = PROJECT_DIR / "expectations"
REPORT_TEMPLATES_DIR = PROJECT_DIR / "reports" / "templates"
REPORT_STATIC_DIR = PROJECT_DIR / "reports" / "static"
LOCALES_DIR = PROJECT_DIR / "reports" / "locales"

WAREHOUSE_FILE_NAME = "warehouse.duckdb"

MAX_INPUT_FILE_BYTES = int(os.environ.get("FABRIQUES_MAX_INPUT_FILE_BYTES", 512 * 1024 * 1024))
"""A campaign file larger than this is quarantined whole instead of read."""
