"""The charts of the annual impact report: one PNG per chart, year and language, beside the pages of the year
(`annual/<year>/<chart>.<lang>.png`), every text in the page's language: title, axis titles, legend, category labels
(indicator names, activity types, beneficiary categories, programme years: the labels of the tables beside them) and
numbers in the language's format."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from fabriques.i18n import N_, gettext_for
from fabriques.reports import charts, formatting
from fabriques.reports.annual_data import (
    COVERAGE_ROLES,
    WarehouseData,
    as_float,
    breakdown_label,
    indicator_name,
    programme_year_label,
    region_rows,
    short_code,
)
from fabriques.reports.charts import OKABE_ITO

LABEL_WIDTH = 28
"""Category labels longer than this many characters wrap onto more lines."""


def wrapped(label: str) -> str:
    return "\n".join(textwrap.wrap(label, LABEL_WIDTH)) or label


def draw_charts(out_dir: Path, data: WarehouseData, year: int, langs: list[str]) -> dict[str, dict[str, str]]:
    """The charts of a year's report in each language, beside its pages (`annual/<year>/`): lang -> chart name ->
    file name."""
    folder = f"annual/{year}"
    years = [y for y in data.years if y <= year]
    drawn = {}
    for lang in langs:
        chart = Drawing(out_dir, folder, lang)
        drawn[lang] = {
            "coverage": draw_coverage(chart, data, year),
            "regions": draw_regions(chart, data, year),
            "funding": draw_funding(chart, data, years),
            "grants": draw_grants(chart, data, year),
            "activities": draw_activities(chart, data, year),
            "beneficiaries": draw_beneficiaries(chart, data, year),
            "own_revenue": draw_own_revenue(chart, data, year),
        }
    return drawn


class Drawing:
    """Where a chart is written and in which language its texts and numbers are."""

    def __init__(self, out_dir: Path, folder: str, lang: str):
        self.out_dir, self.folder, self.lang = out_dir, folder, lang
        self.gettext = gettext_for(lang)

    def text(self, message: str, suffix: str = "") -> str:
        return self.gettext(message) + suffix

    def number(self, value: float, _position=None) -> str:
        return formatting.format_number(value, self.lang)

    def millions(self, value: float, _position=None) -> str:
        return formatting.format_number(value / 1e6, self.lang, 0 if value % 1e6 == 0 else 1)

    def save(self, fig, name: str) -> str:
        """Write the chart beside the pages of its year: the page's `src` is the file name."""
        charts.save(fig, self.out_dir, f"{self.folder}/{name}.{self.lang}.png")
        return f"{name}.{self.lang}.png"


def draw_coverage(chart: Drawing, data: WarehouseData, year: int) -> str:
    codes = [data.code("coverage", role) for role in COVERAGE_ROLES]
    rows = [(code, data.indicator(code, year)) for code in codes if data.indicator(code, year)]
    fig, ax = charts.new_figure(6.4, 2.6)
    labels = [wrapped(indicator_name(data, code, chart.lang)) for code, _row in rows][::-1]
    values = [row["value"] or 0 for _code, row in rows][::-1]
    ax.barh(labels, values, color=OKABE_ITO[0], height=0.6, label=chart.text(N_("Sites labelled")))
    targets = [(i, row["target_value"]) for i, (_code, row) in enumerate(rows[::-1]) if row["target_value"] is not None]
    if targets:
        ax.scatter(
            [t for _i, t in targets],
            [i for i, _t in targets],
            marker="|",
            s=500,
            linewidths=2.5,
            color=OKABE_ITO[5],
            zorder=3,
            label=chart.text(N_("Target")),
        )
        ax.legend(loc="lower right", frameon=False, fontsize=8)
    for i, value in enumerate(values):
        ax.annotate(chart.number(value), (value, i), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_title(chart.text(N_("Labelled sites against their targets"), f", {year}"), fontsize=9)
    ax.set_xlabel(chart.text(N_("sites")))
    ax.xaxis.set_major_formatter(FuncFormatter(chart.number))
    ax.tick_params(axis="y", labelsize=7.5)
    ax.set_xlim(0, max(values + [t for _i, t in targets] + [1]) * 1.15)
    return chart.save(fig, "coverage")


def draw_regions(chart: Drawing, data: WarehouseData, year: int) -> str:
    """A tile map: one square per region at its place of the seed region_tiles (regions missing there follow in a
    row of their own), shaded by its labelled sites, with its short label and count."""
    regions = region_rows(data, year)
    placed = {r["code"]: data.region_tiles[r["code"]] for r in regions if r["code"] in data.region_tiles}
    last_row = max((t["tile_row"] for t in data.region_tiles.values()), default=-1)
    unplaced = [r for r in regions if r["code"] not in placed]
    for index, region in enumerate(unplaced):
        placed[region["code"]] = {
            "tile_column": index % 5,
            "tile_row": last_row + 1 + index // 5,
            "tile_label": region["code"],
        }
    columns = max((t["tile_column"] for t in placed.values()), default=0) + 1
    rows = max((t["tile_row"] for t in placed.values()), default=0) + 1
    fig, ax = charts.new_figure(0.9 * columns + 1.6, 0.75 * rows + 0.9)
    top = max((r["sites"] or 0 for r in regions), default=0) or 1
    shades = matplotlib.colormaps["Blues"]
    for region in regions:
        tile = placed[region["code"]]
        count = region["sites"] or 0
        share = count / top
        corner = (tile["tile_column"], -tile["tile_row"])
        ax.add_patch(Rectangle(corner, 0.94, 0.94, facecolor=shades(0.15 + 0.8 * share), edgecolor="white"))
        colour = "white" if share > 0.55 else "black"
        ax.text(
            tile["tile_column"] + 0.47,
            -tile["tile_row"] + 0.62,
            tile["tile_label"],
            ha="center",
            va="center",
            fontsize=7,
            color=colour,
        )
        ax.text(
            tile["tile_column"] + 0.47,
            -tile["tile_row"] + 0.3,
            chart.number(count),
            ha="center",
            va="center",
            fontsize=9,
            fontweight="bold",
            color=colour,
        )
    ax.set_xlim(-0.1, columns + 0.1)
    ax.set_ylim(-rows + 0.9, 1.05)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(chart.text(N_("Labelled sites by region"), f", {year}"), fontsize=9)
    return chart.save(fig, "regions")


def draw_funding(chart: Drawing, data: WarehouseData, years: list[int]) -> str:
    envelope = as_float(data.parameters.get("state_envelope_eur"))
    committed_code, paid_code = data.code("funding", "committed"), data.code("funding", "paid")
    committed = [data.value(committed_code, y) or 0 for y in years]
    paid = [data.value(paid_code, y) or 0 for y in years]
    fig, ax = charts.new_figure(6.4, 3.3)
    positions = range(len(years))
    ax.bar(
        [p - 0.2 for p in positions],
        committed,
        width=0.4,
        color=OKABE_ITO[0],
        label=chart.text(N_("Committed"), f" ({short_code(committed_code)})"),
    )
    ax.bar(
        [p + 0.2 for p in positions],
        paid,
        width=0.4,
        color=OKABE_ITO[1],
        label=chart.text(N_("Paid"), f" ({short_code(paid_code)})"),
    )
    if envelope:
        ax.axhline(
            envelope,
            color=OKABE_ITO[7],
            linestyle="--",
            linewidth=1,
            label=chart.text(N_("Envelope"), f" ({formatting.format_eur(envelope, chart.lang)})"),
        )
    ax.set_xticks(list(positions), [str(y) for y in years])
    ax.set_title(chart.text(N_("State grants committed and paid (cumulative)")), fontsize=9)
    ax.set_xlabel(chart.text(N_("year (at 31 December)")))
    ax.set_ylabel(chart.text(N_("million EUR")))
    ax.yaxis.set_major_formatter(FuncFormatter(chart.millions))
    ax.set_ylim(0, max(committed + paid + [envelope or 0, 1]) * 1.3)
    ax.legend(loc="upper left", frameon=False, fontsize=7.5, ncols=3)
    return chart.save(fig, "funding")


def draw_grants(chart: Drawing, data: WarehouseData, year: int) -> str:
    bands = data.breakdowns.get((data.code("funding", "grant_bands"), year), [])
    fig, ax = charts.new_figure(6.4, 3.3)

    def short(band):
        lower, upper = band["breakdown_lower"], band["breakdown_upper"]
        if lower is None:
            return f"< {chart.number(upper / 1000)}"
        if upper is None:
            return f"> {chart.number(lower / 1000)}"
        return f"{chart.number(lower / 1000)}–{chart.number(upper / 1000)}"

    values = [b["value"] or 0 for b in bands]
    colours = [OKABE_ITO[2] if b["breakdown_code"].startswith("band_") else OKABE_ITO[5] for b in bands]
    ax.bar([short(b) for b in bands], values, color=colours, width=0.85)
    for i, value in enumerate(values):
        ax.annotate(chart.number(value), (i, value), xytext=(0, 2), textcoords="offset points", ha="center", fontsize=8)
    ax.set_title(chart.text(N_("Sites by total State grant"), f", {year}"), fontsize=9)
    ax.set_xlabel(chart.text(N_("total State grant of the site, thousand EUR")))
    ax.set_ylabel(chart.text(N_("sites")))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(chart.number))
    ax.set_ylim(0, max([*values, 1]) * 1.15)
    ax.tick_params(axis="x", labelsize=8)
    return chart.save(fig, "grants")


def draw_activities(chart: Drawing, data: WarehouseData, year: int) -> str:
    participations_code, hours_code = data.code("activity", "participations"), data.code("activity", "hours")
    participations = data.breakdowns.get((participations_code, year), [])[::-1]
    hours = {b["breakdown_code"]: b["value"] or 0 for b in data.breakdowns.get((hours_code, year), [])}
    fig, (left, right) = charts.plt.subplots(
        1, 2, sharey=True, dpi=110, figsize=(6.8, max(2.4, 0.8 + 0.3 * len(participations)))
    )
    labels = [wrapped(breakdown_label(b, chart.lang)) for b in participations]
    codes = [b["breakdown_code"] for b in participations]
    left.barh(labels, [b["value"] or 0 for b in participations], color=OKABE_ITO[0], height=0.7)
    right.barh(labels, [hours.get(c, 0) for c in codes], color=OKABE_ITO[2], height=0.7)
    left.set_title(chart.text(N_("Participations"), f" ({short_code(participations_code)})"), fontsize=9)
    right.set_title(chart.text(N_("Hours"), f" ({short_code(hours_code)})"), fontsize=9)
    left.set_xlabel(chart.text(N_("visits")))
    right.set_xlabel(chart.text(N_("hours")))
    for axis in (left, right):
        axis.xaxis.set_major_formatter(FuncFormatter(chart.number))
        axis.xaxis.set_major_locator(MaxNLocator(3))
    left.tick_params(axis="y", labelsize=7.5)
    fig.suptitle(chart.text(N_("Activity by type"), f", {year}"), fontsize=9)
    return chart.save(fig, "activities")


def draw_beneficiaries(chart: Drawing, data: WarehouseData, year: int) -> str:
    beneficiaries = data.breakdowns.get((data.code("activity", "beneficiaries"), year), [])
    categories = [b for b in beneficiaries if b["unit"] == "people"][::-1]
    fig, ax = charts.new_figure(6.4, max(2.3, 1.0 + 0.3 * len(categories)))
    values = [b["value"] or 0 for b in categories]
    labels = [wrapped(breakdown_label(b, chart.lang)) for b in categories]
    ax.barh(labels, values, color=OKABE_ITO[3], height=0.7)
    for i, value in enumerate(values):
        ax.annotate(
            chart.number(value), (value, i), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7.5
        )
    ax.set_title(chart.text(N_("Beneficiaries by category"), f", {year}"), fontsize=9)
    ax.set_xlabel(chart.text(N_("people (categories overlap)")))
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.xaxis.set_major_formatter(FuncFormatter(chart.number))
    ax.set_xlim(0, max([*values, 1]) * 1.15)
    ax.tick_params(axis="y", labelsize=7.5)
    return chart.save(fig, "beneficiaries")


def draw_own_revenue(chart: Drawing, data: WarehouseData, year: int) -> str:
    own_revenue = data.code("economy", "own_revenue")
    shares = data.breakdowns.get((own_revenue, year), [])
    national = data.value(own_revenue, year)
    fig, ax = charts.new_figure(6.4, 3.1)
    labels = [wrapped(programme_year_label(s, chart.lang)) for s in shares]
    values = [s["value"] if s["value"] is not None else 0 for s in shares]
    ax.bar(labels, values, color=OKABE_ITO[4], width=0.6)
    for i, share in enumerate(shares):
        text = "—" if share["value"] is None else chart.number(share["value"])
        ax.annotate(text, (i, values[i]), xytext=(0, 2), textcoords="offset points", ha="center", fontsize=8)
    if national is not None:
        ax.axhline(
            national,
            color=OKABE_ITO[7],
            linestyle="--",
            linewidth=1,
            label=chart.text(N_("All sites"), f" ({short_code(own_revenue)}): {chart.number(national)}"),
        )
        ax.legend(loc="upper left", frameon=False, fontsize=8)
    ax.set_title(chart.text(N_("Share of own revenue by programme year (all sites pooled)"), f", {year}"), fontsize=9)
    ax.set_xlabel(chart.text(N_("programme year (year − label year + 1)")))
    ax.set_ylabel("%")
    ax.set_ylim(0, 100)
    ax.tick_params(axis="x", labelsize=7.5)
    return chart.save(fig, "own_revenue")
