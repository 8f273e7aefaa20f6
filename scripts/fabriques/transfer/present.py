"""A scenario's figures as a table in the reader's language: for the command line and the guide's worked example."""

from __future__ import annotations

from dataclasses import dataclass

from fabriques.i18n import N_, gettext_for
from fabriques.reports import formatting
from fabriques.transfer.scenario import MIX_CLASSES, ScenarioResult

MEASURE_LABELS = {
    "people_reached": (N_("People reached over the grant years (people-years)"), "people"),
    "participations": (N_("Participations in activities over the grant years"), "visits"),
    "jobs_fte": (N_("Paid jobs in the last grant year (FTE)"), "FTE"),
    "cofunding_eur": (N_("Co-funding over the grant years"), "EUR"),
}
CLASS_LABELS = {
    "1": N_("Cities (densely populated areas)"),
    "2": N_("Towns and suburbs (intermediate density areas)"),
    "3": N_("Rural areas (thinly populated areas)"),
}


@dataclass
class ScenarioRow:
    label: str
    expected: str
    low: str
    high: str


def scenario_rows(result: ScenarioResult, lang: str) -> list[ScenarioRow]:
    _ = gettext_for(lang)
    rows = [ScenarioRow(_("Budget: grants to the hubs"), formatting.format_eur(result.budget_eur, lang), "—", "—")]
    for measure, (label, unit) in MEASURE_LABELS.items():
        estimate = result.estimates[measure]
        rows.append(
            ScenarioRow(
                _(label),
                *(
                    formatting.format_value(value, unit, lang)
                    for value in (estimate.expected, estimate.low, estimate.high)
                ),
            )
        )
    return rows


def interval_labels(interval_pct: float, lang: str) -> tuple[str, str]:
    """The bounds of the scenario's interval by what they are: the percentiles of the bootstrap totals (5th and
    95th for a 90 % interval)."""
    _ = gettext_for(lang)
    tail = (100 - interval_pct) / 2
    return tuple(
        _("Percentile %(number)s") % {"number": formatting.format_number(bound, lang, 0 if bound == int(bound) else 1)}
        for bound in (tail, 100 - tail)
    )


def class_rows(result: ScenarioResult, lang: str) -> list[tuple[str, str, str, str]]:
    """(class name, mix name, hubs, sites observed) per DEGURBA class of the mix."""
    _ = gettext_for(lang)
    names = {code: name for name, code in MIX_CLASSES.items()}
    return [
        (
            _(CLASS_LABELS[code]),
            names[code],
            formatting.format_number(count, lang),
            formatting.format_number(result.observed_sites_per_class[code], lang),
        )
        for code, count in result.hubs_per_class.items()
    ]


def scenario_text(result: ScenarioResult, lang: str) -> str:
    """The scenario as a plain-text table for the command line."""
    _ = gettext_for(lang)
    inputs, settings = result.inputs, result.settings
    lines = [
        _("Scenario: %(hubs)s hubs, %(grant)s per hub, price level %(price)s (France = 1)")
        % {
            "hubs": formatting.format_number(inputs.hubs, lang),
            "grant": formatting.format_eur(inputs.grant_per_hub_eur, lang),
            "price": formatting.format_number(inputs.price_level, lang, 2),
        },
        _(
            "Expected after %(years)s years, with a %(pct)s %% interval (%(replicates)s bootstrap replicates over "
            "the programme's sites):"
        )
        % {
            "years": settings.horizon_years,
            "pct": formatting.format_number(settings.interval_pct, lang),
            "replicates": formatting.format_number(settings.replicates, lang),
        },
        "",
    ]
    header = ScenarioRow("", _("Expected"), *interval_labels(settings.interval_pct, lang))
    rows = [header, *scenario_rows(result, lang)]
    widths = [max(len(getattr(r, column)) for r in rows) for column in ("label", "expected", "low", "high")]
    for row in rows:
        lines.append(
            f"{row.label:<{widths[0]}}  {row.expected:>{widths[1]}}  {row.low:>{widths[2]}}  {row.high:>{widths[3]}}"
        )
    lines += ["", _("Hubs by degree of urbanisation (sites observed):")]
    for name, mix_name, hubs, observed in class_rows(result, lang):
        lines.append(f"  {name} [{mix_name}]: {hubs} ({observed})")
    return "\n".join(lines)
