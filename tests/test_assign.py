"""The officer's page-range assignment as a pure step on the classification (intake/judging/assign.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from conftest import BEFORE_DEADLINE
from intake.judging.assign import Assignment, apply_assignments
from intake.models import Evidence, Match


def _assignment(first: int, last: int, component: str = "tax_insurance", *, file: str = "Ho so.pdf",
                minutes: int = 0, undone: bool = False) -> Assignment:
    at = BEFORE_DEADLINE + timedelta(minutes=minutes)
    return Assignment(file, first, last, component, officer="lan", note="đọc thấy trên trang", at=at,
                      undone_at=at if undone else None)


def test_a_range_cut_out_of_a_match_keeps_the_rest_with_its_evidence():
    matches = (Match("Ho so.pdf", 1, 10, 10, "environment", 40.0,
                     (Evidence("title", "quan trắc", 1, 95.0), Evidence("keyword", "khí thải", 8, 90.0))),
               Match("Khac.pdf", 1, 2, 2, None, 0.0))
    result = apply_assignments(matches, [_assignment(4, 6)])
    assert [(m.file, m.first_page, m.last_page, m.component) for m in result] == [
        ("Ho so.pdf", 1, 3, "environment"), ("Ho so.pdf", 4, 6, "tax_insurance"),
        ("Ho so.pdf", 7, 10, "environment"), ("Khac.pdf", 1, 2, None)]
    assert [e.page for e in result[0].evidence] == [1] and [e.page for e in result[2].evidence] == [8]
    assert result[1].label == "Ho so.pdf#p4-6"


def test_undone_assignments_and_missing_files_change_nothing():
    matches = (Match("Ho so.pdf", 1, 3, 3, None, 0.0),)
    assert apply_assignments(matches, [_assignment(1, 2, undone=True)]) == matches
    assert apply_assignments(matches, [_assignment(1, 2, file="Khac.pdf")]) == matches
    assert apply_assignments(matches, [_assignment(5, 9)]) == matches  # past the end of the file


def test_a_newer_assignment_over_the_same_pages_wins_and_ranges_are_clamped():
    matches = (Match("Ho so.pdf", 1, 4, 4, None, 0.0),)
    result = apply_assignments(matches, [_assignment(2, 3, "environment", minutes=5), _assignment(1, 9, minutes=0)])
    assert [(m.first_page, m.last_page, m.component) for m in result] == [
        (1, 1, "tax_insurance"), (2, 3, "environment"), (4, 4, "tax_insurance")]


def test_whole_file_assignment_is_labelled_as_the_file():
    result = apply_assignments((Match("Anh.jpg", 1, 1, 1, None, 0.0),), [_assignment(1, 1, file="Anh.jpg")])
    assert result == (Match("Anh.jpg", 1, 1, 1, "tax_insurance", 0.0,
                            (Evidence("officer", "lan: đọc thấy trên trang", 1, 100.0),)),)
    assert result[0].label == "Anh.jpg"
    assert isinstance(BEFORE_DEADLINE, datetime)


def test_the_request_says_which_pages_the_officer_set_aside_and_why(rules):
    """Page 2 of the tax file is another unit's confirmation: the officer assigns it elsewhere; the request to
    supplement the social-insurance years says so, with the officer's reason (audit 11: it only said the years were
    not found on page 1)."""
    from intake.models import Deficiency
    from intake.notices.rows import action_rows

    matches = (Match("Thue BHXH.pdf", 1, 2, 2, "tax_insurance", 90.0, (Evidence("title", "xác nhận", 1, 95.0),)),)
    assignment = Assignment("Thue BHXH.pdf", 2, 2, "other_evidence", officer="Trần Văn Bình",
                            note="Trang 2 là giấy xác nhận của đơn vị khác", at=BEFORE_DEADLINE)
    result = apply_assignments(matches, [assignment])
    assert result[1].evidence == (Evidence("officer", "Trần Văn Bình: Trang 2 là giấy xác nhận của đơn vị khác", 2,
                                           100.0),)
    missing = Deficiency("missing_years", "Thiếu xác nhận tham gia bảo hiểm xã hội năm 2017.",
                         document="tax_insurance")
    (row,) = action_rows([missing], (("tax_insurance", ("Thue BHXH.pdf#p1",)),), result, rules)
    assert row.problems[-1] == ("Trang 2 của «Thue BHXH.pdf» được cán bộ xếp vào tài liệu chứng minh khác, không "
                                "tính cho thành phần này (Trang 2 là giấy xác nhận của đơn vị khác).")
