"""Ingestion: campaign folders in, checked rows into the warehouse's raw schema, nothing lost."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fabriques.ingest.campaign import CheckedCampaign, check_campaign

if TYPE_CHECKING:  # the checks (`fabriques check`) read campaigns without opening a warehouse
    import duckdb


class MissingYear(Exception):
    pass


class MissingRegistry(Exception):
    pass


class UnusableCampaign(Exception):
    """A campaign whose registry yields no usable site: nothing of it could count. It is not loaded; `campaign`
    keeps what was found, so that its quarantine and manifest can still be written for the sender."""

    def __init__(self, message: str, campaign: CheckedCampaign, reporting_year: int):
        super().__init__(message)
        self.campaign = campaign
        self.reporting_year = reporting_year


FIRST_REASONS = 3
"""How many reasons a refusal names per file (the most frequent first)."""


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
        raise MissingRegistry(
            f"{campaign_dir}: no registry file (registry.csv or registry.xlsx): a campaign needs at least its registry"
        )
    year = campaign.reporting_year(default_year)
    if year is None:
        raise MissingYear(f"{campaign_dir}: no site report gives the reporting year; pass --year")
    if not campaign.rows["registry"]:
        raise UnusableCampaign(unusable_registry_message(campaign_dir, campaign), campaign, year)
    from fabriques.ingest.load import load_campaign

    load_campaign(con, campaign, year)
    return summarise(campaign, year)


def unusable_registry_message(campaign_dir: Path, campaign: CheckedCampaign) -> str:
    """`<campaign>/registry.xlsx: 0 of 42 rows usable: 42 × the header was not found …`, for each registry file,
    with its most frequent reasons."""
    lines = [f"{campaign_dir}: the registry yields no usable site, so nothing of this campaign can count:"]
    for source in campaign.sources:
        if source.table_name != "registry":
            continue
        findings = [f for f in campaign.quarantined if f.source_file == source.source_file]
        reasons = Counter(f.reason_code for f in findings)
        first = {}
        for finding in findings:
            first.setdefault(finding.reason_code, finding)
        described = "; ".join(
            f"{count} × {first[code].message('en')}" for code, count in reasons.most_common(FIRST_REASONS)
        )
        if not described:
            described = "the file holds no row below its header" if source.status == "empty" else source.message
        lines.append(f"  {source.source_file}: 0 of {source.rows_read} rows usable: {described}")
    return "\n".join(lines)


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
