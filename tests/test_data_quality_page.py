"""The data-quality page that replaces the Data Docs' index: opened in headless Chromium with the network cut off,
it shows every run the warehouse holds and each check with the severity the project gives it (a failed warning is
a warning, not "Failed"), using nothing from the internet."""

import re
import tempfile

import pytest

from campaign_builder import small_campaign
from fabriques.cli import main
from test_reports_browser import CHROMIUM_FLAGS, INSTALL_HINT, IS_ROOT, chromium_path

YEAR = 2021


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """Two published runs on one output folder: the second adds a campaign, the warehouse keeps both runs' checks."""
    tmp = tmp_path_factory.mktemp("data-quality")
    first = small_campaign(YEAR - 1).write(tmp / "campaign-2020")
    campaign = small_campaign(YEAR)
    campaign.add(  # a site that sends no report: a warning fails
        "registry",
        "fabt-09",
        "Sans rapport",
        "03310",
        "2020-02-03",
        1,
        "qpv",
        "territoire",
        "association",
        "",
        "active",
    )
    second = campaign.write(tmp / "campaign-2021")
    assert main(["run", str(first), "--year", str(YEAR - 1), "--out", str(tmp / "out")]) == 0
    assert main(["run", str(second), "--year", str(YEAR), "--out", str(tmp / "out")]) == 0
    return tmp / "out"


@pytest.fixture(scope="module")
def offline_page(out):
    """The page's text, its tables' rows and every request it made, read in Chromium with the network off."""
    chromium = chromium_path()
    if chromium is None:
        if IS_ROOT:
            pytest.fail(f"chromium is not installed although the tests run as root: {INSTALL_HINT}")
        pytest.skip(f"chromium is missing: {INSTALL_HINT}")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=chromium, headless=True, args=CHROMIUM_FLAGS, timeout=30_000, offline=True
        )
        try:
            page = context.new_page()
            requests = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto((out / "data_docs" / "index.html").resolve().as_uri(), wait_until="load")
            facts = page.evaluate("""() => ({
                text: document.body.innerText,
                runs: [...document.querySelectorAll("table.runs tbody tr")].map(r => r.dataset.run),
                checks: [...document.querySelectorAll("table.checks tbody tr")].map(r => [r.dataset.rule,
                    r.dataset.severity, r.querySelector("[data-status]").dataset.status,
                    r.querySelector("[data-status]").innerText]),
                styled: getComputedStyle(document.querySelector("header.site-header")).borderBottomStyle,
            })""")
        finally:
            context.close()
    return facts, requests


def test_the_page_shows_every_run_offline(out, offline_page):
    facts, requests = offline_page
    history = [line for line in (out / "run_history.jsonl").read_text(encoding="utf-8").splitlines() if line]
    assert len(facts["runs"]) == 2  # both published runs, latest first
    assert all(re.fullmatch(r"\d{8}T\d{6}Z-\d+(\.\d+)?", run) for run in facts["runs"])
    assert len(history) >= 4  # started and published, twice
    assert not [url for url in requests if not url.startswith("file:")]  # nothing from the network
    assert facts["styled"] != "none"  # the reports' own stylesheet, from the release


def test_each_check_shows_the_severity_the_project_gives_it(offline_page):
    facts, _requests = offline_page
    checks = {rule: (severity, status, text) for rule, severity, status, text in facts["checks"]}
    assert checks and all(severity in ("error", "warning") for severity, _s, _t in checks.values())
    failed_warnings = [c for c in checks.values() if c[0] == "warning" and c[1] == "warning"]
    assert failed_warnings, checks  # fabt-09 sent no report
    assert all("Avertissement" in text for _sev, _status, text in failed_warnings)
    assert "Failed" not in facts["text"] and "Échec" not in facts["text"]
    assert all(status == "passed" for severity, status, _t in checks.values() if severity == "error")


def test_great_expectations_own_index_is_kept_and_linked(out):
    docs = out / "data_docs"
    assert (docs / "great_expectations.html").is_file()
    page = (docs / "index.html").read_text(encoding="utf-8")
    assert 'href="great_expectations.html"' in page
    assert re.search(r'href="validations/[^"]+\.html"', page)  # each suite's GX page
    assert (docs / "index.en.html").is_file()
    assert 'href="../data_docs/index.html"' in (out / "reports" / "index.html").read_text(encoding="utf-8")
