"""Whose document a range is: a range of a component that checks its holder's tax code (`holder_tax_code`) and
names only valid tax codes other than the enterprise's own (its registration form's) is another entity's document
(a branch's, a similarly named company's: audit 28) and no range of that component. Pure."""

from __future__ import annotations

import re
from dataclasses import replace

from ..models import Evidence, Match, ReceivedFile
from .checks import valid_tax_code
from ..folding import fold_chars
from .fields import dossier_registration
from .ruleset import RuleSet

_NAMED_TAX_CODE = re.compile(
    r"(?:ma\s*so\s*thue|\bmst|ma\s*so\s*doanh\s*nghiep)\s*(?:cua\s*(?:don\s*vi|doanh\s*nghiep)\s*)?[:.]?\s*"
    r"(\d(?:[\s.]?\d){9}(?:\s*-\s*\d{3})?)(?!\d)")
"""A tax code as a document names it, on its text without diacritics (`fold_chars`: a branch's "-001" kept):
"Mã số thuế: 2400333448-001", "(MST 0100 111 225)"."""

HOLDER = "holder"
"""Evidence kind of a range set aside as another entity's document (`phrase`: "component: the tax code it names")."""


def named_tax_codes(text: str) -> list[str]:
    """The valid tax codes a text names after their label, normalised ("2400333448", "2400333448-001")."""
    found = []
    for m in _NAMED_TAX_CODE.finditer(fold_chars(text)):
        digits = re.sub(r"[^\d]", "", m[1])
        code = digits[:10] + (f"-{digits[10:]}" if len(digits) == 13 else "")
        if valid_tax_code(code) and code not in found:
            found.append(code)
    return found


def _ours(code: str, own: str) -> bool:
    """Whether a tax code a document names is the enterprise's: the same, or its head office's when the form is a
    branch's (a branch's own code under the form's is a branch's, not the enterprise's)."""
    return code == own or (len(own) == 14 and code == own[:10])


def set_aside_foreign(files: list[ReceivedFile], matches: tuple[Match, ...], rules: RuleSet) -> tuple[Match, ...]:
    """The matches, each range of a `holder_tax_code` component whose pages name valid tax codes, none of them the
    enterprise's form's, made no component, with `holder` evidence naming the first such code. Nothing changes
    when the form gives no tax code it read with certainty."""
    checked = {c.id for c in rules.components if c.holder_tax_code}
    if not any(m.component in checked for m in matches):
        return matches
    field = dossier_registration(files, matches).field("tax_code")
    if field.status not in ("ok", "corrected") or not valid_tax_code(field.value):
        return matches
    by_path = {f.path: f for f in files}
    out = []
    for m in matches:
        if m.component in checked and m.file in by_path:
            pages = [p for p in by_path[m.file].extraction.pages if m.first_page <= p.number <= m.last_page]
            named = [(p.number, code) for p in pages for code in named_tax_codes(p.text)]
            if named and not any(_ours(code, field.value) for _, code in named):
                page, code = named[0]
                m = replace(m, component=None,
                            evidence=(*m.evidence, Evidence(HOLDER, f"{m.component}: {code}", page, 100.0)))
        out.append(m)
    return tuple(out)
