"""Files a PDF carries inside it: what a PDF reader lists in its attachments panel (the embedded files of the
document, a portfolio's documents) or shows as a paperclip on a page (a file-attachment comment). They are not
read, and they are never silently dropped either: their names go with the file's reading, and the enterprise is
asked to send each one that is part of the dossier as a file of its own. Runs in the parser sandbox, on an open
pypdf reader; never raises."""

from __future__ import annotations

import unicodedata
from typing import Any

MAX_NAMES = 20
"""Names kept of one file's attachments (a hostile PDF may carry thousands): the count is said past it."""
MAX_NAME_LENGTH = 100
"""Characters kept of one name (the extension is kept)."""


def clean_name(raw: Any) -> str:
    """An attachment's name fit to show: its last path part, NFC, no control or format characters (bidi
    overrides, zero-width ones), spaces collapsed, at most MAX_NAME_LENGTH characters; "" when nothing is left."""
    text = unicodedata.normalize("NFC", str(raw)).replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    text = " ".join(text.split())
    if len(text) > MAX_NAME_LENGTH:
        stem, dot, ext = text.rpartition(".")
        keep = dot and 0 < len(ext) <= 8
        text = text[: MAX_NAME_LENGTH - (len(ext) + 2 if keep else 1)] + "…" + (f".{ext}" if keep else "")
    return text


def _spec_name(spec: Any) -> str:
    """The file name of a file specification: its /UF (Unicode), else /F, else the string it is."""
    spec = spec.get_object() if hasattr(spec, "get_object") else spec
    if hasattr(spec, "get"):
        for key in ("/UF", "/F", "/DOS", "/Unix"):
            value = spec.get(key)
            if value is not None:
                return clean_name(value.get_object() if hasattr(value, "get_object") else value)
        return ""
    return clean_name(spec) if spec is not None else ""


def document_attachments(reader: Any) -> list[str]:
    """Names of the files embedded in the document (its /EmbeddedFiles name tree)."""
    names = []
    try:
        for embedded in reader.attachment_list:
            names.append(clean_name(embedded.alternative_name or embedded.name))
    except Exception:  # noqa: BLE001 - a damaged name tree: the pages are still read
        pass
    return names


def page_attachments(page: Any) -> list[str]:
    """Names of the files attached to a page as comments (/FileAttachment annotations)."""
    names = []
    try:
        annots = page.get("/Annots")
        annots = annots.get_object() if annots is not None else ()
        for annot in annots or ():
            annot = annot.get_object()
            if annot.get("/Subtype") == "/FileAttachment" and annot.get("/FS") is not None:
                names.append(_spec_name(annot["/FS"]))
    except Exception:  # noqa: BLE001 - damaged annotations: the page is still read
        pass
    return names


def listed(names: list[str]) -> tuple[str, ...]:
    """The names to keep: each once, in order, unnamed ones as "(không tên)", at most MAX_NAMES, then how many
    more ("… và 35 tệp khác")."""
    unique = list(dict.fromkeys(name or "(không tên)" for name in names))
    if len(unique) > MAX_NAMES:
        return (*unique[:MAX_NAMES], f"… và {len(unique) - MAX_NAMES} tệp khác")
    return tuple(unique)
