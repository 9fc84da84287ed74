"""Files as shared folders really hold them (audit 50): a Word file with macros, LibreOffice's OpenDocument text,
WordPad's RTF (often named .doc), a Windows shortcut or web link instead of the document, a Mac's own files."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import dossiers
import pytest

from intake.reading.extract import extract_text, sniff
from intake.reading.ocr import Tesseract
from intake.receiving.inbox import is_junk

TITLE = "BÁO CÁO TỰ ĐÁNH GIÁ THEO 07 TIÊU CHÍ"
TESSERACT = Tesseract()


def _word(tmp_path):
    path = tmp_path / "source.docx"
    dossiers.write_docx(path, [[TITLE, "Tiêu chí 1: Vai trò của lãnh đạo"]])
    return path


def test_a_word_file_with_macros_is_read_as_the_document_it_holds(tmp_path):
    """A .docm was "tệp Word (DOCX) bị hỏng": python-docx refuses it by its declared type alone."""
    source, path = _word(tmp_path), tmp_path / "Bao cao tu danh gia.docm"
    with zipfile.ZipFile(source) as zf, zipfile.ZipFile(path, "w") as out:
        for info in zf.infolist():
            data = zf.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                                    b"application/vnd.ms-word.document.macroEnabled.main+xml")
                assert b"macroEnabled" in data
            out.writestr(info, data)
        out.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros are never run")
    extraction = extract_text(path, ocr=TESSERACT)
    assert extraction.problem is None and TITLE in extraction.pages[0].text


@pytest.mark.parametrize("fmt, name", [("odt", "Bao cao.odt"), ("rtf", "Bao cao.rtf"), ("rtf", "WordPad.doc")])
def test_opendocument_and_rtf_are_read_as_word_files(tmp_path, fmt, name):
    """An .odt was refused as an archive ("tệp nén"), an RTF as of no supported format though .doc files are read:
    both go through LibreOffice as a legacy .doc does."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office, "LibreOffice is installed by scripts/setup test"
    source = _word(tmp_path)
    subprocess.run([office, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", fmt,
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=120)
    path = tmp_path / name
    (tmp_path / f"source.{fmt}").rename(path)
    assert sniff(path) == fmt
    extraction = extract_text(path, ocr=TESSERACT)
    assert extraction.problem is None and TITLE in extraction.pages[0].text


@pytest.mark.parametrize("name, content", [
    ("Bao cao tu danh gia.lnk", b"L\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0" + bytes(67)),
    ("Ho so tren Drive.url", b"[InternetShortcut]\r\nURL=https://drive.google.com/file/d/abc/view\r\n"),
])
def test_a_shortcut_is_refused_saying_it_is_no_document(tmp_path, name, content):
    """A shortcut was asked to be sent again "as PDF or DOCX", as if it were a document of another format."""
    path = tmp_path / name
    path.write_bytes(content)
    extraction = extract_text(path, ocr=TESSERACT)
    assert extraction.kind == "shortcut" and extraction.problem.code == "unsupported_format"
    assert "lối tắt" in extraction.problem.reason and "nộp chính tài liệu đó" in extraction.problem.reason


def test_a_mac_s_own_files_are_no_part_of_a_dossier():
    """A folder's custom icon ("Icon" and a carriage return) and Spotlight's index were asked of the enterprise."""
    assert all(map(is_junk, ["Icon\r", ".Spotlight-V100", ".fseventsd", ".Trashes", "__MACOSX", "$RECYCLE.BIN"]))
    assert not any(map(is_junk, ["Icon.pdf", "Icon", "Báo cáo.pdf"]))


def test_a_report_titled_only_in_its_word_page_header_is_named_by_it(rules):
    """Audit 50: a self-assessment whose title is only in its page header, after the company's name ("CÔNG TY TNHH
    PHÚ THỊNH - BÁO CÁO TỰ ĐÁNH GIÁ …"), was "not a self-assessment" in the request to supplement."""
    from conftest import text_file
    from intake.judging.classify import classify_document

    headings = ["1. VAI TRÒ CỦA LÃNH ĐẠO", "1.1 Lãnh đạo cấp cao định hướng tầm nhìn.", "2. CHIẾN LƯỢC HOẠT ĐỘNG",
                "2.1 Xây dựng chiến lược."]
    header = "CÔNG TY TNHH PHÚ THỊNH - BÁO CÁO TỰ ĐÁNH GIÁ THEO 7 TIÊU CHÍ CỦA GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA"
    (match,) = classify_document(text_file("Bao cao TDG.docx", "\n".join([header, *headings])), rules)
    assert match.component == "self_assessment"
    # A company's name over a line that is no title names nothing.
    (other,) = classify_document(text_file("Ghi chu.docx", "\n".join(["CÔNG TY TNHH PHÚ THỊNH - GHI CHÚ NỘI BỘ",
                                                                       *headings])), rules)
    assert other.component is None
