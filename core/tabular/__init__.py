"""Spreadsheet import and export: the office's data arrives and leaves as Excel (or CSV) files.

Imports read the whole file and check every row before anything is written; the report names the
file, the row as Excel numbers it, the column, the value, what is wrong and how to fix it. Exports
write resident IDs as text cells and money as exact two-decimal numbers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Where each name lives. The modules are imported on first use, not with the package: they bring
# openpyxl (~0.5 s), which a process that only reads a cell helper (`core.tabular.cells`), such
# as the terminal app at start, should not pay for.
_HOMES = {
    "import_communities": "communities_import",
    "export_alerts": "export",
    "export_forecast": "export",
    "export_payroll": "export",
    "export_roster": "export",
    "export_round": "export",
    "export_staffing": "export",
    "ImportResult": "report",
    "Problem": "report",
    "render_report": "report",
    "write_template": "templates",
    "import_workers": "workers_import",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


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
