"""`fabriques check`: what the ingestion would set aside in a file, a site's workbook or a campaign folder, found by
the ingestion itself (`ingest.campaign.check_files`) without opening a warehouse, with the cell at fault.

A file checked alone is checked against every rule that needs nothing else; given a registry (a file, or the
root files of a campaign), the rules across files apply too: unknown site, unknown grant, a payment above its
grant. Nothing is written into the checked folder.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath

from fabriques import programme
from fabriques.contract import SITE_REPORT_TABLES, canonical_id
from fabriques.fixes import NOTHING_TO_SEND, fix_rows
from fabriques.ingest.campaign import CheckedCampaign, check_files
from fabriques.ingest.discover import CampaignFile, NotACampaign, campaign_files
from fabriques.ingest.headers import site_named
from fabriques.ingest.reasons import Finding


class CannotCheck(Exception):
    """What was given cannot be read as a report: a path that does not exist, a file that cannot be opened, a
    registry that cannot be read."""


@dataclass(frozen=True)
class SetAside:
    """One row (or file) the ingestion would set aside, as the site finds it in its spreadsheet."""

    file: str
    sheet: str | None
    row: int | None
    cell: str | None
    """`activities!C7`: where the value at fault is (the row alone, `activities!7`, when no column is at fault)."""
    table: str | None
    column: str | None
    value: str | None
    reason_code: str
    message: str
    remedy: str
    to_fix: bool
    """False for a row that asks nothing of the site: an exact copy counted once, a total row."""
    site_id: str | None

    def as_json(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class CheckResult:
    path: Path
    campaign: CheckedCampaign
    checked_files: set[str]
    """The names (as in each finding's file) of the files checked, not those given as reference."""
    registry_checked: bool
    lang: str

    def _checked(self, source_file: str) -> bool:
        """Whether a finding's file is one of those checked (or a member of a zip archive checked)."""
        file = source_file.split("#", 1)[0]
        return file in self.checked_files or any(file.startswith(f"{name}/") for name in self.checked_files)

    @property
    def rows_read(self) -> int:
        return sum(s.rows_read for s in self.campaign.sources if self._checked(s.source_file))

    def set_aside(self) -> list[SetAside]:
        """Every row or file of the checked files that would be set aside, by file, sheet and row."""
        return self._set_aside

    @cached_property
    def _set_aside(self) -> list[SetAside]:
        findings = [f for f in self.campaign.quarantined if self._checked(f.source_file)]
        return _located(self.campaign, findings, self.lang)

    def warnings(self) -> list[SetAside]:
        """Rows that would load with a value left empty (a malformed optional value, such as a SIRET)."""
        return _located(self.campaign, [f for f in self.campaign.flags if self._checked(f.source_file)], self.lang)

    @property
    def loads_whole(self) -> bool:
        return not any(row.to_fix for row in self.set_aside())


def check_path(
    path: Path, registry: Path | None = None, campaign_dir: Path | None = None, lang: str = "fr"
) -> CheckResult:
    """Check PATH (a file, a site's workbook or a campaign folder), against `registry` or the registry, grants and
    payments at the root of `campaign_dir` when given."""
    if not path.exists():
        raise CannotCheck(f"{path}: no such file or folder")
    if path.is_dir():
        try:
            files = [(file, path.resolve()) for file in campaign_files(path)]
        except NotACampaign as error:
            raise CannotCheck(str(error)) from None
    else:
        files = [(CampaignFile(path, path.name, True), path.resolve().parent)]
    checked = {file.relative for file, _root in files}
    references = _reference_files(registry, campaign_dir)
    clash = checked & {file.relative for file, _root in references}
    if clash:
        raise CannotCheck(f"{', '.join(sorted(clash))}: both checked and given as reference; give it once")
    campaign = check_files(path.resolve().name, path.resolve(), files + references, parents_optional=True)
    _refuse_unreadable(campaign, path, checked, {file.relative for file, _root in references})
    registry_checked = any(s.table_name == "registry" and s.rows_read for s in campaign.sources)
    return CheckResult(path, campaign, checked, registry_checked, lang)


def _reference_files(registry: Path | None, campaign_dir: Path | None) -> list[tuple[CampaignFile, Path]]:
    """The registry given, or the files at the root of the campaign given (registry, grants, payments)."""
    references = []
    if registry is not None:
        if not registry.is_file():
            raise CannotCheck(f"{registry}: no such registry file")
        references.append((CampaignFile(registry, registry.name, False), registry.resolve().parent))
    if campaign_dir is not None:
        try:
            root_files = [file for file in campaign_files(campaign_dir) if not file.in_reports]
        except NotACampaign as error:
            raise CannotCheck(str(error)) from None
        references += [(file, campaign_dir.resolve()) for file in root_files]
    return references


def _refuse_unreadable(campaign: CheckedCampaign, path: Path, checked: set[str], references: set[str]) -> None:
    """A single file that cannot be opened, or a reference file that cannot be read, is no check at all."""
    for finding in campaign.quarantined:
        if finding.source_row is not None or "#" in finding.source_file:
            continue
        is_reference = finding.source_file in references
        if is_reference or (not path.is_dir() and finding.source_file in checked):
            what = "the reference file" if is_reference else "the file"
            raise CannotCheck(f"{finding.source_file}: {what} cannot be read: {finding.message('en')}")


def _located(campaign: CheckedCampaign, findings: list[Finding], lang: str) -> list[SetAside]:
    columns = {source.source_file: source.columns for source in campaign.sources}
    views = fix_rows([_fix_row(campaign, finding) for finding in findings], _code_labels(), lang)
    located = []
    for finding, view in zip(findings, views, strict=True):
        file, _, sheet = finding.source_file.partition("#")
        column = (view.get("column") or "").split(", ")[0] or finding.column_name
        positions = columns.get(finding.source_file, {})
        position = positions.get(column, positions.get(finding.column_name or ""))
        located.append(
            SetAside(
                file=file,
                sheet=sheet or None,
                row=finding.source_row,
                cell=cell_reference(sheet or PurePosixPath(file).stem, finding.source_row, position),
                table=finding.table_name,
                column=view.get("column") or finding.column_name,
                value=view.get("value"),
                reason_code=finding.reason_code,
                message=view["message"],
                remedy=view["remedy"],
                to_fix=finding.reason_code not in NOTHING_TO_SEND,
                site_id=site_named(finding.original_values),
            )
        )
    return sorted(located, key=lambda r: (r.file, r.sheet or "", r.row or 0, r.cell or ""))


def _fix_row(campaign: CheckedCampaign, finding: Finding) -> dict:
    """A finding as the site sheets read a quarantined row (fabriques.fixes)."""
    return {
        "campaign_name": campaign.name,
        "source_file": finding.source_file,
        "source_row": finding.source_row,
        "table_name": finding.table_name,
        "column_name": finding.column_name,
        "reason_code": finding.reason_code,
        "message": finding.message("fr"),
        "message_en": finding.message("en"),
        "message_arguments": finding.message_arguments(),
        "original_values": finding.original_values,
    }


def _code_labels() -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for row in programme.current().tables["code_lists.csv"]:
        labels[row["domain"]][row["code"]] = row["label"]
    return labels


def cell_reference(sheet: str, row: int | None, position: int | None) -> str | None:
    """`activities!C7`, `'Feuil 1'!C7`; `activities!7` for a row without a column at fault; None for a file. A
    text file's sheet is its name without extension, as a spreadsheet opens it."""
    if row is None:
        return None
    quoted = sheet if sheet.replace("_", "").isalnum() else "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}!{'' if position is None else column_letter(position)}{row}"


def column_letter(position: int) -> str:
    """The spreadsheet's name of the column at `position` (0 is A, 26 is AA)."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


# ---- the administration's summary: every site of the registry and where it stands -----------------------------

READY, TO_FIX, MISSING, NOT_IN_REGISTRY = "ready", "to_fix", "missing", "not_in_registry"


def site_summary(result: CheckResult) -> list[dict]:
    """Per site of the registry: its status (ready, to fix, missing), the rows to fix, the report rows that would
    load and the files that hold its rows; then the site ids of rows that name no site of the registry."""
    campaign = result.campaign
    if not result.registry_checked:
        raise CannotCheck(f"{result.path}: no registry: the summary lists the sites of a registry (give a campaign)")
    names: dict[str, str] = {}
    for row in campaign.rows["registry"]:
        names[canonical_id(row.values["site_id"])] = str(row.values["site_name"])
    for finding in campaign.quarantined:
        if finding.table_name == "registry" and (site := site_named(finding.original_values)):
            names.setdefault(site, json.loads(finding.original_values).get("site_name", "") or "")
    loaded: dict[str, int] = defaultdict(int)
    files: dict[str, set[str]] = defaultdict(set)
    for table in SITE_REPORT_TABLES:
        for row in campaign.rows[table]:
            site = canonical_id(row.values["site_id"])
            loaded[site] += 1
            files[site].add(row.source_file.split("#", 1)[0])
    to_fix: dict[str, int] = defaultdict(int)
    reported: set[str] = set()
    for row in result.set_aside():
        site = canonical_id(row.site_id) if row.site_id else None
        if site is None:
            continue
        if row.table in SITE_REPORT_TABLES:
            reported.add(site)
            files[site].add(row.file)
        to_fix[site] += row.to_fix
    sites = []
    for site in sorted(set(names) | set(to_fix) | set(loaded)):
        if site not in names:
            status = NOT_IN_REGISTRY
        elif to_fix[site]:
            status = TO_FIX
        elif loaded[site] or site in reported:
            status = READY
        else:
            status = MISSING
        sites.append(
            {
                "site_id": site,
                "site_name": names.get(site, ""),
                "status": status,
                "rows_to_fix": to_fix[site],
                "rows_loaded": loaded[site],
                "files": sorted(files[site]),
            }
        )
    return sites
