"""Notices to enterprises: which are due, what they say, and how they look (DOCX in the administrative format of
Nghị định 30/2020/NĐ-CP, forms of Thông tư 01/2018/TT-VPCP). Pure: data in, bytes and text out; never writes
files, reads the clock or sends anything.

Over 500 lines because the forms share one DOCX vocabulary (header, quốc hiệu, tables, signature blocks): split,
each form would repeat it."""

from __future__ import annotations

import copy
import functools
import hashlib
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Emu, Length, Mm, Pt, Twips
from lxml import etree

from ..campaign import add_working_days as calendar_add_working_days
from ..campaign import campaign_days_off, result_due, supplement_by
from ..judging import BLOCKING_CODES, Contact, Identity, RuleSet, delivery_line
from ..folding import vietnamese_sort_key, xml_text
from ..models import Deficiency, Verdict
from .models import Notice
from ..campaign import Reminder
from ..desk import split_label
from .rows import ActionRow, action_rows, readable_label, short_name, unplaced_pages

FONT = "Times New Roman"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
NOT_ASKED = frozenset({"late_submission"})
"""Deficiency codes an enterprise cannot remedy by supplementing: never listed as something to supplement."""


@dataclass(frozen=True)
class Paper:
    """A page size with the margins and type sizes that fit it."""

    width: float
    """Page width (mm)."""
    height: float
    """Page height (mm)."""
    margins: tuple[float, float, float, float]
    """Top, bottom, left, right (mm)."""
    header: tuple[float, float]
    """Widths of the agency and national-header columns (mm)."""
    body: float
    """Body type size (pt)."""
    small: float
    """Header and table type size (pt)."""

    @property
    def text_width(self) -> float:
        """Width between the margins (mm)."""
        return self.width - self.margins[2] - self.margins[3]


# Nghị định 30/2020, Phụ lục I: A4, top/bottom 20-25 mm, left 30-35, right 15-20, body 13-14 pt. The one-stop-shop
# forms of Thông tư 01/2018 are A5: the same layout, tighter margins and a smaller type.
A5 = Paper(148, 210, (10, 10, 15, 10), (48, 75), 10.5, 10)
A4 = Paper(210, 297, (20, 20, 30, 15), (68, 97), 13.5, 12.5)


@dataclass(frozen=True)
class Form:
    """One kind of notice: its form, title, number symbol, paper and names."""

    form: str
    """The form it follows ("Mẫu số 01" ...), for the officer."""
    title: str
    """Title printed on it."""
    symbol: str
    """Symbol of its number ("PYCBS" in "03/PYCBS-TĐC")."""
    paper: Paper
    """Page size."""
    stem: str
    """File name stem in the outbox."""
    name: str
    """Its name in a sentence (e-mail subject, listings)."""


FORMS: dict[str, Form] = {
    "acknowledgement": Form("Giấy biên nhận", "GIẤY BIÊN NHẬN HỒ SƠ", "BNHS", A5, "bien-nhan",
                            "Giấy biên nhận hồ sơ"),
    # Files a dossier received after its first notice, acknowledged as they come (audits 13, 27: a supplement that
    # changed nothing got no word, and the enterprise believed it had supplemented).
    "supplement": Form("Giấy biên nhận", "GIẤY BIÊN NHẬN HỒ SƠ BỔ SUNG", "BNBS", A5, "bien-nhan-bo-sung",
                       "Giấy biên nhận hồ sơ bổ sung"),
    "receipt": Form("Mẫu số 01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "TNHS", A5, "giay-tiep-nhan",
                    "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "deficiency": Form("Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "PYCBS", A5, "yeu-cau-bo-sung",
                       "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "complete": Form("Thông báo", "THÔNG BÁO", "TB", A4, "ho-so-day-du", "Thông báo hồ sơ đã đầy đủ"),
    "refusal": Form("Mẫu số 03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "PTC", A5, "tu-choi-tiep-nhan",
                    "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    # A letter like the notice that a dossier is complete, numbered apart from it ("TBNH": thông báo nhắc hạn).
    "reminder": Form("Thông báo", "THÔNG BÁO", "TBNH", A4, "nhac-han", "Thông báo nhắc hạn nộp hồ sơ"),
}
STATUS_KINDS = ("deficiency", "complete")
"""Kinds that say where a dossier stands: only the newest of them is still worth sending."""


def status_kinds(rules: RuleSet) -> tuple[str, ...]:
    """The kinds that say where a dossier stands under these rules: with `notices.receipt = "complete"` Mẫu 01 is
    the notice that it became complete (a request to supplement it replaces is not worth sending); with
    `"first"` it is the acknowledgement that comes before everything, and replaces nothing."""
    return STATUS_KINDS if rules.notices.receipt == "first" else STATUS_KINDS + ("receipt",)


# ---- which notices are due -------------------------------------------------------------------------


def deficiency_hash(deficiencies: tuple[Deficiency, ...]) -> str:
    """Identity of a set of deficiencies: a new notice is due only when it changes."""
    return hashlib.sha256("\n".join(sorted(d.key for d in deficiencies)).encode()).hexdigest()


def plan_notices(verdict: Verdict, previous: Sequence[tuple[str, str]], rules: RuleSet) -> list[tuple[str, str]]:
    """The notices due for a settled dossier, as (kind, content hash), given those already made (oldest first).

    A late dossier is refused once when the rules say so (Mẫu 03), and gets nothing else. Otherwise, with the
    decree's defaults (`notices.receipt = "complete"`, `notices.acknowledgement = true`): an acknowledgement of
    receipt at once; a request to supplement (Mẫu 02) whenever the deficiencies differ from the last status
    notice's; the receipt with an appointment (Mẫu 01) when the dossier becomes complete, and the letter that it
    is complete again should it become complete once more. With `receipt = "first"`: Mẫu 01 first, whatever the
    dossier's standing, then Mẫu 02 or the letter that it is complete.
    """
    settings = rules.notices
    made = {kind for kind, _ in previous}
    content = deficiency_hash(verdict.deficiencies)
    if verdict.late and settings.refuse_late:
        return [] if "refusal" in made else [("refusal", content)]
    due: list[tuple[str, str]] = []
    first = settings.receipt == "first"
    if first and not made & {"receipt", "refusal"}:
        due.append(("receipt", content))
    elif not first and settings.acknowledgement and not made & {"acknowledgement", "receipt", "refusal"}:
        due.append(("acknowledgement", content))
    last = next(((k, h) for k, h in reversed(previous) if k in status_kinds(rules)), None)
    if verdict.status == "complete":
        if not first and "receipt" not in made:
            due.append(("receipt", content))
        elif last is None or last[0] == "deficiency":
            due.append(("complete", content))
    elif last != ("deficiency", content):
        due.append(("deficiency", content))
    return due


def _asked(deficiencies: tuple[Deficiency, ...]) -> tuple[Deficiency, ...]:
    return tuple(d for d in deficiencies if d.code not in NOT_ASKED)


def _remarks(deficiencies: tuple[Deficiency, ...]) -> tuple[Deficiency, ...]:
    return tuple(d for d in _asked(deficiencies) if d.code not in BLOCKING_CODES)


# ---- dates --------------------------------------------------------------------------------------------


def add_working_days(start: date, days: int, holidays: Sequence[date] = ()) -> date:
    """The date `days` working days after `start` (Monday to Friday, holidays excluded; `start` not counted)."""
    off = set(holidays)
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in off:
            left -= 1
    return current


def vn_date(day: date) -> str:
    """"ngày 05 tháng 6 năm 2020" (Nghị định 30/2020: days below 10 and months 1-2 take a leading zero)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def vn_moment(moment: datetime) -> str:
    """"09 giờ 30 phút, ngày 15/6/2020"."""
    return f"{moment:%H} giờ {moment:%M} phút, ngày {short_date(moment.date())}"


def short_date(day: date) -> str:
    """"15/6/2020"."""
    return f"{day.day:02d}/{day.month}/{day.year}"


# ---- what a notice says -------------------------------------------------------------------------------


def notice_number(kind: str, sequence: int, rules: RuleSet) -> str:
    """Number and symbol of the `sequence`-th notice of a kind ("03/PYCBS-TĐC")."""
    symbol = FORMS[kind].symbol
    abbreviation = rules.agency.abbreviation
    return f"{sequence:02d}/{symbol}-{abbreviation}" if abbreviation else f"{sequence:02d}/{symbol}"


def build_notice(kind: str, *, number: str, receipt_no: str, register_no: int, contact: Contact,
                 received_at: datetime, verdict: Verdict, issued_at: datetime, rules: RuleSet,
                 folder: str = "", received: tuple[str, ...] = (),
                 replaces: tuple[str, date] | None = None, supplement: Supplement | None = None,
                 versions: Sequence[tuple[str, str, datetime]] = (), revised: Sequence[tuple[str, str]] = (),
                 replaced: Sequence[tuple[str, datetime, datetime]] = (),
                 withdraws: tuple[str, str, date] | None = None) -> Notice:
    """What a notice of this kind says about a dossier with this verdict (`folder`: the dossier's folder in the
    share, named where the notice tells the enterprise to put what it sends; `received`: every file of it now,
    a byte-identical copy under another name too, which the verdict counts once; `replaces`: the number and
    date of the request the enterprise was last given, which a new request replaces; `supplement`: the files a
    supplement acknowledges; `versions`: the dossier's current files (path, sha256, received at), which date Mẫu 01
    of a complete dossier; `revised`: (file, the corrected file the checks read instead) of the files set aside;
    `replaced`: the files a request tells were overwritten since the enterprise last heard (`overwritten`);
    `withdraws`: the notice that said the dossier complete (kind, number, date), which a new request replaces)."""
    tz = rules.campaign.deadline.tzinfo
    issued_at, received_at = issued_at.astimezone(tz), received_at.astimezone(tz)
    first_received_at = None
    if kind == "receipt" and verdict.status == "complete":
        in_full = received_in_full(received_at, verdict, versions).astimezone(tz)
        if in_full != received_at:
            first_received_at, received_at = received_at, in_full
    documents = tuple((c.id, verdict.documents[c.id]) for c in rules.components if c.id in verdict.documents)
    others = unplaced_pages(verdict.matches)
    files = tuple(sorted({m.file for m in verdict.matches} | {d.file for d in verdict.deficiencies if d.file}
                         | set(received), key=vietnamese_sort_key))
    deficiencies: tuple[Deficiency, ...] = ()
    if kind == "deficiency":
        deficiencies = _asked(verdict.deficiencies)
    elif kind == "complete" or (kind == "receipt" and verdict.status == "complete"):
        deficiencies = _remarks(verdict.deficiencies)
    elif kind == "receipt":
        deficiencies = tuple(d for d in verdict.deficiencies if d.code in BLOCKING_CODES)
    late_files: tuple[str, ...] = ()
    repeats: tuple[tuple[str, str], ...] = ()
    if kind == "supplement" and supplement is not None:
        files, received_at, late_files = supplement.files, supplement.received_at.astimezone(tz), supplement.late_files
        repeats, replaced = supplement.repeats, supplement.replaced
    elif kind != "deficiency":
        replaced = ()
    return Notice(
        kind=kind, number=number, receipt_no=receipt_no, register_no=register_no, contact=contact,
        received_at=received_at, issued_at=issued_at, late=verdict.late, documents=documents,
        other_files=others, deficiencies=deficiencies,
        supplement_by=supplement_by(issued_at, rules) if kind == "deficiency" else None,
        folder=folder, files=files, matches=verdict.matches, replaces=replaces if kind == "deficiency" else None,
        late_files=late_files, repeats=repeats, first_received_at=first_received_at,
        standing=supplement.standing if kind == "supplement" and supplement is not None else None,
        revised=tuple(revised), withdraws=withdraws if kind == "deficiency" else None,
        replaced=tuple((path, old.astimezone(tz), new.astimezone(tz)) for path, old, new in replaced),
    )


def received_in_full(first: datetime, verdict: Verdict, versions: Sequence[tuple[str, str, datetime]]) -> datetime:
    """When a complete dossier was received in full: the newest of the files its components were found in (or
    `first`, when it came whole). Nghị định 61/2018 Điều 19 receives a dossier, on Mẫu 01, once it is complete;
    a dossier completed by a supplement was received in full when that came (audit 27: Mẫu 01 gave the time of the
    first file, weeks before)."""
    counted = {m.file for m in verdict.matches if m.component is not None}
    return max([first, *(at for path, _, at in versions if path in counted)])


@dataclass(frozen=True)
class Supplement:
    """Files a dossier received since the enterprise was last told what arrived."""

    files: tuple[str, ...]
    """Their names, as the enterprise named them, in Vietnamese order."""
    received_at: datetime
    """When the first of them came."""
    late_files: tuple[str, ...] = ()
    """Those received after the deadline, which the dossier's verdict does not count."""
    standing: tuple[str, date] | None = None
    """The request to supplement still in force (number, date) when they change nothing it asks."""
    repeats: tuple[tuple[str, str], ...] = ()
    """(name, the name it first came under) of those whose bytes the dossier had received before."""
    replaced: tuple[tuple[str, datetime, datetime], ...] = ()
    """(name, when the version it replaced came, when it came) of those counted that overwrote another version."""


def plan_supplement(versions: Sequence[tuple[str, str, datetime]], previous: Sequence[dict], rules: RuleSet,
                    history: Sequence[tuple[str, str, datetime]] = ()) -> tuple[str, Supplement] | None:
    """(content hash, the files) of the supplement acknowledgement due for a dossier, given its current file
    versions (path, sha256, received at), every version it received (`history`, alike) and its notices so far
    (oldest first): the files received after the newest acknowledgement (of the dossier or of a supplement), when
    one was given; None when nothing new came or the rules acknowledge nothing."""
    if not rules.notices.acknowledgement:
        return None
    told = [datetime.fromisoformat(n["created_at"]) for n in previous
            if n["kind"] in ("acknowledgement", "supplement") and n["state"] != "superseded"]
    if not told:
        return None
    new = sorted((v for v in versions if v[2] > max(told)), key=lambda v: vietnamese_sort_key(v[0]))
    if not new:
        return None
    deadline = rules.campaign.deadline
    late = tuple(path for path, _, at in new if at > deadline and not rules.campaign.count_late_files)
    content = hashlib.sha256("\n".join(f"{path}\0{sha}" for path, sha, _ in new).encode()).hexdigest()
    # A whole dossier sent again beside one new file: the copies are named as such (audit 47: "8 tệp bổ sung").
    before = {sha: path for path, sha, at in sorted(versions, key=lambda v: v[2], reverse=True) if at <= max(told)}
    repeats = tuple((path, before[sha]) for path, sha, _ in new if sha in before)
    replaced = tuple(r for r in overwritten(new, history, max(told)) if r[0] not in late)
    return content, Supplement(tuple(path for path, _, _ in new), min(at for _, _, at in new), late, repeats=repeats,
                               replaced=replaced)


def overwritten(judged: Sequence[tuple[str, str, datetime]], history: Sequence[tuple[str, str, datetime]],
                since: datetime | None) -> tuple[tuple[str, datetime, datetime], ...]:
    """Of a dossier's files as judged (path, sha256, received at), those overwritten under the same name by other
    bytes after `since` (when the enterprise was last told where its dossier stood; None: never), given every
    version the dossier received (`history`): (path, when the version it replaced came, when it came). Audit 47: a
    self-assessment overwritten after Mẫu 01 by one without criterion 6 got a request that never said so."""
    if since is None:
        return ()
    found = []
    for path, sha, at in judged:
        before = [then for other, other_sha, then in history if other == path and other_sha != sha and then < at]
        if at > since and before:
            found.append((path, max(before), at))
    return tuple(sorted(found, key=lambda r: vietnamese_sort_key(r[0])))


def notice_rows(notice: Notice, rules: RuleSet) -> list[ActionRow]:
    """Mẫu 02's numbered rows for a notice: one per component that needs action."""
    return action_rows(notice.deficiencies, notice.documents, notice.matches, rules)


def where_to_put(notice: Notice, rules: RuleSet) -> str:
    """Where the enterprise puts what it sends: its folder in the share, named as it sees it."""
    folder, share = notice.folder, rules.notices.share
    if not folder:
        return rules.notices.supplement_how
    place = f"{share.rstrip(chr(92) + '/')}{chr(92)}{folder}" if share else folder
    return (f"Tài liệu bổ sung đặt vào thư mục «{place}» của tổ chức, doanh nghiệp trên thư mục dùng chung (không "
            "cần nộp lại tài liệu đã đầy đủ).")


def late_sentences(notice: Notice, rules: RuleSet) -> str:
    """What a late dossier's notices say plainly: when it arrived, after which deadline, and how it is treated."""
    if not notice.late:
        return ""
    return (f"Hồ sơ được tiếp nhận lúc {vn_moment(notice.received_at)}, sau thời hạn tiếp nhận hồ sơ "
            f"({deadline_text(rules)}). "
            + rules.notices.late_treatment)


def deficiency_rows(deficiencies: Sequence[Deficiency], rules: RuleSet) -> list[tuple[str, str]]:
    """Each deficiency as (what: component title or file, reason), the way Mẫu 02 lists them."""
    rows = []
    for d in deficiencies:
        title = rules.component(d.document).title if d.document else ""
        if d.file:
            prefix = f"Tệp «{d.file}»: "
            reason = d.message.removeprefix(prefix)
            rows.append((f"Tệp «{readable_label(d.file)}»", reason[:1].upper() + reason[1:]))
        elif d.code == "missing_document" and d.message == f"Thiếu thành phần hồ sơ: {title}.":
            rows.append((title, "Chưa có trong hồ sơ đã nộp; đề nghị bổ sung."))
        elif title and d.message.startswith(title + " "):
            reason = d.message[len(title) + 1:]  # "<title> chưa đề cập tiêu chí 4: …": the title is in column 2
            rows.append((title, reason[:1].upper() + reason[1:]))
        else:
            rows.append((title or "Hồ sơ", d.message))
    return rows


def deadline_text(rules: RuleSet) -> str:
    """The campaign deadline as printed ("23 giờ 59 phút, ngày 30/6/2020")."""
    return vn_moment(rules.campaign.deadline)


def email_text(notice: Notice, rules: RuleSet) -> tuple[str, str]:
    """Subject and plain-text body of the e-mail that carries a notice (the DOCX is attached)."""
    form = FORMS[notice.kind]
    agency = rules.agency
    subject = f"[{notice.receipt_no}] {form.name} - {rules.campaign.title}" if notice.receipt_no else \
        f"{form.name} - {rules.campaign.title}"
    about = f" (mã hồ sơ {notice.receipt_no})" if notice.receipt_no else ""
    lines = [
        f"Kính gửi: {notice.contact.enterprise}",
        "",
        f"{agency.name} - {agency.parent} gửi Quý đơn vị {form.name[:1].lower()}{form.name[1:]} "
        f"số {notice.number} đối với hồ sơ tham dự {rules.campaign.title}{about}. "
        "Văn bản được đính kèm thư này (tệp Word).",
        "",
    ]
    lines += EMAIL_SUMMARY[notice.kind](notice, rules)
    lines += [
        "",
        f"Mọi thắc mắc xin liên hệ: {agency.contact}.",
        "",
        "Trân trọng.",
        agency.name,
        ", ".join(x for x in (agency.address, f"điện thoại {agency.phone}" if agency.phone else "") if x),
        "",
        "-- ",
        "Thư được gửi tự động từ hệ thống tiếp nhận hồ sơ; có thể trả lời thư này để trao đổi với cán bộ tiếp nhận.",
    ]
    return subject, "\n".join(line for line in lines if line is not None)


def _acknowledgement_summary(notice: Notice, rules: RuleSet) -> list[str]:
    files = notice.files
    lines = [f"Cơ quan tiếp nhận đã nhận hồ sơ của Quý đơn vị lúc {vn_moment(notice.received_at)}, gồm "
             f"{len(files)} tệp:"]
    lines += [f"- {_named(notice, name)}" for name in files]
    lines.append("Kết quả kiểm tra thành phần hồ sơ sẽ được thông báo: Giấy tiếp nhận hồ sơ và hẹn trả kết quả khi "
                 "hồ sơ đầy đủ, hoặc Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.")
    if notice.late:
        lines.append("Lưu ý: " + late_sentences(notice, rules))
    return lines


def _supplement_summary(notice: Notice, rules: RuleSet) -> list[str]:
    lines = [f"Cơ quan tiếp nhận đã nhận hồ sơ bổ sung của Quý đơn vị lúc {vn_moment(notice.received_at)}, gồm "
             f"{len(notice.files)} tệp:"]
    lines += [f"- {_named(notice, name)}" for name in notice.files]
    if notice.late_files:
        lines.append(_late_files_sentence(notice, rules))
    if notice.repeats:
        lines.append(_repeats_sentence(notice))
    if notice.replaced:
        lines.append(replaced_sentence(notice))
    lines.append(_supplement_next(notice))
    return lines


def _named(notice: Notice, name: str) -> str:
    """A received file as listed: a copy of one received before, a file a corrected one replaces or the corrected
    one (when the file it replaces is not listed beside it), a new version of one overwritten, each says so."""
    notes = []
    if (first := dict(notice.repeats).get(name)) is not None:
        notes.append(f"trùng nội dung tệp «{first}» đã nhận trước đó")
    notes += _revision_notes(notice, name, listed=notice.files)
    for path, old, new in notice.replaced:
        if path == name:
            notes.append(f"bản mới, thay bản cùng tên nhận {_day(old, new)}")
    return f"{name} ({'; '.join(notes)})" if notes else name


def _revision_notes(notice: Notice, name: str, *, listed: Sequence[str]) -> list[str]:
    """What a list says beside a file a corrected one replaces, or beside the corrected one when the file it
    replaces is not in the list (audit 47: the original and its corrected copy listed side by side, with no word of
    which counts)."""
    notes = [f"được thay bằng bản sửa «{new}»; chỉ xét bản sửa" for old, new in notice.revised if old == name][:1]
    olds = [old for old, new in notice.revised if new == name and old not in listed]
    if olds:
        notes.append(f"bản sửa, thay cho tệp {', '.join(f'«{old}»' for old in olds)} đã nhận trước đó; chỉ xét bản sửa")
    return notes


def _revised_sentences(notice: Notice) -> list[str]:
    return [f"Tệp «{old}» được thay bằng bản sửa «{new}»; chỉ xét bản sửa." for old, new in notice.revised]


def _day(moment: datetime, other: datetime) -> str:
    """"ngày 15/6/2020"; with the time ("lúc 09 giờ 30 phút, ngày 15/6/2020") when `other` is the same day."""
    return f"lúc {vn_moment(moment)}" if moment.date() == other.date() else f"ngày {short_date(moment.date())}"


def replaced_sentence(notice: Notice) -> str:
    """Which files were overwritten under their own name, when, and that the dossier is judged on the new versions
    (audit 47: the request that followed never said why the dossier had changed)."""
    if len(notice.replaced) == 1:
        ((path, old, new),) = notice.replaced
        return (f"Tệp «{path}» nhận {_day(old, new)} đã được thay bằng bản mới cùng tên, có nội dung khác, nhận "
                f"{_day(new, old)}; hồ sơ được xét lại theo bản mới (bản cũ không còn được xét).")
    files = "; ".join(f"«{path}» (nhận {_day(old, new)}, thay {_day(new, old)})" for path, old, new in notice.replaced)
    return (f"Các tệp sau đã được thay bằng bản mới cùng tên, có nội dung khác: {files}. Hồ sơ được xét lại theo các "
            "bản mới (bản cũ không còn được xét).")


def withdraws_sentence(notice: Notice) -> str:
    """A request after a notice that said the dossier complete: that notice no longer stands (audit 47)."""
    if notice.withdraws is None:
        return ""
    kind, number, day = notice.withdraws
    return (f"{FORMS[kind].name} số {number} ngày {short_date(day)} đã xác nhận hồ sơ đầy đủ; nay hồ sơ được xét lại "
            "và chưa đầy đủ, nên văn bản đó không còn giá trị và được thay thế bằng Phiếu này.")


def _repeats_sentence(notice: Notice) -> str:
    count = len(notice.repeats)
    return (f"{count} tệp trùng nội dung với tệp đã nhận trước đó, không có nội dung mới." if count < len(notice.files)
            else "Các tệp này trùng nội dung với tệp đã nhận trước đó, không có nội dung mới.")


def _supplement_next(notice: Notice) -> str:
    """What follows a supplement: its dossier judged again with it, or, when every file of it came after the
    deadline, nothing (audit 43: the receipt said the late files were not considered, then promised a result)."""
    if notice.files and set(notice.late_files) >= set(notice.files):
        return _SUPPLEMENT_LATE
    if notice.standing is not None:
        # Judged already, with nothing it asks changed: said now, not promised (audit 43: no answer came).
        number, day = notice.standing
        return (f"Các tệp này không làm thay đổi nội dung cần bổ sung, hoàn thiện hồ sơ: {FORMS['deficiency'].name} "
                f"số {number} ngày {short_date(day)} vẫn giữ nguyên.")
    return _SUPPLEMENT_NEXT


_SUPPLEMENT_LATE = "Hồ sơ được xem xét theo các tài liệu đã nhận đến hết thời hạn tiếp nhận hồ sơ."
_SUPPLEMENT_NEXT = ("Hồ sơ được kiểm tra lại cùng các tệp này; kết quả được thông báo bằng Giấy tiếp nhận hồ sơ và hẹn "
                    "trả kết quả (hồ sơ đầy đủ) hoặc Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (nội dung còn thiếu).")


def _late_files_sentence(notice: Notice, rules: RuleSet) -> str:
    return (f"Các tệp sau được nhận sau thời hạn tiếp nhận hồ sơ ({deadline_text(rules)}) nên không được xét: "
            + ", ".join(f"«{name}»" for name in notice.late_files) + ".")


def _receipt_summary(notice: Notice, rules: RuleSet) -> list[str]:
    lines = [f"Hồ sơ đã được tiếp nhận lúc {vn_moment(notice.received_at)}, gồm {len(notice.documents)} "
             "thành phần hồ sơ được liệt kê trong giấy tiếp nhận."]
    lines += _revised_sentences(notice)
    if notice.late:
        lines.append("Lưu ý: " + late_sentences(notice, rules))
    if any(d.code in BLOCKING_CODES for d in notice.deficiencies):
        lines.append("Hồ sơ chưa đầy đủ: nội dung cần bổ sung, hoàn thiện được gửi trong Phiếu yêu cầu bổ sung, "
                     "hoàn thiện hồ sơ.")
    return lines


def _action_lines(notice: Notice, rules: RuleSet, *, received: bool) -> list[str]:
    """Mẫu 02's rows as lines of an e-mail (the request and the reminders word them alike)."""
    lines = []
    for i, row in enumerate(notice_rows(notice, rules), start=1):
        lines.append(f"{i}. {row.component}" + (f" - đã nhận: {row.received}" if received else ""))
        lines += [f"   {problem}" for problem in row.problems]
        lines.append(f"   Đề nghị: {row.send}")
    return lines


def replaces_sentence(notice: Notice) -> str:
    """"Phiếu này thay thế …": a request says which earlier one it replaces (audit 13: an enterprise holding two
    requests did not know which to act on)."""
    if notice.replaces is None:
        return ""
    number, day = notice.replaces
    return f"Phiếu này thay thế {FORMS['deficiency'].name} số {number} ngày {short_date(day)}."


def _deficiency_summary(notice: Notice, rules: RuleSet) -> list[str]:
    assert notice.supplement_by is not None
    lines = [replaced_sentence(notice)] if notice.replaced else []
    lines += [withdraws_sentence(notice)] if notice.withdraws else []
    lines += [replaces_sentence(notice)] if notice.replaces else []
    lines += [f"Đề nghị Quý đơn vị bổ sung, hoàn thiện hồ sơ chậm nhất {vn_date(notice.supplement_by)} "
             "với những nội dung sau:"]
    lines += _action_lines(notice, rules, received=True)
    lines.append(where_to_put(notice, rules))
    if notice.late:
        lines.append("Lưu ý: " + late_sentences(notice, rules))
    return lines


def _complete_summary(notice: Notice, rules: RuleSet) -> list[str]:
    lines = [rules.notices.complete_text] + (["Lưu ý: " + late_sentences(notice, rules)] if notice.late else [])
    if notice.deficiencies:
        lines.append("Lưu ý:")
        lines += [f"- {what}: {reason}" for what, reason in deficiency_rows(notice.deficiencies, rules)]
    return lines


def _refusal_summary(notice: Notice, rules: RuleSet) -> list[str]:
    return ["Hồ sơ không được tiếp nhận, giải quyết với lý do: "
            + rules.notices.refusal_reason.format(deadline=deadline_text(rules))]


def _reminder_summary(notice: Notice, rules: RuleSet) -> list[str]:
    assert notice.reminder is not None
    lines = [_days_left_sentence(notice, rules)]
    if notice.reminder.submitted:
        lines.append("Hồ sơ của Quý đơn vị còn thiếu hoặc chưa hoàn thiện những nội dung sau:")
        lines += _action_lines(notice, rules, received=False)
        lines.append(rules.notices.supplement_how)
    else:
        lines.append("Đến nay cơ quan tiếp nhận chưa nhận được hồ sơ tham dự của Quý đơn vị; thành phần hồ sơ "
                     "được nêu trong thông báo đính kèm.")
        if notice.reminder.folder:
            lines.append(f"Hồ sơ được nộp vào thư mục «{notice.reminder.folder}» trên thư mục dùng chung.")
    lines.append(_late_sentence(rules))
    return lines


EMAIL_SUMMARY: dict[str, Callable[[Notice, RuleSet], list[str]]] = {
    "acknowledgement": _acknowledgement_summary, "supplement": _supplement_summary, "receipt": _receipt_summary,
    "deficiency": _deficiency_summary, "complete": _complete_summary, "refusal": _refusal_summary,
    "reminder": _reminder_summary,
}


# ---- how it looks: WordprocessingML ---------------------------------------------------------------------
# python-docx opens the template and saves the notice. Paragraphs, runs and tables are written here as lxml
# elements in the order the schema has them (CT_PPr, CT_RPr, CT_TblPr): python-docx's property setters search an
# element's children for the place of each property on every call, which was ~70% of a notice's CPU. A paragraph
# or run is a copy of a prototype made once per format; text is only ever element text (lxml escapes it), never
# spliced into XML, whatever an enterprise or a file is called.

Element = etree._Element
"""A WordprocessingML element: the notice's body, a table cell, a paragraph, a run."""

P, PPR, KEEP_NEXT = qn("w:p"), qn("w:pPr"), qn("w:keepNext")
CANT_SPLIT, TBL_HEADER = "w:cantSplit", "w:tblHeader"
"""Table row flags: a row never cut across two pages; a heading row repeated on each page the table spans."""
BREAKS = re.compile(r"([\t\r\n])")
"""Characters a run holds as elements rather than text, as python-docx's `Run.text` writes them."""


def _child(parent: Element, tag: str, **attributes: str) -> Element:
    """A new last child `tag` ("w:jc") of `parent`, with these w: attributes."""
    return etree.SubElement(parent, qn(tag), {qn(f"w:{name}"): value for name, value in attributes.items()})


def _twips(length: Length) -> str:
    """A length as WordprocessingML writes it (twentieths of a point), rounded as python-docx rounds it."""
    return str(length.twips)


def _spacing(properties: Element, before: float, after: float, line: float | Length) -> None:
    """Space before and after (pt); line spacing in lines (a float) or exact (a Length), as python-docx writes it."""
    if isinstance(line, Length):
        height, rule = line, "exact"
    else:
        height, rule = Emu(int(line * Twips(240))), "auto"
    _child(properties, "w:spacing", before=_twips(Pt(before)), after=_twips(Pt(after)), line=_twips(height),
           lineRule=rule)


@functools.cache
def _paragraph_prototype(align: WD_ALIGN_PARAGRAPH, before: float, after: float, line: float, first_line: float,
                         keep: bool) -> Element:
    """An empty paragraph with this format (spacing in pt, line spacing in lines, first-line indent in mm)."""
    paragraph = OxmlElement("w:p")
    properties = _child(paragraph, "w:pPr")
    if keep:
        _child(properties, "w:keepNext")
    _spacing(properties, before, after, line)
    if first_line:
        _child(properties, "w:ind", firstLine=_twips(Mm(first_line)))
    _child(properties, "w:jc", val=str(align.xml_value))
    return paragraph


@functools.cache
def _rule_prototype(side: float, before: float) -> Element:
    """An empty paragraph drawing a solid line (its bottom border) between indents of `side` mm."""
    paragraph = OxmlElement("w:p")
    properties = _child(paragraph, "w:pPr")
    _child(_child(properties, "w:pBdr"), "w:bottom", val="single", sz="6", space="1", color="000000")
    _spacing(properties, before, 4, Pt(2))
    _child(properties, "w:ind", left=_twips(Mm(side)), right=_twips(Mm(side)))
    return paragraph


@functools.cache
def _run_prototype(size: float, bold: bool, italic: bool) -> Element:
    """An empty run in Times New Roman for every script, at `size` pt; bold and italic only when set (unset is
    regular type: no element written for it)."""
    run = OxmlElement("w:r")
    properties = _child(run, "w:rPr")
    _child(properties, "w:rFonts", ascii=FONT, hAnsi=FONT, eastAsia=FONT, cs=FONT)
    if bold:
        _child(properties, "w:b")
    if italic:
        _child(properties, "w:i")
    _child(properties, "w:sz", val=str(int(Pt(size).pt * 2)))  # half-points
    return run


def _append(container: Element, prototype: Element) -> Element:
    """A copy of `prototype` as the last child of `container`: a few µs, where python-docx's setters took tens of
    times that to set the same properties again."""
    element = copy.deepcopy(prototype)
    container.append(element)
    return element


def _text(run: Element, text: str) -> None:
    """`text` into a run as python-docx's `Run.text` writes it: tabs as `w:tab`, line breaks as `w:br`, the rest as
    `w:t`, whose spaces at either end are kept (`xml:space="preserve"`); a character XML cannot hold (a control
    character in a name read from a PDF) as a space, where lxml would refuse the whole notice."""
    for piece in BREAKS.split(xml_text(text)):
        if piece == "\t":
            _child(run, "w:tab")
        elif piece in ("\r", "\n"):
            _child(run, "w:br")
        elif piece:
            element = _child(run, "w:t")
            element.text = piece
            if piece != piece.strip():
                element.set(qn("xml:space"), "preserve")


def _run(paragraph: Element, text: str, *, size: float, bold: bool = False, italic: bool = False) -> Element:
    run = _append(paragraph, _run_prototype(size, bold, italic))
    _text(run, text)
    return run


def _paragraph(container: Element, *, align: WD_ALIGN_PARAGRAPH, before: float, after: float, line: float,
               first_line: float = 0, keep: bool = False) -> Element:
    return _append(container, _paragraph_prototype(align, before, after, line, first_line, keep))


def _para(container: Element, text: str = "", *, size: float, align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
          bold: bool = False, italic: bool = False, before: float = 0, after: float = 3,
          first_line: float = 0, keep: bool = False) -> Element:
    # A5 forms (10.5 pt) single-spaced, to fit one page.
    paragraph = _paragraph(container, align=align, before=before, after=after, line=1.0 if size < 11.5 else 1.08,
                           first_line=first_line, keep=keep)
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _keep_with_next(paragraph: Element) -> None:
    """Keep a paragraph on the page of the next one (`w:keepNext` leads CT_PPr but for a style, never set here)."""
    properties = paragraph.find(PPR)
    if properties is not None and properties.find(KEEP_NEXT) is None:
        properties.insert(0, OxmlElement("w:keepNext"))


def _labelled(container: Element, label: str, value: str, *, size: float, after: float = 2) -> Element:
    """"Label: value" with the label in regular type, as the forms print them."""
    paragraph = _para(container, size=size, after=after)
    _run(paragraph, f"{label}: ", size=size)
    _run(paragraph, value or "……………………", size=size)
    return paragraph


def _rule(container: Element, width: float, column: float, *, before: float = 0) -> None:
    """A short solid line centred in a column (under the agency name, the tiêu ngữ, a letter's title)."""
    paragraph = _append(container, _rule_prototype(max(0.0, (column - width) / 2), before))
    _run(paragraph, "", size=2)


def _table(body: Element, widths: Sequence[float], *, ruled: bool) -> Element:
    """An empty centred table of fixed column widths (mm): ruled ("Table Grid", 1.2 mm cell margins) for lists,
    borderless with 0.5 mm margins for the header and signature layouts."""
    table = _child(body, "w:tbl")
    properties = _child(table, "w:tblPr")
    if ruled:
        _child(properties, "w:tblStyle", val="TableGrid")
    _child(properties, "w:tblW", type="auto", w="0")
    _child(properties, "w:jc", val="center")
    if not ruled:
        borders = _child(properties, "w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            _child(borders, f"w:{edge}", val="nil")
    _child(properties, "w:tblLayout", type="fixed")
    margins = _child(properties, "w:tblCellMar")
    for edge in ("left", "right"):
        _child(margins, f"w:{edge}", w=_twips(Mm(1.2 if ruled else 0.5)), type="dxa")
    _child(properties, "w:tblLook", val="04A0", firstRow="1", lastRow="0", firstColumn="1", lastColumn="0",
           noHBand="0", noVBand="1")
    columns = _child(table, "w:tblGrid")
    for width in widths:
        _child(columns, "w:gridCol", w=_twips(Mm(width)))
    return table


def _row(table: Element, widths: Sequence[float], *flags: str) -> list[Element]:
    """A new row's cells, each holding the empty paragraph a cell must end with."""
    row = _child(table, "w:tr")
    if flags:
        properties = _child(row, "w:trPr")
        for flag in flags:
            _child(properties, flag)
    cells = []
    for width in widths:
        cell = _child(row, "w:tc")
        _child(_child(cell, "w:tcPr"), "w:tcW", w=_twips(Mm(width)), type="dxa")
        _child(cell, "w:p")
        cells.append(cell)
    return cells


def _cell_text(cell: Element, text: str, *, size: float, bold: bool = False, italic: bool = False,
               align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER, after: float = 0) -> Element:
    """Write into a cell: in place of the empty paragraph a new cell holds, else in a new one."""
    last = cell[-1]
    if last.tag == P and len(last) == 0:
        cell.remove(last)
    paragraph = _paragraph(cell, align=align, before=0, after=after, line=1.0)
    _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _header(body: Element, notice: Notice, rules: RuleSet, paper: Paper) -> None:
    """Agency top left, quốc hiệu and tiêu ngữ top right; the number under the agency, place and date under
    the tiêu ngữ (Nghị định 30/2020, Phụ lục I)."""
    left_w, right_w = paper.header
    table = _table(body, paper.header, ruled=False)
    left, right = _row(table, paper.header)
    if rules.agency.parent:
        _cell_text(left, rules.agency.parent, size=paper.small)
    _cell_text(left, rules.agency.name, size=paper.small, bold=True)
    _rule(left, left_w / 3, left_w)
    _cell_text(right, QUOC_HIEU, size=paper.small, bold=True)
    _cell_text(right, TIEU_NGU, size=paper.small + 1, bold=True)
    tieu_ngu_mm = len(TIEU_NGU) * (paper.small + 1) * 0.165  # about the printed width of the line
    _rule(right, tieu_ngu_mm, right_w)
    number_cell, date_cell = _row(table, paper.header)
    _cell_text(number_cell, f"Số: {notice.number}", size=paper.small + 0.5)
    _cell_text(date_cell, f"{rules.agency.place}, {vn_date(notice.issued_at.date())}", size=paper.small + 0.5,
               italic=True)


def _title(body: Element, title: str, paper: Paper, *, subtitle: str = "") -> None:
    _para(body, title, size=paper.body + 1, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
          before=5 if paper is A5 else 12,
          after=0 if subtitle else 6, keep=True)
    if subtitle:
        _para(body, subtitle, size=paper.body, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0, keep=True)
        _rule(body, 30, paper.text_width, before=3)


def _grid(body: Element, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
          paper: Paper) -> Element:
    table = _table(body, widths, ruled=True)
    for cell, heading in zip(_row(table, widths, TBL_HEADER), headings):
        _cell_text(cell, heading, size=paper.small, bold=True, after=1)
    for values in rows:
        for i, (cell, value) in enumerate(zip(_row(table, widths, CANT_SPLIT), values)):
            _cell_text(cell, value, size=paper.small, after=1,
                       align=WD_ALIGN_PARAGRAPH.CENTER if i == 0 else WD_ALIGN_PARAGRAPH.LEFT)
    return table


def _signature(body: Element, paper: Paper, lines: Sequence[str], note: str, name: str,
               copies_to: Sequence[str] = (), submitter: str = "") -> None:
    """Signer block on the right; "Nơi nhận" on the left when the document is a letter. Printed whole and on the
    same page as the paragraph before it: that paragraph and the spacer keep with next, the block is one table
    row that cannot break, and its lines keep with each other ("KT. CHI CỤC TRƯỞNG" never leaves "PHÓ CHI CỤC
    TRƯỞNG")."""
    paragraphs = body.findall(P)
    if paragraphs:
        _keep_with_next(paragraphs[-1])
    _para(body, size=paper.small, after=2, keep=True)
    widths = (paper.text_width * 0.45, paper.text_width * 0.55)
    left, right = _row(_table(body, widths, ruled=False), widths, CANT_SPLIT)
    if submitter:
        # Mẫu 01's left column: who handed the dossier in (here: how, for a dossier put in the shared folder).
        _cell_text(left, "NGƯỜI NỘP HỒ SƠ", size=paper.small + 0.5, bold=True)
        _cell_text(left, "(Ký và ghi rõ họ tên)", size=paper.small, italic=True)
        _cell_text(left, submitter, size=paper.small - 1, italic=True)
    if copies_to:
        _cell_text(left, "Nơi nhận:", size=paper.small - 1, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        for line in copies_to:
            _cell_text(left, f"- {line}", size=paper.small - 2, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in lines:
        _cell_text(right, line, size=paper.small + 0.5, bold=True)
    if note:
        _cell_text(right, note, size=paper.small, italic=True)
    for _ in range(2 if paper is A5 else 4):
        _cell_text(right, " ", size=paper.small)
    _cell_text(right, name or " ", size=paper.small + 0.5, bold=True)
    for cell in (left, right):
        for paragraph in cell.findall(P)[:-1]:
            _keep_with_next(paragraph)


TEMPLATE_STYLES = frozenset({"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid"})
"""Style ids a notice uses (and those Word expects to find): the template keeps these only."""


def _page_numbers(section, paper: Paper) -> None:
    """Nghị định 30/2020 (Phụ lục I): the page number in Arabic numerals, centred in the top margin, from the
    second page on; page 1 has an empty header of its own. A field (PAGE), so Word and LibreOffice count."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple", {qn("w:instr"): " PAGE "})
    run = copy.deepcopy(_run_prototype(paper.small, False, False))  # the prototype is shared: never write in it
    _text(run, "2")  # what a reader that does not compute fields shows; Word and LibreOffice replace it
    field.append(run)
    paragraph._p.append(field)


def _template(paper: Paper) -> bytes:
    """python-docx's default document without what notices never use: its 800 KB of styles (latent styles, Word
    2010's `stylesWithEffects` copy, ~260 built-in styles) and thumbnail. Reading and zipping those styles again
    was ~30 ms of every notice's ~50; a notice looks the same (its styles and the document defaults are kept).
    The paper's page and type are set here too, once per paper (`_package` keeps the result) rather than
    once per notice."""
    document = Document()
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel_id)
    package_rels = document.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rel_id)
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in TEMPLATE_STYLES:
            styles.remove(style)
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(paper.width), Mm(paper.height)
    top, bottom, left, right = paper.margins
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance = section.footer_distance = Mm(8)
    _page_numbers(section, paper)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(paper.body)
    r_pr = style.element.get_or_add_rPr()
    r_pr.rFonts.set(qn("w:eastAsia"), FONT)
    r_pr.rFonts.set(qn("w:cs"), FONT)
    r_pr.append(OxmlElement("w:lang", {qn("w:val"): "vi-VN"}))
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class _Package:
    """A paper's template as its parts, read once: a notice writes its own document and core-properties parts and
    copies the others as they are. Opening the template and saving the notice through python-docx's package
    classes (content types, relationships, every part parsed and serialised again) was ~4 of a notice's ~5.5 ms CPU."""

    parts: tuple[tuple[str, bytes], ...]
    """Every part of the package, in the order python-docx wrote them (`[Content_Types].xml` first)."""
    document: bytes
    core: bytes


DOCUMENT_PART, CORE_PART = "word/document.xml", "docProps/core.xml"


@functools.cache
def _package(paper: Paper) -> _Package:
    with zipfile.ZipFile(BytesIO(_template(paper))) as template:
        parts = tuple((name, template.read(name)) for name in template.namelist())
    blobs = dict(parts)
    return _Package(parts, blobs[DOCUMENT_PART], blobs[CORE_PART])


def _core_properties(notice: Notice, rules: RuleSet, template: bytes) -> bytes:
    """The notice's core properties (title, author, dates: what Word shows under File > Info)."""
    element = parse_xml(template)
    properties = CoreProperties(element)
    properties.title = f"{FORMS[notice.kind].name} - {notice.receipt_no}"
    properties.author = rules.agency.name
    properties.subject = rules.campaign.title
    properties.language = "vi-VN"
    # OOXML writes these dates in UTC ("…Z"): the local time as it is would read 7 hours late in Word (a request
    # made at 23:30 on 30/6 shown as made on 1/7).
    properties.created = properties.modified = notice.issued_at.astimezone(timezone.utc).replace(tzinfo=None)
    properties.last_modified_by = rules.agency.name
    properties.comments = ""  # the template's "generated by python-docx"
    properties.revision = 1
    return serialize_part_xml(element)


def _procedure(rules: RuleSet) -> str:
    code = f" (mã thủ tục {rules.campaign.procedure_code})" if rules.campaign.procedure_code else ""
    return f"{rules.campaign.procedure}{code} - {rules.campaign.title}"


def _applicant(body: Element, notice: Notice, paper: Paper, label: str) -> None:
    c = notice.contact
    _labelled(body, label, c.enterprise, size=paper.body)
    _labelled(body, "Địa chỉ", c.address, size=paper.body)
    paragraph = _para(body, size=paper.body, after=2)
    _run(paragraph, f"Số điện thoại: {c.phone or '……………'}; Email: {c.email or '……………'}", size=paper.body)
    if notice.kind in ("receipt", "acknowledgement") and isinstance(c, Identity):  # where the notices will be e-mailed (issue 18)
        _para(body, delivery_line(c), size=paper.body, after=2)


def _late_note(body: Element, notice: Notice, rules: RuleSet, size: float) -> None:
    if notice.late:
        paragraph = _para(body, size=size, after=2)
        _run(paragraph, "Lưu ý: ", size=size, bold=True, italic=True)
        _run(paragraph, late_sentences(notice, rules), size=size, italic=True)


def _files_received(body: Element, notice: Notice, rules: RuleSet, paper: Paper, *, supplement: bool) -> None:
    """Proof that files arrived, and when: every file of a new dossier (the acknowledgement), or those a dossier
    received since its last acknowledgement (a supplement: those after the deadline named as not counted)."""
    size, more = paper.body, " bổ sung" if supplement else ""
    _para(body, f"Mã hồ sơ: {notice.receipt_no}", size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=4)
    _applicant(body, notice, paper, f"Đã nhận hồ sơ{more} của")
    _labelled(body, "Nội dung yêu cầu giải quyết", _procedure(rules), size=size)
    paragraph = _para(body, size=size, after=2)
    _run(paragraph, f"Thời gian nhận hồ sơ{more}: ", size=size)
    _run(paragraph, vn_moment(notice.received_at), size=size, bold=True)
    _para(body, f"Các tệp{more} đã nhận ({len(notice.files)} tệp):", size=size, after=2, keep=True)
    width = paper.text_width
    _grid(body, ("TT", "Tên tệp"), [(str(i), _named(notice, name)) for i, name in enumerate(notice.files, start=1)],
          (9, width - 9), paper)
    if notice.late_files:
        _para(body, _late_files_sentence(notice, rules), size=size, italic=True, before=3, after=1)
    if notice.repeats:
        _para(body, _repeats_sentence(notice), size=size, italic=True, before=3, after=1)
    if notice.replaced:
        _para(body, replaced_sentence(notice), size=size, italic=True, before=3, after=1)
    _para(body, "Giấy này xác nhận thời gian nhận các tệp nêu trên, chưa phải kết quả kiểm tra hồ sơ" + (
          ". " + _supplement_next(notice) if supplement else "; kết quả được thông báo bằng Giấy tiếp nhận hồ sơ và "
          "hẹn trả kết quả (hồ sơ đầy đủ) hoặc Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."), size=size, before=3, after=1)
    if not supplement:
        _late_note(body, notice, rules, size)
    _signature(body, paper, ("NGƯỜI TIẾP NHẬN HỒ SƠ",), "(Ký và ghi rõ họ tên)", rules.notices.officer)


def _receipt(body: Element, notice: Notice, rules: RuleSet, paper: Paper) -> None:
    size = paper.body
    _para(body, f"Mã hồ sơ: {notice.receipt_no}", size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=1)
    _para(body, "(Liên: Lưu/giao tổ chức, doanh nghiệp)", size=paper.small, italic=True,
          align=WD_ALIGN_PARAGRAPH.CENTER, after=4)  # Mẫu 01 is made in two copies (audit 43)
    _applicant(body, notice, paper, "Tiếp nhận hồ sơ của")
    _labelled(body, "Nội dung yêu cầu giải quyết", _procedure(rules), size=size, after=3)
    _para(body, "1. Thành phần hồ sơ nộp gồm:", size=size, after=2, keep=True)
    # Short names: the eight full titles alone would push an A5 form onto a second page.
    rows = [(str(i), short_name(cid, rules), "; ".join(_label_named(notice, label) for label in labels))
            for i, (cid, labels) in enumerate(notice.documents, start=1)]
    width = paper.text_width
    _grid(body, ("TT", "Tên thành phần hồ sơ", "Tệp đã nộp"), rows, (9, width * 0.47, width * 0.53 - 9), paper)
    if notice.other_files:
        _para(body, "Tệp khác đã nhận (không phải thành phần hồ sơ): "
              + "; ".join(notice.other_files) + ".",
              size=paper.small, italic=True, before=2)
    _para(body, "2. Số lượng hồ sơ: 01 (bộ).", size=size, before=1, after=1)
    first = (f" (hồ sơ đầy đủ; nộp lần đầu lúc {vn_moment(notice.first_received_at)})"
             if notice.first_received_at else "")
    _para(body, f"3. Thời gian nhận hồ sơ: {vn_moment(notice.received_at)}{first}.", size=size, after=1)
    due = result_due(rules)
    _para(body, "4. Thời gian trả kết quả giải quyết hồ sơ: "
          + (f"chậm nhất {vn_date(due)}." if due else "theo thông báo của Hội đồng."), size=size, after=1)
    _para(body, f"5. Hình thức nhận kết quả: {rules.notices.result_method}.", size=size, after=1)
    if rules.notices.register_book:
        _para(body, f"Vào Sổ theo dõi hồ sơ, Quyển số: {rules.notices.register_book}, "
              f"Số thứ tự: {notice.register_no}.", size=size, after=2)
    _late_note(body, notice, rules, size)
    if any(d.code in BLOCKING_CODES for d in notice.deficiencies):
        _para(body, "Hồ sơ chưa đầy đủ; nội dung cần bổ sung, hoàn thiện được nêu tại Phiếu yêu cầu bổ sung, "
              "hoàn thiện hồ sơ gửi kèm.", size=size, italic=True, after=2)
    _signature(body, paper, ("NGƯỜI TIẾP NHẬN HỒ SƠ",), "(Ký và ghi rõ họ tên)", rules.notices.officer,
               submitter="(nộp qua thư mục dùng chung)")


def _label_named(notice: Notice, label: str) -> str:
    """A file (page range) on Mẫu 01: one a corrected file replaces says so."""
    notes = _revision_notes(notice, split_label(label)[0], listed=[split_label(x)[0] for _, xs in notice.documents
                                                                  for x in xs])
    return readable_label(label) + (f" ({'; '.join(notes)})" if notes else "")


def _deficiency(body: Element, notice: Notice, rules: RuleSet, paper: Paper) -> None:
    """Mẫu 02: one numbered row per component to act on (received, what is wrong, what to send), then the date to
    supplement by, where to put the files and whom to call."""
    size = paper.body
    assert notice.supplement_by is not None
    _para(body, f"Mã hồ sơ: {notice.receipt_no}", size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=4)
    _applicant(body, notice, paper, "Hồ sơ của")
    _labelled(body, "Nội dung yêu cầu giải quyết", _procedure(rules), size=size)
    _labelled(body, "Thời gian tiếp nhận hồ sơ", vn_moment(notice.received_at), size=size, after=3)
    for sentence in (replaced_sentence(notice) if notice.replaced else "", withdraws_sentence(notice),
                     replaces_sentence(notice)):
        if sentence:
            _para(body, sentence, size=size, italic=True, after=3)
    _para(body, "Yêu cầu tổ chức, doanh nghiệp bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", size=size,
          after=2, keep=True)
    _action_grid(body, notice, rules, paper, received=True)
    capped = notice.supplement_by < supplement_by_uncapped(notice, rules)
    paragraph = _para(body, size=size, before=3, after=1)
    _run(paragraph, "Thời hạn bổ sung, hoàn thiện hồ sơ: ", size=size)
    _run(paragraph, f"chậm nhất {vn_date(notice.supplement_by)}", size=size, bold=True)
    _run(paragraph, " (hạn cuối tiếp nhận hồ sơ)." if capped else
         f" ({rules.notices.supplement_working_days:02d} ngày làm việc kể từ ngày ban hành phiếu này).", size=size)
    _para(body, where_to_put(notice, rules), size=size, after=1)
    _late_note(body, notice, rules, size)
    _para(body, f"Nếu có vướng mắc, đề nghị liên hệ {rules.agency.contact} để được hướng dẫn.", size=size,
          after=2)
    _signature(body, paper, ("NGƯỜI HƯỚNG DẪN",), "(Ký và ghi rõ họ tên)", rules.notices.officer)


def _action_grid(body: Element, notice: Notice, rules: RuleSet, paper: Paper, *, received: bool) -> None:
    """Mẫu 02's table: a numbered row per component to act on (what was received, when `received`), what is wrong
    and what to send; the reminders give the same rows, without what was received."""
    width = paper.text_width
    if received:
        widths: tuple[float, ...] = (9, width * 0.25, width * 0.26, width * 0.49 - 9)
        headings: tuple[str, ...] = ("TT", "Thành phần hồ sơ", "Đã nhận", "Lý do, nội dung cần bổ sung")
    else:
        widths = (9, width * 0.35, width * 0.65 - 9)
        headings = ("TT", "Thành phần hồ sơ", "Nội dung cần bổ sung, hoàn thiện")
    table = _grid(body, headings, [], widths, paper)
    for i, row in enumerate(notice_rows(notice, rules), start=1):
        cells = _row(table, widths, CANT_SPLIT)
        _cell_text(cells[0], str(i), size=paper.small, after=1)
        _cell_text(cells[1], row.component, size=paper.small, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=1)
        if received:
            _cell_text(cells[2], row.received, size=paper.small, align=WD_ALIGN_PARAGRAPH.LEFT, after=1)
        for problem in row.problems:
            _cell_text(cells[-1], problem, size=paper.small, align=WD_ALIGN_PARAGRAPH.LEFT, after=1)
        paragraph = _cell_text(cells[-1], "Đề nghị: ", size=paper.small, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT,
                               after=1)
        _run(paragraph, row.send, size=paper.small)


def supplement_by_uncapped(notice: Notice, rules: RuleSet) -> date:
    """The date to supplement by had the deadline not capped it."""
    issued = notice.issued_at.astimezone(rules.campaign.deadline.tzinfo)
    return calendar_add_working_days(issued.date(), rules.notices.supplement_working_days,
                                     campaign_days_off(rules, issued))


def _complete(body: Element, notice: Notice, rules: RuleSet, paper: Paper) -> None:
    size = paper.body
    paragraph = _para(body, size=size, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=8)
    _run(paragraph, "Kính gửi: ", size=size)
    _run(paragraph, notice.contact.enterprise, size=size)
    _para(body, f"Ngày {short_date(notice.received_at.date())}, hồ sơ tham dự {rules.campaign.title} của "
          f"{notice.contact.enterprise} đã được tiếp nhận (mã hồ sơ {notice.receipt_no}, thời gian nhận hồ sơ "
          f"{vn_moment(notice.received_at)}).", size=size, first_line=10, after=4)
    _para(body, rules.notices.complete_text, size=size, first_line=10, after=4)
    if notice.late:
        _para(body, late_sentences(notice, rules), size=size, first_line=10, after=4)
    _para(body, "Thành phần hồ sơ đã nhận gồm:", size=size, first_line=10, after=2, keep=True)
    for i, (cid, _) in enumerate(notice.documents, start=1):
        _para(body, f"{i}. {rules.component(cid).title}.", size=size, first_line=10, after=1)
    if notice.deficiencies:
        _para(body, "Lưu ý:", size=size, first_line=10, before=3, after=1, italic=True)
        for what, reason in deficiency_rows(notice.deficiencies, rules):
            _para(body, f"- {what}: {reason}", size=size, first_line=10, after=1)
    _para(body, f"Mọi thắc mắc xin liên hệ: {rules.agency.contact}.", size=size, first_line=10, before=3,
          after=4)
    _para(body, "Xin thông báo để Quý đơn vị được biết./.", size=size, first_line=10, after=4, keep=True)
    _signature(body, paper, rules.notices.signer_title, "", rules.notices.signer_name,
               rules.notices.copies_to)  # "Như trên" is the enterprise of "Kính gửi"


def _refusal(body: Element, notice: Notice, rules: RuleSet, paper: Paper) -> None:
    size = paper.body
    _para(body, f"Mã hồ sơ: {notice.receipt_no}", size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    _applicant(body, notice, paper, "Tiếp nhận hồ sơ của")
    _labelled(body, "Nội dung yêu cầu giải quyết", _procedure(rules), size=size)
    _labelled(body, "Thời gian nhận hồ sơ", vn_moment(notice.received_at), size=size, after=4)
    _para(body, "Qua xem xét, cơ quan tiếp nhận thông báo không tiếp nhận, giải quyết hồ sơ này với lý do "
          "cụ thể như sau:", size=size, after=2)
    _para(body, rules.notices.refusal_reason.format(deadline=deadline_text(rules)), size=size, bold=True,
          first_line=8, after=4)
    _para(body, "Xin thông báo để tổ chức, doanh nghiệp được biết.", size=size, after=2)
    _para(body, f"Mọi thắc mắc xin liên hệ: {rules.agency.contact}.", size=size, after=6)
    _signature(body, paper, ("NGƯỜI TIẾP NHẬN HỒ SƠ",), "(Ký và ghi rõ họ tên)", rules.notices.officer)


def _reminder(body: Element, notice: Notice, rules: RuleSet, paper: Paper) -> None:
    """A letter reminding an enterprise of the deadline: what its dossier still lacks, or that none arrived."""
    size = paper.body
    assert notice.reminder is not None
    paragraph = _para(body, size=size, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=8)
    _run(paragraph, "Kính gửi: ", size=size)
    _run(paragraph, notice.contact.enterprise, size=size)
    _para(body, _days_left_sentence(notice, rules), size=size, first_line=10, after=4)
    if notice.reminder.submitted:
        _para(body, f"Hồ sơ tham dự của Quý đơn vị (mã hồ sơ {notice.receipt_no}, tiếp nhận lúc "
              f"{vn_moment(notice.received_at)}) đến nay còn thiếu hoặc chưa hoàn thiện những nội dung sau:",
              size=size, first_line=10, after=3, keep=True)
        _action_grid(body, notice, rules, paper, received=False)  # worded as the request (audit 13)
        _para(body, rules.notices.supplement_how, size=size, first_line=10, before=4, after=4)
    else:
        _para(body, "Đến nay, cơ quan tiếp nhận chưa nhận được hồ sơ tham dự của Quý đơn vị. "
              "Hồ sơ tham dự gồm:", size=size, first_line=10, after=2, keep=True)
        for i, component in enumerate(rules.components, start=1):
            title = component.title if component.required or "(nếu có)" in component.title else \
                f"{component.title} (nếu có)"
            _para(body, f"{i}. {title}.", size=size, first_line=10, after=1)
        if notice.reminder.folder:
            _para(body, f"Hồ sơ được nộp vào thư mục «{notice.reminder.folder}» trên thư mục dùng chung.",
                  size=size, first_line=10, before=3, after=4)
    _para(body, _late_sentence(rules), size=size, first_line=10, after=4)
    _para(body, f"Mọi thắc mắc xin liên hệ: {rules.agency.contact}.", size=size, first_line=10, after=4)
    _para(body, "Xin thông báo để Quý đơn vị biết và thực hiện./.", size=size, first_line=10, after=4,
          keep=True)
    _signature(body, paper, rules.notices.signer_title, "", rules.notices.signer_name, rules.notices.copies_to)


def _days_left_sentence(notice: Notice, rules: RuleSet) -> str:
    assert notice.reminder is not None
    r = notice.reminder
    left = (f"còn {r.days_left:02d} ngày ({r.working_days_left:02d} ngày làm việc)" if r.days_left
            else "hôm nay là ngày cuối cùng")
    return (f"Thời hạn tiếp nhận hồ sơ tham dự {rules.campaign.title} là {deadline_text(rules)}; tính đến "
            f"ngày {short_date(notice.issued_at.date())}, {left}.")


def _late_sentence(rules: RuleSet) -> str:
    after = "không được tiếp nhận" if rules.notices.refuse_late else "được ghi nhận là nộp muộn"
    return f"Đề nghị Quý đơn vị hoàn thiện, nộp hồ sơ trước thời hạn nêu trên; hồ sơ nộp sau thời hạn {after}."


def build_reminder(*, number: str, contact: Contact, issued_at: datetime, reminder: Reminder, rules: RuleSet,
                   receipt_no: str = "", register_no: int = 0, received_at: datetime | None = None,
                   deficiencies: tuple[Deficiency, ...] = ()) -> Notice:
    """A reminder of the deadline: to an enterprise with a dossier (its receipt number, what it still lacks), or
    to one that has submitted nothing (no receipt number)."""
    tz = rules.campaign.deadline.tzinfo
    issued_at = issued_at.astimezone(tz)
    return Notice(
        kind="reminder", number=number, receipt_no=receipt_no, register_no=register_no, contact=contact,
        received_at=(received_at or issued_at).astimezone(tz), issued_at=issued_at,
        deficiencies=_asked(deficiencies), reminder=reminder,
    )


BODIES: dict[str, Callable[[Element, Notice, RuleSet, Paper], None]] = {
    "acknowledgement": functools.partial(_files_received, supplement=False),
    "supplement": functools.partial(_files_received, supplement=True), "receipt": _receipt, "deficiency": _deficiency,
    "complete": _complete, "refusal": _refusal,
    "reminder": _reminder,
}
SUBTITLES: dict[str, Callable[[RuleSet], str]] = {
    "complete": lambda rules: f"Hồ sơ tham dự {rules.campaign.title} đã đầy đủ",
    "reminder": lambda rules: f"Về việc nhắc hạn nộp hồ sơ tham dự {rules.campaign.title}",
}


def render_notice(notice: Notice, rules: RuleSet) -> bytes:
    """A notice as DOCX bytes, in its form's layout and paper."""
    form = FORMS[notice.kind]
    package = _package(form.paper)
    document = parse_xml(package.document)
    body = document.body
    section = body[-1]  # w:sectPr, last in CT_Body: put back after the notice is appended
    body.remove(section)
    _header(body, notice, rules, form.paper)
    subtitle = SUBTITLES.get(notice.kind)
    _title(body, form.title, form.paper, subtitle=subtitle(rules) if subtitle else "")
    BODIES[notice.kind](body, notice, rules, form.paper)
    body.append(section)
    written = {DOCUMENT_PART: serialize_part_xml(document), CORE_PART: _core_properties(notice, rules, package.core)}
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as docx_file:  # as python-docx writes it
        for name, blob in package.parts:
            docx_file.writestr(name, written.get(name, blob))
    return buffer.getvalue()
