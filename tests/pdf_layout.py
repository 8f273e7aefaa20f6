"""How a printed PDF lies on its pages, read back from the PDF itself (pdfplumber): text outside what a printer
prints, and pages left mostly empty in the middle of a section. Used by the print test of the published reports.

- The printable box is the page less PRINTABLE_INSET on every side (office printers leave 4–6 mm unprinted):
  a character outside it is cut or lost on paper, and a column that runs off the page is found here even when
  no viewer shows it (pdfplumber keeps characters drawn beyond the page).
- A page's fill is how far down its body area (the page less BODY_BAND at the top and the bottom, where the
  running header and the page number are) its lowest character, line, rectangle or image reaches. A page less
  than MIN_FILL filled is a problem unless it is the document's last or the next page opens a section: a
  bookmark of the two top levels (the title, the sections) pointing at the top of that page.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

MM = 72 / 25.4
PRINTABLE_INSET = 10 * MM
BODY_BAND = 22 * MM
MIN_FILL = 1 / 3
SECTION_LEVELS = 2
SECTION_TOP = 0.25
"""A section opens a page when its bookmark lies in the top quarter of the page's body."""


@dataclass
class PageLayout:
    number: int
    outside: str
    """The characters outside the printable box, in reading order."""
    fill: float
    opens_section: bool = False


def page_layouts(pdf: Path) -> list[PageLayout]:
    """Each page's characters outside the printable box and its fill; whether a section opens it."""
    import pdfplumber

    pages = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            width, height = float(page.width), float(page.height)
            outside = "".join(
                char["text"]
                for char in page.chars
                if char["x0"] < PRINTABLE_INSET - 0.5
                or char["x1"] > width - PRINTABLE_INSET + 0.5
                or char["top"] < PRINTABLE_INSET - 0.5
                or char["bottom"] > height - PRINTABLE_INSET + 0.5
            )
            body_bottom = height - BODY_BAND
            bottoms = [
                min(float(item["bottom"]), body_bottom)
                for item in (*page.chars, *page.lines, *page.rects, *page.images)
                if BODY_BAND <= float(item["top"]) < body_bottom and float(item["bottom"]) > BODY_BAND
            ]
            fill = (max(bottoms, default=BODY_BAND) - BODY_BAND) / (body_bottom - BODY_BAND)
            pages.append(PageLayout(number, outside.strip(), round(fill, 3)))
    for page_number in section_starts(pdf):
        pages[page_number - 1].opens_section = True
    return pages


def section_starts(pdf: Path) -> set[int]:
    """Numbers of the pages at whose top a bookmark of the top SECTION_LEVELS levels points."""
    import pypdf

    reader = pypdf.PdfReader(pdf)
    starts: set[int] = set()

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
                continue
            if level > SECTION_LEVELS:
                continue
            index = reader.get_destination_page_number(item)
            height = float(reader.pages[index].mediabox.height)
            top = item.top if item.top is not None else height
            if height - float(top) <= BODY_BAND + SECTION_TOP * (height - 2 * BODY_BAND):
                starts.add(index + 1)

    walk(reader.outline, 1)
    return starts


def layout_problems(pdf: Path) -> list[str]:
    """What a reader of the printed PDF would see wrong, page by page ([] when it prints right)."""
    pages = page_layouts(pdf)
    problems = []
    for page in pages:
        if page.outside:
            problems.append(f"{pdf.name} page {page.number}: text outside the printable box: {page.outside[:80]!r}")
    for page, following in itertools.pairwise(pages):
        if page.fill < MIN_FILL and not following.opens_section:
            problems.append(
                f"{pdf.name} page {page.number}: {1 - page.fill:.0%} empty, and page {following.number} does "
                f"not open a section"
            )
    return problems
