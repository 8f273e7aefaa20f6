"""Paths and settings, in one place."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(os.environ.get("FABRIQUES_PROJECT_DIR", Path(__file__).resolve().parents[2]))
"""The repository root: the dbt project, seeds and vendored reference data live there."""
SEEDS_DIR = PROJECT_DIR / "seeds"
REFERENCE_DIR = PROJECT_DIR / "data" / "reference"
EXPECTATIONS_DIR = PROJECT_DIR / "expectations"
REPORT_TEMPLATES_DIR = PROJECT_DIR / "reports" / "templates"
REPORT_STATIC_DIR = PROJECT_DIR / "reports" / "static"
LOCALES_DIR = PROJECT_DIR / "reports" / "locales"

WAREHOUSE_FILE_NAME = "warehouse.duckdb"

MAX_INPUT_FILE_BYTES = int(os.environ.get("FABRIQUES_MAX_INPUT_FILE_BYTES", 512 * 1024 * 1024))
"""A campaign file larger than this is quarantined whole instead of read."""
