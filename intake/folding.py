"""Vietnamese text normalisation and diacritic-insensitive, OCR-tolerant phrase matching, and the names a share
accumulates that are never part of a dossier; pure, no I/O."""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z/%]+")
# Leading enumerators of folded headings and list items: "tieu chi 3", "iii", "2 1", "a", "b".
_ENUMERATOR = re.compile(
    r"^(?:(?:tieu chi|hang muc|phan|muc|chuong|dieu) [0-9ivxlc]+ |[0-9]+(?: [0-9]+)* |[ivxlc]+ |[a-h] )+"
)


_LIST_ITEM = re.compile(r"^(?:[0-9]+(?: [0-9]+)*|[a-h]|[ivxlc]+) ")


def is_list_item(folded_line: str) -> bool:
    """Whether a folded line is a numbered or lettered list item ("1 don dang ky", "b bao cao"): never a title."""
    return bool(_LIST_ITEM.match(folded_line))


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters an XML 1.0 document (a DOCX, an XLSX) cannot hold: the control characters other than tab and line
breaks (a PDF's text layer or a form can carry them), lone surrogates and the two non-characters."""


def xml_text(text: str) -> str:
    """`text` as a DOCX or XLSX can hold it: each character XML cannot hold (`_NOT_XML`) replaced by a space."""
    return _NOT_XML.sub(" ", text)


def nfc(text: str) -> str:
    """The NFC form of `text` (what every stored string is)."""
    return unicodedata.normalize("NFC", text)


def _fold_table() -> dict[int, str]:
    """Every precomposed Latin letter to its letters without marks (đ, and OCR's look-alikes ð and ɖ → d), every
    combining mark to nothing: one `str.translate` then folds NFC and NFD text alike. Other characters need no
    entry: matching turns whatever is not [0-9a-z/%] into a space anyway."""
    table = {}
    for start, end in ((0x00C0, 0x024F), (0x1E00, 0x1EFF)):
        for code in range(start, end + 1):
            letters = "".join(c for c in unicodedata.normalize("NFD", chr(code)) if not unicodedata.combining(c))
            if letters != chr(code):
                table[code] = letters
    for code in range(0x0300, 0x0370):
        table[code] = ""
    # đ does not decompose; OCR often reads Đ as Ð (eth, U+00D0) or Ɖ (African D, U+0189), which do not either.
    for letter in "đĐðÐɖƉ":
        table[ord(letter)] = "d"
    return table


_FOLD = _fold_table()


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Lower-case, diacritic-free, đ→d, punctuation-collapsed form used for matching."""
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text.lower().translate(_FOLD))).strip()


_BULLETS = frozenset("-+•*–—·(")
"""Marks that begin a list item: never taken for a speck."""


def drop_speck(line: str) -> str:
    """A line without the speck OCR read in front of it (a punch hole, a stamp's edge: "ẫ BÁO CÁO TỰ ĐÁNH GIÁ",
    "l XÁC NHẬN", "¬ XÁC NHẬN"): one lower-case letter or symbol, then a word in capitals. Bullets, numbers and
    capital letters are kept ("- ĐƠN …", "1 ĐƠN …", "A BÁO CÁO")."""
    head, _, rest = line.lstrip().partition(" ")
    if (len(head) == 1 and not head.isdigit() and not head.isupper() and head not in _BULLETS
            and (word := rest.lstrip().split(" ", 1)[0]) and len(word) > 1 and word.isupper()):
        return rest.lstrip()
    return line


def upper_share(text: str) -> float:
    """The share of a text's letters in capitals (0 for no letter)."""
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def strip_enumerator(folded_line: str) -> str:
    """A folded heading line without its leading numbering ("tieu chi 3", "iii", "2 1", "a")."""
    return _ENUMERATOR.sub("", folded_line, count=1)


def phrase_score(phrase: str, text: str, *, cutoff: float = 0.0) -> float:
    """How well folded `phrase` occurs anywhere in folded `text` (0-100, OCR-tolerant); 0 below `cutoff`
    (which lets rapidfuzz give up early)."""
    if not phrase or not text:
        return 0.0
    if phrase in text:
        return 100.0
    if len(text) < len(phrase):
        return float(fuzz.ratio(phrase, text, score_cutoff=cutoff))
    return float(fuzz.partial_ratio(phrase, text, score_cutoff=cutoff))


_HEAD_SLACK = 2
"""`prefix_score` compares a phrase with a line's first len(phrase) ± 2 characters."""
_LOOKS = {"q": "o", "0": "o", "l": "i", "1": "i", "j": "i", "e": "c", "v": "u"}
"""First letters OCR takes for one another ("Ouản lý" for "Quản lý", "lV" for "IV"): alike for `prefix_score`."""
_MISREAD_NUMBER = re.compile(r"[ivxlhtj1]{1,4}")
"""A folded first word that is a Roman or Arabic number as OCR misreads it ("hi" for III, "tv" for IV, "v1")."""


def prefix_score(phrase: str, line: str, *, cutoff: float = 0.0) -> float:
    """How well folded `line` starts with folded `phrase` (0-100): titles and headings begin their line, with the
    phrase's first letter or one OCR takes for it (`_LOOKS`; OCR misreads marks, which folding drops, far more than
    it misreads a capital: "HỒ SƠ
    THAM DỰ GIẢI THƯỞNG …" is no "ĐƠN ĐĂNG KÝ THAM DỰ GIẢI THƯỞNG …" however alike the rest); 0 below `cutoff`
    (which lets rapidfuzz give up early)."""
    if not phrase or not line:
        return 0.0
    if line.startswith(phrase):
        return 100.0
    if _LOOKS.get(line[0], line[0]) != _LOOKS.get(phrase[0], phrase[0]):
        first, _, rest = line.partition(" ")
        # A numbering OCR misread ("HI." for "III.", "TV." for "IV."): the heading begins after it.
        return prefix_score(phrase, rest, cutoff=cutoff) if _MISREAD_NUMBER.fullmatch(first) and rest else 0.0
    head = line[: len(phrase) + _HEAD_SLACK]
    if len(head) <= len(phrase):
        return float(fuzz.ratio(phrase, head, score_cutoff=cutoff))
    return max(fuzz.ratio(phrase, head[: len(phrase) + k], score_cutoff=cutoff)
               for k in range(-_HEAD_SLACK, _HEAD_SLACK + 1))


class Heads:
    """Lines as `best_prefix_score` reads them: their distinct heads for a phrase length, each set made once
    (a window longer than its first line shares that line's head)."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines = tuple(line for line in lines if line)
        self._by_length: dict[int, frozenset[str]] = {}
        self.misread = tuple(line for line in self.lines if _MISREAD_NUMBER.fullmatch(line.partition(" ")[0]))
        """Lines that begin with a number OCR misread ("hi" for III): `prefix_score` looks past it, on the line."""

    def of(self, length: int) -> frozenset[str]:
        heads = self._by_length.get(length)
        if heads is None:
            heads = self._by_length[length] = frozenset(line[: length + _HEAD_SLACK] for line in self.lines)
        return heads


def best_prefix_score(phrase: str, lines: Heads, *, cutoff: float) -> float:
    """The best `prefix_score(phrase, line)` over `lines`, 0 when none reaches `cutoff`.

    Exact, and fast: the distinct heads are first compared whole with the phrase in one rapidfuzz batch, at a
    cutoff no line that reaches `cutoff` can miss (a head differs from each prefix `prefix_score` tries by at most
    2 × slack inserted or deleted characters, so its ratio is at most 100 × 2 × slack / (len(phrase) +
    len(head)) lower; a head shorter than the phrase is scored whole), then only the heads that pass are scored."""
    if not phrase:
        return 0.0
    heads = lines.of(len(phrase))
    if any(head.startswith(phrase) for head in heads):
        return 100.0
    first = _LOOKS.get(phrase[0], phrase[0])
    heads = [head for head in heads if _LOOKS.get(head[0], head[0]) == first]
    floor = cutoff - 100 * 2 * _HEAD_SLACK / max(2 * len(phrase) - _HEAD_SLACK, 1) - 0.01
    near = process.extract(phrase, heads, scorer=fuzz.ratio, score_cutoff=max(floor, 0.0), limit=None)
    return max([prefix_score(phrase, head, cutoff=cutoff) for head, _, _ in near]
               + [prefix_score(phrase, line, cutoff=cutoff) for line in lines.misread], default=0.0)


def line_windows(lines: list[str], width: int = 3) -> list[tuple[int, str]]:
    """Each line index with that line joined to the next ones (titles wrap over up to `width` lines)."""
    windows = []
    for i in range(len(lines)):
        for w in range(1, width + 1):
            if i + w <= len(lines):
                windows.append((i, " ".join(lines[i : i + w])))
    return windows


# ---- letter-spaced words ---------------------------------------------------------------------------------------------

_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
           "b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
"""Initial consonants of a Vietnamese syllable, folded (đ is d), longest first."""
_NUCLEI = frozenset((
    "a", "ai", "ao", "au", "ay", "e", "eo", "i", "ia", "iu", "ie", "ieu", "o", "oa", "oai", "oao", "oay", "oe", "oeo",
    "oi", "oo", "u", "ua", "uai", "uay", "ue", "ui", "uo", "uoi", "uou", "uu", "uy", "uya", "uye", "uyu", "y", "ye",
    "yeu", "uao", "ueo", "au", "ieu", "oao", "uo"))
"""Vowels of a syllable, folded (ă, â → a; ê → e; ô, ơ → o; ư → u), with the glides that end open syllables."""
_CODAS = ("ng", "nh", "ch", "c", "m", "n", "p", "t", "")
"""Final consonants, folded, longest first."""
_MAX_SYLLABLE = 7


@lru_cache(maxsize=4096)
def _onset(syllable: str) -> int | None:
    """The length of a folded syllable's initial consonant when it is a whole Vietnamese syllable, else None."""
    for onset in _ONSETS:
        if not syllable.startswith(onset):
            continue
        rest = syllable[len(onset):]
        for coda in _CODAS:
            if rest.endswith(coda) and rest[:len(rest) - len(coda)] in _NUCLEI:
                return len(onset)
    return None


def _syllables(folded: str) -> list[int] | None:
    """Where to cut a run of folded letters into Vietnamese syllables ("baocao" → [3]): fewest syllables, then the
    longest initial consonants ("co|phan", not "cop|han"); None when the letters are no run of syllables. Linear:
    each end keeps its best cost and where its last syllable began."""
    best: list[tuple[int, int, int] | None] = [None] * (len(folded) + 1)  # (syllables, -onsets, start)
    best[0] = (0, 0, 0)
    for end in range(1, len(folded) + 1):
        for start in range(max(0, end - _MAX_SYLLABLE), end):
            if best[start] is None or (onset := _onset(folded[start:end])) is None:
                continue
            count, onsets, _ = best[start]
            candidate = (count + 1, onsets - onset, start)
            if best[end] is None or candidate[:2] < best[end][:2]:
                best[end] = candidate
    if best[-1] is None:
        return None
    cuts, at = [], len(folded)
    while at:
        at = best[at][2]
        if at:
            cuts.append(at)
    return cuts[::-1]


_GAP = re.compile(r"([ \t]+)")


def _single(token: str) -> bool:
    return len(token) == 1 and token.isalpha()


def _joined(letters: str) -> str | None:
    """A run of letters written as the Vietnamese syllables it spells ("BÁOCÁO" → "BÁO CÁO"); None when it spells
    none (four letters at least)."""
    folded = "".join(_FOLD.get(ord(c.lower()), c.lower()) for c in letters)
    if len(letters) < 4 or len(folded) != len(letters) or not folded.isascii():
        return None
    cuts = _syllables(folded)
    if cuts is None:
        return None
    return " ".join(letters[a:b] for a, b in zip([0, *cuts], [*cuts, len(letters)]))


def _rejoin_line(line: str) -> str:
    parts = _GAP.split(line)  # words at even places, the gaps between them at odd ones
    out, i = [], 0
    while i < len(parts):
        j = i
        while _single(parts[j]) and j + 2 < len(parts) and len(parts[j + 1]) <= 3 and _single(parts[j + 2]):
            j += 2  # single letters one to three spaces apart: a word typed letter by letter
        word = _joined("".join(parts[i:j + 1:2])) if j > i else None
        out.append(word if word is not None else "".join(parts[i:j + 1]))
        if j + 1 < len(parts):
            out.append(parts[j + 1])
        i = j + 2
    return "".join(out)


def rejoin_spaced_letters(text: str) -> str:
    """`text` with each run of letter-spaced words written as words ("G I Ớ I  T H I Ệ U" → "GIỚI THIỆU"), where the
    letters are a run of whole Vietnamese syllables (four letters at least); any other run (a table's "x x x", an
    enumeration "a b c") is kept as it is. Linear in the text (a page's text is the enterprise's)."""
    if " " not in text:
        return text
    return "\n".join(_rejoin_line(line) if " " in line else line for line in text.split("\n"))


_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
"""Dictionary order of the tones: none, huyền, hỏi, ngã, sắc, nặng."""
_SORT_UNIT = re.compile(r"(\d+)|(.)([\u0300-\u036f]*)", re.DOTALL)


@lru_cache(maxsize=8192)
def vietnamese_sort_key(text: str) -> tuple:
    """A key that orders names as a Vietnamese reader (and Explorer) expects: letters in the Vietnamese alphabet
    (a ă â b c d đ e ê …, case ignored), then tones as a dictionary orders them (ba, bà, bả, bã, bá, bạ); numbers
    by value ("2. Hồ sơ" before "10. Hồ sơ"); spaces and punctuation before digits, digits before letters.
    Code-point order put "Đơn" after "Ưu" and every "Ă", "Â" after "Z"."""
    primary, tones = [], []
    for match in _SORT_UNIT.finditer(unicodedata.normalize("NFD", text.lower())):
        number, base, marks = match.groups()
        if number:
            digits = number.lstrip("0")  # by value without int(): a name of 5,000 digits is not a ValueError
            primary.append((1, len(digits), digits))
            continue
        tones.append(next((_TONE_RANK[mark] for mark in marks if mark in _TONE_RANK), 0))
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in _TONE_RANK))
        rank = _LETTER_RANK.get(letter)
        # A letter whose lower case is two characters ("İ" → "i̇") orders by both.
        primary.append((2, rank) if rank is not None else (3 if letter.isalpha() else 0, *map(ord, letter)))
    return tuple(primary), tuple(tones), text


class _CharFolds(dict[int, str]):
    """Each character's fold, worked out the first time `str.translate` meets it (a C loop after that)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        base = unicodedata.normalize("NFD", char.lower().replace("đ", "d").replace("Đ", "d"))[:1] or char
        self[code] = folded = base if len(base) == 1 else char
        return folded


_CHAR_FOLDS = _CharFolds()


def fold_chars(text: str) -> str:
    """`text` lower-cased without diacritics, đ→d, one character for one, so that offsets still match."""
    return text.translate(_CHAR_FOLDS)


JUNK_PATTERNS = (
    "~$*", ".~lock.*#", "thumbs.db", "desktop.ini", ".ds_store", "._*", "*.tmp", "*.part", "*.crdownload",
    # A Mac's own files and folders on a share: a folder's custom icon ("Icon" and a carriage return), the
    # Spotlight index, file-system events, the trash (audit 50: "Icon\r" and ".Spotlight-V100/Store-V2/…" were
    # asked of the enterprise as files to send again); Windows' recycle bin.
    "icon\r", ".spotlight-v100", ".fseventsd", ".trashes", ".temporaryitems", ".documentrevisions-v100", ".apdisk",
    "__macosx", "$recycle.bin", "system volume information",
)
"""File and folder names (lower-cased) that a share accumulates and that are never part of a dossier: what the inbox's
walk skips and a refused ZIP's listing leaves out."""


def is_junk(name: str) -> bool:
    """Whether a file name is share junk (lock files, thumbnails, partial downloads)."""
    lowered = nfc(name).lower()
    return any(fnmatch.fnmatchcase(lowered, pattern) for pattern in JUNK_PATTERNS)
