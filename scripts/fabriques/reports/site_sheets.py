"""Site sheets: one page per site labelled by 31 December of the reporting year, and per site whose registry row
was set aside, in each language of the programme.

A sheet gives the site's identity (marts.rpt_site_sheets), what was received of each table of its annual report
and whether it was used (marts.rpt_site_sheet_tables), its figures for the year beside the median of its peers
(same territorial target and DEGURBA class: marts.rpt_site_peer_comparison computes the values, medians and peer
counts), and what to fix: the rows of its own submission that were set aside, as sent, with the reason and what to
write instead (marts.fct_site_quarantined_rows, `fabriques.fixes`), and by when and to whom to send them (the
programme's [publication] settings). Counts of people below the disclosure threshold are shown as `< N`.
Everything is read in a few queries and rendered without charts: ~800 pages take a few seconds.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict

from babel.dates import format_date
from markupsafe import Markup

from fabriques.fixes import fix_rows, registry_values
from fabriques.i18n import N_, babel_locale, gettext_for, languages_of
from fabriques.reports import formatting
from fabriques.reports.context import Page, ReportContext
from fabriques.reports.pages import PageJob, other_versions, render_pages
from fabriques.site_files import site_file_names

PEOPLE_COUNT_COLUMNS = frozenset({"people_total", "people", "volunteers"})
"""Columns of the contract that count people: numbers in the reasons about them are suppressed too."""
PEOPLE_COUNT_REASONS = frozenset({"exceeds_people_total"})
SMALL_INTEGER = re.compile(r"(?<![\w.,\-−])(\d+)(?!\w|[.,]\d)")
RECEPTION = {
    "used": N_("Received and used"),
    "partly_set_aside": N_("Received; some rows set aside"),
    "set_aside": N_("Received, set aside"),
    "not_received": N_("Not received"),
}
"""How each table of the annual report was received (rpt_site_sheet_tables.reception)."""


def measure_labels(lang: str) -> dict[str, str]:
    _ = gettext_for(lang)
    return {
        "people_reached": _("People reached"),
        "participations": _("Participations in activities"),
        "activity_hours": _("Activity hours"),
        "jobs_fte": _("Paid jobs (FTE)"),
        "own_revenue_pct": _("Share of own revenue"),
        "state_paid_eur": _("State grant paid (cumulative)"),
        "places_supported": _("Places supported"),
        "reporting": _("Annual report received"),
    }


def build(ctx: ReportContext) -> list[Page]:
    year = ctx.year
    sites = ctx.rows("select * from marts.rpt_site_sheets where year = ? order by site_id", [year])
    if not sites:
        return []
    figures: dict[str, list[dict]] = defaultdict(list)
    for row in ctx.rows(
        "select * from marts.rpt_site_peer_comparison where year = ? order by site_id, sort_order", [year]
    ):
        figures[row["site_id"]].append(row)
    tables: dict[str, list[dict]] = defaultdict(list)
    for row in ctx.rows(
        "select * from marts.rpt_site_sheet_tables where year = ? order by site_id, sort_order", [year]
    ):
        tables[row["site_id"]].append(row)
    code_labels: dict[str, dict[str, str]] = defaultdict(dict)
    for row in ctx.rows("select domain, code, label from staging.stg_programme__code_lists"):
        code_labels[row["domain"]][row["code"]] = row["label"]
    quarantined: dict[str, list[dict]] = defaultdict(list)
    for row in ctx.rows(
        """
            select site_id, campaign_name, source_file, source_row, table_name, column_name, reason_code, message,
                   message_en, message_arguments, original_values
            from marts.fct_site_quarantined_rows
            where reporting_year = ?
            order by site_id, campaign_name, source_file, source_row nulls first, column_name""",
        [year],
    ):
        quarantined[row["site_id"]].append(row)

    file_names = site_file_names([site["site_id"] for site in sites])
    pages, jobs = [], []
    for site in sites:
        if site["registry_status"] != "labelled":
            sent = registry_values(site["registry_original_values"])
            site["site_name"] = sent.get("site_name") or site["site_id"]
            site["registry_sent"] = sent
    for site in sorted(sites, key=lambda s: (_sort_key(s["site_name"]), s["site_id"])):
        stem = f"sites/{year}/{file_names[site['site_id']]}"
        for lang in languages_of("site_sheet", ctx.report_languages):
            view = site_view(
                site,
                figures[site["site_id"]],
                quarantined[site["site_id"]],
                lang,
                ctx.disclosure_threshold,
                tables=tables[site["site_id"]],
                code_labels=code_labels,
            )
            title = f"{site['site_name']} ({site['site_id']})"
            jobs.append(
                PageJob(
                    lang,
                    "site_sheet.html",
                    f"{stem}.{lang}.html",
                    dict(
                        title=title,
                        year=year,
                        other_versions=other_versions(
                            lang,
                            languages_of("site_sheet", ctx.report_languages),
                            lambda other, stem=file_names[site["site_id"]]: f"{stem}.{other}.html",
                        ),
                        resubmission=resubmission(ctx, year, lang),
                        **view,
                    ),
                )
            )
            pages.append(Page(f"{stem}.{lang}.html", title, lang, "site_sheet"))
    render_pages(ctx, jobs)
    return pages


def resubmission(ctx: ReportContext, year: int, lang: str) -> dict[str, str]:
    """Whom a site sends its corrected rows to, and by when (the programme's [publication] settings): the deadline
    is the month and day given, in the year after the reporting year."""
    settings = ctx.programme
    month, day = (int(part) for part in settings["publication.resubmission_deadline"].split("-"))
    return {
        "evaluator": settings["publication.evaluator_name"],
        "contact": Markup.escape(settings["publication.evaluator_contact"]),
        "deadline": format_date(dt.date(year + 1, month, day), format="long", locale=babel_locale(lang)),
    }


def site_view(
    site: dict,
    figures: list[dict],
    quarantined: list[dict],
    lang: str,
    threshold: int,
    tables: list[dict] | None = None,
    code_labels: dict[str, dict[str, str]] | None = None,
) -> dict:
    _ = gettext_for(lang)
    names = measure_labels(lang)
    tables = tables or []
    reception = {table["table_name"]: table["reception"] for table in tables}
    rows = []
    for figure in figures:
        measure = figure["measure_code"]
        name = names.get(measure) or _localised(figure["indicator_name"], lang) or measure
        site_text, site_suppressed = _figure_text(figure, figure["site_value"], lang, threshold)
        if measure == "reporting":
            site_text = (
                _("No value") if figure["site_value"] is None else (_("Yes") if figure["site_value"] > 0 else _("No"))
            )
            if figure["site_value"] == 0 and reception.get("site_year") == "set_aside":
                site_text = gettext_for(lang)(RECEPTION["set_aside"])  # received, but its row could not be used
            peer_value = figure["peer_mean"]
            peer_text = (
                formatting.format_value(peer_value, "%", lang) + " " + _("of peers reported")
                if peer_value is not None
                else formatting.not_available(lang)
            )
            bars = None
        else:
            peer_value = figure["peer_median"]
            peer_text, peer_suppressed = _figure_text(figure, peer_value, lang, threshold)
            bars = None if site_suppressed or peer_suppressed else _bars(figure["site_value"], peer_value)
        rows.append(
            {
                "measure": measure,
                "name": name,
                "indicator_code": figure["indicator_code"],
                "site_text": site_text,
                "peer_text": peer_text,
                "peer_count": figure["peer_count"],
                "peer_value_count": figure["peer_value_count"],
                "bars": bars,
                "is_people_count": figure["is_people_count"],
            }
        )
    peer_count = figures[0]["peer_count"] if figures else 0
    fixes = [_suppressed_fix(view, threshold) for view in fix_rows(quarantined, code_labels or {}, lang)]
    fixes.sort(key=lambda view: view["table"] != "registry")  # a registry row set aside first: the others follow
    return {
        "site": site,
        "registry_set_aside": site.get("registry_status", "labelled") != "labelled",
        "identity": _identity(site, lang)
        if site.get("registry_status", "labelled") == "labelled"
        else _sent_identity(site, lang),
        "tables": [
            {
                "name": table["table_name"],
                "label": _localised(table["table_label"], lang),
                "reception": table["reception"],
                "reception_text": gettext_for(lang)(RECEPTION[table["reception"]]),
                "rows_used": table["rows_used"],
                "rows_set_aside": table["rows_set_aside"],
            }
            for table in tables
        ],
        "rows_to_send": sum(1 for fix in fixes if fix["to_send"]),
        "has_something_to_send": any(fix["to_send"] for fix in fixes) or any(t["reception"] != "used" for t in tables),
        "figures": rows,
        "peer_count": peer_count,
        "peer_group": {
            "territory_target": _label(site, "territory_target", lang),
            "degurba": _label(site, "degurba", lang),
        },
        "quarantined": fixes,
        "not_available": formatting.not_available(lang),
    }


def _figure_text(figure: dict, value: float | None, lang: str, threshold: int) -> tuple[str, bool]:
    """The figure as shown, and whether it was suppressed (a count of people below the threshold)."""
    if figure["is_people_count"]:
        text = formatting.suppress_small_count(value, lang, threshold)
        return text, value is not None and 0 < value < threshold
    return formatting.format_value(value, figure["unit"], lang), False


def _bars(site_value: float | None, peer_value: float | None) -> dict | None:
    """Widths (%) of two CSS bars, the site's and the peers' median, scaled on the larger one."""
    if site_value is None or peer_value is None:
        return None
    largest = max(site_value, peer_value)
    if largest <= 0:
        return None
    return {"site": round(100 * site_value / largest, 1), "peers": round(100 * peer_value / largest, 1)}


def _identity(site: dict, lang: str) -> list[tuple[str, str]]:
    _ = gettext_for(lang)
    commune = f"{site['commune_name'] or ''} ({site['commune_code']})".strip()
    department = (
        f"{site['department_name']} ({site['department_code']})"
        if site["department_name"]
        else site["department_code"] or formatting.not_available(lang)
    )
    degurba = site["degurba"]
    return [
        (_("Site identifier"), site["site_id"]),
        (_("Commune"), commune),
        (_("Department"), department),
        (_("Region"), site["region_name"] or site["region_code"] or formatting.not_available(lang)),
        (_("Territorial target"), _label(site, "territory_target", lang)),
        (
            _("Degree of urbanisation (DEGURBA)"),
            f"{degurba} — {_label(site, 'degurba', lang)}" if degurba else _("unknown"),
        ),
        (_("Labelled on"), format_date(site["label_date"], format="long", locale=babel_locale(lang))),
        (_("Selection round"), str(site["label_round"]) if site["label_round"] is not None else ""),
        (_("Type"), _label(site, "fabrique_type", lang)),
        (_("Status"), _label(site, "site_status", lang)),
    ]


def _sent_identity(site: dict, lang: str) -> list[tuple[str, str]]:
    """What the sheet can say of a site whose registry row was set aside: the row's values as sent."""
    _ = gettext_for(lang)
    sent = site.get("registry_sent", {})
    return [
        (_("Site identifier"), site["site_id"]),
        (_("Commune"), sent.get("commune_insee", "")),
        (_("Labelled on"), sent.get("label_date", "")),
        (_("Territorial target"), sent.get("territory_target", "")),
    ]


def _suppressed_fix(view: dict, threshold: int) -> dict:
    """A row set aside as a site-level page may show it: counts of people below the threshold written `< N`, in
    the reason and in the values sent under a people column."""
    if view.get("column") in PEOPLE_COUNT_COLUMNS or view["reason_code"] in PEOPLE_COUNT_REASONS:
        view["message"] = suppress_counts_in_text(view["message"] or "", threshold)
        view["remedy"] = suppress_counts_in_text(view["remedy"] or "", threshold)
        if view.get("value"):
            view["value"] = suppress_counts_in_text(view["value"], threshold)
    view["sent"] = [
        (header, column, suppress_counts_in_text(value, threshold) if column in PEOPLE_COUNT_COLUMNS else value)
        for header, column, value in view["sent"]
    ]
    return view


def suppress_counts_in_text(text: str, threshold: int) -> str:
    """Whole numbers from 1 to threshold − 1 in a reason about people are written `< threshold`."""

    def replace(match: re.Match) -> str:
        number = int(match.group(1))
        return f"<\u00a0{threshold}" if 0 < number < threshold else match.group(0)

    return SMALL_INTEGER.sub(replace, text)


def _label(site: dict, column: str, lang: str) -> str:
    """The label of one of the site's codes (rpt_site_sheets' `<column>_label`, through the catalogues), or the
    code when the code list does not hold it."""
    code = site[column]
    if code is None:
        return formatting.not_available(lang)
    label = site[f"{column}_label"]
    return gettext_for(lang)(label) if label else str(code)


def _localised(text: str | None, lang: str) -> str | None:
    return None if text is None else gettext_for(lang)(text)


def _sort_key(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
