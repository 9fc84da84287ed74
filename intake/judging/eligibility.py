"""Eligibility hints for the officer from the registration form: months of operation at the campaign deadline,
employees against the declared category, a branch's tax code. Pure; a hint is never a deficiency and is never sent
to the enterprise."""

from __future__ import annotations

from datetime import date

from ..folding import fold
from .fields import LONG_CONTRACTS
from .models import Hint, Registration
from .ruleset import RuleSet


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (negative when `end` is earlier)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    return months - 1 if end.day < start.day else months


def founding_bounds(value: str) -> tuple[date, date] | None:
    """The earliest and latest founding day a read founding date allows ("2005-03-21", "2005-03", "2005")."""
    try:
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 3:
            day = date(*parts)
            return day, day
        if len(parts) == 2:
            last = (date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1).toordinal() - 1)
            return date(parts[0], parts[1], 1), date.fromordinal(last)
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
    except ValueError:
        return None
    return None


def _fmt(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def operation_hints(registration: Registration, rules: RuleSet) -> tuple[Hint, ...]:
    """A hint when the enterprise had (or may have had) fewer months of operation than required at the
    deadline; nothing when the founding date is unknown (its field status already says so)."""
    founded = registration.value("founded")
    bounds = founding_bounds(founded) if founded else None
    if bounds is None:
        return ()
    required = rules.eligibility.min_operating_months
    deadline = rules.campaign.deadline.date()
    earliest, latest = bounds
    longest, shortest = months_between(earliest, deadline), months_between(latest, deadline)
    if longest < required:
        return (Hint("short_operation",
                     f"Doanh nghiệp thành lập {_fmt(latest) if earliest == latest else founded}: tính đến hạn nộp "
                     f"hồ sơ ({_fmt(deadline)}) mới hoạt động {max(longest, 0)} tháng, chưa đủ {required} tháng "
                     "hoạt động liên tục theo quy định; đề nghị kiểm tra điều kiện tham dự.",
                     "registration_form", registration.source),)
    if shortest < required:
        return (Hint("short_operation",
                     f"Đơn đăng ký chỉ ghi thời điểm thành lập «{founded}»: có thể chưa đủ {required} tháng hoạt "
                     f"động tính đến hạn nộp hồ sơ ({_fmt(deadline)}); đề nghị kiểm tra giấy chứng nhận đăng ký "
                     "doanh nghiệp.", "registration_form", registration.source),)
    return ()


def category_hints(registration: Registration, rules: RuleSet) -> tuple[Hint, ...]:
    """A hint when the number of employees contradicts the declared category ("lớn": more than the rule's
    threshold; "vừa và nhỏ": at most that)."""
    category, employees = registration.value("category"), registration.value("employees")
    if not category or not employees:
        return ()
    threshold = rules.eligibility.large_over_employees
    count = int(employees)
    large = category.endswith("lớn")
    if large == (count > threshold):
        return ()
    expected = f"trên {threshold}" if large else f"không quá {threshold}"
    counted = f"{count} {LONG_CONTRACTS}" if registration.field("employees").note.startswith(LONG_CONTRACTS) \
        else f"tổng số {count} lao động"
    return (Hint("category_mismatch",
                 f"Đơn đăng ký loại hình «{category}» nhưng ghi {counted} (loại hình này cần "
                 f"{expected} lao động); đề nghị kiểm tra loại hình tham dự.",
                 "registration_form", registration.source),)


def branch_hints(registration: Registration) -> tuple[Hint, ...]:
    """A hint when the form's tax code is a dependent unit's ("2400777884-001": a branch), which has no legal
    personality of its own (DOMAIN.md's first condition; audit 22: a branch's dossier passed unremarked)."""
    tax_code = registration.value("tax_code")
    if "-" not in tax_code:
        return ()
    parent = tax_code.split("-", 1)[0]
    return (Hint("branch_unit",
                 f"Mã số thuế {tax_code} là mã số của đơn vị phụ thuộc (chi nhánh) của doanh nghiệp có mã số thuế "
                 f"{parent}; đơn vị phụ thuộc không có tư cách pháp nhân: đề nghị kiểm tra điều kiện tham dự.",
                 "registration_form", registration.source),)


HOUSEHOLD = ("ho kinh doanh", "ho ca the", "ho gia dinh kinh doanh")
"""How a household business's name begins (folded): it is no enterprise and has no legal personality."""


def household_hints(registration: Registration) -> tuple[Hint, ...]:
    """A hint when the form's name is a household business's ("Hộ kinh doanh Bánh đa Kế …", audit 49: it got a
    Mẫu 01 with nothing said), which has no legal personality (DOMAIN.md's first condition)."""
    name = registration.value("enterprise")
    if not fold(name).startswith(HOUSEHOLD):
        return ()
    return (Hint("household_business",
                 f"«{name}» là hộ kinh doanh, không phải doanh nghiệp hay tổ chức có tư cách pháp nhân: đề nghị kiểm "
                 "tra điều kiện tham dự.", "registration_form", registration.source),)


def eligibility_hints(registration: Registration, rules: RuleSet) -> tuple[Hint, ...]:
    """Every eligibility hint for one dossier's registration form."""
    return (operation_hints(registration, rules) + category_hints(registration, rules) + branch_hints(registration)
            + household_hints(registration))
