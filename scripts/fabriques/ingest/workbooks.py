"""Read a spreadsheet workbook (XLSX, XLSM, XLSB, XLS, ODS) into numbered records per sheet, with python-calamine.

Typed cells (numbers, dates) keep their type. A formula cell that was never calculated (a workbook written by a
program and not saved from a spreadsheet) has no value to read: it arrives as a `FormulaWithoutValue`, so that
its row is quarantined with a message that says how to fix it, not as an empty cell.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from xml.etree import ElementTree

from fabriques.ingest.archives import ArchiveProblem, check_inflated_size
from fabriques.ingest.parsers import cell_text
from fabriques.ingest.readers import RawSheet, UnreadableFile

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
ZIPPED_SUFFIXES = (".xlsx", ".xlsm", ".ods")
"""Workbooks that are zip archives: their inflated size is checked before they are opened."""
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REFERENCE = re.compile(r"([A-Z]+)(\d+)")


@dataclass(frozen=True)
class FormulaWithoutValue:
    """A formula cell saved without its calculated value."""

    formula: str

    def __str__(self) -> str:
        return f"={self.formula}"


def read_workbook(data: bytes, suffix: str) -> dict[str, RawSheet]:
    """Every sheet of a workbook, by sheet name. Read from the bytes already read (and hashed)."""
    if suffix in ZIPPED_SUFFIXES:
        try:
            check_inflated_size(data)
        except ArchiveProblem as problem:
            raise UnreadableFile(problem.reason, f"not a readable workbook: {problem.message}") from None
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        uncalculated = _formulas_if_readable(data) if suffix in (".xlsx", ".xlsm") else {}
        sheets = {}
        for sheet_name in workbook.sheet_names:
            values = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            sheets[sheet_name] = _raw_sheet(sheet_name, values, uncalculated.get(sheet_name, {}))
        return sheets
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as error:  # calamine raises several error types, and a Rust panic is a BaseException
        raise UnreadableFile("unreadable_file", f"not a readable workbook ({type(error).__name__})") from None


def _raw_sheet(
    name: str, values: list[list[object]], uncalculated: dict[tuple[int, int], FormulaWithoutValue]
) -> RawSheet:
    sheet = RawSheet(name)
    for (row, column), formula in uncalculated.items():  # calamine reads such a cell as empty
        while len(values) <= row:
            values.append([])
        while len(values[row]) <= column:
            values[row].append("")
        values[row][column] = formula
    for number, record in enumerate(values, start=1):
        if any(cell_text(cell) for cell in record):
            sheet.records.append((number, [None if cell == "" else cell for cell in record]))
    return sheet


def _formulas_if_readable(data: bytes) -> dict[str, dict[tuple[int, int], FormulaWithoutValue]]:
    """The formulas saved without a value, or none when the parts that say so cannot be read (calamine then
    judges the workbook)."""
    try:
        return formulas_without_value(data)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError, OSError, EOFError):
        return {}


def formulas_without_value(data: bytes) -> dict[str, dict[tuple[int, int], FormulaWithoutValue]]:
    """Sheet name -> {(row, column) from 0: the formula} for the formula cells of an XLSX saved without a value.
    Only sheets that hold a formula are parsed."""
    found: dict[str, dict[tuple[int, int], FormulaWithoutValue]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        with_formulas = {
            name: xml
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml") and _has_formula(xml := archive.read(name))
        }
        if not with_formulas:
            return found
        for sheet_name, part in _sheet_parts(archive).items():
            xml = with_formulas.get(part)
            if xml is None:
                continue
            cells = {}
            for element in ElementTree.fromstring(xml).iter(f"{_MAIN}c"):
                formula, value = element.find(f"{_MAIN}f"), element.find(f"{_MAIN}v")
                if formula is None or (value is not None and (value.text or "") != ""):
                    continue
                if match := _CELL_REFERENCE.fullmatch(element.get("r", "")):
                    cells[_position(*match.groups())] = FormulaWithoutValue(formula.text or "")
            if cells:
                found[sheet_name] = cells
    return found


def _has_formula(xml: bytes) -> bool:
    return b"<f" in xml or b":f" in xml


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the archive, from the workbook and its relationships."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in relations.iter(f"{_PACKAGE_RELATIONSHIPS}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_RELATIONSHIPS}id"), "")
        parts[sheet.get("name", "")] = (
            target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        )
    return parts


def _position(letters: str, digits: str) -> tuple[int, int]:
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(digits) - 1, column - 1
