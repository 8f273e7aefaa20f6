"""What every report builder receives: the warehouse (read-only), the year, where to write, and settings."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import duckdb

from fabriques.reports.workers import Workers

DEFAULT_DISCLOSURE_THRESHOLD = 5


@dataclass(frozen=True)
class Page:
    """One rendered page of the site, for the index."""

    path: str
    """Relative to the reports folder, with `/`."""
    title: str
    lang: str
    kind: str
    """annual_report, scorecard, site_sheet, ... (groups of the index)."""
    pdf: str | None = None
    """Relative path of its PDF, when one is printed."""
    downloads: tuple[tuple[str, str], ...] = ()
    """(label, relative path) of files offered beside the page (XLSX, CSV)."""


@dataclass
class ReportContext:
    con: duckdb.DuckDBPyConnection
    """Read-only connection to the validated warehouse."""
    out_dir: Path
    """The reports folder being written."""
    year: int
    """Reporting year of the run."""
    disclosure_threshold: int = DEFAULT_DISCLOSURE_THRESHOLD
    years: list[int] = field(default_factory=list)
    workers: Workers = field(default_factory=lambda: Workers(1))
    """Worker processes for the parallel part of a builder's work (charts, site sheets, PDFs); none by default."""
    commentary_dir: Path | None = None
    """The evaluator's commentary of the annual report (`<dir>/<year>/<lang>.md`), if given."""
    data_docs_dir: Path | None = None
    """The run's Data Docs folder, whose index the data-quality page replaces, if the run wrote one."""

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        cursor = self.con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=False)) for row in cursor.fetchall()]

    def value(self, sql: str, params: list | None = None):
        row = self.con.execute(sql, params or []).fetchone()
        return row[0] if row else None

    @cached_property
    def inputs_hash(self) -> str:
        """Content hash of the loaded input files (their sha256, sorted): same inputs, same hash. Read once per
        context (the warehouse is read-only while the reports render; every page's footer shows it)."""
        digests = self.con.execute("select sha256 from raw.manifest order by sha256").fetchall()
        return hashlib.sha256("\n".join(d for (d,) in digests).encode()).hexdigest()[:16]

    @cached_property
    def data_date(self) -> str:
        """The date of the latest dated record of the data (label, grant agreement or payment), ISO 8601: what the
        figures are up to; the same inputs give the same date, so the same bytes."""
        latest = self.con.execute("""
            select max(day) from (
                select max(label_date) as day from marts.dim_site
                union all select max(convention_date) from marts.fct_grants
                union all select max(payment_date) from marts.fct_payments
            )""").fetchone()[0]
        return latest.isoformat() if latest else ""

    @property
    def report_languages(self) -> tuple[str, ...] | None:
        """The languages of the programme's documents (programme.toml), or None for every catalogue's."""
        value = self.programme.get("report_languages")
        return tuple(value.split(",")) if value else None

    def programme_name(self, lang: str) -> str:
        return programme_name(self.programme, lang)

    @cached_property
    def programme(self) -> dict[str, str]:
        """The settings of the programme the warehouse was built for (programme.parameters), by parameter."""
        return dict(self.con.execute("select parameter, value from programme.parameters").fetchall())


def index_name(parameters: dict[str, str], lang: str) -> str:
    """The reports index of a language: `index.html` for the programme's first report language, else
    `index.<lang>.html`."""
    first = (parameters.get("report_languages") or "fr").split(",")[0]
    return "index.html" if lang == first else f"index.{lang}.html"


def programme_name(parameters: dict[str, str], lang: str) -> str:
    """The programme's name in `lang` (programme.toml), else in English."""
    return parameters.get(f"name_{lang}") or parameters.get("name_en", "")
