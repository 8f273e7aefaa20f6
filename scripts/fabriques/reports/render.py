"""Render every report into a reports folder: builders write their pages, then the index and the PDFs."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

import duckdb
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from fabriques.privacy import redact
from fabriques.reports import formatting
from fabriques.reports.context import DEFAULT_DISCLOSURE_THRESHOLD, Page, ReportContext
from fabriques.reports.i18n import LANGUAGE_NAMES, REPORT_LANGUAGES, translations
from fabriques.reports.workers import Workers
from fabriques.settings import REPORT_STATIC_DIR, REPORT_TEMPLATES_DIR

Builder = Callable[[ReportContext], list[Page]]


def builders() -> list[Builder]:
    """The report builders, in the order of the index."""
    from fabriques.reports import annual, scorecard, site_sheets, transfer_guide

    return [annual.build, scorecard.build, site_sheets.build, transfer_guide.build]


@cache
def environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(REPORT_TEMPLATES_DIR)),
        autoescape=select_autoescape(["html", "xml"], default=True),
        finalize=published_text,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)
    env.filters["num"] = lambda v, decimals=0: formatting.format_number(v, lang, decimals)
    env.filters["eur"] = lambda v: formatting.format_eur(v, lang)
    env.filters["value"] = lambda v, unit: formatting.format_value(v, unit, lang)
    env.globals["lang"] = lang
    return env


def published_text(value: object) -> object:
    """Every value a template prints, before it is escaped: e-mail addresses and phone numbers masked (text is
    masked when it is loaded already; this guards what reaches a page by another way). Markup the templates
    write themselves is left as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return redact(value)
    return value


@dataclass(frozen=True)
class PageSettings:
    """What every page of a rendering shares (picklable, for the worker processes)."""

    out_dir: Path
    inputs_hash: str
    reporting_year: int
    disclosure_threshold: int


@dataclass(frozen=True)
class PageJob:
    lang: str
    template: str
    relative_path: str
    variables: dict


def page_settings(ctx: ReportContext) -> PageSettings:
    return PageSettings(ctx.out_dir, ctx.inputs_hash, ctx.year, ctx.disclosure_threshold)


def render_page(ctx: ReportContext, lang: str, template: str, relative_path: str, **variables) -> Path:
    """Render `template` to `relative_path` under the reports folder; paths in the page are relative."""
    return write_page(page_settings(ctx), PageJob(lang, template, relative_path, variables))


def render_pages(ctx: ReportContext, jobs: list[PageJob], chunk: int = 200) -> None:
    """Render many pages, in chunks spread over the worker processes (the site sheets: thousands of pages)."""
    settings = page_settings(ctx)
    ctx.workers.map(partial(write_pages, settings), [jobs[i : i + chunk] for i in range(0, len(jobs), chunk)])


def write_pages(settings: PageSettings, jobs: list[PageJob]) -> None:
    for job in jobs:
        write_page(settings, job)


def write_page(settings: PageSettings, job: PageJob) -> Path:
    path = settings.out_dir / job.relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    html = (
        environment(job.lang)
        .get_template(job.template)
        .render(
            root="../" * job.relative_path.count("/"),
            inputs_hash=settings.inputs_hash,
            reporting_year=settings.reporting_year,
            disclosure_threshold=settings.disclosure_threshold,
            **job.variables,
        )
    )
    path.write_text(html, encoding="utf-8")
    return path


def render_reports(
    warehouse: Path,
    out_dir: Path,
    year: int,
    disclosure_threshold: int = DEFAULT_DISCLOSURE_THRESHOLD,
    pdf: bool = True,
) -> list[Page]:
    """Write the whole reports site into `out_dir` (created afresh); return its pages."""
    shutil.rmtree(out_dir, ignore_errors=True)
    shutil.copytree(REPORT_STATIC_DIR, out_dir / "static")
    with Workers() as workers, duckdb.connect(str(warehouse), read_only=True) as con:
        ctx = ReportContext(con, out_dir, year, disclosure_threshold, workers=workers)
        ctx.years = [y for (y,) in con.execute("select year from marts.dim_year order by year").fetchall()]
        pages, printing = [], []
        for build in builders():
            built = build(ctx)
            pages += built
            if pdf:  # printed in the workers while the next report is built
                from fabriques.reports.pdf import print_pdf

                printing += workers.submit(print_pdf, [(out_dir / p.path, out_dir / p.pdf) for p in built if p.pdf])
        languages = index_languages(pages)
        for lang in languages:
            render_page(
                ctx,
                lang,
                "index.html",
                index_name(lang),
                pages=index_pages(pages, lang),
                other_languages=[
                    (other, LANGUAGE_NAMES[other], index_name(other)) for other in languages if other != lang
                ],
            )
        workers.wait(printing)
    return pages


def index_languages(pages: list[Page]) -> list[str]:
    """An index per language of the pages, French first (the programme's language)."""
    return sorted(
        {*REPORT_LANGUAGES, *(page.lang for page in pages)}, key=lambda lang: (lang != "fr", lang != "en", lang)
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


def index_name(lang: str) -> str:
    return "index.html" if lang == "fr" else f"index.{lang}.html"
