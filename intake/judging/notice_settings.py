"""The notice settings of the rule file beyond `NoticeRules` (which form when, how a late dossier is treated,
where enterprises put files): kept here until models.py is split, then folded into NoticeRules. Pure data."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..models import NoticeRules, RuleSet

RECEIPT_WHEN = ("complete", "first")
"""`notices.receipt`: Mẫu 01 when the dossier becomes complete (Nghị định 61/2018, Điều 19), or with the first
notices whatever the dossier's standing (the service's behaviour before 0.x)."""

LATE_TREATMENT = ("Hồ sơ nộp sau thời hạn vẫn được tiếp nhận và ghi nhận là nộp muộn; việc xem xét hồ sơ do Hội đồng "
                  "sơ tuyển quyết định.")


@dataclass(frozen=True)
class NoticeSettings(NoticeRules):
    """`[notices]` with the keys that choose forms; every key has the decree's behaviour as default."""

    acknowledgement: bool = True
    """Send an acknowledgement of receipt (time received, files received) for every new dossier at once."""
    receipt: str = "complete"
    """When Mẫu 01 goes out: "complete" (when the dossier becomes complete) or "first" (with the first notices)."""
    late_treatment: str = LATE_TREATMENT
    """How a dossier received after the deadline (and not refused) is treated, printed on its notices."""
    share: str = ""
    """Where enterprises find their folder ("\\\\\\\\maychu\\\\GTCLQG-2020"), printed before the folder name."""


def notice_settings(rules: RuleSet) -> NoticeSettings:
    """The rule set's notice settings, defaults filled in for a NoticeRules built by hand (tests, old callers)."""
    n = rules.notices
    return n if isinstance(n, NoticeSettings) else NoticeSettings(**asdict(n))
