"""(being written)"""
from __future__ import annotations

from fabriques.reports.context import Page, ReportContext


def build(ctx: ReportContext) -> list[Page]:
    return []
