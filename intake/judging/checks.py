"""Contact values checked by the libraries made for them — tax codes by python-stdnum's `stdnum.vn.mst` (check
digit), phone numbers by `phonenumbers` (region VN), e-mail syntax by `email-validator` (no network) — and how sure
an OCR'd value is: the characters OCR confuses where they sit, word and page confidences. Pure: never reads a file,
never goes on the network, never accepts a correction the check digit does not prove."""

from __future__ import annotations

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum.vn import mst

from .models import RegistrationField

TAX_CODE = re.compile(r"\d{10}(?:-\d{3})?")
"""A tax code (mã số thuế): 10 digits, or 10-3 for a branch (dependent unit)."""

METHOD_SOURCE = {"docx": "docx", "text": "text_layer", "ocr": "ocr"}
"""Where a form's values come from, by how its pages were read (a PDF text layer is only kept when it reads as
Vietnamese: extract.py judges that)."""

DIGITAL_SOURCES = frozenset({"docx", "text_layer", "invitation", "contacts_file", "officer"})
"""Sources whose characters are what someone typed: no OCR confusion can be in them."""

MIN_WORD_CONFIDENCE = 80.0
"""A page's mean OCR confidence (0-100) below which every contact value read from it is `uncertain` (single words
are judged by OCR itself: `Page.doubtful`, under `reading.ocr.DOUBTFUL_BELOW`)."""

PHOTO_REASON = "đọc từ ảnh chụp (không phải bản quét), cần đối chiếu với nguồn khác"
"""Why a contact read from a camera photograph is `uncertain`, for the officer."""

UNCERTAIN_EMAIL = "địa chỉ thư điện tử chưa chắc chắn"
"""The officer-visible reason a notice is held when the only address it could go to is `uncertain`."""


def valid_phone(value: str) -> bool:
    """Whether `phonenumbers` finds `value` a valid Vietnamese number (region VN)."""
    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException:
        return False
    return number.country_code == 84 and phonenumbers.is_valid_number(number)


def valid_email(address: str) -> bool:
    """Whether `email-validator` accepts the address's syntax (no DNS or deliverability check: no network)."""
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def tax_shape(raw: str) -> str:
    """A tax code as written, without the spaces, dots and stray marks typists and OCR put in it."""
    # Stray marks OCR puts around it (".", "|", quotes, a speck read as "ˆ": audit 41).
    value = re.sub(r"[\s.]", "", re.sub(r"^[^0-9A-Za-z]+|[^0-9A-Za-z]+$", "", raw.strip()))
    value = value.replace("–", "-").rstrip("-")
    if re.fullmatch(r"\w{13}", value):
        value = f"{value[:10]}-{value[10:]}"
    return value


def valid_tax_code(code: str) -> bool:
    """Whether python-stdnum's `stdnum.vn.mst` accepts a normalised tax code (10 digits with a valid check digit,
    or 10-3 for a branch)."""
    return TAX_CODE.fullmatch(code) is not None and mst.is_valid(code)


_OCR_DIGITS: dict[str, tuple[str, ...]] = {
    "O": ("0",), "o": ("0",), "D": ("0",), "Q": ("0",), "U": ("0",),
    "l": ("1",), "I": ("1",), "i": ("1",), "|": ("1",), "!": ("1",), "L": ("1",), "]": ("1",), "[": ("1",),
    "S": ("5",), "s": ("5",), "B": ("8",), "Z": ("2",), "z": ("2",), "G": ("6",), "b": ("6",),
    "g": ("9",), "q": ("9",), "A": ("4",), "T": ("7",),
    # digits OCR confuses with one another: tried only to repair a failed check digit
    "1": ("7",), "7": ("1",), "0": ("8",), "8": ("0", "3", "6"), "3": ("8",), "5": ("6",), "6": ("5", "8"),
}
"""For each character OCR puts in place of a digit, the digits it may stand for (the usual confusions)."""

AS_DIGIT = str.maketrans({k: v[0] for k, v in _OCR_DIGITS.items() if not k.isdigit()})


def _repairs(code: str) -> set[str]:
    """Every valid tax code one OCR confusion away from `code` (letters: every letter read as its digit, and
    then at most one digit-for-digit confusion)."""
    letters = code.translate(AS_DIGIT)
    if not re.fullmatch(r"\d{10}(?:-\d{3})?", letters):
        return set()
    if letters != code and valid_tax_code(letters):
        return {letters}
    found = set()
    for index, char in enumerate(letters[:10]):
        for digit in _OCR_DIGITS.get(char, ()):
            candidate = letters[:index] + digit + letters[index + 1:]
            if valid_tax_code(candidate):
                found.add(candidate)
    return found


def check_tax_code(raw: str, *, ocr: bool) -> RegistrationField:
    """A tax code's field: `ok` when its check digit is right; read by OCR with a wrong check digit or letters
    among its digits, `corrected` when exactly one usual OCR confusion makes it valid (the note says which),
    else `invalid`; `invalid` also for a typed code with a wrong check digit (never corrected: no OCR there)."""
    shaped = tax_shape(raw)
    if TAX_CODE.fullmatch(shaped):
        if valid_tax_code(shaped):
            return RegistrationField("tax_code", shaped, "ok", raw=raw)
        if not ocr:
            return RegistrationField("tax_code", "", "invalid",
                                     f"mã số thuế sai chữ số kiểm tra: «{raw.strip()}»", raw)
    if ocr and re.fullmatch(r"[\w|!\[\]]{10}(?:-[\w|!\[\]]{3})?", shaped):
        repairs = _repairs(shaped)
        if len(repairs) == 1:
            fixed = repairs.pop()
            changed = ", ".join(dict.fromkeys(f"«{a}» thành «{b}»" for a, b in zip(shaped, fixed) if a != b))
            return RegistrationField("tax_code", fixed, "corrected",
                                     f"đã sửa lỗi nhận dạng {changed} (chữ số kiểm tra hợp lệ); đọc được: «{raw.strip()}»",
                                     raw)
        if len(repairs) > 1:
            return RegistrationField("tax_code", "", "invalid",
                                     f"mã số thuế sai chữ số kiểm tra, có {len(repairs)} cách sửa: «{raw.strip()}»",
                                     raw)
    return RegistrationField("tax_code", "", "invalid",
                             f"mã số thuế phải gồm 10 chữ số (hoặc 10 chữ số - 3 chữ số) và đúng chữ số kiểm tra: "
                             f"«{raw.strip()}»", raw)


# ---- how sure an OCR'd value is --------------------------------------------------------------------------

_MIXED = re.compile(r"[A-Za-z][0158]|[0158][A-Za-z]|[oOlIiSsBZz][0-9]|[0-9][oOlIiSsBZz]")
"""In an e-mail: a digit OCR confuses with a letter next to a letter, or such a letter next to a digit."""
_ENDS_LIKE_ONE = re.compile(r"[lI|](?:$|[._\-])")
_LOOKALIKE = re.compile(r"[IO|]|rn|vv|cl|ii")


def confusions(name: str, value: str) -> tuple[str, ...]:
    """Why an OCR'd value may not be what is printed: the characters OCR commonly confuses, where they sit
    ("hoso1" may be "hosol", "0"/"O" among letters or digits…); () when nothing is suspicious. Pure."""
    found: list[str] = []
    if name == "email" and "@" in value:
        local, _, domain = value.rpartition("@")
        if _MIXED.search(local):
            found.append("chữ số dễ nhầm với chữ cái đứng cạnh chữ cái trong phần tên (1/l, 0/o, 5/s, 8/B)")
        if _ENDS_LIKE_ONE.search(local):
            found.append("chữ «l» hoặc «I» ở cuối một phần tên (có thể là chữ số 1)")
        if _LOOKALIKE.search(local) or _LOOKALIKE.search(domain):
            found.append("ký tự dễ nhầm (I/l, O/0, rn/m, vv/w)")
        if _MIXED.search(domain.split(".")[0]):
            found.append("chữ số lẫn giữa các chữ cái trong tên miền")
    elif name in ("phone", "tax_code") and re.search(r"[A-Za-z|!]", value):
        found.append("chữ cái lẫn giữa các chữ số (O/0, l/1, S/5, B/8)")
    return tuple(found)


def value_words(raw: str, value: str) -> list[str]:
    """The words of a raw value that went into the value read from it: a word none of whose characters is in
    the value (a speck of dust after a tax code read as ":") was left out when the value was read, and its doubt
    with it. Pure."""
    kept = set(value)
    return [word for word in raw.split() if kept & set(word)]


def judge_ocr(field: RegistrationField, *, confidence: float | None,
              low_words: frozenset[str] = frozenset(), photo: bool = False) -> RegistrationField:
    """An OCR'd contact field made `uncertain` when it was read from a camera photograph (`photo`: Tesseract reads
    a photo's digits wrong with confidence, "…220" for "…223" with the word at 72 and each digit at 96-99), when
    it holds a confusable character in a telling position, or when OCR was not sure of it (a word it was read from
    among `low_words`, see `value_words`, or its page's mean confidence below `MIN_WORD_CONFIDENCE`); `corrected`,
    `invalid` and `missing` fields are left as they are. Another, typed source giving the same value makes it `ok`
    again (`identity.choose_identity`). The enterprise's name and address are `uncertain` only when OCR was not
    sure of a word of theirs (audit 29: a seal over the name read "CÔNØ H'MAY MẶC HOÀNG LONG", printed on the
    notices while the cover letter had the name right)."""
    if field.status == "ok" and field.name in ("enterprise", "address") and any(
            word in low_words for word in value_words(field.raw or field.value, field.value)):
        return RegistrationField(field.name, field.value, "uncertain",
                                 "đọc bằng OCR: nhận dạng không chắc chắn (độ tin cậy của từ thấp)", field.raw)
    if field.status != "ok" or field.name not in ("email", "phone", "tax_code"):
        return field
    reasons = [PHOTO_REASON] if photo else []
    reasons += confusions(field.name, field.raw or field.value)
    if any(word in low_words for word in value_words(field.raw or field.value, field.value)):
        reasons.append("nhận dạng không chắc chắn (độ tin cậy của từ thấp)")
    elif confidence is not None and confidence < MIN_WORD_CONFIDENCE:
        reasons.append(f"trang nhận dạng kém (độ tin cậy {confidence:.0f} dưới {MIN_WORD_CONFIDENCE:.0f})")
    if not reasons:
        return field
    note = "đọc bằng OCR: " + "; ".join(reasons)
    return RegistrationField(field.name, field.value, "uncertain", note, field.raw)
