"""The only module that talks to Tesseract: OCR of one prepared page image, one Tesseract thread per call."""

from __future__ import annotations

import csv
import io
import logging
import math
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytesseract

from ..errors import DependencyError
from ..folding import nfc

log = logging.getLogger(__name__)

# Tesseract's OpenMP threading is several times slower per page on small machines than one thread per
# process; parallelism comes from running one Tesseract process per core instead.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


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


def doubtful_words(tsv: str) -> tuple[str, ...]:
    """The words of Tesseract's TSV output read with a confidence under `DOUBTFUL_BELOW`."""
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        try:
            conf = float(row.get("conf") or -1)
        except ValueError:
            continue
        if text and 0 <= conf < DOUBTFUL_BELOW:
            words.append(nfc(text))
    return tuple(words)


class OcrFailed(Exception):
    """Tesseract could not read this one image (timeout, crash); the page becomes illegible, not the process."""


def check_tesseract(lang: str = "vie") -> None:
    """Fail the process early, with a clear message, when Tesseract or the language is missing."""
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


def mean_confidence(tsv: str) -> float | None:
    """Mean confidence of the recognised words in Tesseract's TSV output."""
    confidences = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        try:
            conf = float(row.get("conf") or -1)
        except ValueError:
            continue
        if text and conf >= 0:
            confidences.append(conf)
    return round(sum(confidences) / len(confidences), 1) if confidences else None


def line_skew(tsv: str) -> float | None:
    """How askew the text lines of Tesseract's TSV output are: the median slope (degrees) of the lines of three
    words or more, from the bottoms of their words; None when no line is long enough. Costs no OCR."""
    lines: dict[tuple[str, str, str, str], list[tuple[float, float]]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        try:
            if row.get("level") != "5" or not (row.get("text") or "").strip() or float(row.get("conf") or -1) < 30:
                continue
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


@dataclass(frozen=True)
class Tesseract:
    """OCR engine: a callable from a page image file to its text and confidence."""

    lang: str = "vie"
    """Tesseract language(s)."""
    timeout: float = 120.0
    """Seconds one page may take before it is given up."""

    def __call__(self, image: Path) -> OcrResult:
        """OCR a prepared image file (grayscale PNG with its resolution set)."""
        try:
            txt, tsv = pytesseract.run_and_get_multiple_output(
                str(image), extensions=["txt", "tsv"], lang=self.lang, timeout=int(self.timeout)
            )
        except (RuntimeError, pytesseract.TesseractError, OSError) as exc:
            raise OcrFailed(str(exc)) from exc
        return OcrResult(nfc(txt).strip(), mean_confidence(tsv), line_skew(tsv), doubtful_words(tsv))

    def orientation(self, image: Path) -> tuple[int, float]:
        """Tesseract's orientation and script detection (OSD, `--psm 0`): the clockwise rotation (0, 90, 180,
        270) that makes the page upright, and how sure it is; (0, 0.0) when OSD cannot tell (too little text)."""
        try:
            osd = pytesseract.image_to_osd(str(image), config="--psm 0", output_type=pytesseract.Output.DICT,
                                           timeout=int(self.timeout))
        except (RuntimeError, pytesseract.TesseractError, OSError) as exc:
            log.debug("orientation unknown: %s", type(exc).__name__)
            return 0, 0.0
        return int(osd.get("rotate", 0)) % 360, float(osd.get("orientation_conf", 0.0))
