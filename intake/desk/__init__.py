"""The officers' desk: takes the store; gives one frozen view of every dossier and renders it as the JSON contract, the
table, the Excel register, the HTML report, search results, the export and the council hand-off. Never changes a verdict.
"""

from __future__ import annotations

from .collect import (
    DECISION_VI,
    DEFICIENCY_VI,
    EVIDENCE_VI,
    NOTICE_STATE_VI,
    NOTICE_VI,
    STATE_VI,
    STATUS_VI,
    collect,
    component_title,
    dossier_identity,
    deficiency_kind,
    deficiency_topic,
    dossier_sheet,
    split_label,
)
from .ledger import read_ledger, supplement_date
from .confirm import Confirmed, confirm_email
from .council import JSON_FILE, WORKBOOK, render_council_json, render_council_workbook
from .export import export_complete
from .html import LOOSE_FILES_NOTE, render_html
from .models import ComponentEntry, Desk, DossierSheet
from .publish import REGISTER, close_intake, write_atomically, write_reports
from .register import render_register, render_register_csv
from .report import build_report, format_table, identity_record, verdict_record, with_sheets
from .search import match_expression, search

__all__ = [
    "LOOSE_FILES_NOTE",
    "REGISTER",
    "write_reports",
    "supplement_date",
    "close_intake",
    "ComponentEntry",
    "DECISION_VI",
    "DEFICIENCY_VI",
    "Desk",
    "EVIDENCE_VI",
    "NOTICE_STATE_VI",
    "NOTICE_VI",
    "STATE_VI",
    "STATUS_VI",
    "component_title",
    "deficiency_kind",
    "deficiency_topic",
    "dossier_sheet",
    "split_label",
    "Confirmed",
    "confirm_email",
    "dossier_identity",
    "identity_record",
    "with_sheets",
    "DossierSheet",
    "JSON_FILE",
    "WORKBOOK",
    "build_report",
    "collect",
    "export_complete",
    "format_table",
    "match_expression",
    "read_ledger",
    "render_council_json",
    "render_council_workbook",
    "render_html",
    "render_register",
    "render_register_csv",
    "search",
    "verdict_record",
    "write_atomically",
]
