"""The charts of the transfer guide (one PNG per language: its texts are in the guide's language)."""

from __future__ import annotations

from pathlib import Path

from matplotlib.ticker import FuncFormatter

from fabriques.reports import charts
from fabriques.reports.charts import OKABE_ITO


def draw_viability(
    out_dir: Path,
    relative: str,
    series: list[tuple[str, list[float | None], bool]],
    band_labels: list[str],
    y_label: str,
    x_label: str,
    title: str,
) -> str:
    """The median share of own revenue by programme-year band, one line per group of sites (`series`: name,
    median per band or None, whether it is all sites, drawn thicker); returns the file written."""
    fig, ax = charts.new_figure(6.4, 3.2)
    positions = list(range(len(band_labels)))
    for index, (name, medians, is_all_sites) in enumerate(series):
        points = [(p, m) for p, m in zip(positions, medians, strict=True) if m is not None]
        if points:
            ax.plot(
                [p for p, _m in points],
                [m for _p, m in points],
                marker="o",
                color=OKABE_ITO[index],
                linewidth=2.2 if is_all_sites else 1.4,
                label=name,
            )
    ax.set_xticks(positions, band_labels)
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}"))
    ax.set_ylabel(y_label)
    ax.set_xlabel(x_label)
    ax.set_title(title, fontsize=9)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="lower right", frameon=False, fontsize=7.5)
    return charts.save(fig, out_dir, relative)
