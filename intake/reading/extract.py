"""Read the text of one file, page by page: pypdf text layers, python-docx, and OCR where text is missing.

Never raises for a bad file: whatever is wrong with it becomes the Extraction's `problem`.
The OCR engine and the way OCR jobs are run (in worker processes) are passed in, so tests can replace them;
an OCR job is a small picklable description of one page, read wherever the runner sends it.

Over 500 lines because every format's reader and its checks against hostile bytes sit side by side, under one
table of extractors (EXTRACTORS): the sandboxed entry points must live in one importable module.
"""

from __future__ import annotations

import logging
import re
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from ..folding import is_junk, nfc, rejoin_spaced_letters
from ..models import Extraction, Page, Problem
from .enclosed import clean_name, document_attachments, listed, page_attachments
from .ocr import OcrFailed, OcrResult
from .orientation import second_look
from .seal_marks import find_seal

log = logging.getLogger(__name__)

OcrEngine = Callable[[Any], OcrResult]
"""From a page image in memory (PIL, its resolution in `info["dpi"]`) to its text; may offer `orientation`."""
PrepareImage = Callable[[], Any]
"""One way to get a page's image, in memory, for OCR (picklable: it is sent to an OCR worker process). A way that
decodes a picture as scanned or photographed leaves what the seal detector sees on it in `info["seal"]`, so that
the judge never renders that page again to look for a seal."""


@dataclass(frozen=True)
class OcrJob:
    """One page to OCR: its number and the ways to get its image, best first (picklable)."""

    number: int
    ways: tuple[PrepareImage, ...]

    def read(self, ocr: OcrEngine) -> Page:
        """The page read by `ocr` (in whatever process runs it); never raises for a bad page."""
        return _ocr_page(self.number, ocr, *self.ways)


JobRunner = Callable[[Sequence[OcrJob], OcrEngine], list[Page]]
"""Runs a file's OCR jobs with an engine, keeping their order."""


class Contents(NamedTuple):
    """What an extractor read from a file: its pages, and the names of the files it carries and nobody read."""

    pages: tuple[Page, ...]
    enclosed: tuple[str, ...] = ()


def run_in_order(jobs: Sequence[OcrJob], ocr: OcrEngine) -> list[Page]:
    """Run OCR jobs one after the other in this thread (the pipeline passes its OCR worker processes instead)."""
    return [job.read(ocr) for job in jobs]


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
    parse_timeout: float = 120.0
    """Seconds to parse one PDF or DOCX (text layers, structure) before it is refused."""
    parse_memory: int = 2 << 30
    """Address space a parser may use (bytes) before the file is refused."""


# ---- content type --------------------------------------------------------------------------------

_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),
    (b"PK\x03\x04", "zip"),
    (b"{\\rtf", "rtf"),
    (b"L\x00\x00\x00\x01\x14\x02\x00", "shortcut"),
    (b"[InternetShortcut]", "shortcut"),
)


_ZIP_ERRORS = (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError)
"""What zipfile raises on a damaged or hostile archive ("zip file version 6.4" is a NotImplementedError)."""


def sniff(path: Path) -> str:
    """The content type of a file by its bytes, never its name: pdf, docx, xlsx, odt, zip, broken_zip, jpeg, png,
    tiff, doc, rtf, shortcut (a Windows .lnk or .url), empty, unknown."""
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
        except _ZIP_ERRORS:
            return "broken_zip"  # a truncated DOCX looks like this too
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names and b"opendocument.text" in head:
            return "odt"  # its first entry, "mimetype", stored uncompressed: "application/vnd.oasis.opendocument.text"
    return kind


def opens_structurally(path: Path) -> bool:
    """Whether a file is whole enough to read: a partially written copy usually is not.

    Cheap checks only (tails and headers), for the watcher to hold back files still arriving."""
    try:
        kind = sniff(path)
        size = path.stat().st_size
        with path.open("rb") as fh:
            fh.seek(max(0, size - 2048))
            tail = fh.read()
    except OSError:
        return False
    if kind == "pdf":
        return b"%%EOF" in tail
    if kind == "jpeg":
        return tail.rstrip(b"\0\r\n ").endswith(b"\xff\xd9")
    if kind == "png":
        return b"IEND" in tail[-16:]
    if kind == "broken_zip":
        return False
    if kind in ("zip", "docx", "xlsx", "odt"):
        try:
            with zipfile.ZipFile(path):
                return True  # the central directory, written last, is there
        except _ZIP_ERRORS:
            return False
    return kind != "empty"


# ---- text usability ------------------------------------------------------------------------------

_LETTER = re.compile(r"[^\W\d_]")


def _vietnamese_letters() -> frozenset[str]:
    """Every letter of the Vietnamese alphabet that is not plain ASCII: the vowels with their marks and tones, đ."""
    vowels = ["a", "a\u0306", "a\u0302", "e", "e\u0302", "i", "o", "o\u0302", "o\u031b", "u", "u\u031b", "y"]
    letters = {unicodedata.normalize("NFC", v + tone) for v in vowels for tone in ("", "\u0300", "\u0301", "\u0309",
                                                                                    "\u0303", "\u0323")}
    letters |= {"đ"}
    return frozenset(c for letter in letters for c in (letter, letter.upper()) if not c.isascii())


_VIETNAMESE = _vietnamese_letters()


def reads_as_vietnamese(text: str) -> bool:
    """Whether a text layer is real Vietnamese: not an English-model OCR layer ("CONG Hcok xA HQI", or "Sau khi
    nghien cuucac quyclinh vê Giai thuòng", whose stray accents are 6% of its letters where Vietnamese prose has
    20-30%), nor mojibake (`pre_unicode`)."""
    letters = _LETTER.findall(text)
    if len(letters) < 30:
        return False
    vietnamese = sum(1 for c in letters if c in _VIETNAMESE)
    return vietnamese / len(letters) >= 0.12 and not pre_unicode(text)


def pre_unicode(text: str) -> bool:
    """Whether a text layer is that of a PDF made with a pre-Unicode Vietnamese font (TCVN3 "B¸O C¸O GIíI THIÖU",
    VNI "COÂÏNG HOØA"): its accented letters mostly ones Vietnamese does not have. It reads as nothing, whatever
    the page holds besides."""
    marked = [c for c in _LETTER.findall(text) if not c.isascii()]
    return len(marked) >= 10 and sum(1 for c in marked if c not in _VIETNAMESE) > 0.1 * len(marked)


# ---- images --------------------------------------------------------------------------------------


_EXPOSURE_TAGS = (0x829A, 0x829D, 0x920A)
"""EXIF ExposureTime, FNumber, FocalLength (in the Exif IFD, 0x8769): how a camera took the picture. Scanners that
write EXIF name themselves (Make, Model) but have no exposure, aperture or lens."""


def _stated_dpi(image: Any) -> tuple[float, float] | None:
    """The resolution an image file states, None when it states none that can be true (under 50 dpi)."""
    dpi = image.info.get("dpi")
    if not dpi or not dpi[0] or float(dpi[0]) < 50:
        return None
    return float(dpi[0]), float(dpi[1] if len(dpi) > 1 and dpi[1] else dpi[0])


def camera_photo(image: Any) -> bool:
    """Whether a picture is a camera photograph rather than a scan, judged from the file itself: its EXIF says how
    it was exposed (`_EXPOSURE_TAGS`), or it states no resolution (every scanner writes one; phones do not) and is
    in colour (a phone's always is: a grey page without a resolution is a scan exported by an app, audit 44)."""
    try:
        exposure = image.getexif().get_ifd(0x8769)
    except (AttributeError, OSError, ValueError, SyntaxError):  # no EXIF, or EXIF Pillow cannot parse
        exposure = {}
    if any(tag in exposure for tag in _EXPOSURE_TAGS):
        return True
    return _stated_dpi(image) is None and image.mode not in ("1", "L", "LA", "I", "I;16", "F")


def _prepare_image(image: Any) -> Any:
    """Upright grayscale image, in memory, with a resolution Tesseract can trust (phone photos carry none) and
    `info["photo"]` set when it is a `camera_photo`."""
    from PIL import ImageOps

    photo = camera_photo(image)
    image = ImageOps.exif_transpose(image) or image
    seal = find_seal(image)  # from the colours, before they are dropped
    dpi = _stated_dpi(image)
    if dpi is None:
        # Assume the photo shows one A4 page: its long side is 11.7 inches.
        guessed = max(image.size) / 11.7
        dpi = (min(max(round(guessed), 100), 600),) * 2
    gray = image.convert("L")
    x, y = float(dpi[0]), float(dpi[1])
    if abs(x - y) > 0.05 * max(x, y):
        # A fax's 200×100 dpi: stretched to square pixels, or every letter reaches Tesseract half its height
        # (audit 20: a fax of a conformity certificate read as noise).
        width, height = gray.size
        gray = gray.resize((round(width * max(x, y) / x), round(height * max(x, y) / y)))
        x = y = max(x, y)
    gray.info["dpi"] = (round(x), round(y))
    gray.info["seal"] = seal
    gray.info["photo"] = photo
    return gray


def _ocr_page(number: int, ocr: OcrEngine, *prepares: PrepareImage) -> Page:
    """Get one page's image (in memory) and OCR it; if that fails, the next way of getting it."""
    for attempt, prepare in enumerate(prepares, 1):
        try:
            image = prepare()
            result = ocr(image)
        except (OcrFailed, OSError, ValueError, subprocess.SubprocessError, _Refused) as exc:
            level = logging.WARNING if attempt == len(prepares) else logging.DEBUG
            log.log(level, "page %d could not be OCR'd (way %d of %d): %s", number, attempt, len(prepares),
                    type(exc).__name__)
            continue
        # Doubtful or askew readings only: turned upright (OSD) or straightened, and read again.
        result = second_look(image, result, ocr)
        return Page(number, result.text, "ocr", result.confidence, result.doubtful, image.info.get("seal"),
                    photo=bool(image.info.get("photo")))
    return Page(number, "", "ocr", 0.0)


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


@dataclass(frozen=True)
class ImageFrame:
    """A frame of an image file (JPEG, PNG, a page of a TIFF), decoded in memory."""

    path: Path
    index: int
    limits: Limits

    def __call__(self) -> Any:
        with _open_image(self.path, self.limits) as img:
            img.seek(self.index)
            return _prepare_image(img)


@dataclass(frozen=True)
class Picture:
    """A picture pasted into a Word file, decoded in memory."""

    blob: bytes
    limits: Limits

    def __call__(self) -> Any:
        with _open_image(self.blob, self.limits) as img:
            return _prepare_image(img)


def _image_jobs(path: Path, limits: Limits) -> list[OcrJob]:
    image = _open_image(path, limits)
    frames = min(getattr(image, "n_frames", 1), limits.max_pages)
    image.close()
    return [OcrJob(index + 1, (ImageFrame(path, index, limits),)) for index in range(frames)]


def extract_image(path: Path, *, ocr: OcrEngine, run: JobRunner, limits: Limits) -> Contents:
    """OCR every frame of a JPEG, PNG or (multi-page) TIFF."""
    return Contents(tuple(run(_image_jobs(path, limits), ocr)))


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


@dataclass(frozen=True)
class RenderedPdfPage:
    """A PDF page rendered by poppler, grayscale, its raw pixels (PGM) read from the pipe: nothing compressed
    (PNG compression would cost more than OCR), nothing written to disk."""

    path: Path
    number: int
    dpi: int
    timeout: float
    limits: Limits = Limits()

    def __call__(self) -> Any:
        done = subprocess.run(
            ["pdftoppm", "-r", str(self.dpi), "-gray", "-singlefile", "-f", str(self.number), "-l", str(self.number),
             str(self.path)],
            check=True, capture_output=True, timeout=self.timeout,
        )
        image = _open_image(done.stdout, self.limits)
        image.load()
        image.info["dpi"] = (self.dpi, self.dpi)
        return image


def jpeg_with_dpi(data: bytes, dpi: int) -> bytes | None:
    """The same JPEG with its JFIF resolution set to `dpi`, pixels untouched; None where that is unsafe."""
    if not data.startswith(b"\xff\xd8") or not 1 <= dpi <= 0xFFFF:
        return None
    density = b"\x01" + dpi.to_bytes(2, "big") * 2
    if data[2:4] == b"\xff\xe0" and data[6:11] == b"JFIF\x00":
        return data[:13] + density + data[18:]
    at = 2
    while at + 9 <= len(data) and data[at] == 0xFF and data[at + 1] not in (0xDA, 0xD9):
        if data[at + 1] == 0xEE and data[at + 4 : at + 9] == b"Adobe":
            return None  # a JFIF marker would override its colour transform
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return data[:2] + b"\xff\xe0\x00\x10JFIF\x00\x01\x01" + density + b"\x00\x00" + data[2:]


@dataclass(frozen=True)
class PdfJpeg:
    """A scanned page's own JPEG, cut out of the PDF and decoded in memory (gray or colour, as scanned):
    nothing rendered, compressed again or written to disk."""

    path: Path
    offset: int
    length: int
    dpi: int
    limits: Limits = Limits()

    def __call__(self) -> Any:
        with self.path.open("rb") as fh:
            fh.seek(self.offset)
            data = fh.read(self.length)
        if not data.startswith(b"\xff\xd8"):
            raise ValueError("not a JPEG")
        image = _open_image(data, self.limits)
        if image.format != "JPEG" or image.mode not in ("L", "RGB"):
            raise ValueError("not a gray or colour JPEG")
        image.load()
        image.info["dpi"] = (self.dpi, self.dpi)
        image.info["seal"] = find_seal(image)  # the page is this picture: gray as scanned, or in colour
        return image


_SHOW_TEXT = {b"Tj", b"TJ", b"'", b'"'}
_SCAN_OPERATORS = _SHOW_TEXT | {
    b"q", b"Q", b"cm", b"Do", b"gs", b"BT", b"ET", b"Tf", b"Td", b"TD", b"Tm", b"T*", b"Tc", b"Tw", b"Tz", b"TL",
    b"Ts", b"Tr", b"g", b"G", b"rg", b"RG", b"k", b"K", b"cs", b"CS", b"sc", b"scn", b"SC", b"SCN", b"w", b"J",
    b"j", b"M", b"d", b"ri", b"i", b"BMC", b"BDC", b"EMC", b"MP", b"DP",
}
"""Content-stream operators that draw nothing but the image and invisible text (a scanner's OCR layer)."""


def _scan_jpeg(fh: BinaryIO, reader: Any, page: Any) -> tuple[int, int, int, bool] | None:
    """(offset, length, dpi, has a text layer) of the JPEG that is all a page shows (a scanner's page); else None."""
    try:
        return _only_jpeg(fh, reader, page)
    except Exception:  # noqa: BLE001 - in any doubt, the page is rendered like any other
        return None


def _only_jpeg(fh: BinaryIO, reader: Any, page: Any) -> tuple[int, int, int, bool] | None:
    from pypdf.generic import ArrayObject, IndirectObject

    if int(page.get("/Rotate", 0) or 0) % 360 or list(page.cropbox) != list(page.mediabox):
        return None
    xobjects = page["/Resources"].get_object().get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else {}
    if len(xobjects) != 1:
        return None
    name = next(iter(xobjects))
    ref = xobjects.raw_get(name)
    image = ref.get_object() if isinstance(ref, IndirectObject) else None
    if image is None or image.get("/Subtype") != "/Image":
        return None
    filters = image.get("/Filter")
    if isinstance(filters, ArrayObject) and len(filters) == 1:
        filters = filters[0]
    colours = image.get("/ColorSpace")
    if isinstance(colours, ArrayObject) and len(colours) == 2 and colours[0] == "/ICCBased":
        colours = {1: "/DeviceGray", 3: "/DeviceRGB"}.get(colours[1].get_object().get("/N"))
    if (filters != "/DCTDecode" or colours not in ("/DeviceGray", "/DeviceRGB") or image.get("/BitsPerComponent") != 8
            or any(key in image for key in ("/DecodeParms", "/Decode", "/SMask", "/Mask", "/ImageMask"))):
        return None
    ctm, stack, mode, text, shown = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), [], 0, False, None
    for operands, operator in page.get_contents().operations:
        if operator not in _SCAN_OPERATORS:
            return None  # paths, clips, shadings, inline images: the rendered page is not just the JPEG
        if operator == b"q":
            stack.append((ctm, mode))
        elif operator == b"Q" and stack:
            ctm, mode = stack.pop()
        elif operator == b"cm":
            a, b, c, d, e, f = (float(x) for x in operands)
            if b or c:
                return None  # rotated or skewed
            ctm = (a * ctm[0], 0.0, 0.0, d * ctm[3], e * ctm[0] + ctm[4], f * ctm[3] + ctm[5])
        elif operator == b"Tr":
            mode = int(operands[0])
        elif operator in _SHOW_TEXT:
            if mode != 3:
                return None  # visible text beside the scan
            text = True
        elif operator == b"Do":
            if operands[0] != name or shown is not None:
                return None
            shown = ctm
    if shown is None or shown[0] <= 0 or shown[3] <= 0:
        return None  # not drawn, or mirrored
    dpi_x, dpi_y = int(image["/Width"]) * 72 / shown[0], int(image["/Height"]) * 72 / shown[3]
    if not 70 <= dpi_x <= 1200 or abs(dpi_x - dpi_y) > 0.02 * dpi_x:
        return None
    span = _stream_span(fh, reader.xref.get(ref.generation, {}).get(ref.idnum), image.get_data())
    return (*span, round(dpi_x), text) if span else None


def _stream_span(fh: BinaryIO, offset: int | None, data: bytes) -> tuple[int, int] | None:
    """Where in the file lie the bytes of the stream object at `offset` (checked byte for byte)."""
    if offset is None or not data:
        return None
    fh.seek(offset)
    head = fh.read(16384)
    at = head.find(b"stream")
    while at >= 0:
        eol = head[at + 6 : at + 8]
        start = at + 6 + (2 if eol == b"\r\n" else 1 if eol[:1] in (b"\r", b"\n") else 0)
        fh.seek(offset + start)
        if fh.read(len(data)) == data:
            return offset + start, len(data)
        at = head.find(b"stream", at + 6)
    return None


def _forget_images(reader: Any) -> None:
    """Drop images from pypdf's object cache: a 300-page scan is read page by page, never held whole in memory."""
    from pypdf.generic import StreamObject

    cache = reader.resolved_objects
    for key in [k for k, obj in cache.items() if isinstance(obj, StreamObject) and obj.get("/Subtype") == "/Image"]:
        del cache[key]


class PdfPlan(NamedTuple):
    """How to read a PDF, as its parse in the sandbox found it."""

    pages: tuple[tuple[int, str | None, int, tuple[int, int] | None], ...]
    """Per page: number, its usable text layer (None: OCR it), the resolution to render it at for OCR, and where in
    the file its JPEG lies (offset, length) when the page is nothing but a scan, to OCR that instead of rendering."""
    enclosed: tuple[str, ...] = ()
    """Names of the files it carries (`enclosed.listed`): embedded in the document or attached to a page."""


def plan_pdf(path: Path, limits: Limits) -> PdfPlan | Problem:
    """Parse a PDF (in the sandbox): keep text layers that read as Vietnamese, mark the other pages for OCR."""
    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - 2048))
        if b"%%EOF" not in fh.read():
            return Problem("unreadable_file", "tệp PDF bị cắt cụt (chưa tải lên đầy đủ hoặc bị hỏng)")
        return _plan_pdf(fh, limits)


def _plan_pdf(fh: BinaryIO, limits: Limits) -> PdfPlan | Problem:
    """`plan_pdf` of an open PDF file."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        # An open file, not a path: given a path, pypdf reads the whole file into memory.
        reader = PdfReader(fh, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return Problem("unreadable_file", "tệp PDF được bảo vệ bằng mật khẩu")
        count = len(reader.pages)
    except FileNotDecryptedError:
        return Problem("unreadable_file", "tệp PDF được bảo vệ bằng mật khẩu")
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return Problem("unreadable_file", "tệp PDF bị hỏng, không mở được")
    if count == 0:
        return Problem("unreadable_file", "tệp PDF không có trang nào")
    if count > limits.max_pages:
        return Problem("unreadable_file", f"tệp PDF có {count} trang, vượt quá giới hạn {limits.max_pages} trang "
                       "mỗi tệp; đề nghị tách thành các tệp nhỏ hơn")
    plan: list[tuple[int, str | None, int, tuple[int, int] | None]] = []
    enclosed = document_attachments(reader)
    for index in range(count):
        scan = None
        try:
            page = reader.pages[index]
            enclosed += page_attachments(page)
            scan = _scan_jpeg(fh, reader, page)
            text = "" if scan is not None and not scan[3] else nfc(page.extract_text() or "").strip()
            image_dpi = scan[2] if scan is not None else _largest_image_dpi(page)
        except Exception:  # noqa: BLE001 - pypdf raises many types on damaged pages; the page gets OCR'd
            text, image_dpi = "", 300
        finally:
            _forget_images(reader)
        usable = reads_as_vietnamese(text) and (image_dpi is None or len(text) >= 200)
        if usable or (image_dpi is None and text and not pre_unicode(text)):  # English, or very little
            plan.append((index + 1, text, 0, None))
        else:
            plan.append((index + 1, None, image_dpi or 300, scan[:2] if scan is not None else None))
    return PdfPlan(tuple(plan), listed(enclosed))


def extract_pdf(path: Path, *, ocr: OcrEngine, run: JobRunner, limits: Limits) -> Contents:
    """Text layers where they read as Vietnamese; OCR of the rendered page where they do not; the names of the
    files it carries."""
    plan = _sandboxed(plan_pdf, path, limits)
    pages = {number: Page(number, text, "text") for number, text, _, _ in plan.pages if text is not None}
    jobs = [OcrJob(number, _pdf_page_images(path, number, dpi, jpeg, limits))
            for number, text, dpi, jpeg in plan.pages if text is None]
    for page in run(jobs, ocr):
        pages[page.number] = page
    return Contents(tuple(pages[n] for n in sorted(pages)), plan.enclosed)


def _pdf_page_images(path: Path, number: int, dpi: int, jpeg: tuple[int, int] | None,
                     limits: Limits) -> tuple[PrepareImage, ...]:
    """Ways to get a page's image for OCR, best first: a scan's own JPEG, then the page rendered."""
    render = RenderedPdfPage(path, number, dpi, limits.render_timeout, limits)
    return (render,) if jpeg is None else (PdfJpeg(path, *jpeg, dpi, limits), render)


def _sandboxed(plan: Callable[[Path, Limits], Any], path: Path, limits: Limits) -> Any:
    """Run a parser in the sandbox; its problems and the sandbox's failures refuse the file."""
    from .sandbox import SandboxFailed, run_limited

    try:
        result = run_limited(plan, path, limits, timeout=limits.parse_timeout, memory_bytes=limits.parse_memory)
    except SandboxFailed as failed:
        reason = {
            "timeout": f"tệp cần hơn {limits.parse_timeout:.0f} giây để đọc, vượt quá giới hạn xử lý mỗi tệp",
            "memory": "tệp cần quá nhiều bộ nhớ để đọc (cấu trúc bất thường), không thể xử lý",
        }.get(failed.reason, "tệp bị hỏng hoặc có cấu trúc không hợp lệ, không đọc được")
        raise _Refused(Problem("unreadable_file", reason)) from failed
    if isinstance(result, Problem):
        raise _Refused(result)
    return result


# ---- DOCX ----------------------------------------------------------------------------------------

_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
_VML_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PAGE_BREAK = "\f"
"""Where the Word text passes to a new page: an explicit or rendered page break, a page-breaking section."""


def _next_section_start(p: Any) -> str:
    """How the section after the one paragraph `p` ends begins ("nextPage" unless its `w:type` says otherwise):
    in OOXML a section break's kind is written on the section that follows it."""
    node = p.getnext()
    while node is not None:
        ppr = node.find(f"{_W}pPr") if node.tag == f"{_W}p" else None
        section = node if node.tag == f"{_W}sectPr" else ppr.find(f"{_W}sectPr") if ppr is not None else None
        if section is not None:
            kind = section.find(f"{_W}type")
            return "nextPage" if kind is None else str(kind.get(f"{_W}val"))
        node = node.getnext()
    return "nextPage"


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_MC_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
_TEXT_BOX = f"{_W}txbxContent"
_PICTURE_OPEN, _PICTURE_CLOSE = "\ue000", "\ue001"
_PICTURE = re.compile("\ue000([^\ue000\ue001]*)\ue001")
"""Where a picture sits in a Word file's text (private-use characters, taken out of the file's own text): its
relationship id while the text is read, then its index among the pictures read."""
_NOT_MARK = str.maketrans({_PICTURE_OPEN: " ", _PICTURE_CLOSE: " "})


def _picture_ids(node: Any) -> list[str]:
    """Relationship ids of the pictures in a run's drawing (DrawingML, or VML where there is no DrawingML)."""
    found = [el.get(_EMBED) for el in node.iter(_BLIP) if not _within(el, node, (_MC_FALLBACK,))]
    found += [el.get(_REL_ID) for el in node.iter(_VML_IMAGE) if not _within(el, node, (_MC_FALLBACK,))]
    return [str(rel_id).translate(_NOT_MARK) for rel_id in found if rel_id]


def _within(node: Any, p: Any, tags: tuple[str, ...]) -> bool:
    """Whether `node` (or one of its ancestors below paragraph `p`) is one of these elements."""
    while node is not None and node is not p:
        if node.tag in tags:
            return True
        node = node.getparent()
    return False


def _text_box_lines(p: Any) -> list[str]:
    """The text of the text boxes anchored in paragraph `p` (a cover's title is often one), a line per paragraph
    of the box. Word writes each box twice, as a DrawingML shape and as its VML fallback: the fallback is skipped,
    and so is a box inside another (its text is the outer box's)."""
    lines: list[str] = []
    for box in p.iter(_TEXT_BOX):
        if _within(box.getparent(), p, (_MC_FALLBACK, _TEXT_BOX)):
            continue
        for para in box.iter(f"{_W}p"):
            text = "".join(t.text or "" for t in para.iter(f"{_W}t")).translate(_NOT_MARK)
            if text.strip():
                lines.append(text)
    return lines


_NOT_TEXT = (_TEXT_BOX, _MC_FALLBACK, f"{_W}del", f"{_W}moveFrom")
"""Where a paragraph's runs are not its text: text boxes (read as boxes), their fallback, and what tracked changes
deleted or moved away (what they inserted, `w:ins` and `w:moveTo`, is the text as it now reads)."""


def _flag(ppr: Any, name: str) -> bool | None:
    """A paragraph property's on/off value in `ppr` (None: not set there)."""
    found = ppr.find(f"{_W}{name}") if ppr is not None else None
    return None if found is None else found.get(f"{_W}val", "true") not in ("0", "false", "off")


def _breaks_before(paragraph: Any) -> bool:
    """Whether the paragraph starts a page: its own `pageBreakBefore`, else its style's or a style it is based on
    (a "Heading 1" that starts every chapter on a new page)."""
    own = _flag(paragraph._p.pPr, "pageBreakBefore")
    if own is not None:
        return own
    style, seen = paragraph.style, 0
    while style is not None and seen < 16:  # a style based on itself, in a hostile file, ends here
        inherited = _flag(style.element.pPr, "pageBreakBefore")
        if inherited is not None:
            return inherited
        style, seen = style.base_style, seen + 1
    return False


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out, number = out + letters, number - value
    return out


_NUMBER_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str, "decimalZero": lambda n: f"{n:02d}",
    "upperRoman": _roman, "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": lambda n: chr(64 + (n - 1) % 26 + 1) * ((n - 1) // 26 + 1),
    "lowerLetter": lambda n: chr(96 + (n - 1) % 26 + 1) * ((n - 1) // 26 + 1),
}
"""Word's list number formats that write a number (bullets and the rest write none that a reader needs)."""


class _Numbering:
    """Word's automatic numbering, which lives in numbering.xml and not in the text ("Tiêu chí %1:", "%1.%2."):
    the label each numbered paragraph shows, counted as Word counts (per list definition; a level restarts under
    a higher one)."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.lists: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # noqa: BLE001 - no numbering part (python-docx raises NotImplementedError or KeyError)
            return
        try:
            self._read(root)
        except (ValueError, TypeError):  # a damaged numbering part: the text is read without its numbers
            self.levels, self.lists = {}, {}

    def _read(self, root: Any) -> None:
        for abstract in root.iter(f"{_W}abstractNum"):
            levels = self.levels.setdefault(abstract.get(f"{_W}abstractNumId", ""), {})
            for lvl in abstract.iter(f"{_W}lvl"):
                fmt, text, start = lvl.find(f"{_W}numFmt"), lvl.find(f"{_W}lvlText"), lvl.find(f"{_W}start")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    "decimal" if fmt is None else fmt.get(f"{_W}val", ""),
                    "" if text is None else text.get(f"{_W}val", ""),
                    1 if start is None else int(start.get(f"{_W}val", "1") or 1))
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            starts = {int(o.get(f"{_W}ilvl", "0")): int(s.get(f"{_W}val", "1"))
                      for o in num.iter(f"{_W}lvlOverride") if (s := o.find(f"{_W}startOverride")) is not None}
            self.lists[num.get(f"{_W}numId", "")] = ("" if ref is None else ref.get(f"{_W}val", ""), starts)

    def _numbered(self, paragraph: Any) -> tuple[str, int] | None:
        """(numId, level) of a paragraph: its own, else its style's or a style it is based on."""
        holders = [paragraph._p.pPr]
        style, seen = paragraph.style, 0
        while style is not None and seen < 16:
            holders.append(style.element.pPr)
            style, seen = style.base_style, seen + 1
        for ppr in holders:
            numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
            if numpr is not None and (num := numpr.find(f"{_W}numId")) is not None:
                ilvl = numpr.find(f"{_W}ilvl")
                return num.get(f"{_W}val", "0"), int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0
        return None

    def label(self, paragraph: Any) -> str:
        """The number Word shows before this paragraph ("1.", "Tiêu chí 2:", "IV."), "" when none; counts it."""
        if not self.lists:
            return ""
        try:
            found = self._numbered(paragraph)
        except (ValueError, TypeError):
            return ""
        if found is None or found[0] not in self.lists:
            return ""
        abstract, starts = self.lists[found[0]]
        levels, level = self.levels.get(abstract, {}), found[1]
        if level not in levels:
            return ""
        counters = self.counters.setdefault(abstract, {})
        first = {n: starts.get(n, levels[n][2]) for n in levels}
        counters[level] = counters[level] + 1 if level in counters else first[level]
        for deeper in [n for n in counters if n > level]:
            del counters[deeper]
        fmt, text, _ = levels[level]
        if fmt not in _NUMBER_FORMATS:
            return ""

        def number(found: re.Match[str]) -> str:
            n = int(found.group(1)) - 1
            value = counters.get(n, first.get(n, 1))
            if not 0 < value <= 1000:  # a hostile start value ("999999999" as letters or Roman numerals) stays short
                return str(value)
            return _NUMBER_FORMATS.get(levels.get(n, (fmt,))[0], str)(value)

        return re.sub(r"%([1-9])", number, text).strip()


def _paragraph_lines(paragraph: Any, numbering: _Numbering | None = None) -> list[str]:
    """A paragraph's text, split where it breaks the page (`PAGE_BREAK` lines between the pieces), so that a
    dossier merged into one Word file can be read page by page; the text of its text boxes first, its automatic
    number before it."""
    p = paragraph._p
    boxes = _text_box_lines(p)
    before = _breaks_before(paragraph)
    ends_section = p.pPr is not None and p.pPr.find(f"{_W}sectPr") is not None
    after = ends_section and _next_section_start(p) != "continuous"
    pieces = [""]
    for run in p.iter(f"{_W}r"):
        if _within(run, p, _NOT_TEXT):
            continue  # a text box's runs (and its fallback's): its text is in `boxes`, its breaks are not the page's
        for child in run:
            if child.tag == f"{_W}t":
                pieces[-1] += (child.text or "").translate(_NOT_MARK)
            elif child.tag == f"{_W}tab":
                pieces[-1] += "\t"
            elif child.tag in (f"{_W}br", f"{_W}cr"):
                if child.get(f"{_W}type") == "page":
                    pieces.append("")
                else:
                    pieces[-1] += "\n"
            elif child.tag == f"{_W}lastRenderedPageBreak":
                pieces.append("")
            elif child.tag == f"{_W}noBreakHyphen":
                pieces[-1] += "-"
            elif child.tag in (f"{_W}drawing", f"{_W}pict", _MC_ALTERNATE):
                # Where the picture is: a scan pasted into a merged Word dossier is read as part of that page
                # (audit 16: put after every typed page, each picture moved the pages after it).
                pieces[-1] += "".join(f"\n{_PICTURE_OPEN}{i}{_PICTURE_CLOSE}\n" for i in _picture_ids(child))
    if numbering is not None and any(piece.strip() for piece in pieces) and (label := numbering.label(paragraph)):
        at = next(i for i, piece in enumerate(pieces) if piece.strip())
        pieces[at] = f"{label} {pieces[at].lstrip()}"
    lines = [PAGE_BREAK] * before + boxes
    for index, piece in enumerate(pieces):
        lines += [PAGE_BREAK, piece] if index else [piece]
    return lines + [PAGE_BREAK] * after


def _cell_text(cell: Any, numbering: _Numbering) -> str:
    """A table cell's text, its paragraphs read as the body's are (tracked changes; no page breaks in a cell)."""
    return "\n".join(line for paragraph in cell.paragraphs for line in _paragraph_lines(paragraph, numbering)
                     if line != PAGE_BREAK)


def _docx_text(document: Any) -> str:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for section in document.sections[:1]:
        lines += [line for p in section.header.paragraphs for line in _paragraph_lines(p) if line != PAGE_BREAK]
    numbering = _Numbering(document)
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines += _paragraph_lines(block, numbering)
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = _cell_text(cell, numbering)
                    if text not in cells:  # merged cells repeat
                        cells.append(text)
                lines.append("  ".join(cells))
    return nfc("\n".join(line for line in lines if line.strip() or line == PAGE_BREAK))


def plan_docx(path: Path, limits: Limits) -> tuple[str, tuple[bytes, ...]] | Problem:
    """Parse a DOCX (in the sandbox): its text and the pictures pasted into it, in document order."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except _ZIP_ERRORS:
        return Problem("unreadable_file", "tệp Word (DOCX) bị hỏng, không mở được")
    if sum(i.file_size for i in infos) > limits.max_unzipped_bytes:
        return Problem("unreadable_file", "tệp Word (DOCX) có dung lượng giải nén bất thường, không thể xử lý")
    try:
        document = _open_docx(path)
        text = _docx_text(document)
        # Pictures the text does not place (in a text box): each a page of its own at the end, as before.
        placed = set(_PICTURE.findall(text))
        rel_ids = [el.get(_EMBED) for el in document.element.body.iter(_BLIP)]
        rel_ids += [el.get(_REL_ID) for el in document.element.body.iter(_VML_IMAGE)]
        for rel_id in dict.fromkeys(str(r).translate(_NOT_MARK) for r in rel_ids if r):
            if rel_id not in placed:
                text += f"{PAGE_BREAK}{_PICTURE_OPEN}{rel_id}{_PICTURE_CLOSE}"
        blobs: list[bytes] = []
        index: dict[str, int] = {}

        def number(marker: re.Match) -> str:  # the first place of each picture only, up to max_pages pictures
            rel_id = marker.group(1)
            if rel_id in index or len(blobs) >= limits.max_pages:
                return ""
            part = document.part.related_parts.get(rel_id)
            if part is None or not getattr(part, "blob", None):
                return ""
            index[rel_id] = len(blobs)
            blobs.append(part.blob)
            return f"{_PICTURE_OPEN}{index[rel_id]}{_PICTURE_CLOSE}"

        text = _PICTURE.sub(number, text)
    except Exception:  # noqa: BLE001 - python-docx/lxml raise many types on damaged packages
        return Problem("unreadable_file", "tệp Word (DOCX) bị hỏng, không mở được")
    return text, tuple(blobs)


_WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OTHER_MAINS = (b"application/vnd.ms-word.document.macroEnabled.main+xml",
                b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
                b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml")
"""Main parts of a Word file with macros (.docm) or a template (.dotx, .dotm): the same XML, which python-docx
refuses by its declared type alone (audit 50: a .docm was said to be damaged). Macros are never run: only the
document's XML is read."""


def _open_docx(path: Path) -> Any:
    """The python-docx document of a Word file, a .docm or a template read as the document it holds."""
    import docx

    with zipfile.ZipFile(path) as zf:
        types = zf.read("[Content_Types].xml")
        if not any(main in types for main in _OTHER_MAINS):
            return docx.Document(str(path))
        copy = BytesIO()
        with zipfile.ZipFile(copy, "w") as out:
            for info in zf.infolist():
                data = zf.read(info)
                if info.filename == "[Content_Types].xml":
                    for main in _OTHER_MAINS:
                        data = data.replace(main, _WORD_MAIN)
                out.writestr(info, data)
    copy.seek(0)
    return docx.Document(copy)


def _readable_picture(blob: bytes, limits: Limits) -> bool:
    """Whether a picture pasted into Word is worth OCR: decodable, and not a logo or a signature."""
    try:
        with _open_image(blob, limits) as img:
            return img.size[0] * img.size[1] >= limits.min_picture_pixels
    except Exception:  # noqa: BLE001 - an undecodable picture (EMF, WMF, damaged) is skipped
        return False


def _docx_pages(text: str, readable: Sequence[bool]) -> list[tuple[str, tuple[int, ...]]]:
    """A Word file's pages as extraction numbers them: (its text, the pictures on it to OCR, in order), split at its
    page breaks; a page with neither text nor a readable picture is none."""
    pages = []
    for piece in text.split(PAGE_BREAK):
        pictures = tuple(int(i) for i in _PICTURE.findall(piece) if readable[int(i)])
        if _PICTURE.sub("", piece).strip() or pictures:
            pages.append((piece.strip("\n"), pictures))
    return pages


CAPTION_LINES = 3
"""Lines typed per pasted scan on a Word page, at most, for them to be its caption (`_captions`)."""


def _captions(piece: str, scans: Sequence[Page]) -> tuple[str, ...]:
    """The lines typed on a Word page that holds pasted scans, where they are only the scans' caption: a few lines
    a scan ("Văn bản xác nhận của Cục Thuế (các năm 2017, 2018, 2019)"), a third of the scans' text at most. A
    report typed around its pictures (a monitoring report with photographs) is more than a caption."""
    typed = [line.strip() for line in _PICTURE.sub("", piece).splitlines() if line.strip()]
    scanned = sum(len(p.text.strip()) for p in scans)
    if not typed or len(typed) > CAPTION_LINES * len(scans) or 3 * sum(map(len, typed)) > scanned:
        return ()
    return tuple(typed)


def extract_docx(path: Path, *, ocr: OcrEngine, run: JobRunner, limits: Limits) -> Contents:
    """Word text (body, tables, header) as pages (split at page breaks), each pasted picture OCR'd where it sits:
    its text in the page's, at its place; a page that is pictures only is read as a scan."""
    text, blobs = _sandboxed(plan_docx, path, limits)
    readable = [_readable_picture(blob, limits) for blob in blobs]
    layout = _docx_pages(text, readable)
    jobs = [OcrJob(i + 1, (Picture(blobs[i], limits),)) for i in range(len(blobs)) if readable[i]]
    read = {page.number - 1: page for page in run(jobs, ocr)}
    pages = []
    for number, (piece, pictures) in enumerate(layout, 1):
        merged = _PICTURE.sub(lambda m: read[int(m.group(1))].text if int(m.group(1)) in read else "", piece)
        merged = re.sub(r"\n{3,}", "\n\n", merged).strip("\n")
        scans = [read[i] for i in pictures if i in read]  # a picture a lost worker did not return: none
        if not scans:
            pages.append(Page(number, merged, "docx"))
            continue
        worst = min(scans, key=lambda p: p.confidence if p.confidence is not None else 100.0)
        pages.append(Page(number, merged, "ocr", worst.confidence, tuple(w for p in scans for w in p.doubtful),
                          next((p.seal for p in scans if p.seal is not None), None),
                          photo=any(p.photo for p in scans), captions=_captions(piece, scans)))
    return Contents(tuple(pages))


# ---- legacy Word -------------------------------------------------------------------------------


def extract_doc(path: Path, *, ocr: OcrEngine, run: JobRunner, limits: Limits, kind: str = "doc") -> Contents:
    """A legacy .doc, an OpenDocument text (.odt) or an RTF file converted to DOCX by LibreOffice where it is
    installed; otherwise a request for DOCX/PDF."""
    import shutil

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise _Refused(REFUSED[kind])
    with tempfile.TemporaryDirectory(prefix="intake-doc-") as tmp:
        source = Path(tmp) / f"document.{kind}"
        source.write_bytes(path.read_bytes())
        try:
            subprocess.run(
                [office, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                 "--convert-to", "docx", "--outdir", tmp, str(source)],
                check=True, capture_output=True, timeout=limits.parse_timeout,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            raise _Refused(Problem("unreadable_file", f"{_OFFICE_KINDS[kind]} bị hỏng, không chuyển đổi được; "
                                   "đề nghị nộp lại dưới dạng DOCX hoặc PDF")) from exc
        converted = Path(tmp) / "document.docx"
        if not converted.exists():
            raise _Refused(REFUSED[kind])
        return extract_docx(converted, ocr=ocr, run=run, limits=limits)


_OFFICE_KINDS = {"doc": "tệp Word cũ (.doc)", "odt": "tệp văn bản OpenDocument (.odt)", "rtf": "tệp RTF"}
"""The text formats LibreOffice converts, as the enterprise is told of them."""


def extract_odt(path: Path, *, ocr: OcrEngine, run: JobRunner, limits: Limits) -> Contents:
    """An OpenDocument text (LibreOffice's own .odt): as a legacy .doc is (audit 50: refused as an archive)."""
    return extract_doc(path, ocr=ocr, run=run, limits=limits, kind="odt")


def extract_rtf(path: Path, *, ocr: OcrEngine, run: JobRunner, limits: Limits) -> Contents:
    """An RTF file (WordPad's, often named .doc): as a legacy .doc is (audit 50: "only PDF, DOCX …")."""
    return extract_doc(path, ocr=ocr, run=run, limits=limits, kind="rtf")


# ---- colour page images (for the seal check) ------------------------------------------------------------


def page_image(path: Path, number: int, *, dpi: int = 75, limits: Limits = Limits()) -> Any:
    """Page `number` of a file in colour, as extraction numbered its pages (a PDF page rendered at `dpi`, an
    image's frame, a picture pasted into Word), as a PIL image; None when the page is no picture (Word text)."""
    kind = sniff(path)
    if kind == "pdf":
        with tempfile.TemporaryDirectory(prefix="intake-colour-") as tmp:
            subprocess.run(
                ["pdftoppm", "-r", str(dpi), "-f", str(number), "-l", str(number), "-singlefile", str(path),
                 str(Path(tmp) / "page")],
                check=True, capture_output=True, timeout=limits.render_timeout,
            )
            from PIL import Image

            with Image.open(Path(tmp) / "page.ppm") as rendered:
                return rendered.convert("RGB")
    if kind in ("jpeg", "png", "tiff"):
        from PIL import ImageOps

        with _open_image(path, limits) as img:
            img.seek(number - 1)
            return (ImageOps.exif_transpose(img) or img).convert("RGB")
    if kind == "docx":
        text, blobs = _sandboxed(plan_docx, path, limits)
        layout = _docx_pages(text, [_readable_picture(blob, limits) for blob in blobs])
        if 0 < number <= len(layout) and (pictures := layout[number - 1][1]):
            with _open_image(blobs[pictures[0]], limits) as img:  # the page's (first) pasted scan
                return img.convert("RGB")
    return None


# ---- entry point ---------------------------------------------------------------------------------


def _zip_members(path: Path) -> tuple[str, ...]:
    """The names of the files a ZIP holds (`enclosed.listed`), never unpacked: only its directory is read; what the
    share's walk would skip as junk (`folding.is_junk`: "__MACOSX/", "._…", "Thumbs.db") is left out. A name not
    flagged UTF-8 is Windows' code page as Python reads it (cp437), unless its bytes are UTF-8, as 7-Zip's are."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [info for info in zf.infolist() if not info.is_dir()]
    except _ZIP_ERRORS:
        return ()
    names = []
    for info in infos:
        name = info.filename
        if not info.flag_bits & 0x800:
            try:
                name = name.encode("cp437").decode("utf-8")
            except UnicodeError:
                pass
        if not any(map(is_junk, name.split("/"))):
            names.append(clean_name(name))
    return listed(names)


EXTRACTORS: dict[str, Callable[..., Contents]] = {
    "pdf": extract_pdf,
    "docx": extract_docx,
    "jpeg": extract_image,
    "png": extract_image,
    "tiff": extract_image,
    "doc": extract_doc,
    "odt": extract_odt,
    "rtf": extract_rtf,
}

REFUSED: dict[str, Problem] = {
    "empty": Problem("unreadable_file", "tệp rỗng (0 byte)"),
    "no_content": Problem("unreadable_file", "tệp không có nội dung (không có chữ hay hình ảnh nào đọc được)"),
    "broken_zip": Problem("unreadable_file", "tệp bị hỏng hoặc chưa tải lên đầy đủ, không mở được"),
    "doc": Problem("unsupported_format", "định dạng Word cũ (.doc) không được hỗ trợ; đề nghị nộp lại dưới dạng DOCX hoặc PDF"),
    "odt": Problem("unsupported_format", "định dạng OpenDocument (.odt) không được hỗ trợ; đề nghị nộp lại dưới dạng DOCX hoặc PDF"),
    "rtf": Problem("unsupported_format", "định dạng RTF không được hỗ trợ; đề nghị nộp lại dưới dạng DOCX hoặc PDF"),
    "shortcut": Problem("unsupported_format", "tệp lối tắt (shortcut) hoặc liên kết chỉ trỏ tới tài liệu ở nơi khác, không "
                        "chứa tài liệu; đề nghị nộp chính tài liệu đó (PDF, Word hoặc ảnh)"),
    "xlsx": Problem("unsupported_format", "bảng tính Excel không được tiếp nhận; đề nghị nộp dưới dạng PDF"),
    "zip": Problem("unsupported_format", "tệp nén không được tiếp nhận; đề nghị nộp trực tiếp từng tệp PDF, DOCX hoặc ảnh"),
    "unknown": Problem("unsupported_format", "định dạng tệp không được hỗ trợ (chỉ tiếp nhận PDF, Word, JPEG, PNG, TIFF)"),
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
        return Extraction(kind, (), REFUSED.get(kind, REFUSED["unknown"]), _zip_members(path) if kind == "zip" else ())
    try:
        pages, enclosed = extractor(path, ocr=ocr, run=run, limits=limits)
    except _Refused as refused:
        return Extraction(kind, (), refused.problem)
    except MemoryError:
        return Extraction(kind, (), Problem("unreadable_file", "tệp quá lớn hoặc có cấu trúc bất thường, không thể xử lý"))
    except Exception as exc:  # noqa: BLE001 - a watched folder is unattended: no single file may stop it
        log.warning("extraction of a %s file failed: %s", kind, type(exc).__name__)
        return Extraction(kind, (), Problem("unreadable_file", "tệp bị hỏng hoặc có cấu trúc không hợp lệ, không đọc được"))
    if not pages:  # nothing in it (an empty Word file): said, not left out of what the officer sees
        return Extraction(kind, (), REFUSED["no_content"])
    # A title typed letter by letter ("B Á O  C Á O") reads as the words it spells, however it was read.
    return Extraction(kind, tuple(replace(page, text=rejoin_spaced_letters(page.text),
                                          captions=tuple(map(rejoin_spaced_letters, page.captions)))
                                  for page in pages), enclosed=enclosed)
