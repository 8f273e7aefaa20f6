"""Ingestion: campaign folders in, checked rows into the warehouse's raw schema, nothing lost."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from fabriques.ingest.campaign import CheckedCampaign, check_campaign
from fabriques.ingest.load import load_campaign


class MissingYear(Exception):
    pass


class MissingRegistry(Exception):
    pass


@dataclass
class IngestedCampaign:
    name: str
    reporting_year: int
    files: int
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    files_unreadable: int
    flags: int
    empty_tables: list[str]


def ingest(con: duckdb.DuckDBPyConnection, campaign_dir: Path, default_year: int | None) -> IngestedCampaign:
    """Check one campaign folder and replace its rows in the raw schema."""
    campaign = check_campaign(campaign_dir)
    if not any(source.table_name == "registry" for source in campaign.sources):
        raise MissingRegistry(f"{campaign_dir}: no registry file (registry.csv or registry.xlsx): "
                              "a campaign needs at least its registry")
    year = campaign.reporting_year(default_year)
    if year is None:
        raise MissingYear(f"{campaign_dir}: no site report gives the reporting year; pass --year")
    load_campaign(con, campaign, year)
    return summarise(campaign, year)


def summarise(campaign: CheckedCampaign, year: int) -> IngestedCampaign:
    loaded = campaign.rows_loaded_by_file()
    present = {s.table_name for s in campaign.sources if s.rows_read}
    return IngestedCampaign(
        name=campaign.name,
        reporting_year=year,
        files=len({s.source_file.split("#", 1)[0] for s in campaign.sources}),
        rows_read=sum(s.rows_read for s in campaign.sources),
        rows_loaded=sum(loaded.values()),
        rows_quarantined=sum(campaign.rows_quarantined_by_file().values()),
        files_unreadable=sum(1 for f in campaign.quarantined if f.source_row is None),
        flags=len(campaign.flags),
        empty_tables=[name for name in campaign.rows if name not in present],
    )
