"""Workbooks written byte for byte the same from the same content: the scorecard's export, the sites' templates."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

FIXED_TIMESTAMP = dt.datetime(1980, 1, 1)
"""The date of every workbook's properties and of every entry of its archive."""


def save_stable(workbook, path: Path) -> Path:
    """Save an openpyxl workbook dated FIXED_TIMESTAMP, in its properties and in its archive's entries."""
    from openpyxl.writer.excel import ExcelWriter

    workbook.properties.created = workbook.properties.modified = FIXED_TIMESTAMP
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()  # save_workbook() would stamp the current time
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_with_fixed_entry_times(buffer.getvalue()))
    return path


def _with_fixed_entry_times(data: bytes) -> bytes:
    """The same zip archive with every entry dated FIXED_TIMESTAMP (zipfile dates entries with the clock)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
