"""Invitation lists: the officers' spreadsheet (xlsx) or CSV of invited enterprises, read into Invitee records.
`parse_rows` is pure; `read_invitations` reads the file. Never writes anything, never sends anything."""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from .calendar import invitee_keys
from ..judging import EMAIL, read_tax_code
from ..folding import fold, nfc
from ..models import Invitee

HEADINGS: dict[str, tuple[str, ...]] = {
    "name": ("ten doanh nghiep", "ten to chuc doanh nghiep", "ten to chuc", "ten don vi", "ten co so", "doanh nghiep",
             "to chuc doanh nghiep", "don vi", "ten", "name", "company", "enterprise"),
    "tax_code": ("ma so thue", "mst", "ma so doanh nghiep", "ma so dn", "tax code"),
    "email": ("dia chi thu dien tu", "thu dien tu", "dia chi email", "email", "e mail"),
    "phone": ("so dien thoai", "dien thoai", "dien thoai lien he", "sdt", "dt", "phone", "telephone"),
    "folder": ("ten thu muc", "thu muc ho so", "thu muc nop ho so", "thu muc", "folder"),
    "address": ("dia chi tru so chinh", "dia chi tru so", "dia chi", "address"),
}
"""Folded column headings of each field, as officers write them ("Tên doanh nghiệp", "Mã số thuế", "Thư mục")."""

HEADER_ROWS = 10
"""Rows at the top of a sheet where the heading row is looked for (a title row often comes first)."""

SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".csv": "csv", ".txt": "csv"}
"""File kinds read, by extension."""

_UNSAFE_FOLDER = re.compile(r"[/\\\x00-\x1f<>:\"|?*]+")
"""What a folder name of a Windows share cannot hold (the share's and the outbox's folders are one name)."""
_TOTAL_ROW = re.compile(r"(?:tổng\s+cộng|cộng|tổng\s+số|tổng)\s*(?:[:(]|\d|$)", re.IGNORECASE)
"""A list's total row ("Tổng cộng: 9 doanh nghiệp", "Cộng", "Tổng số 9"): no enterprise (audit 22)."""
_NUMBER_CUT = re.compile(r"\s*(?:[;,/]|\s[-–—]\s|\bhoặc\b)\s*")
"""What separates two phone numbers in one cell ("0204 3854 123 - 0912 345 678")."""


class InvitationError(ValueError):
    """The invitation list cannot be read at all (no heading row, unknown format, unreadable file)."""


def _field(heading: Any) -> str | None:
    """The field a column heading names: an exact folded match, else the longest label it begins with."""
    folded = fold(str(heading)) if heading is not None else ""
    if not folded:
        return None
    for name, labels in HEADINGS.items():
        if folded in labels:
            return name
    best = max(((len(label), name) for name, labels in HEADINGS.items() for label in labels
                if folded.startswith(label + " ")), default=None)
    return best[1] if best else None


def _text(value: Any) -> str:
    """A cell as text: integral numbers without ".0" (Excel stores tax codes and phones as numbers), NFC."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    return " ".join(nfc(str(value)).split())


def clean_tax_code(value: Any) -> str:
    """A tax code as the registration form's is read ("0100109106", "2400123456-001"); a 9-digit number is a
    10-digit code whose leading 0 Excel dropped; what is not a tax code keeps its digits (still a key)."""
    text = _text(value)
    if text.isdigit() and len(text) in (9, 12):  # Excel's number, or its CSV (audit 22: "100109106" duplicated one)
        text = "0" + text
    return read_tax_code(text) or re.sub(r"[^\d-]", "", text).strip("-")


def clean_phone(value: Any) -> str:
    """A phone number as written, the first of two in one cell; 9 or 10 digits with no leading 0 are a number whose
    leading 0 Excel dropped (a mobile, a landline with its area code)."""
    text = _NUMBER_CUT.split(_text(value))[0]
    return "0" + text if text.isdigit() and len(text) in (9, 10) and not text.startswith("0") else text


def clean_folder(value: str) -> str:
    """A folder name fit to be a folder of the share and of the outbox: NFC, one path component, no "." or ".."."""
    text = _UNSAFE_FOLDER.sub("-", " ".join(nfc(value).split()))
    return "" if text in (".", "..") else text


def _header(rows: Sequence[Sequence[Any]]) -> tuple[int, dict[int, str]] | None:
    for index, row in enumerate(rows[:HEADER_ROWS]):
        columns: dict[int, str] = {}
        for column, cell in enumerate(row):
            field = _field(cell)
            if field and field not in columns.values():
                columns[column] = field
        if "name" in columns.values() and len(columns) >= 2:
            return index, columns
    return None


def parse_rows(rows: Iterable[Sequence[Any]], source: str) -> tuple[tuple[Invitee, ...], tuple[str, ...]]:
    """The invitees of a table (a heading row among the first rows, then one enterprise per row), with the problems
    found, each naming `source` and the line. Rows without a name are skipped; a bad e-mail address is left out;
    a row repeating an earlier one's tax code (or, without one, its folder) replaces it."""
    table = [list(r) for r in rows]
    found = _header(table)
    if found is None:
        raise InvitationError(f"{source}: no heading row with the enterprise name and another column among the first "
                              f"{HEADER_ROWS} rows (e.g. \"Tên doanh nghiệp\", \"Mã số thuế\", \"Email\", \"Thư mục\")")
    start, columns = found
    problems: list[str] = []
    by_key: dict[str, tuple[int, Invitee]] = {}
    for line, row in enumerate(table[start + 1:], start=start + 2):
        values = {field: row[column] if column < len(row) else None for column, field in columns.items()}
        if not any(_text(v) for v in values.values()):
            continue
        name = _text(values.get("name"))
        if not name:
            problems.append(f"{source}: line {line}: no enterprise name; row skipped")
            continue
        if _TOTAL_ROW.match(name) and not _text(values.get("tax_code")):
            problems.append(f"{source}: line {line}: {name!r} is a total row, not an enterprise; row skipped")
            continue
        email = ""
        raw_email = _text(values.get("email"))
        for candidate in re.split(r"[;,\s]+", raw_email):
            candidate = candidate.strip("<>()[]«»\"'.:")  # "Nguyễn Thị Lan <lan@…>" (audit 22)
            if EMAIL.fullmatch(candidate):
                email = candidate
                break
        if raw_email and not email:
            problems.append(f"{source}: line {line}: {raw_email!r} is not an e-mail address; left out")
        tax = clean_tax_code(values.get("tax_code"))
        if tax and read_tax_code(tax) is None:
            problems.append(f"{source}: line {line}: {tax!r} is not a tax code (10 digits, or 10-3 for a branch)")
        folder = clean_folder(_text(values.get("folder"))) or clean_folder(name)
        invitee = Invitee(
            name=name, tax_code=tax, email=email,
            phone=clean_phone(values.get("phone")), folder=folder, address=_text(values.get("address")),
        )
        key = invitee_keys(invitee)[0]
        if key in by_key:
            problems.append(f"{source}: line {line}: same {'tax code' if invitee.tax_code else 'folder'} as line "
                            f"{by_key[key][0]}; this line replaces it")
        by_key[key] = (line, invitee)
    return tuple(invitee for _, invitee in by_key.values()), tuple(problems)


def _xlsx_rows(path: Path) -> list[list[Any]]:
    with warnings.catch_warnings():
        # Workbooks saved by Excel carry extensions openpyxl warns about (data validation, conditional formats).
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - zipfile, XML and openpyxl errors alike mean "not a workbook"
            raise InvitationError(f"{path}: not a readable Excel workbook ({exc})") from exc
        try:
            sheets = [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets]
        finally:
            workbook.close()
    # The first sheet that has a heading row (a workbook may open with a cover sheet).
    return next((rows for rows in sheets if _header(rows) is not None), sheets[0] if sheets else [])


def _csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1258", errors="replace")  # Excel's "CSV" on a Vietnamese Windows
    text = nfc(text)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def read_invitations(path: Path) -> tuple[tuple[Invitee, ...], tuple[str, ...]]:
    """Read an invitation list (.xlsx or .csv, UTF-8 or Windows-1258)."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise InvitationError(f"{path}: an invitation list is an Excel workbook (.xlsx) or a CSV file (.csv)")
    try:
        rows = _xlsx_rows(path) if kind == "xlsx" else _csv_rows(path)
    except OSError as exc:
        raise InvitationError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    return parse_rows(rows, path.name)
