"""A second look at a page OCR read badly: turn it upright (Tesseract's OSD, asked through the engine) or
straighten it (the skew of its text lines, measured by the first reading) and read it again, keeping the
better reading. Only doubtful or askew pages pay for it; it never raises, never touches the source file and
never writes to disk (the turned image is made in memory)."""

from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import Callable
from typing import Any

from .ocr import OcrFailed, OcrResult

log = logging.getLogger(__name__)

LOW_CONFIDENCE = 70.0
"""Mean word confidence under which a reading is doubtful (clean upright scans read at 85-96)."""
LITTLE_TEXT = 40
"""Letters under which a reading is doubtful (a page turned sideways often yields almost nothing)."""
DESKEW_FROM = 1.5
"""Skew (degrees) of the text lines from which a page is straightened and read again."""
MAX_SKEW = 20.0
"""Larger slopes are not skew but a page turned sideways (OSD's business)."""
MIN_OSD_CONFIDENCE = 1.5
"""Orientation confidence from which OSD's answer is tried."""

_LETTER = re.compile(r"[^\W\d_]")

READING = "intake.reading"
"""Key of a turned image's `info` naming which second reading it is for ("deskewed", "upright", …)."""
Ocr = Callable[[Any], OcrResult]


def letters(result: OcrResult) -> int:
    """Letters read."""
    return len(_LETTER.findall(result.text))


def doubtful(result: OcrResult) -> bool:
    """Whether a reading is poor enough to ask whether the page is upright."""
    return result.confidence is None or result.confidence < LOW_CONFIDENCE or letters(result) < LITTLE_TEXT


def askew(result: OcrResult) -> bool:
    """Whether the text lines the reading found slope enough to straighten the page."""
    return result.skew is not None and DESKEW_FROM <= abs(result.skew) <= MAX_SKEW


def quality(result: OcrResult | None) -> float:
    """What a reading is worth, to keep the better of two: letters read, weighted by confidence."""
    return 0.0 if result is None else (result.confidence or 0.0) * letters(result)


def turn_image(image: Any, angle: float, name: str) -> Any:
    """The page image (PIL) turned `angle` degrees counter-clockwise (a multiple of 90 exactly; otherwise
    resampled, the corners filled with the paper's shade), grayscale, in memory, its resolution kept and its
    `info[READING]` set to `name`."""
    from PIL import Image

    dpi = image.info.get("dpi")
    gray = image.convert("L")
    if angle % 90 == 0:
        turned = gray.rotate(angle, expand=True)
    else:
        histogram = gray.histogram()
        total, seen, paper = sum(histogram), 0, 255
        for shade in range(255, -1, -1):  # the shade of the lightest 30% of the page: its paper
            seen += histogram[shade]
            if seen >= total * 0.3:
                paper = shade
                break
        turned = gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=paper)
    if dpi and dpi[0]:
        turned.info["dpi"] = (round(float(dpi[0])), round(float(dpi[1] if len(dpi) > 1 else dpi[0])))
    turned.info[READING] = name
    return turned


def _read(image: Any, angle: float, name: str, ocr: Ocr) -> tuple[OcrResult, Any] | None:
    try:
        turned = turn_image(image, angle, name)
        return ocr(turned), turned
    except (OcrFailed, OSError, ValueError, subprocess.SubprocessError) as exc:
        log.debug("second reading (%s) failed: %s", name, type(exc).__name__)
        return None


def _straightened(image: Any, result: OcrResult, ocr: Ocr, name: str) -> OcrResult:
    """The better of `result` and a reading of the image turned against its skew."""
    if not askew(result):
        return result
    again = _read(image, float(result.skew or 0.0), name, ocr)
    return again[0] if again is not None and quality(again[0]) > quality(result) else result


def second_look(image: Any, result: OcrResult, ocr: Ocr) -> OcrResult:
    """The best reading of a page image: the first one, unless it is askew (straightened and read again) or
    doubtful (OSD asked, where the engine offers `orientation`, and the page turned upright and read again)."""
    try:
        best = _straightened(image, result, ocr, "deskewed")
        orientation = getattr(ocr, "orientation", None)
        if not doubtful(best) or orientation is None:
            return best
        rotate, confidence = orientation(image)
        if rotate % 360 == 0 or confidence < MIN_OSD_CONFIDENCE:
            return best
        upright = _read(image, -rotate, "upright", ocr)
        if upright is None:
            return best
        reading = _straightened(upright[1], upright[0], ocr, "upright-deskewed")
        if quality(reading) > quality(best):
            log.debug("page read again turned %d degrees", rotate)
            return reading
        return best
    except Exception as exc:  # noqa: BLE001 - a second look is a bonus: the first reading stands
        log.warning("second look at a page failed: %s", type(exc).__name__)
        return result
