"""matplotlib charts for the reports: colour-blind-safe palette (Okabe-Ito), title, units, alt text, and the data
table shown beside the chart. PNG files are written without metadata so that the same data gives the same bytes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
plt.rcParams.update(
    {
        "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "fabriques",
    }
)


@dataclass
class Chart:
    file: str
    """Relative to the reports folder."""
    title: str
    alt: str
    """Text alternative: what the chart shows, in a sentence."""
    columns: list[str]
    rows: list[list[str]]
    """The chart's data, formatted, for the table beside it."""
    indicator_codes: tuple[str, ...] = ()


def new_figure(width: float = 6.4, height: float = 3.2):
    return plt.subplots(figsize=(width, height), dpi=110)


def save(fig, out_dir: Path, relative: str) -> str:
    path = out_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"Software": None})
    plt.close(fig)
    return relative
