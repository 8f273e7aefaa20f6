"""Write pages: the Jinja environment of a language (templates, filters, gettext) and the page jobs a builder
hands over, rendered here or in the worker processes. The leaf of the reports package: it imports no builder."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from fabriques.i18n import N_, gettext_for, translations
from fabriques.privacy import redact
from fabriques.reports import formatting
from fabriques.reports.context import ReportContext, index_name, programme_name
from fabriques.settings import REPORT_TEMPLATES_DIR


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
    programme: tuple[tuple[str, str], ...] = ()
    """The programme's settings (parameter, value): its name in each language and the hash of its folder."""
    data_date: str = ""
    """The date of the latest dated record of the data: the footer's and the PDF's date."""
    version: str = ""
    """The software's version that rendered the page: the footer's and the PDF's generator."""


@dataclass(frozen=True)
class PageJob:
    lang: str
    template: str
    relative_path: str
    variables: dict
    root: str | None = None
    """The way from the page to the reports folder (its static files, its index); by default, from the page's depth
    under it."""


def page_settings(ctx: ReportContext) -> PageSettings:
    return PageSettings(
        ctx.out_dir,
        ctx.inputs_hash,
        ctx.year,
        ctx.disclosure_threshold,
        tuple(sorted(ctx.programme.items())),
        ctx.data_date,
        software_version(),
    )


@cache
def software_version() -> str:
    from importlib import metadata

    return f"fabriques {metadata.version('fabriques')}"


def render_page(
    ctx: ReportContext, lang: str, template: str, relative_path: str, *, page_root: str | None = None, **variables
) -> Path:
    """Render `template` to `relative_path` under the reports folder; paths in the page are relative (`page_root`:
    from a page outside the reports folder back to it)."""
    return write_page(page_settings(ctx), PageJob(lang, template, relative_path, variables, page_root))


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
    programme = dict(settings.programme)
    html = (
        environment(job.lang)
        .get_template(job.template)
        .render(
            root=job.root if job.root is not None else "../" * job.relative_path.count("/"),
            inputs_hash=settings.inputs_hash,
            reporting_year=settings.reporting_year,
            disclosure_threshold=settings.disclosure_threshold,
            programme_name=programme_name(programme, job.lang),
            index_file=index_name(programme, job.lang),
            programme_hash=programme.get("folder_sha256", "")[:16],
            author=programme.get("publication.evaluator_name", ""),
            data_date=settings.data_date,
            software_version=settings.version,
            **job.variables,
        )
    )
    path.write_text(html, encoding="utf-8")
    return path


VERSION_LINK = N_("English version")
"""The link to a document in a language, written in that language (`Version française` in French)."""


def other_versions(lang: str, languages: tuple[str, ...], file_name) -> list[tuple[str, str, str]]:
    """(language, link text, file) of the document's other languages, for the language links of a page;
    `file_name(lang)` is the file of the document in `lang`."""
    return [(other, gettext_for(other)(VERSION_LINK), file_name(other)) for other in languages if other != lang]
