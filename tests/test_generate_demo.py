"""The demo campaign generator (scripts/generate_demo.py): deterministic, complete campaigns, logged defects."""

import csv
import datetime as dt
import hashlib
import importlib.util
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "generate_demo.py"
YEARS = range(2020, 2025)
REPORT_TABLES = ["site_year", "activities", "beneficiaries", "finances", "network"]


def load_generator():
    spec = importlib.util.spec_from_file_location("generate_demo", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(out: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out), "--sites", "30", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "a"
    summary = run(out)
    assert "campaign folders" in summary and "injected defects" in summary
    return out


@pytest.fixture(scope="module")
def defects(demo) -> list[dict]:
    with open(demo / "injected_defects.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_csv_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = text.split("\n", 1)[0]
    return list(
        csv.reader(io.StringIO(text, newline=""), delimiter=";" if first.count(";") > first.count(",") else ",")
    )


def test_same_seed_gives_byte_identical_files(demo, tmp_path):
    again = tmp_path / "b"
    run(again)
    assert digests(demo) == digests(again)


def test_another_seed_gives_other_data(demo, tmp_path):
    other = tmp_path / "c"
    run(other, "--seed", "7")
    assert digests(demo) != digests(other)


def test_each_campaign_holds_every_table(demo):
    for year in YEARS:
        folder = demo / f"campaign-{year}"
        for table in ("registry", "grants", "payments"):
            assert len(list(folder.glob(f"{table}.*"))) == 1, (year, table)
        reports = folder / "reports"
        found = set()
        for path in reports.iterdir():
            if path.suffix == ".csv":
                found.update(t for t in REPORT_TABLES if path.name.startswith(t))
            elif path.suffix == ".xlsx" and path.read_bytes()[:2] == b"PK":
                assert openpyxl.load_workbook(path, read_only=True).sheetnames == REPORT_TABLES
                found.update(REPORT_TABLES)
        assert found == set(REPORT_TABLES), year


def test_registry_holds_only_sites_labelled_by_the_end_of_the_year(demo, defects):
    for year in YEARS:
        folder = demo / f"campaign-{year}"
        path = next(folder.glob("registry.*"))
        if path.suffix == ".csv":
            rows = read_csv_rows(path)[1:]
        else:
            rows = list(openpyxl.load_workbook(path, read_only=True)["registry"].iter_rows(min_row=2, values_only=True))
        copies = sum(
            1
            for d in defects
            if d["campaign"] == folder.name and d["file"].startswith("registry") and d["reason_code"] == "duplicate_row"
        )
        assert len({r[0] for r in rows}) == 30  # the first 30 sites by rank: round 1, labelled on 3 Feb 2020
        assert len(rows) == 30 + copies


def test_label_plan_matches_the_published_running_totals():
    gen = load_generator()
    ref = gen.load_reference()
    assert len(ref["sites"]) == 382
    totals = {
        rnd: (date, n, qpv, rural)
        for rnd, date, n, qpv, rural in gen.running_totals(gen.plan_labels(ref["sites"], ref["qpv"], 2020))
    }
    assert totals[1] == (dt.date(2020, 2, 3), 80, 80, 0)
    assert totals[2][1] == 110
    assert totals[3][1:] == (170, 102, 68) and totals[3][0] <= dt.date(2020, 10, 31)
    assert totals[4][1] == 189
    assert totals[5][:2] == (dt.date(2021, 3, 30), 218)
    assert totals[8][1:] == (300, 150, 150) and totals[8][0] <= dt.date(2021, 12, 31)
    assert totals[9][0].year == 2023 and totals[9][1:] == (382, 191, 191)
    plan = gen.plan_labels(ref["sites"], ref["qpv"], 2020)
    ranks = sorted(ref["sites"], key=lambda r: int(r["fabt_rank"]))
    rounds = [plan[r["id_fabt"]]["label_round"] for r in ranks]
    assert rounds == sorted(rounds)  # rounds follow the ANCT rank


def test_state_grants_stay_in_the_published_bounds():
    gen = load_generator()
    ref = gen.load_reference()
    sites = gen.build_sites(ref, None, 1, 2020)
    grants, payments = gen.build_funding(sites, ref["funders"], 2020)
    per_site = {}
    for g in grants:
        if g["programme"] == "fabriques":
            per_site[g["site_id"]] = per_site.get(g["site_id"], 0) + g["montant"]
    first_300 = [per_site[s["site_id"]] for s in sites if s["label_round"] <= 8]
    closed = {s["site_id"] for s in sites if s["closed_year"]}
    assert all(
        7_500_000 <= per_site[s["site_id"]] <= 15_000_000
        for s in sites
        if s["label_round"] <= 8 and s["site_id"] not in closed
    )
    assert 40_000_000_00 <= sum(first_300) <= 43_000_000_00
    assert sum(per_site.values()) <= 45_000_000_00
    assert {per_site[s["site_id"]] for s in sites if s["label_round"] == 9} == {5_000_000}
    paid = {}
    for p in payments:
        paid[p["referenceDecision"]] = paid.get(p["referenceDecision"], 0) + p["amount_eur"]
    assert all(paid.get(g["referenceDecision"], 0) <= g["montant"] for g in grants)


def test_sirets_pass_luhn():
    gen = load_generator()
    import random

    rng = random.Random(1)
    for _ in range(200):
        siret = gen.make_siret(rng)
        assert len(siret) == 14 and gen.luhn_ok(siret) and gen.luhn_ok(siret[:9])


def test_defect_log_points_at_existing_files_and_rows(demo, defects):
    assert defects
    reasons = {d["reason_code"] for d in defects}
    assert "unreadable_file" in reasons
    sizes: dict[str, int] = {}
    for d in defects:
        path, _, sheet = d["file"].partition("#")
        target = demo / d["campaign"] / path
        assert target.is_file(), d
        if d["reason_code"] == "unreadable_file":
            assert d["row"] == "" and target.read_bytes()[:2] != b"PK"
            continue
        key = f"{d['campaign']}/{d['file']}"
        if key not in sizes:
            if sheet:
                ws = openpyxl.load_workbook(target, read_only=True)[sheet]
                sizes[key] = sum(1 for _ in ws.iter_rows(values_only=True))
            else:
                sizes[key] = len(read_csv_rows(target))
        assert 2 <= int(d["row"]) <= sizes[key], d


def test_every_kind_of_defect_is_in_every_campaign(defects):
    kinds = {
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
    }
    for year in YEARS:
        found = {d["reason_code"] for d in defects if d["campaign"] == f"campaign-{year}"}
        assert kinds <= found, (year, kinds - found)
    rows = [(d["campaign"], d["file"], d["row"]) for d in defects if d["row"]]
    assert len(rows) == len(set(rows))  # one defect per row


def test_logged_values_are_really_bad(demo, defects):
    """Spot checks: the logged cell holds the bad value the reason says."""
    checked = 0
    for d in defects:
        if "#" in d["file"] or d["reason_code"] not in ("unknown_commune", "unknown_site", "invalid_code"):
            continue
        rows = read_csv_rows(demo / d["campaign"] / d["file"])
        header = [h.strip().lower() for h in rows[0]]
        value = rows[int(d["row"]) - 1][header.index(d["column"].lower())]
        if d["reason_code"] == "unknown_site" and "registry" not in d["description"]:
            assert value.startswith("fabt-9"), d
        elif d["reason_code"] == "unknown_commune":
            assert value.zfill(5) in {"99999", "99101", "96001", "98000", "97999", "99500"}, d
        elif d["reason_code"] == "invalid_code":
            assert value not in ("coworking", "qpv", "rural", "unique", "echelonne"), d
        checked += 1
    assert checked


def test_ingestion_quarantines_exactly_the_injected_defects(demo, defects, ingest_into):
    """Every logged defect is quarantined (or, for a SIRET, flagged) with its file, row, column and reason,
    and nothing else is."""
    campaigns = sorted(demo.glob("campaign-*"))
    wh = ingest_into(*campaigns, year=2024)
    quarantined = set(
        wh.rows("""
        select c.campaign_name, q.source_file, coalesce(cast(q.source_row as varchar), ''),
               coalesce(q.column_name, ''), q.reason_code
        from raw.quarantine q join raw.campaigns c using (campaign_key)
        union all
        select c.campaign_name, f.source_file, cast(f.source_row as varchar), f.column_name, f.flag_code
        from raw.flags f join raw.campaigns c using (campaign_key)""")
    )
    injected = {
        (
            d["campaign"],
            d["file"],
            d["row"],
            "" if d["reason_code"] == "unreadable_file" else d["column"],
            d["reason_code"],
        )
        for d in defects
    }
    assert quarantined == injected
