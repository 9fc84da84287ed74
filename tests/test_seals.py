"""Red seals: found on sealed scans and photos, not on unsealed ones, never on red headings or red logos; reported
as evidence and hints, a deficiency only where a rule requires the seal; cached like the text."""

from __future__ import annotations

import dataclasses
import random
import tomllib
from pathlib import Path

import pytest

from intake import pipeline
from intake.reading import Tesseract, extract_text
from intake.reading.extract import page_image
from intake.judging.rules import DEFAULT_RULES, parse_rules
from intake.reading import find_seal

import dossiers

SEALED = "quality_system"


def certificate(seed: int, component: str = SEALED) -> list[str]:
    rng = random.Random(seed)
    return dossiers.component_pages(component, dossiers.make_enterprise(rng), rng)[0]


# ---- the detector on page images ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_seal_is_found_where_it_was_stamped(seed):
    image = dossiers.render_page_image(certificate(seed), random.Random(seed), dpi=150, seal=True)
    mark = find_seal(image)
    assert mark.found and mark.colour and mark.score >= 1
    left, top, right, bottom = mark.box
    assert 0.4 < left < right < 0.95 and 0.2 < top < bottom < 0.95  # over a signature, in the right half
    assert 0.13 < right - left < 0.25  # ~30-36 mm on a 210 mm page


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("bait", [{"red_heading": True}, {"logo": "square"}, {"logo": "triangle"}, {"logo": "disc"},
                                  {"red_heading": True, "logo": "square"}, {"colour": True}])
def test_no_seal_on_red_headings_logos_or_plain_colour_scans(seed, bait):
    image = dossiers.render_page_image(certificate(seed, "registration_form"), random.Random(seed), dpi=150, **bait)
    mark = find_seal(image)
    assert mark.colour and not mark.found and mark.box is None


def test_a_seal_is_found_beside_red_bait_and_the_box_is_the_seal():
    image = dossiers.render_page_image(certificate(4), random.Random(4), dpi=150, seal=True, red_heading=True,
                                       logo="square")
    mark = find_seal(image)
    assert mark.found and mark.box[0] > 0.4  # not the logo in the top-left corner


def test_a_grayscale_scan_cannot_show_a_seal():
    mark = find_seal(dossiers.render_page_image(certificate(5), random.Random(5), dpi=100))
    assert not mark.found and not mark.colour


@pytest.mark.parametrize("kind, colour", [("pdf", {"seal": True}), ("jpg", {"seal": True}), ("pdf", {"colour": True}),
                                          ("pdf", {})])
def test_the_ocr_reading_sees_what_the_judge_would_render(tmp_path, kind, colour):
    """The mark an OCR worker leaves from the image it decoded (a scan's own JPEG, a photo before it is turned
    gray) is the one the judge would get from the page rendered in colour."""
    rng = random.Random(9)
    path = tmp_path / f"page.{kind}"
    if kind == "pdf":
        dossiers.write_scanned_pdf(path, [certificate(9)], rng, **colour)
    else:
        dossiers.write_image(path, certificate(9), rng, dpi=None, **colour)
    (page,) = extract_text(path, ocr=Tesseract()).pages
    rendered = find_seal(page_image(path, 1))
    assert page.seal is not None and (page.seal.found, page.seal.colour) == (rendered.found, rendered.colour)
    assert page.seal.found == bool(colour.get("seal")) and page.seal.colour == bool(colour)
    if rendered.found:
        assert max(abs(a - b) for a, b in zip(page.seal.box, rendered.box)) < 0.02


# ---- precision and recall on a generated set --------------------------------------------------------------


def _page(tmp_path: Path, kind: str, lines: list[str], rng: random.Random, **colour) -> object:
    """The page as the seal stage sees it: from a scanned PDF (poppler at 75 dpi), a phone photo, or a
    picture pasted into Word."""
    if kind == "scan":
        path = tmp_path / "page.pdf"
        dossiers.write_scanned_pdf(path, [lines], rng, dpi=150, **colour)
    elif kind == "photo":
        path = tmp_path / "page.jpg"
        dossiers.write_image(path, lines, rng, dpi=None, **colour)
    else:
        path = tmp_path / "page.docx"
        dossiers.write_docx(path, [lines], pasted_scans=True, rng=rng, **colour)
    return page_image(path, 1, dpi=75)


def test_precision_and_recall_on_a_generated_set(tmp_path, capsys):
    """Sealed certificates and forms against unsealed colour pages, red headings and red logos, through the
    three ways pages reach the detector. Printed with `pytest -s`; kept as a floor."""
    rng = random.Random(630)
    negatives = [{"colour": True}, {"red_heading": True}, {"logo": "square"}, {"logo": "triangle"},
                 {"logo": "disc"}, {"red_heading": True, "logo": "triangle"}]
    tally = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for number in range(12):
        ent = dossiers.make_enterprise(rng)
        component = ("quality_system", "product_conformity", "registration_form")[number % 3]
        lines = dossiers.component_pages(component, ent, rng)[0]
        kind = ("scan", "photo", "docx")[number % 3] if number < 9 else "scan"
        bait = negatives[number % len(negatives)]
        sealed = find_seal(_page(tmp_path, kind, lines, rng, seal=True, **({} if number % 2 else bait)))
        tally["tp" if sealed.found else "fn"] += 1
        for colour in (bait, negatives[(number + 3) % len(negatives)]):
            unsealed = find_seal(_page(tmp_path, kind, lines, rng, **colour))
            tally["fp" if unsealed.found else "tn"] += 1
    precision = tally["tp"] / max(tally["tp"] + tally["fp"], 1)
    recall = tally["tp"] / max(tally["tp"] + tally["fn"], 1)
    with capsys.disabled():
        print(f"\nseal detection: precision {precision:.3f}  recall {recall:.3f}  "
              f"({tally['tp']} sealed pages found of {tally['tp'] + tally['fn']}, "
              f"{tally['fp']} false alarms on {tally['fp'] + tally['tn']} unsealed pages with red bait)")
    assert precision == 1.0 and recall >= 0.9


# ---- in the pipeline ----------------------------------------------------------------------------------------


def write_with_scans(service, folder: str, seed: int, **colour) -> dict[str, str]:
    """A dossier whose certified copies are colour scans (with `colour` options), the rest digital."""
    rng = random.Random(seed)
    ent = dossiers.make_enterprise(rng)
    written = dossiers.write_dossier(service.inbox / folder, ent, rng, formats={"*": "pdf"}, include_optional=False)
    for component in dossiers.SEALED_COMPONENTS:
        path = service.inbox / folder / written[component]
        path.unlink()
        written[component] = f"{component}.pdf"
        dossiers.write_scanned_pdf(service.inbox / folder / written[component],
                                   dossiers.component_pages(component, ent, rng), rng, **colour)
    return written


def test_seals_are_evidence_and_their_absence_a_hint(service):
    write_with_scans(service, "Công ty Có dấu", 61, seal=True)
    write_with_scans(service, "Công ty Không dấu", 62, colour=True, red_heading=True)
    service.scan()
    report = service.report()
    sealed, unsealed = report["Công ty Có dấu"], report["Công ty Không dấu"]
    assert sorted((s["document"], s["found"], s["page"]) for s in sealed["seals"]) == [
        ("product_conformity", True, 1), ("quality_system", True, 1)]
    assert all(len(s["box"]) == 4 for s in sealed["seals"])
    assert not [h for h in sealed["hints"] if h["code"].startswith("seal")]
    assert [s["found"] for s in unsealed["seals"]] == [False, False]
    hints = [h for h in unsealed["hints"] if h["code"] == "seal_not_found"]
    assert {h["document"] for h in hints} == set(dossiers.SEALED_COMPONENTS)
    assert "con dấu" in hints[0]["message"]
    # The 2020 rules require no seal: both dossiers are complete, the officer is only warned.
    assert sealed["status"] == unsealed["status"] == "complete"


def test_a_grayscale_scan_is_unverifiable_not_absent(service):
    write_with_scans(service, "Công ty Đen trắng", 63)
    service.scan()
    dossier = service.report()["Công ty Đen trắng"]
    assert {(s["found"], s["colour"]) for s in dossier["seals"]} == {(False, False)}
    assert {h["code"] for h in dossier["hints"] if h["code"].startswith("seal")} == {"seal_unverifiable"}


def test_a_digitally_signed_document_is_said_to_be_so_not_to_be_checked_by_eye(service):
    """Audit 42: an e-signed PDF ("Ký bởi: Sở Xây dựng tỉnh Bắc Giang" above its header) carries no seal; the
    officer was told to look for one by eye. The hint says it is e-signed, by whom, and to check the digital
    signature in the original file; an unsigned digital certificate keeps the plain hint."""
    rng = random.Random(64)
    ent = dossiers.make_enterprise(rng)
    folder = service.inbox / "Công ty Ký số"
    written = dossiers.write_dossier(folder, ent, rng, formats={"*": "pdf"}, include_optional=False)
    conformity = folder / written["product_conformity"]
    conformity.unlink()
    stamp = ["Ký bởi: Sở Xây dựng tỉnh Bắc Giang", "Email: sxd@bacgiang.gov.vn", "Cơ quan: Tỉnh Bắc Giang",
             "Thời gian ký: 14.03.2019 10:20:31 +07:00"]
    dossiers.write_digital_pdf(conformity, [[*stamp, *page] for page in
                                            dossiers.component_pages("product_conformity", ent, rng)])
    service.scan()
    dossier = service.report()["Công ty Ký số"]
    codes = {h["document"]: h["code"] for h in dossier["hints"] if h["code"].startswith("seal")}
    assert codes == {"product_conformity": "seal_esigned", "quality_system": "seal_unverifiable"}, dossier["hints"]
    (hint,) = [h for h in dossier["hints"] if h["code"] == "seal_esigned"]
    assert "ký bởi: Sở Xây dựng tỉnh Bắc Giang" in hint["message"] and "chữ ký số trên tệp gốc" in hint["message"]
    assert [s["signed_by"] for s in dossier["seals"] if s["document"] == "product_conformity"] == [
        "Sở Xây dựng tỉnh Bắc Giang"]


def test_a_rule_that_requires_the_seal_makes_its_absence_a_deficiency(tmp_path, rules):
    from conftest import Service

    data = tomllib.loads(DEFAULT_RULES.read_text(encoding="utf-8"))
    for component in data["components"]:
        if component["id"] == SEALED:
            del component["sealed"]
            component["seal_required"] = True  # implies sealed
    strict = parse_rules(data, "strict.toml")
    assert strict.component(SEALED).sealed and strict.component(SEALED).seal_required
    service = Service(tmp_path, strict)
    try:
        write_with_scans(service, "Công ty Không dấu", 64, colour=True)
        write_with_scans(service, "Công ty Có dấu", 65, seal=True)
        write_with_scans(service, "Công ty Đen trắng", 66)
        service.scan()
        report = service.report()
        unsealed = report["Công ty Không dấu"]
        assert unsealed["status"] == "incomplete"
        (deficiency,) = [d for d in unsealed["deficiencies"] if d["code"] == "missing_seal"]
        assert deficiency["document"] == SEALED and deficiency["file"] == f"{SEALED}.pdf"
        assert report["Công ty Có dấu"]["status"] == "complete"
        # A grayscale scan cannot show red: the officer is warned, the enterprise is not blamed.
        assert report["Công ty Đen trắng"]["status"] == "complete"
        # The deficiency reaches the enterprise's request to supplement.
        assert [n["kind"] for n in service.store.outbox.all(service.store.dossiers.get("Công ty Không dấu").id)] == [
            "acknowledgement", "deficiency"]
    finally:
        service.close()


def test_seal_checks_are_cached_by_content_and_page(service, monkeypatch):
    write_with_scans(service, "Công ty Có dấu", 67, seal=True)
    rendered: list[tuple[str, int]] = []

    def counting(path: Path, number: int, **kwargs):
        rendered.append((path.name, number))
        return page_image(path, number, **kwargs)

    monkeypatch.setattr(pipeline, "page_image", counting)
    service.scan()
    # The OCR workers looked at every scanned page's image as they read it: nothing rendered for the seals.
    ocr_pages = service.store.db.execute("SELECT count(*) FROM pages WHERE method = 'ocr'").fetchone()[0]
    assert rendered == [] and service.store.db["seal_marks"].count == ocr_pages == 2
    assert [s["found"] for s in service.report()["Công ty Có dấu"]["seals"]] == [True, True]
    with service.store.transaction() as conn:  # marks of an older detector, say: the judge renders what it needs
        conn.execute("DELETE FROM seal_marks")
    service.scan()
    assert len(rendered) == 2 and service.store.db["seal_marks"].count == 2
    service.scan()  # judged again (evaluate_all): nothing looked at twice
    assert len(rendered) == 2
    assert [s["found"] for s in service.report()["Công ty Có dấu"]["seals"]] == [True, True]


def test_a_seal_on_a_component_recognised_in_a_merged_scan(service):
    rng = random.Random(68)
    dossiers.write_merged_dossier(service.inbox / "Công ty Gộp", dossiers.make_enterprise(rng), rng, seals=True,
                                  include_optional=False, omit=("self_assessment", "company_profile", "environment",
                                                                "tax_insurance"))
    service.scan()
    seals = service.report()["Công ty Gộp"]["seals"]
    assert [(s["file"], s["found"], s["page"]) for s in seals] == [("Ho so.pdf#p3", True, 3), ("Ho so.pdf#p4", True, 4)]


def test_rules_validate_seal_and_eligibility_keys(rules):
    data = tomllib.loads(DEFAULT_RULES.read_text(encoding="utf-8"))
    assert not any(c.seal_required for c in rules.components)  # the 2020 rule file requires no seal
    data["eligibility"]["min_operating_months"] = -1
    with pytest.raises(Exception, match="eligibility.min_operating_months"):
        parse_rules(data, "bad.toml")
    data["eligibility"] = {"large_over_employees": 200}
    assert dataclasses.astuple(parse_rules(data, "ok.toml").eligibility) == (36, 200)
