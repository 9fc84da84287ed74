"""Merged dossiers: one scanned PDF, one Word file, a run of JPEGs named in sequence — split logically into
page ranges, each judged as its component; the enterprise's file is never rewritten."""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from pypdf import PdfReader, PdfWriter

from intake.judging.classify import classify_document, classify_dossier, sequence_runs
from intake.reading.extract import extract_text
from intake.models import ReceivedFile

import dossiers
from conftest import text_file

ALL = dossiers.COMPONENT_IDS


def expected_documents(ranges: dict[str, tuple[str, int, int]]) -> dict[str, list[str]]:
    return {cid: [f"{name}#p{first}" if first == last else f"{name}#p{first}-{last}"]
            for cid, (name, first, last) in ranges.items() if cid != "cover_letter"}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_dossier_scanned_into_one_pdf(service):
    """The whole paper dossier scanned into one image-only PDF: complete, every component a page range; the
    same scan with one component's pages taken out: exactly that component missing."""
    rng = random.Random(701)
    ranges = dossiers.write_merged_dossier(service.inbox / "Công ty Một tệp", dossiers.make_enterprise(rng), rng)
    whole = service.inbox / "Công ty Một tệp" / "Ho so.pdf"
    _, first, last = ranges["environment"]
    shorter = PdfWriter()
    for number, page in enumerate(PdfReader(whole).pages, 1):
        if not first <= number <= last:
            shorter.add_page(page)
    (service.inbox / "Công ty Thiếu môi trường").mkdir()
    shorter.write(service.inbox / "Công ty Thiếu môi trường" / "Ho so.pdf")
    before = digest(whole)

    service.scan()
    report = service.report()
    complete = report["Công ty Một tệp"]
    assert complete["status"] == "complete", complete["deficiencies"]
    assert complete["documents"] == expected_documents(ranges)  # the cover letter (p1) is no component
    assert complete["documents"]["self_assessment"] == ["Ho so.pdf#p4-5"]
    assert complete["deficiencies"] == []
    assert digest(whole) == before  # read, never rewritten

    incomplete = report["Công ty Thiếu môi trường"]
    assert incomplete["status"] == "incomplete"
    assert incomplete["missing"] == ["environment"]
    assert [(d["code"], d["document"]) for d in incomplete["deficiencies"]] == [("missing_document", "environment")]
    assert set(incomplete["documents"]) == set(ALL) - {"environment"}
    assert incomplete["documents"]["tax_insurance"] == [f"Ho so.pdf#p{first}"]  # the pages after moved up


def test_a_dossier_typed_into_one_word_file(service):
    rng = random.Random(702)
    ent = dossiers.make_enterprise(rng)
    ranges = dossiers.write_merged_dossier(service.inbox / "Công ty Word", ent, rng, fmt="docx", name="Ho so.docx")
    dossiers.write_merged_dossier(service.inbox / "Công ty Word thiếu", ent, rng, fmt="docx", name="Ho so.docx",
                                  omit=("tax_insurance",))
    service.scan()
    report = service.report()
    assert report["Công ty Word"]["status"] == "complete"
    assert report["Công ty Word"]["documents"] == expected_documents(ranges)
    assert report["Công ty Word thiếu"]["missing"] == ["tax_insurance"]
    # The registration form's table cells are read from its page of the merged file.
    registration = report["Công ty Word"]["registration"]
    assert registration["source"] == "Ho so.docx#p2"
    assert registration["fields"]["tax_code"] == {"value": ent.tax_code, "status": "ok", "note": ""}


def test_a_dossier_photographed_page_by_page(service):
    """scan_001.jpg … scan_009.jpg: the self-assessment's two pages are two images, recognised as one document."""
    rng = random.Random(703)
    ranges = dossiers.write_merged_dossier(service.inbox / "Công ty Ảnh", dossiers.make_enterprise(rng), rng,
                                           fmt="jpg_run", name="scan_", include_optional=False)
    assert ranges["self_assessment"] == ("scan_004.jpg", 4, 5)
    service.scan()
    dossier = service.report()["Công ty Ảnh"]
    assert dossier["status"] == "complete", dossier["deficiencies"]
    assert dossier["documents"]["self_assessment"] == ["scan_004.jpg", "scan_005.jpg"]
    assert dossier["documents"]["registration_form"] == ["scan_002.jpg"]
    assert "scan_001.jpg" not in str(dossier["documents"])  # the cover letter
    # The second image begins with a criterion's heading ("Tiêu chí 5: …"): it names the self-assessment itself
    # (a page headed so restarts it wherever it stands); a title-less continuation follows the image before it
    # (test_a_continuation_image_joins_the_document_before_it_only_in_a_run).
    continued = next(e for e in dossier["evidence"] if e["file"] == "scan_005.jpg")
    assert continued["document"] == "self_assessment"
    assert {"kind": "title", "phrase": "tiêu chí 5", "page": 1, "score": 100.0} in continued["phrases"]
    # All seven criteria are found although they are spread over the two images.
    assert not [d for d in dossier["deficiencies"] if d["code"] == "missing_criteria"]


# ---- runs of images, without OCR ----------------------------------------------------------------------------


def image(path: str, *pages: str) -> ReceivedFile:
    f = text_file(path, *pages, method="ocr", confidence=90.0)
    return replace(f, extraction=replace(f.extraction, kind="jpeg"))


def pages_of(component: str, seed: int, enterprise: dossiers.Enterprise | None = None) -> list[str]:
    rng = random.Random(seed)
    ent = dossiers.make_enterprise(rng) if enterprise is None else enterprise
    return ["\n".join(lines) for lines in dossiers.component_pages(component, ent, rng)]


def test_which_images_form_a_run():
    names = ["scan_001.jpg", "scan_002.jpg", "scan_004.jpg", "scan_005.jpg", "Scan_006.JPG", "IMG_7.png",
             "IMG_8.jpg", "sub/scan_003.jpg", "Don dang ky.jpg"]
    runs = sequence_runs([image(n, "x") for n in names])
    assert sorted([f.path for f in run] for run in runs) == [
        ["scan_001.jpg", "scan_002.jpg"], ["scan_004.jpg", "scan_005.jpg", "Scan_006.JPG"]]
    pdfs = [replace(f, extraction=replace(f.extraction, kind="pdf")) for f in (image("scan_1.pdf", "x"),
                                                                                image("scan_2.pdf", "x"))]
    assert sequence_runs(pdfs) == []  # whole documents, scanned one per file: never chained


def test_images_that_each_name_their_component_are_read_as_on_their_own(rules):
    ent = dossiers.make_enterprise(random.Random(1))  # one enterprise's: another's tax letter is no component
    files = [image(f"scan_{i:03d}.jpg", pages_of(c, i, ent)[0]) for i, c in enumerate(ALL, 1) if c != "self_assessment"]
    together = classify_dossier(files, rules)
    # Only the dossier knows whose it is: its certificates say they are held by the enterprise its form names.
    held = {m.component: [e.phrase.casefold() for e in m.evidence if e.kind == "held_by"] for m in together}
    assert all(names in ([], [ent.name.casefold()]) for names in held.values())
    assert held["quality_system"] == held["product_conformity"] == [ent.name.casefold()]
    bare = tuple(replace(m, evidence=tuple(e for e in m.evidence if e.kind != "held_by")) for m in together)
    assert bare == tuple(m for f in files for m in classify_document(f, rules))


def test_a_continuation_image_joins_the_document_before_it_only_in_a_run(rules):
    first, headed = pages_of("self_assessment", 9)
    # A continuation that names nothing itself (its criterion's heading was on the image before).
    second = "\n".join(line for line in headed.splitlines() if not line.startswith("Tiêu chí"))
    run = [image("anh_01.jpg", first), image("anh_02.jpg", second)]
    assert [m.component for m in classify_dossier(run, rules)] == ["self_assessment", "self_assessment"]
    gap = [image("anh_01.jpg", first), image("anh_03.jpg", second)]
    assert [m.component for m in classify_dossier(gap, rules)] == ["self_assessment", None]
    # A title-less first image (a cover letter) continues nothing and is no component.
    cover = image("anh_00.jpg", "\n".join(dossiers.cover_letter_pages(dossiers.make_enterprise(random.Random(9)),
                                                                      random.Random(9))[0]))
    assert [m.component for m in classify_dossier([cover, *run], rules)] == [None, "self_assessment",
                                                                             "self_assessment"]
    # A page headed by a criterion names the self-assessment on its own, run or not.
    alone = classify_dossier([image("anh_01.jpg", first), image("anh_03.jpg", headed)], rules)
    assert [m.component for m in alone] == ["self_assessment", "self_assessment"]


# ---- Word page breaks ---------------------------------------------------------------------------------------


def _rendered_break(paragraph) -> None:
    """What Word writes where it last broke the page while laying the document out."""
    run = paragraph.add_run()
    run._r.append(OxmlElement("w:lastRenderedPageBreak"))


def test_word_pages_are_split_at_every_kind_of_page_break(tmp_path):
    document = docx.Document()
    document.add_paragraph("Trang một")
    document.add_page_break()  # explicit break, its own paragraph
    mixed = document.add_paragraph("Trang hai")
    mixed.add_run().add_break(docx.enum.text.WD_BREAK.PAGE)  # explicit break inside a paragraph
    mixed.add_run("Trang ba")
    before = document.add_paragraph("Trang bốn")
    before.paragraph_format.page_break_before = True
    document.add_section(WD_SECTION.NEW_PAGE)
    rendered = document.add_paragraph("Trang năm, phần đầu")
    _rendered_break(rendered)
    rendered.add_run("Trang sáu")
    document.add_section(WD_SECTION.CONTINUOUS)
    document.add_paragraph("vẫn trang sáu")
    path = tmp_path / "ho-so.docx"
    document.save(path)
    pages = extract_text(path, ocr=lambda image: pytest.fail("no picture to OCR")).pages
    assert [(p.number, p.text) for p in pages] == [
        (1, "Trang một"), (2, "Trang hai"), (3, "Trang ba"), (4, "Trang bốn"), (5, "Trang năm, phần đầu"),
        (6, "Trang sáu\nvẫn trang sáu")]
    assert {p.method for p in pages} == {"docx"}
