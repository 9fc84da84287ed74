"""The benchmark's seeded corpus: scanned and digital dossiers of realistic size, an inbox to rescan, a long scan.

Built on the test generator (`tests/dossiers.py`): each component's real first page(s), then dense continuation
pages of report prose, as enterprises send them (a self-assessment runs to dozens of pages). Scanned pages are
300-dpi grayscale A4 JPEGs in image-only PDFs. Beside them, a sparse set: the certificates, confirmations,
forms and cover letters of dossiers (the generator's own pages, no report prose) scanned at 200 dpi, the most
common scans of a dossier, where a `tesseract` process's start-up weighs most. Everything is a function of the seed; a finished corpus is kept
under its folder with a manifest and reused by later runs (`--fresh` rebuilds it).
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import dossiers  # (the seeded test-data generator)

VERSION = 5
"""Bump when the corpus changes, so that kept corpora are rebuilt."""
SEED = 20200630
DPI = 300
SPARSE_DPI = 200
SPARSE_COMPONENTS = ("registration_form", "quality_system", "product_conformity", "tax_insurance", "other_evidence")
"""The components of a sparse dossier: a form, certificates, confirmations (with its cover letter)."""


@dataclass(frozen=True)
class Size:
    """How big each part of the corpus is."""

    name: str
    scanned_dossiers: int
    """Dossiers whose every file is a scanned PDF."""
    scanned_components: tuple[str, ...]
    """Components each scanned dossier has (all: a whole dossier)."""
    cover_letter: bool
    """Whether scanned dossiers carry a (scanned) cover letter."""
    dense: float
    """Multiplier of the continuation pages per component (1.0: realistic report lengths)."""
    digital_dossiers: int
    """Dossiers of text PDFs and Word files."""
    rescan_files: int
    """Already-ingested files in the inbox whose rescan is timed."""
    long_scan_pages: int
    """Pages of the single scanned PDF whose ingestion's memory is measured (0: not measured)."""
    settle: float
    """`intake watch --settle` for the latency measurement."""
    latency_drops: int
    """1-page files dropped one after the other into the watched inbox."""
    sparse_dossiers: int = 0
    """Dossiers of sparse pages (certificates, confirmations, forms, letters) scanned at 200 dpi."""


SIZES = {
    "tiny": Size("tiny", 1, ("quality_system",), False, 0.0, 1, 20, 0, 0.5, 2, 1),
    "small": Size("small", 1, dossiers.COMPONENT_IDS, True, 0.3, 4, 1000, 0, 2.0, 3, 4),
    "full": Size("full", 4, dossiers.COMPONENT_IDS, True, 1.0, 20, 1000, 300, 2.0, 5, 24),
}

# Continuation pages per component at dense=1.0 (first pages come from the generator).
CONTINUATION = {
    "registration_form": 1, "company_profile": 5, "self_assessment": 22, "quality_system": 0,
    "product_conformity": 0, "environment": 4, "tax_insurance": 1, "other_evidence": 3,
}

# Report prose: no component title, no criterion name beyond criterion 7's, no year 2015-2019 (the content
# checks look for years near phrases), so continuation pages add reading work, never evidence of their own.
PROSE = (
    (
        "Công ty thường xuyên rà soát các quy trình sản xuất, kiểm soát chặt chẽ nguyên vật liệu đầu vào và sản "
        "phẩm đầu ra, bảo đảm chất lượng ổn định."
    ),
    (
        "Định kỳ hằng quý, Ban Giám đốc tổ chức họp xem xét việc thực hiện mục tiêu chất lượng và đề ra biện pháp "
        "cải tiến phù hợp."
    ),
    (
        "Người lao động được đào tạo về an toàn vệ sinh lao động, kỹ năng nghề nghiệp và được trang bị đầy đủ bảo "
        "hộ lao động."
    ),
    (
        "Các sáng kiến cải tiến kỹ thuật được khen thưởng kịp thời, góp phần giảm chi phí sản xuất và nâng cao năng "
        "suất."
    ),
    (
        "Phòng Kỹ thuật chủ trì xây dựng hướng dẫn công việc cho từng công đoạn, phổ biến tới tổ trưởng sản xuất và "
        "công nhân trực tiếp vận hành."
    ),
    (
        "Mọi sản phẩm không phù hợp đều được nhận diện, cách ly, ghi nhận nguyên nhân và xử lý theo thủ tục đã ban "
        "hành."
    ),
    (
        "Công ty duy trì chương trình bảo dưỡng thiết bị định kỳ, lập hồ sơ theo dõi tình trạng máy móc và thay thế "
        "phụ tùng trước khi hư hỏng."
    ),
    (
        "Các nhà cung cấp được đánh giá lựa chọn theo tiêu chuẩn về giá cả, thời gian giao hàng, năng lực kỹ thuật "
        "và uy tín trên thị trường."
    ),
    (
        "Hệ thống phần mềm quản trị doanh nghiệp giúp theo dõi đơn hàng, tồn kho, chi phí và tiến độ giao hàng theo "
        "thời gian thực."
    ),
    (
        "Ban lãnh đạo khuyến khích cán bộ, công nhân viên đề xuất ý tưởng mới, tổ chức thi đua lao động giỏi trong "
        "toàn công ty."
    ),
    (
        "Công tác phòng cháy chữa cháy được tập huấn hằng năm; các phương án ứng phó sự cố được diễn tập với sự tham "
        "gia của lực lượng chức năng."
    ),
    (
        "Công ty áp dụng công cụ năm chữ S, quản lý trực quan và duy trì sinh hoạt nhóm chất lượng tại các phân "
        "xưởng."
    ),
    (
        "Kết quả kiểm tra chất lượng sản phẩm được thống kê theo tuần, phân tích xu hướng và báo cáo Ban Giám đốc để "
        "kịp thời điều chỉnh."
    ),
    (
        "Nhu cầu đào tạo được xác định từ đánh giá năng lực cá nhân; sau mỗi khóa học, hiệu quả đào tạo được đánh "
        "giá lại bằng bài kiểm tra thực hành."
    ),
    (
        "Công ty thực hiện tiết kiệm năng lượng, lắp đặt biến tần cho động cơ công suất lớn và thay toàn bộ đèn chiếu "
        "sáng cũ bởi đèn LED tiết kiệm điện."
    ),
    (
        "Chế độ tiền lương được xây dựng theo vị trí việc làm, gắn với năng suất và chất lượng công việc của từng "
        "người."
    ),
    (
        "Khiếu nại của khách hàng được tiếp nhận qua nhiều kênh, phân công xử lý trong vòng hai ngày làm việc và "
        "phản hồi bằng văn bản."
    ),
    (
        "Tổ chức công đoàn phối hợp với chuyên môn chăm lo đời sống tinh thần, tổ chức tham quan, nghỉ mát và thăm "
        "hỏi gia đình người lao động."
    ),
    (
        "Trang thiết bị đo lường được hiệu chuẩn, kiểm định theo đúng chu kỳ; kết quả được lưu hồ sơ và dán nhãn "
        "nhận biết trên thiết bị."
    ),
    (
        "Công ty đầu tư dây chuyền công nghệ mới, tự động hóa một số công đoạn, giảm thao tác thủ công và tỷ lệ sai "
        "hỏng."
    ),
    (
        "Các rủi ro và cơ hội được nhận diện ở từng phòng ban, đánh giá mức độ ảnh hưởng và lập kế hoạch hành động "
        "tương ứng."
    ),
    (
        "Thông tin nội bộ được truyền đạt qua bảng tin, hộp thư điện tử và giao ban đầu ca, bảo đảm mọi người nắm "
        "rõ nhiệm vụ."
    ),
    (
        "Chi phí chất lượng được theo dõi riêng, gồm chi phí phòng ngừa, chi phí kiểm tra và chi phí sai hỏng trong "
        "và ngoài doanh nghiệp."
    ),
    (
        "Kho hàng được sắp xếp khoa học theo nguyên tắc nhập trước xuất trước, có sơ đồ vị trí và thẻ kho cho từng "
        "mã vật tư."
    ),
    (
        "Công ty phối hợp với các trường đào tạo nghề trên địa bàn để tuyển dụng, đồng thời tạo điều kiện cho sinh "
        "viên thực tập."
    ),
    (
        "Việc đánh giá nội bộ được thực hiện hai lần mỗi năm bởi đội ngũ chuyên gia đã qua đào tạo, độc lập với khu "
        "vực được đánh giá."
    ),
    (
        "Các chỉ tiêu về năng suất, tiêu hao vật tư và thời gian dừng máy được giao cụ thể đến từng tổ và xem xét "
        "vào cuối mỗi tháng."
    ),
    "Văn hóa doanh nghiệp đề cao sự trung thực, tinh thần trách nhiệm và sự hợp tác giữa các bộ phận.",
)

SECTION_HEADS = (
    "Công tác tổ chức sản xuất", "Kiểm soát chất lượng sản phẩm", "Đào tạo và phát triển", "Quản lý thiết bị",
    "Cải tiến liên tục", "An toàn lao động", "Quản lý kho và vật tư", "Công tác truyền thông nội bộ",
    "Quản lý rủi ro", "Tiết kiệm năng lượng",
)


def dense_page(rng: random.Random) -> dossiers.Page:
    """One full A4 page of report prose (about 2,300 characters at 13 pt: a numbered heading, paragraphs)."""
    lines = [f"{rng.randint(1, 9)}. {rng.choice(SECTION_HEADS)}"]
    budget = 2250
    while budget > 0:
        paragraph = " ".join(rng.sample(PROSE, 3))
        lines.append(paragraph)
        budget -= len(paragraph)
    return lines


def component_document(cid: str, ent: dossiers.Enterprise, rng: random.Random, dense: float) -> list[dossiers.Page]:
    """A component's pages: the generator's own pages with continuation pages around its last one."""
    pages = dossiers.component_pages(cid, ent, rng)
    extra = [dense_page(rng) for _ in range(round(CONTINUATION.get(cid, 0) * dense))]
    if len(pages) > 1:  # a two-page self-assessment: the criteria headings end up spread over the report
        half = len(extra) // 2
        return pages[:1] + extra[:half] + pages[1:] + extra[half:]
    return pages + extra


def _file_name(cid: str, index: int, kind: str) -> str:
    return f"{index:02d}. {cid.replace('_', ' ')}.{kind}"


# ---- scanned ---------------------------------------------------------------------------------------


def write_scanned_pdf(path: Path, pages: list[dossiers.Page], rng: random.Random) -> None:
    """An image-only PDF, one 300-dpi grayscale JPEG per page (the generator's own scan look)."""
    dossiers.write_scanned_pdf(path, pages, rng, dpi=DPI)


def page_jpegs(pdf: Path) -> Iterator[bytes]:
    """The JPEG stream of each page of an image-only PDF: exactly the pixels every OCR route sees."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    for page in reader.pages:
        xobjects = page["/Resources"]["/XObject"]
        (image,) = [xobjects[name] for name in xobjects]
        assert image["/Filter"] == "/DCTDecode", image["/Filter"]
        yield image.get_data()


def write_scanned_dossier(folder: Path, rng: random.Random, size: Size) -> list[str]:
    """One scanned dossier; returns the file names written."""
    ent = dossiers.make_enterprise(rng)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, cid in enumerate(size.scanned_components, 1):
        name = _file_name(cid, index, "pdf")
        write_scanned_pdf(folder / name, component_document(cid, ent, rng, size.dense), rng)
        written.append(name)
    if size.cover_letter:
        write_scanned_pdf(folder / "Cong van gui kem.pdf", dossiers.cover_letter_pages(ent, rng), rng)
        written.append("Cong van gui kem.pdf")
    return written


def write_sparse_dossier(folder: Path, rng: random.Random, components: tuple[str, ...]) -> list[str]:
    """One dossier of sparse scanned pages at 200 dpi: its form, certificates and confirmations, its cover letter."""
    ent = dossiers.make_enterprise(rng)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, cid in enumerate(components, 1):
        name = _file_name(cid, index, "pdf")
        dossiers.write_scanned_pdf(folder / name, dossiers.component_pages(cid, ent, rng), rng, dpi=SPARSE_DPI)
        written.append(name)
    dossiers.write_scanned_pdf(folder / "Cong van gui kem.pdf", dossiers.cover_letter_pages(ent, rng), rng,
                               dpi=SPARSE_DPI)
    return written + ["Cong van gui kem.pdf"]


def _page_images(scanned: Path, images: Path, dpi: int) -> int:
    """Every scanned page's JPEG (its resolution in its header) numbered in `images`, with an index."""
    from intake.reading.extract import jpeg_with_dpi

    images.mkdir()
    index = []
    for pdf in sorted(scanned.rglob("*.pdf")):
        for number, jpeg in enumerate(page_jpegs(pdf), 1):
            name = f"{len(index) + 1:05d}.jpg"
            (images / name).write_bytes(jpeg_with_dpi(jpeg, dpi))
            index.append((name, pdf.parent.name, pdf.name, number))
    (images / "index.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    return len(index)


def write_long_scan(path: Path, jpegs: list[Path], pages: int) -> None:
    """One image-only PDF of `pages` pages, the corpus's page JPEGs in turn, each page's bytes its own (a comment
    segment with the page number): as long a scan as enterprises send, without rendering it again."""
    from PIL import Image

    offsets: list[int] = []
    with path.open("wb") as out:

        def put(number: int, head: bytes, stream: bytes | None = None) -> None:
            offsets.append(out.tell())
            assert len(offsets) == number
            out.write(b"%d 0 obj\n" % number + head)
            if stream is not None:
                out.write(b"\nstream\n" + stream + b"\nendstream")
            out.write(b"\nendobj\n")

        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        put(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        kids = b" ".join(b"%d 0 R" % (3 + 3 * k) for k in range(pages))
        put(2, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages)
        for k in range(pages):
            source = jpegs[k % len(jpegs)].read_bytes()
            comment = f"page {k + 1}".encode()
            jpeg = source[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + source[2:]
            with Image.open(jpegs[k % len(jpegs)]) as image:
                (width, height), mode = image.size, image.mode
            w, h = width * 72 / DPI, height * 72 / DPI
            content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (w, h)
            put(3 + 3 * k, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << "
                           b"/Im0 %d 0 R >> >> /Contents %d 0 R >>" % (w, h, 5 + 3 * k, 4 + 3 * k))
            put(4 + 3 * k, b"<< /Length %d >>" % len(content), content)
            colours = b"/DeviceGray" if mode == "L" else b"/DeviceRGB"
            put(5 + 3 * k, b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
                           b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>"
                % (width, height, colours, len(jpeg)), jpeg)
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
        out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref))


# ---- digital ---------------------------------------------------------------------------------------


def write_digital_dossier(folder: Path, rng: random.Random, size: Size) -> int:
    """One dossier of text PDFs and Word files with realistic report lengths; returns its source pages."""
    ent = dossiers.make_enterprise(rng)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    components = dossiers.COMPONENT_IDS
    for index, cid in enumerate(components, 1):
        pages = component_document(cid, ent, rng, size.dense)
        kind = rng.choice(("pdf", "pdf", "docx"))
        path = folder / _file_name(cid, index, kind)
        if kind == "pdf":
            dossiers.write_digital_pdf(path, pages)
        else:
            dossiers.write_docx(path, pages)
        total += len(pages)
    letter = dossiers.cover_letter_pages(ent, rng)
    dossiers.write_digital_pdf(folder / "Cong van gui kem.pdf", letter)
    return total + len(letter)


def write_rescan_inbox(root: Path, rng: random.Random, files: int, per_dossier: int = 20) -> None:
    """`files` distinct one-page text PDFs in dossiers of `per_dossier` files each."""
    templates = []
    root.mkdir(parents=True, exist_ok=True)
    ent = dossiers.make_enterprise(rng)
    for cid in dossiers.COMPONENT_IDS:
        path = root / f".template-{cid}.pdf"
        dossiers.write_digital_pdf(path, dossiers.component_pages(cid, ent, rng)[:1])
        templates.append(path.read_bytes())
        path.unlink()
    for n in range(files):
        folder = root / f"Doanh nghiệp {n // per_dossier + 1:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        # A unique comment after %%EOF (as an incremental save leaves): distinct bytes, same reading.
        data = templates[n % len(templates)] + f"%bench file {n:05d}\n".encode()
        (folder / f"tai lieu {n % per_dossier + 1:02d}.pdf").write_bytes(data)


def latency_file(path: Path, rng: random.Random) -> None:
    """A one-page digital registration form (what `intake watch` sees arrive)."""
    ent = dossiers.make_enterprise(rng)
    dossiers.write_digital_pdf(path, dossiers.component_pages("registration_form", ent, rng)[:1])


# ---- the whole corpus ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    """Where each part of a built corpus is."""

    root: Path
    scanned_inbox: Path
    """Scanned dossiers, one folder each."""
    baseline_images: Path
    """Every scanned page's JPEG, numbered, for the bare-Tesseract baseline."""
    digital_inbox: Path
    digital_pages: int
    """Source pages of the digital dossiers (a Word file counts its pages)."""
    rescan_inbox: Path
    long_scan: Path | None
    latency_source: Path
    sparse_inbox: Path | None = None
    """Sparse scanned dossiers (200 dpi), one folder each."""
    sparse_images: Path | None = None
    """Every sparse page's JPEG, numbered."""

    def scanned_pdfs(self, kind: str = "dense") -> list[Path]:
        return sorted(self.inbox(kind).rglob("*.pdf"))

    def inbox(self, kind: str = "dense") -> Path:
        """The scanned dossiers of a set: "dense" (300-dpi reports) or "sparse" (200-dpi certificates, letters)."""
        inbox = self.scanned_inbox if kind == "dense" else self.sparse_inbox
        assert inbox is not None
        return inbox

    def images(self, kind: str = "dense") -> list[tuple[Path, str, str, int]]:
        """(image, dossier folder, file path in the dossier, page number) of every scanned page of a set."""
        folder = self.baseline_images if kind == "dense" else self.sparse_images
        assert folder is not None
        index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
        return [(folder / row[0], row[1], row[2], row[3]) for row in index]


def build(root: Path, size: Size, *, fresh: bool = False, log=print) -> Corpus:  # type: ignore[no-untyped-def]
    """The corpus of `size` under `root`, generated unless a complete one of this version is there."""
    folder = root / f"corpus-{size.name}"
    manifest = folder / "manifest.json"
    wanted = {"version": VERSION, "seed": SEED, "size": asdict(size)}
    if not fresh and manifest.exists():
        kept = json.loads(manifest.read_text(encoding="utf-8"))
        if kept.get("wanted") == json.loads(json.dumps(wanted)):
            return _corpus(folder, kept)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rng = random.Random(SEED)

    log(f"generating the {size.name} corpus in {folder} …")
    scanned = folder / "scanned"
    for n in range(size.scanned_dossiers):
        write_scanned_dossier(scanned / f"Hồ sơ quét {n + 1:02d}", rng, size)
    images = folder / "images"
    log(f"  {_page_images(scanned, images, DPI)} dense scanned pages ({DPI} dpi)")
    sparse = folder / "sparse"
    for n in range(size.sparse_dossiers):
        write_sparse_dossier(sparse / f"Hồ sơ giấy tờ {n + 1:02d}", rng, SPARSE_COMPONENTS)
    if size.sparse_dossiers:
        log(f"  {_page_images(sparse, folder / 'images-sparse', SPARSE_DPI)} sparse scanned pages ({SPARSE_DPI} dpi)")

    digital = folder / "digital"
    digital_pages = sum(write_digital_dossier(digital / f"Hồ sơ số {n + 1:02d}", rng, size)
                        for n in range(size.digital_dossiers))
    log(f"  {digital_pages} digital pages")
    write_rescan_inbox(folder / "rescan", rng, size.rescan_files)
    long_scan = None
    if size.long_scan_pages:
        long_scan = folder / "long" / "Hồ sơ dài" / "Báo cáo tự đánh giá (bản quét).pdf"
        long_scan.parent.mkdir(parents=True)
        write_long_scan(long_scan, sorted(images.glob("*.jpg")), size.long_scan_pages)
    latency_file(folder / "latency.pdf", rng)
    kept = {"wanted": wanted, "digital_pages": digital_pages,
            "long_scan": str(long_scan.relative_to(folder)) if long_scan else None}
    manifest.write_text(json.dumps(kept, ensure_ascii=False, indent=1), encoding="utf-8")
    return _corpus(folder, kept)


def _corpus(folder: Path, kept: dict) -> Corpus:  # type: ignore[type-arg]
    return Corpus(
        root=folder, scanned_inbox=folder / "scanned", baseline_images=folder / "images",
        digital_inbox=folder / "digital", digital_pages=int(kept["digital_pages"]), rescan_inbox=folder / "rescan",
        long_scan=folder / kept["long_scan"] if kept.get("long_scan") else None,
        latency_source=folder / "latency.pdf",
        sparse_inbox=folder / "sparse" if (folder / "sparse").is_dir() else None,
        sparse_images=folder / "images-sparse" if (folder / "images-sparse").is_dir() else None,
    )
