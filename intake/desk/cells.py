"""Spreadsheet cells that stay data: every text goes into a workbook as a string cell and into CSV with a leading
formula character neutralised (OWASP "CSV injection"); shared by every writer of a workbook or CSV file. Never
changes numbers or dates; a character XML cannot hold becomes a space, no other is dropped."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from openpyxl.cell.cell import Cell

from ..folding import xml_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Characters that make Excel, LibreOffice or Google Sheets read a CSV cell as a formula (or DDE)."""


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: text starting with a formula character gets a leading apostrophe, as OWASP
    recommends (shown by spreadsheets as typed, never evaluated); other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def put(cell: Cell, value: Any) -> Cell:
    """Write `value` into a workbook cell: text always as a string cell (openpyxl would make "=…" a formula),
    numbers, dates and None as they are."""
    if isinstance(value, str):
        cell.value = xml_text(value)  # openpyxl refuses control characters (a name read from a PDF may hold one)
        cell.data_type = "s"  # after the assignment, which guesses "f" for "=…"
    elif value is None or isinstance(value, (int, float, date, datetime)):
        cell.value = value
    else:
        cell.value = xml_text(str(value))
        cell.data_type = "s"
    return cell
