"""The only module that talks to Tesseract: OCR of one prepared page image, one Tesseract thread per call."""

from __future__ import annotations

import csv
import io
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytesseract

from .errors import DependencyError
from .folding import nfc

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
        return OcrResult(nfc(txt).strip(), mean_confidence(tsv))
