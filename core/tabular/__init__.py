"""Spreadsheet import and export: the office's data arrives and leaves as Excel (or CSV) files.

Imports read the whole file and check every row before anything is written; the report names the
file, the row as Excel numbers it, the column, the value, what is wrong and how to fix it. Exports
write resident IDs as text cells and money as exact two-decimal numbers.
"""

from __future__ import annotations

from core.tabular.communities_import import import_communities
from core.tabular.export import (
    export_alerts,
    export_forecast,
    export_payroll,
    export_roster,
    export_round,
    export_staffing,
)
from core.tabular.report import ImportResult, Problem, render_report
from core.tabular.templates import write_template
from core.tabular.workers_import import import_workers

__all__ = [
    "ImportResult",
    "Problem",
    "export_alerts",
    "export_forecast",
    "export_payroll",
    "export_roster",
    "export_round",
    "export_staffing",
    "import_communities",
    "import_workers",
    "render_report",
    "write_template",
]
