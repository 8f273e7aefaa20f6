"""Print an HTML page to PDF with WeasyPrint (needs Pango; `make setup` installs it on Debian).

The PDF is WeasyPrint's PDF/UA-1 variant: tagged (a structure tree of headings, paragraphs, tables and figures
with their alternative text), with the page's language and its title as the document's title, as the French
public sector's accessibility rules (RGAA) ask of a published document.
"""

from __future__ import annotations

import logging
from pathlib import Path

PDF_VARIANT = "pdf/ua-1"


def write_pdf(html_file: Path, pdf_file: Path) -> Path:
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf_file.parent.mkdir(parents=True, exist_ok=True)
    weasyprint.HTML(filename=str(html_file)).write_pdf(str(pdf_file), pdf_variant=PDF_VARIANT)
    return pdf_file


def print_pdf(html_and_pdf: tuple[Path, Path]) -> Path:
    """write_pdf for a worker process: one (HTML file, PDF file) pair."""
    return write_pdf(*html_and_pdf)
