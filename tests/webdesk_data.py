"""Data folders for the web desk's tests: dossiers written by the generator, ingested by the real pipeline."""

from __future__ import annotations

import random
from pathlib import Path

from dossiers import _TITLE_LINES, component_pages, make_enterprise, write_digital_pdf, write_dossier, write_scanned_pdf

HOSTILE_FOLDER = 'Cty <img src=x onerror=alert(1)> & <b>Đậm'
"""A dossier folder name with HTML in it: the desk must show it as text."""

PHOTO_PAGE = ["HÌNH ẢNH HOẠT ĐỘNG CỦA DOANH NGHIỆP", "Ảnh 1: Dây chuyền sản xuất chính",
              "Ảnh 2: Phòng thử nghiệm chất lượng", "Ảnh 3: Lễ đón nhận chứng chỉ ISO 9001:2015"]


def untitled_tax_pages(rng: random.Random, ent) -> list[list[str]]:
    """The tax and social-insurance confirmation without its title lines: the service cannot recognise it, the
    officer can (its years are all there)."""
    title = set(_TITLE_LINES["tax_insurance"][0])
    return [[line for line in page if line not in title] for page in component_pages("tax_insurance", ent, rng)]


def write_unrecognised_dossier(folder: Path, rng: random.Random, *, scanned: bool) -> None:
    """A dossier complete but for the tax confirmation, which sits untitled as page 2 of "Phu luc.pdf" (a scan
    when `scanned`) after a page of photos."""
    ent = make_enterprise(rng)
    write_dossier(folder, ent, rng, formats={"*": "pdf"}, omit=("tax_insurance",), cover_letter=False)
    pages = [PHOTO_PAGE] + untitled_tax_pages(rng, ent)
    if scanned:
        write_scanned_pdf(folder / "Phu luc.pdf", pages, rng)
    else:
        write_digital_pdf(folder / "Phu luc.pdf", pages)
