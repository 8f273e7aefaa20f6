"""The reports site as a reader gets it: `fabriques run` on a small campaign, then the pages opened from the file
system in Debian's headless Chromium (driven by Playwright, never a downloaded browser). From both indexes and
every page they link: each link resolves, each image loads, no console error, no failed request, nothing leaves
the machine. The campaign carries hostile data (a site named `<script>…</script>`, another named like a
spreadsheet formula): no script from data runs in any page, no formula in any CSV/XLSX. Every PDF is readable.

`make setup` installs chromium and WeasyPrint's libraries (scripts/setup_system.sh); without root it cannot, and
these tests are skipped with the reason."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

import openpyxl
import pytest

from campaign_builder import small_campaign
from fabriques.cli import main
from fabriques.export import FORMULA_PREFIXES

YEAR = 2021
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
INSTALL_HINT = "run `make setup` as root (scripts/setup_system.sh installs the Debian packages with apt-get)"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def weasyprint_missing() -> str | None:
    """Why WeasyPrint cannot print here (its system libraries are missing), or None."""
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        return str(error)
    return None


def chromium_path() -> str | None:
    """Debian's Chromium (package `chromium`)."""
    return shutil.which("chromium") or ("/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None)


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """One run for the whole module: small_campaign with hostile names and quarantined rows holding them."""
    missing = weasyprint_missing()
    if missing and not IS_ROOT:
        pytest.skip(
            f"WeasyPrint's libraries are missing ({missing}): `fabriques run` cannot print the PDF "
            f"reports; {INSTALL_HINT}"
        )
    tmp = tmp_path_factory.mktemp("browser")
    campaign = small_campaign(YEAR)
    campaign.rows["registry"][0][1] = SCRIPT
    campaign.rows["registry"][1][1] = FORMULA
    # Rows quarantined with their original values (unknown commune): the site sheets and quarantine.csv show them.
    campaign.add("network", "fabt-01", YEAR, SCRIPT, "99999", "coaching")
    campaign.add("network", "fabt-02", YEAR, FORMULA, "99999", "coaching")
    folder = campaign.write(tmp / "campaign-2021")
    assert main(["run", str(folder), "--year", str(YEAR), "--out", str(tmp / "out")]) == 0
    return tmp / "out"


@dataclass
class Visit:
    """What the browser saw on one page."""

    path: Path
    links: list[tuple[str, str]] = field(default_factory=list)
    """(href as written, URL as the browser resolved it) of every <a href>."""
    images: list[tuple[str, int]] = field(default_factory=list)
    """(src, naturalWidth once loaded) of every <img>."""
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    """Text and src of every <script> element in the DOM."""
    text: str = ""


PAGE_FACTS = """async () => {
  const images = await Promise.all([...document.images].map(async (img) => {
    img.loading = "eager";
    try { await img.decode(); } catch (e) {}
    return [img.getAttribute("src"), img.naturalWidth];
  }));
  return {
    links: [...document.querySelectorAll("a[href]")].map(a => [a.getAttribute("href"), a.href]),
    images,
    scripts: [...document.querySelectorAll("script")].map(s => (s.src || "") + s.textContent),
    text: document.body ? document.body.innerText : "",
  };
}"""


@pytest.fixture(scope="module")
def site(out):
    """Open both indexes, then every page they link inside the reports folder, in headless Chromium."""
    chromium = chromium_path()
    if chromium is None:
        if IS_ROOT:
            pytest.fail(f"chromium is not installed although the tests run as root: {INSTALL_HINT}")
        pytest.skip(f"chromium is missing (Debian package `chromium`): {INSTALL_HINT}")
    from playwright.sync_api import sync_playwright

    reports = (out / "reports").resolve()
    visits: dict[Path, Visit] = {}
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=chromium, headless=True, args=CHROMIUM_FLAGS, timeout=30_000
        )
        try:
            page = context.new_page()
            page.set_default_timeout(15_000)
            current: list[Visit] = []
            page.on("console", lambda m: m.type == "error" and current[-1].console_errors.append(m.text))
            page.on("pageerror", lambda e: current[-1].console_errors.append(f"uncaught: {e}"))
            page.on("requestfailed", lambda r: current[-1].failed_requests.append(f"{r.url}: {r.failure}"))
            page.on("request", lambda r: current[-1].requests.append(r.url))

            def dialog(d):
                current[-1].dialogs.append(f"{d.type}: {d.message}")
                d.dismiss()

            page.on("dialog", dialog)
            queue = [reports / "index.html", reports / "index.en.html"]
            while queue:
                path = queue.pop(0)
                if path in visits:
                    continue
                visit = visits[path] = Visit(path)
                current.append(visit)
                page.goto(path.as_uri(), wait_until="load")
                facts = page.evaluate(PAGE_FACTS)
                visit.links = [tuple(link) for link in facts["links"]]
                visit.images = [tuple(image) for image in facts["images"]]
                visit.scripts, visit.text = facts["scripts"], facts["text"]
                if path.parent == reports and path.name.startswith("index"):  # one level from the indexes
                    queue += [target for _, url in visit.links if (target := html_in(url, reports))]
        finally:
            context.close()
    return visits


def local_path(url: str) -> Path | None:
    parts = urlsplit(url)
    return Path(unquote(parts.path)) if parts.scheme == "file" else None


def html_in(url: str, folder: Path) -> Path | None:
    path = local_path(url)
    if path and path.suffix == ".html" and path.is_relative_to(folder) and path.is_file():
        return path
    return None


def test_both_indexes_and_the_pages_they_link_open(site, out):
    reports = (out / "reports").resolve()
    assert {reports / "index.html", reports / "index.en.html"} <= set(site)
    for lang_index, other in (("index.html", "index.en.html"), ("index.en.html", "index.html")):
        assert any(local_path(url) == reports / other for _, url in site[reports / lang_index].links)


def test_every_link_resolves_to_a_file_of_the_outputs(site, out):
    out = out.resolve()
    problems = []
    for visit in site.values():
        for href, url in visit.links:
            where = f"{visit.path.relative_to(out)}: {href}"
            scheme = urlsplit(url).scheme
            if scheme in ("http", "https", "mailto"):
                continue  # outside links are not followed (no network here)
            if scheme != "file" or href.startswith(("/", "file:")):
                problems.append(f"{where} is not a relative link (breaks when the folder moves)")
                continue
            target = local_path(url)
            if not target.is_relative_to(out):
                problems.append(f"{where} leaves the output folder")
            elif not target.exists():
                problems.append(f"{where} -> missing {target.relative_to(out)}")
            elif fragment := urlsplit(url).fragment:
                text = target.read_text(encoding="utf-8", errors="replace")
                if f'id="{fragment}"' not in text and f'name="{fragment}"' not in text:
                    problems.append(f"{where}: no anchor #{fragment} in {target.relative_to(out)}")
    assert not problems, "\n".join(problems)


def test_every_image_loads(site, out):
    broken = [
        f"{visit.path.relative_to(out.resolve())}: {src}"
        for visit in site.values()
        for src, width in visit.images
        if not width
    ]
    assert not broken, "images that did not load:\n" + "\n".join(broken)


def test_no_console_error_no_failed_request_and_nothing_fetched_from_outside(site, out):
    problems = []
    for visit in site.values():
        where = visit.path.relative_to(out.resolve())
        problems += [f"{where}: console error: {m}" for m in visit.console_errors]
        problems += [f"{where}: failed request: {r}" for r in visit.failed_requests]
        problems += [
            f"{where}: request leaves the files: {u}"
            for u in visit.requests
            if urlsplit(u).scheme not in ("file", "data", "blob", "about")
        ]
    assert not problems, "\n".join(problems)


def test_no_script_from_the_data_runs_in_any_page(site, out):
    problems = []
    for visit in site.values():
        where = visit.path.relative_to(out.resolve())
        problems += [f"{where}: a dialog opened ({dialog})" for dialog in visit.dialogs]
        problems += [f"{where}: a <script> element from the data" for s in visit.scripts if "alert(1)" in s]
    assert not problems, "\n".join(problems)
    # Where a page holds the hostile names (escaped in its source), the reader sees them as plain text.
    for visit in site.values():
        source = visit.path.read_text(encoding="utf-8")
        if "&lt;script&gt;alert(1)" in source:
            assert SCRIPT in visit.text, f"{visit.path.relative_to(out.resolve())}: the name is not shown as text"
        if "HYPERLINK(" in source:
            assert FORMULA in visit.text, f"{visit.path.relative_to(out.resolve())}: the name is not shown as text"
    for html in (out / "reports").rglob("*.html"):  # pages not visited too
        assert SCRIPT not in html.read_text(encoding="utf-8"), f"{html.relative_to(out)} holds a raw <script>"


def spreadsheet_cells(out: Path):
    """(file, cell text) of every CSV and XLSX cell under the outputs."""
    for path in sorted(out.rglob("*.csv")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            for cell in row:
                yield path, cell
    for path in sorted(out.rglob("*.xlsx")):
        workbook = openpyxl.load_workbook(path)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        yield path, cell.value


def is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def test_no_formula_from_the_data_in_any_csv_or_xlsx(out):
    seen = 0
    problems = []
    for path, cell in spreadsheet_cells(out):
        where = f"{path.relative_to(out)}: {cell[:60]!r}"
        seen += "HYPERLINK" in cell
        if cell.startswith(FORMULA_PREFIXES) and not is_number(cell):
            problems.append(f"{where}: starts like a formula (a spreadsheet would run it; expected a leading ')")
    assert not problems, "\n".join(problems)
    assert seen, "the formula reached no CSV/XLSX (the quarantined row should be in quarantine.csv)"


def test_every_pdf_is_printed_and_readable(out, tmp_path):
    """Every PDF of the reports, and the index printed here too (so WeasyPrint is checked even with no PDF page)."""
    from fabriques.reports.pdf import write_pdf

    pdfs = sorted((out / "reports").rglob("*.pdf"))
    pdfs.append(write_pdf(out / "reports" / "index.html", tmp_path / "index.pdf"))
    for pdf in pdfs:
        assert_readable_pdf(pdf)


def test_every_pdf_is_tagged_with_its_language_and_title(out):
    """PDF/UA: the document is marked as tagged, has a structure tree holding the page's headings and tables, says
    its language (the page's `lang`) and shows its title (the page's <title>) in the reader's title bar."""
    import pypdf

    pdfs = sorted((out / "reports").rglob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        reader = pypdf.PdfReader(pdf)
        root = reader.trailer["/Root"]
        page = pdf.with_suffix(".html").read_text(encoding="utf-8")
        lang = re.search(r'<html lang="([a-z]+)"', page).group(1)
        title = unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1)).strip()
        assert bool(root.get("/MarkInfo", {}).get("/Marked")), f"{pdf}: not marked as tagged"
        assert str(root.get("/Lang", "")).startswith(lang), f"{pdf}: language {root.get('/Lang')!r}, page {lang!r}"
        assert reader.metadata.title == title, f"{pdf}: title {reader.metadata.title!r}"
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]), f"{pdf}: the title bar shows the file name"
        roles = structure_roles(root["/StructTreeRoot"])
        assert {"H1", "P", "Table", "TH", "TD"} <= roles, f"{pdf}: structure tree holds only {sorted(roles)}"


def structure_roles(node, seen=None) -> set[str]:
    """The structure types (`/S`) of a PDF structure tree."""
    seen = set() if seen is None else seen
    node = node.get_object()
    if isinstance(node, dict):
        if "/S" in node:
            seen.add(str(node["/S"]).lstrip("/"))
        children = node.get("/K")
        if children is not None:
            for child in children if isinstance(children, list) else [children]:
                child = child.get_object() if hasattr(child, "get_object") else child
                if isinstance(child, dict):
                    structure_roles(child, seen)
    return seen


def assert_readable_pdf(pdf: Path) -> None:
    import pypdf

    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:], f"{pdf}: not a complete PDF"
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 1, f"{pdf}: no page"
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert "Fabriques de Territoire" in text and str(YEAR) in text, f"{pdf}: no readable text"
