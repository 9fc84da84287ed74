"""The registration form's fields (name, address, phone, e-mail, tax code, legal representative, category,
employees, founding date) read from its text — digital, Word (labels and values in table cells) or OCR'd with
diacritic errors — with a status per field (ok, uncertain, corrected, invalid, missing); contact fields validated
by the libraries made for them (python-stdnum, phonenumbers, email-validator). Pure: never guesses a value
(an OCR correction is accepted only when the tax code's check digit proves it), never reads a file, never goes
on the network."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz, process

from ..folding import fold, fold_chars, nfc
from ..models import Match, Page, ReceivedFile
from .category import read_category, ticked_category
from .revisions import in_force, revisions
from .checks import AS_DIGIT, TAX_CODE, check_tax_code, judge_ocr, tax_shape, valid_email, valid_phone
from .models import Registration, RegistrationField

REGISTRATION_FORM = "registration_form"

FIELDS = ("enterprise", "address", "phone", "email", "tax_code", "representative", "category", "employees",
          "founded")
"""Field ids, in the order of the form."""

LABELS: dict[str, tuple[str, ...]] = {
    "enterprise": ("ten doanh nghiep", "ten to chuc doanh nghiep", "ten to chuc", "ten don vi", "ten co so",
                   "ten day du cua doanh nghiep", "ten tieng viet"),
    "address": ("dia chi tru so chinh", "dia chi tru so", "dia chi", "tru so chinh", "tru so"),
    "phone": ("so dien thoai", "dien thoai", "dien thoai co dinh", "dt", "tel"),
    "email": ("dia chi thu dien tu", "thu dien tu", "e mail", "email"),
    "tax_code": ("ma so thue", "ma so doanh nghiep", "mst", "ma so thue ma so doanh nghiep",
                 "ma so doanh nghiep ma so thue"),
    "representative": ("nguoi dai dien theo phap luat", "nguoi dai dien", "ho va ten nguoi dai dien",
                       "ho ten nguoi dai dien theo phap luat",
                       # the head of the organisation, as the award's texts word it (audit 17)
                       "nguoi dung dau to chuc doanh nghiep", "nguoi dung dau doanh nghiep", "nguoi dung dau",
                       "ho va ten nguoi dung dau doanh nghiep", "ho va ten nguoi dung dau to chuc doanh nghiep",
                       "ho va ten nguoi dung dau", "ho va ten nguoi dai dien theo phap luat"),
    "category": ("loai hinh", "loai hinh tham du", "loai hinh dang ky tham du", "dang ky tham du loai hinh",
                 "loai hinh doanh nghiep"),
    "employees": ("tong so lao dong", "so lao dong", "tong so nguoi lao dong", "so luong lao dong",
                  "tong so can bo cong nhan vien", "so nguoi lao dong",
                  # "Số CBCNV: 320 (trong đó hợp đồng trên 1 năm: 290)" (audit 21)
                  "so cbcnv", "tong so cbcnv", "so can bo cong nhan vien", "so luong cbcnv", "lao dong"),
    "founded": ("ngay thanh lap", "nam thanh lap", "thoi gian thanh lap", "thanh lap ngay",
                "ngay dang ky lan dau", "cap lan dau ngay",
                # lines that give the founding or first registration unlabelled (audit 21): "Thành lập theo Quyết
                # định số 123/QĐ-UBND ngày 05/8/1998", "Giấy CNĐKDN số …, đăng ký lần đầu ngày 15/4/2008, …"
                "thanh lap theo quyet dinh so", "thanh lap theo quyet dinh", "giay cndkdn so",
                "giay chung nhan dang ky doanh nghiep so", "giay chung nhan dang ky kinh doanh so", "giay cndkkd so"),
}
"""Folded labels of each field, as forms print them (fuzzy-matched: OCR misreads diacritics)."""

MIN_LABEL_SCORE = 88.0
"""Fuzzy score (0-100, folded) from which the start of a line is read as a label."""

_LABELLED = tuple((name, label) for name, labels in LABELS.items() for label in labels)
_LABEL_TEXTS = tuple(label for _, label in _LABELLED)


def _slack(label: str) -> int:
    """How much longer or shorter than a label a line's first words may be to be compared with it: a quarter of
    it, three characters for short labels."""
    return max(3, len(label) // 4)


_LONGEST_HEAD = max(len(label) + _slack(label) for label in _LABEL_TEXTS)
"""Folded length from which a line's first words are longer than any label they could be."""

WRAPPING = ("enterprise", "address")
"""Fields long enough to wrap onto the next line of the form."""

EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
"""An e-mail address as enterprises write it (ASCII; what OCR of a clean scan gives back)."""

CATEGORIES = ("Sản xuất lớn", "Sản xuất vừa và nhỏ", "Dịch vụ lớn", "Dịch vụ vừa và nhỏ")
"""The award's categories, as the value of `category` is normalised."""

_NEXT_LABEL = re.compile(
    r"\s(?:fax|e ?-?mail|thu dien tu|website|web|di dong|dien thoai|mst|ma so thue|chuc vu|nam thanh lap|"
    r"ngay thanh lap|tong so lao dong|tong so nguoi lao dong|so luong lao dong|so lao dong)\s*[:;]")
"""Another label later on the same line (on a char-folded value): the value stops there ("Năm thành lập: 2009
Tổng số lao động: 85 người", audit 49: the workforce, which decides the category, was never read)."""

ROW_NUMBERING = re.compile(r"^\s*(?:[-–•*+]|\(?[0-9]{1,2}[.)]|\(?[a-h][.)]|[IVX]{1,4}\.)\s*")
"""A form row's own numbering as printed ("2. Tên doanh nghiệp", "b) Tên tiếng Anh", "- Địa chỉ")."""
_COLON_GLUED = re.compile(r"(?<=[^\W\d_])\s*[:;：](?=\S)")
_HONORIFIC = re.compile(r"^(?:Ông|Bà|Ông/Bà|Ông \(Bà\)|Mr\.?|Mrs\.?|Ms\.?)\s+", re.IGNORECASE)
_SEPARATORS = ":;：-–—"


def _label_at(line: str) -> tuple[str, str, float] | None:
    """(field, the rest of the line, score) when `line` begins with a field's label; None otherwise.

    The label is the line's first words (up to its colon, if any) that best match a field's label: best
    score first, then a label closed by a colon, then the most specific label."""
    body = _COLON_GLUED.sub(": ", ROW_NUMBERING.sub("", line, count=1))
    words = body.split()
    best: tuple[tuple[float, bool, int], str, str] | None = None
    for count in range(1, min(len(words), 9) + 1):
        head = " ".join(words[:count])
        closed = head.endswith((":", "：", ";"))
        folded = fold(head.rstrip(_SEPARATORS + " "))
        if len(folded) > _LONGEST_HEAD:
            break  # longer than any label, as every longer head will be
        # The labels scoring MIN_LABEL_SCORE or more, found in one pass (rapidfuzz, in C), taken in LABELS' order.
        hits = process.extract(folded, _LABEL_TEXTS, scorer=fuzz.ratio, score_cutoff=MIN_LABEL_SCORE, limit=None)
        for _, score, index in sorted(hits, key=lambda hit: hit[2]):
            name, label = _LABELLED[index]
            if abs(len(folded) - len(label)) > _slack(label) or (len(label) <= 5 and score < 100):
                continue  # "dt", "mst": no fuzziness on two or three letters
            rank = (score, closed, len(label))
            if best is None or rank > best[0]:
                best = (rank, name, " ".join(words[count:]))
        if closed:
            break  # the label ends at its colon
    if best is None:
        return None
    (score, _, _), name, rest = best
    return name, _without_translation(rest).lstrip(_SEPARATORS + " ").strip(), score


_LABEL_WORDS = frozenset("""company enterprise organization organisation name full address head office registered
tel telephone phone mobile fax email e-mail website tax code legal representative director position title category
type of participation total number employees staff workforce date year established establishment founded founding
""".split())
"""English words of a bilingual form's labels ("Tên doanh nghiệp / Company name", "Điện thoại / Tel")."""


def _translation_end(words: list[str]) -> int:
    count = 0
    while count < len(words) and words[count].lower().strip(":.,()") in _LABEL_WORDS:
        count += 1
    return count


def _without_translation(rest: str) -> str:
    """What follows a label, its English translation after a slash taken off ("/ Legal representative Ông Park
    Sung Min" → "Ông Park Sung Min"; audit 25: a complete bilingual form was sent back as incomplete)."""
    if not rest.startswith("/"):
        return rest
    words = rest[1:].split()
    count = _translation_end(words)
    return " ".join(words[count:]) if count else rest


def _split_at_next_label(value: str) -> tuple[str, str]:
    """(this field's value, the rest from the next label on the same line, "" if none)."""
    found = _NEXT_LABEL.search(fold_chars(" " + value))
    if found is None:
        return value, ""
    at = max(found.start() - 1, 0)
    return value[:at].strip(), value[at:].strip()


def labelled_values(text: str) -> dict[str, list[str]]:
    """Every value found after each field's label, in the order of the text (first one first); a line may
    hold several fields ("Điện thoại: … Email: …")."""
    lines = [line.strip() for line in nfc(text).splitlines()]
    values: dict[str, list[str]] = {name: [] for name in FIELDS}
    for index, line in enumerate(lines):
        segment, first = line, True
        while segment:
            found = _label_at(segment)
            if found is None:
                # "Fax: …; E-mail: …": a label of no field, then one of a field later on the line (audit 21).
                _, segment = _split_at_next_label(segment[1:]) if not first else ("", "")
                continue
            name, value, _ = found
            value, segment = _split_at_next_label(value)
            following = lines[index + 1 : index + 3]
            # OCR puts an empty line between a label and its value typed below it (audit 29).
            below = following[0] if following and following[0] else "".join(following[1:2])
            if first and not segment and not value and below and ":" not in below and _label_at(below) is None:
                value = below  # the value cell below its label (Word tables, OCR of two columns)
            elif name == "email" and not segment and not value and following and EMAIL.fullmatch(
                    following[0].strip().strip(".,;")):
                value = following[0]  # "Điện thoại: …   Email:" with the address wrapped onto the next line
            elif first and not segment and name in WRAPPING and value:
                # A long name or address wraps onto the next lines, which then carry no "label:" of their own (nor
                # begin another name's row: "Tên giao dịch tiếng Anh  Green Sword …", "Tên viết tắt …").
                for extra in following:
                    if (not extra or ":" in extra or extra[:1].isdigit() or fold(extra).startswith("ten ")
                            or _label_at(extra) is not None):
                        break
                    value = f"{value} {extra}"
            values[name].append(value.strip().rstrip(".,;").strip())
            first = False
    return values


# ---- each field's reading (contact values checked in checks.py) -------------------------------------------------------------------


_CELL_EDGES = re.compile(r"^[\s|¦│┃]+|[\s|¦│┃]+$")
"""A table's ruling OCR reads as a bar beside a value ("Công ty Cổ phần Cơ khí Việt Yên |", audit 40)."""


def _text_field(name: str, raws: list[str]) -> RegistrationField:
    for raw in raws:
        if value := _CELL_EDGES.sub("", raw):
            return RegistrationField(name, value, "ok", raw=raw)
    return _missing(name, raws)


def _missing(name: str, raws: list[str]) -> RegistrationField:
    if raws:
        return RegistrationField(name, "", "missing", "để trống trên đơn đăng ký")
    return RegistrationField(name, "", "missing", "không tìm thấy trên đơn đăng ký")


_ALTERNATIVES = re.compile(r"\s*(?:[;,/]|\s[-–—]\s|\bhoặc\b)\s*")
"""What separates two numbers or addresses given for one field ("0204 3 666 888 – 0986 123 456", "a@x.vn; b@x.vn")."""


def read_phone(raw: str) -> str | None:
    """A telephone number as written, when `phonenumbers` (region VN) finds it a valid Vietnamese number
    (0… or +84…); None otherwise. Of two numbers, the first."""
    first = _ALTERNATIVES.split(raw.strip())[0]
    if not re.fullmatch(r"[+()0-9 .\-]+", first) or not valid_phone(first):
        return None
    return first.strip()


def _phone_field(raws: list[str], ocr: bool = False) -> RegistrationField:
    for raw in raws:
        if raw and (phone := read_phone(raw)) is not None:
            return RegistrationField("phone", phone, "ok", raw=raw)
        if raw and ocr:
            first = _ALTERNATIVES.split(raw.strip())[0]
            digits = first.translate(AS_DIGIT)
            if digits != first and re.fullmatch(r"[+()0-9 .\-]+", digits) and valid_phone(digits):
                return RegistrationField("phone", digits.strip(), "uncertain",
                                         f"có ký tự dễ nhầm khi nhận dạng (chữ giữa các chữ số): «{first}»", raw)
    bad = next((r for r in raws if r), None)
    if bad is not None:
        return RegistrationField("phone", "", "invalid", f"số điện thoại không hợp lệ hoặc không đọc được: «{bad}»",
                                 bad)
    return _missing("phone", raws)


def read_email(raw: str) -> tuple[str | None, str]:
    """(address, note): the e-mail address a value holds, or None when it holds none, or OCR broke it."""
    value = raw.strip().strip(".,;()<>[]")
    if EMAIL.fullmatch(value):
        return value, ""
    joined = re.sub(r"\s+", "", value)
    if EMAIL.fullmatch(joined):
        return joined, "đã bỏ khoảng trắng trong địa chỉ (lỗi nhận dạng)"
    # OCR of a small "@" on a gray scan adds a bracket to it: "habacfood(@gmail.com".
    repaired = re.sub(r"[(\[{]@|@[)\]}]", "@", joined)
    if repaired != joined and EMAIL.fullmatch(repaired):
        return repaired, "đã bỏ dấu ngoặc dính vào «@» (lỗi nhận dạng)"
    found = list(EMAIL.finditer(value))
    if len(found) == 1:
        before = value[: found[0].start()]
        if not re.search(r"[^\s:;,(<\[«\"']\s?$", before):  # nothing glued to it ("ƒ" of "lucngan.ƒood@…")
            return found[0].group(0).rstrip("."), ""
    return None, ""


def _email_field(raws: list[str], text: str) -> RegistrationField:
    for raw in raws:
        # Two addresses ("a@x.vn; b@x.vn", audit 21): the first that is one.
        for part in [raw, *(_ALTERNATIVES.split(raw) if "@" in raw else ())]:
            address, note = read_email(part) if part else (None, "")
            if address is not None and valid_email(address):
                return RegistrationField("email", address, "ok", note, raw)
    bad = next((r for r in raws if r), None)
    if bad is not None:
        return RegistrationField("email", "", "invalid", f"địa chỉ thư điện tử không hợp lệ: «{bad}»", bad)
    anywhere = EMAIL.search(nfc(text))
    if anywhere is not None and not raws and valid_email(anywhere.group(0).rstrip(".")):
        address = anywhere.group(0).rstrip(".")
        return RegistrationField("email", address, "ok", "không có nhãn «Email»; lấy địa chỉ duy nhất trong đơn",
                                 address)
    return _missing("email", raws)


def read_tax_code(raw: str) -> str | None:
    """A tax code normalised to "0101234567" or "0101234567-001" (spaces and dots that OCR or typists put
    between digits removed), 10 digits or 10-3; None when the value is not one. The check digit is not
    looked at here (`check_tax_code` does)."""
    value = tax_shape(raw)
    return value if TAX_CODE.fullmatch(value) else None


def _tax_code_field(raws: list[str], ocr: bool = False) -> RegistrationField:
    first_bad: RegistrationField | None = None
    for raw in raws:
        if not raw:
            continue
        found = check_tax_code(raw, ocr=ocr)
        if found.status in ("ok", "corrected"):
            return found
        first_bad = first_bad or found
    if first_bad is not None:
        return first_bad
    return _missing("tax_code", raws)


_ROLE = re.compile(r"\s*(?:[-–—,;(]|\bchuc vu\b|\bgiam doc\b|\btong giam doc\b|\bchu tich\b)")


def read_person(raw: str) -> str | None:
    """A person's name without honorific and title ("Ông Trần Văn A - Giám đốc" → "Trần Văn A"); None when
    it does not read as a name (digits, one word, too long)."""
    value = _HONORIFIC.sub("", raw.strip())
    cut = _ROLE.search(fold_chars(value))
    if cut is not None and cut.start() > 0:
        value = value[: cut.start()]
    value = value.strip(" .,;:")
    words = value.split()
    if not 2 <= len(words) <= 6 or any(not w.replace("-", "").isalpha() for w in words):
        return None
    return " ".join(words)


def _representative_field(raws: list[str]) -> RegistrationField:
    for raw in raws:
        if raw and (name := read_person(raw)) is not None:
            return RegistrationField("representative", name, "ok", raw=raw)
    bad = next((r for r in raws if r), None)
    if bad is not None:
        return RegistrationField("representative", "", "invalid", f"không đọc được họ tên: «{bad}»", bad)
    return _missing("representative", raws)


def _category_field(raws: list[str], text: str = "") -> RegistrationField:
    for raw in raws:
        if raw and (category := read_category(raw)) is not None:
            return RegistrationField("category", category, "ok", raw=raw)
    if (ticked := ticked_category(text)) is not None:  # boxes on the lines under "(đánh dấu X vào ô thích hợp)"
        return RegistrationField("category", ticked[0], "ok", raw=ticked[1].strip())
    bad = next((r for r in raws if r), None)
    if bad is not None:
        return RegistrationField("category", "", "invalid",
                                 f"không xác định được loại hình (Sản xuất/Dịch vụ, lớn/vừa và nhỏ): «{bad}»", bad)
    return _missing("category", raws)


_COUNT = r"\d{1,3}(?:[.,]\d{3})+(?!\d)|\d+"
_LONG_CONTRACT = re.compile(r"hop dong\D{0,30}?(?:tren|tu|>=?|≥)\s*(?:01|1|mot)\s*nam(?:\s*tro\s*len)?\D{0,20}?("
                            + _COUNT + ")")
"""The employees on contracts of a year or more, said inside a total ("320 (trong đó hợp đồng trên 1 năm: 290)")."""
LONG_CONTRACTS = "lao động có hợp đồng từ 1 năm trở lên"
"""The note of an `employees` field that counts those only (what decides "lớn", DOMAIN.md)."""


def read_count(raw: str) -> int | None:
    """A head count ("1.250 người", "350"); None when the value holds no single plausible number."""
    numbers = re.findall(_COUNT, raw)
    if len(numbers) != 1:
        return None
    count = int(re.sub(r"\D", "", numbers[0]))
    return count if 1 <= count <= 2_000_000 else None


def read_counts(raw: str) -> tuple[int | None, int | None]:
    """(total, on contracts of a year or more) of a head count: "320 (trong đó hợp đồng trên 1 năm: 290)" gives
    both, "1.250 người" the total only."""
    folded = fold_chars(raw)
    long = _LONG_CONTRACT.search(folded)
    if long is None:
        return read_count(raw), None
    before = re.split(r"[(;,]|trong do", folded[: long.start()])[0]
    return read_count(before), read_count(long.group(1))


def _employees_field(raws: list[str]) -> RegistrationField:
    for raw in raws:
        total, long = read_counts(raw) if raw else (None, None)
        if long is not None:
            return RegistrationField("employees", str(long), "ok",
                                     LONG_CONTRACTS + (f" (tổng số {total})" if total else ""), raw)
        if total is not None:
            return RegistrationField("employees", str(total), "ok", raw=raw)
    bad = next((r for r in raws if r), None)
    if bad is not None:
        return RegistrationField("employees", "", "invalid", f"không đọc được số lao động: «{bad}»", bad)
    return _missing("employees", raws)


_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_WORDS_DATE = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")
_MONTH_YEAR = re.compile(r"(?<![\d/.\-])(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def read_date(raw: str) -> str | None:
    """An ISO date ("2005-03-21"), month ("2005-03") or year ("2005") as precise as the value gives it; None
    when it holds no valid date or more than one."""
    folded = fold_chars(raw)
    for pattern in (_DMY, _WORDS_DATE):
        found = pattern.findall(folded)
        if found:
            if len(found) > 1:
                return None
            day, month, year = (int(x) for x in found[0])
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return None
    found_my = _MONTH_YEAR.findall(folded)
    if len(found_my) == 1 and 1 <= int(found_my[0][0]) <= 12:
        return f"{int(found_my[0][1]):04d}-{int(found_my[0][0]):02d}"
    years = _YEAR.findall(folded)
    return years[0] if len(years) == 1 else None


def read_founding(raw: str) -> str | None:
    """The earliest date a founding value gives, as precise as it gives it: "1976 (cổ phần hóa năm 2010)",
    "đăng ký lần đầu ngày 15/4/2008, đăng ký thay đổi lần thứ 5 ngày 20/11/2019" (a conversion or a later
    registration is no new founding: audit 21); None when it holds no valid date."""
    folded, found = fold_chars(raw), []
    for pattern in (_DMY, _WORDS_DATE):
        for match in pattern.finditer(folded):
            day, month, year = (int(x) for x in match.groups())
            try:
                found.append(date(year, month, day).isoformat())
            except ValueError:
                pass
        folded = pattern.sub(" ", folded)
    for match in _MONTH_YEAR.finditer(folded):
        if 1 <= int(match.group(1)) <= 12:
            found.append(f"{int(match.group(2)):04d}-{int(match.group(1)):02d}")
    found += _YEAR.findall(_MONTH_YEAR.sub(" ", folded))
    # Earliest first; of the same moment, the most precise ("2008-04-15" before "2008-04" before "2008").
    return min(found, key=lambda when: (when[:4], when[5:7] or "99", when[8:] or "99"), default=None)


def _founded_field(raws: list[str]) -> RegistrationField:
    dated = [(when, raw) for raw in raws if raw and (when := read_founding(raw)) is not None]
    if dated:  # the earliest of every founding value (the form's, its business certificate line's)
        when, raw = min(dated, key=lambda pair: (pair[0][:4], pair[0][5:7] or "99", pair[0][8:] or "99"))
        note = "" if len(when) == 10 else "đơn chỉ ghi " + ("tháng và năm" if len(when) == 7 else "năm")
        return RegistrationField("founded", when, "ok", note, raw)
    bad = next((r for r in raws if r), None)
    if bad is not None:
        return RegistrationField("founded", "", "invalid", f"không đọc được ngày thành lập: «{bad}»", bad)
    return _missing("founded", raws)


# ---- entry points ------------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def read_registration(text: str, source: str | None = None, method: str = "text",
                      confidence: float | None = None, low_words: frozenset[str] = frozenset(),
                      photo: bool = False) -> Registration:
    """Every field of a registration form's text, each "ok", "uncertain", "corrected", "missing" or "invalid";
    nothing guessed. `method` is how the pages were read ("text", "docx", "ocr"): an OCR'd contact value is
    judged by `judge_ocr` (`confidence`: the pages' lowest mean OCR confidence; `low_words`: words OCR read below
    `MIN_WORD_CONFIDENCE`, when the engine reports them; `photo`: a page was a camera photograph). (Cached:
    judging a dossier and writing its notices read the same form.)"""
    raws = labelled_values(text)
    ocr = method == "ocr"
    fields = (
        _text_field("enterprise", raws["enterprise"]),
        _text_field("address", raws["address"]),
        _phone_field(raws["phone"], ocr),
        _email_field(raws["email"], text),
        _tax_code_field(raws["tax_code"], ocr),
        _representative_field(raws["representative"]),
        _category_field(raws["category"], text),
        _employees_field(raws["employees"]),
        _founded_field(raws["founded"]),
    )
    if ocr:
        fields = tuple(judge_ocr(f, confidence=confidence, low_words=low_words, photo=photo) for f in fields)
    return Registration(fields, source, ocr)


FIELD_NAMES_VI = {"enterprise": "tên doanh nghiệp", "address": "địa chỉ", "phone": "số điện thoại",
                  "email": "địa chỉ thư điện tử", "tax_code": "mã số thuế", "representative": "người đại diện theo pháp luật",
                  "category": "loại hình tham dự", "employees": "tổng số lao động", "founded": "năm thành lập"}
"""Each field as the enterprise's form names it."""


def form_gaps(registration: Registration, required: Iterable[str]) -> str:
    """What the form lacks among `required` fields, as one Vietnamese clause ("chưa ghi số điện thoại, địa chỉ thư
    điện tử; địa chỉ thư điện tử «abc@» không hợp lệ"); "" when nothing."""
    fields = [registration.field(name) for name in required]
    missing = [FIELD_NAMES_VI.get(f.name, f.name) for f in fields if f.status == "missing"]
    invalid = [f"{FIELD_NAMES_VI.get(f.name, f.name)} «{f.raw}» không hợp lệ" for f in fields if f.status == "invalid"]
    return "; ".join((["chưa ghi " + ", ".join(missing)] if missing else []) + invalid)


def pages_reading(pages: Iterable[Page]) -> tuple[str, str, float | None, frozenset[str], bool]:
    """(text, method, confidence, doubtful words, photo) of pages read together, as `read_registration` takes
    them: method "ocr" when any page was OCR'd (else "docx" or "text"), confidence the lowest OCR page confidence
    (None when none was OCR'd), the words OCR was unsure of, whether a page was a camera photograph."""
    pages = list(pages)
    methods = {p.method for p in pages}
    method = "ocr" if "ocr" in methods else ("docx" if "docx" in methods else "text")
    confidences = [p.confidence for p in pages if p.method == "ocr" and p.confidence is not None]
    return ("\n".join(p.text for p in pages), method, min(confidences) if confidences else None,
            frozenset(word for p in pages for word in p.doubtful), any(p.photo for p in pages))


def form_reading(files: list[ReceivedFile], matches: Iterable[Match]
                 ) -> tuple[str, tuple[str, str, float | None, frozenset[str], bool]] | None:
    """Where a dossier's registration form is read from: the label of its first range and the `pages_reading` of
    every range recognised as the form, in path order, but those of a form a corrected one replaces (`revisions`);
    None when there is none. The one chooser of the form: the judgement's and the desk's identity alike."""
    by_path = {f.path: f for f in files}
    forms = sorted((m for m in in_force(matches, revisions(files)) if m.component == REGISTRATION_FORM
                    and m.file in by_path), key=lambda m: (m.file, m.first_page))
    if not forms:
        return None
    return forms[0].label, pages_reading(
        p for m in forms for p in by_path[m.file].extraction.pages if m.first_page <= p.number <= m.last_page)


def dossier_registration(files: list[ReceivedFile], matches: tuple[Match, ...]) -> Registration:
    """The registration form of a dossier read into its fields (all "missing" when there is no form), from the
    pages `form_reading` chooses."""
    found = form_reading(files, matches)
    if found is None:
        return Registration(tuple(RegistrationField(name, "", "missing", "hồ sơ chưa có đơn đăng ký")
                                  for name in FIELDS))
    label, (text, method, confidence, doubtful, photo) = found
    return read_registration(text, label, method, confidence, doubtful, photo)
