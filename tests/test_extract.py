"""Reading files: text layers, OCR of scans and photos, Word, and every bad file as a problem (never an exception)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from PIL import Image
from pypdf import PdfReader, PdfWriter

from intake.reading.extract import Limits, camera_photo, extract_text, reads_as_vietnamese, sniff
from intake.folding import fold
from intake.reading.ocr import OcrResult, Tesseract

import dossiers

TESSERACT = Tesseract()
TITLE = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "",
         "BÁO CÁO KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG", "Kết quả quan trắc môi trường năm 2018: nước thải đạt QCVN"]


def fake_ocr(image) -> OcrResult:
    """Isolates the parsing of broken files from Tesseract in the fuzz tests."""
    return OcrResult("", None)


def test_digital_pdf_uses_the_text_layer(tmp_path):
    path = tmp_path / "a.pdf"
    dossiers.write_digital_pdf(path, [TITLE, ["Trang hai: kết quả quan trắc năm 2019 đạt yêu cầu của cơ quan"]])
    extraction = extract_text(path, ocr=TESSERACT)
    assert extraction.problem is None and extraction.kind == "pdf"
    assert [p.method for p in extraction.pages] == ["text", "text"]
    assert "BÁO CÁO KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG" in extraction.pages[0].text


def test_scanned_pdf_is_ocrd_in_vietnamese(tmp_path, rng):
    path = tmp_path / "scan.pdf"
    dossiers.write_scanned_pdf(path, [TITLE], rng)
    extraction = extract_text(path, ocr=TESSERACT)
    page = extraction.pages[0]
    assert page.method == "ocr" and page.confidence is not None and page.confidence > 60
    assert "bao cao ket qua quan trac moi truong" in fold(page.text)


def test_mixed_pdf_reads_each_page_its_own_way(tmp_path, rng):
    digital, scanned, mixed = tmp_path / "d.pdf", tmp_path / "s.pdf", tmp_path / "mixed.pdf"
    dossiers.write_digital_pdf(digital, [TITLE])
    dossiers.write_scanned_pdf(scanned, [TITLE], rng)
    writer = PdfWriter()
    for source in (digital, scanned):
        writer.append(str(source))
    writer.write(mixed)
    assert [p.method for p in extract_text(mixed, ocr=TESSERACT).pages] == ["text", "ocr"]


def test_english_ocr_text_layer_is_replaced_by_vietnamese_ocr(tmp_path, rng):
    """Office scanners add an invisible layer OCR'd in English: it must not be trusted."""
    from fpdf import FPDF

    image = tmp_path / "page.png"
    dossiers.render_page_image(TITLE, rng).save(image)
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.image(str(image), x=0, y=0, w=pdf.w, h=pdf.h)
    pdf.set_font("Helvetica", size=12)
    pdf.text_mode = 3  # invisible, like a scanner's OCR layer
    pdf.text(40, 60, "CONG Hcok xA HQI CHiJ NGHiA VIVT NAM  BAO CAO KET QUA QUAN TRAC MOI TRUONG")
    path = tmp_path / "kodak.pdf"
    pdf.output(str(path))
    assert "CONG Hcok" in PdfReader(path).pages[0].extract_text()
    page = extract_text(path, ocr=TESSERACT).pages[0]
    assert page.method == "ocr"
    assert "cong hoa xa hoi chu nghia viet nam" in fold(page.text)


def test_a_pre_unicode_pdf_without_images_is_ocrd(tmp_path):
    """A document typed in a TCVN3 font and printed to PDF: its text layer is mojibake, and with no image on the
    page it used to be kept as it was. It is rendered and OCR'd."""
    mojibake = ["C¤NG TY Cæ PHÇN D¦îC PHÈM B¾C GIANG", "B¸O C¸O GIíI THIÖU CHUNG VÒ DOANH NGHIÖP",
                "C«ng ty ®­îc thµnh lËp n¨m 2005, chuyªn s¶n xuÊt d­îc phÈm"]
    path = tmp_path / "gioi thieu (TCVN3).pdf"
    dossiers.write_digital_pdf(path, [mojibake])
    assert PdfReader(path).pages[0].extract_text().startswith("C¤NG TY")
    page = extract_text(path, ocr=TESSERACT).pages[0]
    assert page.method == "ocr"


def test_reads_as_vietnamese():
    assert reads_as_vietnamese("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc, báo cáo")
    assert not reads_as_vietnamese("CONG Hcok xA HQI CHiJ NGHiA VIVT NAM Doc lap - Tu do - Hanh phuc bao cao")
    assert not reads_as_vietnamese("Trang 1")
    # A scanner's English-model layer with a few stray accents (6% of its letters; Vietnamese prose has 20-30%).
    assert not reads_as_vietnamese("Sau khi nghien cuucac quyclinh vê Giai thuòng Chat luqng Quoc gia, Cong ty "
                                   "chúng tôi dang ky tham du GIÁM DÔC (Ký ten,clóng dáu) Trân Thj Hong Nhung")
    # A PDF made with a pre-Unicode font: its text layer is mojibake (TCVN3, VNI), not Vietnamese, and is OCR'd.
    assert not reads_as_vietnamese("C¤NG TY Cæ PHÇN D¦îC PHÈM B¾C GIANG B¸O C¸O GIíI THIÖU CHUNG VÒ DOANH NGHIÖP")
    assert not reads_as_vietnamese("UÛY BAN NHAÂN DAÂN COÂÏNG HOØA XAÕ HOÂÏI CHUÛ NGHÓA VIEÂÏT NAM Ñoâïc laâïp - "
                                   "Töï do - Haïnh phuùc")
    assert reads_as_vietnamese("Công ty Müller Việt Nam: báo cáo giới thiệu chung về tổ chức, doanh nghiệp năm 2020")


def test_docx_text_tables_header_and_pasted_scans(tmp_path, rng):
    text_docx, scan_docx = tmp_path / "t.docx", tmp_path / "s.docx"
    ent = dossiers.make_enterprise(rng)
    pages = dossiers.component_pages("registration_form", ent, rng)
    dossiers.write_docx(text_docx, pages)
    extraction = extract_text(text_docx, ocr=TESSERACT)
    assert extraction.kind == "docx" and extraction.pages[0].method == "docx"
    assert ent.tax_code in extraction.pages[0].text
    assert "don dang ky tham du" in fold(extraction.pages[0].text)
    dossiers.write_docx(scan_docx, pages, pasted_scans=True, rng=rng)
    scanned = extract_text(scan_docx, ocr=TESSERACT)
    assert scanned.pages and all(p.method == "ocr" for p in scanned.pages)
    assert "don dang ky tham du" in fold(scanned.pages[0].text)


_TEXT_BOX = """<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml">
<mc:Choice Requires="wps"><w:drawing><wp:anchor simplePos="0" relativeHeight="1" behindDoc="0" locked="0"
 layoutInCell="1" allowOverlap="1" distT="0" distB="0" distL="0" distR="0"><wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV><wp:extent cx="5200000" cy="900000"/>
<wp:wrapTopAndBottom/><wp:docPr id="1" name="Text Box 1"/><a:graphic>
<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/>
<wps:spPr/><wps:txbx><w:txbxContent>{paras}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData>
</a:graphic></wp:anchor></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{paras}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
</mc:AlternateContent>"""


def test_a_title_in_a_word_text_box_is_read_once(tmp_path):
    """Word puts a cover's title in a text box, written twice (the shape and its VML fallback): the title is read,
    before the paragraph it is anchored in, and once."""
    import docx
    from lxml import etree

    document = docx.Document()
    paras = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in ("ĐƠN ĐĂNG KÝ THAM DỰ",
                                                                             "GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA"))
    document.add_paragraph().add_run()._r.append(etree.fromstring(_TEXT_BOX.format(paras=paras)))
    document.add_paragraph("Kính gửi: Hội đồng sơ tuyển Giải thưởng Chất lượng Quốc gia tỉnh Bắc Giang")
    path = tmp_path / "don.docx"
    document.save(path)
    text = extract_text(path, ocr=TESSERACT).pages[0].text
    assert text.splitlines()[:3] == ["ĐƠN ĐĂNG KÝ THAM DỰ", "GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA",
                                     "Kính gửi: Hội đồng sơ tuyển Giải thưởng Chất lượng Quốc gia tỉnh Bắc Giang"]
    assert text.count("ĐƠN ĐĂNG KÝ") == 1
    # A cover page: the box anchored in the paragraph that also ends the page; the box is read once, not again
    # (twice, glued) among the paragraph's own runs, and the page breaks where the paragraph breaks it.
    cover = docx.Document()
    anchor = cover.add_paragraph()
    anchor.add_run()._r.append(etree.fromstring(_TEXT_BOX.format(paras=paras)))
    anchor.add_run().add_break(docx.enum.text.WD_BREAK.PAGE)
    cover.add_paragraph("Kính gửi: Hội đồng sơ tuyển")
    cover.save(path)
    pages = [page.text for page in extract_text(path, ocr=TESSERACT).pages]
    assert pages == ["ĐƠN ĐĂNG KÝ THAM DỰ\nGIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA", "Kính gửi: Hội đồng sơ tuyển"]


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W_NS = f'xmlns:w="{W}"'


def test_tracked_changes_read_as_the_document_now_reads(tmp_path):
    """A file saved with changes still tracked: what was inserted is the text (in the body and in a table's
    cells), what was deleted is not."""
    import docx
    from lxml import etree

    def changed(old: str, new: str) -> list:
        return [etree.fromstring(f'<w:del {_W_NS} w:id="1" w:author="A"><w:r><w:delText>{old}</w:delText></w:r>'
                                 '</w:del>'),
                etree.fromstring(f'<w:ins {_W_NS} w:id="2" w:author="A"><w:r><w:t>{new}</w:t></w:r></w:ins>')]

    document = docx.Document()
    heading = document.add_paragraph()
    heading._p.extend(changed("4. ĐO LƯỜNG, PHÂN TÍCH VÀ QUẢN TRỊ TRI THỨC",
                              "4. ĐO LƯỜNG, PHÂN TÍCH VÀ QUẢN LÝ TRI THỨC"))
    document.add_paragraph("4.1 Đo lường, phân tích và cải tiến kết quả")
    cell = document.add_table(rows=1, cols=2).rows[0].cells
    cell[0].text = "Tiêu chí"
    cell[1].paragraphs[0]._p.extend(changed("Hoạch định chiến lược", "Chiến lược hoạt động"))
    path = tmp_path / "tu danh gia.docx"
    document.save(path)
    text = extract_text(path, ocr=TESSERACT).pages[0].text
    assert text.splitlines() == ["4. ĐO LƯỜNG, PHÂN TÍCH VÀ QUẢN LÝ TRI THỨC",
                                 "4.1 Đo lường, phân tích và cải tiến kết quả", "Tiêu chí  Chiến lược hoạt động"]


def test_word_automatic_numbering_is_read_as_shown(tmp_path):
    """Headings numbered by Word ("Tiêu chí %1:", "%1.%2.", Roman numerals) carry their numbers in numbering.xml,
    not in the text: they are read as Word shows them, sub-levels restarting under each heading; bullets add
    nothing."""
    import docx
    from lxml import etree

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, etree.fromstring(
        f'<w:abstractNum {_W_NS} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Tiêu chí %1:"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/></w:lvl>'
        '</w:abstractNum>'))
    numbering.insert(1, etree.fromstring(
        f'<w:abstractNum {_W_NS} w:abstractNumId="91"><w:lvl w:ilvl="0"><w:start w:val="5"/>'
        '<w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'))
    numbering.append(etree.fromstring(f'<w:num {_W_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(etree.fromstring(f'<w:num {_W_NS} w:numId="91"><w:abstractNumId w:val="91"/></w:num>'))
    heading = document.styles["Heading 1"]
    heading.element.get_or_add_pPr().append(etree.fromstring(
        f'<w:numPr {_W_NS}><w:numId w:val="90"/></w:numPr>'))

    def numbered(text: str, num: int, level: int) -> None:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(etree.fromstring(
            f'<w:numPr {_W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>'))

    document.add_paragraph("Lãnh đạo", style="Heading 1")
    numbered("Lãnh đạo cấp cao", 90, 1)
    numbered("Quản trị và trách nhiệm xã hội", 90, 1)
    document.add_paragraph("Chiến lược", style="Heading 1")
    numbered("Xây dựng chiến lược", 90, 1)
    numbered("Quản lý nguồn nhân lực", 91, 0)
    document.add_paragraph("một ý", style="List Bullet")
    path = tmp_path / "tu danh gia.docx"
    document.save(path)
    assert extract_text(path, ocr=TESSERACT).pages[0].text.splitlines() == [
        "Tiêu chí 1: Lãnh đạo", "1.1. Lãnh đạo cấp cao", "1.2. Quản trị và trách nhiệm xã hội",
        "Tiêu chí 2: Chiến lược", "2.1. Xây dựng chiến lược", "V. Quản lý nguồn nhân lực", "một ý"]
    # A hostile list definition (a start of 999999999 in letters, a level that is no number): read, numbers short.
    numbering.find(f"{{{W}}}abstractNum/{{{W}}}lvl/{{{W}}}start").set(f"{{{W}}}val", "999999999")
    document.save(path)
    assert extract_text(path, ocr=TESSERACT).pages[0].text.splitlines()[0] == "Tiêu chí 999999999: Lãnh đạo"
    numbering.find(f"{{{W}}}abstractNum/{{{W}}}lvl").set(f"{{{W}}}ilvl", "x")
    document.save(path)
    assert extract_text(path, ocr=TESSERACT).pages[0].text.splitlines()[0] == "Lãnh đạo"


def test_a_style_that_starts_a_new_page_breaks_the_page(tmp_path):
    """LibreOffice keeps 'page break before' on a heading style, not in the paragraphs: each chapter is a page,
    also under a style based on that one; a paragraph that turns it off stays on its page."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from lxml import etree

    document = docx.Document()
    chapter = document.styles["Heading 1"]
    chapter.element.get_or_add_pPr().append(etree.fromstring(f"<w:pageBreakBefore {_W_NS}/>"))
    part = document.styles.add_style("Chapter title", WD_STYLE_TYPE.PARAGRAPH)
    part.base_style = chapter
    document.add_paragraph("BÁO CÁO GIỚI THIỆU DOANH NGHIỆP", style="Heading 1")
    document.add_paragraph("Công ty Cổ phần Nhựa Kinh Bắc thành lập năm 2005.")
    document.add_paragraph("BÁO CÁO TỰ ĐÁNH GIÁ THEO 7 TIÊU CHÍ", style="Chapter title")
    document.add_paragraph("Tiêu chí 1: Vai trò của lãnh đạo")
    kept = document.add_paragraph("PHỤ LỤC", style="Heading 1")
    kept._p.get_or_add_pPr().append(etree.fromstring(f'<w:pageBreakBefore {_W_NS} w:val="0"/>'))
    path = tmp_path / "bao cao.docx"
    document.save(path)
    pages = [page.text for page in extract_text(path, ocr=TESSERACT).pages]
    assert pages == ["BÁO CÁO GIỚI THIỆU DOANH NGHIỆP\nCông ty Cổ phần Nhựa Kinh Bắc thành lập năm 2005.",
                     "BÁO CÁO TỰ ĐÁNH GIÁ THEO 7 TIÊU CHÍ\nTiêu chí 1: Vai trò của lãnh đạo\nPHỤ LỤC"]



@pytest.mark.parametrize("fmt, dpi", [("JPEG", None), ("PNG", 200), ("TIFF", 200)])
def test_images_and_phone_photos(tmp_path, rng, fmt, dpi):
    path = tmp_path / f"photo.{fmt.lower()}"
    dossiers.write_image(path, TITLE, rng, fmt=fmt, dpi=dpi)
    extraction = extract_text(path, ocr=TESSERACT)
    assert extraction.problem is None
    assert "quan trac moi truong" in fold(extraction.pages[0].text)
    assert extraction.pages[0].photo == (dpi is None)  # a phone photo states no resolution; scans do


def test_a_camera_photograph_is_told_from_a_scan_by_the_file_itself(rng):
    page = dossiers.render_page_image(TITLE, rng)

    def saved(image: Image.Image = page, **options) -> Image.Image:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", **options)
        return Image.open(io.BytesIO(buffer.getvalue()))

    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Canon", "iR-ADV C5535"  # a copier names itself: still a scan
    assert not camera_photo(saved(dpi=(300, 300), exif=exif.tobytes()))
    exif.get_ifd(0x8769).update({0x829A: 1 / 60, 0x920A: 4.2})  # exposure time, focal length: a camera
    assert camera_photo(saved(dpi=(72, 72), exif=exif.tobytes()))
    assert camera_photo(saved(page.convert("RGB")))
    # No resolution at all is the usual phone JPEG when in colour; a grey page without one is a scan that an app
    # exported (audit 44: a scanned form's contacts were held "uncertain", as if photographed).
    assert not camera_photo(saved())
    assert not camera_photo(saved(dpi=(200, 200)))


def test_multi_page_tiff(tmp_path, rng):
    frames = [dossiers.render_page_image(TITLE, rng), dossiers.render_page_image(["Trang hai", "Độc lập"] * 3, rng)]
    path = tmp_path / "scan.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(200, 200))
    assert [p.number for p in extract_text(path, ocr=TESSERACT).pages] == [1, 2]


def _encrypted(tmp_path: Path, user_password: str) -> Path:
    source, path = tmp_path / "plain.pdf", tmp_path / "locked.pdf"
    dossiers.write_digital_pdf(source, [TITLE])
    writer = PdfWriter(clone_from=str(source))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    writer.write(path)
    return path


def test_password_protected_pdf_is_unreadable(tmp_path):
    extraction = extract_text(_encrypted(tmp_path, "secret"), ocr=TESSERACT)
    assert extraction.problem is not None
    assert extraction.problem.code == "unreadable_file" and "mật khẩu" in extraction.problem.reason


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    extraction = extract_text(_encrypted(tmp_path, ""), ocr=TESSERACT)
    assert extraction.problem is None and "QUAN TRẮC" in extraction.pages[0].text


def test_truncated_pdf_is_unreadable(tmp_path):
    source, path = tmp_path / "whole.pdf", tmp_path / "cut.pdf"
    dossiers.write_digital_pdf(source, [TITLE])
    path.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    extraction = extract_text(path, ocr=TESSERACT)
    assert extraction.problem is not None and extraction.problem.code == "unreadable_file"
    assert "cắt cụt" in extraction.problem.reason


@pytest.mark.parametrize(
    "name, content, kind, code, words",
    [
        ("empty.pdf", b"", "empty", "unreadable_file", "rỗng"),
        ("virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200), "unknown", "unsupported_format", "không được hỗ trợ"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "doc", "unsupported_format", "DOCX hoặc PDF"),
        ("notes.txt", "Báo cáo".encode(), "unknown", "unsupported_format", "không được hỗ trợ"),
    ],
)
def test_refused_contents(tmp_path, name, content, kind, code, words):
    path = tmp_path / name
    path.write_bytes(content)
    extraction = extract_text(path, ocr=TESSERACT)
    assert extraction.kind == kind and extraction.pages == ()
    assert extraction.problem is not None and extraction.problem.code == code and words in extraction.problem.reason


def test_zip_is_refused_clearly(tmp_path):
    path = tmp_path / "hoso.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("../../etc/evil.pdf", b"%PDF-1.4")
    extraction = extract_text(path, ocr=TESSERACT)
    assert extraction.kind == "zip" and extraction.problem.code == "unsupported_format"


def test_decompression_bomb_image_is_refused_before_decoding(tmp_path):
    path = tmp_path / "bomb.png"
    Image.new("1", (20000, 20000)).save(path)  # 400 Mpx, a few KB on disk
    extraction = extract_text(path, ocr=TESSERACT)
    assert extraction.problem is not None and extraction.problem.code == "unreadable_file"


def test_sniff_ignores_the_extension(tmp_path, rng):
    path = tmp_path / "really-a-docx.pdf"
    dossiers.write_docx(path, [TITLE])
    assert sniff(path) == "docx"


def _seed_files() -> dict[str, bytes]:
    import random
    import tempfile

    rng = random.Random(1)
    seeds = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, writer in (("a.pdf", lambda p: dossiers.write_digital_pdf(p, [TITLE])),
                             ("a.docx", lambda p: dossiers.write_docx(p, [TITLE])),
                             ("a.png", lambda p: dossiers.write_image(p, TITLE[:2], rng, fmt="PNG"))):
            path = Path(tmp) / name
            writer(path)
            seeds[name] = path.read_bytes()
    return seeds


SEEDS = _seed_files()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.sampled_from(sorted(SEEDS)), cuts=st.lists(st.tuples(st.floats(0, 1), st.binary(max_size=64)), max_size=4))
@example(seed="a.docx", cuts=[(0.9940483878204098, b"\x00@")])  # "zip file version 6.4": zipfile's NotImplementedError
def test_mutated_files_never_raise(tmp_path, seed, cuts):
    data = bytearray(SEEDS[seed])
    for where, junk in cuts:
        at = int(where * len(data))
        data[at : at + len(junk)] = junk
    path = tmp_path / seed
    path.write_bytes(bytes(data))
    extraction = extract_text(path, ocr=fake_ocr)
    if extraction.problem is not None:
        assert extraction.problem.code in {"unreadable_file", "unsupported_format"} and extraction.problem.reason
        assert extraction.pages == ()
    else:
        assert all(isinstance(p.text, str) and p.number >= 1 for p in extraction.pages)


# ---- how scanned pages reach Tesseract ---------------------------------------------------------


def _recording_ocr(seen: list):
    def ocr(image) -> OcrResult:
        seen.append(image)
        return OcrResult("", None)

    return ocr


class _FilesWritten:
    """Files opened for writing (Python audit events: this process and its threads) while `on`."""

    hooked: "_FilesWritten | None" = None

    def __init__(self) -> None:
        self.on = False
        self.paths: list[str] = []

    @classmethod
    def recorder(cls) -> "_FilesWritten":
        import sys

        if cls.hooked is None:  # an audit hook cannot be removed: one for the whole session
            cls.hooked = cls()
            sys.addaudithook(cls.hooked._hook)
        cls.hooked.paths.clear()
        return cls.hooked

    def _hook(self, event: str, args: tuple) -> None:
        if self.on and event == "open" and isinstance(args[0], (str, Path)) and isinstance(args[1], str) \
                and any(flag in args[1] for flag in "wax+"):
            self.paths.append(str(args[0]))


def test_a_scanned_page_is_ocrd_from_its_own_jpeg_not_rendered(tmp_path, rng):
    from intake.reading.extract import plan_pdf

    path = tmp_path / "scan.pdf"
    dossiers.write_scanned_pdf(path, [TITLE, TITLE], rng, dpi=300)
    embedded = [page["/Resources"]["/XObject"]["/image"].get_data() for page in PdfReader(path).pages]
    plan = plan_pdf(path, Limits())
    assert [(number, text, dpi) for number, text, dpi, _ in plan.pages] == [(1, None, 300), (2, None, 300)]
    assert [path.read_bytes()[offset : offset + length] for *_, (offset, length) in plan.pages] == embedded
    seen: list = []
    written = _FilesWritten.recorder()
    written.on = True
    try:
        extract_text(path, ocr=_recording_ocr(seen))
    finally:
        written.on = False
    # The very pixels of the embedded JPEG, decoded in memory with the resolution Tesseract needs: nothing
    # rendered, compressed again or written to disk on the way.
    assert [image.format for image in seen] == ["JPEG"] * 2
    assert [image.info["dpi"] for image in seen] == [(300, 300)] * 2
    assert [image.tobytes() for image in seen] == [Image.open(io.BytesIO(jpeg)).tobytes() for jpeg in embedded]
    assert written.paths == []


def test_a_page_that_is_more_than_its_jpeg_is_rendered(tmp_path, rng):
    """Here a rotated page: the JPEG alone would reach Tesseract on its side; poppler renders it upright."""
    from intake.reading.extract import plan_pdf

    scan, rotated = tmp_path / "scan.pdf", tmp_path / "rotated.pdf"
    dossiers.write_scanned_pdf(scan, [TITLE], rng)
    writer = PdfWriter(clone_from=str(scan))
    writer.pages[0].rotate(90)
    writer.write(rotated)
    assert [jpeg for *_, jpeg in plan_pdf(rotated, Limits()).pages] == [None]
    seen: list = []
    extract_text(rotated, ocr=_recording_ocr(seen))
    # Poppler's raw grayscale pixels (PGM) from its pipe, the page as shown: turned (wider than tall).
    assert seen[0].format == "PPM" and seen[0].mode == "L" and seen[0].width > seen[0].height
    assert seen[0].info["dpi"] == (200, 200)


def test_jpeg_with_dpi_changes_only_the_header():
    from intake.reading.extract import jpeg_with_dpi

    buffer = io.BytesIO()
    Image.new("L", (40, 30), 200).save(buffer, "JPEG", dpi=(72, 72))
    jfif = buffer.getvalue()
    patched = jpeg_with_dpi(jfif, 300)
    assert patched is not None and len(patched) == len(jfif)
    assert Image.open(io.BytesIO(patched)).info["dpi"] == (300, 300)
    bare = jfif[:2] + jfif[20:]  # the same JPEG without its JFIF segment
    assert Image.open(io.BytesIO(jpeg_with_dpi(bare, 200))).info["dpi"] == (200, 200)
    adobe = jfif[:2] + b"\xff\xee\x00\x0eAdobe\x00\x64\x00\x00\x00\x00\x01" + jfif[20:]
    assert jpeg_with_dpi(adobe, 300) is None
    assert jpeg_with_dpi(b"not a jpeg", 300) is None


def test_a_word_file_with_nothing_in_it_is_a_deficiency_not_a_silence(tmp_path):
    """An empty Word file (no text, no picture) was read as no pages and no problem: it vanished from what the
    officer and the enterprise see. It is an unreadable file, said as such."""
    import docx

    path = tmp_path / "Giay chung nhan hop quy.docx"
    docx.Document().save(path)
    extraction = extract_text(path, ocr=TESSERACT)
    assert extraction.pages == ()
    assert extraction.problem is not None and extraction.problem.code == "unreadable_file"
    assert "không có nội dung" in extraction.problem.reason


def test_a_picture_pasted_into_word_is_read_on_its_page(tmp_path, rng):
    """Audit 16: a dossier pasted into one Word file, scans of stamped pages as pictures between typed pages: the
    pictures were read as pages after all the typed ones, so every page after the first picture had the wrong
    number (notices sent the enterprise to "trang 13" for what was page 9). Also, the file's own text cannot pose
    as a picture's place (the private-use characters that mark it are taken out of it)."""
    import docx
    from docx.shared import Mm
    ent = dossiers.make_enterprise(rng)
    scan = dossiers.render_page_image(dossiers.component_pages("quality_system", ent, rng)[0], rng)
    buffer = io.BytesIO()
    scan.save(buffer, "JPEG", quality=80, dpi=(200, 200))
    document = docx.Document()
    document.add_paragraph("BÁO CÁO GIỚI THIỆU CHUNG VỀ DOANH NGHIỆP \ue0000\ue001")
    document.add_page_break()
    buffer.seek(0)
    document.add_picture(buffer, width=Mm(170))
    document.add_page_break()
    document.add_paragraph("BÁO CÁO KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG NĂM 2019")
    document.add_paragraph("Đơn vị: " + "\ue000" * 3)
    other = io.BytesIO()
    dossiers.render_page_image(dossiers.component_pages("product_conformity", ent, rng)[0], rng).save(
        other, "JPEG", quality=80, dpi=(200, 200))
    document.add_picture(other, width=Mm(60))  # a picture below a page's text: read into that page
    path = tmp_path / "Ho so.docx"
    document.save(path)
    pages = extract_text(path, ocr=TESSERACT).pages
    assert [p.number for p in pages] == [1, 2, 3]
    assert pages[0].method == "docx" and pages[0].text.startswith("BÁO CÁO GIỚI THIỆU") and "\ue000" not in pages[0].text
    assert pages[1].method == "ocr" and "9001" in pages[1].text
    assert pages[2].text.startswith("BÁO CÁO KẾT QUẢ QUAN TRẮC") and "PHÙ HỢP" in pages[2].text.upper()
    assert pages[2].method == "ocr" and "\ue000" not in pages[2].text


def test_a_fax_s_unequal_resolution_is_made_square_before_ocr(tmp_path, rng):
    """Audit 20: a fax TIFF at 200×100 dpi (1-bit, G4) was read on its raw pixels, every letter half its height,
    and came out as noise; stretched to square pixels it reads."""
    ent = dossiers.make_enterprise(rng)
    page = dossiers.render_page_image(dossiers.component_pages("product_conformity", ent, rng)[0], rng)
    fax = page.convert("L").resize((page.width, page.height // 2)).point(lambda v: 255 if v > 150 else 0).convert("1")
    path = tmp_path / "Hop quy.tif"
    fax.save(path, compression="group4", dpi=(200, 100))
    (read,) = extract_text(path, ocr=TESSERACT).pages
    assert "phu hop" in fold(read.text) and read.confidence > 70, read.text[:300]
