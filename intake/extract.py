"""Read the text of one file, page by page: pypdf text layers, python-docx, and OCR where text is missing.

Never raises for a bad file: whatever is wrong with it becomes the Extraction's `problem`.
The OCR engine and the way OCR jobs are run (in a pool) are passed in, so tests can replace them.
"""

from __future__ import annotations

import logging
import re
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from .folding import nfc
from .models import Extraction, Page, Problem
from .ocr import OcrFailed, OcrResult

log = logging.getLogger(__name__)

OcrEngine = Callable[[Path], OcrResult]
OcrJob = Callable[[], Page]
JobRunner = Callable[[Sequence[OcrJob]], list[Page]]


def run_in_order(jobs: Sequence[OcrJob]) -> list[Page]:
    """Run OCR jobs one after the other (the pipeline passes a pool instead)."""
    return [job() for job in jobs]


@dataclass(frozen=True)
class Limits:
    """What one file may cost, so that no file can stall the queue or exhaust memory."""

    max_pages: int = 1000
    """Pages read per file; a longer file is refused."""
    max_image_pixels: int = 120_000_000
    """Pixels of one image (a 600-dpi A3 scan is ~70 Mpx); larger ones are refused as decompression bombs."""
    max_unzipped_bytes: int = 300_000_000
    """Total uncompressed size of a DOCX package."""
    min_picture_pixels: int = 250_000
    """Pictures inside a DOCX smaller than this (logos, signatures) are not OCR'd."""
    render_timeout: float = 120.0
    """Seconds to render one PDF page to an image."""


# ---- content type --------------------------------------------------------------------------------

_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),
    (b"PK\x03\x04", "zip"),
)


def sniff(path: Path) -> str:
    """The content type of a file by its bytes, never its name: pdf, docx, xlsx, zip, jpeg, png, tiff, doc, empty, unknown."""
    with path.open("rb") as fh:
        head = fh.read(1024)
    if not head:
        return "empty"
    # PDF producers may put a few bytes before the header; readers accept it within the first 1 KB.
    kind = next((k for magic, k in _MAGIC if head.startswith(magic)), "pdf" if b"%PDF-" in head else "unknown")
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return kind


# ---- text usability ------------------------------------------------------------------------------

_LETTER = re.compile(r"[^\W\d_]")


def reads_as_vietnamese(text: str) -> bool:
    """Whether a text layer is real Vietnamese, not an English-model OCR layer ("CONG Hcok xA HQI")."""
    letters = _LETTER.findall(text)
    if len(letters) < 30:
        return False
    marked = sum(1 for c in letters if c in "đĐ" or unicodedata.normalize("NFD", c) != c)
    return marked / len(letters) >= 0.06


# ---- images --------------------------------------------------------------------------------------


def _prepare_image(image: Any, out: Path) -> None:
    """Upright grayscale PNG with a resolution Tesseract can trust (phone photos carry none)."""
    from PIL import ImageOps

    image = ImageOps.exif_transpose(image) or image
    dpi = image.info.get("dpi")
    if not dpi or not dpi[0] or float(dpi[0]) < 50:
        # Assume the photo shows one A4 page: its long side is 11.7 inches.
        guessed = max(image.size) / 11.7
        dpi = (min(max(round(guessed), 100), 600),) * 2
    image.convert("L").save(out, format="PNG", dpi=(round(float(dpi[0])), round(float(dpi[1] if len(dpi) > 1 else dpi[0]))))


def _ocr_page(number: int, ocr: OcrEngine, prepare: Callable[[Path], None]) -> Page:
    """Prepare one page image in a private temporary folder and OCR it."""
    with tempfile.TemporaryDirectory(prefix="intake-ocr-") as tmp:
        image = Path(tmp) / "page.png"
        try:
            prepare(image)
            result = ocr(image)
        except (OcrFailed, OSError, ValueError, subprocess.SubprocessError) as exc:
            log.warning("page %d could not be OCR'd: %s", number, type(exc).__name__)
            return Page(number, "", "ocr", 0.0)
    return Page(number, result.text, "ocr", result.confidence)


def _open_image(data: bytes | Path, limits: Limits) -> Any:
    """Open an image lazily, refusing decompression bombs before any pixel is decoded."""
    from PIL import Image

    # Pillow's own bomb check warns (or raises) globally; the explicit size check below replaces it.
    Image.MAX_IMAGE_PIXELS = None
    image = Image.open(data if isinstance(data, Path) else BytesIO(data))
    width, height = image.size
    if width * height > limits.max_image_pixels:
        image.close()
        raise _Refused(Problem("unreadable_file", f"ảnh có kích thước bất thường ({width}×{height} điểm ảnh), không thể xử lý"))
    return image


class _Refused(Exception):
    """Internal: a file is refused with this problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.reason)
        self.problem = problem


def _image_jobs(path: Path, ocr: OcrEngine, limits: Limits) -> list[OcrJob]:
    image = _open_image(path, limits)
    frames = min(getattr(image, "n_frames", 1), limits.max_pages)
    image.close()

    def job(index: int) -> OcrJob:
        def prepare(out: Path) -> None:
            with _open_image(path, limits) as img:
                img.seek(index)
                _prepare_image(img, out)

        return lambda: _ocr_page(index + 1, ocr, prepare)

    return [job(i) for i in range(frames)]


def extract_image(path: Path, *, ocr: OcrEngine, run: JobRunner, limits: Limits) -> tuple[Page, ...]:
    """OCR every frame of a JPEG, PNG or (multi-page) TIFF."""
    return tuple(run(_image_jobs(path, ocr, limits)))


# ---- PDF -----------------------------------------------------------------------------------------


def _largest_image_dpi(page: Any) -> int | None:
    """Effective resolution of the largest image on a PDF page, to render it at its own resolution."""
    try:
        xobjects = page["/Resources"].get_object().get("/XObject")
        if xobjects is None:
            return None
        widths = [
            int(obj.get_object().get("/Width", 0))
            for obj in xobjects.get_object().values()
            if obj.get_object().get("/Subtype") == "/Image"
        ]
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
    if not widths:
        return None
    page_inches = float(page.mediabox.width) / 72 or 8.27
    return min(max(round(max(widths) / page_inches), 150), 400)


def _render_pdf_page(path: Path, number: int, dpi: int, timeout: float) -> Callable[[Path], None]:
    def prepare(out: Path) -> None:
        prefix = out.with_suffix("")
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", "-f", str(number), "-l", str(number),
             str(path), str(prefix)],
            check=True, capture_output=True, timeout=timeout,
        )

    return prepare


def extract_pdf(path: Path, *, ocr: OcrEngine, run: JobRunner, limits: Limits) -> tuple[Page, ...]:
    """Text layers where they read as Vietnamese; OCR of the rendered page where they do not."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - 2048))
        if b"%%EOF" not in fh.read():
            raise _Refused(Problem("unreadable_file", "tệp PDF bị cắt cụt (chưa tải lên đầy đủ hoặc bị hỏng)"))
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _Refused(Problem("unreadable_file", "tệp PDF được bảo vệ bằng mật khẩu"))
        count = len(reader.pages)
    except FileNotDecryptedError as exc:
        raise _Refused(Problem("unreadable_file", "tệp PDF được bảo vệ bằng mật khẩu")) from exc
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise _Refused(Problem("unreadable_file", "tệp PDF bị hỏng, không mở được")) from exc
    if count == 0:
        raise _Refused(Problem("unreadable_file", "tệp PDF không có trang nào"))
    if count > limits.max_pages:
        raise _Refused(Problem("unreadable_file", f"tệp PDF có {count} trang, vượt quá giới hạn {limits.max_pages} trang mỗi tệp; đề nghị tách thành các tệp nhỏ hơn"))
    pages: dict[int, Page] = {}
    jobs: list[OcrJob] = []
    for index in range(count):
        number = index + 1
        try:
            page = reader.pages[index]
            text = nfc(page.extract_text() or "")
            image_dpi = _largest_image_dpi(page)
        except Exception as exc:  # noqa: BLE001 - pypdf raises many types on damaged pages; the page gets OCR'd
            log.debug("text layer of page %d unreadable: %s", number, type(exc).__name__)
            text, image_dpi = "", 300
        if reads_as_vietnamese(text) and (image_dpi is None or len(text) >= 200):
            pages[number] = Page(number, text.strip(), "text")
        elif image_dpi is None and text.strip():
            pages[number] = Page(number, text.strip(), "text")
        else:
            prepare = _render_pdf_page(path, number, image_dpi or 300, limits.render_timeout)
            jobs.append(lambda number=number, prepare=prepare: _ocr_page(number, ocr, prepare))
    for page in run(jobs):
        pages[page.number] = page
    return tuple(pages[n] for n in sorted(pages))


# ---- DOCX ----------------------------------------------------------------------------------------

_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
_VML_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _docx_text(document: Any) -> str:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for section in document.sections[:1]:
        lines += [p.text for p in section.header.paragraphs]
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    if cell.text not in cells:  # merged cells repeat
                        cells.append(cell.text)
                lines.append("  ".join(cells))
    return nfc("\n".join(line for line in lines if line.strip()))


def extract_docx(path: Path, *, ocr: OcrEngine, run: JobRunner, limits: Limits) -> tuple[Page, ...]:
    """Word text (body, tables, header) as page 1, then each pasted picture OCR'd as a page of its own."""
    import docx

    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _Refused(Problem("unreadable_file", "tệp Word (DOCX) bị hỏng, không mở được")) from exc
    if sum(i.file_size for i in infos) > limits.max_unzipped_bytes:
        raise _Refused(Problem("unreadable_file", "tệp Word (DOCX) có dung lượng giải nén bất thường, không thể xử lý"))
    try:
        document = docx.Document(str(path))
        text = _docx_text(document)
        rel_ids = [el.get(_EMBED) for el in document.element.body.iter(_BLIP)]
        rel_ids += [el.get(_REL_ID) for el in document.element.body.iter(_VML_IMAGE)]
        blobs = []
        for rel_id in dict.fromkeys(r for r in rel_ids if r):
            part = document.part.related_parts.get(rel_id)
            if part is not None and getattr(part, "blob", None):
                blobs.append(part.blob)
    except _Refused:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx/lxml raise many types on damaged packages
        raise _Refused(Problem("unreadable_file", "tệp Word (DOCX) bị hỏng, không mở được")) from exc
    pages = [Page(1, text, "docx")] if text.strip() else []
    jobs: list[OcrJob] = []
    for blob in blobs[: limits.max_pages]:
        try:
            with _open_image(blob, limits) as img:
                if img.size[0] * img.size[1] < limits.min_picture_pixels:
                    continue
        except Exception:  # noqa: BLE001 - an undecodable picture (EMF, WMF, damaged) is skipped
            continue
        number = len(pages) + len(jobs) + 1

        def prepare(out: Path, blob: bytes = blob) -> None:
            with _open_image(blob, limits) as img:
                _prepare_image(img, out)

        jobs.append(lambda number=number, prepare=prepare: _ocr_page(number, ocr, prepare))
    return tuple(pages + run(jobs))


# ---- entry point ---------------------------------------------------------------------------------

EXTRACTORS: dict[str, Callable[..., tuple[Page, ...]]] = {
    "pdf": extract_pdf,
    "docx": extract_docx,
    "jpeg": extract_image,
    "png": extract_image,
    "tiff": extract_image,
}

REFUSED: dict[str, Problem] = {
    "empty": Problem("unreadable_file", "tệp rỗng (0 byte)"),
    "doc": Problem("unsupported_format", "định dạng Word cũ (.doc) không được hỗ trợ; đề nghị nộp lại dưới dạng DOCX hoặc PDF"),
    "xlsx": Problem("unsupported_format", "bảng tính Excel không được tiếp nhận; đề nghị nộp dưới dạng PDF"),
    "zip": Problem("unsupported_format", "tệp nén không được tiếp nhận; đề nghị nộp trực tiếp từng tệp PDF, DOCX hoặc ảnh"),
    "unknown": Problem("unsupported_format", "định dạng tệp không được hỗ trợ (chỉ tiếp nhận PDF, DOCX, JPEG, PNG, TIFF)"),
}


def extract_text(
    path: Path,
    *,
    ocr: OcrEngine,
    run: JobRunner = run_in_order,
    limits: Limits = Limits(),
) -> Extraction:
    """Every page's text of the file at `path`, or the problem that makes it unusable; never raises for bad bytes."""
    try:
        kind = sniff(path)
    except OSError as exc:
        return Extraction("unknown", (), Problem("unreadable_file", f"không đọc được tệp ({exc.strerror or 'lỗi vào/ra'})"))
    extractor = EXTRACTORS.get(kind)
    if extractor is None:
        return Extraction(kind, (), REFUSED.get(kind, REFUSED["unknown"]))
    try:
        pages = extractor(path, ocr=ocr, run=run, limits=limits)
    except _Refused as refused:
        return Extraction(kind, (), refused.problem)
    except MemoryError:
        return Extraction(kind, (), Problem("unreadable_file", "tệp quá lớn hoặc có cấu trúc bất thường, không thể xử lý"))
    except Exception as exc:  # noqa: BLE001 - a watched folder is unattended: no single file may stop it
        log.warning("extraction of a %s file failed: %s", kind, type(exc).__name__)
        return Extraction(kind, (), Problem("unreadable_file", "tệp bị hỏng hoặc có cấu trúc không hợp lệ, không đọc được"))
    return Extraction(kind, pages)
