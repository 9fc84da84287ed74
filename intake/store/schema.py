"""The database schema: tables, indexes and the columns added to older data folders; never reads or writes rows."""

from __future__ import annotations

import sqlite_utils

SCHEMA_VERSION = 8
REREAD: dict[int, tuple[tuple[str, bool], ...]] = {5: (("docx", False), ("pdf", True)),
                                                   6: (("docx", False), ("pdf", True)),
                                                   7: (("docx", False),),
                                                   8: (("pdf", True), ("docx", False))}
"""Kinds of file read again when a data folder older than the version is opened, because reading them now gives
more, each with whether only the readings no page of which was OCR'd are (OCR reads the same, at a cost): 5, Word
files (the text of their text boxes was not read) and PDFs read from their text layer (one made with a pre-Unicode
font was taken for Vietnamese text, and never OCR'd); 6, Word files (text inserted with changes tracked was not
read, nor page breaks a paragraph style makes) and PDFs read from their text layer (one made with a pre-Unicode
font and no image on its pages kept its mojibake); 7, Word files (a pasted picture was read as a page after every
typed one, not on its own page); 8, PDFs read from their text layer (the files attached to them were not
listed: `Extraction.enclosed`) and Word files (the captions typed around pasted scans were not told apart:
`Page.captions`)."""
REQUIRED_TABLES = frozenset({
    "counters", "meta", "dossiers", "extractions", "pages", "files", "deficiencies", "notices", "events",
    "overrides", "rejudge", "page_search", "invitees", "reminders", "registration_fields", "readings", "seal_marks",
    "assignments", "approvals", "users", "signins", "audit",
    "inbox_stats", "folder_activity", "page_progress",
    "contact_confirmations",
})

FOLD_D_SQL = "replace(replace(text, 'đ', 'd'), 'Đ', 'D')"
"""SQL of the searchable copy of a page's text: đ/Đ → d/D, one character for one, so offsets still match."""

NOTICE_DELIVERY_COLUMNS: dict[str, type] = {
    "number": str, "document_sha256": str, "address": str, "subject": str, "body": str, "recipient": str,
    "next_attempt_at": str, "last_attempt_at": str, "last_error": str, "sent_at": str, "message_id": str,
    "resends": int,
}
"""Columns of `notices` about its e-mail delivery (added to older data folders on start-up)."""


def _add_missing(table: sqlite_utils.db.Table, columns: dict[str, type]) -> None:
    """Add the columns a table of an older schema lacks."""
    have = table.columns_dict
    for name, kind in columns.items():
        if name not in have:
            table.add_column(name, kind)


def create_tables(db: sqlite_utils.Database) -> None:
    """Create whatever table, index or column is missing (idempotent)."""
    db["counters"].create({"name": str, "value": int}, pk="name", if_not_exists=True)
    db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db["dossiers"].create(
        {"id": int, "folder": str, "receipt_no": str, "received_at": str, "status": str, "late": int,
         "verdict": str, "deficiency_hash": str, "evaluated_at": str},
        pk="id", not_null={"folder", "receipt_no", "received_at"}, if_not_exists=True,
    )
    db["extractions"].create(
        {"sha256": str, "kind": str, "problem_code": str, "problem_reason": str, "page_count": int,
         "extracted_at": str, "enclosed": str},
        pk="sha256", if_not_exists=True,
    )
    # The names of the files a file carries and nobody read (a PDF's attachments), one per line (schema 8).
    _add_missing(db["extractions"], {"enclosed": str})
    db["pages"].create(
        {"sha256": str, "number": int, "method": str, "confidence": float, "text": str, "doubtful": str,
         "photo": int, "captions": str},
        pk=("sha256", "number"), foreign_keys=[("sha256", "extractions")], if_not_exists=True,
    )
    # Words OCR was unsure of, one per line (schema 3); 1: OCR'd from a camera photograph (schema 4); the lines
    # typed as a caption around a Word file's pasted scans, one per line (schema 8).
    _add_missing(db["pages"], {"doubtful": str, "photo": int, "captions": str})
    db["files"].create(
        {"id": int, "dossier_id": int, "path": str, "sha256": str, "size": int, "mtime_ns": int,
         "received_at": str, "current": int, "duplicate_of": str},
        pk="id", foreign_keys=[("dossier_id", "dossiers")], if_not_exists=True,
    )
    # When a file left its dossier's folder for another's, the same bytes (audit 27: a form put in the wrong folder).
    _add_missing(db["files"], {"moved_at": str})
    db["deficiencies"].create(
        {"id": int, "dossier_id": int, "key": str, "code": str, "document": str, "file": str,
         "message": str, "opened_at": str, "resolved_at": str},
        pk="id", foreign_keys=[("dossier_id", "dossiers")], if_not_exists=True,
    )
    db["notices"].create(
        {"id": int, "dossier_id": int, "kind": str, "content_hash": str, "path": str, "created_at": str,
         "state": str, "attempts": int, **NOTICE_DELIVERY_COLUMNS},
        pk="id", foreign_keys=[("dossier_id", "dossiers")], if_not_exists=True,
    )
    # Data folders made before notices were e-mailed gain the delivery columns (all nullable).
    _add_missing(db["notices"], NOTICE_DELIVERY_COLUMNS)
    db["notices"].create_index(["state", "next_attempt_at"], if_not_exists=True)
    db["events"].create(
        {"id": int, "at": str, "dossier_id": int, "file": str, "kind": str, "detail": str},
        pk="id", if_not_exists=True,
    )
    # A dossier's events of a kind are looked up for every dossier judged (`taken_for_another`) and shown.
    db["events"].create_index(["dossier_id", "kind"], if_not_exists=True)
    # What was last seen of each inbox file when it was received (a file replaced with the same size and mtime has
    # another inode or ctime), and each dossier folder's last activity (wall clock), so a restart forgets neither.
    db["inbox_stats"].create(
        {"folder": str, "path": str, "size": int, "mtime_ns": int, "ino": int, "ctime_ns": int},
        pk=("folder", "path"), if_not_exists=True,
    )
    db["folder_activity"].create({"folder": str, "at": float}, pk="folder", not_null={"at"}, if_not_exists=True)
    # Pages OCR'd of a file whose reading is not finished (a stop or a kill mid-file): read again, only the pages
    # missing here are OCR'd. `call` and `job` say which OCR job of the file's reading each page answers.
    db["page_progress"].create(
        {"sha256": str, "call": int, "job": int, "number": int, "method": str, "confidence": float, "text": str,
         "doubtful": str, "photo": int},
        pk=("sha256", "call", "job"), if_not_exists=True,
    )
    _add_missing(db["page_progress"], {"doubtful": str, "photo": int})  # kept across a stop too (schema 4)
    db["dossiers"].create_index(["folder"], unique=True, if_not_exists=True)
    db["dossiers"].create_index(["receipt_no"], unique=True, if_not_exists=True)
    db["files"].create_index(["dossier_id", "path", "sha256"], unique=True, if_not_exists=True)
    db["files"].create_index(["sha256"], if_not_exists=True)
    db["deficiencies"].create_index(["dossier_id", "resolved_at"], if_not_exists=True)
    # Officers' decisions on components, never deleted: undoing or replacing one only closes it.
    db["overrides"].create(
        {"id": int, "dossier_id": int, "component": str, "decision": str, "officer": str, "note": str,
         "at": str, "undone_at": str, "undone_by": str, "undo_note": str},
        pk="id", foreign_keys=[("dossier_id", "dossiers")], if_not_exists=True,
    )
    db["overrides"].create_index(["dossier_id", "component"], if_not_exists=True)
    # Officers' confirmations or corrections of a dossier's contact (`intake contact`): the latest one counts.
    db["contact_confirmations"].create(
        {"id": int, "dossier_id": int, "field": str, "value": str, "officer": str, "at": str},
        pk="id", foreign_keys=[("dossier_id", "dossiers")], not_null={"dossier_id", "field", "value", "officer", "at"},
        if_not_exists=True,
    )
    # Dossiers to judge again at the next pass (an officer's decision); `token` tells a newer request apart.
    db["rejudge"].create({"dossier_id": int, "token": int}, pk="dossier_id", if_not_exists=True)
    # Full-text search over every page: a copy of the text with đ/Đ folded to d/D (unicode61 does not fold
    # them; the copy keeps every offset), rowid = the page's rowid in `pages`.
    if not db["page_search"].exists():
        db.execute("CREATE VIRTUAL TABLE page_search USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')")
        db.execute(f"INSERT INTO page_search (rowid, text) SELECT rowid, {FOLD_D_SQL} FROM pages")
    # The campaign calendar: invited enterprises (key: tax code, else folder; re-imports update), the reminders
    # written (one per reminder day and enterprise, across restarts), and which notices went to an invitee
    # that has no dossier yet (dossier_id NULL).
    db["invitees"].create(
        {"id": int, "key": str, "name": str, "tax_code": str, "email": str, "phone": str, "folder": str,
         "address": str, "imported_at": str, "updated_at": str},
        pk="id", not_null={"key", "name"}, if_not_exists=True,
    )
    db["invitees"].create_index(["key"], unique=True, if_not_exists=True)
    _add_missing(db["notices"], {"invitee_id": int})
    db["reminders"].create(
        {"id": int, "day": str, "days_before": int, "target": str, "notice_id": int, "written_at": str},
        pk="id", foreign_keys=[("notice_id", "notices")], if_not_exists=True,
    )
    db["reminders"].create_index(["day", "target"], unique=True, if_not_exists=True)


def create_desk_tables(db: sqlite_utils.Database) -> None:
    """The web desk's tables: officers' page-range assignments, approvals of notices, accounts, sign-in attempts,
    the audit trail (idempotent)."""
    # A page range of a file an officer counts as a component; never deleted: undoing one closes it.
    db["assignments"].create(
        {"id": int, "dossier_id": int, "file": str, "first_page": int, "last_page": int, "component": str,
         "officer": str, "note": str, "at": str, "undone_at": str, "undone_by": str, "undo_note": str},
        pk="id", foreign_keys=[("dossier_id", "dossiers")], if_not_exists=True,
    )
    db["assignments"].create_index(["dossier_id"], if_not_exists=True)
    # Per notice held for approval: the state it takes once approved, who approved it and when.
    db["approvals"].create({"notice_id": int, "becomes": str, "approved_by": str, "approved_at": str},
                           pk="notice_id", if_not_exists=True)
    db["users"].create({"id": int, "name": str, "role": str, "password_hash": str, "created_at": str,
                        "disabled_at": str}, pk="id", not_null={"name", "role", "password_hash"}, if_not_exists=True)
    db["users"].create_index(["name"], unique=True, if_not_exists=True)
    db["signins"].create({"id": int, "at": str, "name": str, "client": str, "ok": int}, pk="id", if_not_exists=True)
    db["signins"].create_index(["at"], if_not_exists=True)
    db["audit"].create({"id": int, "at": str, "user": str, "action": str, "dossier_id": int, "detail": str},
                       pk="id", if_not_exists=True)
    db["audit"].create_index(["dossier_id"], if_not_exists=True)


def create_reading_tables(db: sqlite_utils.Database) -> None:
    """The tables of what is read beyond the verdict (registration fields, readings, seal marks)."""
    if {"registration_fields", "readings", "seal_marks"} <= set(db.table_names()):
        return  # a read, not DDL: another process may be creating or using the database right now
    # The registration form's fields of each dossier as last read (one row per field; the officers' register).
    db["registration_fields"].create(
        {"dossier_id": int, "field": str, "value": str, "status": str, "note": str, "raw": str,
         "source": str, "read_at": str},
        pk=("dossier_id", "field"), foreign_keys=[("dossier_id", "dossiers")], if_not_exists=True,
    )
    # What the last judgement read besides the verdict (registration, seals, hints), as the report shows it.
    db["readings"].create(
        {"dossier_id": int, "record": str, "read_at": str},
        pk="dossier_id", foreign_keys=[("dossier_id", "dossiers")], if_not_exists=True,
    )
    # Seal checks by content and page, like the text: the same bytes are never looked at twice.
    db["seal_marks"].create(
        {"sha256": str, "page": int, "detector": str, "found": int, "colour": int, "x0": float, "y0": float,
         "x1": float, "y1": float, "score": float},
        pk=("sha256", "page", "detector"), if_not_exists=True,
    )
