#!/usr/bin/env python3
"""Generate deterministic demo reporting campaigns for the Fabriques de Territoire warehouse.

One campaign folder per reporting year (``campaign-2020`` ... ``campaign-2024``), each a full campaign as the
reporting pack describes it (docs/REPORTING_PACK.md, sections 1-3): ``registry``,
``grants`` and ``payments`` (cumulative, everything dated up to 31 Dec of the year) and ``reports/`` with that
year's site reports.  Next to the campaigns, ``injected_defects.csv`` lists every defect put in on purpose
(campaign, file, spreadsheet row, column, reason code), so that a test can check each one is quarantined.

The sites are the real 382 Fabriques of ``data/reference/anct_fabriques_territoire_2024-01.csv`` (names, commune
codes with their real quirks: 49069 is an older code, 97801 is Saint-Martin).  Everything else is invented but
anchored on the published programme figures (data/reference/PROVENANCE.md):

* labelled sites, running totals by ANCT rank: 80 on 3 Feb 2020 (all QPV), 110, 170 in October 2020
  (102 QPV / 68 rural), 189, 218 on 30 Mar 2021, 300 by end 2021 (150 QPV / 150 rural), 382 after the 2023
  round; rounds without a published date get a plausible one (see ROUNDS);
* State funding ("50 k€ a year over 3 years, 75-150 k€ a site, 45 M€ in all"): the 300 sites of rounds 1-8 get
  75-150 k€ each (66 % at 150 k€), about 40.5 M€ in all, as one decision paid in three yearly tranches or three
  yearly decisions; the 2023 round gets 50 k€ flat a site (published: 80 new sites at 50 k€; below the 75 k€
  bound on purpose: that is a real finding, kept); about 44.7 M€ in all, under the 45 M€ envelope.  A site closed
  before its last tranche keeps less than it was promised;
* France Tiers-Lieux Panorama 2023: legal forms 51 % association, 19 % company, 11 % local authority, 7 % SCIC,
  2 % SCOP (rest other); about 252 k€ turnover per place (the Fabriques are smaller in their first years);
* "Nos territoires en action" 2021: funding about 50 % public grants / 50 % own revenue (here the own share
  grows with the years since labelling, about 50 % on average).

Reporting: about 95 % of the labelled sites report each year; a quarter send one workbook
``reports/<site_id>.xlsx``, the others' rows arrive in CSV files per table (per region, per part, per target).

Injected defects (about 0.5-1 % of rows, at least one of each reason code per campaign): invalid_number,
invalid_date, negative_value, out_of_range, invalid_code, missing_value, unknown_commune, unknown_site,
unknown_grant, duplicate_row (the later copy), duplicate_key_conflict (both rows), exceeds_people_total,
payment_exceeds_grant (the extra, latest payment), invalid_siret (loaded empty and flagged, logged too), and one
unreadable file (row empty).  One defect per row at most.  One site per campaign has its registry row quarantined:
its rows in every other table are logged ``unknown_site`` and the payments on its grants ``unknown_grant``; a grant
with a defect likewise takes its payments (``unknown_grant``), so grants without payments are preferred.  The
registry rows of the other defective sites only carry a SIRET failure or an exact copy, never quarantining.

Senders' formats are mixed on purpose (CSV ``;``/``,``, Windows-1252/UTF-8/UTF-8 with BOM, French and German
number formats with normal, non-breaking and narrow spaces, ``€`` signs, ISO and French dates, headers varying
by case, accents and spaces, commune codes that lost their leading zero, XLSX cells typed or as text).
Output is byte-identical for the same arguments: one ``random.Random`` per purpose seeded from ``--seed``, no
global random state, no timestamps (workbook properties and zip entry dates are fixed).

Usage::

    python scripts/generate_demo.py --out DIR [--seed 2020] [--years 2020-2024] [--sites N] [--scale K] [--csv-only]

``--sites N`` keeps the first N sites by ANCT rank (small fixtures); ``--scale K`` repeats the site list K times
with new ids (``fabt-01-x2`` ...), same distributions, and writes every table as CSV (no workbooks) for speed;
``--csv-only`` does the same at scale 1 (the benchmark's scale factors are all CSV, as a national export is).
Standard library and openpyxl only.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
import random
import shutil
import sys
import time
import zipfile
from pathlib import Path

from fabriques import contract
from fabriques.contract import TABLES as CONTRACT_TABLES

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
SEEDS = ROOT / "seeds"

# ---------------------------------------------------------------------------------------------------------------
# Programme facts (published figures) and contract tables
# ---------------------------------------------------------------------------------------------------------------

# (round, label date, running total of labelled sites after the round, QPV sites in the round)
ROUNDS = [
    (1, dt.date(2020, 2, 3), 80, 80),  # published: 80 on 3 Feb 2020, all QPV
    (2, dt.date(2020, 7, 16), 110, 8),  # published total 110
    (3, dt.date(2020, 10, 8), 170, 14),  # published: 170 in Oct 2020, 102 QPV / 68 rural
    (4, dt.date(2020, 12, 14), 189, 7),  # published total 189
    (5, dt.date(2021, 3, 30), 218, 11),  # published: 218 on 30 Mar 2021
    (6, dt.date(2021, 6, 21), 245, 10),
    (7, dt.date(2021, 9, 27), 270, 9),
    (8, dt.date(2021, 12, 6), 300, 11),  # published: 300 by end 2021, 150 QPV / 150 rural
    (9, dt.date(2023, 7, 10), 382, 41),  # the 2023 round: 382 in all, half QPV overall
]
STATE_TOTAL_SHARE_AT_150K = 0.66  # rounds 1-8: share of sites at the 150 k€ maximum
LOWER_STATE_AMOUNTS_EUR = [75_000, 80_000, 90_000, 100_000, 100_000, 110_000, 120_000, 120_000, 125_000, 130_000]
ROUND9_STATE_EUR = 50_000
STATE_PROGRAMME = "fabriques"

TABLES = [table.name for table in CONTRACT_TABLES]
REPORT_TABLES = [table.name for table in CONTRACT_TABLES if table.is_site_report]
DEMO_KIND = {
    contract.TEXT: "text",
    contract.CODE: "code",
    contract.INTEGER: "int",
    contract.YEAR: "year",
    contract.DECIMAL: "dec",
    contract.MONEY: "money",
    contract.DATE: "date",
    contract.COMMUNE: "commune",
    contract.SIRET: "siret",
}
"""How the demo writes a value of each kind of the contract (fabriques.contract): text, code, int, year, dec,
money (int cents), date, commune, siret."""
WRITTEN_AS = {("grants", "idAttribuant"): "siret"}
"""Columns the demo writes as another kind than the contract's: a funder id is a SIRET, which spreadsheets turn
into a number."""
SCHEMA = {
    table.name: [
        (column.name, WRITTEN_AS.get((table.name, column.name), DEMO_KIND[column.kind])) for column in table.columns
    ]
    for table in CONTRACT_TABLES
}
KIND = {table: dict(cols) for table, cols in SCHEMA.items()}
KEYS = {table.name: table.key for table in CONTRACT_TABLES if table.key}
HEADER_ACCENTS = {"referenceDecision": "référenceDécision", "datesPeriodeVersement": "datesPériodeVersement"}

LEGAL_FORMS = [("association", 51), ("company", 19), ("local_authority", 11), ("scic", 7), ("scop", 2), ("other", 10)]
ACTIVITY_WEIGHTS = {  # by fabrique_type
    "territoire": {
        "coworking": 14,
        "fablab": 8,
        "digital_inclusion": 10,
        "training": 10,
        "culture": 12,
        "food_agriculture": 8,
        "public_services": 8,
        "reuse_repair": 9,
        "entrepreneurship": 8,
        "social_solidarity": 10,
        "other": 3,
    },
    "numerique": {
        "coworking": 12,
        "fablab": 18,
        "digital_inclusion": 20,
        "training": 14,
        "culture": 5,
        "food_agriculture": 2,
        "public_services": 6,
        "reuse_repair": 6,
        "entrepreneurship": 10,
        "social_solidarity": 5,
        "other": 2,
    },
}
OWN_LINES = ["own_sales", "own_services", "own_memberships"]
COFUNDING_LINE = {
    "region": "public_region",
    "department": "public_department",
    "municipal": "public_municipal",
    "eu": "public_eu",
    "private": "private_grants",
}
SUPPORT_TYPES = [("coaching", 35), ("training", 20), ("equipment", 15), ("pooling", 20), ("other", 10)]
PLACE_KINDS = [
    "Tiers-lieu",
    "Café associatif",
    "Médiathèque",
    "Atelier partagé",
    "France services",
    "Espace de vie sociale",
    "Fablab",
    "Recyclerie",
    "Maison des associations",
    "Jardin partagé",
    "Point numérique",
    "Épicerie solidaire",
]
COFUNDING_PURPOSES = [
    "Aménagement du tiers-lieu",
    "Programme d'animation {y}",
    "Équipement du fablab : machines, outillage",
    "Investissement ; travaux et mobilier",
    "Soutien au poste de coordination",
    "Médiation numérique {y}",
    "Accompagnement de porteurs de projets, ateliers collectifs",
    "Étude de faisabilité",
]
UNKNOWN_FUNDERS = [  # funders absent from the programme's funders.csv (loaded as `unknown`, not a defect)
    ("region", "Région Normandie"),
    ("department", "Département de l'Hérault"),
    ("municipal", "Communauté d'agglomération du Grand Guéret"),
    ("private", "Fondation Crédit Coopératif"),
    ("private", "Fonds de dotation Terres d'avenir"),
]
CATALOGUE_REGION_DEPS = {
    "Département du Nord": "59",
    "Département de la Gironde": "33",
    "Département de la Seine-Saint-Denis": "93",
    "Département du Puy-de-Dôme": "63",
}
CATALOGUE_REGIONS = {
    "Région Auvergne-Rhône-Alpes": "84",
    "Région Hauts-de-France": "32",
    "Région Occitanie": "76",
    "Région Nouvelle-Aquitaine": "75",
    "Région Grand Est": "44",
    "Région Bretagne": "53",
}

DEFECT_RATE = 0.006  # share of written rows that carry an injected defect (on top of one of each kind)
FIXED_TIMESTAMP = dt.datetime(2024, 1, 1, 0, 0, 0)
CSV_PROFILES = ["csv_fr", "csv_plain", "csv_fr_utf8", "csv_de", "csv_plain_bom"]
MAIN_FORMATS = ["csv_fr", "csv_plain", "xlsx", "csv_fr_utf8", "csv_de", "csv_plain_bom"]


# ---------------------------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------------------------


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_complete(prefix: str) -> str:
    """Append the digit that makes prefix + digit pass the Luhn check."""
    return next(prefix + c for c in "0123456789" if luhn_ok(prefix + c))


def make_siret(rng: random.Random) -> str:
    """A 14-digit SIRET whose SIREN (9 digits) and SIRET both pass the Luhn check."""
    while True:
        siren = luhn_complete(str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(7)))
        if not siren.startswith("356000000"):  # La Poste SIRETs follow another rule
            return luhn_complete(siren + rng.choice(["0001", "0002", "0003", "0004"]))


def weighted(rng: random.Random, pairs):
    items, weights = zip(*pairs, strict=False)
    return rng.choices(items, weights=weights)[0]


def rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def split_cents(total: int, parts: int) -> list[int]:
    base = total // parts
    return [base] * (parts - 1) + [total - base * (parts - 1)]


def slug(text: str) -> str:
    table = str.maketrans("àâäéèêëîïôöùûüçÀÂÉÈÊÎÔÙÛÇ' ", "aaaeeeeiioouuucAAEEEIOUUC--")
    return "".join(c for c in text.translate(table).lower() if c.isalnum() or c == "-").strip("-")


def with_de(prefix: str, name: str) -> str:
    """'Tiers-lieu' + 'Arles' -> "Tiers-lieu d'Arles"; handles Le/Les."""
    if name.startswith("Le "):
        return f"{prefix} du {name[3:]}"
    if name.startswith("Les "):
        return f"{prefix} des {name[4:]}"
    if name[:1] in "AEIOUYÉÈÎÂaeiouy":
        return f"{prefix} d'{name}"
    return f"{prefix} de {name}"


# ---------------------------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------------------------


def read_csv(path: Path, delimiter: str = ",") -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def load_reference() -> dict:
    sites = sorted(read_csv(REFERENCE / "anct_fabriques_territoire_2024-01.csv"), key=lambda r: int(r["fabt_rank"]))
    communes = [r for r in read_csv(REFERENCE / "insee_cog2026_communes.csv") if r["TYPECOM"] == "COM"]
    by_dep: dict[str, list[tuple[str, str]]] = {}
    for r in communes:
        by_dep.setdefault(r["DEP"], []).append((r["COM"], r["LIBELLE"]))
    known = {r["COM"] for r in communes}
    for r in read_csv(REFERENCE / "insee_cog2026_mouvements-communes.csv"):
        known.update((r["COM_AV"], r["COM_AP"]))
    deps = {r["DEP"]: r["REG"] for r in read_csv(REFERENCE / "insee_cog2026_departements.csv")}
    regions = {r["REG"]: r["LIBELLE"] for r in read_csv(REFERENCE / "insee_cog2026_regions.csv")}
    qpv = {r["insee_com"] for r in read_csv(REFERENCE / "anct_qpv2024_communes.csv")}
    funders = read_csv(ROOT / "programmes" / "fabriques-de-territoire" / "funders.csv")
    unknown_codes = [c for c in ["99999", "99101", "96001", "98000", "97999", "99500"] if c not in known]
    return {
        "sites": sites,
        "communes_by_dep": by_dep,
        "dep_region": deps,
        "regions": regions,
        "qpv": qpv,
        "funders": funders,
        "unknown_communes": unknown_codes,
    }


# ---------------------------------------------------------------------------------------------------------------
# Label plan: rounds, dates, QPV / rural (pure function of the site list and the seed)
# ---------------------------------------------------------------------------------------------------------------


def plan_labels(sites: list[dict], qpv_communes: set[str], seed: int) -> dict[str, dict]:
    """Assign round, label date and territory target to each site, by ANCT rank, matching the published totals.

    Within a round, the QPV sites are drawn first among the sites whose commune has a QPV (2024 list), then among
    the others (the QPV list changed in 2024, and a Fabrique may serve a neighbouring commune's QPV)."""
    rng = random.Random(f"{seed}:labels")
    ordered = sorted(sites, key=lambda r: int(r["fabt_rank"]))
    plan: dict[str, dict] = {}
    start = 0
    for i, (rnd, date, total, n_qpv) in enumerate(ROUNDS):
        end = len(ordered) if i == len(ROUNDS) - 1 else min(total, len(ordered))
        members = ordered[start:end]
        in_qpv = [s for s in members if s["insee_com"] in qpv_communes]
        others = [s for s in members if s["insee_com"] not in qpv_communes]
        rng.shuffle(in_qpv)
        rng.shuffle(others)
        chosen = {s["id_fabt"] for s in (in_qpv + others)[:n_qpv]}
        for s in members:
            plan[s["id_fabt"]] = {
                "label_round": rnd,
                "label_date": date,
                "territory_target": "qpv" if s["id_fabt"] in chosen else "rural",
            }
        start = end
    return plan


def running_totals(plan: dict[str, dict]) -> list[tuple[int, dt.date, int, int, int]]:
    """(round, label date, cumulated sites, cumulated qpv, cumulated rural) after each round."""
    out, n, q = [], 0, 0
    for rnd, date, _, _ in ROUNDS:
        members = [p for p in plan.values() if p["label_round"] == rnd]
        n += len(members)
        q += sum(p["territory_target"] == "qpv" for p in members)
        out.append((rnd, date, n, q, n - q))
    return out


# ---------------------------------------------------------------------------------------------------------------
# The "true" history: sites, grants, payments, reports
# ---------------------------------------------------------------------------------------------------------------


def build_sites(ref: dict, n_sites: int | None, scale: int, seed: int) -> list[dict]:
    plan = plan_labels(ref["sites"], ref["qpv"], seed)
    base = ref["sites"][:n_sites] if n_sites else ref["sites"]
    rng = random.Random(f"{seed}:sites")
    sites = []
    for copy in range(1, scale + 1):
        for r in base:
            site_id = r["id_fabt"] if copy == 1 else f"{r['id_fabt']}-x{copy}"
            p = plan[r["id_fabt"]]
            dep = r["insee_dep"]
            label = p["label_date"]
            closed = paused = None
            if label.year <= 2021 and rng.random() < 0.03:
                closed = rng.choice([2022, 2023, 2024])
            elif rng.random() < 0.04:
                paused = rng.choice([y for y in (2022, 2023, 2024) if y >= label.year])
            ftype = "territoire" if rng.random() < 0.66 else "numerique"
            sites.append(
                {
                    "site_id": site_id,
                    "rank": int(r["fabt_rank"]),
                    "copy": copy,
                    "site_name": r["lib_projet"],
                    "commune_insee": r["insee_com"],
                    "dep": dep,
                    "region": ref["dep_region"].get(dep, ""),
                    "label_round": p["label_round"],
                    "label_date": label,
                    "territory_target": p["territory_target"],
                    "fabrique_type": ftype,
                    "legal_form": weighted(rng, LEGAL_FORMS),
                    "siret": "" if rng.random() < 0.04 else make_siret(rng),
                    "closed_year": closed,
                    "paused_year": paused,
                    # size and behaviour, stable over the years
                    "revenue_base": rng.lognormvariate(math.log(190_000), 0.45),
                    "people_base": rng.lognormvariate(math.log(750), 0.7),
                    "own_bias": rng.gauss(0, 0.08),
                    "activities": draw_activities(rng, ftype),
                    "network": draw_network(rng, ref["communes_by_dep"].get(dep, []), r["insee_com"]),
                    "workbook": rng.random() < 0.25,
                }
            )
    return sites


def draw_activities(rng: random.Random, ftype: str) -> list[str]:
    weights = ACTIVITY_WEIGHTS[ftype]
    chosen: list[str] = []
    for _ in range(rng.randint(2, 6)):
        pool = [(a, w) for a, w in weights.items() if a not in chosen]
        chosen.append(weighted(rng, pool))
    return chosen


def draw_network(rng: random.Random, communes: list[tuple[str, str]], own: str) -> list[tuple[str, str, str]]:
    pool = [c for c in communes if c[0] != own]
    places = []
    for code, name in rng.sample(pool, min(len(pool), 6)):  # distinct communes: no accidental duplicate rows
        places.append((with_de(rng.choice(PLACE_KINDS), name), code, weighted(rng, SUPPORT_TYPES)))
    return places


def site_status(site: dict, year: int) -> str:
    if site["closed_year"] and year >= site["closed_year"]:
        return "closed"
    if site["paused_year"] == year:
        return "paused"
    return "active"


def build_funding(sites: list[dict], funders: list[dict], seed: int) -> tuple[list[dict], list[dict]]:
    """State grants (rounds 1-8: 75-150 k€, round 9: 50 k€ flat), co-funding grants, and their payments."""
    rng = random.Random(f"{seed}:funding")
    state_funders = [f for f in funders if f["funder_type"] == "state"]
    anct = state_funders[0]
    by_type: dict[str, list[dict]] = {}
    for f in funders:
        by_type.setdefault(f["funder_type"], []).append(f)
    unknown = [(t, n, make_siret(rng)) for t, n in UNKNOWN_FUNDERS]

    early = [s for s in sites if s["label_round"] <= 8]
    lower = set(s["site_id"] for s in rng.sample(early, round(len(early) * (1 - STATE_TOTAL_SHARE_AT_150K))))
    grants: list[dict] = []
    payments: list[dict] = []
    seq: dict[str, int] = {}

    def next_ref(prefix: str, year: int) -> str:
        key = f"{prefix}-{year}"
        seq[key] = seq.get(key, 0) + 1
        return f"{key}-{seq[key]:04d}"

    def add_grant(site, funder_name, funder_id, date, objet, cents, terms, period, programme, prefix):
        g = {
            "referenceDecision": next_ref(prefix, date.year),
            "site_id": site["site_id"],
            "nomAttribuant": funder_name,
            "idAttribuant": funder_id,
            "dateConvention": date,
            "objet": objet,
            "montant": cents,
            "conditionsVersement": terms,
            "datesPeriodeVersement": period,
            "programme": programme,
            "_funder_type": "state" if programme == STATE_PROGRAMME else prefix,
        }
        grants.append(g)
        return g

    def pay(grant, date, cents, site):
        if site["closed_year"] and date.year > site["closed_year"]:
            return  # the remaining tranche of a closed site is never paid
        payments.append(
            {
                "referenceDecision": grant["referenceDecision"],
                "payment_date": date,
                "amount_eur": cents,
                "_site_id": site["site_id"],
                "_funder_type": grant["_funder_type"],
            }
        )

    for s in sites:
        label = s["label_date"]
        funder = anct if rng.random() < 0.75 else rng.choice(state_funders[1:])
        short = s["site_name"] if len(s["site_name"]) <= 60 else s["site_name"][:57].rstrip() + "..."
        conv = label + dt.timedelta(days=rng.randint(18, 50))
        if s["label_round"] <= 8:
            total = (rng.choice(LOWER_STATE_AMOUNTS_EUR) if s["site_id"] in lower else 150_000) * 100
            tranches = split_cents(total, 3)
            if rng.random() < 0.6:  # one decision paid in three yearly tranches
                period = f"{conv.isoformat()}/{conv.year + 2}-12-31" if rng.random() < 0.7 else ""
                g = add_grant(
                    s,
                    funder["funder_name"],
                    funder["funder_id"],
                    conv,
                    f"Fabrique de territoire « {short} » – fonctionnement {conv.year}-{conv.year + 2}",
                    total,
                    "echelonne",
                    period,
                    STATE_PROGRAMME,
                    "FABT",
                )
                pay(g, conv + dt.timedelta(days=rng.randint(25, 75)), tranches[0], s)
                for k in (1, 2):
                    pay(g, dt.date(conv.year + k, rng.randint(3, 6), rng.randint(1, 28)), tranches[k], s)
            else:  # three yearly decisions
                for k in range(3):
                    date = conv if k == 0 else dt.date(conv.year + k, rng.randint(1, 4), rng.randint(1, 28))
                    if s["closed_year"] and date.year > s["closed_year"]:
                        break
                    period = f"{date.year}-01-01/{date.year}-12-31" if rng.random() < 0.5 else ""
                    g = add_grant(
                        s,
                        funder["funder_name"],
                        funder["funder_id"],
                        date,
                        f"Fabrique de territoire « {short} » – année {k + 1}/3",
                        tranches[k],
                        "unique",
                        period,
                        STATE_PROGRAMME,
                        "FABT",
                    )
                    pay(g, date + dt.timedelta(days=rng.randint(20, 60)), tranches[k], s)
        else:  # the 2023 round: 50 k€ flat
            total = ROUND9_STATE_EUR * 100
            if rng.random() < 0.5:
                g = add_grant(
                    s,
                    funder["funder_name"],
                    funder["funder_id"],
                    conv,
                    f"Fabrique de territoire « {short} » – soutien {conv.year}",
                    total,
                    "unique",
                    "",
                    STATE_PROGRAMME,
                    "FABT",
                )
                pay(g, conv + dt.timedelta(days=rng.randint(25, 70)), total, s)
            else:
                g = add_grant(
                    s,
                    funder["funder_name"],
                    funder["funder_id"],
                    conv,
                    f"Fabrique de territoire « {short} » – soutien {conv.year}-{conv.year + 1}",
                    total,
                    "echelonne",
                    f"{conv.isoformat()}/{conv.year + 1}-12-31",
                    STATE_PROGRAMME,
                    "FABT",
                )
                pay(g, conv + dt.timedelta(days=rng.randint(25, 70)), total * 6 // 10, s)
                pay(g, dt.date(conv.year + 1, rng.randint(3, 6), rng.randint(1, 28)), total - total * 6 // 10, s)

        # co-funding
        options = [("municipal", 30), ("private", 15), ("eu", 10)]
        regions = [f for f in by_type["region"] if CATALOGUE_REGIONS.get(f["funder_name"]) == s["region"]]
        departments = [f for f in by_type["department"] if CATALOGUE_REGION_DEPS.get(f["funder_name"]) == s["dep"]]
        if regions:
            options.append(("region", 30))
        if departments:
            options.append(("department", 15))
        for _ in range(weighted(rng, [(0, 20), (1, 35), (2, 30), (3, 15)])):
            year = rng.randint(label.year, min(2024, label.year + 3))
            start = max(label + dt.timedelta(days=15), dt.date(year, 1, 1))
            if start.year > 2024:
                continue
            date = rand_date(rng, start, dt.date(start.year, 12, 31))
            ftype = weighted(rng, options)
            if rng.random() < 0.03:
                ftype, name, fid = rng.choice(unknown)
            else:
                if ftype == "region":
                    f = regions[0]
                elif ftype == "department":
                    f = departments[0]
                elif ftype == "eu":
                    f = by_type["eu"][1 if s["territory_target"] == "rural" and rng.random() < 0.6 else 0]
                else:
                    f = rng.choice(by_type[ftype])
                name, fid = f["funder_name"], f["funder_id"]
            low, high = {
                "region": (10, 60),
                "department": (5, 30),
                "municipal": (3, 40),
                "eu": (20, 90),
                "private": (5, 25),
            }[ftype]
            cents = rng.randint(low * 2, high * 2) * 500 * 100
            programme = {"eu": rng.choice(["FEDER", "LEADER", "cofinancement"])}.get(ftype, "cofinancement")
            objet = rng.choice(COFUNDING_PURPOSES).format(y=date.year)
            prefix = {"region": "REG", "department": "DEP", "municipal": "MUN", "eu": "UE", "private": "PRV"}[ftype]
            if rng.random() < 0.7:
                g = add_grant(s, name, fid, date, objet, cents, "unique", "", programme, prefix)
                pay(g, date + dt.timedelta(days=rng.randint(30, 120)), cents, s)
            else:
                g = add_grant(
                    s,
                    name,
                    fid,
                    date,
                    objet,
                    cents,
                    "echelonne",
                    f"{date.isoformat()}/{date.year + 1}-12-31",
                    programme,
                    prefix,
                )
                pay(g, date + dt.timedelta(days=rng.randint(30, 90)), cents // 2, s)
                pay(g, date + dt.timedelta(days=rng.randint(240, 420)), cents - cents // 2, s)
    return grants, payments


RAMP = [0.55, 0.75, 0.9, 1.0, 1.08]
OWN_SHARE = [0.34, 0.42, 0.5, 0.56, 0.6]


def build_reports(sites: list[dict], year: int, payments: list[dict], seed: int) -> dict[str, list[dict]]:
    """Site reports for `year`: every site labelled by 31 Dec `year` that reports (about 95 %)."""
    rng = random.Random(f"{seed}:reports:{year}")
    paid: dict[tuple[str, str], int] = {}
    for p in payments:
        if p["payment_date"].year == year:
            key = (p["_site_id"], p["_funder_type"])
            paid[key] = paid.get(key, 0) + p["amount_eur"]
    out: dict[str, list[dict]] = {t: [] for t in REPORT_TABLES}
    for s in sites:
        if s["label_date"].year > year:
            continue
        status = site_status(s, year)
        if s["closed_year"] and year > s["closed_year"]:
            continue
        p_report = 0.6 if status == "closed" else 0.5 if status == "paused" else 0.96
        if rng.random() >= p_report:
            continue
        ys = min(year - s["label_date"].year, 4)
        ramp = RAMP[ys] * (0.5 if status != "active" else 1.0)
        sid = s["site_id"]
        people = max(60, min(9000, round(s["people_base"] * ramp * rng.uniform(0.85, 1.15))))
        revenue = s["revenue_base"] * ramp * rng.uniform(0.9, 1.1) * 100  # cents

        # finances: own revenue share grows with the years since labelling
        own_share = min(0.8, max(0.1, OWN_SHARE[ys] + s["own_bias"] + rng.gauss(0, 0.04)))
        state = min(paid.get((sid, "state"), 0), round(revenue * 0.5))
        known = {
            line: paid.get((sid, ft), 0)
            for ft, line in [
                ("region", "public_region"),
                ("department", "public_department"),
                ("municipal", "public_municipal"),
                ("eu", "public_eu"),
                ("private", "private_grants"),
            ]
        }
        own = round(revenue * own_share)
        rest = round(revenue) - own - state - sum(known.values())
        lines = {}
        w_sales, w_serv, w_memb = rng.uniform(0.2, 0.6), rng.uniform(0.3, 0.6), rng.uniform(0.05, 0.2)
        tot_w = w_sales + w_serv + w_memb
        lines["own_sales"] = round(own * w_sales / tot_w)
        lines["own_services"] = round(own * w_serv / tot_w)
        lines["own_memberships"] = own - lines["own_sales"] - lines["own_services"]
        lines["public_state"] = state
        extra = {k: 0 for k in ["public_region", "public_department", "public_municipal", "private_grants", "other"]}
        if rest > 0:
            weights = {
                "public_region": rng.uniform(0, 3),
                "public_department": rng.uniform(0, 2),
                "public_municipal": rng.uniform(1, 4),
                "private_grants": rng.uniform(0, 1.5),
                "other": rng.uniform(0.2, 1.5),
            }
            wsum = sum(weights.values())
            for k, w in weights.items():
                extra[k] = round(rest * w / wsum)
        for line in ["public_region", "public_department", "public_municipal", "public_eu", "private_grants", "other"]:
            lines[line] = known.get(line, 0) + extra.get(line, 0)
        total_lines = 0
        for line, cents in lines.items():
            cents = round(cents / 100) * 100  # whole euros, as most sites report
            if cents > 0 or (cents == 0 and rng.random() < 0.15):
                out["finances"].append({"site_id": sid, "year": year, "line": line, "amount_eur": cents})
                total_lines += cents
        expenses = round(total_lines * rng.uniform(0.94, 1.06) / 100) * 100

        fte = round(min(6.0, max(1.0, total_lines / 100 / 55_000 * rng.uniform(0.8, 1.2))), 1)
        out["site_year"].append(
            {
                "site_id": sid,
                "year": year,
                "people_total": people,
                "employees_fte": fte,
                "jobs_created": 0.0 if rng.random() < 0.5 else round(rng.uniform(0.2, 1.5), 1),
                "volunteers": min(150, int(rng.lognormvariate(math.log(14), 0.7))),
                "open_days": rng.randint(60, 150) if status != "active" else rng.randint(150, 300),
                "expenses_eur": expenses,
            }
        )

        # activities: participations >= people; hours = sessions x 2-4
        acts = list(s["activities"])
        if rng.random() < 0.15 and len(acts) > 2:
            acts.pop(rng.randrange(len(acts)))
        participations = people * rng.uniform(2.0, 7.0)
        weights = [rng.uniform(0.5, 2.0) for _ in acts]
        for act, w in zip(acts, weights, strict=False):
            part = max(5, round(participations * w / sum(weights)))
            sessions = max(1, round(part / rng.uniform(6, 25)))
            out["activities"].append(
                {
                    "site_id": sid,
                    "year": year,
                    "activity_type": act,
                    "sessions": sessions,
                    "hours": round(sessions * rng.uniform(2, 4), 1),
                    "participations": part,
                }
            )

        # beneficiaries ("of which" counts, each <= people_total; organisations count bodies)
        shares = {
            "residents_qpv": (0.3, 0.7) if s["territory_target"] == "qpv" else (0.0, 0.08),
            "residents_rural": (0.4, 0.9) if s["territory_target"] == "rural" else None,
            "jobseekers": (0.05, 0.25),
            "youth_under_26": (0.15, 0.4),
            "seniors_over_60": (0.08, 0.3),
            "women": (0.45, 0.6),
            "entrepreneurs": (0.03, 0.15),
        }
        for cat, rng_share in shares.items():
            if rng_share is None or rng.random() < 0.12:
                continue
            n = min(people, round(people * rng.uniform(*rng_share)))
            if n == 0 and cat == "residents_qpv":
                continue
            out["beneficiaries"].append({"site_id": sid, "year": year, "category": cat, "people": n})
        if rng.random() < 0.85:
            out["beneficiaries"].append(
                {"site_id": sid, "year": year, "category": "organisations", "people": rng.randint(3, 80)}
            )

        # network: smaller places supported, more with the years
        n_places = min(len(s["network"]), max(0, round(rng.uniform(0, 2) + ys * rng.uniform(0.3, 1.2))))
        for name, code, support in s["network"][:n_places]:
            out["network"].append(
                {"site_id": sid, "year": year, "place_name": name, "commune_insee": code, "support_type": support}
            )
    return out


# ---------------------------------------------------------------------------------------------------------------
# Formats: how a sender writes values
# ---------------------------------------------------------------------------------------------------------------


class Fmt:
    """Writing conventions of one file (CSV) or one workbook (XLSX)."""

    def __init__(self, rng: random.Random, profile: str):
        self.profile = profile
        self.xlsx = profile == "xlsx"
        self.delimiter, self.encoding, self.newline = ",", "utf-8", "\n"
        self.num, self.sep, self.euro, self.drop_cents = "plain", " ", False, False
        self.dates, self.drop_zero = "iso", 0.0
        # XLSX: probability that a numeric cell arrives as text, that a date arrives typed, codes typed as numbers
        self.text_p, self.date_typed_p, self.codes_numeric = 0.0, 1.0, False
        if profile == "csv_fr":
            self.delimiter, self.encoding, self.newline = ";", "cp1252", "\r\n"
            self.num, self.sep, self.euro = "fr", rng.choice([" ", "\u00a0"]), rng.random() < 0.7
            self.dates, self.drop_zero = "fr", rng.choice([0.0, 0.5, 1.0])
        elif profile == "csv_fr_utf8":
            self.delimiter, self.encoding = ";", "utf-8-sig"
            self.num, self.sep, self.euro = "fr", rng.choice(["\u202f", "\u00a0", " "]), rng.random() < 0.3
            self.dates = rng.choice(["iso", "fr"])
        elif profile == "csv_de":
            self.delimiter, self.num, self.dates = ";", "de", "fr"
        elif profile == "csv_plain":
            self.drop_cents = rng.random() < 0.5
        elif profile == "csv_plain_bom":
            self.encoding, self.newline, self.drop_cents = "utf-8-sig", "\r\n", True
            self.drop_zero = 0.3
        elif profile == "xlsx":
            self.num, self.sep = "fr", rng.choice([" ", "\u00a0"])
            self.text_p = rng.choice([0.0, 0.0, 0.1, 0.3])
            self.date_typed_p = rng.choice([1.0, 0.8, 0.0])
            self.codes_numeric = rng.random() < 0.5
        self.header_mode = rng.choice(["canonical", "canonical", "mixed"])

    # text renderings -------------------------------------------------------------------------------------------
    def group(self, units: int, sep: str) -> str:
        s = str(units)
        parts = []
        while len(s) > 3:
            parts.insert(0, s[-3:])
            s = s[:-3]
        return sep.join([s, *parts])

    def money(self, cents: int, num: str | None = None) -> str:
        num = num or self.num
        sign, cents = ("-" if cents < 0 else ""), abs(cents)
        units, rest = divmod(cents, 100)
        if num == "plain":
            s = str(units) if (rest == 0 and self.drop_cents) else f"{units}.{rest:02d}"
        elif num == "fr":
            s = self.group(units, self.sep) + ("" if rest == 0 and self.drop_cents else f",{rest:02d}")
            if self.euro:
                s += self.sep + "€"
        else:  # de
            s = self.group(units, ".") + f",{rest:02d}"
        return sign + s

    def dec(self, x: float, num: str | None = None) -> str:
        num = num or self.num
        s = f"{abs(x):.2f}".rstrip("0").rstrip(".")
        whole, _, frac = s.partition(".")
        if num == "fr":
            s = self.group(int(whole), self.sep) + ("," + frac if frac else "")
        elif num == "de":
            s = whole + ("," + frac if frac else "")
        return ("-" if x < 0 else "") + s

    def integer(self, n: int, num: str | None = None) -> str:
        num = num or self.num
        if num == "fr":
            return ("-" if n < 0 else "") + self.group(abs(n), self.sep)
        return str(n)

    def date(self, d: dt.date) -> str:
        return d.strftime("%d/%m/%Y") if self.dates == "fr" else d.isoformat()

    def commune(self, code: str, rng: random.Random) -> str:
        if self.drop_zero and code.startswith("0") and rng.random() < self.drop_zero:
            return code[1:]
        return code

    def text_value(self, kind: str, value, rng: random.Random) -> str:
        """The value as a CSV sender writes it."""
        if value is None or value == "":
            return ""
        if kind == "money":
            return self.money(value)
        if kind == "dec":
            return self.dec(value)
        if kind == "int":
            return self.integer(value)
        if kind == "date":
            return self.date(value)
        if kind == "commune":
            return self.commune(value, rng)
        return str(value)

    def cell_value(self, kind: str, value, rng: random.Random):
        """The value as an XLSX cell: typed (number, date) or text in the French format."""
        if value is None or value == "":
            return None
        as_text = self.text_p and rng.random() < self.text_p
        if kind == "money":
            return self.money(value, "fr") if as_text else (value // 100 if value % 100 == 0 else value / 100)
        if kind == "dec":
            return self.dec(value, "fr") if as_text else float(value)
        if kind == "int":
            return self.integer(value, "fr") if as_text else int(value)
        if kind == "year":
            return int(value)
        if kind == "date":
            if rng.random() < self.date_typed_p:
                return value
            return value.strftime("%d/%m/%Y") if rng.random() < 0.7 else value.isoformat()
        if kind in ("commune", "siret") and self.codes_numeric and str(value).isdigit() and rng.random() < 0.7:
            return int(value)  # a spreadsheet turned the code into a number (a leading zero is lost)
        return str(value)

    def headers(self, columns: list[str], rng: random.Random) -> list[str]:
        if self.header_mode == "canonical":
            return list(columns)
        out = []
        for col in columns:
            h = col
            choice = rng.random()
            if col in HEADER_ACCENTS and rng.random() < 0.6:
                h = HEADER_ACCENTS[col]
            if choice < 0.25:
                h = h[:1].upper() + h[1:]
            elif choice < 0.4:
                h = h.upper()
            elif choice < 0.55:
                h = "_".join(p[:1].upper() + p[1:] for p in h.split("_"))
                h = h[:-3] + "_ID" if h.endswith("_Id") else h
            if rng.random() < 0.2:
                h = f" {h} "
            out.append(h)
        return out


# ---------------------------------------------------------------------------------------------------------------
# Rows and files of a campaign
# ---------------------------------------------------------------------------------------------------------------


class Row:
    """One row as sent: typed values, textual overrides (bad values are written verbatim) and its defects."""

    __slots__ = ("copy_of", "defects", "raw", "rendered", "table", "touched", "values")

    def __init__(self, table: str, values: dict):
        self.table, self.values, self.raw = table, values, {}
        self.defects: list[tuple[str, str, str]] = []
        self.copy_of: Row | None = None
        self.touched = False
        self.rendered = None

    @property
    def site_id(self) -> str | None:
        return self.values.get("site_id")

    def key(self) -> tuple:
        return KEYS.get(self.table, ())


class Unit:
    """A file (CSV) or a sheet of a workbook (XLSX) holding rows of one table."""

    def __init__(self, table: str, path: str, fmt: Fmt, sheet: str | None = None):
        self.table, self.path, self.fmt, self.sheet = table, path, fmt, sheet
        self.rows: list[Row] = []
        self.columns = [c for c, _ in SCHEMA[table]]

    @property
    def label(self) -> str:
        return f"{self.path}#{self.sheet}" if self.sheet else self.path


class Campaign:
    def __init__(self, year: int, rng: random.Random):
        self.year, self.rng = year, rng
        self.name = f"campaign-{year}"
        self.units: list[Unit] = []
        self.extra_files: dict[str, bytes] = {}
        self.log: list[tuple] = []

    def units_of(self, table: str) -> list[Unit]:
        return [u for u in self.units if u.table == table]


def assemble_campaign(
    year: int,
    sites: list[dict],
    grants: list[dict],
    payments: list[dict],
    reports: dict[str, list[dict]],
    seed: int,
    index: int,
    scale: int,
    region_names: dict,
    csv_only: bool = False,
) -> Campaign:
    """Rows of campaign `year` laid out in files, in the formats of this year's senders."""
    rng = random.Random(f"{seed}:campaign:{year}")
    c = Campaign(year, rng)
    end = dt.date(year, 12, 31)
    in_registry = [s for s in sites if s["label_date"] <= end]
    known = {s["site_id"] for s in in_registry}

    def main_unit(table: str, offset: int) -> Unit:
        profile = MAIN_FORMATS[(index + offset) % len(MAIN_FORMATS)]
        if csv_only and profile == "xlsx":
            profile = "csv_fr"
        fmt = Fmt(rng, profile)
        ext = "xlsx" if fmt.xlsx else "csv"
        unit = Unit(table, f"{table}.{ext}", fmt, sheet=table if fmt.xlsx else None)
        if rng.random() < 0.2 and table != "payments":  # some exports put the columns in another order
            rest = unit.columns[1:]
            rng.shuffle(rest)
            unit.columns = unit.columns[:1] + rest
        c.units.append(unit)
        return unit

    reg = main_unit("registry", 0)
    for s in in_registry:
        name = s["site_name"]
        if not reg.fmt.xlsx and len(name) > 110 and rng.random() < 0.5:  # a line break typed inside the cell
            cut = name.find(" ", len(name) // 2)
            name = name[:cut] + "\n" + name[cut + 1 :] if cut > 0 else name
        reg.rows.append(
            Row(
                "registry",
                {
                    "site_id": s["site_id"],
                    "site_name": name,
                    "commune_insee": s["commune_insee"],
                    "label_date": s["label_date"],
                    "label_round": s["label_round"],
                    "territory_target": s["territory_target"],
                    "fabrique_type": s["fabrique_type"],
                    "legal_form": s["legal_form"],
                    "siret": s["siret"],
                    "status": site_status(s, year),
                },
            )
        )

    gra = main_unit("grants", 2)
    refs = set()
    for g in sorted(grants, key=lambda g: (g["dateConvention"], g["referenceDecision"])):
        if g["dateConvention"] <= end and g["site_id"] in known:
            gra.rows.append(Row("grants", {k: v for k, v in g.items() if not k.startswith("_")}))
            refs.add(g["referenceDecision"])
    pay = main_unit("payments", 4)
    for p in sorted(payments, key=lambda p: (p["payment_date"], p["referenceDecision"])):
        if p["payment_date"] <= end and p["referenceDecision"] in refs:
            pay.rows.append(Row("payments", {k: v for k, v in p.items() if not k.startswith("_")}))

    # reports: a quarter of the sites send one workbook, the others' rows arrive in CSV files per table
    by_site = {s["site_id"]: s for s in sites}
    workbook_sites = []
    if not csv_only:
        for s in in_registry:
            flip = rng.random() < 0.1
            if s["workbook"] != flip:
                workbook_sites.append(s["site_id"])
    workbook_set = set(workbook_sites)
    workbook_units: dict[str, dict[str, Unit]] = {}
    for sid in workbook_sites:
        fmt = Fmt(rng, "xlsx")
        workbook_units[sid] = {t: Unit(t, f"reports/{sid}.xlsx", fmt, sheet=t) for t in REPORT_TABLES}
    csv_rows = {t: [r for r in reports[t] if r["site_id"] not in workbook_set] for t in REPORT_TABLES}
    for t in REPORT_TABLES:
        for r in reports[t]:
            if r["site_id"] in workbook_set:
                workbook_units[r["site_id"]][t].rows.append(Row(t, dict(r)))
    for sid in workbook_sites:
        if any(u.rows for u in workbook_units[sid].values()):  # a site that did not report sends nothing
            c.units.extend(workbook_units[sid].values())

    def csv_unit(table: str, name: str) -> Unit:
        unit = Unit(table, f"reports/{name}.csv", Fmt(rng, rng.choice(CSV_PROFILES)))
        c.units.append(unit)
        return unit

    # site_year: one file per region (as regional relays collect them)
    groups: dict[str, list[dict]] = {}
    for r in csv_rows["site_year"]:
        region = by_site[r["site_id"]]["region"]
        groups.setdefault(slug(region_names.get(region, "collectivites-outre-mer")), []).append(r)
    for key in sorted(groups):
        u = csv_unit("site_year", f"site_year_{key}")
        u.rows = [Row("site_year", dict(r)) for r in groups[key]]
    # activities: parts of a national export
    part = 700 * scale
    rows = csv_rows["activities"]
    for i in range(0, max(len(rows), 1), part):
        u = csv_unit("activities", f"activities_part{i // part + 1}")
        u.rows = [Row("activities", dict(r)) for r in rows[i : i + part]]
    # beneficiaries: one file per territory target
    for target in ("qpv", "rural"):
        u = csv_unit("beneficiaries", f"beneficiaries_{target}")
        u.rows = [
            Row("beneficiaries", dict(r))
            for r in csv_rows["beneficiaries"]
            if by_site[r["site_id"]]["territory_target"] == target
        ]
    u = csv_unit("finances", f"finances_{year}")
    u.rows = [Row("finances", dict(r)) for r in csv_rows["finances"]]
    u = csv_unit("network", "network")
    u.rows = [Row("network", dict(r)) for r in csv_rows["network"]]
    return c


# ---------------------------------------------------------------------------------------------------------------
# Defect injection
# ---------------------------------------------------------------------------------------------------------------

TABLE_REASONS = {
    "registry": ["invalid_siret", "duplicate_row"],  # plus one cascading registry defect per campaign
    "grants": [
        "invalid_number",
        "invalid_date",
        "missing_value",
        "invalid_code",
        "duplicate_row",
        "duplicate_key_conflict",
        "unknown_site",
    ],
    "payments": ["invalid_number", "invalid_date", "missing_value", "unknown_grant", "payment_exceeds_grant"],
    "site_year": [
        "invalid_number",
        "negative_value",
        "out_of_range",
        "missing_value",
        "duplicate_row",
        "duplicate_key_conflict",
        "unknown_site",
    ],
    "activities": [
        "invalid_number",
        "negative_value",
        "invalid_code",
        "missing_value",
        "duplicate_row",
        "duplicate_key_conflict",
        "unknown_site",
    ],
    "beneficiaries": [
        "invalid_number",
        "negative_value",
        "invalid_code",
        "missing_value",
        "exceeds_people_total",
        "duplicate_row",
        "duplicate_key_conflict",
    ],
    "finances": [
        "invalid_number",
        "negative_value",
        "invalid_code",
        "missing_value",
        "duplicate_row",
        "duplicate_key_conflict",
        "unknown_site",
    ],
    "network": ["unknown_commune", "invalid_code", "unknown_site"],
}
ALL_REASONS = [
    "invalid_number",
    "invalid_date",
    "negative_value",
    "out_of_range",
    "invalid_code",
    "missing_value",
    "unknown_commune",
    "unknown_site",
    "unknown_grant",
    "duplicate_row",
    "duplicate_key_conflict",
    "exceeds_people_total",
    "payment_exceeds_grant",
    "invalid_siret",
]
DEFECT_COLUMNS = {
    "invalid_number": {
        "grants": ["montant"],
        "payments": ["amount_eur"],
        "site_year": ["people_total", "volunteers", "open_days", "expenses_eur", "employees_fte"],
        "activities": ["sessions", "hours", "participations"],
        "beneficiaries": ["people"],
        "finances": ["amount_eur"],
    },
    "invalid_date": {"grants": ["dateConvention"], "payments": ["payment_date"]},
    "negative_value": {
        "site_year": ["volunteers", "expenses_eur", "employees_fte", "people_total"],
        "activities": ["sessions", "hours", "participations"],
        "beneficiaries": ["people"],
        "finances": ["amount_eur"],
    },
    "out_of_range": {"site_year": ["open_days"]},
    "invalid_code": {
        "grants": ["conditionsVersement"],
        "activities": ["activity_type"],
        "beneficiaries": ["category"],
        "finances": ["line"],
        "network": ["support_type"],
    },
    "missing_value": {
        "grants": ["montant"],
        "payments": ["amount_eur", "payment_date"],
        "site_year": ["people_total"],
        "activities": ["activity_type"],
        "beneficiaries": ["category"],
        "finances": ["line"],
    },
    "unknown_commune": {"network": ["commune_insee"]},
}
BAD_CODES = {
    "conditionsVersement": ["mensuel", "trimestriel"],
    "activity_type": ["cowork", "atelier", "repair cafe"],
    "category": ["chomeurs", "retraites", "familles"],
    "line": ["subvention", "dons", "recettes"],
    "support_type": ["conseil", "pret", "visite"],
}
CONFLICT_COLUMN = {
    "grants": "montant",
    "site_year": "people_total",
    "activities": "sessions",
    "beneficiaries": "people",
    "finances": "amount_eur",
}
REGISTRY_CASCADE = ["unknown_commune", "invalid_code", "out_of_range", "unknown_commune", "invalid_date"]


class Injector:
    def __init__(self, c: Campaign, unknown_communes: list[str]):
        self.c, self.rng, self.year = c, c.rng, c.year
        self.unknown_communes = unknown_communes
        self.excluded_sites: set[str] = set()  # sites whose registry row carries a defect
        self.grant_done: set[str] = set()  # grants that carry a defect or whose payments do
        self.site_year_done: set[tuple] = set()  # site-years whose site_year row is touched
        self.unknown_ids = 0
        self._exceed_candidates = None
        self._site_years = None
        self.grant_payments: dict[str, list[Row]] = {}
        for u in c.units_of("payments"):
            for r in u.rows:
                self.grant_payments.setdefault(r.values["referenceDecision"], []).append(r)
        self.grant_site = {r.values["referenceDecision"]: r.site_id for u in c.units_of("grants") for r in u.rows}
        self.refs = set(self.grant_site)
        self.ref_list = sorted(self.refs)

    # helpers ---------------------------------------------------------------------------------------------------
    def mark(self, row: Row, column: str, reason: str, description: str):
        row.defects.append((column, reason, description))
        row.touched = True
        if row.table == "site_year":
            self.site_year_done.add((row.values["site_id"], row.values["year"]))

    def pick(self, table: str, ok=lambda unit, row: True, tries: int = 200):
        units = [u for u in self.c.units_of(table) if u.rows]
        if not units:
            return None
        weights = [len(u.rows) for u in units]
        for _ in range(tries):
            unit = self.rng.choices(units, weights=weights)[0]
            index = self.rng.randrange(len(unit.rows))
            row = unit.rows[index]
            if row.touched or row.copy_of is not None or row.site_id in self.excluded_sites:
                continue
            if table == "payments" and (
                row.values["referenceDecision"] in self.grant_done
                or self.grant_site.get(row.values["referenceDecision"]) in self.excluded_sites
            ):
                continue
            if table == "grants" and row.values["referenceDecision"] in self.grant_done:
                continue
            if ok(unit, row):
                return unit, row, index
        return None

    def value_text(self, unit: Unit, row: Row, column: str) -> str:
        kind = KIND[unit.table][column]
        fmt = unit.fmt
        if fmt.xlsx:
            fmt = (
                Fmt(random.Random(0), "csv_fr_utf8") if self.rng.random() < 0.5 else Fmt(random.Random(0), "csv_plain")
            )
        return fmt.text_value(kind, row.values[column], random.Random(0))

    def cascade_grant(self, ref: str, why: str):
        """A quarantined grant takes its payments with it (their parent is missing)."""
        self.grant_done.add(ref)
        for p in self.grant_payments.get(ref, []):
            if not p.touched:
                self.mark(p, "referenceDecision", "unknown_grant", f"grant {ref} is quarantined ({why})")

    def unpaid_first(self, unit, row) -> bool:
        return row.values["referenceDecision"] not in self.grant_payments

    def new_unknown_site(self) -> str:
        """fabt-999, fabt-998, ... (real ids stop at fabt-382; copies end in -xK), then fabt-9600 and up."""
        self.unknown_ids += 1
        n = self.unknown_ids
        return f"fabt-{1000 - n}" if n < 600 else f"fabt-{9000 + n}"

    # registry --------------------------------------------------------------------------------------------------
    def registry_cascade(self, reason: str) -> bool:
        """One site per campaign whose registry row is quarantined: all its rows elsewhere become unknown_site."""
        has_rows = {r.site_id for t in [*REPORT_TABLES, "grants"] for u in self.c.units_of(t) for r in u.rows}
        found = self.pick("registry", lambda u, r: r.site_id in has_rows)
        if not found:
            return False
        _unit, row, _ = found
        sid = row.site_id
        if reason == "unknown_commune":
            code = self.rng.choice(self.unknown_communes)
            row.values["commune_insee"] = code
            self.mark(row, "commune_insee", reason, f"commune {code} does not exist")
        elif reason == "invalid_code":
            row.values["territory_target"] = "urbain"
            self.mark(row, "territory_target", reason, "territory_target 'urbain' is not qpv/rural")
        elif reason == "out_of_range":
            row.values["label_round"] = 12
            self.mark(row, "label_round", reason, "label_round 12 is outside 1-10")
        else:
            row.raw["label_date"] = f"31/02/{row.values['label_date'].year}"
            self.mark(row, "label_date", "invalid_date", "label_date 31 February does not exist")
        self.excluded_sites.add(sid)
        for t in ["grants", *REPORT_TABLES]:
            for u in self.c.units_of(t):
                for r in u.rows:
                    if r.site_id == sid:
                        self.mark(r, "site_id", "unknown_site", f"site {sid} is quarantined in the registry")
                        if t == "grants":
                            self.cascade_grant(r.values["referenceDecision"], f"site {sid} unknown")
        return True

    def invalid_siret(self) -> bool:
        found = self.pick("registry", lambda u, r: bool(r.values["siret"]))
        if not found:
            return False
        _unit, row, _ = found
        good = row.values["siret"]
        bad = good[:-1] + str((int(good[-1]) + self.rng.randint(1, 9)) % 10)
        row.values["siret"] = bad
        self.mark(row, "siret", "invalid_siret", f"SIRET {bad} fails the Luhn check (loaded empty, flagged)")
        self.excluded_sites.add(row.site_id)
        return True

    # generic in-place defects ------------------------------------------------------------------------------------
    def in_place(self, table: str, reason: str) -> bool:
        columns = DEFECT_COLUMNS[reason][table]
        ok = lambda u, r: True  # noqa: E731
        if table == "grants":
            ok = self.unpaid_first
        found = self.pick(table, ok) or (self.pick(table) if table == "grants" else None)
        if not found:
            return False
        unit, row, _ = found
        column = self.rng.choice(columns)
        if reason == "invalid_code":
            bad = self.rng.choice(BAD_CODES[column])
            row.values[column] = bad
            desc = f"{column} '{bad}' is not in the code list"
        elif reason == "invalid_number":
            text = self.value_text(unit, row, column)
            variant = self.rng.random()
            if variant < 0.15:
                bad = "n/a"
            elif variant < 0.4:
                bad = f"env. {text}"
            elif "0" in text:
                i = text.rfind("0")
                bad = text[:i] + "O" + text[i + 1 :]
            elif "1" in text:
                bad = text.replace("1", "l", 1)
            else:
                bad = text + "?"
            row.raw[column] = bad
            desc = f"{column} '{bad}' is not a number"
        elif reason == "invalid_date":
            y = row.values[column].year
            bad = self.rng.choice([f"31/02/{y}", f"{y}-02-30", f"31/04/{y}", f"{y}-13-05"])
            row.raw[column] = bad
            desc = f"{column} '{bad}' is not a valid date"
        elif reason == "negative_value":
            v = row.values[column]
            kind = KIND[table][column]
            if kind == "money":
                v = -(abs(v) or 120_000)
            elif kind == "dec":
                v = -(abs(v) or 1.5)
            else:
                v = -(abs(v) or 3)
            row.values[column] = v
            desc = f"{column} is negative"
        elif reason == "out_of_range":
            v = self.rng.choice([400, 367, 999])
            row.values[column] = v
            desc = f"{column} {v} is outside 0-366"
        elif reason == "missing_value":
            row.raw[column] = ""
            desc = f"required {column} is empty"
        elif reason == "unknown_commune":
            code = self.rng.choice(self.unknown_communes)
            row.values[column] = code
            desc = f"commune {code} does not exist"
        else:
            raise ValueError(reason)
        self.mark(row, column, reason, desc)
        if table == "grants":
            self.cascade_grant(row.values["referenceDecision"], reason)
        return True

    # rows added to the files -----------------------------------------------------------------------------------
    def insert_after(self, unit: Unit, i: int, new: Row, at_end: bool = False):
        pos = len(unit.rows) if at_end else self.rng.randint(i + 1, min(len(unit.rows), i + 8))
        unit.rows.insert(pos, new)

    def duplicate_row(self, table: str) -> bool:
        found = (self.pick(table, self.unpaid_first) if table == "grants" else None) or self.pick(table)
        if not found:
            return False
        unit, row, index = found
        copy = Row(table, dict(row.values))
        copy.raw = dict(row.raw)
        copy.copy_of = row
        self.insert_after(unit, index, copy)
        row.touched = True
        first = SCHEMA[table][0][0]
        self.mark(copy, first, "duplicate_row", f"exact copy of row {self.describe(row)}")
        if table == "registry":
            self.excluded_sites.add(row.site_id)
        if table == "grants":
            self.grant_done.add(row.values["referenceDecision"])
        if table == "site_year":
            self.site_year_done.add((row.values["site_id"], row.values["year"]))
        return True

    def describe(self, row: Row) -> str:
        return " / ".join(str(row.values[k]) for k in row.key()) or "above"

    def duplicate_key_conflict(self, table: str) -> bool:
        if table == "beneficiaries":  # lower the count, so the conflict cannot also exceed people_total
            found = self.pick(table, lambda u, r: r.values["people"] >= 3)
        else:
            found = self.pick(table, self.unpaid_first if table == "grants" else (lambda u, r: True))
            found = found or self.pick(table)
        if not found:
            return False
        unit, row, index = found
        column = CONFLICT_COLUMN[table]
        other = Row(table, dict(row.values))
        v = row.values[column]
        if KIND[table][column] == "money":
            delta = max(100_00, (v // 10) // 100_00 * 100_00)
            other.values[column] = v - delta if v > 2 * delta and self.rng.random() < 0.5 else v + delta
        elif table == "beneficiaries" or v >= 20:
            other.values[column] = v - self.rng.randint(1, v // 3)
        else:
            other.values[column] = v + self.rng.choice([1, 2, 5, 10])
        self.insert_after(unit, index, other, at_end=self.rng.random() < 0.5)
        first = SCHEMA[table][0][0]
        key = self.describe(row)
        self.mark(row, first, "duplicate_key_conflict", f"key {key} also sent with another {column}")
        self.mark(other, first, "duplicate_key_conflict", f"key {key} also sent with another {column}")
        if table == "grants":
            self.cascade_grant(row.values["referenceDecision"], "duplicate reference")
        return True

    def unknown_site(self, table: str) -> bool:
        units = [u for u in self.c.units_of(table) if u.rows]
        csv_units = [u for u in units if not u.fmt.xlsx]
        units = csv_units or units
        if not units:
            return False
        unit = self.rng.choice(units)
        clean = [r for r in unit.rows[:50] if not r.touched and r.copy_of is None] or [
            r for r in unit.rows if not r.touched and r.copy_of is None
        ]
        if not clean:
            return False
        new = Row(table, dict(self.rng.choice(clean).values))  # a clean row, given to a site that does not exist
        sid = self.new_unknown_site()
        new.values["site_id"] = sid
        if table == "grants":
            ref = f"FABT-{self.year}-X{self.unknown_ids:04d}"  # no real reference has a letter there
            new.values["referenceDecision"] = ref
            self.refs.add(ref)
        unit.rows.insert(self.rng.randint(0, len(unit.rows)), new)
        self.mark(new, "site_id", "unknown_site", f"site {sid} is not in the registry")
        return True

    def unknown_grant(self) -> bool:
        units = self.c.units_of("payments")
        if not units:
            return False
        unit = units[0]
        ref = ""
        while not ref or ref in self.refs:
            base = self.rng.choice(self.ref_list) if self.ref_list and self.rng.random() < 0.5 else ""
            ref = base + "B" if base else f"FABT-{self.year - 1}-{self.rng.randint(8000, 8999)}"
        when = rand_date(self.rng, dt.date(self.year, 1, 1), dt.date(self.year, 12, 31))
        new = Row(
            "payments",
            {"referenceDecision": ref, "payment_date": when, "amount_eur": self.rng.randint(10, 50) * 1000 * 100},
        )
        unit.rows.insert(self.rng.randint(0, len(unit.rows)), new)
        self.mark(new, "referenceDecision", "unknown_grant", f"no grant {ref}")
        return True

    def payment_exceeds_grant(self) -> bool:
        units = self.c.units_of("payments")
        if not units:
            return False
        unit = units[0]
        if self._exceed_candidates is None:  # built once per campaign: grants paid before mid-December
            grants = {r.values["referenceDecision"]: r for u in self.c.units_of("grants") for r in u.rows}
            self._exceed_candidates = []
            for ref, rows in self.grant_payments.items():
                last = max(p.values["payment_date"] for p in rows)
                if ref in grants and last < dt.date(self.year, 12, 20):
                    self._exceed_candidates.append((ref, grants[ref], rows, last))
        for _ in range(200):
            if not self._exceed_candidates:
                return False
            ref, g, rows, last = self.rng.choice(self._exceed_candidates)
            if not (
                g.touched or ref in self.grant_done or g.site_id in self.excluded_sites or any(p.touched for p in rows)
            ):
                break
        else:
            return False
        paid = sum(p.values["amount_eur"] for p in rows)
        over = max(100_00, g.values["montant"] // 10 // 10000 * 10000)
        new = Row(
            "payments",
            {
                "referenceDecision": ref,
                "payment_date": rand_date(self.rng, last + dt.timedelta(days=1), dt.date(self.year, 12, 31)),
                "amount_eur": g.values["montant"] - paid + over,
            },
        )
        unit.rows.append(new)  # the latest payment, and the last row
        self.grant_done.add(ref)
        self.mark(
            new,
            "amount_eur",
            "payment_exceeds_grant",
            f"sum paid on {ref} would exceed its montant by {over / 100:.2f} EUR",
        )
        return True

    def exceeds_people_total(self) -> bool:
        if self._site_years is None:  # built once, after the site_year defects (tables are done in order)
            self._site_years = {
                (r.values["site_id"], r.values["year"]): r
                for u in self.c.units_of("site_year")
                for r in u.rows
                if r.copy_of is None
            }
        people = self._site_years

        def ok(unit, row):
            key = (row.values["site_id"], row.values["year"])
            sy = people.get(key)
            return (
                row.values["category"] != "organisations"
                and sy is not None
                and not sy.touched
                and key not in self.site_year_done
            )

        found = self.pick("beneficiaries", ok)
        if not found:
            return False
        _unit, row, _ = found
        sy = people[(row.values["site_id"], row.values["year"])]
        total = sy.values["people_total"]
        row.values["people"] = total + self.rng.randint(5, max(10, total // 4))
        sy.touched = True  # keep the reference value clean
        self.mark(
            row,
            "people",
            "exceeds_people_total",
            f"{row.values['category']} {row.values['people']} > people_total {total}",
        )
        return True

    # orchestration ---------------------------------------------------------------------------------------------
    def apply(self, table: str, reason: str) -> bool:
        if reason == "invalid_siret":
            return self.invalid_siret()
        if reason == "duplicate_row":
            return self.duplicate_row(table)
        if reason == "duplicate_key_conflict":
            return self.duplicate_key_conflict(table)
        if reason == "unknown_site":
            return self.unknown_site(table)
        if reason == "unknown_grant":
            return self.unknown_grant()
        if reason == "payment_exceeds_grant":
            return self.payment_exceeds_grant()
        if reason == "exceeds_people_total":
            return self.exceeds_people_total()
        return self.in_place(table, reason)

    def run(self, index: int):
        rng = self.rng
        present = [t for t in TABLES if any(u.rows for u in self.c.units_of(t))]
        total_rows = sum(len(u.rows) for u in self.c.units)
        # one of each kind, then more in proportion to the rows
        todo: list[tuple[str, str]] = []
        for reason in ALL_REASONS:
            tables = [t for t in present if reason in TABLE_REASONS[t]]
            if tables:
                todo.append((rng.choice(tables), reason))
        weights = [sum(len(u.rows) for u in self.c.units_of(t)) for t in present]
        for _ in range(max(0, round(total_rows * DEFECT_RATE) - len(todo))):
            t = rng.choices(present, weights=weights)[0]
            todo.append((t, rng.choice(TABLE_REASONS[t])))
        if "registry" in present:
            self.registry_cascade(REGISTRY_CASCADE[index % len(REGISTRY_CASCADE)])
        for table, reason in sorted(todo, key=lambda tr: TABLES.index(tr[0])):
            self.apply(table, reason)


def make_unreadable(c: Campaign):
    """One file that cannot be read: a site's workbook that is really a text e-mail, or binary garbage."""
    books = sorted({u.path for u in c.units if u.fmt.xlsx and u.path.startswith("reports/")})
    books = [b for b in books if not any(r.touched for u in c.units if u.path == b for r in u.rows)]
    if books:
        path = c.rng.choice(books)
        c.units = [u for u in c.units if u.path != path]
        c.extra_files[path] = (
            "Bonjour,\r\nVeuillez trouver ci-joint notre bilan d'activité "
            f"{c.year}.\r\nBien cordialement,\r\nLa coordination\r\n"
        ).encode("cp1252")
    else:
        path = "reports/activities_scan.csv"
        c.extra_files[path] = b"\x00\x01PK\x03\x04" + bytes(c.rng.randrange(256) for _ in range(2048))
    c.log.append((c.name, path, "", "", "unreadable_file", "the file cannot be read as CSV or XLSX"))


# ---------------------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------------------


class FixedZip(zipfile.ZipFile):
    """A zip archive whose entries all carry the same date: workbooks are byte-stable across runs."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zinfo_or_arcname = info
        return super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as f:
            self.writestr(arcname or str(filename), f.read())


def render_row(unit: Unit, row: Row, rng: random.Random) -> list:
    if row.copy_of is not None and row.copy_of.rendered is not None:
        return row.copy_of.rendered  # an exact copy is written exactly alike
    cells = []
    for col in unit.columns:
        kind = KIND[unit.table][col]
        if col in row.raw:
            cells.append(row.raw[col] if (row.raw[col] or not unit.fmt.xlsx) else None)
        elif unit.fmt.xlsx:
            cells.append(unit.fmt.cell_value(kind, row.values.get(col), rng))
        else:
            cells.append(unit.fmt.text_value(kind, row.values.get(col), rng))
    row.rendered = cells
    return cells


def log_rows(c: Campaign, unit: Unit):
    for i, row in enumerate(unit.rows):
        for column, reason, desc in row.defects:
            c.log.append((c.name, unit.label, i + 2, column, reason, desc))


def write_csv_unit(folder: Path, unit: Unit, rng: random.Random) -> int:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=unit.fmt.delimiter, lineterminator=unit.fmt.newline)
    writer.writerow(unit.fmt.headers(unit.columns, rng))
    for row in unit.rows:
        writer.writerow(render_row(unit, row, rng))
    text = buf.getvalue()
    try:
        data = text.encode(unit.fmt.encoding)
    except UnicodeEncodeError:  # a sender's Windows-1252 export cannot hold every character
        data = text.encode("utf-8-sig")
    path = folder / unit.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(unit.rows)


def write_workbook(folder: Path, path: str, units: list[Unit], rng: random.Random) -> int:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook(write_only=True)
    wb.properties.creator = "generate_demo"
    wb.properties.created = wb.properties.modified = FIXED_TIMESTAMP
    n = 0
    for unit in units:
        ws = wb.create_sheet(unit.sheet)
        ws.append(unit.fmt.headers(unit.columns, rng))
        for row in unit.rows:
            ws.append(render_row(unit, row, rng))
        n += len(unit.rows)
    target = folder / path
    target.parent.mkdir(parents=True, exist_ok=True)
    with FixedZip(target, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    return n


def write_campaign(root: Path, c: Campaign) -> tuple[int, int]:
    folder = root / c.name
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "reports").mkdir(parents=True)
    rng = random.Random(f"render:{c.year}:{c.rng.random()}")
    files = rows = 0
    books: dict[str, list[Unit]] = {}
    for unit in c.units:
        log_rows(c, unit)
        if unit.fmt.xlsx:
            books.setdefault(unit.path, []).append(unit)
        else:
            rows += write_csv_unit(folder, unit, rng)
            files += 1
    for path, units in books.items():
        rows += write_workbook(folder, path, units, rng)
        files += 1
    for path, data in c.extra_files.items():
        (folder / path).write_bytes(data)
        files += 1
    return files, rows


# ---------------------------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------------------------


def parse_years(text: str) -> list[int]:
    if "-" in text:
        a, b = (int(x) for x in text.split("-", 1))
        return list(range(a, b + 1))
    return [int(text)]


def generate(
    out: Path,
    seed: int = 2020,
    years: list[int] | None = None,
    n_sites: int | None = None,
    scale: int = 1,
    csv_only: bool = False,
) -> dict:
    years = years or list(range(2020, 2025))
    ref = load_reference()
    sites = build_sites(ref, n_sites, scale, seed)
    grants, payments = build_funding(sites, ref["funders"], seed)
    out.mkdir(parents=True, exist_ok=True)
    summary = {
        "folders": 0,
        "files": 0,
        "rows": 0,
        "defects": 0,
        "rows_by_table": {t: 0 for t in TABLES},
        "defects_by_reason": {},
    }
    log: list[tuple] = []
    for index, year in enumerate(years):
        reports = build_reports(sites, year, payments, seed)
        c = assemble_campaign(
            year, sites, grants, payments, reports, seed, index, scale, ref["regions"], csv_only=csv_only or scale > 1
        )
        inj = Injector(c, ref["unknown_communes"])
        inj.run(index)
        if index == len(years) // 2:
            make_unreadable(c)
        files, rows = write_campaign(out, c)
        for u in c.units:
            summary["rows_by_table"][u.table] += len(u.rows)
        summary["folders"] += 1
        summary["files"] += files
        summary["rows"] += rows
        log.extend(c.log)
    log.sort(key=lambda e: (e[0], e[1], e[2] if e[2] != "" else 0, e[3], e[4]))
    with open(out / "injected_defects.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["campaign", "file", "row", "column", "reason_code", "description"])
        w.writerows(log)
    summary["defects"] = len(log)
    for e in log:
        summary["defects_by_reason"][e[4]] = summary["defects_by_reason"].get(e[4], 0) + 1
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="output folder (campaign-YYYY folders go there)")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--years", default="2020-2024", help="e.g. 2020-2024 or 2022")
    parser.add_argument("--sites", type=int, default=None, help="only the first N sites by ANCT rank")
    parser.add_argument("--scale", type=int, default=1, help="K copies of the site list (CSV only when K > 1)")
    parser.add_argument("--csv-only", action="store_true", help="every table as CSV, no workbooks (as --scale K > 1)")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be >= 1")
    started = time.perf_counter()
    s = generate(args.out, args.seed, parse_years(args.years), args.sites, args.scale, args.csv_only)
    print(
        f"{s['folders']} campaign folders, {s['files']} files, {s['rows']} rows, {s['defects']} injected defects "
        f"-> {args.out} ({time.perf_counter() - started:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
