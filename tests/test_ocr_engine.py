"""The in-process Tesseract engine and its worker processes: text as good as the `tesseract` command's, a page
that hangs or a worker killed mid-page costs that page at most, workers never outlive the service, and the
`tesseract` command takes over where the engine cannot be loaded."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from intake.reading.extract import OcrJob, PdfJpeg, extract_text, plan_pdf, Limits, run_in_order
from intake.reading.ocr import (
    TSV_HEADER, Tesseract, confirmed, contact_like, doubtful_in, line_band, ocr_result, rereadable, tessdata_path,
    text_lines, tsv_words, words_text,
)
from intake.reading.workers import IDLE_TRIM, OcrWorkers

import dossiers
from conftest import REPO

API = Tesseract()
PROCESS = Tesseract(api=False)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _pool_runner(workers: OcrWorkers, threads: int = 2):
    pool = ThreadPoolExecutor(threads)

    def run(jobs, ocr):
        return list(pool.map(lambda job: workers.read(job, ocr), jobs))

    return run, pool


@pytest.fixture
def workers():
    pool = OcrWorkers(2, API, API.page_limit)
    yield pool
    pool.close()


# ---- a doubtful contact line read again, alone (pure parts) ------------------------------------------------


def _tsv(*lines: list[tuple[str, float, tuple[int, int, int, int]]]) -> str:
    """Tesseract TSV for text lines of (text, confidence, (left, top, width, height)) words."""
    rows = [f"5\t1\t1\t1\t{n}\t{i}\t{l}\t{t}\t{w}\t{h}\t{c}\t{text}"
            for n, line in enumerate(lines, 1) for i, (text, c, (l, t, w, h)) in enumerate(line, 1)]
    return TSV_HEADER + "\n".join(rows) + "\n"


EMAIL_LINE = [("Email:", 93, (330, 1070, 120, 36)), ("hoso1@thep.vn", 40, (470, 1068, 420, 46))]
PHONE_LINE = [("Điện", 95, (330, 1000, 80, 36)), ("thoại:", 95, (420, 1000, 100, 36)),
              ("0204", 96, (530, 1000, 90, 36)), ("3855", 96, (630, 1000, 90, 36)), ("223", 55, (730, 1000, 70, 36))]
PROSE_LINE = [("Công", 95, (100, 500, 80, 36)), ("tác", 52, (190, 500, 60, 36)), ("phòng", 61, (260, 500, 110, 46)),
              ("2019", 50, (380, 500, 80, 36))]


def test_only_lines_with_a_doubtful_contact_like_word_are_read_again():
    email, phone, prose = text_lines(tsv_words(_tsv(EMAIL_LINE, PHONE_LINE, PROSE_LINE)))
    assert [w[1] for w in phone] == ["Điện", "thoại:", "0204", "3855", "223"]
    assert contact_like(email, 1) and not contact_like(email, 0)
    assert contact_like(phone, 4)  # "223" among number words holding 11 digits
    assert not contact_like(prose, 3)  # a year alone
    assert rereadable(email) and rereadable(phone) and not rereadable(prose)  # prose pays nothing
    date = text_lines(tsv_words(_tsv([("Ngày", 95, (0, 0, 80, 36)), ("16/10/2009", 40, (90, 0, 200, 36))])))[0]
    assert not rereadable(date)  # "/": a date is no contact
    tax = text_lines(tsv_words(_tsv([("2400l23458", 45, (0, 0, 300, 36))])))[0]
    assert rereadable(tax)  # a letter OCR puts for a digit still counts
    short = text_lines(tsv_words(_tsv([("a@", 30, (0, 0, 40, 36))])))[0]
    assert not rereadable(short)  # under three characters: a mark in a stamp


def test_the_band_of_a_line_leaves_out_specks():
    # The doubtful word is 94 px tall (a speck under it joined to it); the sure words say the line is 36 px high.
    line = text_lines(tsv_words(_tsv([("Email:", 93, (330, 1070, 120, 36)),
                                      ("vanphong@abc.vn", 30, (470, 1068, 420, 94))])))[0]
    left, top, width, height = line_band(line, 2480, 3508)
    assert (left, top) == (330 - 18, 1070 - 9) and left + width == 890 + 18
    assert top + height == 1070 + 36 + 9  # the speck 58 px under the line is left out
    assert line_band((), 2480, 3508) is None


def test_a_second_reading_only_confirms_what_the_first_read():
    first = text_lines(tsv_words(_tsv(EMAIL_LINE)))[0]
    same = text_lines(tsv_words(_tsv([("Email:", 95, (0, 0, 1, 1)), ("hoso1@thep.vn", 91, (0, 0, 1, 1))])))[0]
    other = text_lines(tsv_words(_tsv([("Email:", 95, (0, 0, 1, 1)), ("hosol@thep.vn", 96, (0, 0, 1, 1))])))[0]
    unsure = text_lines(tsv_words(_tsv([("Email:", 95, (0, 0, 1, 1)), ("hoso1@thep.vn", 64, (0, 0, 1, 1))])))[0]
    assert doubtful_in([confirmed(first, same)]) == ()
    assert confirmed(first, same)[1][:2] == first[1][:2]  # the first reading's text and box, the second's confidence
    assert doubtful_in([confirmed(first, other)]) == ("hoso1@thep.vn",)  # never a new text
    assert doubtful_in([confirmed(first, unsure)]) == ("hoso1@thep.vn",)
    assert doubtful_in([confirmed(first, first[:1])]) == ("hoso1@thep.vn",)  # word for word, or not at all
    words = tsv_words(_tsv(EMAIL_LINE))
    assert ocr_result("x", words).doubtful == ("hoso1@thep.vn",)
    assert ocr_result("x", words, [confirmed(first, same)]).doubtful == ()


# ---- text as good as before --------------------------------------------------------------------------------


def _corpus(folder: Path) -> list[tuple[Path, list[list[str]]]]:
    """Scanned PDFs of the generator's pages (certificates, letters, forms at 200 dpi; a report page at 300
    dpi) with the text each page was drawn from."""
    rng = random.Random(1717)
    ent = dossiers.make_enterprise(rng)
    files = []
    for n, cid in enumerate(("registration_form", "quality_system", "product_conformity", "tax_insurance")):
        pages = dossiers.component_pages(cid, ent, rng)[:1]
        path = folder / f"{n}-{cid}.pdf"
        dossiers.write_scanned_pdf(path, pages, rng)
        files.append((path, pages))
    letter = dossiers.cover_letter_pages(ent, rng)[:1]
    dossiers.write_scanned_pdf(folder / "letter.pdf", letter, rng)
    files.append((folder / "letter.pdf", letter))
    report = dossiers.component_pages("self_assessment", ent, rng)[:1]
    dossiers.write_scanned_pdf(folder / "report.pdf", report, rng, dpi=300)
    files.append((folder / "report.pdf", report))
    return files


def test_the_engine_reads_as_well_as_the_tesseract_command(tmp_path, workers):
    """Character agreement with the generator's own text, page by page: the worker processes' in-process
    engine against one `tesseract` process per page, on the same scans."""
    run, pool = _pool_runner(workers)
    api_scores, process_scores = [], []
    try:
        for path, pages in _corpus(tmp_path):
            by_api = extract_text(path, ocr=API, run=run)
            by_process = extract_text(path, ocr=PROCESS)
            assert by_api.problem is None and by_process.problem is None
            for lines, api_page, process_page in zip(pages, by_api.pages, by_process.pages, strict=True):
                truth = _norm("\n".join(lines))
                api_scores.append(fuzz.ratio(_norm(api_page.text), truth))
                process_scores.append(fuzz.ratio(_norm(process_page.text), truth))
                assert api_page.method == "ocr" and api_page.confidence is not None
                assert api_page.confidence == pytest.approx(process_page.confidence, abs=3.0)
    finally:
        pool.shutdown()
    assert workers.replaced == 0
    api_mean, process_mean = sum(api_scores) / len(api_scores), sum(process_scores) / len(process_scores)
    assert api_mean >= process_mean, (api_scores, process_scores)
    assert min(api_scores) > 90


def test_the_text_built_from_the_tsv_is_the_engines_own_text():
    """The page's text is built from the TSV's words (the engine formats its result once, not twice): lines
    within a paragraph by a line break, paragraphs apart by an empty line, as `GetUTF8Text` has them."""
    tsv = TSV_HEADER + "\n".join([
        "5\t1\t1\t1\t1\t1\t0\t0\t9\t9\t96\tCỘNG", "5\t1\t1\t1\t1\t2\t0\t0\t9\t9\t96\tHÒA",
        "5\t1\t1\t1\t2\t1\t0\t0\t9\t9\t95\tĐộc", "5\t1\t1\t1\t2\t2\t0\t0\t9\t9\t90\t ",
        "5\t1\t2\t1\t1\t1\t0\t0\t9\t9\t91\tSố:", "5\t1\t2\t1\t1\t2\t0\t0\t9\t9\t91\t12/CV",
        "5\t1\t2\t1\t1\t3\t0\t0\t9\t9\t68\t |Ghi", "5\t1\t2\t2\t1\t1\t0\t0\t9\t9\t88\tKính",
    ]) + "\n"
    # A word read with a space before it keeps it, as the engine's own text does.
    assert words_text(tsv_words(tsv)) == "CỘNG HÒA\nĐộc\n\nSố: 12/CV  |Ghi\n\nKính"
    assert words_text([]) == ""


def test_the_text_built_from_the_tsv_agrees_with_the_engine_on_real_scans(tmp_path):
    """On the generator's scans (certificates, letters, forms at 200 dpi; a report page at 300 dpi), read by one
    engine: the text built from its TSV is, once stripped, exactly what its own text output says."""
    import tesserocr
    from PIL import Image

    from intake.folding import nfc

    api = tesserocr.PyTessBaseAPI(path=tessdata_path("vie"), lang="vie", variables={"debug_file": "/dev/null"})
    compared = 0
    try:
        for path, _ in _corpus(tmp_path):
            for number, _text, dpi, jpeg in plan_pdf(path, Limits()).pages:
                image = PdfJpeg(path, *jpeg, dpi)()
                api.SetImage(image if isinstance(image, Image.Image) else Image.open(image))
                assert api.Recognize()
                ours = words_text(tsv_words(TSV_HEADER + api.GetTSVText(0)))
                assert nfc(ours).strip() == nfc(api.GetUTF8Text()).strip(), (path.name, number)
                compared += 1
                api.Clear()
    finally:
        api.End()
    assert compared == 6


def test_orientation_detection_agrees_with_the_tesseract_command(tmp_path):
    rng = random.Random(3)
    lines = dossiers.component_pages("registration_form", dossiers.make_enterprise(rng), rng)[0]
    upright = dossiers.render_page_image(lines, random.Random(1), dpi=200).convert("L")
    for turned_by in (90, 180, 270):
        image = upright.rotate(turned_by, expand=True)
        image.info["dpi"] = (200, 200)
        rotate, confidence = API.orientation(image)
        # PIL turns counter-clockwise: the clockwise turn back is the same angle.
        assert rotate == PROCESS.orientation(image)[0] == turned_by and confidence > 1.5


# ---- a page that hangs, a worker killed mid-page -------------------------------------------------------------


def _scan_jobs(folder: Path, pages: int) -> tuple[Path, list[OcrJob], list[list[str]]]:
    rng = random.Random(99)
    ent = dossiers.make_enterprise(rng)
    lines = [dossiers.component_pages(cid, ent, rng)[0] for cid in dossiers.COMPONENT_IDS[:pages]]
    path = folder / "scan.pdf"
    dossiers.write_scanned_pdf(path, lines, rng)
    jobs = [OcrJob(number, (PdfJpeg(path, *jpeg, dpi),)) for number, _, dpi, jpeg in plan_pdf(path, Limits()).pages]
    return path, jobs, lines


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_a_page_that_hangs_costs_that_page_only(tmp_path):
    _, jobs, lines = _scan_jobs(tmp_path, 3)
    workers = OcrWorkers(1, API, limit=8.0)  # for the page that hangs; the others get all the time they need
    try:
        workers.start()
        _wait(lambda: workers.pids(), 30, "the worker to start")
        first = workers.pids()[0]
        results: list = []
        reader = threading.Thread(target=lambda: results.append(workers.read(jobs[0])))
        reader.start()
        time.sleep(0.5)
        os.kill(first, signal.SIGSTOP)  # the page never finishes: a hang Tesseract's own time limit cannot cut
        reader.join(60)
        (hung,) = results
        assert hung.number == 1 and hung.text == "" and hung.confidence == 0.0  # unread: illegible
        assert workers.replaced == 1 and first not in workers.pids()
        workers.limit = 300.0
        _wait(lambda: not Path(f"/proc/{first}").exists() or "Z" in Path(f"/proc/{first}/stat").read_text(),
              10, "the hung worker to be killed")
        # The pages after it are read by a new worker, as well as ever.
        for job, page_lines in zip(jobs[1:], lines[1:]):
            page = workers.read(job)
            assert fuzz.ratio(_norm(page.text), _norm("\n".join(page_lines))) > 90
    finally:
        workers.close()


def test_a_worker_killed_mid_page_costs_nothing_but_a_second_reading(tmp_path, workers):
    _, jobs, lines = _scan_jobs(tmp_path, 6)
    run, pool = _pool_runner(workers)
    killed: list[int] = []

    def kill_one() -> None:
        _wait(lambda: len(workers.pids()) == 2, 30, "both workers to start")
        # Past their start (~0.6 s of CPU: Python, the engine loaded) and into their first of three pages.
        _wait(lambda: all(_cpu_seconds(pid) > 1.2 for pid in workers.pids()), 120, "both workers to read")
        victim = workers.pids()[0]
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)

    try:
        killer = threading.Thread(target=kill_one)
        workers.start()
        killer.start()
        pages = run(jobs, API)
        killer.join(30)
    finally:
        pool.shutdown()
    assert len(killed) == 1 and workers.replaced == 1 and killed[0] not in workers.pids()
    assert [p.number for p in pages] == [1, 2, 3, 4, 5, 6]
    for page, page_lines in zip(pages, lines):
        assert fuzz.ratio(_norm(page.text), _norm("\n".join(page_lines))) > 90


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def _page_faults(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[7])


def test_a_worker_keeps_its_memory_between_pages_and_hands_it_back_when_idle(tmp_path):
    _, jobs, lines = _scan_jobs(tmp_path, 1)
    workers = OcrWorkers(1, API, API.page_limit)
    try:
        workers.start()
        _wait(lambda: workers.pids(), 30, "the worker to start")
        (pid,) = workers.pids()
        faults = []
        for job, page_lines in [(jobs[0], lines[0])] * 3:  # the same page: the same buffers needed each time
            before = _page_faults(pid)
            page = workers.read(job)
            faults.append(_page_faults(pid) - before)
            busy = _rss_mb(pid)  # at once, before IDLE_TRIM: what the next page would reuse
            assert fuzz.ratio(_norm(page.text), _norm("\n".join(page_lines))) > 90
        # Read again in the memory the first readings left (glibc's defaults map a page's image buffers afresh every
        # time: ~6,700 pages of 4 KB faulted in again for this 200-dpi page, each zeroed by the kernel).
        assert faults[-1] < 1000
        # Without a page for IDLE_TRIM seconds, the worker hands its free memory back.
        _wait(lambda: _rss_mb(pid) < busy - 5, 10 + IDLE_TRIM, "the idle worker to give memory back")
        assert workers.pids() == [pid] and workers.replaced == 0
    finally:
        workers.close()


WORKERS_OF_A_SERVICE = """
import json, sys, time
from intake.reading.ocr import Tesseract
from intake.reading.workers import OcrWorkers
workers = OcrWorkers(2, Tesseract(), 60)
workers.start()
print(json.dumps(workers.pids()), flush=True)
time.sleep(600)
"""


def test_workers_end_with_the_service_that_is_killed():
    service = subprocess.Popen([sys.executable, "-c", WORKERS_OF_A_SERVICE], stdout=subprocess.PIPE, text=True,
                               cwd=REPO)
    try:
        pids = json.loads(service.stdout.readline())
        assert len(pids) == 2 and all(Path(f"/proc/{pid}").exists() for pid in pids)
        service.kill()
        service.wait(30)
        _wait(lambda: not any(Path(f"/proc/{pid}").exists() for pid in pids), 30, "orphaned workers to exit")
    finally:
        if service.poll() is None:
            service.kill()
            service.wait(30)
        service.stdout.close()


# ---- the fallback ------------------------------------------------------------------------------------------


def test_without_the_engine_each_page_is_read_by_a_tesseract_process(tmp_path, monkeypatch):
    path, _, lines = _scan_jobs(tmp_path, 1)
    monkeypatch.setitem(sys.modules, "tesserocr", None)  # as if the wheel were missing: the import fails
    started: list[str] = []
    real_popen = subprocess.Popen

    def popen(args, *rest, **kwargs):
        started.append(os.path.basename(str(args[0])))
        return real_popen(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", popen)
    result: list = []
    # A thread of its own: engines are loaded once per thread, and this one has none yet.
    reader = threading.Thread(target=lambda: result.append(extract_text(path, ocr=API, run=run_in_order)))
    reader.start()
    reader.join(120)
    (extraction,) = result
    (page,) = extraction.pages
    assert "tesseract" in started
    assert fuzz.ratio(_norm(page.text), _norm("\n".join(lines[0]))) > 90 and page.confidence > 80


# ---- verdicts unchanged ------------------------------------------------------------------------------------


def _verdicts(root: Path, rules, ocr: Tesseract) -> dict:
    from conftest import Service
    from intake.pipeline import Context

    service = Service(root, rules)
    try:
        if ocr != service.ctx.ocr:
            service.ctx.close()
            service.ctx = Context(service.settings, rules, service.store, lambda: service.now, ocr)
        service.scan()
        pages = {(d.folder, f.path, p.number): p for d in service.store.dossiers.all()
                 for f in service.store.dossiers.received_files(d.id)
                 for p in f.extraction.pages if p.method == "ocr"}
        return {
            "verdicts": {folder: (d["status"], d["documents"], d["missing"],
                                  sorted((x["code"], x["document"], x["file"]) for x in d["deficiencies"]))
                         for folder, d in service.report().items()},
            "pages": pages,
            "replaced": service.ctx.ocr_workers.replaced if service.ctx.ocr_workers else 0,
        }
    finally:
        service.close()


@pytest.mark.slow
def test_every_verdict_and_component_is_the_same_as_read_by_tesseract_processes(tmp_path, rules):
    """Scanned, photographed and merged dossiers, one with a missing component and one turned page: the same
    verdicts, components and deficiencies through the worker processes' engines as through one `tesseract`
    process per page."""
    import shutil

    rng = random.Random(1718)
    inbox = tmp_path / "corpus"
    dossiers.write_dossier(inbox / "Công ty Quét", dossiers.make_enterprise(rng), rng, formats={"*": "scan"},
                           include_optional=False)
    dossiers.write_dossier(inbox / "Công ty Ảnh", dossiers.make_enterprise(rng), rng,
                           formats={"*": "jpg", "quality_system": "png", "tax_insurance": "tiff"},
                           omit=("environment",), include_optional=False)
    dossiers.write_merged_dossier(inbox / "Công ty Một tệp", dossiers.make_enterprise(rng), rng,
                                  include_optional=False)
    ent = dossiers.make_enterprise(rng)
    dossiers.write_dossier(inbox / "Công ty Lật", ent, rng, formats={"*": "pdf"}, include_optional=False)
    dossiers.write_scanned_pdf(inbox / "Công ty Lật" / "Phu luc.pdf",
                               dossiers.component_pages("quality_system", ent, rng)[:1], rng, rotate=180)
    results = {}
    for name, ocr in (("api", API), ("process", PROCESS)):
        shutil.copytree(inbox, tmp_path / name / "inbox")
        results[name] = _verdicts(tmp_path / name, rules, ocr)
    assert results["api"]["verdicts"] == results["process"]["verdicts"]
    assert set(results["api"]["verdicts"]) == {"Công ty Quét", "Công ty Ảnh", "Công ty Một tệp", "Công ty Lật"}
    assert results["api"]["verdicts"]["Công ty Quét"][0] == "complete"
    assert "environment" in results["api"]["verdicts"]["Công ty Ảnh"][2]
    api_pages, process_pages = results["api"]["pages"], results["process"]["pages"]
    assert set(api_pages) == set(process_pages) and len(api_pages) >= 20
    assert results["api"]["replaced"] == 0
    turned = api_pages[("Công ty Lật", "Phu luc.pdf", 1)]
    assert turned.confidence > 85  # read upright after OSD in the worker
    for key, page in api_pages.items():
        assert fuzz.ratio(_norm(page.text), _norm(process_pages[key].text)) > 97, key


def test_a_low_resolution_page_is_scaled_to_300_dpi_before_ocr():
    """Audit 20: told the true 120 dpi of a grey copy of an ISO certificate, Tesseract lost its title lines (and the
    certificate was asked for); scaled to 300 dpi it reads them. Pages from 150 dpi on are read as they are."""
    from PIL import Image

    from intake.reading.ocr import at_least
    page = Image.new("L", (992, 1403), 255)
    page.info["dpi"] = (120, 120)
    scaled = at_least(page, 150)
    assert scaled.size == (2480, 3508) and scaled.info["dpi"] == (300, 300)
    page.info["dpi"] = (60, 60)
    assert at_least(page, 150).size == (2976, 4209)  # at most three times
    for dpi in ((200, 200), None):
        if dpi:
            page.info["dpi"] = dpi
        else:
            page.info.pop("dpi")
        assert at_least(page, 150) is page
