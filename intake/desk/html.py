"""The static HTML report officers open from the share: a summary page and one page per dossier; pure (a Desk in,
page texts out), self-contained (inline CSS, no script, no external resource), every value escaped."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape

from .collect import (
    DECISION_VI,
    EVIDENCE_VI,
    INVITEE_STATE_VI,
    NOTICE_STATE_VI,
    NOTICE_VI,
    STATE_VI,
    STATUS_VI,
    component_title,
    deficiency_kind,
    frequent_deficiencies,
    split_label,
    summary,
)
from ..judging import Hint
from ..judging import FIELD_VI, SOURCE_VI, IDENTITY_STATUS_VI as FIELD_STATUS_VI, Contact, Identity
from .models import ComponentEntry, Desk, DossierSheet, Recognition
from .ledger import SENT_STATES, Ledger, of
from .register import UNINVITED, decision_state, needs_action, uninvited

INDEX = "index.html"
"""The summary page, relative to the report folder."""
PAGES = "ho-so"
"""Sub-folder of the dossier pages."""

CSS = """
*{box-sizing:border-box}
body{margin:0;font-family:"Segoe UI","DejaVu Sans",Arial,sans-serif;font-size:14px;line-height:1.4;color:#1a1a1a;
background:#f3f4f6}
main{max-width:1320px;margin:0 auto;padding:12px 18px 28px;background:#fff;min-height:100vh}
header.doc{display:flex;justify-content:space-between;align-items:flex-end;border-bottom:2px solid #1f3b63;
padding-bottom:6px;margin-bottom:10px;gap:16px}
header.doc .agency{font-size:12px;text-transform:uppercase;line-height:1.3}
header.doc .agency b{display:block;font-size:13px}
header.doc .stamp{font-size:12px;color:#555;text-align:right;white-space:nowrap}
h1{font-size:20px;margin:2px 0 2px;color:#1f3b63}
h3{font-size:14px;margin:10px 0 4px;color:#333}
h2{font-size:16px;margin:18px 0 6px;color:#1f3b63;border-bottom:1px solid #c9d3e0;padding-bottom:2px}
.sub{color:#444;margin:0 0 8px}
.figures{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:8px;margin:8px 0 4px}
.figure{border:1px solid #c9d3e0;border-left:5px solid #1f3b63;padding:6px 10px;background:#f8fafc}
.figure .n{font-size:26px;font-weight:bold;line-height:1.1;display:block}
.figure.ok{border-left-color:#2e7d32}.figure.bad{border-left-color:#c62828}.figure.late{border-left-color:#ef8f00}
.top{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:18px;align-items:start}
table{border-collapse:collapse;width:100%;margin:4px 0 8px;background:#fff}
table.fixed{table-layout:fixed}
th,td{border:1px solid #b7c0cc;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#dde4ee;font-weight:bold;text-align:center}
tbody tr:nth-child(even) td{background:#f7f9fb}
td.num{text-align:right;white-space:nowrap}
td.nowrap{white-space:nowrap}
.badge{display:inline-block;max-width:100%;padding:1px 7px;border-radius:3px;font-size:12px;font-weight:bold}
.badge.complete,.badge.present,.badge.accepted{background:#e3f1e4;color:#1b5e20;border:1px solid #8bc48f}
.badge.incomplete,.badge.missing,.badge.rejected{background:#fde7e7;color:#a31515;border:1px solid #e59a9a}
.badge.pending,.badge.absent{background:#eef0f3;color:#444;border:1px solid #c3c8cf}
.badge.late{background:#fff1d6;color:#8a5300;border:1px solid #e8b964}
.muted{color:#666;font-size:12px}
.hint{margin:2px 0;padding:2px 6px;background:#fff6e0;border-left:3px solid #ef8f00;font-size:12.5px}
.flag{color:#8a4b00;font-size:12px}
.file{font-family:"DejaVu Sans Mono",Consolas,monospace;font-size:12.5px;overflow-wrap:anywhere}
dl.info{display:grid;grid-template-columns:190px minmax(0,1fr) 190px minmax(0,1fr);margin:6px 0;
border:1px solid #b7c0cc}
dl.info dt,dl.info dd{margin:0;padding:4px 8px;border-bottom:1px solid #e1e6ed}
dl.info dt{background:#f1f4f8;font-weight:bold}
nav.back{margin:0 0 6px;font-size:13px}
dl.counts{display:grid;grid-template-columns:minmax(0,1fr) 70px;margin:10px 0 0;border:1px solid #c9d3e0}
dl.counts dt,dl.counts dd{margin:0;padding:3px 10px;border-bottom:1px solid #e1e6ed}
dl.counts dd{font-weight:bold}
a{color:#0b4f9c}
ul.tight{margin:0;padding-left:18px}
footer{margin-top:18px;font-size:12px;color:#666;border-top:1px solid #c9d3e0;padding-top:6px}
@media screen and (max-width:1000px){.top{grid-template-columns:1fr}dl.info{grid-template-columns:160px minmax(0,1fr)}}
@media print{
 @page{size:A4 landscape;margin:12mm}
 body{background:#fff;font-size:9pt}main{max-width:none;padding:0}td.nowrap{white-space:normal}
 .file{font-size:8pt}.muted{font-size:8pt}h1{font-size:15pt}h2{font-size:12pt}.figure .n{font-size:18pt}
 nav.back{display:none}a{color:inherit;text-decoration:none}
 tr,dl.info{page-break-inside:avoid}thead{display:table-header-group}h2,h3{break-after:avoid}
 tbody tr:nth-child(even) td{background:#fff}
}
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _when(desk: Desk, moment: datetime | None) -> str:
    if moment is None:
        return ""
    return f"{moment.astimezone(desk.campaign.deadline.tzinfo):%H:%M %d/%m/%Y}"


def page_name(dossier: DossierSheet) -> str:
    """The file name of a dossier's page: its receipt number, made safe (no separators, no spaces)."""
    slug = re.sub(r"[^0-9A-Za-z_-]+", "-", dossier.receipt_no).strip("-") or "ho-so"
    return f"{dossier.number:04d}-{slug}.html"


def _short(text: str, limit: int = 60) -> str:
    """Escaped `text`, cut at a word before `limit` characters with the whole of it as a tooltip."""
    if len(text) <= limit:
        return _e(text)
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return f"<span title=\"{_e(text)}\">{_e(cut)}…</span>"


def _badge(kind: str, text: str) -> str:
    return f'<span class="badge {_e(kind)}">{_e(text)}</span>'


def _document(title: str, desk: Desk, body: str) -> str:
    agency = f"<div class=\"agency\">{_e(desk.agency.parent)}<b>{_e(desk.agency.name)}</b></div>"
    stamp = f"<div class=\"stamp\">Cập nhật lúc {_e(_when(desk, desk.generated_at))}</div>"
    return (
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        f"<header class=\"doc\">{agency}{stamp}</header>\n{body}\n"
        f"<footer>{_e(desk.campaign.title)} — {_e(desk.campaign.procedure)} (mã thủ tục "
        f"{_e(desk.campaign.procedure_code)}). Báo cáo do hệ thống tiếp nhận hồ sơ tự động lập; "
        "thông tin nhận dạng chỉ để cán bộ tham khảo.</footer>\n</main>\n</body>\n</html>\n"
    )


def _table(headings: list[tuple[str, str]], rows: list[str], empty: str, widths: tuple[int, ...] = ()) -> str:
    """A table with a header row; `widths` (percentages) fix the layout so long file names cannot squeeze it."""
    if not rows:
        return f"<p class=\"muted\">{_e(empty)}</p>"
    head = "".join((f"<th class=\"{cls}\">" if cls else "<th>") + f"{_e(h)}</th>" for h, cls in headings)
    cols = "<colgroup>" + "".join(f"<col style=\"width:{w}%\">" for w in widths) + "</colgroup>" if widths else ""
    opening = "<table class=\"fixed\">" if widths else "<table>"
    return f"{opening}{cols}\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"


# ---- summary page ---------------------------------------------------------------------------------------


def hints_html(hints: Sequence[Hint]) -> str:
    """The officers' hints of a dossier (never sent to the enterprise), one line each."""
    return "".join(f"<div class=\"hint\" data-hint=\"{_e(h.code)}\">⚠ {_e(h.message)}</div>" for h in hints)


def render_index(desk: Desk, pages: str = PAGES, ledger: Mapping[str, Ledger] | None = None) -> str:
    """The summary page: figures, most frequent deficiencies, the table of dossiers (with the officers' hints)."""
    figures = summary(desk)
    boxes = "".join(
        f"<div class=\"figure {cls}\" data-figure=\"{key}\"><span class=\"n\">{figures[key]}</span>{_e(label)}</div>"
        for key, label, cls in (("received", "Hồ sơ đã tiếp nhận", ""), ("complete", "Hồ sơ đầy đủ", "ok"),
                                ("incomplete", "Hồ sơ chưa đầy đủ", "bad"), ("late", "Hồ sơ nộp muộn", "late"))
    )
    frequent = _table(
        [("Thiếu sót", ""), ("Số hồ sơ", "num")],
        [f"<tr><td>{_e(topic)}</td><td class=\"num\">{count}</td></tr>" for topic, count in frequent_deficiencies(desk)],
        "Chưa có thiếu sót nào.", (86, 14),
    )
    rows = []
    for d in desk.dossiers:
        note = "<br>".join(
            f"{_e(DECISION_VI[o.decision])}: {_short(component_title(desk, o.component), 40)} ({_e(o.officer)})"
            for o in d.overrides if o.active
        )
        # Every component still to supplement: missing ones and present ones with an open deficiency.
        missing = "<br>".join(_short(line) for line in needs_action(desk, d))
        rows.append(
            f"<tr data-receipt=\"{_e(d.receipt_no)}\"><td class=\"num\">{d.number}</td>"
            f"<td class=\"nowrap\"><a href=\"{_e(pages)}/{_e(page_name(d))}\">{_e(d.receipt_no)}</a></td>"
            f"<td>{_e(d.contact.enterprise)}"
            + (f"<div class=\"muted\">Thư mục: {_e(d.folder)}</div>" if d.folder != d.contact.enterprise else "")
            + _identity_flags(d.contact)
            + (f"<div class=\"warn\">{_e(UNINVITED)}</div>" if uninvited(desk, d) else "")
            + f"</td><td class=\"nowrap\">{_e(_when(desk, d.received_at))}</td>"
            f"<td>{_badge(d.status, STATUS_VI[d.status])}</td>"
            f"<td>{_badge('late', 'Có') if d.late else 'Không'}</td>"
            f"<td class=\"num\">{len(d.deficiencies)}</td>"
            f"<td>{missing}</td><td class=\"num\">{sum(1 for n in of(ledger, d.receipt_no).notices if n.state in SENT_STATES)}"
            f"/{len(d.notices)}</td><td>{note}{hints_html(of(ledger, d.receipt_no).hints)}</td></tr>"
        )
    table = _table(
        [("STT", "num"), ("Mã hồ sơ", ""), ("Tổ chức, doanh nghiệp", ""), ("Tiếp nhận lúc", ""), ("Tình trạng", ""),
         ("Nộp muộn", ""), ("Số thiếu sót", "num"), ("Thành phần cần bổ sung", ""),
         ("Thông báo đã gửi/đã lập", "num"), ("Quyết định, gợi ý kiểm tra của cán bộ", "")],
        rows, "Chưa tiếp nhận hồ sơ nào.", (4, 11, 17, 9, 8, 6, 6, 17, 6, 16),
    )
    figures_more = "".join(f"<dt>{_e(k)}</dt><dd class=\"num\">{v}</dd>" for k, v in (
        ("Thiếu sót chưa khắc phục", sum(len(d.deficiencies) for d in desk.dossiers)),
        ("Thiếu sót đã khắc phục", sum(1 for d in desk.dossiers for h in d.history if h.resolved_at)),
        ("Thông báo đã lập", sum(len(d.notices) for d in desk.dossiers)),
        ("Thông báo đã gửi thư điện tử", sum(1 for d in desk.dossiers for n in d.notices if n.state == "sent")),
        ("Quyết định của cán bộ đang áp dụng", sum(1 for d in desk.dossiers for o in d.overrides if o.active)),
    ))
    deadline = desk.campaign.deadline.astimezone(desk.campaign.deadline.tzinfo)
    body = (
        f"<h1>BÁO CÁO TIẾP NHẬN HỒ SƠ THAM DỰ</h1>\n<p class=\"sub\">{_e(desk.campaign.title)} — "
        f"hạn tiếp nhận {_e(f'{deadline:%H:%M} ngày {deadline:%d/%m/%Y}')}</p>\n"
        + campaign_progress(desk)
        + f"<div class=\"top\"><section><h2>Tổng hợp</h2>\n<div class=\"figures\">{boxes}</div>\n"
        f"<dl class=\"counts\">{figures_more}</dl></section>\n"
        f"<section><h2>Thiếu sót thường gặp</h2>\n{frequent}</section></div>\n"
        f"<h2>Danh sách hồ sơ</h2>\n{table}"
        + loose_files_section(desk)
        + invitation_tables(desk)
    )
    return _document(f"Báo cáo tiếp nhận hồ sơ — {desk.campaign.title}", desk, body)


LOOSE_FILES_NOTE = ("Các tệp sau nằm trực tiếp trong thư mục dùng chung, không thuộc thư mục hồ sơ của doanh nghiệp "
                    "nào, nên chưa được tiếp nhận: cán bộ chuyển từng tệp vào thư mục hồ sơ của doanh nghiệp đã nộp.")
"""What the reports and the desk say above the files lying loose at the inbox's top level."""


def loose_files_section(desk: Desk) -> str:
    """The files lying at the inbox's top level, never received (audit 30: a form and a zipped dossier left
    there vanished from every report)."""
    if not desk.loose_files:
        return ""
    items = "".join(f"<li>{_e(name)}</li>" for name in desk.loose_files)
    return (f"<section class=\"loose\"><h2>Tệp đặt ngoài thư mục hồ sơ ({len(desk.loose_files)})</h2>\n"
            f"<p>{_e(LOOSE_FILES_NOTE)}</p>\n<ul>{items}</ul></section>\n")


# ---- the campaign calendar: days left, invited enterprises ----------------------------------------------

def campaign_progress(desk: Desk) -> str:
    """Days left to the deadline and, with an invitation list, the campaign's four figures (above the summary)."""
    status = desk.campaign_status
    if status is None:
        return ""
    if status.closed_at is not None:
        when = f"Đã kết thúc tiếp nhận hồ sơ lúc {_when(desk, status.closed_at)}."
    elif status.deadline_passed:
        when = "Đã hết hạn tiếp nhận hồ sơ."
    elif status.days_left:
        when = (f"Còn <b data-campaign=\"days_left\">{status.days_left}</b> ngày "
                f"(<b data-campaign=\"working_days_left\">{status.working_days_left}</b> ngày làm việc) đến hạn.")
    else:
        when = "Hôm nay là ngày cuối cùng tiếp nhận hồ sơ."
    upcoming = status.next_round
    if upcoming is not None:
        when += f" Nhắc hạn lần tới: ngày {upcoming.day:%d/%m/%Y}."
    html = f"<section class=\"campaign\"><h2>Tiến độ tiếp nhận</h2>\n<p>{when}</p>\n"
    if status.invitees:
        counts = status.counts
        boxes = "".join(
            f"<div class=\"figure {cls}\" data-campaign=\"{key}\"><span class=\"n\">{counts[key]}</span>{_e(label)}</div>"
            for key, label, cls in (("invited_not_submitted", "Được mời, chưa nộp hồ sơ", "bad"),
                                    ("submitted_incomplete", "Đã nộp, chưa đầy đủ", "bad"),
                                    ("complete", "Hồ sơ đầy đủ", "ok"), ("late", "Hồ sơ nộp muộn", "late"))
        )
        html += (f"<div class=\"figures\">{boxes}</div>\n<p class=\"muted\">{counts['invited']} doanh nghiệp được "
                 f"mời; {counts['not_invited']} hồ sơ không có trong danh sách mời.</p>\n")
    return html + "</section>\n"


def invitation_tables(desk: Desk) -> str:
    """The invited enterprises and where each stands; dossiers matching none (below the list of dossiers)."""
    status = desk.campaign_status
    if status is None or not status.invitees:
        return ""
    rows = [
        f"<tr data-invitee=\"{s.invitee.id}\"><td class=\"num\">{n}</td><td>{_e(s.invitee.name)}</td>"
        f"<td class=\"nowrap\">{_e(s.invitee.tax_code)}</td><td>{_e(s.invitee.folder)}</td>"
        f"<td>{_e(s.invitee.email)}</td>"
        f"<td>{_badge('complete' if s.state == 'complete' else 'incomplete', INVITEE_STATE_VI[s.state])}"
        f"{' ' + _badge('late', 'Nộp muộn') if s.late else ''}</td><td>{_e(', '.join(s.receipt_nos))}</td></tr>"
        for n, s in enumerate(status.invitees, start=1)
    ]
    html = "<h2>Doanh nghiệp được mời</h2>\n" + _table(
        [("STT", "num"), ("Tổ chức, doanh nghiệp", ""), ("Mã số thuế", ""), ("Thư mục được hướng dẫn", ""),
         ("Email", ""), ("Tình trạng", ""), ("Mã hồ sơ", "")], rows, "", (4, 26, 10, 20, 16, 14, 10))
    unmatched = [
        f"<tr data-unmatched=\"{_e(d.receipt_no)}\"><td class=\"nowrap\">{_e(d.receipt_no)}</td>"
        f"<td>{_e(d.contact.enterprise)}</td><td class=\"nowrap\">{_e(d.contact.tax_code)}</td>"
        f"<td>{_e(d.folder)}</td></tr>"
        for d in status.unmatched
    ]
    if unmatched:
        html += ("<h2>Hồ sơ không khớp với doanh nghiệp được mời (cán bộ kiểm tra)</h2>\n"
                 + _table([("Mã hồ sơ", ""), ("Tổ chức, doanh nghiệp (theo đơn đăng ký)", ""), ("Mã số thuế", ""),
                           ("Thư mục hồ sơ", "")], unmatched, "", (14, 40, 14, 32)))
    return html


# ---- one page per dossier -------------------------------------------------------------------------------


def _where(recognition: Recognition) -> str:
    path, first, last = split_label(recognition.label)
    if first is None:  # the whole file: the page where its title (or best phrase) stands
        on_page = sorted((e for e in recognition.evidence if e.page),
                         key=lambda e: ({"title": 0}.get(e.kind, 1), -e.score))
        pages = f", trang {on_page[0].page}" if on_page else ""
    elif first == last:
        pages = f", trang {first}"
    else:
        pages = f", trang {first}–{last}"
    return f"<span class=\"file\">{_e(path)}</span>{_e(pages)}"


def _why(recognition: Recognition) -> str:
    header = _header_line(recognition) + "".join(
        f"<div class=\"header\">{_e(EVIDENCE_VI['held_by'])} (trang {e.page}): {_e(e.phrase)}</div>"
        for e in recognition.evidence if e.kind == "held_by")
    evidence = [e for e in recognition.evidence if e.kind not in ("header", "held_by")]
    if not evidence:
        return header
    ordered = sorted(evidence, key=lambda e: ({"title": 0, "keyword": 1}.get(e.kind, 2), -e.score))
    best, rest = ordered[0], [e for e in ordered[1:] if e.phrase != ordered[0].phrase]
    where = f" (trang {best.page})" if best.page else ""
    text = (f"{_e(EVIDENCE_VI.get(best.kind, best.kind))}: «{_e(best.phrase)}»{_e(where)}, "
            f"khớp {best.score:.0f}%")
    if rest:
        shown = "; ".join(f"«{e.phrase}»" + (f" (trang {e.page})" if e.page else " (tên tệp)") for e in rest[:4])
        more = f" và {len(rest) - 4} cụm từ khác" if len(rest) > 4 else ""
        text += f"<div class=\"muted\">Cùng với: {_e(shown)}{_e(more)} — {recognition.points:.0f} điểm</div>"
    return header + text


def _header_line(recognition: Recognition) -> str:
    """The header read on the range ("Cục Thuế tỉnh Bắc Giang, số 1532/CTBGI-KK, ngày 12/5/2020")."""
    read = [e for e in recognition.evidence if e.kind == "header"]
    return "".join(f"<div class=\"header\">{_e(EVIDENCE_VI['header'])} (trang {e.page}): {_e(e.phrase)}</div>"
                   for e in read[:3])


_OTHER_VI = {
    "cover_letter": "Công văn gửi kèm hoặc danh mục hồ sơ: được ghi nhận, không tính là thành phần hồ sơ",
    "unrecognised": "Trang chưa nhận dạng được là thành phần hồ sơ nào (ảnh, tài liệu khác): cán bộ kiểm tra",
}
"""What a range that is no component is, for the officer."""


def _component_row(desk: Desk, index: int, component: ComponentEntry) -> str:
    where = "<br>".join(_where(r) for r in component.recognitions) or "<span class=\"muted\">—</span>"
    why = "<hr style=\"border:0;border-top:1px dashed #ccc;margin:3px 0\">".join(_why(r) for r in component.recognitions)
    if component.override is not None:
        o = component.override
        decided = (f"<div class=\"muted\">{_e(DECISION_VI[o.decision])} bởi {_e(o.officer)} lúc "
                   f"{_e(_when(desk, o.at))}: {_e(o.note)}</div>")
    else:
        decided = ""
    return (
        f"<tr data-component=\"{_e(component.id)}\" data-state=\"{_e(component.state)}\">"
        f"<td class=\"num\">{index}</td><td>{_e(component.title)}</td>"
        f"<td>{'Bắt buộc' if component.required else 'Không bắt buộc'}</td>"
        f"<td>{_badge(component.state, STATE_VI[component.state])}{decided}</td>"
        f"<td>{where}</td><td>{why}</td></tr>"
    )


def _identity_flags(contact: Contact) -> str:
    """What the officer should look at about who a dossier is (uncertain or corrected contacts, sources that
    disagree, other dossiers with the same tax code or name), one line each; "" when nothing."""
    if not isinstance(contact, Identity) or not contact.flags:
        return ""
    return "".join(f"<div class=\"flag\" data-flag=\"identity\">⚠ {_e(line)}</div>" for line in contact.flags)


def _identity_table(contact: Contact) -> str:
    """Each contact value with where it came from and how sure it is (the dossier page)."""
    if not isinstance(contact, Identity):
        return ""
    rows = [f"<tr data-field=\"{_e(f.name)}\" data-status=\"{_e(f.status)}\"><td>{_e(FIELD_VI[f.name])}</td>"
            f"<td>{_e(f.value)}</td><td>{_e(SOURCE_VI.get(f.source, f.source))}</td>"
            f"<td>{_e(FIELD_STATUS_VI.get(f.status, f.status))}</td><td>{_e(f.note)}</td></tr>" for f in contact.fields]
    held = (f"<p class=\"flag\" data-flag=\"email-hold\">⚠ Thông báo chưa được gửi thư điện tử: "
            f"{_e(contact.email_hold)}.</p>") if contact.email_hold else ""
    return ("<h2>Thông tin liên hệ: nguồn và độ tin cậy</h2>\n" + held + _identity_flags(contact) + _table(
        [("Thông tin", ""), ("Giá trị", ""), ("Nguồn", ""), ("Tình trạng", ""), ("Ghi chú", "")], rows, "",
        (14, 26, 18, 12, 30)) + "\n")


def render_dossier(desk: Desk, dossier: DossierSheet, index: str = f"../{INDEX}",
                   ledger: Mapping[str, Ledger] | None = None) -> str:
    """A dossier's page: who, components with the file, page and phrase that satisfied each, deficiencies with
    their history, officers' decisions, notices sent."""
    d, c = dossier, dossier.contact
    extra = of(ledger, d.receipt_no)
    status = _badge(d.status, STATUS_VI[d.status]) + (" " + _badge("late", "Nộp muộn") if d.late else "")
    info = "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in (
        ("Mã hồ sơ", _e(d.receipt_no)),
        ("Tình trạng", status + (f" <span class=\"warn\">{_e(UNINVITED)}</span>" if uninvited(desk, d) else "")),
        ("Tổ chức, doanh nghiệp", _e(c.enterprise)), ("Thời gian tiếp nhận", _e(_when(desk, d.received_at))),
        ("Địa chỉ", _e(c.address)), ("Người đại diện", _e(c.representative)),
        ("Điện thoại", _e(c.phone)), ("Email", _e(c.email)),
        ("Thư mục hồ sơ", f"<span class=\"file\">{_e(d.folder)}</span>"),
        ("Thông báo đã gửi", _e(f"{sum(1 for n in extra.notices if n.state in SENT_STATES)} đã gửi / "
                                 f"{len(d.notices)} đã lập")),
        ("Hạn bổ sung hồ sơ", _e(f"{extra.supplement_by:%d/%m/%Y}" if extra.supplement_by else "")),
        ("Ngày hẹn trả kết quả", _e(f"{extra.result_due:%d/%m/%Y}" if extra.result_due else "")),
    ))
    hints = ("<h2>Gợi ý kiểm tra cho cán bộ</h2>\n" + hints_html(extra.hints)) if extra.hints else ""
    components = _table(
        [("STT", "num"), ("Thành phần hồ sơ", ""), ("Yêu cầu", ""), ("Kết quả", ""), ("Tệp, trang", ""),
         ("Căn cứ nhận dạng", "")],
        [_component_row(desk, i, comp) for i, comp in enumerate(d.components, start=1)],
        "Không có thành phần nào.", (4, 24, 8, 13, 20, 31),
    )
    others = [r for r in d.recognitions if r.component is None]
    other_files = "<h3>Tệp không thuộc thành phần nào</h3>\n" + _table(
        [("Tệp, trang", ""), ("Ghi chú", "")],
        [f"<tr data-other=\"{role}\"><td>{_where(r)}</td><td>{_e(_OTHER_VI[role])}{_header_line(r)}</td></tr>"
         for r in others
         for role in ("cover_letter" if any(e.kind == "cover_letter" for e in r.evidence) else "unrecognised",)],
        "",
    ) if others else ""
    current = _table(
        [("STT", "num"), ("Loại thiếu sót", ""), ("Nội dung cần bổ sung, hoàn thiện", "")],
        [f"<tr data-code=\"{_e(x.code)}\"><td class=\"num\">{i}</td><td>{_e(deficiency_kind(x.code))}</td>"
         f"<td>{_e(x.message)}</td></tr>" for i, x in enumerate(d.deficiencies, start=1)],
        "Hồ sơ không còn thiếu sót nào.",
    )
    history = _table(
        [("Nội dung", ""), ("Phát hiện lúc", ""), ("Khắc phục lúc", ""), ("Tình trạng", "")],
        [f"<tr><td>{_e(h.message)}</td><td class=\"nowrap\">{_e(_when(desk, h.opened_at))}</td>"
         f"<td class=\"nowrap\">{_e(_when(desk, h.resolved_at))}</td>"
         f"<td>{_badge('present', 'Đã khắc phục') if h.resolved_at else _badge('missing', 'Chưa khắc phục')}</td></tr>"
         for h in d.history],
        "Chưa ghi nhận thiếu sót nào.", (58, 13, 13, 16),
    )
    decisions = _table(
        [("Thành phần hồ sơ", ""), ("Quyết định", ""), ("Cán bộ", ""), ("Thời gian", ""), ("Lý do", ""),
         ("Hiệu lực", "")],
        [f"<tr><td>{_e(component_title(desk, o.component))}</td><td>{_e(DECISION_VI[o.decision])}</td>"
         f"<td>{_e(o.officer)}</td><td class=\"nowrap\">{_e(_when(desk, o.at))}</td><td>{_e(o.note)}</td>"
         f"<td>{_e(decision_state(o))}"
         + (f"<div class=\"muted\">{_e(_when(desk, o.undone_at))}, {_e(o.undone_by)}: {_e(o.undo_note)}</div>"
            if o.undone_at else "")
         + "</td></tr>" for o in d.overrides],
        "Cán bộ chưa điều chỉnh kết quả nhận dạng của hồ sơ này.",
    )
    notices = _table(
        [("STT", "num"), ("Loại", ""), ("Tệp", ""), ("Lập lúc", ""), ("Trạng thái", "")],
        [f"<tr><td class=\"num\">{i}</td><td>{_e(NOTICE_VI.get(n.kind, n.kind))}</td>"
         f"<td><span class=\"file\">{_e(n.path)}</span></td><td class=\"nowrap\">{_e(_when(desk, n.created_at))}</td>"
         f"<td>{_e(NOTICE_STATE_VI.get(n.state, n.state))}"
         + (f"<div class=\"muted\">{_e(n.problem)}</div>" if n.problem else "") + "</td></tr>"
         for i, n in enumerate(d.notices, start=1)],
        "Chưa gửi thông báo nào.", (4, 28, 42, 12, 14),
    )
    events = _table(
        [("Thời gian", ""), ("Diễn biến", "")],
        [f"<tr><td class=\"nowrap\">{_e(_when(desk, e.at))}</td><td>{_e(e.message)}</td></tr>" for e in d.events],
        "Không có diễn biến bất thường.", (16, 84),
    )
    body = (
        f"<nav class=\"back\"><a href=\"{_e(index)}\">← Danh sách hồ sơ</a></nav>\n"
        f"<h1>Hồ sơ {_e(d.receipt_no)}</h1>\n<p class=\"sub\">{_e(c.enterprise)}</p>\n"
        f"<dl class=\"info\">{info}</dl>\n{hints}"
        f"{_identity_table(c)}"
        f"<h2>Thành phần hồ sơ</h2>\n{components}\n{other_files}\n"
        f"<h2>Diễn biến trong thư mục chung</h2>\n{events}\n"
        f"<h2>Thiếu sót hiện tại</h2>\n{current}\n"
        f"<h2>Quyết định của cán bộ</h2>\n{decisions}\n"
        f"<h2>Thông báo cho doanh nghiệp (đã lập, đã gửi)</h2>\n{notices}\n"
        f"<h2>Lịch sử thiếu sót</h2>\n{history}"
    )
    return _document(f"Hồ sơ {d.receipt_no} — {c.enterprise}", desk, body)


def render_html(desk: Desk, pages: str = PAGES, index: str = INDEX,
                ledger: Mapping[str, Ledger] | None = None) -> dict[str, str]:
    """Every page of the report: relative path → HTML text (the summary under `index`, dossiers under `pages/`)."""
    site = {index: render_index(desk, pages, ledger)}
    back = "../" + index.rsplit("/", 1)[-1]
    for dossier in desk.dossiers:
        site[f"{pages}/{page_name(dossier)}"] = render_dossier(desk, dossier, back, ledger)
    return site
