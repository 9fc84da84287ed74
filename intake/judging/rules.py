"""Rule files: `parse_rules` turns TOML data into frozen objects (pure); `load_rules` reads the file."""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime, time
from functools import lru_cache
from itertools import product
from pathlib import Path
from string import Formatter
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from holidays.registry import EntityLoader

from ..errors import RulesError
from ..folding import fold, nfc
from .ruleset import (
    LATE_TREATMENT,
    RECEIPT_WHEN,
    Agency,
    Campaign,
    Check,
    Classification,
    Component,
    Criterion,
    EligibilityRules,
    HeaderRules,
    Naming,
    NoticeRules,
    RecognitionRules,
    ReminderRules,
    RuleSet,
)

DEFAULT_RULES = Path(__file__).resolve().parents[2] / "rules" / "gtclqg-2020.toml"
CHECK_KINDS = ("criteria", "years")


class _Reader:
    """Typed access to one TOML table, raising RulesError that names the file and the dotted key."""

    def __init__(self, source: str, table: Any, path: str) -> None:
        if not isinstance(table, dict):
            raise RulesError(source, path or "(top)", "must be a table")
        self.source, self.table, self.path = source, table, path

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, problem: str) -> RulesError:
        return RulesError(self.source, self.key(name), problem)

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if name not in self.table:
            if default is ...:
                raise self.fail(name, "is required but missing")
            return default
        value = self.table[name]
        if isinstance(value, bool) and kind in (int, float):
            raise self.fail(name, f"must be a number, not {value!r}")
        if not isinstance(value, kind):
            raise self.fail(name, f"must be of type {_type_name(kind)}, not {type(value).__name__}")
        return value

    def text(self, name: str, default: Any = ...) -> str:
        value = self.get(name, str, default)
        if isinstance(value, str) and not value.strip():
            raise self.fail(name, "must not be empty")
        return nfc(value) if isinstance(value, str) else value

    def texts(self, name: str, default: Any = ...) -> tuple[str, ...]:
        values = self.get(name, list, default)
        if any(not isinstance(v, str) or not v.strip() for v in values):
            raise self.fail(name, "must be a list of non-empty strings")
        return tuple(nfc(v) for v in values)

    def sub(self, name: str) -> _Reader:
        return _Reader(self.source, self.get(name, dict), self.key(name))


def _type_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "string", int: "integer", float: "number", bool: "boolean", list: "array", dict: "table"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def parse_rules(data: dict[str, Any], source: str = "<rules>") -> RuleSet:
    """Validate parsed TOML and build the rule set; every error names `source` and the key."""
    top = _Reader(source, data, "")
    campaign = _campaign(top.sub("campaign"))
    agency_r = top.sub("agency")
    agency = Agency(
        name=agency_r.text("name"),
        parent=agency_r.text("parent", ""),
        place=agency_r.text("place"),
        contact=agency_r.text("contact"),
        address=nfc(agency_r.get("address", str, "")),
        phone=nfc(agency_r.get("phone", str, "")),
        email=nfc(agency_r.get("email", str, "")),
        abbreviation=nfc(agency_r.get("abbreviation", str, "")),
    )
    classification = _classification(top.sub("classification"))
    raw_components = top.get("components", list)
    if not raw_components:
        raise top.fail("components", "must list at least one component")
    components = tuple(
        _component(_Reader(source, raw, f"components[{i}]")) for i, raw in enumerate(raw_components)
    )
    ids = [c.id for c in components]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise top.fail("components", f"duplicate component id(s): {', '.join(duplicated)}")
    notices = _notices(_Reader(source, data.get("notices", {}), "notices"))
    reminders = _reminders(_Reader(source, data.get("reminders", {}), "reminders"))
    eligibility = _eligibility(_Reader(source, data.get("eligibility", {}), "eligibility"))
    recognition = _recognition(_Reader(source, data.get("recognition", {}), "recognition"), raw_components, source)
    return RuleSet(source, campaign, agency, classification, components, notices, reminders,
                   eligibility=eligibility, recognition=recognition)


def _folded(r: _Reader, name: str) -> tuple[str, ...]:
    return tuple(fold(t) for t in r.texts(name, []))


def _recognition(r: _Reader, raw_components: list[Any], source: str) -> RecognitionRules:
    """The `[recognition]` table and every component's `header_*` keys; every key is optional."""
    defaults = HeaderRules()
    zone = r.get("header_zone_lines", int, defaults.zone_lines)
    span = r.get("summary_max_lines", int, defaults.summary_max_lines)
    for name, value in (("header_zone_lines", zone), ("summary_max_lines", span)):
        if value < 1:
            raise r.fail(name, "must be at least 1")
    header = HeaderRules(
        zone_lines=zone,
        noise_prefixes=_folded(r, "noise_prefixes"),
        national=_folded(r, "national"),
        types=tuple(sorted(_folded(r, "types"), key=lambda t: (-len(t.split()), -len(t)))),
        not_types=_folded(r, "not_types"),
        summary_prefixes=_folded(r, "summary_prefixes"),
        summary_stops=_folded(r, "summary_stops"),
        addressee_prefixes=_folded(r, "addressee_prefixes"),
        summary_max_lines=span,
    )
    namings = []
    for i, raw in enumerate(raw_components):
        c = _Reader(source, raw, f"components[{i}]")
        naming = Naming(
            component=c.text("id"),
            types=_folded(c, "header_types"),
            summaries=c.texts("header_summaries", []),
            body_types=_folded(c, "header_body_types"),
            issuers=c.texts("header_issuers", []),
            symbols=_folded(c, "header_symbols"),
        )
        unknown = [t for t in naming.types + naming.body_types if t not in header.types and t != "cong van"]
        if unknown:
            raise c.fail("header_types", f"type(s) {', '.join(unknown)} not listed in recognition.types")
        if naming.types and not naming.summaries and not naming.issuers:
            raise c.fail("header_summaries", "must list at least one phrase when header_types is set")
        namings.append(naming)
    minimum = r.get("cover_min_components", int, RecognitionRules.cover_min_components)
    if minimum < 2:
        raise r.fail("cover_min_components", "must be at least 2")
    return RecognitionRules(
        header=header,
        namings=tuple(namings),
        cover_summaries=_folded(r, "cover_summaries"),
        cover_titles=_folded(r, "cover_titles"),
        cover_types=_folded(r, "cover_types") or RecognitionRules.cover_types,
        cover_min_components=minimum,
        unrelated_subjects=_folded(r, "unrelated_subjects"),
        unrelated_summaries=_folded(r, "unrelated_summaries"),
        unrelated_titles=_folded(r, "unrelated_titles"),
        absence_phrases=_folded(r, "absence_phrases"),
        require_naming=r.get("require_naming", bool, False),
    )


def _eligibility(r: _Reader) -> EligibilityRules:
    """The `[eligibility]` table (what officers are hinted to check); every key is optional."""
    defaults = EligibilityRules()
    months = r.get("min_operating_months", int, defaults.min_operating_months)
    employees = r.get("large_over_employees", int, defaults.large_over_employees)
    for name, value in (("min_operating_months", months), ("large_over_employees", employees)):
        if value < 0:
            raise r.fail(name, "must not be negative")
    return EligibilityRules(min_operating_months=months, large_over_employees=employees)


def _campaign(r: _Reader) -> Campaign:
    tz_name = r.text("timezone", "Asia/Ho_Chi_Minh")
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise r.fail("timezone", f"unknown time zone {tz_name!r}") from exc
    raw_deadline = r.get("deadline", (str, datetime))
    try:
        deadline = raw_deadline if isinstance(raw_deadline, datetime) else datetime.fromisoformat(raw_deadline)
    except ValueError as exc:
        raise r.fail("deadline", f"not an ISO 8601 date-time: {raw_deadline!r}") from exc
    if deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=tz)
    pattern = r.text("receipt_pattern", "{seq:04d}/{year}/TNHS")
    try:
        sample = pattern.format(year=2020, month=6, day=30, seq=1)
    except (KeyError, IndexError, ValueError) as exc:
        raise r.fail("receipt_pattern", f"invalid pattern ({exc}); fields are {{year}} {{month}} {{day}} {{seq}}") from exc
    if pattern.format(year=2020, month=6, day=30, seq=2) == sample:
        raise r.fail("receipt_pattern", "must contain {seq} so that receipt numbers are unique")
    clash = None if fields_delimited(pattern) else receipt_clash(pattern, deadline.year)
    if clash is not None:
        raise r.fail("receipt_pattern", f"ambiguous: {clash}; put a separator or a fixed width between the fields, "
                                        "e.g. {seq:04d}-{day:02d}")
    return Campaign(
        id=r.text("id"),
        title=r.text("title"),
        procedure=r.text("procedure"),
        procedure_code=r.text("procedure_code", ""),
        deadline=deadline,
        receipt_pattern=pattern,
        count_late_files=r.get("count_late_files", bool, False),
    )


_PLAIN_NUMBER = re.compile(r"(0\d+)?d?")
"""A field's format that writes a number as digits only: as it is, or zero-padded to a width."""


def fields_delimited(pattern: str) -> bool:
    """Whether every field of a receipt pattern is written in digits only and a non-digit stands between each and
    the next: a receipt number then splits back into its fields, so two sequence numbers can never give the same
    one and nothing needs probing (receipt_clash formats ~20,000 numbers, at every start)."""
    fields, between = 0, ""
    for literal, name, spec, conversion in Formatter().parse(pattern):
        between += literal  # the text since the last field ("{{" comes as a piece of its own)
        if name is None:
            continue
        separated = any(not character.isdigit() for character in between)
        if conversion or not _PLAIN_NUMBER.fullmatch(spec or "") or (fields and not separated):
            return False
        fields, between = fields + 1, ""
    return True


@lru_cache(maxsize=32)
def receipt_clash(pattern: str, year: int) -> str | None:
    """Two different receipts (sequence numbers) that `pattern` would number alike (`HS{seq}{day}`: seq 1 on the
    11th and seq 11 on the 1st are both HS111), described; None when none is found over the campaign's dates (the
    year of the deadline and the one before) and sequence numbers well past any campaign's."""
    # Clashes come from digits shifting between adjacent fields, so numbers written with the digits 0-2 (1, 10, 11,
    # 12, 21, 102, ...) stand for all: 242 sequence numbers on 80 dates, instead of every receipt of a campaign.
    seen: dict[str, tuple[date, int]] = {}
    small = [int("".join(digits)) for width in range(1, 6) for digits in product("012", repeat=width)
             if digits[0] != "0"]
    probes = [(date(y, month, day), seq) for y in (year - 1, year) for month in (1, 2, 10, 11, 12)
              for day in (1, 2, 10, 11, 12, 20, 21, 22) for seq in small]
    for day, seq in probes:
        number = pattern.format(year=day.year, month=day.month, day=day.day, seq=seq)
        other = seen.setdefault(number, (day, seq))
        if other[1] != seq:  # one sequence number is only ever used once, whatever its date
            return (f"seq {other[1]} on {other[0].isoformat()} and seq {seq} on {day.isoformat()} "
                    f"would both be {number!r}")
    return None


def _classification(r: _Reader) -> Classification:
    def number(name: str, default: float) -> float:
        value = r.get(name, (int, float), default)
        if value < 0:
            raise r.fail(name, "must not be negative")
        return value

    return Classification(
        ignore_line_prefixes=tuple(fold(p) for p in r.texts("ignore_line_prefixes", [])),
        title_zone_lines=int(number("title_zone_lines", 14)),
        min_phrase_score=float(number("min_phrase_score", 86)),
        title_points=int(number("title_points", 60)),
        keyword_points=int(number("keyword_points", 12)),
        keyword_points_max=int(number("keyword_points_max", 48)),
        filename_points=int(number("filename_points", 8)),
        min_points=int(number("min_points", 50)),
        min_confidence=float(number("min_confidence", 45)),
    )


def _component(r: _Reader) -> Component:
    component_id = r.text("id")
    if not component_id.isidentifier():
        raise r.fail("id", f"{component_id!r} must be a plain identifier (letters, digits, _)")
    titles = r.texts("titles")
    if not titles:
        raise r.fail("titles", "must list at least one title phrase")
    checks = tuple(
        _check(_Reader(r.source, raw, f"{r.path}.checks[{i}]"))
        for i, raw in enumerate(r.get("checks", list, []))
    )
    return Component(
        id=component_id,
        title=r.text("title"),
        required=r.get("required", bool),
        titles=titles,
        keywords=r.texts("keywords", []),
        filename_hints=tuple(fold(h) for h in r.texts("filename_hints", [])),
        # A seal that is required must be looked for: `seal_required` implies `sealed`.
        sealed=r.get("sealed", bool, False) or r.get("seal_required", bool, False),
        checks=checks,
        seal_required=r.get("seal_required", bool, False),
        expiry_labels=_folded(r, "expiry_labels"),
        other_subjects=_folded(r, "other_subjects"),
        campaign_year=r.get("campaign_year", bool, False),
        holder_tax_code=r.get("holder_tax_code", bool, False),
        holder_name=r.get("holder_name", bool, False),
        term_titles=r.texts("term_titles", []),
        title_terms=_folded(r, "title_terms"),
        required_fields=_required_fields(r),
        form_labels=_form_labels(r),
        form_min_labels=r.get("form_min_labels", int, 0),
    )


def _required_fields(r: _Reader) -> tuple[str, ...]:
    """`required_fields`: registration form field ids."""
    from .fields import FIELDS

    names = r.texts("required_fields", [])
    unknown = [n for n in names if n not in FIELDS]
    if unknown:
        raise r.fail("required_fields", f"unknown field(s) {', '.join(unknown)}; known: {', '.join(FIELDS)}")
    return names


def _form_labels(r: _Reader) -> tuple[tuple[str, ...], ...]:
    """`form_labels`: a list of fields, each a list of its wordings."""
    fields = r.get("form_labels", list, [])
    if any(not isinstance(f, list) or not f or any(not isinstance(w, str) or not w.strip() for w in f) for f in fields):
        raise r.fail("form_labels", "must be a list of fields, each a non-empty list of wordings")
    return tuple(tuple(fold(w) for w in f) for f in fields)


def _check(r: _Reader) -> Check:
    kind = r.text("kind")
    if kind not in CHECK_KINDS:
        raise r.fail("kind", f"unknown check kind {kind!r}; known: {', '.join(CHECK_KINDS)}")
    if kind == "years":
        years = r.get("years", list)
        if not years or any(isinstance(y, bool) or not isinstance(y, int) for y in years):
            raise r.fail("years", "must be a non-empty list of years (integers)")
        near = r.texts("near")
        if not near:
            raise r.fail("near", "must list at least one phrase")
        return Check(kind, r.text("code", "missing_years"), r.text("label"), near=near, years=tuple(years),
                     whole_years=r.get("whole_years", bool, False), dateless_headings=r.texts("dateless_headings", []),
                     planned_headings=r.texts("planned_headings", []),
                     not_near=tuple(fold(p) for p in r.texts("not_near", [])))
    criteria = []
    for i, raw in enumerate(r.get("criteria", list)):
        c = _Reader(r.source, raw, f"{r.path}.criteria[{i}]")
        names = c.texts("names")
        if not names:
            raise c.fail("names", "must list at least one wording")
        criteria.append(Criterion(number=c.get("number", int), points=c.get("points", int, 0), names=names,
                                  short=c.texts("short", [])))
    if not criteria:
        raise r.fail("criteria", "must list at least one criterion")
    return Check(kind, r.text("code", "missing_criteria"), r.text("label", "tiêu chí"), criteria=tuple(criteria))


def _notices(r: _Reader) -> NoticeRules:
    """The `[notices]` table; every key is optional (defaults in `NoticeRules`)."""
    defaults = NoticeRules()
    days = r.get("supplement_working_days", int, defaults.supplement_working_days)
    if days < 1:
        raise r.fail("supplement_working_days", "must be at least 1")
    holidays = r.get("holidays", list, [])
    if any(isinstance(h, datetime) or not isinstance(h, date) for h in holidays):
        raise r.fail("holidays", "must be a list of dates (2020-09-02, unquoted)")
    result_due = r.get("result_due", date, None)
    if isinstance(result_due, datetime):
        result_due = result_due.date()
    title = r.get("signer_title", (str, list), list(defaults.signer_title))
    signer_title = (nfc(title),) if isinstance(title, str) else r.texts("signer_title", title)
    approval = r.get("approval", str, defaults.approval)
    if approval not in ("none", "leader"):
        raise r.fail("approval", 'must be "none" or "leader"')
    reason = r.text("refusal_reason", defaults.refusal_reason)
    try:
        reason.format(deadline="30/6/2020")
    except (KeyError, IndexError, ValueError) as exc:
        raise r.fail("refusal_reason", f"invalid pattern ({exc}); the only field is {{deadline}}") from exc
    receipt = r.get("receipt", str, "complete")
    if receipt not in RECEIPT_WHEN:
        raise r.fail("receipt", f"must be one of {', '.join(RECEIPT_WHEN)}, not {receipt!r}")
    return NoticeRules(
        acknowledgement=r.get("acknowledgement", bool, True),
        receipt=receipt,
        late_treatment=r.text("late_treatment", LATE_TREATMENT),
        share=nfc(r.get("share", str, "")),
        supplement_working_days=days,
        refuse_late=r.get("refuse_late", bool, defaults.refuse_late),
        holidays=tuple(sorted(holidays)),
        officer=nfc(r.get("officer", str, defaults.officer)),
        signer_name=nfc(r.get("signer_name", str, defaults.signer_name)),
        signer_title=signer_title,
        result_due=result_due,
        result_method=r.text("result_method", defaults.result_method),
        register_book=nfc(r.get("register_book", str, defaults.register_book)),
        supplement_how=r.text("supplement_how", defaults.supplement_how),
        complete_text=r.text("complete_text", defaults.complete_text),
        refusal_reason=reason,
        copies_to=r.texts("copies_to", list(defaults.copies_to)),
        approval=approval,
    )


def _reminders(r: _Reader) -> ReminderRules:
    """The `[reminders]` table (the campaign calendar); every key is optional (no table: no reminders)."""
    defaults = ReminderRules()
    days = r.get("days_before", list, [])
    if any(isinstance(d, bool) or not isinstance(d, int) or d < 0 for d in days):
        raise r.fail("days_before", "must be a list of whole numbers of days (0 or more), e.g. [7, 2]")
    if len(set(days)) != len(days):
        raise r.fail("days_before", "lists a day twice")
    raw_time = r.get("send_time", (str, time), defaults.send_time)
    try:
        send_time = raw_time if isinstance(raw_time, time) else time.fromisoformat(raw_time)
    except ValueError as exc:
        raise r.fail("send_time", f"not a time of day (08:00:00, unquoted): {raw_time!r}") from exc
    calendar = r.get("holiday_calendar", str, defaults.holiday_calendar).strip().upper()
    if calendar and not _has_calendar(calendar):
        raise r.fail("holiday_calendar", f"no public-holiday calendar for country {calendar!r} (e.g. \"VN\")")
    return ReminderRules(
        days_before=tuple(sorted(days, reverse=True)),
        working_days=r.get("working_days", bool, defaults.working_days),
        send_time=send_time.replace(tzinfo=None),
        holiday_calendar=calendar,
    )


def _has_calendar(country: str) -> bool:
    """Whether the holidays package has a public-holiday calendar for this country code (or alias), from its
    registry of codes: `holidays.list_supported_countries` imports every country's module (~0.1 s at each start),
    and making the calendar by name would take the package's other capitalised names ("BANK") for countries."""
    return country in EntityLoader.get_country_codes()


def load_rules(path: Path | str | None = None) -> RuleSet:
    """Read and parse a rule file (the 2020 rules by default)."""
    rules_path = Path(path) if path is not None else DEFAULT_RULES
    try:
        raw = rules_path.read_bytes()
    except OSError as exc:
        raise RulesError(str(rules_path), "(file)", f"cannot be read: {exc.strerror or exc}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RulesError(str(rules_path), "(file)", "is not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(str(rules_path), "(syntax)", str(exc)) from exc
    return parse_rules(data, str(rules_path))
