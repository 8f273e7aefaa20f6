"""Print an HTML page to PDF with WeasyPrint (needs Pango; `make setup` installs it on Debian)."""

from __future__ import annotations

import logging
from pathlib import Path


def write_pdf(html_file: Path, pdf_file: Path) -> Path:
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf_file.parent.mkdir(parents=True, exist_ok=True)
    weasyprint.HTML(filename=str(html_file)).write_pdf(str(pdf_file))
    return pdf_file


def print_pdf(html_and_pdf: tuple[Path, Path]) -> Path:
    """write_pdf for a worker process: one (HTML file, PDF file) pair."""
    return write_pdf(*html_and_pdf)
