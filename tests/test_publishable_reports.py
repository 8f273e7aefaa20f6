"""The published documents of the demo, read as their readers get them: `scripts/generate_demo.py` and `fabriques run`
on all its campaigns, then
- every PDF (the annual reports, the scorecards, the transfer guides, and a site sheet and the indexes printed here)
  prints right: no text outside the printable box, no page mostly empty in the middle of a section
  (tests/pdf_layout.py);
- every HTML page but the site sheets, and the first site sheets, pass axe-core's WCAG 2.1 A and AA rules with no
  violation in headless Chromium (axe-core pinned in tests/axe/package-lock.json, installed by `make setup`)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from html import unescape
from pathlib import Path

import pytest

from fabriques.cli import main
from pdf_layout import layout_problems
from test_reports_browser import CHROMIUM_FLAGS, INSTALL_HINT, IS_ROOT, chromium_path, weasyprint_missing

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SITE_SHEETS = 4
"""How many site sheets (the first by file name, both languages) the accessibility test opens: they share one
template, and opening all of them would take minutes."""


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    missing = weasyprint_missing()
    if missing and not IS_ROOT:
        pytest.skip(f"WeasyPrint's libraries are missing ({missing}): no PDF to read; {INSTALL_HINT}")
    tmp = tmp_path_factory.mktemp("demo")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_demo.py"), "--out", str(tmp / "demo")],
        check=True,
        capture_output=True,
    )
    campaigns = sorted(str(folder) for folder in (tmp / "demo").glob("campaign-*"))
    year = max(int(Path(folder).name.split("-")[1]) for folder in campaigns)
    assert main(["run", *campaigns, "--year", str(year), "--out", str(tmp / "out")]) == 0
    return tmp / "out" / "reports"


def published_pdfs(reports: Path, printed: Path) -> list[Path]:
    """The PDFs of the run, and a site sheet and the indexes printed as a reader would print them."""
    from fabriques.reports.pdf import write_pdf

    pdfs = sorted(reports.rglob("*.pdf"))
    site_sheet = sorted((reports / "sites").rglob("*.html"))[0]
    for page in [site_sheet, *sorted(reports.glob("index*.html"))]:
        pdfs.append(write_pdf(page, printed / page.relative_to(reports).with_suffix(".pdf")))
    return pdfs


def test_every_pdf_prints_within_the_page_and_without_empty_pages(reports, tmp_path):
    pdfs = published_pdfs(reports, tmp_path)
    assert {"report", "scorecard", "guide", "index"} <= {pdf.name.split(".")[0] for pdf in pdfs}
    problems = [problem for pdf in pdfs for problem in layout_problems(pdf)]
    assert not problems, "\n".join(problems)


def test_the_layout_check_finds_a_table_cut_at_the_page_edge_and_a_page_left_empty(tmp_path):
    """The check itself, on a page made to fail: a table wider than the page, a heading alone on a page."""
    from fabriques.reports.pdf import write_pdf

    cells = "".join(f"<td>column{n}value</td>" for n in range(40))
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
        "<style>@page { size: A4; margin: 20mm } td { white-space: nowrap }</style></head><body>"
        f"<h1>Title</h1><h2>Section</h2><p>Short.</p><h3 style='break-after: page'>Alone</h3>"
        f"<table><tr>{cells}</tr></table></body></html>",
        encoding="utf-8",
    )
    problems = layout_problems(write_pdf(page, tmp_path / "bad.pdf"))
    assert any("outside the printable box" in problem and "page 2" in problem for problem in problems), problems
    assert any("page 1:" in problem and "empty" in problem for problem in problems), problems


def pages_to_check(reports: Path) -> list[Path]:
    site_sheets = sorted((reports / "sites").rglob("*.html"))[:SITE_SHEETS]
    others = [page for page in sorted(reports.rglob("*.html")) if not page.is_relative_to(reports / "sites")]
    data_quality = sorted((reports.parent / "data_docs").glob("index*.html"))  # the data-quality page
    return others + site_sheets + data_quality


def test_every_page_passes_axe_core_wcag_21_aa(reports):
    chromium = chromium_path()
    if chromium is None or not AXE.is_file():
        reason = "chromium is missing" if chromium is None else f"axe-core is not installed ({AXE})"
        if IS_ROOT:
            pytest.fail(f"{reason} although the tests run as root: {INSTALL_HINT}")
        pytest.skip(f"{reason}: {INSTALL_HINT}")
    from playwright.sync_api import sync_playwright

    pages = pages_to_check(reports)
    assert any("annual" in page.parts for page in pages) and any("transfer" in page.parts for page in pages)
    findings = []
    options = json.dumps({"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=chromium, headless=True, args=CHROMIUM_FLAGS, timeout=30_000
        )
        try:
            browser_page = context.new_page()
            for page in pages:
                browser_page.goto(page.as_uri(), wait_until="load")
                browser_page.add_script_tag(path=str(AXE))
                violations = browser_page.evaluate(f"async () => (await axe.run(document, {options})).violations")
                for violation in violations:
                    targets = [" ".join(node["target"]) for node in violation["nodes"]][:3]
                    findings.append(
                        f"{page.relative_to(reports)}: {violation['id']} ({len(violation['nodes'])} nodes, "
                        f"{violation['help']}): {targets}"
                    )
        finally:
            context.close()
    assert not findings, "\n".join(findings)


def indicator_names(html: str) -> dict[str, str]:
    """name -> indicator code, from the methods annex of an annual report (each definition with its name)."""
    pairs = re.findall(r'<div class="definition" id="def-([^"]+)">\s*<dt>(.*?) <span class="code">', html, re.S)
    return {unescape(name).strip(): code for code, name in pairs}


def test_one_name_one_definition_across_the_annual_report_and_the_transfer_guide(reports):
    """A name the guide gives a measure is an indicator's name of the report only when the measure is that
    indicator (computed for each site, the guide giving its median), and then the guide shows its code."""
    year = max(int(folder.name) for folder in (reports / "annual").iterdir())
    report = (reports / "annual" / str(year) / "report.en.html").read_text(encoding="utf-8")
    guide = (reports / "transfer" / str(year) / "guide.en.html").read_text(encoding="utf-8")
    names = indicator_names(report)
    assert len(names) == len(set(names.values())), "two indicators of the report share a name"
    rows = re.findall(r'<tr data-measure="[^"]+"(?: data-indicator="([^"]+)")?><th scope="row">(.*?)</th>', guide, re.S)
    assert rows
    for indicator, cell in rows:
        name = unescape(re.sub(r"<span class=\"code\">.*?</span>", "", cell)).strip()
        if name in names:
            assert indicator == names[name], f"the guide calls {name!r} what the report defines as {names[name]}"
        if indicator:
            assert names.get(name) == indicator, f"the guide names {indicator} {name!r}, not as the report does"


def test_the_executive_summary_of_each_annual_report_holds_on_one_page(reports):
    """The first section of the annual report (the executive summary) starts on page 1 and the next on page 2."""
    import pypdf

    pdfs = sorted((reports / "annual").rglob("report.*.pdf"))
    assert pdfs
    for pdf in pdfs:
        reader = pypdf.PdfReader(pdf)
        under_title = next(item for item in reader.outline if isinstance(item, list))
        sections = [item for item in under_title if not isinstance(item, list)]  # lists: their subsections
        first, second = (reader.get_destination_page_number(item) for item in sections[:2])
        assert (first, second) == (0, 1), f"{pdf.name}: summary on page {first + 1}, next section on {second + 1}"
