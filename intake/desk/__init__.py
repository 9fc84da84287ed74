"""The officers' desk: takes the store; gives one frozen view of every dossier and renders it as the JSON contract, the
table, the Excel register, the HTML report, search results, the export and the council hand-off. Never changes a verdict.
"""

from __future__ import annotations

from .collect import collect, dossier_identity
from .confirm import Confirmed, confirm_email
from .council import JSON_FILE, WORKBOOK, render_council_json, render_council_workbook
from .export import export_complete
from .html import render_html
from .models import DossierSheet
from .publish import write_atomically
from .register import render_register, render_register_csv
from .report import build_report, format_table, identity_record, verdict_record, with_identities
from .search import match_expression, search

__all__ = [
    "Confirmed",
    "confirm_email",
    "dossier_identity",
    "identity_record",
    "with_identities",
    "DossierSheet",
    "JSON_FILE",
    "WORKBOOK",
    "build_report",
    "collect",
    "export_complete",
    "format_table",
    "match_expression",
    "render_council_json",
    "render_council_workbook",
    "render_html",
    "render_register",
    "render_register_csv",
    "search",
    "verdict_record",
    "write_atomically",
]
