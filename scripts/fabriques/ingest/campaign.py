"""Read and check one campaign folder: every file is read or quarantined, every row loaded or quarantined."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from fabriques import programme
from fabriques.contract import SITE_REPORT_TABLES, TABLES, TABLES_BY_NAME, Table, canonical_id
from fabriques.ingest import table_rules
from fabriques.ingest.archives import ArchiveProblem, campaign_members
from fabriques.ingest.communes import CommuneResolver
from fabriques.ingest.discover import (
    ARCHIVE_METADATA_FOLDER,
    ARCHIVE_SUFFIX,
    LOCK_FILE_PREFIX,
    TEXT_SUFFIXES,
    CampaignFile,
    campaign_files,
)
from fabriques.ingest.headers import (
    HeaderProblem,
    Sheet,
    locate_table,
    map_header,
    name_key,
    table_for_header,
    table_for_name,
)
from fabriques.ingest.readers import UnreadableFile, read_text_table
from fabriques.ingest.reasons import Finding
from fabriques.ingest.rows import Row, check_sheet, original_json
from fabriques.ingest.workbooks import WORKBOOK_SUFFIXES, read_workbook
from fabriques.settings import MAX_INPUT_FILE_BYTES


@dataclass
class SourceEntry:
    """One CSV file or XLSX sheet of the campaign, for the manifest."""

    source_file: str
    table_name: str | None
    sha256: str
    rows_read: int = 0
    status: str = "loaded"
    message: str = ""
    columns: dict[str, int] = field(default_factory=dict)
    """Contract column -> its position in the sheet (0 is column A): where a finding's cell is."""


@dataclass
class CheckedCampaign:
    name: str
    path: Path
    rows: dict[str, list[Row]] = field(default_factory=lambda: {t.name: [] for t in TABLES})
    quarantined: list[Finding] = field(default_factory=list)
    flags: list[Finding] = field(default_factory=list)
    sources: list[SourceEntry] = field(default_factory=list)

    def rows_loaded_by_file(self) -> Counter:
        return Counter(row.source_file for rows in self.rows.values() for row in rows)

    def rows_quarantined_by_file(self) -> Counter:
        return Counter(f.source_file for f in self.quarantined if f.source_row is not None)

    def reporting_year(self, default: int | None) -> int | None:
        """The year most of its report rows carry; else the run's --year."""
        years = Counter(row.values["year"] for name in SITE_REPORT_TABLES for row in self.rows[name])
        return years.most_common(1)[0][0] if years else default


def check_campaign(campaign_dir: Path, resolver: CommuneResolver | None = None) -> CheckedCampaign:
    root = campaign_dir.resolve()
    return check_files(root.name, root, [(file, root) for file in campaign_files(campaign_dir)], resolver)


def check_files(
    name: str,
    path: Path,
    files: list[tuple[CampaignFile, Path]],
    resolver: CommuneResolver | None = None,
    parents_optional: bool = False,
) -> CheckedCampaign:
    """Read and check files as one campaign: each (file, the folder it must lie in). With `parents_optional` (a
    site's report checked without its registry: `fabriques check`), the rules that refer to the registry or the
    grants apply only when such a file is among the files; every other rule applies."""
    resolver = resolver or programme.current().territory_resolver()
    campaign = CheckedCampaign(name, path)
    sheets_by_table: dict[str, list[tuple[SourceEntry, Sheet]]] = defaultdict(list)
    for file, root in files:
        for entry, sheet in read_campaign_file(campaign, file, root):
            sheets_by_table[entry.table_name].append((entry, sheet))
    parents = {t for t in ("registry", "grants") if sheets_by_table[t] or not parents_optional}
    for contract_table in TABLES:  # parents first: registry, grants, payments, site_year, ...
        table = programme.current().input_table(contract_table.name)
        for entry, sheet in sheets_by_table[table.name]:
            add_sheet_rows(campaign, table, entry, sheet, resolver)
        apply_table_rules(campaign, table, parents)
    return campaign


def read_campaign_file(campaign: CheckedCampaign, file: CampaignFile, root: Path):
    """Yield (manifest entry, table found) for each table in the file (or, for a zip, in its members);
    quarantine the rest whole, and list what is not a table (lock files, read-me sheets) as ignored."""
    if is_lock_file(file.relative):
        campaign.sources.append(SourceEntry(file.relative, None, "", status="ignored", message="lock_file"))
        return
    target = file.path.resolve()
    if not target.is_relative_to(root):
        refuse(campaign, file.relative, "", "outside_campaign", str(target))
        return
    if not target.is_file():
        refuse(campaign, file.relative, "", "not_a_file", _kind_of(file.path))
        return
    try:
        size = target.stat().st_size
        if size > MAX_INPUT_FILE_BYTES:
            refuse(campaign, file.relative, "", "file_too_large", f"{size} bytes > {MAX_INPUT_FILE_BYTES}")
            return
        data = target.read_bytes()
    except OSError as error:
        refuse(campaign, file.relative, "", "unreadable_file", error.strerror or type(error).__name__)
        return
    if PurePosixPath(file.relative).suffix.lower() == ARCHIVE_SUFFIX:
        yield from read_archive(campaign, file.relative, data)
    else:
        yield from read_file_bytes(campaign, file.relative, data)


def read_archive(campaign: CheckedCampaign, relative: str, data: bytes):
    """A zip of the campaign's files, read as if its members were in the folder (named `archive.zip/member`),
    each member under the same limits as a file."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        members = campaign_members(data, MAX_INPUT_FILE_BYTES)
    except ArchiveProblem as problem:
        refuse(campaign, relative, digest, problem.reason, problem.message)
        return
    if not members:
        campaign.sources.append(SourceEntry(relative, None, digest, status="empty", message="no file in the archive"))
    for member in members:
        name = f"{relative}/{member.name}"
        if member.problem is not None:
            refuse(campaign, name, "", member.problem.reason, member.problem.message)
        elif any(part.startswith(".") or part == ARCHIVE_METADATA_FOLDER for part in PurePosixPath(member.name).parts):
            campaign.sources.append(SourceEntry(name, None, "", status="ignored", message="archive_metadata"))
        elif PurePosixPath(member.name).suffix.lower() == ARCHIVE_SUFFIX:
            refuse(
                campaign,
                name,
                hashlib.sha256(member.data).hexdigest(),
                "unsupported_format",
                "an archive inside an archive",
            )
        elif is_lock_file(member.name):
            campaign.sources.append(SourceEntry(name, None, "", status="ignored", message="lock_file"))
        else:
            yield from read_file_bytes(campaign, name, member.data)


def read_file_bytes(campaign: CheckedCampaign, relative: str, data: bytes):
    """Yield (manifest entry, table found) for each table of a text file or workbook, by its name or else by its
    header."""
    digest = hashlib.sha256(data).hexdigest()
    path = PurePosixPath(relative)
    guessed = table_for_name(path.stem)
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES + WORKBOOK_SUFFIXES:
        refuse(campaign, relative, digest, "unsupported_format", suffix or "no extension", guessed)
        return
    try:
        if suffix in TEXT_SUFFIXES:
            sheets = {None: read_text_table(data, path.stem)}
        else:
            sheets = read_workbook(data, suffix)
    except UnreadableFile as error:
        refuse(campaign, relative, digest, error.reason, error.message, guessed)
        return
    listed = False
    for sheet_name, raw in sheets.items():
        source_file = relative if sheet_name is None else f"{relative}#{sheet_name}"
        table = (
            guessed if sheet_name is None else (table_for_name(sheet_name) or (guessed if len(sheets) == 1 else None))
        )
        table = table or table_for_header(raw)
        if table is None:
            if not raw.records:
                continue
            if sheet_name is None:  # a text file named after no table, with no table's header either
                refuse(campaign, source_file, digest, "unknown_table", path.stem)
            else:  # instructions, a read-me, a list of codes: not a table, nothing lost
                campaign.sources.append(
                    SourceEntry(source_file, None, digest, status="ignored", message="no_table_header")
                )
            listed = True
            continue
        listed = True
        sheet = locate_table(raw, table)
        entry = SourceEntry(source_file, table.name, digest, len(sheet.rows))
        entry.message = "; ".join(raw.notes + _skipped_note(sheet))
        yield entry, sheet
    if not listed:  # a workbook holding only empty sheets: nothing to read, but it was received
        campaign.sources.append(SourceEntry(relative, None, digest, status="empty", message="no table and no rows"))


def refuse(
    campaign: CheckedCampaign, source_file: str, digest: str, reason: str, detail: str, table: Table | None = None
) -> None:
    """Quarantine a whole file (or member, or sheet) with its reason, and list it in the manifest."""
    if table is None:
        table = table_for_name(PurePosixPath(source_file.split("#", 1)[0]).stem)
    table_name = table.name if table else None
    campaign.sources.append(SourceEntry(source_file, table_name, digest, status="unreadable", message=reason))
    campaign.quarantined.append(Finding(source_file, None, table_name, None, reason, detail=detail))


def is_lock_file(relative: str) -> bool:
    """A spreadsheet's lock file (`~$registry.xlsx`), left beside a workbook that is open: not a file sent."""
    return PurePosixPath(relative).name.startswith(LOCK_FILE_PREFIX)


def _skipped_note(sheet: Sheet) -> list[str]:
    if not sheet.skipped_rows:
        return []
    rows = ", ".join(str(n) for n in sheet.skipped_rows)
    return [f"header on row {sheet.header_row}; rows above it skipped: {rows}"]


def _kind_of(path: Path) -> str:
    if path.is_symlink():
        return "a link to a folder" if path.is_dir() else "a link to nothing"
    return "a special file (pipe, socket or device)"


def add_sheet_rows(
    campaign: CheckedCampaign, table: Table, entry: SourceEntry, sheet: Sheet, resolver: CommuneResolver
) -> None:
    source_file = entry.source_file
    campaign.sources.append(entry)
    if not sheet.header:
        entry.status, entry.message = "empty", "no header and no rows"
        return
    try:
        positions = map_header(table, sheet.header)
    except HeaderProblem as problem:
        entry.status, entry.message = "unreadable", problem.reason
        campaign.quarantined += [
            Finding(
                source_file,
                number,
                table.name,
                None,
                problem.reason,
                detail=problem.message,
                original_values=original_json(sheet.header, cells),
            )
            for number, cells in sheet.rows
        ] or [Finding(source_file, None, table.name, None, problem.reason, detail=problem.message)]
        return
    entry.columns = positions
    checked = check_sheet(table, sheet, positions, source_file, resolver)
    if not sheet.rows:
        entry.status, entry.message = "empty", "; ".join(filter(None, [entry.message, "header only"]))
    campaign.rows[table.name] += checked.rows
    campaign.quarantined += checked.quarantined
    campaign.flags += checked.flags


def apply_table_rules(campaign: CheckedCampaign, table: Table, parents: set[str]) -> None:
    """The rules across rows; those that refer to a parent table (registry, grants) only when it is in `parents`."""
    rows, found = table_rules.split_duplicates(table, campaign.rows[table.name])
    if table.site_column and "registry" in parents:
        rows, more = _split_by_parent(
            campaign, table.name, rows, table.site_column, "registry", "site_id", "unknown_site"
        )
        found += more
    if table.name == "payments" and "grants" in parents:
        rows, more = _split_by_parent(
            campaign, "payments", rows, "referenceDecision", "grants", "referenceDecision", "unknown_grant"
        )
        found += more
        amounts = {canonical_id(g.values["referenceDecision"]): g.values["montant"] for g in campaign.rows["grants"]}
        rows, more = table_rules.split_payments_over_grant(rows, amounts)
        found += more
    if table.name == "beneficiaries":
        totals = {
            (canonical_id(r.values["site_id"]), r.values["year"]): r.values["people_total"]
            for r in campaign.rows["site_year"]
        }
        rows, more = table_rules.split_beneficiaries_over_total(rows, totals)
        found += more
    campaign.rows[table.name] = rows
    campaign.quarantined += found


def _split_by_parent(
    campaign: CheckedCampaign,
    table_name: str,
    rows: list[Row],
    column: str,
    parent_table: str,
    parent_column: str,
    reason: str,
):
    known = {canonical_id(r.values[parent_column]) for r in campaign.rows[parent_table]}
    quarantined_parents = _quarantined_key_values(campaign, parent_table, parent_column)
    return table_rules.split_unknown_parents(table_name, rows, column, known, quarantined_parents, reason)


def _quarantined_key_values(campaign: CheckedCampaign, table_name: str, column: str) -> set[str]:
    """Key values of the parent's quarantined rows, read from their original values (any header spelling)."""
    table = TABLES_BY_NAME[table_name]
    keys = {name_key(a) for a in (column, *table.column(column).aliases)}
    values = set()
    for finding in campaign.quarantined:
        if finding.table_name == table_name and finding.original_values:
            for name, value in json.loads(finding.original_values).items():
                if name_key(name) in keys:
                    values.add(canonical_id(value).removeprefix("'"))
    return values
