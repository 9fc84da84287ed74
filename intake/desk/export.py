"""Hand-off to the council: every complete dossier's files copied from the archive in component order, with a
manifest, plus the tracking register. Reads only the archive and the store; never the inbox."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from ..receiving import archive_path
from .collect import DECISION_VI, collect, split_label
from ..errors import ConfigError
from ..folding import nfc
from .models import Desk, DossierSheet
from ..judging import RuleSet
from .ledger import read_ledger
from .register import render_register
from ..store import Store

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
LISTING = "00 - Danh mục hồ sơ.txt"
REGISTER = "so-theo-doi-ho-so.xlsx"

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def safe_name(name: str, limit: int = 120) -> str:
    """A file or folder name safe on Windows and Linux shares: no separators, reserved or control characters,
    no trailing dots or spaces, NFC, at most `limit` characters (extension kept)."""
    cleaned = _UNSAFE.sub("_", nfc(name)).strip().rstrip(". ") or "_"
    if cleaned in {".", ".."}:
        cleaned = "_"
    if len(cleaned) > limit:
        stem, dot, ext = cleaned.rpartition(".")
        cleaned = (stem[: limit - len(ext) - 1] + "." + ext) if dot and len(ext) <= 8 else cleaned[:limit]
    return cleaned


@dataclass(frozen=True)
class ExportedFile:
    """One file of an exported dossier."""

    name: str
    """Name in the exported folder ("01 - Đơn đăng ký.pdf")."""
    source: str
    """Path in the dossier as the enterprise named it."""
    sha256: str
    """Content hash (the archive copy it was taken from)."""


@dataclass(frozen=True)
class ExportedDossier:
    """Where one dossier went."""

    receipt_no: str
    """Receipt number."""
    folder: Path
    """The folder written."""
    files: tuple[ExportedFile, ...]
    """Files copied, in order."""


REFUSED_CODES = frozenset({"unreadable_file", "unsupported_format", "hard_link", "symlink"})
"""Deficiencies of a file refused unread: such a file is not handed to the council."""


def plan(dossier: DossierSheet, current: dict[str, str]) -> tuple[list[tuple[str, str, str]], list[dict[str, Any]]]:
    """Pure: which files to copy under which names, and the manifest's component list.

    `current` maps each current, non-duplicate path of the dossier to its SHA-256. Files come in the order of the
    components they satisfy (a merged file once, at its first component), then every other file received."""
    order: dict[str, str] = {}

    def take(path: str) -> str:
        if path not in order:
            base = PurePosixPath(path)
            flat = " - ".join(base.parts)
            order[path] = safe_name(f"{len(order) + 1:02d} - {flat}")
        return order[path]

    components = []
    for component in dossier.components:
        if component.state not in ("present", "accepted"):
            continue
        files = []
        for label in component.files:
            path, first, last = split_label(label)
            if path not in current:
                continue
            files.append({"file": take(path), "source": path, "sha256": current[path],
                          "pages": None if first is None else f"{first}-{last}"})
        entry: dict[str, Any] = {"component": component.id, "title": component.title, "files": files}
        if component.override is not None:
            o = component.override
            entry["decision"] = {"decision": o.decision, "officer": o.officer, "note": o.note, "at": o.at.isoformat()}
        components.append(entry)
    others = [path for path in sorted(current) if path not in order]
    for path in others:
        take(path)
    copies = [(name, path, current[path]) for path, name in order.items()]
    return copies, components


def _listing(desk: Desk, dossier: DossierSheet, components: list[dict[str, Any]],
             copies: list[tuple[str, str, str]], refused: dict[str, str]) -> str:
    zone = desk.campaign.deadline.tzinfo
    lines = [
        f"DANH MỤC HỒ SƠ THAM DỰ {desk.campaign.title.upper()}",
        "",
        f"Mã hồ sơ: {dossier.receipt_no}",
        f"Tổ chức, doanh nghiệp: {dossier.contact.enterprise}",
        f"Địa chỉ: {dossier.contact.address}",
        f"Điện thoại: {dossier.contact.phone}    Email: {dossier.contact.email}",
        f"Tiếp nhận lúc: {dossier.received_at.astimezone(zone):%H:%M ngày %d/%m/%Y}",
        "",
        "Thành phần hồ sơ:",
    ]
    for number, entry in enumerate(components, start=1):
        lines.append(f"{number}. {entry['title']}")
        for f in entry["files"]:
            pages = f" (trang {f['pages']})" if f["pages"] else ""
            lines.append(f"     - {f['file']}{pages}")
        if "decision" in entry:
            d = entry["decision"]
            lines.append(f"     - {DECISION_VI[d['decision']]} bởi cán bộ {d['officer']}: {d['note']}")
    listed = {f["file"] for entry in components for f in entry["files"]}
    others = [name for name, _, _ in copies if name not in listed]
    if others:
        lines += ["", "Tài liệu khác kèm theo:"] + [f"     - {name}" for name in others]
    if refused:
        lines += ["", "Tệp không được tiếp nhận (không chuyển kèm):"] + [
            f"     - {message}" for _, message in sorted(refused.items())]
    return "\n".join(lines) + "\n"


def _copy_verified(source: Path, target: Path, sha256: str) -> None:
    digest = hashlib.sha256()
    with source.open("rb") as src, target.open("wb") as out:
        while chunk := src.read(1 << 20):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != sha256:
        raise ConfigError(f"the archive copy {source} does not match its hash; the archive is damaged")


def export_complete(store: Store, rules: RuleSet, archive: Path, target: Path, exported_at: datetime, *,
                    include_late: bool = False) -> list[ExportedDossier]:
    """Write every complete dossier (late ones only with `include_late`) into `target`, one folder each, and
    the tracking register of what was exported. A folder exported before is replaced as a whole."""
    desk = collect(store, rules, exported_at)
    chosen = [d for d in desk.dossiers if d.status == "complete" and (include_late or not d.late)]
    target.mkdir(parents=True, exist_ok=True)
    exported = []
    for dossier in chosen:
        row = store.dossiers.get(dossier.folder)
        assert row is not None
        # What it was judged on: as it stood at the deadline for one received on time (what came later is not
        # handed over), byte-identical copies once.
        as_of = rules.campaign.judged_as_of(row.received_at, exported_at)
        # A file refused unread (unreadable, of a format not accepted, a hard link) is not handed over (audit 30:
        # an executable named .pdf went to the council among the "other documents"); the listing names it.
        refused = {d.file: d.message for d in dossier.deficiencies if d.code in REFUSED_CODES and d.file}
        current: dict[str, str] = {}
        for path, sha256, _ in store.dossiers.versions(row.id, as_of):
            if sha256 not in current.values() and path not in refused:
                current[path] = sha256
        copies, components = plan(dossier, current)
        name = safe_name(f"{dossier.receipt_no} - {dossier.contact.enterprise}")
        final = target / name
        if final.exists() and not (final / MANIFEST).exists():
            raise ConfigError(f"{final} exists and is not an earlier export; choose another folder")
        staging = target / f".{name}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        for file_name, _, sha256 in copies:
            _copy_verified(archive_path(archive, sha256), staging / file_name, sha256)
        manifest = {
            "campaign": rules.campaign.id, "receipt_no": dossier.receipt_no, "folder": dossier.folder,
            "enterprise": dossier.contact.enterprise, "received_at": dossier.received_at.isoformat(),
            "status": dossier.status, "late": dossier.late, "exported_at": exported_at.isoformat(),
            "components": components,
            "files": [{"file": n, "source": s, "sha256": h} for n, s, h in copies],
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        (staging / LISTING).write_text(_listing(desk, dossier, components, copies, refused), encoding="utf-8")
        if final.exists():
            shutil.rmtree(final)
        staging.rename(final)
        exported.append(ExportedDossier(dossier.receipt_no, final,
                                        tuple(ExportedFile(n, s, h) for n, s, h in copies)))
        log.info("exported dossier %s: %d files", dossier.receipt_no, len(copies))
    numbered = tuple(replace(d, number=n) for n, d in enumerate(chosen, start=1))
    (target / REGISTER).write_bytes(render_register(replace(desk, dossiers=numbered), read_ledger(store, rules, desk)))
    return exported
