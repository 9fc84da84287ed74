"""Pages scanned upside down or sideways are turned upright (Tesseract OSD) and a skewed photo is straightened
before it is read; clean pages pay nothing; a page that stays unreadable is `illegible`, with a rescan request."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image

from intake.reading.extract import extract_text
from intake.folding import fold
from intake.reading.ocr import OcrResult, Tesseract
from intake.reading.orientation import READING, second_look

import dossiers

TESSERACT = Tesseract()


def form(seed: int) -> tuple[dossiers.Enterprise, list[str]]:
    rng = random.Random(seed)
    ent = dossiers.make_enterprise(rng)
    return ent, dossiers.component_pages("registration_form", ent, rng)[0]


def reads_correctly(text: str, ent: dossiers.Enterprise) -> None:
    assert "don dang ky tham du" in fold(text)
    assert f"Mã số thuế: {ent.tax_code}" in text and ent.email in text and ent.representative in text


@pytest.mark.parametrize("kind, rotate", [("scan", 90), ("scan", 180), ("photo", 180)])
def test_a_page_turned_sideways_or_upside_down_is_read_upright(tmp_path, kind, rotate):
    ent, lines = form(801 + rotate)
    path = tmp_path / ("page.pdf" if kind == "scan" else "page.jpg")
    if kind == "scan":
        dossiers.write_scanned_pdf(path, [lines], random.Random(1), rotate=rotate)
    else:
        dossiers.write_image(path, lines, random.Random(1), dpi=None, rotate=rotate)
    first = TESSERACT(_as_tiff(path, tmp_path))
    assert first.confidence is not None and first.confidence < 70  # read as it lies: garbage
    (page,) = extract_text(path, ocr=TESSERACT).pages
    reads_correctly(page.text, ent)
    assert page.confidence is not None and page.confidence > 85


@pytest.mark.parametrize("skew", [3.0, -3.0])
def test_a_photo_taken_three_degrees_askew_is_straightened(tmp_path, skew):
    ent, lines = form(811)
    path = tmp_path / "photo.jpg"
    dossiers.write_image(path, lines, random.Random(2), dpi=None, skew=skew)
    first = TESSERACT(_as_tiff(path, tmp_path))
    # The first reading measures the slope of the lines, at no cost (read as it lies, the -3° photo loses its
    # title, its e-mail address and its signatory with Tesseract 5.3).
    assert first.skew is not None and 2.0 <= abs(first.skew) <= 4.5 and (first.skew > 0) == (skew < 0)
    (page,) = extract_text(path, ocr=TESSERACT).pages
    reads_correctly(page.text, ent)


def _as_tiff(path: Path, folder: Path) -> Path:
    """The page image as it lies (for a first reading without the second look)."""
    out = folder / "as-it-lies.tif"
    if path.suffix == ".pdf":
        import subprocess

        subprocess.run(["pdftoppm", "-r", "200", "-gray", "-tiff", "-singlefile", str(path), str(out.with_suffix(""))],
                       check=True)
    else:
        Image.open(path).convert("L").save(out, dpi=(200, 200))
    return out


# ---- what a second look costs, with a fake engine ----------------------------------------------------------


@dataclass
class FakeEngine:
    """Answers readings from a script by which reading an image is for; records every call and image."""

    readings: dict[str, OcrResult]
    rotate: int = 0
    calls: list[str] = field(default_factory=list)
    images: dict[str, Image.Image] = field(default_factory=dict)

    def __call__(self, image: Image.Image) -> OcrResult:
        name = image.info.get(READING, "page")
        self.calls.append(name)
        self.images[name] = image
        return self.readings[name]

    def orientation(self, image: Image.Image) -> tuple[int, float]:
        self.calls.append("osd")
        return self.rotate, 15.0


GOOD = OcrResult("Cộng hòa xã hội chủ nghĩa Việt Nam " * 4, 93.0, 0.4)
GARBAGE = OcrResult("l1 ,; ~ ii", 35.0, None)


@pytest.fixture
def page() -> Image.Image:
    image = Image.new("L", (200, 280), 240)
    image.info["dpi"] = (200, 200)
    return image


def test_a_clean_upright_page_pays_nothing(page):
    engine = FakeEngine({"page": GOOD})
    assert second_look(page, engine(page), engine) == GOOD
    assert engine.calls == ["page"]  # no OSD, no second reading


def test_a_doubtful_page_is_turned_as_osd_says_and_the_better_reading_kept(page):
    engine = FakeEngine({"page": GARBAGE, "upright": GOOD}, rotate=180)
    assert second_look(page, engine(page), engine) == GOOD
    assert engine.calls == ["page", "osd", "upright"]
    turned = engine.images["upright"]  # turned in memory, its resolution kept
    assert turned.size == (200, 280) and turned.info["dpi"] == (200, 200)
    worse = FakeEngine({"page": GARBAGE, "upright": OcrResult("", None)}, rotate=90)
    assert second_look(page, worse(page), worse) == GARBAGE
    assert worse.images["upright"].size == (280, 200)


def test_an_askew_page_is_straightened_and_osd_is_not_asked_when_that_reads_well(page):
    askew = OcrResult("Cộng hòa xã hội " * 3, 88.0, -3.1)
    engine = FakeEngine({"page": askew, "deskewed": GOOD})
    assert second_look(page, engine(page), engine) == GOOD
    assert engine.calls == ["page", "deskewed"]


def test_an_engine_without_osd_and_failures_keep_the_first_reading(page):
    def plain(image: Image.Image) -> OcrResult:
        return GARBAGE

    assert second_look(page, GARBAGE, plain) == GARBAGE

    def failing(image: Image.Image) -> OcrResult:
        raise RuntimeError("tesseract crashed")

    assert second_look(page, OcrResult("x", 90.0, 4.0), failing).text == "x"


# ---- illegible stays illegible ------------------------------------------------------------------------------


def test_an_unreadable_page_is_illegible_with_its_page_number_and_a_rescan_request(service):
    rng = random.Random(821)
    ent = dossiers.make_enterprise(rng)
    dossiers.write_dossier(service.inbox / "Công ty Mờ", ent, rng, formats={"*": "pdf"}, include_optional=False)
    lines = dossiers.component_pages("company_profile", ent, rng)[0]
    blurred = dossiers.render_page_image(lines, random.Random(1), dpi=200, blur=5.0)
    blurred = blurred.resize((blurred.size[0] * 70 // 200, blurred.size[1] * 70 // 200))
    clear = dossiers.render_page_image(lines, random.Random(2), dpi=200)
    clear.save(service.inbox / "Công ty Mờ" / "Phu luc.pdf", save_all=True, append_images=[blurred],
               resolution=200.0)
    service.scan()
    (illegible,) = [d for d in service.report()["Công ty Mờ"]["deficiencies"] if d["code"] == "illegible"]
    assert illegible["file"] == "Phu luc.pdf"
    assert "trang 2 " in illegible["message"] and "300 dpi" in illegible["message"]
