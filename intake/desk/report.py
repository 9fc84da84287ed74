"""The officers' view: the stable JSON contract and a readable table; pure functions of stored data."""

from __future__ import annotations

from typing import Any

from ..campaign import status_lines
from ..judging import Identity
from .models import Desk
from ..models import DocumentHeader, Verdict
from ..store import DossierRow

STATUS_VI = {"complete": "Đầy đủ", "incomplete": "Chưa đầy đủ", None: "Đang xử lý"}


def _header_record(header: DocumentHeader | None) -> dict[str, Any] | None:
    """A document's header as the JSON shows it (None when none was read)."""
    if header is None or not header.found:
        return None
    return {"issuer": list(header.issuer), "number": header.number, "symbol": header.symbol, "place": header.place,
            "date": header.date, "type": header.type, "summary": header.summary, "addressee": header.addressee,
            "letter": header.letter}


def verdict_record(verdict: Verdict) -> dict[str, Any]:
    """A verdict as stored JSON (what reports read back)."""
    return {
        "status": verdict.status,
        "late": verdict.late,
        "judged_as_of": verdict.as_of.isoformat() if verdict.as_of else None,
        "documents": {k: list(v) for k, v in verdict.documents.items()},
        "missing": list(verdict.missing),
        "deficiencies": [
            {"code": d.code, "document": d.document, "file": d.file, "message": d.message}
            for d in verdict.deficiencies
        ],
        "evidence": [
            {
                "file": m.label,
                "document": m.component,
                "points": m.points,
                "phrases": [{"kind": e.kind, "phrase": e.phrase, "page": e.page, "score": e.score}
                            for e in m.evidence],
                # Additions: the header read on the range's first page with one, and what the range is.
                "header": _header_record(m.header),
                "role": m.role,
            }
            for m in verdict.matches
        ],
        "unrecognised": [m.label for m in verdict.matches if m.role == "unrecognised"],
        "cover_letters": [m.label for m in verdict.matches if m.role == "cover_letter"],
    }


def build_report(campaign_id: str, dossiers: list[DossierRow]) -> dict[str, Any]:
    """The JSON contract of `intake report --format json`."""
    rows = []
    for d in dossiers:
        v = d.verdict or {}
        rows.append({
            "folder": d.folder,
            "receipt_no": d.receipt_no,
            "received_at": d.received_at.isoformat(),
            "status": d.status or "incomplete",
            "late": d.late,
            # Addition: the moment its files were taken as of (the deadline, for one received on time once it has
            # passed); null: as they are now.
            "judged_as_of": v.get("judged_as_of"),
            "documents": v.get("documents", {}),
            "missing": v.get("missing", []),
            "deficiencies": v.get("deficiencies", []),
            "evidence": v.get("evidence", []),
            # Pages recognised as no component, and cover letters (recorded, never counted): additions.
            "unrecognised": v.get("unrecognised", []),
            "cover_letters": v.get("cover_letters", []),
            # What an officer reads besides the verdict (added to the contract; null/[] until first judged).
            "registration": (d.reading or {}).get("registration"),
            "seals": (d.reading or {}).get("seals", []),
            "hints": (d.reading or {}).get("hints", []),
        })
    return {"campaign": campaign_id, "dossiers": rows}


def identity_record(identity: Identity) -> dict[str, Any]:
    """A dossier's identity as the JSON contract shows it (key `identity`, an addition)."""
    return {
        **{f.name: f.value for f in identity.fields},
        "mail_to": identity.mail_to,
        "email_hold": identity.email_hold or None,
        "fields": {f.name: {"value": f.value, "source": f.source or None, "status": f.status, "note": f.note}
                   for f in identity.fields},
        "mismatches": list(identity.mismatches),
        "duplicates": list(identity.duplicates),
    }


def with_sheets(report: dict[str, Any], desk: Desk) -> dict[str, Any]:
    """The report with each dossier's `identity` (the one every view shows) and `folder_events` (what happened to
    its folder and files in the shared folder: `at`, `message`), from the desk's sheets (additions)."""
    sheets = {d.receipt_no: d for d in desk.dossiers}
    for row in report["dossiers"]:
        sheet = sheets.get(row["receipt_no"])
        identity = sheet.contact if sheet is not None else None
        row["identity"] = identity_record(identity) if isinstance(identity, Identity) else None
        row["folder_events"] = [{"at": e.at.isoformat(), "message": e.message}
                                for e in (sheet.events if sheet is not None else ())]
    if desk.loose_files:  # the contract's keys stay as they are while nothing lies loose
        report["loose_files"] = list(desk.loose_files)
    return report


def format_table(report: dict[str, Any]) -> str:
    """A plain-text summary per dossier for the terminal, after the campaign's when `campaign_status` is given."""
    dossiers = report["dossiers"]
    opening = status_lines(report["campaign_status"]) if report.get("campaign_status") else []
    complete = sum(1 for d in dossiers if d["status"] == "complete")
    late = sum(1 for d in dossiers if d["late"])
    lines = opening + [
        f"Campaign {report['campaign']}: {len(dossiers)} dossiers, {complete} complete, "
        f"{len(dossiers) - complete} incomplete, {late} late",
        "",
    ]
    for d in dossiers:
        flag = " LATE" if d["late"] else ""
        lines.append(f"{d['receipt_no']}  {d['status'].upper()}{flag}  {d['folder']}  (received {d['received_at']})")
        who = d.get("identity")
        if who:
            email = who["email"] + (" (uncertain: held)" if who["email_hold"] else "") if who["email"] else "-"
            lines.append(f"    {who['enterprise']}  tax code {who['tax_code'] or '-'}  phone {who['phone'] or '-'}  "
                         f"e-mail {email}")
            for line in who["mismatches"] + who["duplicates"]:
                lines.append(f"    ? {line}")
        for component, files in d["documents"].items():
            lines.append(f"    {component:<20} {', '.join(files)}")
        for deficiency in d["deficiencies"]:
            lines.append(f"    ! {deficiency['code']}: {deficiency['message']}")
        lines.append("")
    return "\n".join(lines)
