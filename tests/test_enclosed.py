"""Files carried inside a PDF (its attachments panel, a portfolio's documents, a paperclip comment on a page) are
not read, and never silently dropped: the enterprise is told which ones, and asked to send those that are part of
the dossier as files of their own; the file's own pages count as before."""

from __future__ import annotations

import random

import dossiers
from conftest import Service
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject
from test_notices import document_text

from intake.reading.enclosed import MAX_NAMES, clean_name
from intake.reading.extract import extract_text, plan_pdf, Limits
from intake.reading.ocr import Tesseract

CERTIFICATE = "GCN ISO 9001-2015 (bản sao chứng thực).pdf"


def _attach(path, *names, on_page: str | None = None, portfolio: bool = False) -> None:
    """Give the PDF at `path` embedded files (as Acrobat's "Attach file") and, if `on_page`, a file-attachment
    comment on its first page carrying a file of that name; a portfolio is flagged as Acrobat flags one."""
    writer = PdfWriter(clone_from=str(path))
    for name in names:
        writer.add_attachment(name, b"%PDF-1.4 attached bytes of " + name.encode())
    if on_page is not None:
        stream = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/EmbeddedFile")}))
        spec = DictionaryObject({NameObject("/Type"): NameObject("/Filespec"),
                                 NameObject("/F"): TextStringObject("attached"),
                                 NameObject("/UF"): TextStringObject(on_page),
                                 NameObject("/EF"): DictionaryObject({NameObject("/F"): stream})})
        annot = DictionaryObject({NameObject("/Type"): NameObject("/Annot"),
                                  NameObject("/Subtype"): NameObject("/FileAttachment"),
                                  NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (500, 780, 520, 800)]),
                                  NameObject("/FS"): spec})
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annot)])
    if portfolio:
        writer._root_object[NameObject("/Collection")] = DictionaryObject({NameObject("/View"): NameObject("/D")})
    writer.write(path)


def test_a_pdf_s_attachments_and_page_comments_are_named_with_its_pages_read(tmp_path, rng):
    path = tmp_path / "Bao cao tu danh gia.pdf"
    dossiers.write_digital_pdf(path, dossiers.component_pages("self_assessment", dossiers.make_enterprise(rng), rng))
    _attach(path, CERTIFICATE, "Bang can doi ke toan 2019.xlsx", on_page="Biên bản đánh giá.docx")
    assert len(list(PdfReader(path).attachment_list)) == 2
    extraction = extract_text(path, ocr=Tesseract())
    assert extraction.problem is None and "TỰ ĐÁNH GIÁ" in extraction.pages[0].text.upper()
    # The document's own in its name tree's order (sorted, as the PDF format keeps it), then the pages' comments.
    assert extraction.enclosed == ("Bang can doi ke toan 2019.xlsx", CERTIFICATE, "Biên bản đánh giá.docx")


def test_a_pdf_without_attachments_encloses_nothing(tmp_path, rng):
    path = tmp_path / "Don dang ky.pdf"
    dossiers.write_digital_pdf(path, dossiers.component_pages("registration_form", dossiers.make_enterprise(rng), rng))
    assert plan_pdf(path, Limits()).enclosed == () and extract_text(path, ocr=Tesseract()).enclosed == ()


def test_hostile_attachment_names_are_cleaned_and_capped(tmp_path, rng):
    """Names come from the enterprise's bytes: no control or bidi characters, no path, a bounded length and count."""
    assert clean_name("..\\..\\etc/passwd") == "passwd"
    assert clean_name("hoa\u202edon.exe\nX") == "hoa don.exe X"
    assert clean_name("=SUM(A1:A9)") == "=SUM(A1:A9)"  # kept as text: it is quoted inside a message, never a cell
    long = clean_name("Đ" * 300 + ".pdf")
    assert len(long) == 100 and long.endswith("….pdf")
    path = tmp_path / "Ho so.pdf"
    dossiers.write_digital_pdf(path, dossiers.component_pages("company_profile", dossiers.make_enterprise(rng), rng))
    _attach(path, *(f"Phu luc {i:03}.pdf" for i in range(MAX_NAMES + 15)))
    enclosed = plan_pdf(path, Limits()).enclosed
    assert enclosed[:2] == ("Phu luc 000.pdf", "Phu luc 001.pdf") and len(enclosed) == MAX_NAMES + 1
    assert enclosed[-1] == "… và 15 tệp khác"


def test_a_damaged_attachment_tree_leaves_the_pages_read(tmp_path, rng):
    path = tmp_path / "Bao cao.pdf"
    dossiers.write_digital_pdf(path, dossiers.component_pages("self_assessment", dossiers.make_enterprise(rng), rng))
    writer = PdfWriter(clone_from=str(path))
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/EmbeddedFiles"): DictionaryObject({NameObject("/Names"): TextStringObject("not an array")})})
    writer.write(path)
    extraction = extract_text(path, ocr=Tesseract())
    assert extraction.problem is None and extraction.pages and extraction.enclosed == ()


def _dossier(service, folder: str, seed: int, *, drop: tuple[str, ...] = ()) -> dict[str, str]:
    written = dossiers.write_dossier(service.inbox / folder, dossiers.make_enterprise(random.Random(seed)),
                                     random.Random(seed), formats={"*": "pdf"}, cover_letter=False)
    for component in drop:
        (service.inbox / folder / written[component]).unlink()
    return written


def _notice(service, folder: str) -> str:
    (notice,) = (service.settings.outbox / folder).glob("*-yeu-cau-bo-sung*.docx")
    return document_text(notice)


def test_a_certificate_attached_to_the_report_is_asked_for_as_a_file_of_its_own(tmp_path, rules):
    """What an officer opening the dossier sees: the report, and in its attachments panel the ISO certificate. The
    certificate is not judged (the enterprise is asked for it, as it would be for one inside a ZIP); the request
    says, in the certificate's row, where it was seen (audit 51: "Chưa có trong hồ sơ đã nộp", of a certificate the
    enterprise had sent), and names on the report what names no component."""
    service = Service(tmp_path, rules)
    try:
        folder = "Công ty Đính kèm"
        written = _dossier(service, folder, 61, drop=("quality_system",))
        report_pdf = service.inbox / folder / written["self_assessment"]
        _attach(report_pdf, CERTIFICATE, "Bang can doi ke toan 2019.xlsx")
        service.scan()
        report = service.report()[folder]
        assert report["status"] == "incomplete" and report["missing"] == ["quality_system"]
        assert written["self_assessment"] in report["documents"]["self_assessment"][0]
        enclosed = {d["document"]: d for d in report["deficiencies"] if d["code"] == "enclosed_files"}
        assert set(enclosed) == {"quality_system", None}
        assert enclosed["quality_system"]["file"] == enclosed[None]["file"] == written["self_assessment"]
        text = _notice(service, folder)
        assert f"Tệp «{CERTIFICATE}» đính kèm bên trong tệp «{written['self_assessment']}» chưa được xem xét." in text
        assert "Nộp chứng chỉ hệ thống quản lý chất lượng thành tệp riêng" in text
        assert "Chưa có trong hồ sơ đã nộp" not in text
        assert "có tệp đính kèm bên trong («Bang can doi ke toan 2019.xlsx»)" in text
        # Stored with the reading: a restart judges the same without reading the file again.
        stored = service.store.pages.extraction(service.store.db.execute(
            "SELECT sha256 FROM files WHERE path = ?", [written["self_assessment"]]).fetchone()[0])
        assert stored.enclosed == ("Bang can doi ke toan 2019.xlsx", CERTIFICATE)
    finally:
        service.close()


def test_an_attachment_also_sent_on_its_own_is_not_asked_for(tmp_path, rules):
    """Audit 51 (VA1): the certificate attached to the report and sent as a file of its own as well."""
    service = Service(tmp_path, rules)
    try:
        folder = "Công ty Gửi cả hai"
        written = _dossier(service, folder, 64)
        _attach(service.inbox / folder / written["self_assessment"], CERTIFICATE)
        service.scan()
        report = service.report()[folder]
        assert report["status"] == "complete"
        assert not [d for d in report["deficiencies"] if d["code"] == "enclosed_files"]
    finally:
        service.close()


def test_a_portfolio_s_documents_are_each_said_where_they_are(tmp_path, rules):
    """A PDF portfolio shows only a cover page ("open this PDF portfolio in Acrobat") to a reader that is not
    Acrobat, and its documents in Acrobat: each is named in its component's row, none taken for a component."""
    service = Service(tmp_path, rules)
    try:
        folder = "Công ty Portfolio"
        inside = {"registration_form": "Đơn đăng ký.pdf", "self_assessment": "Báo cáo tự đánh giá.pdf",
                  "quality_system": "Giấy chứng nhận ISO.pdf"}
        _dossier(service, folder, 62, drop=tuple(inside))
        cover = service.inbox / folder / "Ho so GTCLQG 2020 (PDF Portfolio).pdf"
        dossiers.write_digital_pdf(cover, [["For the best experience, open this PDF portfolio in Acrobat X or Adobe "
                                            "Reader X, or later.", "Get Adobe Reader Now!"]])
        _attach(cover, *inside.values(), portfolio=True)
        service.scan()
        report = service.report()[folder]
        assert report["status"] == "incomplete" and set(inside) <= set(report["missing"])
        enclosed = {d["document"]: d["message"] for d in report["deficiencies"] if d["code"] == "enclosed_files"}
        assert set(enclosed) == set(inside)
        assert all(f"«{name}» đính kèm bên trong tệp «{cover.name}»" in enclosed[c] for c, name in inside.items())
    finally:
        service.close()


def test_a_zip_s_members_are_named_and_the_request_says_send_them_directly(tmp_path, rules):
    """Audit 51: a ZIP's row asked to "send the ZIP again as PDF or DOCX (without a password)", and the components
    in it were "not received"."""
    import zipfile

    service = Service(tmp_path, rules)
    try:
        folder = "Công ty Nén"
        _dossier(service, folder, 65, drop=("quality_system",))
        archive = service.inbox / folder / "Ho so bo sung.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("Bo sung/Chứng chỉ ISO 9001.pdf", b"%PDF-1.4 not read")
            zf.writestr("Bo sung/Bang luong 2019.xlsx", b"PK not read")
            zf.writestr("__MACOSX/Bo sung/._Chứng chỉ ISO 9001.pdf", b"")
            zf.writestr("Bo sung/Thumbs.db", b"")
        service.scan()
        report = service.report()[folder]
        assert report["status"] == "incomplete" and report["missing"] == ["quality_system"]
        (refusal,) = [d for d in report["deficiencies"] if d["code"] == "unsupported_format"]
        assert "(trong tệp có «Chứng chỉ ISO 9001.pdf», «Bang luong 2019.xlsx»)" in refusal["message"]
        text = _notice(service, folder)
        assert "Tệp «Chứng chỉ ISO 9001.pdf» nằm trong tệp nén «Ho so bo sung.zip» chưa được xem xét." in text
        assert "Nộp trực tiếp từng tệp PDF, DOCX hoặc ảnh (thay cho tệp «Ho so bo sung.zip»)." in text
        assert "không đặt mật khẩu" not in text and "Chưa có trong hồ sơ đã nộp" not in text
    finally:
        service.close()
