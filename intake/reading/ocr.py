"""The only module that talks to Tesseract: OCR of one page image held in memory, through a Tesseract engine
loaded once per process and thread (the in-process API, `tesserocr`) or, where that engine cannot be loaded, one
`tesseract` process per call (`pytesseract`). One Tesseract thread per call; never writes a page image to disk on
the API path, never reads a file other than the image it is given and Tesseract's own language data."""

from __future__ import annotations

import csv
import io
import logging
import math
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import DependencyError
from ..folding import nfc

log = logging.getLogger(__name__)

# Tesseract's OpenMP threading is several times slower per page on small machines than one thread per
# engine; parallelism comes from one engine per core instead (set before libtesseract is loaded).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
"""The header line the `tesseract` command writes above its TSV and the API's `GetTSVText` leaves out."""


@dataclass(frozen=True)
class OcrResult:
    """Text of one image and how sure Tesseract was."""

    text: str
    """NFC text."""
    confidence: float | None
    """Mean word confidence 0-100 (None when no word was found)."""
    skew: float | None = None
    """Median slope of the text lines in degrees (positive: the lines climb to the left), None if unknown."""
    doubtful: tuple[str, ...] = ()
    """Words read with a confidence under `DOUBTFUL_BELOW`, NFC, in reading order."""


DOUBTFUL_BELOW = 70.0
"""Word confidence (0-100) under which a word is doubtful: a contact value holding one is `uncertain` (clean scans
read addresses and numbers at 75-96)."""


Word = tuple[dict[str, str], str, float]
"""A word of Tesseract's TSV output: its row, its text (stripped, non-empty) and its confidence (-1: none)."""


def tsv_words(tsv: str) -> list[Word]:
    """The words of Tesseract's TSV output, parsed once for every measure below (rows without text, or whose
    confidence is no number, left out)."""
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        try:
            conf = float(row.get("conf") or -1)
        except ValueError:
            continue
        if text:
            words.append((row, text, conf))
    return words


def doubtful_words(words: list[Word]) -> tuple[str, ...]:
    """The words read with a confidence under `DOUBTFUL_BELOW`."""
    return tuple(nfc(text) for _, text, conf in words if 0 <= conf < DOUBTFUL_BELOW)


class OcrFailed(Exception):
    """Tesseract could not read this one image (timeout, crash); the page becomes illegible, not the process."""


def _pytesseract() -> Any:
    """pytesseract, imported on the fallback path only (it imports NumPy: ~17 MB more in every OCR worker)."""
    import pytesseract

    return pytesseract


def check_tesseract(lang: str = "vie") -> None:
    """Fail the process early, with a clear message, when Tesseract or the language is missing. Where the
    in-process engine will read (tesserocr and the language's traineddata are there), that is all it needs; the
    `tesseract` command is asked only for the fallback (a process, and pytesseract's NumPy: ~0.3 s of start-up)."""
    if _engine_available(lang):
        return
    pytesseract = _pytesseract()
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise DependencyError("Tesseract is not installed (Debian: apt-get install tesseract-ocr tesseract-ocr-vie)")
    try:
        langs = pytesseract.get_languages()
    except (pytesseract.TesseractError, OSError, subprocess.SubprocessError) as exc:
        raise DependencyError(f"Tesseract does not run: {exc}") from exc
    if lang not in langs:
        raise DependencyError(
            f"Tesseract language {lang!r} is not installed (Debian: apt-get install tesseract-ocr-{lang})"
        )


def mean_confidence(words: list[Word]) -> float | None:
    """Mean confidence of the recognised words."""
    confidences = [conf for _, _, conf in words if conf >= 0]
    return round(sum(confidences) / len(confidences), 1) if confidences else None


def line_skew(words: list[Word]) -> float | None:
    """How askew the text lines are: the median slope (degrees) of the lines of three words or more, from the
    bottoms of their words; None when no line is long enough. Costs no OCR."""
    lines: dict[tuple[str, str, str, str], list[tuple[float, float]]] = {}
    for row, _, conf in words:
        if row.get("level") != "5" or conf < 30:
            continue
        try:
            left, top, width, height = (int(row[k]) for k in ("left", "top", "width", "height"))
        except (KeyError, TypeError, ValueError):
            continue
        key = (row.get("page_num", ""), row.get("block_num", ""), row.get("par_num", ""), row.get("line_num", ""))
        lines.setdefault(key, []).append((left + width / 2, float(top + height)))
    slopes = []
    for points in lines.values():
        if len(points) < 3:
            continue
        mean_x = sum(x for x, _ in points) / len(points)
        mean_y = sum(y for _, y in points) / len(points)
        spread = sum((x - mean_x) ** 2 for x, _ in points)
        if spread:
            slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
            slopes.append(math.degrees(math.atan(slope)))
    if not slopes:
        return None
    slopes.sort()
    return round(slopes[len(slopes) // 2], 2)


# ---- a doubtful line read again, alone ------------------------------------------------------------

SECOND_READINGS = 12
"""Text lines of one page read a second time at most (the first ones holding a doubtful contact-like word), each
a fraction of a page's cost: a page full of stamps and signatures cannot make its reading much slower."""

Line = tuple[Word, ...]
"""The words of one text line, in reading order."""


_NUMBER_WORD = re.compile(r"[+(]?[0-9OoDlI|SB]+(?:[.\-)][0-9OoDlI|SB]+)*[.,;)]?")
"""A word that may be (part of) a phone number or a tax code: digits, the letters OCR puts for them, and the
marks written between groups of digits (never "/": dates are no contact)."""


def _box(word: Word) -> tuple[int, int, int, int] | None:
    """A word's box (left, top, right, bottom, in pixels), None when its row has none."""
    row = word[0]
    try:
        left, top, width, height = (int(row[k]) for k in ("left", "top", "width", "height"))
    except (KeyError, TypeError, ValueError):
        return None
    return left, top, left + width, top + height


def text_lines(words: list[Word]) -> list[Line]:
    """The words of a TSV grouped by text line, in reading order."""
    lines: dict[tuple[str, str, str, str], list[Word]] = {}
    for word in words:
        row = word[0]
        key = (row.get("page_num", ""), row.get("block_num", ""), row.get("par_num", ""), row.get("line_num", ""))
        lines.setdefault(key, []).append(word)
    return [tuple(line) for line in lines.values()]


def _doubtful(word: Word) -> bool:
    return 0 <= word[2] < DOUBTFUL_BELOW


def contact_like(line: Line, index: int) -> bool:
    """Whether the line's `index`-th word may be (part of) an e-mail address, a phone number or a tax code: it
    holds "@", or it is number-like (`_NUMBER_WORD`, a digit in it) among number-like neighbours that hold 8
    digits or more together (a phone number is 10 or 11, a tax code 10 or 13; a page of prose has none)."""
    text = line[index][1]
    if "@" in text:
        return True
    if not (_NUMBER_WORD.fullmatch(text) and re.search(r"\d", text)):
        return False
    first = last = index
    while first > 0 and _NUMBER_WORD.fullmatch(line[first - 1][1]):
        first -= 1
    while last + 1 < len(line) and _NUMBER_WORD.fullmatch(line[last + 1][1]):
        last += 1
    run = "".join(w[1] for w in line[first:last + 1])
    return len(re.findall(r"[0-9OoDlI|SB]", run)) >= 8


def rereadable(line: Line) -> bool:
    """Whether a text line is worth a second reading: one of its words is doubtful, three characters or more,
    and `contact_like` (the only words a second reading can make sure of that anything looks at)."""
    return any(_doubtful(w) and len(w[1]) >= 3 and contact_like(line, i) for i, w in enumerate(line))


def line_band(line: Line, width: int, height: int) -> tuple[int, int, int, int] | None:
    """The rectangle (left, top, width, height) a text line is read again in: as wide as all its words, as high as
    the words read with confidence (a speck, a stroke of a signature or the edge of a stamp that the first reading
    joined to a word, making it taller than its line, is left out), with a quarter of that height above and below
    and half of it on each side; None for a line without boxes."""
    boxes = [(box, w) for w in line if (box := _box(w)) is not None]
    if not boxes:
        return None
    sure = [box for box, w in boxes if not _doubtful(w)] or [box for box, _ in boxes]
    top, bottom = min(b[1] for b in sure), max(b[3] for b in sure)
    tall = max(bottom - top, 1)
    left = max(0, min(b[0] for b, _ in boxes) - tall // 2)
    right = min(width, max(b[2] for b, _ in boxes) + tall // 2)
    top, bottom = max(0, top - tall // 4), min(height, bottom + tall // 4)
    return (left, top, right - left, bottom - top) if right > left and bottom > top else None


def confirmed(first: Line, second: Line) -> Line:
    """The first reading of a line, each doubtful word of it sure where the second reading, word for word the same
    line, read that word identically with a confidence of `DOUBTFUL_BELOW` or more. Never a new text: a second
    reading that differs (on worse scans it drops the dot of "gmail.com" at confidence 74-86) only leaves the doubt
    where it was."""
    if len(first) != len(second):
        return first
    return tuple((word[0], word[1], again[2]) if again[1] == word[1] and again[2] >= DOUBTFUL_BELOW > word[2]
                 else word for word, again in zip(first, second))


def doubtful_in(lines: list[Line]) -> tuple[str, ...]:
    """The words of these lines read under `DOUBTFUL_BELOW`, NFC, in reading order."""
    return tuple(nfc(w[1]) for line in lines for w in line if _doubtful(w))


def words_text(words: list[Word]) -> str:
    """A page's text from its TSV's words, as the engine's own text output has it (`GetUTF8Text`, stripped): the
    words of a text line joined by spaces, its lines by line breaks, paragraphs apart by an empty line. The engine
    formats its result once (the TSV, which the measures need) instead of twice: ~3 ms a page."""
    out: list[str] = []
    paragraph = None
    for line in text_lines(words):
        row = line[0][0]
        key = (row.get("page_num", ""), row.get("block_num", ""), row.get("par_num", ""))
        if paragraph is not None and key != paragraph:
            out.append("")
        out.append(" ".join(word[0].get("text") or word[1] for word in line))  # as read: " |Số" keeps its space
        paragraph = key
    return "\n".join(out)


def ocr_result(text: str, words: list[Word], lines: list[Line] | None = None) -> OcrResult:
    """An OCR result from Tesseract's text and its TSV's words (`tsv_words`: parsed once); the doubtful words
    from `lines` when some of them were read again (`confirmed`), else from `words`."""
    doubtful = doubtful_words(words) if lines is None else doubtful_in(lines)
    return OcrResult(nfc(text).strip(), mean_confidence(words), line_skew(words), doubtful)


# ---- the engine -----------------------------------------------------------------------------------

Image = Any
"""A page image in memory (`PIL.Image.Image`, grayscale or RGB, its resolution in `info["dpi"]`)."""

OSD = "osd"
"""Tesseract's orientation and script detection model (`osd.traineddata`)."""
_PSM_AUTO, _PSM_OSD_ONLY, _PSM_LINE = 3, 0, 7
"""Page segmentation modes: the `tesseract` command's default, orientation detection only, one text line."""
_TESSDATA = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
             "/usr/share/tessdata", "/usr/local/share/tessdata")
"""Where distributions put Tesseract's language data, when neither TESSDATA_PREFIX nor `tesseract` says."""


@cache
def tessdata_path(lang: str = "vie") -> str | None:
    """The folder holding `lang`'s (every `+`-joined language's) traineddata, with a trailing slash, as the
    in-process engine needs it: $TESSDATA_PREFIX, else the usual places (Debian's `tesseract-ocr-vie`), else
    where the `tesseract` command says it looks; None when none has them."""
    def holds(folder: str) -> bool:
        return all(os.path.isfile(os.path.join(folder, f"{name}.traineddata")) for name in lang.split("+"))

    prefix = os.environ.get("TESSDATA_PREFIX")
    candidates = [prefix, os.path.join(prefix, "tessdata")] if prefix else []
    found = next((folder for folder in [*candidates, *_TESSDATA] if holds(folder)), None)
    if found is None:  # ask the command (a process: only where the usual places do not have them)
        try:
            listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30,
                                    check=False)
            said = re.search(r'"([^"]+)"', listed.stdout + listed.stderr)
            found = said.group(1) if said and holds(said.group(1)) else None
        except (OSError, subprocess.SubprocessError):
            found = None
    return None if found is None else found.rstrip("/") + "/"


def _engine_available(lang: str) -> bool:
    """Whether the in-process engine can be loaded for `lang`: its binding imports and its traineddata is found
    (the engine itself is loaded in the OCR workers, never in the service's own process)."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return False
    return tessdata_path(lang) is not None


class _Loaded:
    """This thread's Tesseract engines, loaded once and reused for every page: one per (language, page
    segmentation mode); None where it cannot be loaded (then the `tesseract` command is used)."""

    local = threading.local()

    @classmethod
    def engine(cls, lang: str, psm: int) -> Any:
        engines: dict[tuple[str, int], Any] = cls.local.__dict__.setdefault("engines", {})
        if (lang, psm) not in engines:
            engines[(lang, psm)] = _load(lang, psm)
        return engines[(lang, psm)]


def _load(lang: str, psm: int) -> Any:
    try:
        import tesserocr
    except ImportError as exc:
        log.warning("in-process Tesseract unavailable (%s): one tesseract process per page", exc)
        return None
    path = tessdata_path(lang)
    if path is None:
        log.warning("no traineddata for %r found for in-process Tesseract: one tesseract process per page", lang)
        return None
    started = time.perf_counter()
    try:
        # debug_file: Tesseract's own warnings ("Estimating resolution…") would go to the service's stderr.
        api = tesserocr.PyTessBaseAPI(path=path, lang=lang, psm=psm, variables={"debug_file": "/dev/null"})
    except RuntimeError as exc:
        log.warning("in-process Tesseract %r could not be loaded (%s): one tesseract process per page", lang, exc)
        return None
    log.debug("Tesseract %s (psm %d) loaded in %.2f s", lang, psm, time.perf_counter() - started)
    return api


def _read_again(api: Any, lines: list[Line], size: tuple[int, int], timeout_ms: int) -> list[Line]:
    """The page's lines, the first ones `rereadable` (up to `SECOND_READINGS`: a doubtful word that may be part of
    a contact) read again alone, as one text line, in their band (`line_band`): their doubtful words `confirmed`
    where the two readings agree. A page without such a word costs nothing more."""
    chosen, budget = [], SECOND_READINGS
    try:
        for line in lines:
            band = line_band(line, *size) if budget and rereadable(line) else None
            if band is None:
                chosen.append(line)
                continue
            budget -= 1
            api.SetPageSegMode(_PSM_LINE)
            api.SetRectangle(*band)
            second = tsv_words(TSV_HEADER + api.GetTSVText(0)) if api.Recognize(timeout=timeout_ms) else []
            chosen.append(confirmed(line, tuple(second)))
    finally:
        api.SetPageSegMode(_PSM_AUTO)
    return chosen


MIN_DPI, SCALED_DPI = 150, 300
"""A page image under `MIN_DPI` is scaled to `SCALED_DPI` before OCR (audit 20: told the true 120 dpi of a grey
copy, Tesseract lost an ISO certificate's title lines; scaled to 300 dpi it reads them)."""


def at_least(image: Image, dpi: int) -> Image:
    """The image scaled up (Lanczos) to `SCALED_DPI` when its resolution is under `dpi` (at most 3 times); as it is
    otherwise. Only the text is read from it: no result carries pixel positions."""
    from PIL import Image as PILImage

    stated = image.info.get("dpi")
    if not stated or not 0 < float(stated[0]) < dpi:
        return image
    factor = min(SCALED_DPI / float(stated[0]), 3.0)
    scaled = image.resize((round(image.width * factor), round(image.height * factor)), PILImage.LANCZOS)
    scaled.info = {**image.info, "dpi": (round(float(stated[0]) * factor),) * 2}
    return scaled


def _open(image: Image | Path) -> Image:
    from PIL import Image as PILImage

    if isinstance(image, (str, Path)):
        with PILImage.open(image) as opened:
            opened.load()
            return opened.copy()
    return image


def _set_image(api: Any, image: Image) -> None:
    """Hand the decoded pixels to the engine as they are (8-bit gray or 24-bit colour), with their resolution:
    nothing encoded, nothing written. Tesseract copies them into its own image (`ImageThresholder::SetImage`),
    so the buffer is freed at once: a 300-dpi page is 8.7 MB a copy."""
    if image.mode not in ("L", "RGB"):
        image = image.convert("L" if image.mode in ("1", "LA", "I", "I;16", "F") else "RGB")
    depth = 1 if image.mode == "L" else 3
    pixels = image.tobytes()
    api.SetImageBytes(pixels, image.width, image.height, depth, image.width * depth)
    del pixels
    dpi = image.info.get("dpi")
    if dpi and dpi[0] and float(dpi[0]) > 0:
        api.SetSourceResolution(round(float(dpi[0])))


def _as_file(image: Image, folder: Path) -> Path:
    """The image as an uncompressed TIFF for the `tesseract` command (compressing costs more than reading)."""
    out = folder / "page.tif"
    dpi = image.info.get("dpi")
    options = {"dpi": (round(float(dpi[0])), round(float(dpi[1] if len(dpi) > 1 else dpi[0])))} \
        if dpi and dpi[0] else {}
    (image if image.mode in ("L", "RGB") else image.convert("L")).save(out, format="TIFF", compression="raw",
                                                                         **options)
    return out


@dataclass(frozen=True)
class Tesseract:
    """OCR engine: a callable from a page image (in memory, or a file) to its text and confidence.

    A description, cheap to copy and to send to a worker process: the engine itself is loaded on first use
    in each process and thread that reads with it, and kept for every later page."""

    lang: str = "vie"
    """Tesseract language(s)."""
    timeout: float = 120.0
    """Seconds one reading of a page may take before it is cut off."""
    page_limit: float = 300.0
    """Seconds one page may take in all (its image prepared, read, turned or straightened and read again) in an
    OCR worker process before the worker is killed and replaced and the page left unread: the backstop for a
    page that hangs where Tesseract does not check its time limit (layout analysis, orientation detection)."""
    api: bool = True
    """Read through the in-process engine (the Tesseract API); False: one `tesseract` process per reading, the
    fallback also taken wherever the engine cannot be loaded."""

    def load(self) -> bool:
        """Load this thread's engine now (a worker does at its start); whether the in-process engine is used."""
        return self.api and _Loaded.engine(self.lang, _PSM_AUTO) is not None

    def __call__(self, image: Image | Path) -> OcrResult:
        """OCR a page image: a decoded image with its resolution, or an image file."""
        api = _Loaded.engine(self.lang, _PSM_AUTO) if self.api else None
        if not isinstance(image, (str, Path)):
            image = at_least(image, MIN_DPI)
        if api is None:
            return self._by_process(image)
        image = _open(image)
        _set_image(api, image)
        timeout_ms = max(1, int(self.timeout * 1000))
        try:
            # The time limit is checked by Tesseract between words: a page past it is cut off, the engine kept.
            if not api.Recognize(timeout=timeout_ms):
                raise OcrFailed(f"recognition failed or ran past {self.timeout:g} s")
            words = tsv_words(TSV_HEADER + api.GetTSVText(0))
            text = words_text(words)
            # Lines with a doubtful contact-like word read again alone: only their doubts can change (text,
            # confidence, skew cannot).
            lines = _read_again(api, text_lines(words), image.size, timeout_ms)
        except RuntimeError as exc:
            raise OcrFailed(str(exc)) from exc
        finally:
            api.Clear()
        return ocr_result(text, words, lines)

    def _by_process(self, image: Image | Path) -> OcrResult:
        pytesseract = _pytesseract()
        try:
            with tempfile.TemporaryDirectory(prefix="intake-ocr-") as tmp:
                path = image if isinstance(image, (str, Path)) else _as_file(image, Path(tmp))
                txt, tsv = pytesseract.run_and_get_multiple_output(
                    str(path), extensions=["txt", "tsv"], lang=self.lang, timeout=int(self.timeout)
                )
        except (RuntimeError, pytesseract.TesseractError, OSError) as exc:
            raise OcrFailed(str(exc)) from exc
        return ocr_result(txt, tsv_words(tsv))

    def orientation(self, image: Image | Path) -> tuple[int, float]:
        """Tesseract's orientation and script detection (OSD, the `osd` model): the clockwise rotation (0, 90,
        180, 270) that makes the page upright, and how sure it is; (0, 0.0) when OSD cannot tell (too little
        text)."""
        api = _Loaded.engine(OSD, _PSM_OSD_ONLY) if self.api else None
        if api is None:
            return self._orientation_by_process(image)
        _set_image(api, _open(image))
        try:
            osd = api.DetectOrientationScript()
        except RuntimeError as exc:
            log.debug("orientation unknown: %s", type(exc).__name__)
            return 0, 0.0
        finally:
            api.Clear()
        if not osd:
            return 0, 0.0
        # Tesseract gives the page's rotation; the `tesseract --psm 0` "Rotate:" is the turn that undoes it.
        return (360 - int(osd["orient_deg"])) % 360, float(osd["orient_conf"])

    def _orientation_by_process(self, image: Image | Path) -> tuple[int, float]:
        pytesseract = _pytesseract()
        try:
            with tempfile.TemporaryDirectory(prefix="intake-osd-") as tmp:
                path = image if isinstance(image, (str, Path)) else _as_file(image, Path(tmp))
                osd = pytesseract.image_to_osd(str(path), config="--psm 0", output_type=pytesseract.Output.DICT,
                                               timeout=int(self.timeout))
        except (RuntimeError, pytesseract.TesseractError, OSError) as exc:
            log.debug("orientation unknown: %s", type(exc).__name__)
            return 0, 0.0
        return int(osd.get("rotate", 0)) % 360, float(osd.get("orientation_conf", 0.0))
