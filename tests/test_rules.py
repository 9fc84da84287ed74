"""Rule files: the 2020 rules load; every error names the file and the key."""

import copy
import tomllib

import pytest

from intake.errors import ExitCode, RulesError
from intake.judging.rules import DEFAULT_RULES, fields_delimited, load_rules, parse_rules, receipt_clash

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
        (lambda r: r["components"][0].update(form_labels=["địa chỉ"]), "components[0].form_labels", "wordings"),
        (lambda r: r["components"][0].update(form_min_labels="7"), "components[0].form_min_labels", "integer"),
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


@pytest.mark.parametrize(
    "mutate, key, words",
    [
        (lambda r: r["recognition"].update(header_zone_lines=0), "recognition.header_zone_lines", "at least 1"),
        (lambda r: r["recognition"].update(types="quyết định"), "recognition.types", "array"),
        (lambda r: r["recognition"].update(cover_min_components=1), "recognition.cover_min_components", "at least 2"),
        (lambda r: r["recognition"].update(require_naming="yes"), "recognition.require_naming", "boolean"),
        (lambda r: r["components"][6].update(header_types=["sắc lệnh"]), "components[6].header_types", "not listed"),
        (lambda r: r["components"][6].update(header_summaries=[], header_issuers=[]),
         "components[6].header_summaries", "at least one"),
        (lambda r: r["components"][3].update(header_summaries=["", "iso 9001"]),
         "components[3].header_summaries", "non-empty"),
    ],
)
def test_recognition_errors_name_the_key(raw, mutate, key, words):
    data = copy.deepcopy(raw)
    mutate(data)
    with pytest.raises(RulesError) as excinfo:
        parse_rules(data, "rules/test.toml")
    assert excinfo.value.key == key and words in str(excinfo.value)
    assert str(excinfo.value).startswith("rules/test.toml: ")


def test_recognition_rules_are_read(rules):
    recognition = rules.recognition
    assert recognition.require_naming and recognition.cover_min_components == 3
    assert "ky boi" in recognition.header.noise_prefixes and "giay xac nhan" in recognition.header.types
    tax = next(n for n in recognition.namings if n.component == "tax_insurance")
    assert "cong van" in tax.types and "nghĩa vụ thuế" in tax.summaries and "bhxh" in tax.symbols
@pytest.mark.parametrize("pattern", ["HS{seq}{day}", "{month}{seq}", "{seq:03d}{day}"])
def test_ambiguous_receipt_patterns_are_refused_when_the_rules_load(raw, pattern):
    data = copy.deepcopy(raw)
    data["campaign"].update(receipt_pattern=pattern)
    with pytest.raises(RulesError) as excinfo:
        parse_rules(data, "rules/test.toml")
    assert "campaign.receipt_pattern" in str(excinfo.value) and "ambiguous" in str(excinfo.value)


@pytest.mark.parametrize("pattern", ["HS{seq}-{day}", "{seq:04d}/{year}/TNHS", "GTCLQG-{year}-{seq:04d}",
                                     "HS1{seq}x{day}1", "{day:02d}.{month:02d}{{{seq}}}", "{seq:d}/{year:04}"])
def test_patterns_whose_fields_are_delimited_need_no_probing(pattern):
    """Fields in digits only, a non-digit between each and the next: unambiguous without probing, and probing
    agrees."""
    assert fields_delimited(pattern) and receipt_clash(pattern, 2020) is None


@pytest.mark.parametrize("pattern", ["HS{seq}{day}", "{day:02d}{month:02d}{seq:04d}", "{seq:>4}-{day}",
                                     "{seq!r}-{day}", "{seq:,}-{day}", "{seq}12{day}"])
def test_patterns_not_plainly_delimited_are_probed(pattern):
    assert not fields_delimited(pattern)


@pytest.mark.parametrize("pattern", ["HS{seq}-{day}", "{seq:04d}/{year}/TNHS", "{day:02d}{month:02d}{seq:04d}"])
def test_unambiguous_receipt_patterns_load(raw, pattern):
    data = copy.deepcopy(raw)
    data["campaign"].update(receipt_pattern=pattern)
    assert parse_rules(data, "rules/test.toml").campaign.receipt_pattern == pattern
