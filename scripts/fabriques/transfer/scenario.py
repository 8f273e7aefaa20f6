"""The scenario calculator: what a partner's version of the programme could give after the grant period, drawn
from the outcomes of the programme's own sites (marts.rpt_transfer_site_outcomes).

Method (stated in the guide and the JSON): the partner's hubs are split across DEGURBA classes by the mix
(largest remainder, so that they add up); each hub's outcomes are those of a site of the same class drawn at
random, with replacement, from the sites that lived their whole grant period. A hub's outcomes are scaled by its
grant relative to the drawn site's State grant, in French prices (the partner's grant divided by its price level
relative to France), capped at 1: a smaller grant buys proportionally less, a larger one no more than what was
observed. Co-funding is converted back to the partner's prices. The expected value is the hub count times the
mean scaled outcome of each class; the interval is the spread of the totals over bootstrap replicates (seeded:
the same warehouse and inputs give the same figures).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import duckdb
import numpy as np

MIX_CLASSES = {"cities": "1", "towns": "2", "rural": "3"}
"""Names of the mix (DEGURBA classes: 1 cities, 2 towns and suburbs, 3 rural areas)."""
MEASURES = ("people_reached", "participations", "jobs_fte", "cofunding_eur")
"""Outcomes estimated for the partner's hubs, as in transfer_site_outcomes."""
MIX_TOLERANCE = 0.001


class ScenarioError(ValueError):
    """Inputs the calculator cannot use, with what to change."""


@dataclass(frozen=True)
class ScenarioInputs:
    hubs: int
    grant_per_hub_eur: float
    mix: dict[str, float]
    """DEGURBA class code ('1', '2', '3') -> share of the hubs."""
    price_level: float = 1.0
    """The partner's price level relative to France (0.5: prices half of France's)."""


@dataclass(frozen=True)
class Settings:
    replicates: int
    interval_pct: float
    seed: int
    min_sites: int
    horizon_years: int


@dataclass
class Estimate:
    expected: float
    low: float
    high: float


@dataclass
class ScenarioResult:
    inputs: ScenarioInputs
    settings: Settings
    hubs_per_class: dict[str, int]
    observed_sites_per_class: dict[str, int]
    budget_eur: float
    estimates: dict[str, Estimate] = field(default_factory=dict)

    def to_json(self) -> dict:
        document = asdict(self)
        document["method"] = __doc__.split("\n\n", 1)[1].strip().replace("\n", " ")
        return document


def parse_mix(text: str) -> dict[str, float]:
    """`rural=0.5,towns=0.3,cities=0.2` -> {'3': 0.5, '2': 0.3, '1': 0.2}; shares must add up to 1."""
    mix: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, share = part.partition("=")
        name = name.strip().lower()
        if name not in MIX_CLASSES:
            raise ScenarioError(f"unknown class {name!r} in --mix: use {', '.join(MIX_CLASSES)}")
        try:
            value = float(share)
        except ValueError:
            raise ScenarioError(f"--mix {name}={share!r}: the share must be a number such as 0.5") from None
        if not 0 <= value <= 1 or math.isnan(value):
            raise ScenarioError(f"--mix {name}={share}: a share lies between 0 and 1")
        mix[MIX_CLASSES[name]] = mix.get(MIX_CLASSES[name], 0) + value
    if not mix:
        raise ScenarioError("--mix is empty: give shares such as rural=0.5,towns=0.3,cities=0.2")
    if abs(sum(mix.values()) - 1) > MIX_TOLERANCE:
        raise ScenarioError(f"the shares of --mix add up to {sum(mix.values()):g}, not 1")
    return mix


def hubs_per_class(hubs: int, mix: dict[str, float]) -> dict[str, int]:
    """Split the hubs by the mix, rounding by largest remainder so that the counts add up to `hubs`."""
    exact = {code: hubs * share for code, share in mix.items()}
    counts = {code: math.floor(value) for code, value in exact.items()}
    by_remainder = sorted(exact, key=lambda code: (-(exact[code] - counts[code]), code))
    for code in by_remainder[: hubs - sum(counts.values())]:
        counts[code] += 1
    return {code: counts[code] for code in sorted(counts)}


def read_settings(con: duckdb.DuckDBPyConnection) -> Settings:
    values = dict(con.execute("select parameter, value from seeds.transfer_parameters").fetchall())
    horizon = con.execute("select grant_duration_years from intermediate.int_programme_parameters_pivoted").fetchone()
    return Settings(
        replicates=int(values["scenario_replicates"]),
        interval_pct=float(values["scenario_interval_pct"]),
        seed=int(values["scenario_seed"]),
        min_sites=int(values["min_sites_per_cell"]),
        horizon_years=int(horizon[0]),
    )


def read_outcomes(con: duckdb.DuckDBPyConnection) -> dict[str, np.ndarray]:
    """DEGURBA class -> array of rows (state_grant_eur, *MEASURES) of the sites that lived their grant period."""
    rows = con.execute(f"""
        select degurba, state_grant_eur, {", ".join(MEASURES)}
        from marts.rpt_transfer_site_outcomes
        where degurba is not null
        order by site_id""").fetchall()
    by_class: dict[str, list] = {}
    for degurba, *values in rows:
        by_class.setdefault(str(degurba), []).append([float(v) for v in values])
    return {code: np.array(values) for code, values in by_class.items()}


def run_scenario(inputs: ScenarioInputs, outcomes: dict[str, np.ndarray], settings: Settings) -> ScenarioResult:
    if inputs.hubs < 1:
        raise ScenarioError("--hubs must be at least 1")
    if inputs.grant_per_hub_eur <= 0:
        raise ScenarioError("--grant-per-hub must be a positive amount in euros")
    if inputs.price_level <= 0:
        raise ScenarioError("--price-level must be positive (1 = French prices)")
    counts = hubs_per_class(inputs.hubs, inputs.mix)
    observed = {code: len(outcomes.get(code, ())) for code in counts}
    short = {code: n for code, n in observed.items() if counts[code] and n < settings.min_sites}
    if short:
        names = {v: k for k, v in MIX_CLASSES.items()}
        raise ScenarioError(
            "too few observed sites to draw from: "
            + ", ".join(
                f"{names[code]} {n} (at least {settings.min_sites} needed)" for code, n in sorted(short.items())
            )
        )
    rng = np.random.default_rng(settings.seed)
    grant_in_french_prices = inputs.grant_per_hub_eur / inputs.price_level
    totals = np.zeros((settings.replicates, len(MEASURES)))
    expected = np.zeros(len(MEASURES))
    for code, count in counts.items():
        if not count:
            continue
        sites = outcomes[code]
        scale = np.minimum(1.0, grant_in_french_prices / np.maximum(sites[:, 0], 1.0))
        scaled = sites[:, 1:] * scale[:, None]
        scaled[:, MEASURES.index("cofunding_eur")] *= inputs.price_level
        expected += count * scaled.mean(axis=0)
        draws = rng.integers(0, len(sites), size=(settings.replicates, count))
        totals += scaled[draws].sum(axis=1)
    tail = (100 - settings.interval_pct) / 2
    low, high = np.percentile(totals, [tail, 100 - tail], axis=0)
    estimates = {
        measure: Estimate(float(expected[i]), float(low[i]), float(high[i])) for i, measure in enumerate(MEASURES)
    }
    return ScenarioResult(inputs, settings, counts, observed, inputs.hubs * inputs.grant_per_hub_eur, estimates)


def scenario_from_warehouse(con: duckdb.DuckDBPyConnection, inputs: ScenarioInputs) -> ScenarioResult:
    return run_scenario(inputs, read_outcomes(con), read_settings(con))


def example_inputs(con: duckdb.DuckDBPyConnection) -> ScenarioInputs:
    """The guide's worked example (seed transfer_parameters: example_*)."""
    values = dict(
        con.execute(
            "select parameter, value from seeds.transfer_parameters where parameter like 'example_%'"
        ).fetchall()
    )
    mix = {
        code: float(values[f"example_share_{name}"])
        for name, code in MIX_CLASSES.items()
        if values.get(f"example_share_{name}")
    }
    return ScenarioInputs(int(values["example_hubs"]), float(values["example_grant_per_hub_eur"]), mix)
