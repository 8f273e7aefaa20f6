"""What a run refused before the build leaves for its user: the quarantine and the manifest of the campaign that
stopped it, in `OUT_DIR/failed-run/`, beside the published outputs (which stay the last good ones).

They are written by the same code as the published ones, from an in-memory warehouse holding only that campaign.
A later run that publishes removes the folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from fabriques import export
from fabriques.ingest import UnusableCampaign
from fabriques.ingest.load import load_campaign

FAILED_RUN_DIR = "failed-run"


def write_failed_run(out_dir: Path, refusal: UnusableCampaign) -> Path:
    """Write quarantine.csv and manifest.csv of the refused campaign into OUT_DIR/failed-run/; return it."""
    folder = out_dir / FAILED_RUN_DIR
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with duckdb.connect() as con:
        load_campaign(con, refusal.campaign, refusal.reporting_year)
        export.export_quarantine(con, folder / "quarantine.csv")
        export.export_manifest(con, folder / "manifest.csv")
    return folder


def remove_failed_run(out_dir: Path) -> None:
    """A run that publishes leaves no report of an earlier refusal."""
    shutil.rmtree(out_dir / FAILED_RUN_DIR, ignore_errors=True)
