"""Recognising components by content: titles, key phrases, OCR errors, cover letters, merged files."""

from __future__ import annotations

import pytest

from intake.judging.classify import classify_document, classify_dossier

import dossiers
from conftest import text_file

ALL = dossiers.COMPONENT_IDS


def pages_text(pages):
    return ["\n".join(lines) for lines in pages]


@pytest.mark.parametrize("component", ALL)
def test_each_component_is_recognised_by_its_content_alone(rules, rng, component):
    ent = dossiers.make_enterprise(rng)
    file = text_file("scan_0007.pdf", *pages_text(dossiers.component_pages(component, ent, rng)))
    (match,) = classify_document(file, rules)
    assert match.component == component
    assert any(e.kind == "title" for e in match.evidence)
    assert all(e.kind != "filename" for e in match.evidence)


def test_cover_letter_is_no_component(rules, rng):
    ent = dossiers.make_enterprise(rng)
    file = text_file("Cong van gui kem.pdf", *pages_text(dossiers.cover_letter_pages(ent, rng)))
    assert [m.component for m in classify_document(file, rules)] == [None]


def test_ocr_errors_in_titles_do_not_defeat_recognition(rules):
    text = ("CÔNG TY CỔ PHẦN MAY BẮC GIANG\nGIÂY CHỮNG NHẠN HỆ THÔNG QUẢN LÝ CHÂT LƯỢNG\n"
            "phù hợp tiêu chuẩn TCVN ISO 9001:2015\nPhạm vi chứng nhận: sản xuất hàng may mặc")
    (match,) = classify_document(text_file("x.pdf", text, method="ocr", confidence=70), rules)
    assert match.component == "quality_system"


def test_file_name_alone_recognises_nothing(rules):
    (match,) = classify_document(text_file("Bao cao tu danh gia.pdf", "Trang 1\nảnh chụp nhà xưởng"), rules)
    assert match.component is None


def test_merged_file_is_split_into_page_ranges(rules, rng):
    ent = dossiers.make_enterprise(rng)
    pages = []
    for component in ALL:
        pages += dossiers.component_pages(component, ent, rng)
    file = text_file("Ho so.pdf", *pages_text(pages))
    matches = classify_document(file, rules)
    assert [m.component for m in matches] == list(ALL)
    assert matches[0].label.startswith("Ho so.pdf#p1")
    assert sum(m.last_page - m.first_page + 1 for m in matches) == len(pages)


def test_verdict_input_does_not_depend_on_file_order(rules, rng):
    ent = dossiers.make_enterprise(rng)
    files = [text_file(f"f{i}.pdf", *pages_text(dossiers.component_pages(c, ent, rng))) for i, c in enumerate(ALL)]
    assert classify_dossier(files, rules) == classify_dossier(list(reversed(files)), rules)
