"""Rule files: `parse_rules` turns TOML data into frozen objects (pure); `load_rules` reads the file."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import RulesError
from .folding import fold, nfc
from .models import Agency, Campaign, Check, Classification, Component, Criterion, RuleSet

DEFAULT_RULES = Path(__file__).resolve().parent.parent / "rules" / "gtclqg-2020.toml"
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
    return RuleSet(source, campaign, agency, classification, components)


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
    return Campaign(
        id=r.text("id"),
        title=r.text("title"),
        procedure=r.text("procedure"),
        procedure_code=r.text("procedure_code", ""),
        deadline=deadline,
        receipt_pattern=pattern,
    )


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
        sealed=r.get("sealed", bool, False),
        checks=checks,
    )


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
        return Check(kind, r.text("code", "missing_years"), r.text("label"), near=near, years=tuple(years))
    criteria = []
    for i, raw in enumerate(r.get("criteria", list)):
        c = _Reader(r.source, raw, f"{r.path}.criteria[{i}]")
        names = c.texts("names")
        if not names:
            raise c.fail("names", "must list at least one wording")
        criteria.append(Criterion(number=c.get("number", int), points=c.get("points", int, 0), names=names))
    if not criteria:
        raise r.fail("criteria", "must list at least one criterion")
    return Check(kind, r.text("code", "missing_criteria"), r.text("label", "tiêu chí"), criteria=tuple(criteria))


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
