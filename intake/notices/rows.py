"""What a request to supplement (Mẫu 02) asks for: one numbered row per component that needs action, saying what
was received (files, pages), what is wrong and what to send. Pure: deficiencies in, rows out; never renders."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..desk import split_label
from ..folding import vietnamese_sort_key
from ..judging import RuleSet, guess_component, headed_as_another
from ..models import Deficiency, Match

SHORT_NAMES = {
    "registration_form": "Đơn đăng ký tham dự",
    "company_profile": "Báo cáo giới thiệu doanh nghiệp",
    "self_assessment": "Báo cáo tự đánh giá theo 07 tiêu chí",
    "quality_system": "Chứng chỉ hệ thống quản lý chất lượng",
    "product_conformity": "Chứng nhận hợp chuẩn, hợp quy sản phẩm",
    "environment": "Hồ sơ môi trường (ĐTM/kế hoạch BVMT, quan trắc)",
    "tax_insurance": "Xác nhận nghĩa vụ thuế và bảo hiểm xã hội",
    "other_evidence": "Tài liệu chứng minh khác",
}
"""How a row names a component (the full title is long enough to fill an A5 row by itself)."""

_FORM_OF = {False: "tệp PDF, DOCX hoặc ảnh quét",
            True: "bản sao có chứng thực hoặc bản có chữ ký, đóng dấu, quét thành tệp PDF hoặc ảnh"}
"""How a missing component is to be sent: a certified copy is a scan, never a Word file (audit 43)."""
NOT_RECEIVED = "Chưa có trong hồ sơ đã nộp."
SEND_AGAIN = "Gửi lại tệp «{file}» dưới dạng PDF hoặc DOCX (không đặt mật khẩu)."
RESCAN = "Quét lại rõ nét (300 dpi) và gửi lại tệp «{file}»."
_YEARS = re.compile(r"^Thiếu (?P<label>.+?) năm (?P<year>\d{4})(?P<part> \(văn bản đã nộp chỉ xác nhận một phần năm)?")
_CRITERION = re.compile(r"tiêu chí (?P<number>\d+): (?P<name>.+?)\.?$")


@dataclass(frozen=True)
class ActionRow:
    """One row of Mẫu 02."""

    component: str
    """The component's short name, or the file's when it belongs to none."""
    received: str
    """What was received for it: file names with pages ("Hồ sơ.pdf (trang 2–4)"), or "Chưa nhận"."""
    problems: tuple[str, ...]
    """What is wrong, one sentence each."""
    send: str
    """What to send."""


def short_name(component_id: str, rules: RuleSet) -> str:
    """A component's name in a row: the table's, else its full title."""
    return SHORT_NAMES.get(component_id) or rules.component(component_id).title


def in_sentence(name: str) -> str:
    """A name as it reads inside a sentence: its first letter lower-cased, abbreviations kept ("hồ sơ môi trường
    (ĐTM/kế hoạch BVMT, quan trắc)", not "(đtm/kế hoạch bvmt …)")."""
    return name[:1].lower() + name[1:]


def readable_label(label: str) -> str:
    """"Hồ sơ.pdf#p2-4" → "Hồ sơ.pdf (trang 2–4)"; "x.pdf#p3" → "x.pdf (trang 3)"; a whole file unchanged."""
    path, first, last = split_label(label)
    if first is None:
        return path
    return f"{path} (trang {first})" if first == last else f"{path} (trang {first}–{last})"


def _by_file(matches: Sequence[Match]) -> dict[str, list[Match]]:
    """The ranges of each file, in order."""
    by_file: dict[str, list[Match]] = {}
    for m in matches:
        by_file.setdefault(m.file, []).append(m)
    return by_file


def unplaced_pages(matches: Sequence[Match]) -> tuple[str, ...]:
    """The files, and pages of files, recognised as no component, each file once: "08 Hợp đồng.pdf" when none of
    its pages is a component, else "Hồ sơ.pdf (trang 4, 7–8)" (audit 53: a file of two letters was listed twice,
    page by page)."""
    by_file = _by_file(matches)
    shown = []
    for file, ranges in by_file.items():
        none = [m for m in ranges if m.component is None]
        if none and len(none) == len(ranges):
            shown.append(file)
        elif none:
            pages = [f"{m.first_page}" if m.first_page == m.last_page else f"{m.first_page}–{m.last_page}"
                     for m in sorted(none, key=lambda m: m.first_page)]
            shown.append(f"{file} (trang {', '.join(pages)})")
    return tuple(sorted(shown, key=vietnamese_sort_key))


def _files(labels: Iterable[str]) -> str:
    return "; ".join(f"«{readable_label(label)}»" for label in labels)


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " và " + items[-1]


def _years(years: Sequence[str]) -> str:
    """"năm 2019", "các năm 2017, 2018 và 2019" (audit 43)."""
    return f"{'các năm' if len(years) > 1 else 'năm'} {_and(years)}"


def _reason(d: Deficiency) -> str:
    """The file deficiency's reason without the file prefix and without the advice (the row says what to send)."""
    reason = d.message.removeprefix(f"Tệp «{d.file}»: ").rstrip(".")
    return reason.split("; đề nghị")[0]


def _problem_and_send(cid: str | None, group: list[Deficiency], labels: tuple[str, ...], rules: RuleSet,
                      matches: Sequence[Match] = ()) -> tuple[list[str], list[str]]:
    where = _files(labels) if labels else "hồ sơ đã nộp"
    problems: list[str] = []
    sends: list[str] = []
    name = in_sentence(short_name(cid, rules)) if cid else ""
    file_problems = [d for d in group if d.file and d.code in ("unreadable_file", "unsupported_format", "illegible")]
    # The component seen inside another file (attached to a PDF, in a ZIP): said there, not "not received".
    inside = any(d.code == "enclosed_files" and d.document for d in group)
    for d in file_problems:
        if d.code == "illegible":
            problems.append(f"Tệp «{d.file}»: {_reason(d)}.")
            sends.append(RESCAN.format(file=d.file))
        elif d.code == "unsupported_format":
            problems.append(f"Tệp «{d.file}»: {_reason(d)}.")  # "… không được tiếp nhận", not "unreadable because"
            advice = d.message.rstrip(".").partition("; đề nghị ")[2]  # a ZIP's, a spreadsheet's, a shortcut's own
            sends.append(f"{advice[:1].upper()}{advice[1:]} (thay cho tệp «{d.file}»)." if advice
                         else SEND_AGAIN.format(file=d.file))
        else:
            problems.append(f"Tệp «{d.file}» không đọc được vì {_reason(d)}.")
            sends.append(SEND_AGAIN.format(file=d.file))
    years: dict[str, list[tuple[str, bool]]] = {}
    criteria: list[tuple[str, str]] = []
    for d in group:
        if d in file_problems:
            continue
        found_years = _YEARS.match(d.message)
        found_criterion = _CRITERION.search(d.message)
        if d.code == "missing_years" and found_years:
            years.setdefault(found_years["label"], []).append((found_years["year"], bool(found_years["part"])))
        elif d.code == "missing_criteria" and found_criterion:
            criteria.append((found_criterion["number"], found_criterion["name"]))
        elif d.code == "missing_document" and d.message.startswith("Thành phần hồ sơ không được chấp nhận"):
            problems.append("Tài liệu đã nộp không được chấp nhận." + d.message.split(".", 1)[1].rstrip())
            sends.append(f"Nộp lại {name} đáp ứng yêu cầu nêu trên.")
        elif d.code == "missing_document":
            if not file_problems and not inside:
                problems.append(NOT_RECEIVED)
            sends.append(f"Nộp {name}{' thành tệp riêng' if inside else ''} "
                         f"({_FORM_OF[bool(cid and rules.component(cid).sealed)]})." if not file_problems else "")
        elif d.code == "enclosed_files" and d.document:  # said in its component's row: the send is the component's
            problems.append(f"{_reason(d)}.")
        elif d.code == "enclosed_files":
            problems.append(f"Tệp «{d.file}»: {_reason(d)}.")
            sends.append(f"Nộp trực tiếp, thành từng tệp riêng, các tệp đính kèm trong «{d.file}» là thành phần của "
                         "hồ sơ (PDF, Word hoặc ảnh).")
        elif d.code == "incomplete_form":
            problems.append(d.message.split(": ", 1)[-1][:1].upper() + d.message.split(": ", 1)[-1][1:])
            sends.append(f"Nộp lại {name} ghi đầy đủ, chính xác các thông tin trên.")
        elif d.code == "missing_seal":
            problems.append(f"Không thấy chữ ký, con dấu trên «{d.file}».")
            sends.append("Nộp bản có chữ ký và đóng dấu (bản quét màu).")
        else:
            problems.append(d.message)
            sends.append("Bổ sung, hoàn thiện theo nội dung nêu trên.")
    for label, found in years.items():
        absent, partial = ([y for y, part in sorted(found) if part == kind] for kind in (False, True))
        looked = where
        if cid is not None and labels:
            # Not the files another of the component's checks reads (a BHXH letter, for a missing tax year).
            other = headed_as_another(rules.component(cid), label, matches, rules.classification.min_phrase_score)
            looked = _files(x for x in labels if x not in other) if set(labels) - other else "hồ sơ đã nộp"
        if absent:
            problems.append(f"Không tìm thấy {label} {_years(absent)} trong {looked}.")
        if partial:
            # "6 tháng đầu năm 2019", "tính đến ngày 30/6/2019": the year is named, not covered (audit 41).
            problems.append(f"{label[:1].upper()}{label[1:]} {_years(partial)} trong {looked} chỉ cho một phần năm, "
                            "chưa cho cả năm.")
        sends.append(f"Bổ sung {label} {_years(sorted(y for y, _ in found))}.")
    if criteria:
        named = [f"tiêu chí {n} ({text[:1].lower()}{text[1:]})" for n, text in criteria]
        problems.append(f"Chưa đề cập {_and(named)} trong {where}.")
        numbers = _and([n for n, _ in criteria])
        # A report sent as one file per criterion (audit 54) is completed by the missing criterion's file.
        sends.append(f"Bổ sung nội dung tiêu chí {numbers} vào báo cáo và nộp lại báo cáo." if len(labels) <= 1 else
                     f"Bổ sung nội dung tiêu chí {numbers}: nộp tệp của tiêu chí đó, hoặc báo cáo đã bổ sung.")
    return problems, [s for s in sends if s]


def _foreign(component_id: str, m: Match) -> list[tuple[str, str]]:
    """(kind, what it names) of each `holder`/`holder_name` evidence that set a range of this component aside."""
    return [(e.kind, e.phrase.split(": ", 1)[1]) for e in m.evidence
            if e.kind in ("holder", "holder_name") and e.phrase.startswith(f"{component_id}: ")]


def _set_aside(component_id: str, files: set[str], matches: Sequence[Match], rules: RuleSet) -> list[str]:
    """Why pages of this component's files do not count for it: an officer set them aside, with the note; or they
    are another entity's (they name another tax code than the enterprise's: audit 28)."""
    said = []
    for m in matches:
        pages = f"Trang {m.first_page}" if m.first_page == m.last_page else f"Trang {m.first_page}–{m.last_page}"
        pages = "Tệp" if m.page_count == 1 else f"{pages} của"  # "Tệp «ISO.pdf» cấp cho …" (audit 43)
        foreign = _foreign(component_id, m)
        notes = [e.phrase.split(": ", 1)[-1] for e in m.evidence if e.kind == "officer"]
        if foreign and foreign[0][0] == "holder_name":
            said.append(f"{pages} «{m.file}» cấp cho «{foreign[0][1]}», không phải tổ chức, doanh nghiệp trên đơn "
                        "đăng ký: là văn bản của đơn vị khác, không tính cho thành phần này.")
        elif foreign:
            said.append(f"{pages} «{m.file}» ghi mã số thuế {foreign[0][1]}, không phải mã số thuế của tổ chức, "
                        "doanh nghiệp trên đơn đăng ký: là văn bản của đơn vị khác, không tính cho thành phần này.")
        elif m.file in files and m.component != component_id and notes:
            target = in_sentence(short_name(m.component, rules)) if m.component else "tài liệu khác"
            said.append(f"{pages} «{m.file}» được cán bộ xếp vào {target}, không tính cho thành phần này "
                        f"({notes[0]}).")
    return said


def _not_it(component_id: str, matches: Sequence[Match], rules: RuleSet, told: set[str]) -> list[str]:
    """The files no page of which is any component, whose name says they are this one ("Xac nhan thue.pdf" holding
    the enterprise's own request for the confirmation, Mẫu 01/XNNVT, audit 42): the enterprise is told they were
    received and why they do not count, not only that the component was not found."""
    by_file = _by_file(matches)
    return [file for file, ranges in sorted(by_file.items(), key=lambda item: vietnamese_sort_key(item[0]))
            if file not in told and guess_component(file, rules, (component_id,)) == component_id
            and all(m.component is None and not m.cover_letter
                    and not any(e.kind in ("holder", "holder_name", "officer") for e in m.evidence) for m in ranges)]


def action_rows(deficiencies: Sequence[Deficiency], documents: Sequence[tuple[str, tuple[str, ...]]],
                matches: Sequence[Match], rules: RuleSet) -> list[ActionRow]:
    """Mẫu 02's rows: the deficiencies to act on grouped by component (rule order), a file that belongs to no
    component under the component its name suggests (a missing one first), else in a row of its own."""
    received = dict(documents)
    file_component = {m.file: m.component for m in matches if m.component is not None}
    missing = [d.document for d in deficiencies if d.code == "missing_document" and d.document]
    groups: dict[str | None, list[Deficiency]] = {}
    loose: dict[str, list[Deficiency]] = {}
    covered: dict[str, str] = {}  # a loose file → the component its name says, which another file gave
    general: list[Deficiency] = []
    # A file its name alone places goes under that component only where the component has something to act on: a
    # spreadsheet "Bang diem tu danh gia.xlsx" beside a complete self-assessment has a row of its own (audit 43).
    deficient = {d.document for d in deficiencies if d.document}
    for d in deficiencies:
        guessed = guess_component(d.file, rules, missing) if d.file and not d.document else None
        cid = d.document or file_component.get(d.file) or (guessed if guessed in deficient else None)
        if cid is not None:
            groups.setdefault(cid, []).append(d)
        elif d.file:
            loose.setdefault(d.file, []).append(d)
            if guessed in received:
                covered[d.file] = guessed
        else:
            general.append(d)
    rows = []
    told: set[str] = set(loose)  # files a row names (as not the component, or as another's)
    for component in rules.components:
        group = groups.get(component.id)
        if not group:
            continue
        # A component counted as missing may still have been received (an officer rejected what was sent).
        labels = tuple(label for label in received.get(component.id, ()) if not label.startswith("[")) or tuple(
            sorted((m.label for m in matches if m.component == component.id), key=vietnamese_sort_key))
        problems, sends = _problem_and_send(component.id, group, labels, rules, matches)
        not_it = _not_it(component.id, matches, rules, {d.file for d in deficiencies if d.file})
        name = in_sentence(short_name(component.id, rules))
        said = _set_aside(component.id, {split_label(x)[0] for x in labels}, matches, rules) + [
            f"Tệp «{file}» đã nhận nhưng nội dung không phải là {name}, không tính cho thành phần này."
            for file in not_it]
        if said and NOT_RECEIVED in problems:
            problems.remove(NOT_RECEIVED)  # it was received, and is not it: said why (audit 43)
        problems += said
        attached = [d.file for d in group if d.file and d.file not in {split_label(x)[0] for x in labels}]
        # Received but not counted: another entity's, or not what its name says (audit 43: "Chưa nhận" beside it).
        uncounted = [m.file for m in matches if _foreign(component.id, m)] + not_it
        told.update(uncounted)
        shown = "; ".join(filter(None, [_files(labels + tuple(dict.fromkeys(a for a in attached if a))), *(
            f"«{file}» (không tính)" for file in dict.fromkeys(uncounted))]))
        rows.append(ActionRow(short_name(component.id, rules), shown or "Chưa nhận", tuple(problems),
                              " ".join(sends)))
    for file, group in sorted(loose.items(), key=lambda item: vietnamese_sort_key(item[0])):
        problems, sends = _problem_and_send(None, group, (file,), rules)
        if file in covered:
            # A locked copy beside the readable one sent since (audit 43: asked to send again what had come).
            cid = covered[file]
            problems.append(f"{short_name(cid, rules)} đã có trong {_files(received[cid])}.")
            sends = ["Nếu là bản trùng: không cần gửi lại. Nếu là tài liệu khác:", *sends]
        rows.append(ActionRow(f"Tệp «{file}» (chưa xác định thành phần)", f"«{file}»", tuple(problems),
                              " ".join(sends)))
    if unplaced := _unplaced(matches, told) if missing else []:
        rows.append(ActionRow(UNPLACED, _files(unplaced), (UNPLACED_WHY,), UNPLACED_SEND))
    for d in general:
        rows.append(ActionRow("Hồ sơ", "", (d.message,), "Bổ sung, hoàn thiện theo nội dung nêu trên."))
    return rows


UNPLACED = "Tệp đã nhận, chưa xác định được thành phần"
UNPLACED_WHY = ("Nội dung các tệp này không được xác định là thành phần nào trong danh mục hồ sơ (không thấy tên "
                "thành phần trên tài liệu).")
UNPLACED_SEND = ("Nếu tệp nào là thành phần còn thiếu nêu trên, đề nghị nộp lại bản ghi rõ tên tài liệu ở đầu trang; "
                 "nếu là tài liệu tham khảo thêm, không cần gửi lại.")
"""The row of the files no page of which is any component, when a component is asked for (audit 52: a GMP
certificate, a VietGAP certificate, a company standard were sent, and the request said only "Chưa có" of the
component they were meant as)."""


def _unplaced(matches: Sequence[Match], told: set[str]) -> list[str]:
    """The files wholly recognised as nothing (no cover letter, no other entity's document) no row names."""
    by_file = _by_file(matches)
    return sorted((file for file, ranges in by_file.items() if file not in told and all(
        m.component is None and not m.cover_letter and not any(e.kind in ("holder", "holder_name", "officer")
                                                               for e in m.evidence) for m in ranges)),
                  key=vietnamese_sort_key)
