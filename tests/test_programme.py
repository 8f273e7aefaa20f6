"""A programme folder the user owns: `fabriques programme init DIR` writes the bundled one, a run with
`--programme DIR` reads the edited copy (its name, languages, grant codes, bounds and targets), a bad file is refused
with its file, row and column, and the install is left untouched."""

import csv
import json
import re

import pytest

from campaign_builder import small_campaign
from fabriques import programme
from fabriques.cli import main

YEAR = 2025


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_init_writes_the_bundled_programme_and_refuses_a_folder_in_use(tmp_path, capsys):
    folder = tmp_path / "programme"
    assert main(["programme", "init", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in programme.BUNDLED_PROGRAMME_DIR.iterdir())
    assert programme.folder_sha256(folder) == programme.folder_sha256(programme.BUNDLED_PROGRAMME_DIR)
    assert main(["programme", "check", str(folder)]) == 0
    assert "grant_min_eur = 75000" in capsys.readouterr().out
    assert main(["programme", "init", str(folder)]) == 2
    assert "not empty" in capsys.readouterr().err


def test_a_bad_folder_is_refused_with_file_row_and_column(tmp_path, capsys):
    folder = programme.init(tmp_path / "programme")
    edit(
        folder / "indicator_targets.csv",
        "FT02_sites_qpv,national,FR,2021,>=,150",
        "FT02_sites_qpv,national,FR,2021,=>,15O",
    )
    with open(folder / "code_lists.csv", "a", encoding="utf-8", newline="") as handle:
        handle.write("activity_type,repair_cafe,99,,\n")
    edit(folder / "programme.toml", "min_eur = 75000", "min_eur = 175000")
    campaign = small_campaign(2021).write(tmp_path / "campaign")
    out = tmp_path / "out"
    assert main(["run", str(campaign), "--year", "2021", "--out", str(out), "--programme", str(folder)]) == 2
    error = capsys.readouterr().err
    assert "indicator_targets.csv: row 3, column comparator: '=>'" in error
    assert "indicator_targets.csv: row 3, column target_value: '15O' is not a number" in error
    lines = len((folder / "code_lists.csv").read_text(encoding="utf-8").splitlines())
    assert f"code_lists.csv: row {lines}, column label: the code 'repair_cafe' has no label" in error
    assert "[grants] min_eur 175000 is above max_eur 150000" in error
    assert not (out / "indicators.csv").exists()


def test_a_second_programme_runs_with_its_own_code_bounds_targets_and_name(tmp_path):
    bundled_hash = programme.folder_sha256(programme.BUNDLED_PROGRAMME_DIR)
    folder = programme.init(tmp_path / "tiers-lieux-test")
    settings = folder / "programme.toml"
    edit(
        settings,
        'fr = "Fabriques de Territoire", en = "Fabriques de Territoire"',
        'fr = "Lieux test", en = "Test places"',
    )
    edit(settings, 'programme_codes = ["fabriques"]', 'programme_codes = ["tl-2025"]')
    edit(settings, "min_eur = 75000", "min_eur = 100000")
    edit(settings, "start_year = 2020", "start_year = 2024")
    edit(settings, 'report_languages = ["fr", "en"]', 'report_languages = ["en"]')
    edit(settings, 'country = "FR"\ncountry_name = "France"', 'country = "XT"\ncountry_name = "Testland"')
    with open(folder / "indicator_targets.csv", "w", encoding="utf-8", newline="") as handle:
        handle.write("indicator_code,scope_type,scope_code,from_year,comparator,target_value,source\n")
        handle.write("FT01_sites_labelled,national,XT,2025,>=,40,Test programme: 40 sites\n")
    campaign = small_campaign(YEAR)
    for row in campaign.rows["grants"]:
        if row[-1] == "fabriques":
            row[-1] = "tl-2025"
    campaign.add(
        "grants",
        "G-old",
        "fabt-01",
        "ANCT",
        "10100000010005",
        "2020-06-01",
        "Fabrique",
        70000,
        "unique",
        "",
        "fabriques",
    )
    out = tmp_path / "out"
    folder_in = campaign.write(tmp_path / "campaign")
    assert main(["run", str(folder_in), "--year", str(YEAR), "--out", str(out), "--programme", str(folder)]) == 0

    with open(out / "indicators.csv", encoding="utf-8", newline="") as handle:
        national = {
            r["indicator_code"]: r
            for r in csv.DictReader(handle)
            if r["scope_type"] == "national" and r["year"] == "2025"
        }
    assert (
        float(national["FT04_state_committed_eur"]["value"]) == 3 * 150000 + 125000
    )  # the `fabriques` grant is co-funding
    assert float(national["FT06_grant_in_bounds_pct"]["value"]) == 100  # 125,000 is within 100,000-150,000
    assert national["FT01_sites_labelled"]["target_value"] == "40"
    assert national["FT02_sites_qpv"]["target_value"] == ""

    scorecard_csv = out / "reports" / "scorecard" / str(YEAR) / "scorecard.en.csv"
    with open(scorecard_csv, encoding="utf-8-sig", newline="") as handle:
        scorecard = {(r["Indicator code"], r["Scope type"]): r for r in csv.DictReader(handle)}
    assert scorecard[("FT01_sites_labelled", "national")]["Target"] == "40"
    assert scorecard[("FT01_sites_labelled", "national")]["Scope"] == "Testland"
    assert scorecard[("FT01_sites_labelled", "national")]["Status code"] == "off_track"  # 4 sites of 40
    assert scorecard[("FT04_state_committed_eur", "national")]["Target"] == ""

    history = [json.loads(line) for line in (out / "run_history.jsonl").read_text(encoding="utf-8").splitlines()]
    assert history[-1]["outcome"] == "published"
    assert history[-1]["programme"]["sha256"] == programme.folder_sha256(folder)
    assert history[-1]["programme"]["settings"]["grants"]["programme_codes"] == ["tl-2025"]
    page = (out / "reports" / "annual" / str(YEAR) / "report.en.html").read_text(encoding="utf-8")
    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', page, re.S).group(1)
    assert "Programme: Test places (settings hash " + programme.folder_sha256(folder)[:16] in footer
    reports = out / "reports"
    assert not list(reports.rglob("*.fr.html")) and not (reports / "index.en.html").exists()  # English only
    assert '<html lang="en">' in (reports / "index.html").read_text(encoding="utf-8")
    assert (reports / "transfer" / str(YEAR) / "guide.ro.html").is_file()  # the partners' languages stay
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "<h1>Reports of the Test places programme</h1>" in index
    assert programme.folder_sha256(programme.BUNDLED_PROGRAMME_DIR) == bundled_hash


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("funders.csv", ",state\n", ",ministry\n", "funders.csv: row 2, column funder_type: 'ministry'"),
        (
            "validation_parameters.csv",
            "max_people_per_open_day,50",
            "max_people_per_open_day,fifty",
            "row 2, column value",
        ),
        ("programme.toml", 'report_languages = ["fr", "en"]', 'report_languages = ["fr", "xx"]', "report_languages"),
        ("programme.toml", 'resubmission_deadline = "03-31"', 'resubmission_deadline = "31/03"', "MM-DD"),
    ],
)
def test_each_file_is_checked_when_read(tmp_path, file, old, new, message):
    folder = programme.init(tmp_path / "programme")
    edit(folder / file, old, new)
    with pytest.raises(programme.ProgrammeError) as refused:
        programme.load(folder)
    assert message in str(refused.value)
