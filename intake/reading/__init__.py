"""Reading: takes one archived file; gives its text page by page (pypdf, python-docx, Tesseract), each page with how it
was read and its confidence, and page images. Never judges what a document is; risky parses run in a sandboxed child.
"""

from __future__ import annotations

from .extract import Limits, OcrEngine, OcrJob, extract_text, opens_structurally, page_image
from .ocr import Tesseract, check_tesseract
from .sandbox import start_parsers
from .seal_marks import DETECTOR as SEAL_DETECTOR
from .seal_marks import find_seal
from .workers import OcrWorkers

__all__ = [
    "SEAL_DETECTOR",
    "Limits",
    "OcrEngine",
    "OcrJob",
    "OcrWorkers",
    "Tesseract",
    "check_tesseract",
    "extract_text",
    "find_seal",
    "opens_structurally",
    "page_image",
    "start_parsers",
]
