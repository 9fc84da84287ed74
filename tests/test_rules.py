"""Rule files: the 2020 rules load; every error names the file and the key."""

import copy
import tomllib

import pytest

from intake.errors import ExitCode, RulesError
from intake.judging.rules import DEFAULT_RULES, load_rules, parse_rules

COMPONENT_IDS = ["registration_form", "company_profile", "self_assessment", "quality_system",
                 "product_conformity", "environment", "tax_insurance", "other_evidence"]


@pytest.fixture
def raw():
    return tomllib.loads(DEFAULT_RULES.read_text(encoding="utf-8"))


def test_2020_rules_describe_the_campaign(rules):
    assert [c.id for c in rules.components] == COMPONENT_IDS
    assert [c.id for c in rules.components if not c.required] == ["other_evidence"]
    assert rules.campaign.procedure_code == "2.001269"
    deadline = rules.campaign.deadline
    assert (deadline.year, deadline.month, deadline.day, deadline.hour, deadline.minute) == (2020, 6, 30, 23, 59)
    assert deadline.utcoffset().total_seconds() == 7 * 3600
    criteria = rules.component("self_assessment").checks[0].criteria
    assert [c.number for c in criteria] == [1, 2, 3, 4, 5, 6, 7]
    assert sum(c.points for c in criteria) == 1000
    assert "hoạch định chiến lược" in criteria[1].names
    assert rules.component("environment").checks[0].years == (2017, 2018, 2019)
    assert {c.label for c in rules.component("tax_insurance").checks} == {
        "xác nhận thực hiện nghĩa vụ thuế", "xác nhận tham gia bảo hiểm xã hội"}


def test_receipt_pattern_formats(rules):
    assert rules.campaign.receipt_pattern.format(year=2020, month=6, day=1, seq=7) == "GTCLQG-2020-0007"


@pytest.mark.parametrize(
    "mutate, key, words",
    [
        (lambda r: r["campaign"].pop("deadline"), "campaign.deadline", "missing"),
        (lambda r: r["campaign"].update(deadline="30/6/2020"), "campaign.deadline", "ISO 8601"),
        (lambda r: r["campaign"].update(timezone="Mars/Olympus"), "campaign.timezone", "unknown time zone"),
        (lambda r: r["campaign"].update(receipt_pattern="HS-{year}"), "campaign.receipt_pattern", "{seq}"),
        (lambda r: r["campaign"].update(receipt_pattern="HS-{nope}"), "campaign.receipt_pattern", "invalid"),
        (lambda r: r["components"][2].update(required="yes"), "components[2].required", "boolean"),
        (lambda r: r["components"][1].update(titles=[]), "components[1].titles", "at least one"),
        (lambda r: r["components"][5]["checks"][0].update(kind="colour"), "components[5].checks[0].kind", "unknown"),
        (lambda r: r["components"][5]["checks"][0].update(years=["2017"]), "components[5].checks[0].years", "integers"),
        (lambda r: r["components"][0].update(id="company_profile"), "components", "duplicate"),
        (lambda r: r["classification"].update(min_points=-1), "classification.min_points", "negative"),
    ],
)
def test_errors_name_the_key(raw, mutate, key, words):
    data = copy.deepcopy(raw)
    mutate(data)
    with pytest.raises(RulesError) as excinfo:
        parse_rules(data, "rules/test.toml")
    assert excinfo.value.key == key
    assert words in str(excinfo.value)
    assert str(excinfo.value).startswith("rules/test.toml: ")
    assert excinfo.value.exit_code == ExitCode.bad_rules


def test_unreadable_and_invalid_files(tmp_path):
    with pytest.raises(RulesError, match="cannot be read"):
        load_rules(tmp_path / "absent.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[campaign\nid = 1", encoding="utf-8")
    with pytest.raises(RulesError, match=r"broken\.toml: \(syntax\)"):
        load_rules(broken)


def test_another_campaign_is_only_a_new_file(raw, tmp_path):
    data = copy.deepcopy(raw)
    data["campaign"].update(id="gtclqg-2021", deadline="2021-06-30T23:59:59", receipt_pattern="{seq:03d}/HS-{year}")
    data["components"][5]["checks"][0]["years"] = [2018, 2019, 2020]
    rules = parse_rules(data, "gtclqg-2021.toml")
    assert rules.campaign.deadline.year == 2021
    assert rules.component("environment").checks[0].years == (2018, 2019, 2020)


@pytest.mark.parametrize("pattern", ["HS{seq}{day}", "{month}{seq}", "{seq:03d}{day}"])
def test_ambiguous_receipt_patterns_are_refused_when_the_rules_load(raw, pattern):
    data = copy.deepcopy(raw)
    data["campaign"].update(receipt_pattern=pattern)
    with pytest.raises(RulesError) as excinfo:
        parse_rules(data, "rules/test.toml")
    assert "campaign.receipt_pattern" in str(excinfo.value) and "ambiguous" in str(excinfo.value)


@pytest.mark.parametrize("pattern", ["HS{seq}-{day}", "{seq:04d}/{year}/TNHS", "{day:02d}{month:02d}{seq:04d}"])
def test_unambiguous_receipt_patterns_load(raw, pattern):
    data = copy.deepcopy(raw)
    data["campaign"].update(receipt_pattern=pattern)
    assert parse_rules(data, "rules/test.toml").campaign.receipt_pattern == pattern
