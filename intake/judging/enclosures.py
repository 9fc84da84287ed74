"""Files a dossier's files carry unread (a PDF's attachments, a ZIP's members: `Extraction.enclosed`), as the
enterprise is told of them: each one whose name says it is a missing component in that component's deficiency (it
was seen, where, and is to be sent as a file of its own), one whose name says a component the dossier has not
asked for again, the others named on the file that carries them. Pure."""

from __future__ import annotations

from collections.abc import Iterable

from ..folding import fold
from ..models import Deficiency, ReceivedFile
from .ruleset import RuleSet

OTHERS = "… "
"""How `reading.enclosed.listed` begins the line that counts the names it left out."""


def guess_component(file: str, rules: RuleSet, prefer: Iterable[str] = ()) -> str | None:
    """The component a file was probably meant as, from its name alone (the rule's `filename_hints`), those in
    `prefer` (missing ones) first; None when its name says nothing."""
    name = fold(file)
    hits = [c.id for c in rules.components if any(fold(h) in name for h in c.filename_hints)]
    preferred = [c for c in hits if c in set(prefer)]
    return (preferred or hits or [None])[0]


def quoted(names: Iterable[str]) -> str:
    """«a», «b», … và 3 tệp khác."""
    return ", ".join(n if n.startswith(OTHERS) else f"«{n}»" for n in names)


def enclosed_deficiencies(files: Iterable[ReceivedFile], rules: RuleSet, missing: Iterable[str],
                          present: Iterable[str]) -> list[Deficiency]:
    """The deficiencies of the files carried unread inside the dossier's files (see the module); a ZIP's members
    that name no component are listed in its refusal (`with_members`), not here."""
    missing, present = set(missing), set(present)
    found = []
    for f in sorted(files, key=lambda f: f.path):
        refused = f.extraction.problem is not None
        where = f"nằm trong tệp nén «{f.path}»" if refused else f"đính kèm bên trong tệp «{f.path}»"
        unnamed = []
        for name in f.extraction.enclosed:
            guessed = None if name.startswith(OTHERS) else guess_component(name, rules, missing)
            if guessed in present:
                continue  # sent on its own as well (audit 51)
            if guessed in missing:
                found.append(Deficiency(
                    "enclosed_files", f"Tệp «{name}» {where} chưa được xem xét; đề nghị nộp trực tiếp thành tệp "
                    "riêng.", document=guessed, file=f.path))
            else:
                unnamed.append(name)
        if unnamed and not refused:
            found.append(Deficiency(
                "enclosed_files",
                f"Tệp «{f.path}»: có tệp đính kèm bên trong ({quoted(unnamed)}), chưa được xem xét (chỉ các trang "
                "của tệp được đọc); đề nghị nộp trực tiếp, thành từng tệp riêng, những tệp đó là thành phần của hồ "
                "sơ (PDF, Word hoặc ảnh).", file=f.path))
    return found


def with_members(reason: str, members: tuple[str, ...]) -> str:
    """A refused archive's reason with what it holds: "tệp nén không được tiếp nhận (trong tệp có «a», «b»);
    đề nghị …"."""
    if not members:
        return reason
    head, advice = (reason.split("; ", 1) + [""])[:2]
    return f"{head} (trong tệp có {quoted(members)})" + (f"; {advice}" if advice else "")
