"""Hostile and broken input in the inbox: each becomes a deficiency with a Vietnamese message, never a crash."""

from __future__ import annotations

import os
import random
import stat
import zipfile
from pathlib import Path

from PIL import Image
from pypdf import PdfWriter

from intake.reading.extract import Limits, extract_text
from intake.reading.ocr import Tesseract

import dossiers

BILLION_LAUGHS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>
<w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"""


def entity_bomb_docx(path: Path, template: Path) -> None:
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            out.writestr(item, BILLION_LAUGHS.encode() if item.filename == "word/document.xml" else data)


def zip_bomb_docx(path: Path, template: Path) -> None:
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            out.writestr(item.filename, src.read(item.filename))
        out.writestr("word/media/padding.bin", bytes(400_000_000))  # 400 MB of zeros, ~400 KB compressed


def many_pages_pdf(path: Path, pages: int) -> None:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    writer.write(path)


def test_every_hostile_input_becomes_a_deficiency(tmp_path, rules):
    from conftest import Service

    service = Service(tmp_path / "svc", rules, limits=Limits(max_pages=2000, parse_timeout=60))
    try:
        _hostile_inbox(service, tmp_path)
    finally:
        service.close()


def _hostile_inbox(service, tmp_path):
    rng = random.Random(3)
    folder = service.inbox / "Công ty Thử thách"
    dossiers.write_dossier(folder, dossiers.make_enterprise(rng), rng)
    template = tmp_path / "t.docx"
    dossiers.write_docx(template, [["Báo cáo"]])

    source = tmp_path / "source.pdf"
    dossiers.write_digital_pdf(source, dossiers.component_pages("registration_form", dossiers.make_enterprise(rng), rng))
    whole = source.read_bytes()
    (folder / "rỗng.pdf").write_bytes(b"")
    (folder / "cắt cụt.pdf").write_bytes(whole[: len(whole) // 3])
    (folder / "Word cắt cụt.docx").write_bytes(template.read_bytes()[: template.stat().st_size // 2])
    locked = PdfWriter(clone_from=str(source))
    locked.encrypt(user_password="pw", owner_password="o", algorithm="AES-256")
    locked.write(folder / "mật khẩu.pdf")
    many_pages_pdf(folder / "3000 trang.pdf", 3000)
    Image.new("1", (30000, 30000)).save(folder / "bom.png")
    entity_bomb_docx(folder / "entity.docx", template)
    zip_bomb_docx(folder / "zipbomb.docx", template)
    with zipfile.ZipFile(folder / "ho so.zip", "w") as zf:
        zf.writestr("../../escape.pdf", b"%PDF-1.4")
    (folder / "setup.pdf").write_bytes(b"MZ\x90\x00" + os.urandom(4000))
    (folder / "cũ.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))
    long_name = ("Tài liệu " * 20).strip()[:150] + " rất dài.pdf"  # ~200 bytes, near the 255-byte limit
    (folder / long_name).write_bytes(whole)
    os.symlink("/etc/passwd", folder / "passwd.pdf")
    os.symlink("/etc", service.inbox / "liên kết thư mục")
    os.mkfifo(folder / "fifo.pdf")
    try:
        os.mknod(folder / "device.pdf", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except PermissionError:
        pass  # not root: the FIFO and the symlinks still cover special files
    bad_name = os.fsencode(str(folder)) + b"/b\xe1o c\xe1o.pdf"  # Latin-1 bytes, not UTF-8
    with open(bad_name, "wb") as fh:
        fh.write(whole)

    service.scan()
    dossier = service.report()["Công ty Thử thách"]
    assert list(service.report()) == ["Công ty Thử thách"]  # the symlinked folder was not followed
    found = {d["file"]: d for d in dossier["deficiencies"] if d["file"]}

    def reason(name: str, code: str) -> str:
        assert name in found, (name, sorted(found))
        assert found[name]["code"] == code, found[name]
        return found[name]["message"]

    assert "rỗng" in reason("rỗng.pdf", "unreadable_file")
    assert "cắt cụt" in reason("cắt cụt.pdf", "unreadable_file")
    assert "mật khẩu" in reason("mật khẩu.pdf", "unreadable_file")
    assert "chưa tải lên đầy đủ" in reason("Word cắt cụt.docx", "unreadable_file")
    assert "3000 trang" in reason("3000 trang.pdf", "unreadable_file")
    assert "kích thước bất thường" in reason("bom.png", "unreadable_file")
    assert "giải nén bất thường" in reason("zipbomb.docx", "unreadable_file")
    assert "nén" in reason("ho so.zip", "unsupported_format")
    assert "không được hỗ trợ" in reason("setup.pdf", "unsupported_format")
    assert "DOCX hoặc PDF" in reason("cũ.doc", "unsupported_format") or "cũ.doc" not in found
    assert "không phải tệp" in reason("passwd.pdf", "symlink")  # never followed, never silently dropped
    for special in ("fifo.pdf", "device.pdf"):
        assert special not in found and special not in str(dossier["documents"])
    # The entity bomb is not expanded: either refused or read as (nearly) nothing.
    entity = service.store.db.execute(
        "SELECT max(length(p.text)) FROM files f LEFT JOIN pages p ON p.sha256 = f.sha256 WHERE f.path = 'entity.docx'"
    ).fetchone()[0]
    assert entity is None or entity < 10_000
    # A name that is not UTF-8 is received under a readable stand-in.
    assert any("\ufffd" in path for files in dossier["documents"].values() for path in files) or any(
        "\ufffd" in r["path"] for r in service.store.dossiers.file_rows(service.store.dossiers.get("Công ty Thử thách").id))
    # Everything else still works: the dossier is judged on its good files.
    assert dossier["status"] == "complete", [d for d in dossier["deficiencies"] if d["code"].startswith("missing")]


def test_phone_photo_without_dpi_is_read(tmp_path):
    rng = random.Random(4)
    path = tmp_path / "IMG_20200612_101500.jpg"
    dossiers.write_image(path, ["BÁO CÁO KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG", "Kết quả quan trắc môi trường năm 2019"], rng,
                         dpi=None)
    with Image.open(path) as image:
        assert "dpi" not in image.info
    extraction = extract_text(path, ocr=Tesseract())
    assert extraction.problem is None and "QUAN TR" in extraction.pages[0].text.upper()


def test_touching_a_file_without_changing_it_does_not_process_it_again(service):
    rng = random.Random(5)
    written = dossiers.write_dossier(service.inbox / "HS", dossiers.make_enterprise(rng), rng)
    service.scan()
    events = service.store.db["events"].count
    path = service.inbox / "HS" / written["company_profile"]
    for step in range(3):  # duplicate events / mtime-only changes
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000 * (step + 1)))
        summary = service.scan()
        assert summary.extracted == 0
    assert service.store.db["files"].count == len(written)
    assert service.store.db["events"].count == events
