"""The orchestrator of the reports: it lists them, lets each builder write its pages (fabriques.reports.pages),
then writes the index of every language and has the PDFs printed."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb

from fabriques.i18n import language_name, languages_of
from fabriques.reports import annual, data_quality, scorecard, site_sheets, transfer_guide
from fabriques.reports.context import DEFAULT_DISCLOSURE_THRESHOLD, Page, ReportContext, index_name
from fabriques.reports.pages import render_page
from fabriques.reports.pdf import print_pdf
from fabriques.reports.workers import Workers
from fabriques.settings import REPORT_STATIC_DIR

Builder = Callable[[ReportContext], list[Page]]


BUILDERS: tuple[Builder, ...] = (
    annual.build,
    scorecard.build,
    site_sheets.build,
    transfer_guide.build,
    data_quality.build,
)
"""The reports, in the order of the index."""


def render_reports(
    warehouse: Path,
    out_dir: Path,
    year: int,
    disclosure_threshold: int = DEFAULT_DISCLOSURE_THRESHOLD,
    pdf: bool = True,
    commentary_dir: Path | None = None,
    data_docs_dir: Path | None = None,
) -> list[Page]:
    """Write the whole reports site into `out_dir` (created afresh), and the index of the run's Data Docs
    (`data_docs_dir`) when given; return its pages."""
    shutil.rmtree(out_dir, ignore_errors=True)
    shutil.copytree(REPORT_STATIC_DIR, out_dir / "static")
    with Workers() as workers, duckdb.connect(str(warehouse), read_only=True) as con:
        ctx = ReportContext(
            con,
            out_dir,
            year,
            disclosure_threshold,
            workers=workers,
            commentary_dir=commentary_dir,
            data_docs_dir=data_docs_dir,
        )
        ctx.years = [y for (y,) in con.execute("select year from marts.dim_year order by year").fetchall()]
        pages, printing = [], []
        for build in BUILDERS:
            built = build(ctx)
            pages += built
            if pdf:  # printed in the workers while the next report is built
                printing += workers.submit(print_pdf, [(out_dir / p.path, out_dir / p.pdf) for p in built if p.pdf])
        languages = index_languages(pages, ctx.report_languages)
        for lang in languages:
            render_page(
                ctx,
                lang,
                "index.html",
                index_name(ctx.programme, lang),
                pages=index_pages(pages, lang),
                data_quality_page=data_quality_page(pages, lang),
                other_languages=[
                    (other, language_name(other), index_name(ctx.programme, other))
                    for other in languages
                    if other != lang
                ],
            )
        workers.wait(printing)
    return pages


def data_quality_page(pages: list[Page], lang: str) -> str | None:
    """The data-quality page an index links: the one in its language, else the first one written."""
    written = [page for page in pages if page.kind == "data_quality"]
    chosen = [page for page in written if page.lang == lang] or written
    return chosen[0].path if chosen else None


def index_languages(pages: list[Page], report_languages: tuple[str, ...] | None = None) -> list[str]:
    """An index per language of the programme's documents and of the pages: the programme's report languages first,
    in their order (French, then English, by default), then the others."""
    order = list(report_languages or ("fr", "en"))
    return sorted(
        {*languages_of("annual_report", report_languages), *(page.lang for page in pages)},
        key=lambda lang: (order.index(lang) if lang in order else len(order), lang),
    )


def index_pages(pages: list[Page], lang: str) -> list[Page]:
    """The pages an index in `lang` lists: those in its language and, for a kind of report that has none in it,
    those in English, else in every language (the French index lists the English transfer guide, which links to
    its Romanian version)."""
    listed = [page for page in pages if page.lang == lang]
    for kind in dict.fromkeys(page.kind for page in pages):
        if not any(page.kind == kind for page in listed):
            of_kind = [page for page in pages if page.kind == kind]
            listed += [page for page in of_kind if page.lang == "en"] or of_kind
    return listed
