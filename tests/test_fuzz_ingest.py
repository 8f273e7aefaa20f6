"""Fuzzing ingestion: campaign folders written in every format of the contract, then damaged at random.

Tables are built from the contract's declaration (`fabriques.contract`): headers spelt as senders spell them,
values in every number, date and code format, CSV in every encoding and delimiter, Excel's "Unicode text" (TXT),
or XLSX, XLS and ODS workbooks with typed cells, sometimes the whole campaign in a ZIP archive.
Then damage: truncated files and rows, stray quotes, binary bytes, huge fields, empty files, duplicated headers,
extra cells, blank rows, title rows above the header, file names that are not UTF-8. Whatever arrives, ingestion
never crashes and nothing
is lost: for every file of the manifest, rows read = rows loaded + rows quarantined, every quarantined row names
its file, row and reason and keeps every cell it was sent with, and every file written is in the manifest.

The number of examples is the hypothesis profile's (tests/conftest.py): `ci` by default (bounded and
derandomised), `FABRIQUES_FUZZ_PROFILE=long` for a longer search.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from fabriques import contract, programme
from fabriques.contract import TABLES, TABLES_BY_NAME
from fabriques.ingest import UnusableCampaign, ingest
from fabriques.ingest.headers import name_key
from fabriques.ingest.load import load_campaign
from fabriques.ingest.reasons import REASONS

SITE_IDS = ("fabt-01", "fabt-02", "FABT-03", "fabt-04", "fabt-99")
GRANT_REFERENCES = ("G-1", "G-2", "C-1", "g-1", "X-404")
COMMUNES = ("03310", "3310", "13055", "49126", "15014", "23096", "2A004", "99999", "ABCDE")
SIRETS = ("", "73282932000074", "12345678901234", "7328293200007", "356000000 00048")
SPACES = (" ", "\u00a0", "\u202f")
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16")
DELIMITERS = (",", ";")
FILE_DAMAGES = ("truncate", "stray_quote", "binary", "bare_cr", "bom_inside")
TABLE_DAMAGES = (
    "duplicate_header",
    "truncated_rows",
    "extra_cells",
    "huge_field",
    "blank_rows",
    "header_only",
    "empty_file",
    "no_known_header",
)
FORMATS = ("csv", "csv", "txt", "xlsx", "xls", "ods")
WORKBOOK_FORMATS = ("xlsx", "xls", "ods")
TITLE_ROWS = (["Rapport annuel des lieux"], ["Campagne", "", "2021"], [""], ["Source : tableur du lieu"])
ARCHIVE = "envoi.zip"
KNOWN_HEADER_KEYS = frozenset(
    name_key(alias) for table in TABLES for column in table.columns for alias in (column.name, *column.aliases)
)
HUGE_LENGTHS = (1001, 5000, 100_000)
XLSX_CELL_CHARACTERS = 32767
"""What a workbook cell holds at most (the XLSX format's limit): a longer text arrives cut."""
XLS_CELL_CHARACTERS = 32767


@dataclass
class WrittenTable:
    """One CSV file or XLSX sheet as written: its source name in the manifest and the rows it holds."""

    source_file: str
    rows: dict[int, list[str]] = field(default_factory=dict)
    """row number as a spreadsheet shows it -> the text of every cell sent (only when known exactly)."""
    exact: bool = True
    """False when the bytes were damaged: what the reader finds is then unknown."""


# ---------------------------------------------------------------------------------------------------------------
# Values, in the formats of the contract (section 1)


def text_alphabet(encoding: str):
    """Characters a sender's file can hold: every printable character the encoding can write, and line breaks,
    quotes and delimiters inside values."""
    printable = st.characters(codec="cp1252" if encoding == "cp1252" else "utf-8", exclude_categories=("Cc", "Cs"))
    return st.one_of(printable, st.sampled_from(['"', ",", ";", "\n", "\t", " ", "'", "€"]))


@st.composite
def number_text(draw, integer: bool, encoding: str) -> str:
    whole = draw(st.integers(min_value=0, max_value=10**7))
    cents = 0 if integer else draw(st.integers(min_value=0, max_value=99))
    sign = draw(st.sampled_from(["", "", "", "-"]))
    space = draw(st.sampled_from(SPACES[:2] if encoding == "cp1252" else SPACES))  # no narrow space in cp1252
    grouped = f"{whole:,}"
    style = draw(st.sampled_from(["plain", "dot", "spaces", "spaces_comma", "dots_comma", "commas_dot"]))
    text = {
        "plain": str(whole),
        "dot": f"{whole}.{cents:02d}",
        "spaces": grouped.replace(",", space),
        "spaces_comma": grouped.replace(",", space) + f",{cents:02d}",
        "dots_comma": grouped.replace(",", ".") + f",{cents:02d}",
        "commas_dot": grouped + f".{cents:02d}",
    }[style]
    return sign + text + draw(st.sampled_from(["", "", " €", "€", "\u00a0€"]))


@st.composite
def date_value(draw, typed: bool):
    day = draw(st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2030, 12, 31)))
    style = draw(st.sampled_from(["iso", "fr", "typed" if typed else "iso", "bad"]))
    if style == "typed":
        return day
    if style == "bad":
        return draw(st.sampled_from(["31/02/2021", "2021-13-01", "hier", "00/00/0000", "2021/13/30", "12"]))
    return draw(
        st.sampled_from(
            [
                day.isoformat(),
                f"{day:%d/%m/%Y}",
                f"{day:%Y/%m/%d}",
                f"{day:%d.%m.%Y}",
                f"{day.day}/{day.month}/{day.year}",
                str((day - dt.date(1899, 12, 30)).days),
            ]
        )
    )


def code_variants(code: str) -> list[str]:
    spaced = code.replace("_", " ")
    return [code, code.upper(), spaced.title(), f"  {code} ", code.replace("_", "-"), "inconnu"]


@st.composite
def cell_value(draw, column: contract.Column, encoding: str, typed: bool):
    """A value for `column`, valid most of the time, written as a sender would write it; typed cells for XLSX."""
    kind = column.kind
    if draw(st.integers(0, 12)) == 0:
        return ""
    if column.name == "site_id":
        return draw(st.sampled_from(SITE_IDS))
    if column.name == "referenceDecision":
        return draw(st.sampled_from(GRANT_REFERENCES))
    if kind == contract.TEXT:
        return draw(st.text(text_alphabet(encoding), min_size=1, max_size=24))
    if kind == contract.CODE:
        codes = sorted(programme.current().code_lists().get(column.domain, {"fabriques", "cofinancement"}))
        return draw(st.sampled_from(code_variants(draw(st.sampled_from(codes)))))
    if kind == contract.COMMUNE:
        code = draw(st.sampled_from(COMMUNES))
        return int(code) if typed and code.isdigit() and draw(st.booleans()) else code
    if kind == contract.SIRET:
        return draw(st.sampled_from(SIRETS))
    if kind == contract.DATE:
        return draw(date_value(typed))
    if kind == contract.YEAR:
        year = draw(st.sampled_from([2021, 2021, 2022, 1989, 20211]))
        return year if typed and draw(st.booleans()) else str(year)
    integer = kind == contract.INTEGER
    if typed and draw(st.booleans()):
        return draw(st.integers(0, 10**6)) if integer else draw(st.integers(0, 10**8)) / 100
    return draw(number_text(integer, encoding))


@st.composite
def header_name(draw, column: contract.Column) -> str:
    """The column's name or an alias, spelt with another case, accents or spaces."""
    name = draw(st.sampled_from((column.name, *column.aliases)))
    spelling = draw(st.sampled_from(["as_is", "upper", "spaces", "accents", "padded"]))
    return {
        "as_is": name,
        "upper": name.upper(),
        "spaces": name.replace("_", " "),
        "accents": name.replace("e", "é", 1),
        "padded": f"  {name}\u00a0",
    }[spelling]


@st.composite
def table_contents(draw, table: contract.Table, encoding: str, typed: bool):
    """(header, rows) of a table: columns in any order, an optional one sometimes missing, an extra column."""
    columns = list(draw(st.permutations(table.columns)))
    if draw(st.integers(0, 5)) == 0:
        columns.pop(draw(st.integers(0, len(columns) - 1)))
    header = [draw(header_name(c)) for c in columns]
    extra = draw(st.booleans())
    if extra:
        header.append("commentaire")
    rows = []
    for _ in range(draw(st.integers(0, 7))):
        row = [draw(cell_value(c, encoding, typed)) for c in columns]
        if extra:
            row.append(draw(st.text(text_alphabet(encoding), max_size=12)))
        if not any(cell_text(c) for c in row):
            row[0] = "fabt-01"
        rows.append(row)
    return header, rows


@st.composite
def table_damage(draw, header: list, rows: list[list]):
    """Damage that keeps the file readable as CSV/XLSX: what each row holds is still known."""
    damages = draw(st.lists(st.sampled_from(TABLE_DAMAGES), max_size=2, unique=True))
    header, rows = list(header), [list(r) for r in rows]
    for damage in damages:
        if damage == "duplicate_header" and header:
            position = draw(st.integers(0, len(header) - 1))
            header.append(header[position])
            for row in rows:
                row.append(row[position] if position < len(row) else "")
        elif damage == "truncated_rows" and rows:
            index = draw(st.integers(0, len(rows) - 1))
            rows[index] = rows[index][: draw(st.integers(1, max(1, len(rows[index]) - 1)))]
        elif damage == "extra_cells" and rows:
            rows[draw(st.integers(0, len(rows) - 1))] += ["surplus", "1 000,5"]
        elif damage == "huge_field" and rows:
            index = draw(st.integers(0, len(rows) - 1))
            cell = draw(st.integers(0, len(rows[index]) - 1))
            rows[index][cell] = draw(st.sampled_from("x9é")) * draw(st.sampled_from(HUGE_LENGTHS))
        elif damage == "blank_rows":
            rows.insert(draw(st.integers(0, len(rows))), [""] * len(header))
        elif damage == "header_only":
            rows = []
        elif damage == "no_known_header":
            header = [f"col {i}" for i in range(len(header))]
        elif damage == "empty_file":
            return [], []
    return header, rows


def cell_text(value) -> str:
    """The text of a cell as written, as the reader gives it back (stripped)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# ---------------------------------------------------------------------------------------------------------------
# Files


def csv_bytes(header: list, rows: list[list], delimiter: str, encoding: str, above: list[list] = ()) -> bytes:
    if not header:
        return b""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(above)
    writer.writerow(header)
    writer.writerows([[cell_text(c) if isinstance(c, dt.date) else c for c in row] for row in rows])
    return buffer.getvalue().encode(encoding)


def xls_bytes(sheets: dict[str, tuple[list, list[list]]], above: list[list]) -> bytes:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for name, (header, rows) in sheets.items():
        sheet = workbook.add_sheet(name[:31])
        for number, cells in enumerate([*above, header, *rows]):
            for position, value in enumerate(cells[:256]):
                if value == "":
                    continue
                if isinstance(value, str):
                    value = value[:XLS_CELL_CHARACTERS]
                sheet.write(
                    number, position, value, date_style if isinstance(value, dt.date) else xlwt.Style.default_style
                )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods_bytes(sheets: dict[str, tuple[list, list[list]]], above: list[list]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    for name, (header, rows) in sheets.items():
        table = Table(name=name)
        for cells in [*above, header, *rows]:
            row = TableRow()
            for value in cells:
                if isinstance(value, dt.date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat())
                elif isinstance(value, (int, float)):
                    cell = TableCell(valuetype="float", value=value)
                else:
                    cell = TableCell(valuetype="string")
                if value != "":
                    cell.addElement(P(text=cell_text(value)))
                row.addElement(cell)
            table.addElement(row)
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def xlsx_bytes(sheets: dict[str, tuple[list, list[list]]], above: list[list] = ()) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(name)
        for number, cells in enumerate([*above, header, *rows], start=1):
            for position, value in enumerate(cells, start=1):
                if value == "":
                    continue
                cell = sheet.cell(row=number, column=position, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text that starts with `=` is text, not a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FRACTION = 10**6


@st.composite
def file_damages(draw) -> list[tuple[str, int, bytes]]:
    """Damage to the bytes of a file, drawn before the file exists: (damage, where as a fraction of the
    length, bytes inserted). What the reader then finds is unknown; only that it must not crash."""
    return [
        (damage, draw(st.integers(0, FRACTION)), draw(st.binary(min_size=1, max_size=8)) if damage == "binary" else b"")
        for damage in draw(st.lists(st.sampled_from(FILE_DAMAGES), min_size=1, max_size=2))
    ]


def damaged(data: bytes, damages: list[tuple[str, int, bytes]]) -> bytes:
    for damage, fraction, inserted in damages:
        position = len(data) * fraction // FRACTION
        if damage == "truncate":
            data = data[:position]
        elif damage == "stray_quote":
            data = data[:position] + b'"' + data[position:]
        elif damage == "binary":
            data = data[:position] + inserted + data[position:]
        elif damage == "bare_cr":
            data = data.replace(b"\r\n", b"\r")
        elif damage == "bom_inside":
            data = data[:position] + b"\xef\xbb\xbf" + data[position:]
    return data


def _used_width(cells: list) -> int:
    """Columns a spreadsheet row spans: up to its last cell that holds a value."""
    return max((i + 1 for i, c in enumerate(cells) if c != ""), default=0)


def recorded_name(relative: bytes) -> str:
    """How a file is named in the manifest: its path, read as UTF-8, else as Windows-1252."""
    try:
        return relative.decode("utf-8")
    except UnicodeDecodeError:
        return relative.decode("cp1252", errors="replace")


def _also_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not data.isascii()


LATIN9_DIFFERENCES = frozenset(b"\xa4\xa6\xa8\xb4\xb8\xbc\xbd\xbe")
"""Bytes that Windows-1252 and ISO-8859-15 read as different letters."""


def _also_latin9(data: bytes) -> bool:
    """Windows-1252 bytes that ISO-8859-15 reads too, as other letters: which of the two was meant is judged on
    the content (random text has none to judge on)."""
    return not any(0x80 <= byte <= 0x9F for byte in data) and not LATIN9_DIFFERENCES.isdisjoint(data)


def expected_rows(source_file: str, rows: list[list], first: int = 2) -> WrittenTable:
    """Row numbers of what was written: the header is row `first` - 1, blank rows are not rows."""
    written = WrittenTable(source_file)
    for number, row in enumerate(rows, start=first):
        if any(cell_text(c) for c in row):
            written.rows[number] = [cell_text(c) for c in row]
    return written


@dataclass
class FileSpec:
    """A file to write: its path as bytes (a name need not be UTF-8), its table and how it is written."""

    relative: bytes
    header: list = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    format: str = "csv"
    """csv, txt (UTF-16, tabs), or a workbook: xlsx, xls, ods."""
    above: list[list] = field(default_factory=list)
    """Title rows above the header."""
    sheet: str = ""
    delimiter: str = ","
    encoding: str = "utf-8"
    damages: list[tuple[str, int, bytes]] = field(default_factory=list)
    content: bytes | None = None
    """Bytes as they are, for a file that is not a table."""

    def data(self) -> bytes:
        if self.content is not None:
            return self.content
        sheets = {self.sheet: (self.header, self.rows if self.header else [])}
        above = self.above if self.header else []
        if self.format == "xlsx":
            data = xlsx_bytes(sheets, above)
        elif self.format == "xls":
            data = xls_bytes(sheets, above)
        elif self.format == "ods":
            data = ods_bytes(sheets, above)
        else:
            data = csv_bytes(self.header, self.rows, self.delimiter, self.encoding, above)
        return damaged(data, self.damages)

    def written(self, data: bytes, prefix: str = "") -> list[WrittenTable]:
        """What a reader must find in it (nothing is known of a file whose bytes were damaged); `prefix` names
        the archive it was sent in."""
        if self.content is not None:
            return []
        name = prefix + recorded_name(self.relative)
        first = 2 + len(self.above)
        if self.format in WORKBOOK_FORMATS:
            width = max(_used_width(cells) for cells in [self.header, *self.rows])
            rows = [
                [c[:XLSX_CELL_CHARACTERS] if isinstance(c, str) else c for c in r] + [""] * (width - len(r))
                for r in self.rows
            ]
            table = expected_rows(f"{name}#{self.sheet}", rows, first)
            table.exact = self.format == "xlsx"  # xls and ods: only what every file must satisfy is checked
        else:
            table = expected_rows(name, self.rows, first)
            if self.encoding == "cp1252" and (_also_utf8(data) or _also_latin9(data)):
                table.exact = False  # bytes that read as UTF-8 or Latin-9 too are judged on content: text differs
        if not self.header:
            table.rows = {}
        if self.above and all(name_key(cell_text(c)) not in KNOWN_HEADER_KEYS for c in self.header):
            table.exact = False  # no header found: the first title row stands as the header
        table.exact = table.exact and not self.damages
        return [table]


@st.composite
def campaign_file(draw, table: contract.Table, folder: str) -> FileSpec:
    """One CSV file or one single-sheet workbook holding `table`."""
    stem = draw(st.sampled_from((table.name, *table.aliases))) + draw(st.sampled_from(["", "_part2", "-occitanie"]))
    raw_stem = stem.encode()
    if draw(st.integers(0, 9)) == 0:  # a name from a Windows archive: Windows-1252 bytes, not UTF-8
        raw_stem = stem.replace("e", "é", 1).encode("cp1252")
    file_format = draw(st.sampled_from(FORMATS))
    typed = file_format in WORKBOOK_FORMATS
    encoding = {"txt": "utf-16"}.get(file_format, "utf-8") if file_format != "csv" else draw(st.sampled_from(ENCODINGS))
    header, rows = draw(table_contents(table, encoding, typed=typed))
    header, rows = draw(table_damage(header, rows))
    prefix = folder.encode() + b"/" if folder else b""
    spec = FileSpec(
        prefix + raw_stem + f".{file_format}".encode(),
        header,
        rows,
        file_format,
        encoding=encoding,
        delimiter="\t" if file_format == "txt" else draw(st.sampled_from(DELIMITERS)),
    )
    if draw(st.integers(0, 4)) == 0:
        spec.above = draw(st.lists(st.sampled_from(TITLE_ROWS), min_size=1, max_size=3))
    if typed:
        spec.sheet = table.name if draw(st.booleans()) else draw(st.sampled_from((table.name, *table.aliases))).title()
    if draw(st.integers(0, 3)) == 0:
        spec.damages = draw(file_damages())
    return spec


@st.composite
def campaigns(draw) -> list[FileSpec]:
    """A campaign folder: a registry (maybe damaged), other tables, sometimes a file that is not a table."""
    files = [draw(campaign_file(TABLES_BY_NAME["registry"], ""))]
    for table in draw(st.lists(st.sampled_from(TABLES[1:]), max_size=3)):
        files.append(draw(campaign_file(table, "" if table.name in contract.CAMPAIGN_TABLES else "reports")))
    odd = draw(st.sampled_from([None, None, "empty", "junk", "notes"]))
    if odd == "empty":
        files.append(FileSpec(b"reports/activities_empty.csv", content=b""))
    elif odd == "junk":
        files.append(FileSpec(b"reports/budget.xlsx", content=draw(st.binary(max_size=64))))
    elif odd == "notes":
        files.append(FileSpec(b"notes.txt", content=b"free text"))
    unique: dict[bytes, FileSpec] = {}
    for spec in files:
        unique.setdefault(spec.relative, spec)
    return list(unique.values()), draw(st.integers(0, 4)) == 0


# ---------------------------------------------------------------------------------------------------------------
# The property


@given(campaigns())
def test_ingestion_never_crashes_and_every_row_read_is_loaded_or_quarantined(campaign):
    files, zipped = campaign
    prefix = f"{ARCHIVE}/" if zipped else ""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "campaign"
        folder.mkdir()
        written: list[WrittenTable] = []
        archive = zipfile.ZipFile(folder / ARCHIVE, "w", zipfile.ZIP_DEFLATED) if zipped else None
        for spec in files:
            data = spec.data()
            if archive:  # the whole campaign sent as one archive: its members are read as files
                archive.writestr(recorded_name(spec.relative), data)
            else:
                path = Path(os.fsdecode(os.fsencode(folder) + b"/" + spec.relative))
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            written += spec.written(data, prefix)
        if archive:
            archive.close()
        with duckdb.connect() as con:
            try:
                ingest(con, folder, 2021)
            except UnusableCampaign as refusal:  # not loaded: its report (OUT_DIR/failed-run) must lose nothing
                load_campaign(con, refusal.campaign, refusal.reporting_year)
            manifest = con.execute(
                "select source_file, table_name, rows_read, rows_loaded, rows_quarantined, status from raw.manifest"
            ).fetchall()
            quarantine = con.execute(
                "select source_file, source_row, reason_code, message, message_en, original_values from raw.quarantine"
            ).fetchall()
            loaded = Counter()
            for table in TABLES:
                loaded.update(
                    dict(
                        con.execute(
                            f"select source_file, count(*) from raw.{table.name} group by source_file"
                        ).fetchall()
                    )
                )
    quarantined = Counter(q[0] for q in quarantine if q[1] is not None)
    by_file = {m[0]: m for m in manifest}
    for source_file, _table, read, rows_loaded, rows_quarantined, _status in manifest:
        assert read == rows_loaded + rows_quarantined, source_file
        assert rows_loaded == loaded[source_file], source_file
        assert rows_quarantined == quarantined[source_file], source_file
    for source_file, source_row, reason, message, message_en, original in quarantine:
        assert source_file in by_file and reason in REASONS and message and message_en
        if source_row is not None:
            assert source_row >= 2 and isinstance(json.loads(original), dict)
    for spec in files:  # every file is in the manifest: nothing is skipped silently
        name = prefix + recorded_name(spec.relative)
        assert any(m == name or m.startswith(name + "#") for m in by_file), name
    for table in written:
        if not table.exact:
            continue
        assert by_file[table.source_file][2] == len(table.rows), table.source_file
        for source_file, source_row, _reason, _m, _e, original in quarantine:
            if source_file == table.source_file and source_row is not None:
                kept = sorted(json.loads(original).values())
                assert kept == sorted(table.rows[source_row]), (source_file, source_row)
