"""Seeded generator of dossier documents laid out as real Vietnamese ones are, each page with its ground truth;
never judges anything.

``tests/dossiers.py`` writes every component with the national header and its title on the first lines: the
service passes on it, and fails on real documents. This module writes the layouts of ``/work/shared/DOMAIN.md``
("How the documents an enterprise submits are really laid out") and of Nghị định 30/2020/NĐ-CP:

* agency documents in two header columns (issuer on one or two lines | quốc hiệu and tiêu ngữ), which text
  extraction and OCR usually merge into one line; "Số: 1532/CTBGI-KK" often on the line of the place and
  date; a type line (QUYẾT ĐỊNH, GIẤY XÁC NHẬN, THÔNG BÁO, GIẤY CHỨNG NHẬN …) then the summary ("Về việc …",
  "VỀ VIỆC …", "V/V …", or none) over one to four lines, or type and summary on one line; letters (công văn)
  with no type line, "V/v …" under the number, wrapped, then "Kính gửi: …";
* noise before and inside the header: e-signature stamps, an incoming-mail stamp inside the summary, a web
  copy's metadata table, numbers left blank to be filled by hand, show-through from the next page (scans);
* enterprise reports with a cover page (company, rule, "BÁO CÁO" alone, the title over one to three lines,
  "Bắc Giang, tháng 6 năm 2019"), a table of contents, a running header; the GTCLQG booklet's names;
* English-only and bilingual ISO certificates, conformity certificates and notices;
* components made of several documents (an approval decision then monitoring reports; the tax confirmation
  then the social-insurance one), each with its own first page;
* negatives: cover letters listing every component, a list of enclosed documents, unrelated agency letters
  and decisions, invitations and guidance about the award, brochures, photos.

Each document is rendered as a digital PDF (fpdf2), a Word .docx, or a scan (image-only PDF or JPEG at
200-300 dpi, some degraded). A :class:`CorpusFile` knows the truth of each of its pages: the component id,
``"cover_letter"`` or ``"negative"``. Everything is driven by the ``random.Random`` passed in; the same seed
gives the same files. Content is true to its truth: a complete dossier really covers the 7 criteria and the
years 2017-2019 (written as people write them: "các năm 2017, 2018 và 2019", "giai đoạn 2017–2019" …).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

from PIL import Image, ImageChops, ImageDraw, ImageFilter

import dossiers
from dossiers import Enterprise

__all__ = [
    "KINDS", "NEGATIVE_KINDS", "RENDERINGS", "Row", "Doc", "CorpusFile", "CorpusDossier",
    "component_docs", "negative_docs", "make_dossier", "make_corpus", "write_file", "write_dossier_files",
    "render_page_images",
]

COMPONENT_IDS = dossiers.COMPONENT_IDS
NEGATIVE_KINDS = ("cover_letter", "negative")
KINDS = COMPONENT_IDS + NEGATIVE_KINDS
#: How a file is rendered: born-digital PDF, Word, scan as image-only PDF, scan or photo as JPEG.
RENDERINGS = ("pdf", "docx", "scan", "jpg")

QH = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")
TN = ("Độc lập - Tự do - Hạnh phúc", "Độc lập – Tự do – Hạnh phúc")
PROVINCE = dossiers.PROVINCE
YEARS = (2017, 2018, 2019)


# ---------------------------------------------------------------------------------------------------------------
# Page model
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One printed line, or one line of the two header columns (``right`` not None: ``text`` is the left column,
    ``right`` the right one, either may be empty)."""

    text: str
    align: str = "L"
    """L (left, justified body), C (centre), R (right)."""
    bold: bool = False
    italic: bool = False
    size: float = 1.0
    """Relative to the body size (13 pt)."""
    right: str | None = None
    right_bold: bool = False
    right_italic: bool = False
    box: bool = False
    """Framed (a stamp: "SAO Y BẢN CHÍNH", the incoming-mail stamp)."""
    paper_only: bool = False
    """Only on a scan of the paper (the incoming-mail stamp): absent from born-digital renderings."""
    gap: float = 0.0
    """Extra space before the row, in lines."""


Page = tuple[Row, ...]


@dataclass(frozen=True)
class Doc:
    """One document: what it truly is (a component id, "cover_letter" or "negative"), its layout's name (for
    the report), its pages, and the short title a running header repeats (Word), if any."""

    kind: str
    layout: str
    pages: tuple[Page, ...]
    running: str | None = None


@dataclass(frozen=True)
class CorpusFile:
    """A file of the corpus: its name in the dossier folder, how it is rendered, and the documents in it."""

    name: str
    rendering: str
    docs: tuple[Doc, ...]
    dpi: int = 200
    degraded: bool = False
    seed: int = 0
    """Drives the rendering (scan noise, column drawing order)."""
    variant: str = ""
    """"phone" (a JPEG photographed with a phone, no DPI), "ocr-layer" (a scanned PDF with the invisible text
    layer an office scanner's English OCR adds), "pasted" (Word holding pictures of the scanned pages)."""

    @property
    def scanned(self) -> bool:
        return self.rendering in ("scan", "jpg") or self.variant == "pasted"

    @property
    def truth(self) -> tuple[str, ...]:
        """The kind of each page, in page order."""
        return tuple(d.kind for d in self.docs for _ in d.pages)

    @property
    def layouts(self) -> tuple[str, ...]:
        return tuple(d.layout for d in self.docs)

    @property
    def components(self) -> frozenset[str]:
        return frozenset(k for k in self.truth if k in COMPONENT_IDS)


@dataclass(frozen=True)
class CorpusDossier:
    """A realistic dossier: one enterprise's files, cover letter first (complete in fact unless `removed`)."""

    folder: str
    enterprise: Enterprise
    files: tuple[CorpusFile, ...]
    removed: tuple[str, ...] = ()


def _c(text: str, bold: bool = True, **kw: object) -> Row:
    return Row(text, "C", bold=bold, **kw)  # type: ignore[arg-type]


def _l(text: str, **kw: object) -> Row:
    return Row(text, "L", **kw)  # type: ignore[arg-type]


def _r(text: str, **kw: object) -> Row:
    return Row(text, "R", **kw)  # type: ignore[arg-type]


def _pair(left: str, right: str, *, left_bold: bool = False, right_bold: bool = False,
          right_italic: bool = False) -> Row:
    return Row(left, "C", bold=left_bold, right=right, right_bold=right_bold, right_italic=right_italic)


def _wrap_words(text: str, parts: int) -> list[str]:
    """`text` cut into `parts` lines of about equal length at word boundaries (fewer when it is short)."""
    words = text.split()
    parts = max(1, min(parts, len(words)))
    total = len(text)
    out: list[str] = []
    cur: list[str] = []
    for w in words:
        cur.append(w)
        if len(out) < parts - 1 and len(" ".join(cur)) >= total / parts:
            out.append(" ".join(cur))
            cur = []
    if cur:
        out.append(" ".join(cur))
    return out


# ---------------------------------------------------------------------------------------------------------------
# Small content pieces
# ---------------------------------------------------------------------------------------------------------------


def _date(rng: random.Random, year: int = 2020, months: tuple[int, int] = (3, 6)) -> dt.date:
    a = dt.date(year, months[0], 1).toordinal()
    b = dt.date(year, months[1], 28).toordinal()
    return dt.date.fromordinal(rng.randint(a, b))


def _place_date(rng: random.Random, d: dt.date, *, blank_day: bool = False, place: str = PROVINCE) -> str:
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    day = "     " if blank_day else f"{d.day:02d}"
    return f"{place}, ngày {day} tháng {month} năm {d.year}"


def _number(rng: random.Random, symbol: str, *, blank: bool = False) -> str:
    if blank:  # numbered by hand after signing: the typed text has only the symbol
        return f"Số:        /{symbol}"
    return f"Số: {rng.randint(12, 2899)}/{symbol}"


def _years_phrase(rng: random.Random, years: Sequence[int] = YEARS) -> str:
    """The three years as people write them."""
    a, b, c = years
    return rng.choice((
        f"các năm {a}, {b} và {c}", f"{a} - {c}", f"giai đoạn {a}–{c}", f"năm {a}; năm {b}; năm {c}",
        f"các năm {a}, {b}, {c}", f"từ năm {a} đến năm {c}", f"03 năm ({a}, {b}, {c})",
    ))


def _signer(rng: random.Random, title: str, acting: str | None = None) -> list[Row]:
    rows = []
    if acting:
        rows.append(Row(acting, "R", bold=True, gap=1))
        if acting.startswith("KT. "):
            title = "PHÓ " + acting[4:]
        elif acting.startswith("TL. "):
            title = rng.choice(("TRƯỞNG PHÒNG KÊ KHAI VÀ KẾ TOÁN THUẾ", "CHÁNH VĂN PHÒNG"))
    rows.append(Row(title, "R", bold=True, gap=0 if acting else 1))
    if rng.random() < 0.5:
        rows.append(Row("(Đã ký)", "R", italic=True))
    rows.append(Row(dossiers._person(rng), "R", bold=True, gap=2.5))
    return rows


def _noi_nhan(rng: random.Random, *extra: str) -> list[Row]:
    rows = [_l("Nơi nhận:", bold=True, italic=True, size=0.85, gap=0.5)]
    for item in (*extra, "- Lưu: VT" + rng.choice(("", ", KK", ", QLT", ", TNMT")) + "."):
        rows.append(_l(item, size=0.8))
    return rows


def _esign(rng: random.Random, issuer: str, email_domain: str, d: dt.date) -> list[Row]:
    """The text a digitally signed PDF starts with (signature appearance, small, top right)."""
    when = f"{d.day:02d}.{d.month:02d}.{d.year} {rng.randint(7, 17):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d} +07:00"
    rows = [_r(f"Ký bởi: {issuer}", size=0.7)]
    if rng.random() < 0.6:
        rows.append(_r(f"Email: {rng.choice(('vanthu', 'kk', 'tonghop'))}.{email_domain}", size=0.7))
    if rng.random() < 0.5:
        rows.append(_r(f"Cơ quan: {issuer}", size=0.7))
    rows.append(_r(f"Thời gian ký: {when}", size=0.7))
    return rows


def _arrival_stamp(rng: random.Random, d: dt.date) -> list[Row]:
    """An incoming-mail stamp (ĐẾN, số, ngày) as its OCR lands in the middle of the text."""
    later = d + dt.timedelta(days=rng.randint(1, 6))
    rows = [Row("ĐẾN", "L", bold=True, box=True, size=0.85, paper_only=True),
            Row(f"Số: {rng.randint(10, 999)}", "L", box=True, size=0.85, paper_only=True),
            Row(f"Ngày: {later.day}/{later.month}/{later.year % 100}", "L", box=True, size=0.85, paper_only=True)]
    if rng.random() < 0.5:
        rows.append(Row("Chuyển: ...............", "L", box=True, size=0.85, paper_only=True))
    return rows


def _web_table(rng: random.Random, issuer: str, number: str, kind: str, d: dt.date) -> list[Row]:
    """A legal-documents website's metadata table, first on a copy printed or saved from it."""
    rows = [_l(rng.choice(("Thuộc tính văn bản", "THÔNG TIN VĂN BẢN", "Văn bản pháp luật")), bold=True)]
    fields = [("Cơ quan ban hành", issuer), ("Số hiệu", number.removeprefix("Số: ").strip()),
              ("Loại văn bản", kind), ("Ngày ban hành", f"{d.day:02d}/{d.month:02d}/{d.year}"),
              ("Người ký", dossiers._person(rng)), ("Tình trạng", rng.choice(("Còn hiệu lực", "Đã biết")))]
    rng.shuffle(fields)
    rows += [_l(f"{k}: {v}", size=0.85) for k, v in fields]
    return rows


@dataclass(frozen=True)
class Issuer:
    lines: tuple[str, ...]
    """One or two lines, parent first."""
    code: str
    """What follows the kind in the symbol: "UBND", "STNMT", "CTBGI" …"""
    esign: str
    email: str


def _issuer_rows(rng: random.Random, issuer: Issuer, number: str, place_date: str, *,
                 number_with_date: bool) -> list[Row]:
    """NĐ 30 header: issuer | quốc hiệu, (second issuer line) | tiêu ngữ, rules, number | place and date."""
    qh, tn = rng.choice(QH), rng.choice(TN)
    lines = list(issuer.lines)
    rows: list[Row] = []
    if len(lines) == 1:
        rows.append(_pair(lines[0], qh, left_bold=True, right_bold=True))
        rows.append(_pair("", tn, right_bold=True))
    else:
        rows.append(_pair(lines[0], qh, right_bold=True))
        rows.append(_pair(lines[1], tn, left_bold=True, right_bold=True))
    rule = rng.choice(("-------", "________", "---o0o---", None, None))
    if rule:
        rows.append(_pair(rule, rule + "--"))
    if number_with_date:
        rows.append(_pair(number, place_date, right_italic=True))
    else:
        rows.append(_pair(number, ""))
        rows.append(Row(place_date, "R", italic=True))
    return rows


def _summary_rows(rng: random.Random, kind_line: str | None, summary: str, *, style: str | None = None,
                  lines: int | None = None) -> list[Row]:
    """The type line and its summary (trích yếu) in one of the ways they are printed."""
    style = style or rng.choice(("ve_viec", "ve_viec", "VE_VIEC", "VV", "plain", "same_line"))
    lines = lines or rng.choice((1, 2, 2, 3, 4))
    lead = {"ve_viec": "Về việc ", "VE_VIEC": "VỀ VIỆC ", "VV": "V/v ", "plain": "", "same_line": "Về việc "}[style]
    text = lead + summary
    if style in ("VE_VIEC", "VV") and rng.random() < 0.5:
        text = text.upper()
    if style == "VV" and rng.random() < 0.5:
        text = "V/V " + summary.upper()
    pieces = _wrap_words(text, lines)
    rows: list[Row] = []
    if kind_line and style == "same_line":
        rows.append(_c(f"{kind_line} {pieces[0]}", gap=1))
        pieces = pieces[1:]
    elif kind_line:
        rows.append(_c(kind_line, size=1.1, gap=1))
    rows += [_c(p, bold=style != "plain" or True) for p in pieces]
    return rows


def agency_first_rows(rng: random.Random, issuer: Issuer, kind_code: str, kind_line: str | None, summary: str,
                      d: dt.date, *, letter: bool = False, noise: bool = True, addressee: str | None = None,
                      web_kind: str | None = None, style: str | None = None) -> tuple[list[Row], str]:
    """The top of an agency document's first page; returns the rows and the layout's name.

    `letter`: a công văn (no type line; "V/v …" under the number, wrapped over two to four lines)."""
    parts: list[str] = []
    rows: list[Row] = []
    blank = rng.random() < 0.15
    number = _number(rng, f"{kind_code}-{issuer.code}" if kind_code else issuer.code, blank=blank)
    place_date = _place_date(rng, d, blank_day=blank, place="Việt Yên" if "VIỆT YÊN" in issuer.lines[-1] else PROVINCE)
    if noise and rng.random() < 0.12 and web_kind:
        rows += _web_table(rng, issuer.lines[-1].title(), number, web_kind, d)
        parts.append("web")
    elif noise and rng.random() < 0.35:
        rows += _esign(rng, issuer.esign, issuer.email, d)
        parts.append("esign")
    if blank:
        parts.append("blank-number")
    stamp = noise and rng.random() < 0.18
    if letter:
        header = _issuer_rows(rng, issuer, number, place_date, number_with_date=True)
        vv_lines = _wrap_words("V/v " + summary, rng.choice((2, 2, 3, 4)))
        # the V/v lines sit under the number, in the left column
        rows += header
        for i, piece in enumerate(vv_lines):
            rows.append(_pair(piece, ""))
            if stamp and i == 0:
                rows += _arrival_stamp(rng, d)
                parts.append("arrival-stamp")
                stamp = False
        if addressee:
            rows.append(_c(f"Kính gửi: {addressee}", bold=False, gap=1))
        parts.insert(0, f"letter-vv{len(vv_lines)}")
    else:
        rows += _issuer_rows(rng, issuer, number, place_date, number_with_date=rng.random() < 0.6)
        summary_rows = _summary_rows(rng, kind_line, summary, style=style)
        if stamp and len(summary_rows) > 2:
            cut = rng.randint(1, len(summary_rows) - 1)
            summary_rows[cut:cut] = _arrival_stamp(rng, d)
            parts.append("arrival-stamp")
        rows += summary_rows
        if addressee:
            rows.append(_c(f"Kính gửi: {addressee}", bold=False, gap=1))
        parts.insert(0, f"nd30-{len(issuer.lines)}line")
    return rows, "+".join(parts)


def report_cover(rng: random.Random, ent: Enterprise, title_lines: Sequence[str], when: str,
                 *, parent: str | None = None, top: Sequence[str] = ()) -> list[Row]:
    """An enterprise report's cover page: company, rule, "BÁO CÁO" alone (or not), title lines, place and time."""
    rows: list[Row] = []
    if parent:
        rows.append(_c(parent, bold=False))
    rows.append(_c(ent.name.upper()))
    rule = rng.choice(("-------", "---------o0o---------", "*****", None))
    if rule:
        rows.append(_c(rule, bold=False))
    rows += [_c(t, bold=False, size=0.9) for t in top]
    first = True
    for t in title_lines:
        rows.append(_c(t, size=1.5 if t == "BÁO CÁO" else 1.15, gap=4 if first else 0))
        first = False
    rows.append(_c(when, bold=False, italic=True, gap=6))
    return rows


def _running(rng: random.Random, short: str, ent: Enterprise) -> Row:
    return Row(rng.choice((short, f"{short} - {dossiers._short_name(ent)}", f"{ent.name} | {short}")),
               "R", italic=True, size=0.75)


def _body(rng: random.Random, sentences: Sequence[str], n: int) -> list[Row]:
    picks = [rng.choice(sentences) for _ in range(n)]
    return [_l(s) for s in picks]


# ---------------------------------------------------------------------------------------------------------------
# Issuers
# ---------------------------------------------------------------------------------------------------------------

_DISTRICTS = ("Việt Yên", "Yên Dũng", "Hiệp Hòa", "Lạng Giang", "Tân Yên", "Lục Nam", "Lục Ngạn")

TAX_ISSUERS = (
    Issuer(("TỔNG CỤC THUẾ", "CỤC THUẾ TỈNH BẮC GIANG"), "CTBGI", "Cục Thuế tỉnh Bắc Giang", "bgi@gdt.gov.vn"),
    Issuer(("CỤC THUẾ TỈNH BẮC GIANG",), "CTBGI", "Cục Thuế tỉnh Bắc Giang", "bgi@gdt.gov.vn"),
    Issuer(("CỤC THUẾ TỈNH BẮC GIANG", "CHI CỤC THUẾ KHU VỰC VIỆT YÊN - YÊN DŨNG"), "CCTKV", "Chi cục Thuế khu vực Việt Yên - Yên Dũng", "vy@gdt.gov.vn"),
)
BHXH_ISSUERS = (
    Issuer(("BẢO HIỂM XÃ HỘI VIỆT NAM", "BẢO HIỂM XÃ HỘI TỈNH BẮC GIANG"), "BHXH", "Bảo hiểm xã hội tỉnh Bắc Giang", "bacgiang@vss.gov.vn"),
    Issuer(("BHXH TỈNH BẮC GIANG", "BẢO HIỂM XÃ HỘI HUYỆN VIỆT YÊN"), "BHXH", "Bảo hiểm xã hội huyện Việt Yên", "vietyen@vss.gov.vn"),
    Issuer(("BẢO HIỂM XÃ HỘI TỈNH BẮC GIANG",), "BHXH", "Bảo hiểm xã hội tỉnh Bắc Giang", "bacgiang@vss.gov.vn"),
)
ENV_ISSUERS = (
    Issuer(("ỦY BAN NHÂN DÂN", "TỈNH BẮC GIANG"), "UBND", "Ủy ban nhân dân tỉnh Bắc Giang", "ubnd@bacgiang.gov.vn"),
    Issuer(("UBND TỈNH BẮC GIANG", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"), "TNMT", "Sở Tài nguyên và Môi trường", "stnmt@bacgiang.gov.vn"),
    Issuer(("ỦY BAN NHÂN DÂN", "HUYỆN VIỆT YÊN"), "UBND", "Ủy ban nhân dân huyện Việt Yên", "vietyen@bacgiang.gov.vn"),
)
KHCN_ISSUERS = (
    Issuer(("UBND TỈNH BẮC GIANG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"), "KHCN", "Sở Khoa học và Công nghệ", "skhcn@bacgiang.gov.vn"),
    Issuer(("SỞ KHOA HỌC VÀ CÔNG NGHỆ", "CHI CỤC TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG"), "TĐC", "Chi cục Tiêu chuẩn Đo lường Chất lượng", "tdc@bacgiang.gov.vn"),
)
OTHER_ISSUERS = (
    Issuer(("UBND TỈNH BẮC GIANG", "SỞ CÔNG THƯƠNG"), "SCT", "Sở Công Thương", "sct@bacgiang.gov.vn"),
    Issuer(("UBND TỈNH BẮC GIANG", "BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP"), "BQL", "Ban Quản lý các khu công nghiệp", "bql@bacgiang.gov.vn"),
    Issuer(("UBND TỈNH BẮC GIANG", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"), "LĐTBXH", "Sở Lao động - Thương binh và Xã hội", "sldtbxh@bacgiang.gov.vn"),
    Issuer(("CỤC THỐNG KÊ TỈNH BẮC GIANG",), "CTK", "Cục Thống kê tỉnh Bắc Giang", "ctk@gso.gov.vn"),
)


def _company_issuer(ent: Enterprise) -> Issuer:
    return Issuer((ent.name.upper(),), dossiers._abbr(ent), ent.name, ent.email)


def _project(ent: Enterprise) -> str:
    ind = dossiers._industry_of(ent)
    return f"Dự án đầu tư xây dựng nhà máy {ind.products.split(',')[0]} của {ent.name}"


# ---------------------------------------------------------------------------------------------------------------
# Components
# ---------------------------------------------------------------------------------------------------------------


def registration_form(ent: Enterprise, rng: random.Random) -> list[Doc]:
    d = _date(rng, months=(4, 6))
    rows: list[Row] = []
    layout = []
    if rng.random() < 0.3:
        rows.append(_r(rng.choice(("Mẫu số 01", "Phụ lục 1", "Mẫu 01/GTCLQG")), italic=True, size=0.85))
        layout.append("form-no")
    if rng.random() < 0.6:
        iss = _company_issuer(ent)
        rows += _issuer_rows(rng, iss, _number(rng, f"ĐK-{iss.code}"), _place_date(rng, d),
                             number_with_date=rng.random() < 0.6)
        layout.append("company-header")
    else:
        rows += [_c(rng.choice(QH)), _c(rng.choice(TN)), _c("---------------", bold=False)]
    title = rng.choice((
        ("ĐƠN ĐĂNG KÝ", "THAM DỰ GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA NĂM 2020"),
        ("ĐƠN ĐĂNG KÝ THAM DỰ", "GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA"),
        ("BẢN ĐĂNG KÝ THAM DỰ GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA",),
        ("BẢN ĐĂNG KÝ", "THAM DỰ SƠ TUYỂN, XÉT TẶNG", "GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA NĂM 2020"),
    ))
    rows += [_c(t, size=1.1, gap=1 if i == 0 else 0) for i, t in enumerate(title)]
    layout.append(f"title{len(title)}")
    rows.append(_c(rng.choice((
        f"Kính gửi: Hội đồng sơ tuyển Giải thưởng Chất lượng Quốc gia tỉnh {PROVINCE}",
        "Kính gửi: Hội đồng Giải thưởng Chất lượng Quốc gia",
        f"Kính gửi: Sở Khoa học và Công nghệ tỉnh {PROVINCE}")), bold=False, gap=0.5))
    fields = [
        f"1. Tên tổ chức, doanh nghiệp: {ent.name}",
        f"2. Địa chỉ: {ent.address}",
        f"3. Điện thoại: {ent.phone}        Email: {ent.email}",
        f"4. Mã số thuế: {ent.tax_code}",
        f"5. Người đại diện theo pháp luật: {ent.representative}        Chức vụ: {dossiers._sign_title(ent).capitalize()}",
        f"6. Năm thành lập: {ent.founded.year}",
        f"7. Loại hình tham dự: {ent.category}",
        f"8. Tổng số lao động: {ent.employees} người",
        f"9. Sản phẩm, dịch vụ chính: {dossiers._industry_of(ent).products}",
    ]
    rows += [_l(f) for f in fields]
    pages = [rows]
    second = [
        _l("Sau khi nghiên cứu các quy định về Giải thưởng Chất lượng Quốc gia, chúng tôi tự nguyện đăng ký "
           "tham dự Giải thưởng Chất lượng Quốc gia năm 2020."),
        _l("Chúng tôi xin cam kết thực hiện đúng các quy định của Giải thưởng và chịu trách nhiệm về tính chính "
           "xác của các thông tin đã kê khai."),
        *_signer(rng, dossiers._sign_title(ent)),
    ]
    if rng.random() < 0.5:
        pages[0] = rows + second
    else:
        pages.append(second)
    return [Doc("registration_form", "+".join(layout), tuple(tuple(p) for p in pages))]


_PROFILE_TITLES = (
    ("BÁO CÁO", "GIỚI THIỆU DOANH NGHIỆP"),
    ("BÁO CÁO GIỚI THIỆU DOANH NGHIỆP",),
    ("BÁO CÁO", "GIỚI THIỆU CHUNG VỀ TỔ CHỨC, DOANH NGHIỆP"),
    ("BÁO CÁO", "GIỚI THIỆU CHUNG", "VỀ TỔ CHỨC, DOANH NGHIỆP"),
    ("BÁO CÁO GIỚI THIỆU", "VỀ TỔ CHỨC"),
    ("GIỚI THIỆU CHUNG VỀ DOANH NGHIỆP",),
    ("BÁO CÁO GIỚI THIỆU TỔ CHỨC",),
    ("BÁO CÁO", "GIỚI THIỆU TỔNG QUAN VỀ CÔNG TY"),
)

_PROFILE_BODY = (
    "Công ty được thành lập theo Giấy chứng nhận đăng ký doanh nghiệp do Sở Kế hoạch và Đầu tư cấp lần đầu.",
    "Vốn điều lệ của công ty là {capital} đồng; trụ sở chính đặt tại {address}.",
    "Cơ cấu tổ chức gồm Hội đồng quản trị, Ban Giám đốc và các phòng chức năng, phân xưởng sản xuất.",
    "Sản phẩm chính của công ty là {products}, được tiêu thụ trong nước và xuất khẩu.",
    "Công ty có {employees} cán bộ, công nhân viên, trong đó trình độ đại học trở lên chiếm khoảng 15%.",
    "Các đối thủ cạnh tranh chủ yếu là các doanh nghiệp cùng ngành trong khu vực phía Bắc.",
    "Các nhà cung cấp nguyên vật liệu chính là đối tác lâu năm, được đánh giá định kỳ hằng năm.",
)


def company_profile(ent: Enterprise, rng: random.Random) -> list[Doc]:
    title = rng.choice(_PROFILE_TITLES)
    ind = dossiers._industry_of(ent)
    fill = dict(capital=dossiers._money(rng.randint(20, 900) * 1_000_000_000), address=ent.address,
                products=ind.products, employees=ent.employees)
    body = [s.format(**fill) for s in _PROFILE_BODY]
    when = f"{PROVINCE}, tháng {rng.randint(4, 6)} năm 2020"
    top = rng.choice(((), ("THAM DỰ GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA NĂM 2020",)))
    pages: list[list[Row]] = []
    layout = ["cover"]
    if rng.random() < 0.75:
        cover = report_cover(rng, ent, title, when,
                             parent=rng.choice((None, None, "TẬP ĐOÀN HÓA CHẤT VIỆT NAM", "TỔNG CÔNG TY")))
        if top:
            cover.insert(-1, _c(top[0], bold=False))
        pages.append(cover)
    else:  # the title on top of the first text page
        layout = ["inline"]
        pages.append([_c(ent.name.upper()), _c("-------", bold=False), *[_c(t, gap=1 if i == 0 else 0)
                      for i, t in enumerate(title)], *_body(rng, body, 3)])
    short = rng.choice(("Báo cáo giới thiệu doanh nghiệp", "Giới thiệu doanh nghiệp", "Hồ sơ GTCLQG 2020"))
    if rng.random() < 0.35:
        pages.append([_c("MỤC LỤC", gap=1), _l("P.1 Mô tả tổ chức ........................ 2"),
                      _l("a) Môi trường hoạt động .................... 2"), _l("b) Quan hệ với tổ chức .................. 3"),
                      _l("P.2 Bối cảnh của tổ chức .................... 4"), _l("a) Môi trường cạnh tranh .............. 4"),
                      _l("b) Thách thức chiến lược ................ 5")])
        layout.append("toc")
    booklet = rng.random() < 0.6
    heads = (("P.1 Mô tả tổ chức", "P.2 Bối cảnh của tổ chức") if booklet else
             ("I. QUÁ TRÌNH HÌNH THÀNH VÀ PHÁT TRIỂN", "II. CƠ CẤU TỔ CHỨC VÀ SẢN PHẨM CHÍNH"))
    layout.append("booklet" if booklet else "sections")
    for head in heads:
        page = [_running(rng, short, ent)] if rng.random() < 0.6 else []
        page += [_l(head, bold=True, gap=0.5), *_body(rng, body, rng.randint(4, 6))]
        pages.append(page)
    return [Doc("company_profile", "+".join(layout), tuple(tuple(p) for p in pages), running=short)]


_SA_TITLES = (
    ("BÁO CÁO", "TỰ ĐÁNH GIÁ CỦA TỔ CHỨC THEO 7 TIÊU CHÍ", "CỦA GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA"),
    ("BÁO CÁO TỰ ĐÁNH GIÁ", "THEO 07 TIÊU CHÍ GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA"),
    ("BÁO CÁO", "TỰ ĐÁNH GIÁ THEO CÁC TIÊU CHÍ", "GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA NĂM 2020"),
    ("BÁO CÁO TỰ ĐÁNH GIÁ CỦA TỔ CHỨC", "THEO 7 TIÊU CHÍ CỦA GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA"),
    ("BÁO CÁO", "TỰ ĐÁNH GIÁ"),
    ("BÁO CÁO ĐÁNH GIÁ", "THEO CÁC TIÊU CHÍ GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA"),
)


def _criterion_heading(rng: random.Random, n: int, style: str) -> str:
    points, names = dossiers._CRITERIA[n]
    name = rng.choice(names)
    if style == "tieu_chi":
        return f"Tiêu chí {n}: {name}" + rng.choice(("", f" ({points} điểm)"))
    if style == "upper":
        return f"{n}. {name.upper()}"
    if style == "roman":
        return f"{'I II III IV V VI VII'.split()[n - 1]}. {name.upper()}"
    return f"TIÊU CHÍ {n}. {name.upper()}"


def self_assessment(ent: Enterprise, rng: random.Random, criteria: Sequence[int] = (1, 2, 3, 4, 5, 6, 7)) -> list[Doc]:
    title = rng.choice(_SA_TITLES)
    when = f"{PROVINCE}, tháng {rng.randint(4, 6)} năm 2020"
    pages: list[list[Row]] = [report_cover(rng, ent, title, when)]
    style = rng.choice(("tieu_chi", "upper", "roman", "TIEU_CHI"))
    layout = [f"title{len(title)}", style]
    if rng.random() < 0.3:
        pages.append([_c("MỤC LỤC", gap=1), _l("Phần 1. Giới thiệu chung ............ 3"),
                      _l("Phần 2. Kết quả tự đánh giá ............ 5"), _l("Phần 3. Kết luận ............ 21")])
        layout.append("toc")
    short = rng.choice(("Báo cáo tự đánh giá GTCLQG", "Báo cáo tự đánh giá", None))
    crit = list(criteria)
    per_page = rng.choice((2, 3, 4))
    chunks = [crit[i:i + per_page] for i in range(0, len(crit), per_page)]
    for ci, chunk in enumerate(chunks):
        page: list[Row] = [_running(rng, short, ent)] if short else []
        if ci == 0:
            page.append(_l(rng.choice(("PHẦN II. KẾT QUẢ TỰ ĐÁNH GIÁ", "B. NỘI DUNG TỰ ĐÁNH GIÁ",
                                       "Phần 2 - Tự đánh giá theo các tiêu chí")), bold=True))
        for n in chunk:
            page.append(_l(_criterion_heading(rng, n, style), bold=True, gap=0.4))
            if rng.random() < 0.5:
                page.append(_l(f"{n}.1 " + rng.choice(("Thực trạng", "Các hoạt động đã triển khai", "Điểm mạnh")),
                               bold=True, italic=True))
            body = list(dossiers._CRITERION_BODY[n])
            for s in rng.sample(body, 2):
                page.append(_l(s.format(growth=rng.randint(5, 18), defect=rng.choice(("0,5", "0,8", "1,2")))))
            if n == 7:
                page.append(_l(f"Doanh thu {_years_phrase(rng)} tăng trưởng ổn định, nộp ngân sách đầy đủ."))
            page.append(_l(f"Điểm tự đánh giá: {rng.randint(40, 85)}/{dossiers._CRITERIA[n][0]}"
                           if n != 7 else f"Điểm tự đánh giá: {rng.randint(250, 400)}/450", italic=True))
        pages.append(page)
    return [Doc("self_assessment", "+".join(layout), tuple(tuple(p) for p in pages), running=short)]


_BODIES = (
    ("Bureau Veritas Certification", "BV", "Bureau Veritas Certification Holding SAS - UK Branch"),
    ("SGS United Kingdom Ltd", "SGS", "SGS United Kingdom Ltd, Systems & Services Certification"),
    ("TÜV Rheinland Vietnam", "TUV", "TÜV Rheinland Cert GmbH"),
    ("Intertek Certification", "ITK", "Intertek Certification Limited"),
    ("BSI Group Vietnam", "FM", "BSI Assurance UK Ltd"),
)
_EN_SCOPES = {
    "May": "Manufacture of garments (jackets, trousers, shirts)",
    "Thép": "Manufacture of steel bars and wire rods for construction",
    "Bao bì": "Manufacture of carton and plastic packaging",
    "Thực phẩm": "Production of bottled drinking water and confectionery",
    "Phân bón": "Production of NPK and organic fertilizers",
    "Gạch ngói": "Production of fired clay bricks and roof tiles",
    "Điện tử": "Manufacture and assembly of electronic components",
    "Cơ khí": "Mechanical fabrication and hot-dip galvanizing",
    "Nhựa": "Manufacture of plastic pipes and fittings",
    "Bê tông": "Production of ready-mixed concrete and precast concrete products",
    "Chế biến gỗ": "Manufacture of wood-based panels and furniture",
}


def _en_scope(ent: Enterprise) -> str:
    ind = dossiers._industry_of(ent)
    return _EN_SCOPES.get(ind.word, "Trading and distribution of household electrical appliances")


def _iso_certificate(ent: Enterprise, rng: random.Random, standard: str) -> tuple[list[Row], str]:
    system = {"9001": ("Quality Management System", "hệ thống quản lý chất lượng"),
              "14001": ("Environmental Management System", "hệ thống quản lý môi trường"),
              "22000": ("Food Safety Management System", "hệ thống quản lý an toàn thực phẩm"),
              "45001": ("Occupational Health and Safety Management System", "hệ thống quản lý an toàn sức khỏe nghề nghiệp")}[standard]
    year = {"9001": 2015, "14001": 2015, "22000": 2018, "45001": 2018}[standard]
    body, code, legal = rng.choice(_BODIES)
    issued = _date(rng, rng.choice((2018, 2019)), (1, 12))
    expiry = issued.replace(year=issued.year + 3) - dt.timedelta(days=1)
    number = f"{code}-VN{rng.randint(100, 999)}{rng.randint(1000, 9999)}"
    style = rng.choice(("english", "english", "bilingual", "quacert", "dnv"))
    rows: list[Row] = []
    if style == "dnv":
        rows += [_c("MANAGEMENT SYSTEM", size=1.3), _c("CERTIFICATE", size=1.3),
                 _l(f"Certificate no.: {rng.randint(100000, 299999)}-{issued.year}-AQ-VNM-UKAS", gap=1),
                 _l(f"Initial certification date: {issued:%d %B %Y}"),
                 _l(f"Valid until: {expiry:%d %B %Y}"),
                 _c("This is to certify that the management system of", bold=False, gap=1),
                 _c(ent.name.upper(), size=1.1), _c(dossiers._fold(ent.address), bold=False, size=0.85),
                 _c(f"has been found to conform to the {system[0]} standard:", bold=False),
                 _c(f"ISO {standard}:{year}", size=1.4),
                 _c(f"This certificate is valid for the following scope: {_en_scope(ent)}", bold=False, italic=True),
                 _l("Place and date: Ho Chi Minh City, " + f"{issued:%d %B %Y}", gap=1),
                 _l("For the issuing office: DNV GL - Business Assurance Vietnam", size=0.85)]
    if style == "english":
        rows += [_c(body.upper(), size=1.1), _c(rng.choice(("CERTIFICATE OF REGISTRATION", "CERTIFICATE",
                                                             "CERTIFICATE OF APPROVAL")), size=1.4, gap=1.5),
                 _c(f"This is to certify that the {system[0]} of", bold=False, gap=1),
                 _c(ent.name.upper(), size=1.1), _c(dossiers._fold(ent.address), bold=False, size=0.85),
                 _c("has been assessed and found to conform to the requirements of", bold=False, gap=0.5),
                 _c(f"ISO {standard}:{year}", size=1.4),
                 _c("For the following scope:", bold=False), _c(_en_scope(ent), bold=False, italic=True),
                 _l(f"Certificate No.: {number}", gap=1),
                 _l(f"Original approval date: {issued:%d %B %Y}"),
                 _l(f"Expiry date: {expiry:%d %B %Y}"),
                 _l(f"Issued by: {legal}", size=0.85)]
    elif style == "bilingual":
        rows += [_c(body.upper(), size=1.1), _c("GIẤY CHỨNG NHẬN", size=1.4, gap=1.5), _c("CERTIFICATE", italic=True),
                 _c(f"Chứng nhận {system[1]} của / This is to certify that the {system[0]} of", bold=False, gap=1),
                 _c(ent.name.upper(), size=1.1), _c(ent.address, bold=False, size=0.85),
                 _c("đã được đánh giá và phù hợp với yêu cầu của tiêu chuẩn / has been assessed and found to conform to",
                    bold=False),
                 _c(f"TCVN ISO {standard}:{year} / ISO {standard}:{year}", size=1.3),
                 _c(f"Phạm vi chứng nhận / Scope: {_en_scope(ent)}", bold=False, italic=True),
                 _l(f"Số chứng chỉ / Certificate No.: {number}", gap=1),
                 _l(f"Ngày cấp / Issue date: {issued:%d/%m/%Y}"),
                 _l(f"Ngày hết hạn / Expiry date: {expiry:%d/%m/%Y}")]
    elif style == "quacert":
        rows += [_c("BỘ KHOA HỌC VÀ CÔNG NGHỆ", bold=False), _c("TỔNG CỤC TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG"),
                 _c("TRUNG TÂM CHỨNG NHẬN PHÙ HỢP (QUACERT)"),
                 _c("GIẤY CHỨNG NHẬN", size=1.4, gap=1.5), _c("QUACERT CHỨNG NHẬN", bold=False),
                 _c(f"{system[1].upper()} CỦA", gap=0.5), _c(ent.name.upper(), size=1.1),
                 _c(f"Địa chỉ: {ent.address}", bold=False, size=0.85),
                 _c(f"PHÙ HỢP TIÊU CHUẨN TCVN ISO {standard}:{year} / ISO {standard}:{year}"),
                 _c(f"Lĩnh vực chứng nhận: {dossiers._industry_of(ent).scope}", bold=False, italic=True),
                 _l(f"Số chứng chỉ: HT {rng.randint(1000, 9999)}.{issued.year % 100}", gap=1),
                 _l(f"Ngày cấp: {issued:%d/%m/%Y}. Có giá trị đến: {expiry:%d/%m/%Y}")]
    if rng.random() < 0.5:  # certified copy (sao y bản chính)
        rows.append(Row("SAO Y BẢN CHÍNH", "R", bold=True, box=True, gap=0.5))
    return rows, f"iso{standard}-{style}"


def quality_system(ent: Enterprise, rng: random.Random) -> list[Doc]:
    rows, layout = _iso_certificate(ent, rng, "9001")
    docs = [Doc("quality_system", layout, (tuple(rows),))]
    ind = dossiers._industry_of(ent)
    extra = [s for s in ("14001", "45001") + (("22000",) if ind.word == "Thực phẩm" else ()) if rng.random() < 0.2]
    for s in extra:  # other advanced management-system certificates of the same component, each its own page
        rows, layout = _iso_certificate(ent, rng, s)
        docs.append(Doc("quality_system", layout, (tuple(rows),)))
    return docs


def product_conformity(ent: Enterprise, rng: random.Random) -> list[Doc]:
    ind = dossiers._industry_of(ent)
    d = _date(rng, rng.choice((2018, 2019)), (1, 12))
    kind = "hợp quy" if ind.conformity == "hợp quy" else "hợp chuẩn"
    style = rng.choice(("cert_tc", "cert_hq", "cert_bilingual", "notice", "notice", "cert_en"))
    if style == "cert_en":
        rows = [_c("SGS VIETNAM LTD.", size=1.1), _c("CERTIFICATE OF CONFORMITY", size=1.4, gap=1.5),
                _l(f"Certificate No.: VN{d.year % 100}/{rng.randint(10000, 99999)}", gap=1),
                _l(f"Applicant: {dossiers._fold(ent.name)}"), _l(f"Address: {dossiers._fold(ent.address)}"),
                _l(f"Product: {_en_scope(ent).replace('Manufacture of ', '').replace('Production of ', '')}"),
                _l(f"This is to certify that the product(s) described above comply with: {ind.standard}"),
                _l(f"Certification scheme: Type {rng.choice(('5', '7'))} (ISO/IEC 17067)"),
                _l(f"Date of issue: {d:%d/%m/%Y}   Valid until: {d.replace(year=d.year + 3):%d/%m/%Y}"),
                _r("Authorised signatory", bold=True, gap=2)]
        return [Doc("product_conformity", "cert_en", (tuple(rows),))]
    if style == "notice":
        iss = rng.choice(KHCN_ISSUERS)
        rows, layout = agency_first_rows(
            rng, iss, "TB", "THÔNG BÁO", f"tiếp nhận bản công bố {kind} của {ent.name}", d,
            web_kind="Thông báo")
        rows += [_l(f"{iss.lines[-1].capitalize()} xác nhận đã tiếp nhận bản công bố {kind} số "
                    f"{rng.randint(1, 99):02d}/CB-{dossiers._abbr(ent)} của: {ent.name}", gap=0.5),
                 _l(f"Địa chỉ: {ent.address}"),
                 _l(f"Cho sản phẩm: {ind.product}"),
                 _l(f"Phù hợp {'quy chuẩn kỹ thuật' if kind == 'hợp quy' else 'tiêu chuẩn'}: {ind.standard}"),
                 _l("Thông báo này chỉ ghi nhận sự cam kết của doanh nghiệp, không có giá trị chứng nhận cho sản phẩm."),
                 *_signer(rng, "CHI CỤC TRƯỞNG", rng.choice((None, "KT. CHI CỤC TRƯỞNG")))]
        return [Doc("product_conformity", "notice-" + layout, (tuple(rows),))]
    body = rng.choice(("TRUNG TÂM KỸ THUẬT TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG 1", "CÔNG TY CỔ PHẦN CHỨNG NHẬN VÀ GIÁM ĐỊNH VINACERT",
                       "TRUNG TÂM CHỨNG NHẬN PHÙ HỢP (QUACERT)", "CÔNG TY TNHH GIÁM ĐỊNH VINACONTROL"))
    number = f"Số: {rng.randint(100, 9999)}/{rng.choice(('QT1', 'VNC', 'QUA', 'VCC'))}-{d.year}"
    rows = [_c(body, size=0.95)]
    if style == "cert_tc":
        title = [("GIẤY CHỨNG NHẬN", "SẢN PHẨM PHÙ HỢP TIÊU CHUẨN") if kind == "hợp chuẩn" else
                 ("GIẤY CHỨNG NHẬN", "SẢN PHẨM PHÙ HỢP QUY CHUẨN KỸ THUẬT"),
                 ("GIẤY CHỨNG NHẬN", f"{kind.upper()}"), ("GIẤY CHỨNG NHẬN SẢN PHẨM PHÙ HỢP",)]
        t = rng.choice(title)
    elif style == "cert_hq":
        t = ("GIẤY CHỨNG NHẬN", kind.upper())
    else:
        t = ("GIẤY CHỨNG NHẬN", "CERTIFICATE OF CONFORMITY", f"({kind.upper()})")
    rows += [_c(x, size=1.35 if i == 0 else 1.1, gap=1.5 if i == 0 else 0) for i, x in enumerate(t)]
    rows += [_c(number, bold=False),
             _l(f"Chứng nhận sản phẩm: {ind.product}", gap=0.5),
             _l(f"Nhãn hiệu: {dossiers._short_name(ent).upper()}"),
             _l(f"Được sản xuất bởi: {ent.name}"),
             _l(f"Địa chỉ: {ent.address}"),
             _l(f"Phù hợp với: {ind.standard}"),
             _l(f"Phương thức đánh giá: Phương thức {rng.choice(('5', '7', '1'))} theo Thông tư 28/2012/TT-BKHCN"),
             _l(f"Giấy chứng nhận có hiệu lực từ ngày {d:%d/%m/%Y} đến ngày {d.replace(year=d.year + 3):%d/%m/%Y}"),
             *_signer(rng, "GIÁM ĐỐC")]
    if rng.random() < 0.4:
        rows.append(Row("SAO Y BẢN CHÍNH", "R", bold=True, box=True))
    return [Doc("product_conformity", f"{style}-title{len(t)}", (tuple(rows),))]


def _env_decision(ent: Enterprise, rng: random.Random) -> Doc:
    d = _date(rng, rng.choice((2012, 2014, 2016)), (1, 12))
    project = _project(ent)
    choice = rng.choice(("dtm", "khbvmt", "dean", "vanhanh"))
    if choice == "dtm":
        iss = rng.choice(ENV_ISSUERS[:2])
        kind_line, summary = "QUYẾT ĐỊNH", f"phê duyệt báo cáo đánh giá tác động môi trường của {project}"
        code = "QĐ"
    elif choice == "khbvmt":
        iss = rng.choice(ENV_ISSUERS[1:])
        kind_line, summary = "GIẤY XÁC NHẬN", f"đăng ký kế hoạch bảo vệ môi trường của {project}"
        code = "GXN"
    elif choice == "dean":
        iss = rng.choice(ENV_ISSUERS[:2])
        kind_line, summary = "QUYẾT ĐỊNH", f"phê duyệt đề án bảo vệ môi trường chi tiết của {project}"
        code = "QĐ"
    else:  # confirmation that the protection works of an approved ĐTM were built
        iss = ENV_ISSUERS[1]
        kind_line = "GIẤY XÁC NHẬN"
        summary = (f"việc đã thực hiện các công trình, biện pháp bảo vệ môi trường phục vụ giai đoạn vận hành "
                   f"của {project}")
        code = "GXN"
    rows, layout = agency_first_rows(rng, iss, code, kind_line, summary, d, web_kind="Quyết định",
                                     style="plain" if choice == "vanhanh" else None)
    head = "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC GIANG" if iss.code == "UBND" else "GIÁM ĐỐC SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"
    page1 = rows + ([_c(head, gap=0.5)] if code == "QĐ" else []) + [
        _l("Căn cứ Luật Bảo vệ môi trường ngày 23 tháng 6 năm 2014;"),
        _l("Căn cứ Nghị định số 18/2015/NĐ-CP ngày 14/02/2015 của Chính phủ quy định về quy hoạch bảo vệ môi "
           "trường, đánh giá môi trường chiến lược, đánh giá tác động môi trường và kế hoạch bảo vệ môi trường;"),
        _l(f"Xét đề nghị của {ent.name},"),
        _c("QUYẾT ĐỊNH:" if code == "QĐ" else "XÁC NHẬN:", gap=0.5),
    ]
    page2 = [
        _l(f"Điều 1. Phê duyệt nội dung {summary} (sau đây gọi là Dự án) do {ent.name} làm chủ dự án."),
        _l("Điều 2. Chủ dự án có trách nhiệm thực hiện đúng các nội dung đã được phê duyệt; thực hiện chương trình "
           "quan trắc, giám sát môi trường định kỳ và báo cáo kết quả cho cơ quan quản lý."),
        _l("Điều 3. Quyết định này có hiệu lực kể từ ngày ký."),
        *_signer(rng, "CHỦ TỊCH" if iss.code == "UBND" else "GIÁM ĐỐC", rng.choice((None, "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN"))),
        *_noi_nhan(rng, f"- {ent.name};", "- Như Điều 3;"),
    ]
    pages = (tuple(page1), tuple(page2)) if rng.random() < 0.6 else (tuple(page1 + page2),)
    return Doc("environment", f"{kind_line.lower().replace(' ', '_')}-{layout}", pages)


_MONITORING_TITLES = (
    ("BÁO CÁO", "KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG ĐỊNH KỲ", "{period}"),
    ("BÁO CÁO", "KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG", "{period}"),
    ("BÁO CÁO GIÁM SÁT MÔI TRƯỜNG ĐỊNH KỲ", "{period}"),
    ("BÁO CÁO", "CÔNG TÁC BẢO VỆ MÔI TRƯỜNG {year}"),
    ("BÁO CÁO QUAN TRẮC MÔI TRƯỜNG", "{period}"),
    ("BÁO CÁO", "KẾT QUẢ QUAN TRẮC VÀ GIÁM SÁT MÔI TRƯỜNG", "{period}"),
    ("BÁO CÁO KẾT QUẢ", "CHƯƠNG TRÌNH QUAN TRẮC MÔI TRƯỜNG", "{period}"),
)


def _monitoring_report(ent: Enterprise, rng: random.Random, year: int, *, short: bool) -> Doc:
    t = rng.choice(_MONITORING_TITLES)
    period = rng.choice((f"ĐỢT {rng.randint(1, 2)} NĂM {year}", f"NĂM {year}", f"{rng.choice(('6 THÁNG ĐẦU', '6 THÁNG CUỐI'))} NĂM {year}"))
    title = [x.format(period=period, year=f"NĂM {year}") for x in t]
    when = f"{PROVINCE}, tháng {rng.randint(6, 12)} năm {year}"
    consultant = rng.choice(("Trung tâm Quan trắc Tài nguyên và Môi trường tỉnh Bắc Giang",
                             "Công ty TNHH Tư vấn Môi trường Xanh", "Viện Khoa học Môi trường"))
    cover = report_cover(rng, ent, title, when, top=rng.choice(((), ("Đơn vị tư vấn: " + consultant,))))
    running = rng.choice((f"Báo cáo quan trắc môi trường {year}", f"Báo cáo giám sát môi trường năm {year}", None))
    body: list[Row] = [_running(rng, running, ent)] if running else []
    body += [
        _l(f"1. Kết quả quan trắc môi trường năm {year}", bold=True),
        _l(f"Thời gian quan trắc: {rng.randint(1, 28):02d}/{rng.randint(3, 11):02d}/{year}; đơn vị thực hiện: {consultant}."),
        _l("Vị trí lấy mẫu: khu vực sản xuất, cổng nhà máy, điểm xả nước thải sau hệ thống xử lý."),
        _l("Các chỉ tiêu quan trắc: bụi, tiếng ồn, CO, SO2, NO2 (khí thải); pH, BOD5, COD, TSS, Coliform (nước thải)."),
        _l("Kết quả: các chỉ tiêu đều nằm trong giới hạn cho phép của QCVN 05:2013/BTNMT và QCVN 40:2011/BTNMT."),
        _l("2. Kết luận và kiến nghị", bold=True),
        _l("Công ty tiếp tục duy trì vận hành hệ thống xử lý nước thải, khí thải và giám sát môi trường định kỳ."),
    ]
    pages = (tuple(cover),) if short else (tuple(cover), tuple(body))
    if not short and rng.random() < 0.35:  # the laboratory's results sheet, appended: it names no component
        lab = [_c(rng.choice(("VIỆN KHOA HỌC MÔI TRƯỜNG", "TRUNG TÂM QUAN TRẮC TÀI NGUYÊN VÀ MÔI TRƯỜNG"))),
               _c(rng.choice(("PHIẾU KẾT QUẢ PHÂN TÍCH", "PHIẾU KẾT QUẢ THỬ NGHIỆM")), size=1.2, gap=1),
               _l(f"Mẫu: {rng.choice(('nước thải sau hệ thống xử lý', 'không khí khu vực sản xuất'))}"),
               _l(f"Ngày lấy mẫu: {rng.randint(1, 28):02d}/{rng.randint(3, 11):02d}/{year}"),
               _l("STT   Chỉ tiêu   Đơn vị   Kết quả   QCVN"),
               _l(f"1   pH   -   {rng.randint(65, 80) / 10}   5,5 - 9"),
               _l(f"2   COD   mg/l   {rng.randint(20, 70)}   150"),
               _l(f"3   TSS   mg/l   {rng.randint(10, 60)}   100"),
               _l("Ghi chú: kết quả chỉ có giá trị đối với mẫu thử.", italic=True)]
        pages += (tuple(lab),)
    if short:  # the results on the cover's back: one page holds the title and the findings
        pages = (tuple(cover[:-1] + body[1 if running else 0:4] + cover[-1:]),)
    return Doc("environment", f"monitoring-title{len(title)}" + ("-short" if short else ""), pages, running=running)


def _monitoring_summary(ent: Enterprise, rng: random.Random) -> Doc:
    """One report over the three years."""
    years = _years_phrase(rng)
    title = ["BÁO CÁO", "TỔNG HỢP KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG", years.upper()]
    cover = report_cover(rng, ent, title, f"{PROVINCE}, tháng 3 năm 2020")
    body = [_l("Kết quả quan trắc môi trường định kỳ của công ty:", bold=True)]
    for y in YEARS:
        body.append(_l(f"- Năm {y}: kết quả quan trắc {rng.randint(2, 4)} đợt, các chỉ tiêu đạt quy chuẩn cho phép."))
    return Doc("environment", "monitoring-summary", (tuple(cover), tuple(body)))


def environment(ent: Enterprise, rng: random.Random, years: Sequence[int] = YEARS) -> list[Doc]:
    docs = [_env_decision(ent, rng)] if rng.random() < 0.85 else []
    if rng.random() < 0.2 and tuple(years) == YEARS:
        docs.append(_monitoring_summary(ent, rng))
    else:
        short = rng.random() < 0.5
        docs += [_monitoring_report(ent, rng, y, short=short) for y in years]
    return docs


def _tax_doc(ent: Enterprise, rng: random.Random) -> Doc:
    iss = rng.choice(TAX_ISSUERS)
    d = _date(rng, months=(2, 5))
    years = _years_phrase(rng)
    style = rng.choice(("letter", "letter", "gxn", "tb", "xn"))
    if style == "xn":  # type line "XÁC NHẬN" and a summary without "Về việc"
        rows, layout = agency_first_rows(rng, iss, "XN", "XÁC NHẬN",
                                         f"việc thực hiện nghĩa vụ thuế {years} của người nộp thuế", d,
                                         web_kind="Xác nhận")
    elif style == "letter":
        summary = rng.choice(("xác nhận tình hình thực hiện nghĩa vụ thuế của doanh nghiệp",
                              f"xác nhận việc chấp hành pháp luật thuế {years}",
                              "xác nhận hoàn thành nghĩa vụ nộp ngân sách nhà nước",
                              f"xác nhận nghĩa vụ thuế của {ent.name}",
                              "cung cấp thông tin về tình hình chấp hành chính sách, pháp luật thuế",
                              "xác nhận không nợ đọng thuế"))
        rows, layout = agency_first_rows(rng, iss, "", None, summary, d, letter=True, addressee=ent.name,
                                         web_kind="Công văn")
        rows = [r if not (r.right is not None and r.text.startswith("Số:")) else
                replace(r, text=r.text.replace(f"/{iss.code}", f"/{iss.code}-{rng.choice(('KK', 'QLN', 'TTKT'))}"))
                for r in rows]
    elif style == "gxn":
        rows, layout = agency_first_rows(rng, iss, "GXN", "GIẤY XÁC NHẬN",
                                         rng.choice(("thực hiện nghĩa vụ thuế với Nhà nước",
                                                     f"tình hình thực hiện nghĩa vụ thuế {years}")), d,
                                         web_kind="Giấy xác nhận")
    else:
        rows, layout = agency_first_rows(rng, iss, "TB", "THÔNG BÁO",
                                         "kết quả thực hiện nghĩa vụ nộp ngân sách nhà nước", d,
                                         web_kind="Thông báo")
    rows += [
        _l(f"Theo đề nghị của {ent.name} (mã số thuế {ent.tax_code}), địa chỉ: {ent.address}.", gap=0.5),
        _l(f"{iss.esign} xác nhận: đơn vị đã thực hiện kê khai, nộp các khoản thuế vào ngân sách nhà nước "
           f"{years}; đến thời điểm xác nhận không còn nợ tiền thuế, tiền phạt chậm nộp."),
        _l(f"Số thuế đã nộp: năm {YEARS[0]}: {dossiers._money(rng.randint(800, 90000) * 1_000_000)} đồng; "
           f"năm {YEARS[1]}: {dossiers._money(rng.randint(800, 90000) * 1_000_000)} đồng."),
        _l(f"Năm {YEARS[2]}: {dossiers._money(rng.randint(800, 90000) * 1_000_000)} đồng."),
        _l(f"{iss.esign} thông báo để {ent.name} được biết."),
        *_signer(rng, "CỤC TRƯỞNG" if "CỤC THUẾ TỈNH" in iss.lines[-1] else "CHI CỤC TRƯỞNG",
                 rng.choice((None, "KT. CỤC TRƯỞNG", "TL. CỤC TRƯỞNG"))),
        *_noi_nhan(rng, "- Như trên;"),
    ]
    return Doc("tax_insurance", f"tax-{style}-{layout}", (tuple(rows),))


def _bhxh_doc(ent: Enterprise, rng: random.Random) -> Doc:
    iss = rng.choice(BHXH_ISSUERS)
    d = _date(rng, months=(2, 5))
    years = _years_phrase(rng)
    style = rng.choice(("letter", "gxn", "gxn"))
    if style == "letter":
        summary = rng.choice(("xác nhận tình hình tham gia BHXH, BHYT, BHTN của đơn vị",
                              "xác nhận việc đóng bảo hiểm xã hội cho người lao động",
                              f"xác nhận tình hình thực hiện chính sách BHXH {years}",
                              "xác nhận đơn vị không nợ BHXH, BHYT, BHTN",
                              "cung cấp thông tin tình hình chấp hành pháp luật về BHXH, BHYT"))
        rows, layout = agency_first_rows(rng, iss, "", None, summary, d, letter=True, addressee=ent.name,
                                         web_kind="Công văn")
        rows = [r if not (r.right is not None and r.text.startswith("Số:")) else
                replace(r, text=r.text.replace("/BHXH", f"/BHXH-{rng.choice(('QLT', 'THU', 'TST'))}"))
                for r in rows]
    else:
        rows, layout = agency_first_rows(rng, iss, "GXN", "GIẤY XÁC NHẬN",
                                         rng.choice(("tình hình tham gia bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất nghiệp",
                                                     "tham gia BHXH, BHYT, BHTN cho người lao động")), d,
                                         web_kind="Giấy xác nhận")
    rows += [
        _l(f"{iss.esign} xác nhận: {ent.name}, mã đơn vị {rng.choice('TYZ')}{rng.choice('AB')}{rng.randint(1000, 9999)}, "
           f"địa chỉ {ent.address}.", gap=0.5),
        _l(f"Đã tham gia đóng bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất nghiệp cho người lao động {years}; "
           "đến thời điểm xác nhận đơn vị không nợ tiền đóng BHXH."),
        _l(f"Số lao động tham gia BHXH năm {YEARS[0]}: {max(12, ent.employees - rng.randint(5, 11))} người; "
           f"năm {YEARS[1]}: {max(12, ent.employees - rng.randint(1, 4))} người; năm {YEARS[2]}: {ent.employees} người."),
        *_signer(rng, "GIÁM ĐỐC", rng.choice((None, "KT. GIÁM ĐỐC"))),
        *_noi_nhan(rng, "- Như trên;"),
    ]
    return Doc("tax_insurance", f"bhxh-{style}-{layout}", (tuple(rows),))


def tax_insurance(ent: Enterprise, rng: random.Random) -> list[Doc]:
    return [_tax_doc(ent, rng), _bhxh_doc(ent, rng)]


def other_evidence(ent: Enterprise, rng: random.Random) -> list[Doc]:
    style = rng.choice(("bang_khen", "giay_khen", "financial", "results", "honour"))
    y = rng.choice(YEARS)
    if style == "honour":  # titled like a certificate, about an honour: the type line alone says little
        iss = rng.choice((ENV_ISSUERS[0], OTHER_ISSUERS[0]))
        d = _date(rng, 2020, (1, 3))
        rows = [*_issuer_rows(rng, iss, _number(rng, f"GCN-{iss.code}"), _place_date(rng, d), number_with_date=True),
                _c("GIẤY CHỨNG NHẬN", size=1.4, gap=1.5),
                _c(rng.choice((f"DOANH NGHIỆP TIÊU BIỂU TỈNH BẮC GIANG NĂM {y}", f"SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU NĂM {y}"))),
                _c(f"Chứng nhận: {ent.name}", bold=False, gap=1),
                _c("Đã có thành tích xuất sắc trong sản xuất, kinh doanh, đóng góp cho sự phát triển của tỉnh.",
                   bold=False, italic=True),
                *_signer(rng, "CHỦ TỊCH" if iss.code == "UBND" else "GIÁM ĐỐC")]
        return [Doc("other_evidence", "honour-certificate", (tuple(rows),))]
    if style == "bang_khen":
        rows = [_c("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC GIANG", size=1.05), _c("TẶNG", bold=False, gap=1),
                _c("BẰNG KHEN", size=2.0, gap=1), _c(ent.name.upper(), gap=1),
                _c(f"Đã có thành tích xuất sắc trong sản xuất kinh doanh năm {y},", bold=False, italic=True),
                _c("góp phần vào sự nghiệp xây dựng và phát triển kinh tế - xã hội của tỉnh", bold=False, italic=True),
                _l(f"Quyết định số {rng.randint(100, 2000)}/QĐ-UBND ngày {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{y + 1}", size=0.85, gap=2),
                _r(f"{PROVINCE}, ngày {rng.randint(1, 28):02d} tháng {rng.randint(1, 12)} năm {y + 1}", italic=True),
                *_signer(rng, "CHỦ TỊCH")]
    elif style == "giay_khen":
        rows = [_c(rng.choice(("GIÁM ĐỐC SỞ CÔNG THƯƠNG TỈNH BẮC GIANG", "CHỦ TỊCH UBND HUYỆN VIỆT YÊN"))),
                _c("TẶNG", bold=False), _c("GIẤY KHEN", size=1.8, gap=1), _c(ent.name.upper(), gap=1),
                _c(f"Đã có thành tích xuất sắc trong phong trào thi đua năm {y}", bold=False, italic=True),
                *_signer(rng, "GIÁM ĐỐC")]
    elif style == "financial":
        rows = report_cover(rng, ent, ("BÁO CÁO TÀI CHÍNH", f"CHO NĂM TÀI CHÍNH KẾT THÚC NGÀY 31/12/{y}",
                                       rng.choice(("(ĐÃ ĐƯỢC KIỂM TOÁN)", ""))), f"{PROVINCE}, tháng 3 năm {y + 1}")
        rows = [r for r in rows if r.text]
        table = [_l("BẢNG CÂN ĐỐI KẾ TOÁN", bold=True),
                 _l(f"Tổng tài sản: {dossiers._money(rng.randint(50, 900) * 1_000_000_000)} đồng"),
                 _l(f"Doanh thu thuần: {dossiers._money(rng.randint(50, 900) * 1_000_000_000)} đồng"),
                 _l(f"Lợi nhuận sau thuế: {dossiers._money(rng.randint(2, 90) * 1_000_000_000)} đồng")]
        return [Doc("other_evidence", "financial-cover", (tuple(rows), tuple(table)))]
    else:
        rows = [_c(ent.name.upper()), _c("-------", bold=False),
                _c("BÁO CÁO KẾT QUẢ SẢN XUẤT KINH DOANH", gap=1), _c(_years_phrase(rng).upper()),
                _l("Doanh thu, lợi nhuận và nộp ngân sách của công ty như sau:", gap=0.5)]
        for yy in YEARS:
            rows.append(_l(f"Năm {yy}: doanh thu {dossiers._money(rng.randint(50, 900) * 1_000_000_000)} đồng; "
                           f"lợi nhuận {dossiers._money(rng.randint(2, 90) * 1_000_000_000)} đồng."))
        rows += _signer(rng, dossiers._sign_title(ent))
    return [Doc("other_evidence", style, (tuple(rows),))]


BUILDERS: dict[str, Callable[[Enterprise, random.Random], list[Doc]]] = {
    "registration_form": registration_form, "company_profile": company_profile, "self_assessment": self_assessment,
    "quality_system": quality_system, "product_conformity": product_conformity, "environment": environment,
    "tax_insurance": tax_insurance, "other_evidence": other_evidence,
}


def component_docs(component: str, ent: Enterprise, rng: random.Random) -> list[Doc]:
    """The documents an enterprise sends as `component`, in one of the real layouts."""
    return BUILDERS[component](ent, rng)


# ---------------------------------------------------------------------------------------------------------------
# Negatives
# ---------------------------------------------------------------------------------------------------------------

_ENCLOSED = (
    "Đơn đăng ký tham dự Giải thưởng Chất lượng Quốc gia năm 2020;",
    "Báo cáo giới thiệu chung về tổ chức, doanh nghiệp;",
    "Báo cáo tự đánh giá theo 07 tiêu chí của Giải thưởng Chất lượng Quốc gia;",
    "Bản sao giấy chứng nhận hệ thống quản lý chất lượng ISO 9001:2015;",
    "Bản sao giấy chứng nhận hợp chuẩn, hợp quy sản phẩm chính;",
    "Quyết định phê duyệt báo cáo đánh giá tác động môi trường và kết quả quan trắc môi trường các năm 2017, 2018, 2019;",
    "Xác nhận thực hiện nghĩa vụ thuế và bảo hiểm xã hội các năm 2017, 2018, 2019;",
    "Các tài liệu chứng minh khác (bằng khen, báo cáo tài chính).",
)


def cover_letter(ent: Enterprise, rng: random.Random) -> list[Doc]:
    d = _date(rng, months=(5, 6))
    iss = _company_issuer(ent)
    style = rng.choice(("letter", "letter", "list"))
    if style == "letter":
        rows, layout = agency_first_rows(
            rng, iss, "CV", None,
            rng.choice(("gửi hồ sơ tham dự Giải thưởng Chất lượng Quốc gia năm 2020",
                        "nộp hồ sơ đăng ký tham dự Giải thưởng Chất lượng Quốc gia năm 2020",
                        "gửi hồ sơ tham dự sơ tuyển Giải thưởng Chất lượng Quốc gia")),
            d, letter=True, noise=False,
            addressee=rng.choice((f"Sở Khoa học và Công nghệ tỉnh {PROVINCE}",
                                  f"Hội đồng sơ tuyển Giải thưởng Chất lượng Quốc gia tỉnh {PROVINCE}",
                                  f"Chi cục Tiêu chuẩn Đo lường Chất lượng tỉnh {PROVINCE}")))
        rows += [_l(f"Thực hiện Kế hoạch tổ chức Giải thưởng Chất lượng Quốc gia năm 2020 của Sở Khoa học và Công nghệ "
                    f"tỉnh {PROVINCE}, {ent.name} xin gửi hồ sơ tham dự Giải thưởng gồm:", gap=0.5)]
    else:
        rows = [_c(ent.name.upper()), _c("-------", bold=False),
                _c(rng.choice(("DANH MỤC HỒ SƠ THAM DỰ", "DANH MỤC TÀI LIỆU GỬI KÈM")), gap=1),
                _c("GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA NĂM 2020")]
        layout = "enclosure-list"
    items = list(_ENCLOSED)
    if rng.random() < 0.3:
        items = items[:-1]
    bullet = rng.choice(("1.", "1)", "-", "+", "a)", "table", "none"))
    if bullet == "table":  # a table: STT | document | copies
        rows.append(_l("STT   Tên tài liệu   Số lượng", bold=True))
        rows += [_l(f"{i}   {s.rstrip(';.')}   01 bản") for i, s in enumerate(items, 1)]
    else:
        for i, s in enumerate(items, 1):
            mark = {"1.": f"{i}.", "1)": f"{i})", "a)": f"{'abcdefgh'[i - 1]})", "-": "-", "+": "+", "none": ""}[bullet]
            rows.append(_l(f"{mark} {s}".strip()))
    layout += f"+list-{bullet}"
    if style == "letter":
        rows += [_l("Kính đề nghị Quý Sở xem xét, tổng hợp hồ sơ của doanh nghiệp."),
                 *_signer(rng, dossiers._sign_title(ent)), *_noi_nhan(rng, "- Như trên;")]
    return [Doc("cover_letter", layout, (tuple(rows),))]


def _unrelated_letter(ent: Enterprise, rng: random.Random) -> Doc:
    iss = rng.choice(OTHER_ISSUERS + (TAX_ISSUERS[0], ENV_ISSUERS[1]))
    d = _date(rng, rng.choice((2019, 2020)), (1, 12))
    summary = rng.choice((
        "đôn đốc báo cáo thống kê định kỳ năm 2019",
        "tăng cường công tác phòng chống dịch bệnh Covid-19 tại doanh nghiệp",
        "kiểm tra công tác phòng cháy, chữa cháy năm 2020",
        "báo cáo tình hình sử dụng lao động 6 tháng đầu năm",
        "triển khai hóa đơn điện tử theo Nghị định 119/2018/NĐ-CP",
        "cung cấp thông tin phục vụ công tác quản lý nhà nước",
    ))
    rows, layout = agency_first_rows(rng, iss, "", None, summary, d, letter=True,
                                     addressee="Các doanh nghiệp trên địa bàn tỉnh", web_kind="Công văn")
    rows += [_l("Để thực hiện tốt nhiệm vụ được giao, đề nghị các doanh nghiệp triển khai một số nội dung sau:", gap=0.5),
             _l("1. Rà soát, cập nhật số liệu và gửi báo cáo đúng thời hạn quy định."),
             _l("2. Cử cán bộ đầu mối phối hợp, cung cấp thông tin khi có yêu cầu."),
             *_signer(rng, "GIÁM ĐỐC", "KT. GIÁM ĐỐC"), *_noi_nhan(rng, "- Như trên;")]
    return Doc("negative", f"unrelated-letter-{layout}", (tuple(rows),))


def _unrelated_decision(ent: Enterprise, rng: random.Random) -> Doc:
    d = _date(rng, rng.choice((2019, 2020)), (1, 12))
    choice = rng.random()
    if choice < 0.4:
        iss = KHCN_ISSUERS[0]
        summary = "thành lập Hội đồng sơ tuyển Giải thưởng Chất lượng Quốc gia tỉnh Bắc Giang năm 2020"
    elif choice < 0.7:
        iss = ENV_ISSUERS[0]
        summary = rng.choice(("phê duyệt quy hoạch sử dụng đất đến năm 2020 của huyện Việt Yên",
                              "ban hành Kế hoạch cải thiện chỉ số năng lực cạnh tranh cấp tỉnh năm 2020"))
    else:
        iss = _company_issuer(ent)
        summary = rng.choice(("bổ nhiệm Trưởng phòng Kỹ thuật", "thành lập Ban an toàn vệ sinh lao động",
                              "ban hành nội quy lao động của công ty"))
    rows, layout = agency_first_rows(rng, iss, "QĐ", "QUYẾT ĐỊNH", summary, d, web_kind="Quyết định")
    rows += [_l("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;", gap=0.5),
             _l("Căn cứ chức năng, nhiệm vụ và quyền hạn được giao;"), _c("QUYẾT ĐỊNH:", gap=0.5),
             _l(f"Điều 1. {summary[0].upper()}{summary[1:]}."),
             _l("Điều 2. Quyết định này có hiệu lực kể từ ngày ký."),
             *_signer(rng, "GIÁM ĐỐC"), *_noi_nhan(rng, "- Như Điều 2;")]
    return Doc("negative", f"unrelated-decision-{layout}", (tuple(rows),))


def _invitation(ent: Enterprise, rng: random.Random) -> Doc:
    iss = KHCN_ISSUERS[rng.randint(0, 1)]
    d = _date(rng, months=(3, 4))
    if rng.random() < 0.5:
        rows, layout = agency_first_rows(
            rng, iss, "GM", "GIẤY MỜI", "tham dự Hội nghị hướng dẫn tham gia Giải thưởng Chất lượng Quốc gia năm 2020",
            d, web_kind="Giấy mời")
        rows += [_l(f"Kính mời: Đại diện lãnh đạo {ent.name}", gap=0.5),
                 _l(f"Thời gian: 8 giờ 00 phút, ngày {d.day + 1:02d}/{d.month:02d}/2020."),
                 _l("Địa điểm: Hội trường Sở Khoa học và Công nghệ."),
                 *_signer(rng, "GIÁM ĐỐC")]
        return Doc("negative", "invitation-" + layout, (tuple(rows),))
    rows, layout = agency_first_rows(
        rng, iss, "", None, "hướng dẫn tham dự Giải thưởng Chất lượng Quốc gia năm 2020", d, letter=True,
        addressee="Các doanh nghiệp trên địa bàn tỉnh", web_kind="Công văn")
    rows += [_l("Hồ sơ tham dự Giải thưởng gồm:", gap=0.5)]
    rows += [_l(f"- {s}") for s in _ENCLOSED[:7]]
    rows += [_l("Hồ sơ gửi về Sở Khoa học và Công nghệ trước ngày 30/6/2020."), *_signer(rng, "GIÁM ĐỐC", "KT. GIÁM ĐỐC")]
    return Doc("negative", "guidance-" + layout, (tuple(rows),))


def _award_plan(ent: Enterprise, rng: random.Random) -> Doc:
    """The department's plan for the award (it lists the dossier's components, and is none of them)."""
    iss = KHCN_ISSUERS[0]
    d = _date(rng, months=(3, 3))
    rows, layout = agency_first_rows(rng, iss, "KH", "KẾ HOẠCH",
                                     "Tổ chức Giải thưởng Chất lượng Quốc gia năm 2020 trên địa bàn tỉnh Bắc Giang",
                                     d, web_kind="Kế hoạch")
    rows += [_l("I. MỤC ĐÍCH, YÊU CẦU", bold=True, gap=0.5),
             _l("Khuyến khích các tổ chức, doanh nghiệp nâng cao năng lực quản lý, chất lượng sản phẩm, hàng hóa."),
             _l("II. NỘI DUNG", bold=True), _l("Hồ sơ tham dự Giải thưởng gồm:")]
    rows += [_l(f"{'abcdefgh'[i]}) {s}") for i, s in enumerate(_ENCLOSED[:7])]
    rows += [_l("Thời hạn nhận hồ sơ: trước ngày 30/6/2020.")]
    return Doc("negative", "plan-" + layout, (tuple(rows),))


def _brochure(ent: Enterprise, rng: random.Random) -> Doc:
    ind = dossiers._industry_of(ent)
    rows = [_c(dossiers._short_name(ent).upper(), size=1.6), _c(rng.choice(("Chất lượng tạo niềm tin", "Uy tín - Chất lượng - Hiệu quả")), italic=True, bold=False),
            _c("CATALOGUE SẢN PHẨM", size=1.3, gap=1.5),
            _l(f"Sản phẩm: {ind.products}", gap=1), _l(f"Hotline: {ent.phone}"), _l(f"Email: {ent.email}"),
            _l(f"Địa chỉ: {ent.address}")]
    return Doc("negative", "brochure", (tuple(rows),))


def _photo(ent: Enterprise, rng: random.Random) -> Doc:
    caption = rng.choice(("Hình ảnh nhà xưởng sản xuất", "Lễ đón nhận Bằng khen", "Dây chuyền sản xuất", ""))
    return Doc("negative", "photo", ((Row(caption, "C", italic=True),),))


NEGATIVES: dict[str, Callable[[Enterprise, random.Random], Doc]] = {
    "unrelated_letter": _unrelated_letter, "unrelated_decision": _unrelated_decision, "invitation": _invitation,
    "brochure": _brochure, "photo": _photo, "plan": _award_plan,
}


def negative_docs(kind: str, ent: Enterprise, rng: random.Random) -> list[Doc]:
    """A document that is no component: "cover_letter" or one of NEGATIVES."""
    return cover_letter(ent, rng) if kind == "cover_letter" else [NEGATIVES[kind](ent, rng)]


# ---------------------------------------------------------------------------------------------------------------
# Dossiers and the corpus
# ---------------------------------------------------------------------------------------------------------------

_NAMES = {
    "registration_form": ("Đơn đăng ký GTCLQG 2020", "01. Don dang ky", "Ban dang ky tham du"),
    "company_profile": ("Báo cáo giới thiệu DN", "02 Gioi thieu cong ty", "Bao cao chung"),
    "self_assessment": ("Báo cáo tự đánh giá", "03 BC 7 tieu chi", "Bao cao GTCL 2020"),
    "quality_system": ("Chứng chỉ ISO", "04 ISO 9001-2015", "Certificate"),
    "product_conformity": ("Giấy chứng nhận hợp chuẩn", "05 Hop quy san pham", "Chung nhan san pham"),
    "environment": ("Hồ sơ môi trường", "06 DTM va quan trac", "Moi truong"),
    "tax_insurance": ("Xác nhận thuế, BHXH", "07 Thue - BHXH", "Xac nhan co quan"),
    "other_evidence": ("Bằng khen", "08 Tai lieu khac", "BCTC"),
    "cover_letter": ("Công văn gửi hồ sơ", "00 Cong van", "CV gui So KHCN"),
    "negative": ("Tài liệu tham khảo", "Giay moi", "Van ban den"),
}


def _file_name(rng: random.Random, kind: str, ext: str, used: set[str]) -> str:
    """A realistic name: meaningful (with or without diacritics) or meaningless; never ending in digits (so that
    no two images are read as pages of one scan)."""
    for attempt in range(100):
        if rng.random() < 0.35:
            stem = rng.choice(("scan", "Scan", "IMG", "Tai lieu", "Document", "Văn bản")) + \
                f" ({rng.randint(1, 999)})"
        else:
            stem = rng.choice(_NAMES[kind]) + ("" if attempt == 0 else f" ({attempt})")
        name = f"{stem}{ext}"
        if name.casefold() not in used:
            used.add(name.casefold())
            return name
    raise RuntimeError("no free file name")


_EXTS = {"pdf": ".pdf", "docx": ".docx", "scan": ".pdf", "jpg": ".jpg"}


_SCAN_SHARE = {1: 0.42, 2: 0.35, 3: 0.2}


def _pick_rendering(rng: random.Random, pages: int) -> str:
    """About a third of the files scanned, the short ones more often (agency letters and certificates are
    scanned, long reports are sent as Word or PDF); JPEG only for one-page documents."""
    if rng.random() < _SCAN_SHARE.get(pages, 0.1):
        return "jpg" if pages == 1 and rng.random() < 0.3 else "scan"
    return "pdf" if rng.random() < 0.55 else "docx"


def make_dossier(index: int, seed: int, *, removed: Sequence[str] = ()) -> CorpusDossier:
    """Dossier `index` of the corpus of `seed`: an enterprise's files, cover letter first, one file per component
    (two for some tax/insurance ones), sometimes other documents the enterprise dropped in too."""
    rng = random.Random(f"{seed}-{index}")
    ent = dossiers.make_enterprise(rng)
    used: set[str] = set()
    files: list[CorpusFile] = []

    def add(kind: str, docs: list[Doc], rendering: str | None = None) -> None:
        pages = sum(len(d.pages) for d in docs)
        rendering = rendering or _pick_rendering(rng, pages)
        if rendering == "jpg" and pages > 1:
            rendering = "scan"
        dpi = 200 if rendering in ("pdf", "docx") else rng.choice((200, 200, 200, 200, 300))
        degraded = rendering in ("scan", "jpg") and rng.random() < 0.25
        if rendering in ("pdf", "docx"):  # born digital: no stamp of the paper's arrival
            docs = [replace(d, layout=d.layout.replace("+arrival-stamp", ""),
                            pages=tuple(tuple(r for r in p if not r.paper_only) for p in d.pages)) for d in docs]
        variant = ""
        if rendering == "jpg" and kind != "negative" and rng.random() < 0.25:
            variant = "phone"
        elif rendering == "scan" and rng.random() < 0.2:
            variant = "ocr-layer"
        elif rendering == "docx" and pages <= 2 and rng.random() < 0.15:
            variant = "pasted"
        files.append(CorpusFile(_file_name(rng, kind, _EXTS[rendering], used), rendering, tuple(docs), dpi,
                                degraded, rng.randrange(2**31), variant))

    add("cover_letter", cover_letter(ent, rng))
    for component in COMPONENT_IDS:
        docs = component_docs(component, ent, rng)
        if component == "tax_insurance" and rng.random() < 0.35:
            for doc in docs:  # tax and insurance confirmations sent as two files
                add(component, [doc])
        else:
            add(component, docs)
    for kind in rng.sample(sorted(NEGATIVES), rng.choice((0, 1, 1, 2))):
        add("negative", [NEGATIVES[kind](ent, rng)], "jpg" if kind == "photo" else None)
    kept = tuple(f for f in files if not (f.components & set(removed)))
    return CorpusDossier(f"HS{index:02d} {ent.name}", ent, kept, tuple(removed))


def make_corpus(seed: int, dossiers_count: int) -> list[CorpusDossier]:
    """`dossiers_count` complete-in-fact dossiers (about 11 files each)."""
    return [make_dossier(i, seed) for i in range(dossiers_count)]


# ---------------------------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------------------------

_W, _H = dossiers._PAGE_W, dossiers._PAGE_H
_ML, _MR, _MT, _MB = dossiers._MARGIN_L, dossiers._MARGIN_R, dossiers._MARGIN_T, dossiers._MARGIN_B
_BASE = 13.0
_SPLIT = 0.42  # the left header column's share of the text width


@dataclass(frozen=True)
class _Op:
    x: float
    y: float
    text: str
    face: str
    size: float
    column: int  # 0: full width, 1: left header column, 2: right header column


def _face(bold: bool, italic: bool) -> str:
    return {(False, False): "regular", (True, False): "bold", (False, True): "italic", (True, True): "bolditalic"}[(bold, italic)]


def _place(text: str, face: str, size: float, x0: float, width: float, align: str, y: float,
           column: int) -> tuple[list[_Op], float]:
    """Wrapped, aligned ops of one text in [x0, x0 + width]; returns them and the y after them."""
    if not text:
        return [], y
    if align == "C" and dossiers._text_width(text, face, size) > width and len(text) < 60:
        size = max(size * 0.8, size * width / dossiers._text_width(text, face, size))
    ops = []
    for piece in dossiers._wrap(text, face, size, width):
        tw = dossiers._text_width(piece, face, size)
        x = x0 if align == "L" else (x0 + (width - tw) / 2 if align == "C" else x0 + width - tw)
        y += size * 1.3
        ops.append(_Op(x, y, piece, face, size, column))
    return ops, y


def _layout(page: Page, scale: float) -> tuple[list[_Op], list[tuple[float, float, float, float]], float]:
    width = _W - _ML - _MR
    y = _MT
    ops: list[_Op] = []
    boxes = []
    for row in page:
        size = _BASE * row.size * scale
        y += row.gap * size
        if row.right is not None:
            left_ops, yl = _place(row.text, _face(row.bold, row.italic), size * 0.95, _ML - 25, width * _SPLIT + 10,
                                  "C", y, 1)
            right_ops, yr = _place(row.right, _face(row.right_bold, row.right_italic), size * 0.95,
                                   _ML + width * _SPLIT, width * (1 - _SPLIT) + 20, "C", y, 2)
            ops += left_ops + right_ops
            y = max(yl, yr)
            continue
        face = _face(row.bold, row.italic)
        if row.box:
            placed, y2 = _place(row.text, face, size, _ML if row.align == "L" else _ML + width * 0.55,
                                width * 0.4, row.align if row.align != "R" else "C", y, 0)
            for op in placed:
                tw = dossiers._text_width(op.text, face, op.size)
                boxes.append((op.x - 5, op.y - op.size * 1.1, op.x + tw + 5, op.y + op.size * 0.4))
            ops += placed
            y = y2
            continue
        placed, y = _place(row.text, face, size, _ML, width, row.align, y, 0)
        ops += placed
    return ops, boxes, y


def _plan(page: Page) -> tuple[list[_Op], list[tuple[float, float, float, float]]]:
    for scale in (1.0, 0.92, 0.85, 0.78, 0.7, 0.62, 0.55):
        ops, boxes, bottom = _layout(page, scale)
        if bottom <= _H - _MB:
            break
    return ops, boxes


def _draw_order(ops: list[_Op], by_columns: bool) -> list[_Op]:
    """Ops in drawing order: as laid out (header columns interleaved line by line, which text extraction merges
    into one line), or each header column's block after the other."""
    if not by_columns:
        return ops
    head = [o for o in ops if o.column]
    rest = [o for o in ops if not o.column]
    first_rest = ops.index(rest[0]) if rest else len(ops)
    before = [o for o in ops[:first_rest] if not o.column]
    return before + [o for o in head if o.column == 1] + [o for o in head if o.column == 2] + \
        [o for o in ops if not o.column and o not in before]


def write_pdf(path: Path, pages: Sequence[Page], rng: random.Random) -> None:
    """A born-digital PDF (DejaVu Serif embedded)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(dossiers._FIXED_DATETIME)
    by_columns = rng.random() < 0.4
    plans = [_plan(page) for page in pages]
    for face in sorted({op.face for ops, _ in plans for op in ops}):  # a font file parsed costs 0.3 s: only those used
        pdf.add_font(dossiers._PDF_FAMILY, dossiers._FPDF_STYLE[face], dossiers._font_path(face))
    for ops, boxes in plans:
        pdf.add_page()
        for op in _draw_order(ops, by_columns):
            pdf.set_font(dossiers._PDF_FAMILY, dossiers._FPDF_STYLE[op.face], op.size)
            pdf.text(op.x, op.y, op.text)
        pdf.set_line_width(1.0)
        for x0, y0, x1, y1 in boxes:
            pdf.rect(x0, y0, x1 - x0, y1 - y0)
    pdf.output(str(path))


def render_page_images(pages: Sequence[Page], rng: random.Random, *, dpi: int = 200,
                       degraded: bool = False) -> list[Image.Image]:
    """Each page as a grayscale scan: paper tone, skew, blur, noise, dust, faint show-through of the next page;
    `degraded`: paler ink, more blur and noise, stronger show-through (a tired copier)."""
    k = dpi / 72.0
    images = []
    plans = [_plan(p) for p in pages]
    for index, (ops, boxes) in enumerate(plans):
        w, h = round(_W * k), round(_H * k)
        paper = rng.randint(232, 250)
        ink = rng.randint(70, 110) if degraded else rng.randint(10, 45)
        img = Image.new("L", (w, h), paper)
        draw = ImageDraw.Draw(img)
        dx, dy = rng.uniform(-8, 8), rng.uniform(-8, 8)
        if rng.random() < (0.6 if degraded else 0.25):  # show-through: the back (or next) page, mirrored
            other = plans[index + 1][0] if index + 1 < len(plans) else ops
            back = Image.new("L", (w, h), 0)
            bd = ImageDraw.Draw(back)
            for op in other[: rng.randint(3, 12)]:
                bd.text((op.x * k, op.y * k), op.text, font=dossiers._pil_font(op.face, max(6, round(op.size * k))),
                        fill=255, anchor="ls")
            back = back.transpose(Image.Transpose.FLIP_LEFT_RIGHT).filter(ImageFilter.GaussianBlur(1.5 * k / 2.78))
            shade = rng.randint(18, 40) if degraded else rng.randint(8, 22)
            img = ImageChops.subtract(img, back.point(lambda v, s=shade: v * s // 255))
            draw = ImageDraw.Draw(img)
        for op in ops:
            font = dossiers._pil_font(op.face, max(6, round(op.size * k)))
            draw.text(((op.x + dx) * k, (op.y + dy) * k), op.text, font=font, fill=ink, anchor="ls")
        for x0, y0, x1, y1 in boxes:
            draw.rectangle(((x0 + dx) * k, (y0 + dy) * k, (x1 + dx) * k, (y1 + dy) * k), outline=ink + 20,
                           width=max(2, round(1.0 * k)))
        for _ in range(rng.randint(4, 40 if degraded else 20)):
            x, y = rng.uniform(0, w), rng.uniform(0, h)
            r = rng.uniform(0.5, 2.2) * dpi / 200
            draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.randint(60, 160))
        angle = rng.uniform(-1.2, 1.2) if degraded else rng.uniform(-0.6, 0.6)
        img = img.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=paper)
        blur = (rng.uniform(0.7, 1.0) if degraded else rng.uniform(0.3, 0.6)) * dpi / 200
        img = img.filter(ImageFilter.GaussianBlur(blur))
        noise = Image.frombytes("L", img.size, rng.randbytes(img.size[0] * img.size[1]))
        noise = noise.point(dossiers._noise_lut(round(rng.uniform(8.0, 12.0) if degraded else rng.uniform(3.0, 7.0), 1)))
        images.append(ImageChops.add(img, noise, scale=1.0, offset=-128))
    return images


def write_scan(path: Path, pages: Sequence[Page], rng: random.Random, *, dpi: int, degraded: bool) -> None:
    images = render_page_images(pages, rng, dpi=dpi, degraded=degraded)
    images[0].save(str(path), "PDF", save_all=True, append_images=images[1:], resolution=float(dpi),
                   quality=55 if degraded else 75, creationDate=dossiers._FIXED_STRUCT_TIME,
                   modDate=dossiers._FIXED_STRUCT_TIME)


_CONFUSED = {"a": "aeo", "o": "oq0c", "u": "uiJ", "e": "ec", "i": "il1", "y": "yv", "d": "dcl", "D": "DO"}


def _english_ocr(text: str, rng: random.Random) -> str:
    """What an office scanner's English OCR makes of Vietnamese: marks dropped, marked letters misread."""
    out = []
    for ch in text:
        base = dossiers._fold(ch)
        if base != ch and base.lower() in _CONFUSED and rng.random() < 0.5:
            pick = rng.choice(_CONFUSED[base.lower()])
            out.append(pick.upper() if ch.isupper() and rng.random() < 0.7 else pick)
        else:
            out.append(base)
    return "".join(out)


def write_scan_with_layer(path: Path, pages: Sequence[Page], rng: random.Random, *, dpi: int, degraded: bool) -> None:
    """A scanned PDF as office scanners with OCR software write it: each page's JPEG, and over it an invisible
    text layer read with an English model (not Vietnamese: the service must OCR the image again)."""
    from fpdf import FPDF
    from fpdf.enums import TextMode

    images = render_page_images(pages, rng, dpi=dpi, degraded=degraded)
    pdf = FPDF(orientation="P", unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(dossiers._FIXED_DATETIME)
    pdf.add_font(dossiers._PDF_FAMILY, "", dossiers._font_path("regular"))
    for page, img in zip(pages, images):
        pdf.add_page()
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=70, dpi=(dpi, dpi))
        pdf.image(buf, 0, 0, _W, _H)
        pdf.text_mode = TextMode.INVISIBLE
        for op in _plan(page)[0]:
            pdf.set_font(dossiers._PDF_FAMILY, "", op.size)
            pdf.text(op.x, op.y, _english_ocr(op.text, rng))
        pdf.text_mode = TextMode.FILL
    pdf.output(str(path))


def write_jpeg(path: Path, page: Page, rng: random.Random, *, dpi: int, degraded: bool, photo: bool,
               phone: bool = False) -> None:
    (img,) = render_page_images([page], rng, dpi=dpi, degraded=degraded)
    if phone:  # the page photographed on a desk: colour, border, uneven light, no DPI
        dossiers._phone_photo(img, rng).save(str(path), "JPEG", quality=80)
        return
    if photo:  # a picture of the premises: shapes and light, maybe a caption line on it
        pic = Image.linear_gradient("L").resize(img.size).point(lambda v: 60 + v // 2)
        draw = ImageDraw.Draw(pic)
        for _ in range(rng.randint(4, 9)):
            x0, y0 = rng.uniform(0, img.size[0]), rng.uniform(img.size[1] * 0.3, img.size[1])
            draw.rectangle((x0, y0, x0 + rng.uniform(80, 600), y0 + rng.uniform(80, 500)), fill=rng.randint(20, 220))
        text = next((op for op in _plan(page)[0]), None)
        if text is not None:
            k = dpi / 72.0
            draw.text((text.x * k, text.y * k), text.text, font=dossiers._pil_font("italic", round(text.size * k)),
                      fill=15, anchor="ls")
        img = pic
        img.save(str(path), "JPEG", quality=80)  # phone pictures carry no DPI
        return
    img.save(str(path), "JPEG", quality=60 if degraded else 82, dpi=(dpi, dpi))


def write_word(path: Path, docs: Sequence[Doc], rng: random.Random) -> None:
    """A Word file: NĐ 30 header columns as a borderless table (one row, or one row per line), other rows as
    paragraphs, a page break between pages, the first document's running title in the page header; sometimes
    typed over an OCR output, the header columns merged into one paragraph per line."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    props = doc.core_properties
    props.created = props.modified = dossiers._FIXED_DATETIME.replace(tzinfo=None)
    props.author = props.last_modified_by = "Admin"
    props.revision = 1
    running = docs[0].running
    if running and rng.random() < 0.7:
        run = section.header.paragraphs[0].add_run(running)
        run.italic = True
        run.font.size = Pt(10)
    merged = rng.random() < 0.25
    table_per_line = rng.random() < 0.4
    align = {"L": WD_ALIGN_PARAGRAPH.JUSTIFY, "C": WD_ALIGN_PARAGRAPH.CENTER, "R": WD_ALIGN_PARAGRAPH.RIGHT}

    def para(container, text: str, row: Row, *, bold: bool | None = None, italic: bool | None = None) -> None:
        p = container.add_paragraph()
        p.alignment = align[row.align]
        r = p.add_run(text)
        r.bold = row.bold if bold is None else bold
        r.italic = row.italic if italic is None else italic
        if row.size != 1.0:
            r.font.size = Pt(round(13 * row.size))

    first = True
    for d in docs:
        for page in d.pages:
            if not first:
                doc.add_page_break()
            first = False
            i = 0
            while i < len(page):
                row = page[i]
                if row.right is None:
                    para(doc, row.text, row)
                    i += 1
                    continue
                block = []
                while i < len(page) and page[i].right is not None:
                    block.append(page[i])
                    i += 1
                if merged:  # an OCR output pasted into Word: each header line one paragraph
                    for r in block:
                        para(doc, " ".join(t for t in (r.text, r.right) if t), r, bold=r.bold or r.right_bold)
                    continue
                rows = [[r] for r in block] if table_per_line else [block]
                table = doc.add_table(rows=len(rows), cols=2)
                for ri, group in enumerate(rows):
                    for ci in range(2):
                        cell = table.cell(ri, ci)
                        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
                        texts = [(r.text if ci == 0 else r.right or "", r) for r in group]
                        texts = [(t, r) for t, r in texts if t]
                        for t, r in texts or [("", group[0])]:
                            para(cell, t, replace(r, align="C"), bold=r.bold if ci == 0 else r.right_bold,
                                 italic=r.italic if ci == 0 else r.right_italic)
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(dossiers._deterministic_zip(buf.getvalue()))


def write_word_pictures(path: Path, pages: Sequence[Page], rng: random.Random, *, dpi: int) -> None:
    """A Word file holding only pictures of the scanned pages (one a page), as enterprises paste scans."""
    from docx import Document
    from docx.shared import Mm

    doc = Document()
    doc.core_properties.created = doc.core_properties.modified = dossiers._FIXED_DATETIME.replace(tzinfo=None)
    doc.core_properties.author = doc.core_properties.last_modified_by = "Admin"
    doc.core_properties.revision = 1
    section = doc.sections[0]
    section.left_margin = section.right_margin = Mm(15)
    for i, img in enumerate(render_page_images(pages, rng, dpi=dpi)):
        if i:
            doc.add_page_break()
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=75, dpi=(dpi, dpi))
        buf.seek(0)
        doc.add_picture(buf, width=Mm(175))
    out = io.BytesIO()
    doc.save(out)
    path.write_bytes(dossiers._deterministic_zip(out.getvalue()))


def write_file(folder: Path, f: CorpusFile) -> Path:
    """Write one corpus file into `folder`; the same file always gives the same bytes."""
    rng = random.Random(f.seed)
    path = folder / f.name
    pages = [p for d in f.docs for p in d.pages]
    if f.rendering == "pdf":
        write_pdf(path, pages, rng)
    elif f.rendering == "docx" and f.variant == "pasted":
        write_word_pictures(path, pages, rng, dpi=f.dpi)
    elif f.rendering == "docx":
        write_word(path, f.docs, rng)
    elif f.rendering == "scan" and f.variant == "ocr-layer":
        write_scan_with_layer(path, pages, rng, dpi=f.dpi, degraded=f.degraded)
    elif f.rendering == "scan":
        write_scan(path, pages, rng, dpi=f.dpi, degraded=f.degraded)
    elif f.rendering == "jpg":
        write_jpeg(path, pages[0], rng, dpi=f.dpi, degraded=f.degraded, photo=f.docs[0].layout == "photo",
                   phone=f.variant == "phone")
    else:
        raise ValueError(f"unknown rendering {f.rendering!r}")
    return path


def write_dossier_files(folder: Path, dossier: CorpusDossier) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_file(folder, f) for f in dossier.files]
