"""Hand-off to the council: complete dossiers copied from the archive in component order, manifests, register."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import dossiers
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import AFTER_DEADLINE

from intake.cli import main
from intake.errors import ExitCode
from intake.desk.export import LISTING, MANIFEST, safe_name
from intake.models import Override


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write(service, folder: str, seed: int, **kwargs) -> dict[str, str]:
    rng = random.Random(seed)
    return dossiers.write_dossier(service.inbox / folder, dossiers.make_enterprise(rng), rng,
                                  formats=kwargs.pop("formats", {"*": "pdf"}), **kwargs)


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def campaign(service):
    service.store.set_meta("campaign", "gtclqg-2020")
    written = {
        "Công ty A đầy đủ": write(service, "Công ty A đầy đủ", 71, names="meaningless"),
        "Công ty B thiếu": write(service, "Công ty B thiếu", 72, omit=("environment",)),
    }
    service.scan()
    service.now = AFTER_DEADLINE
    written["Công ty C muộn"] = write(service, "Công ty C muộn", 73)
    service.scan()
    return service, written


def test_export_complete_dossiers_in_component_order(campaign, rules, tmp_path):
    service, written = campaign
    before = tree(service.inbox)
    target = tmp_path / "hoi-dong"
    result = run("export", "--complete", str(target), "--data", str(service.settings.data),
                 "--inbox", str(service.inbox))
    assert result.exit_code == 0, result.output
    assert "1 complete dossiers exported" in result.output
    assert tree(service.inbox) == before  # the inbox is never touched

    folders = sorted(p.name for p in target.iterdir() if p.is_dir())
    dossier = service.store.dossiers.get("Công ty A đầy đủ")
    report = service.report()["Công ty A đầy đủ"]
    enterprise_name = report["folder"]
    assert len(folders) == 1 and folders[0].startswith("GTCLQG-2020-0001 - ")
    exported = target / folders[0]
    manifest = json.loads((exported / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["receipt_no"] == "GTCLQG-2020-0001" and manifest["folder"] == enterprise_name
    assert [c["component"] for c in manifest["components"]] == [c.id for c in rules.components]

    # Files are numbered in component order although the enterprise named them scan_0007.pdf & co.
    names = [f["file"] for c in manifest["components"] for f in c["files"]]
    assert names == [f"{i:02d} - {written['Công ty A đầy đủ'][c.id]}" for i, c in enumerate(rules.components, start=1)]
    # ...then what is no component (the cover letter), and nothing else.
    assert [f["file"] for f in manifest["files"]][len(names):] == [f"09 - {written['Công ty A đầy đủ']['cover_letter']}"]
    on_disk = sorted(p.name for p in exported.iterdir())
    assert on_disk == sorted([f["file"] for f in manifest["files"]] + [MANIFEST, LISTING])
    # Each copy is the archived bytes, which are the bytes the enterprise dropped.
    for f in manifest["files"]:
        data = (exported / f["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == f["sha256"]
        assert data == (service.inbox / "Công ty A đầy đủ" / f["source"]).read_bytes()
    listing = (exported / LISTING).read_text(encoding="utf-8")
    assert "Mã hồ sơ: GTCLQG-2020-0001" in listing and rules.components[0].title in listing
    assert dossier is not None

    book = openpyxl.load_workbook(target / "so-theo-doi-ho-so.xlsx")
    rows = [[c.value for c in row] for row in book["Sổ theo dõi hồ sơ"].iter_rows(min_row=4)]
    assert [(r[0], r[1], r[10]) for r in rows] == [(1, "GTCLQG-2020-0001", "Đầy đủ")]  # Mẫu 06: "Kết quả"


def test_late_dossiers_only_on_request_and_exports_replace_earlier_ones(campaign, tmp_path):
    service, _ = campaign
    target = tmp_path / "hoi-dong"
    args = ("export", "--complete", str(target), "--data", str(service.settings.data), "--inbox", str(service.inbox))
    assert run(*args).exit_code == 0
    (target / next(p.name for p in target.iterdir() if p.is_dir()) / "stale.txt").write_text("x")
    result = run(*args, "--include-late")
    assert result.exit_code == 0 and "2 complete dossiers exported" in result.output
    folders = sorted(p.name for p in target.iterdir() if p.is_dir())
    assert [f[:16] for f in folders] == ["GTCLQG-2020-0001", "GTCLQG-2020-0003"]
    assert not list(target.rglob("stale.txt")) and not list(target.glob(".*"))
    manifest = json.loads((target / folders[1] / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["late"] is True


def test_an_accepted_component_is_in_the_manifest(campaign, tmp_path):
    service, _ = campaign
    dossier = service.store.dossiers.get("Công ty B thiếu")
    accepted = Override("environment", "accept", officer="Nguyễn Văn An", note="bản giấy", at=service.now)
    service.store.decisions.add_override(dossier.id, accepted)
    from intake.pipeline import apply_decisions

    apply_decisions(service.ctx)
    target = tmp_path / "out"
    assert run("export", "--complete", str(target), "--data", str(service.settings.data),
               "--inbox", str(service.inbox)).exit_code == 0
    folder = next(p for p in target.iterdir() if p.name.startswith("GTCLQG-2020-0002"))
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    environment = next(c for c in manifest["components"] if c["component"] == "environment")
    assert environment["files"] == [] and environment["decision"]["officer"] == "Nguyễn Văn An"
    assert "Chấp nhận bởi cán bộ Nguyễn Văn An: bản giấy" in (folder / LISTING).read_text(encoding="utf-8")


def test_export_refuses_the_inbox_and_the_data_folder(campaign, tmp_path):
    service, _ = campaign
    data = str(service.settings.data)
    inside_inbox = run("export", "--complete", str(service.inbox / "ra"), "--data", data, "--inbox", str(service.inbox))
    assert inside_inbox.exit_code == ExitCode.bad_config and not (service.inbox / "ra").exists()
    inside_data = run("export", "--complete", str(service.settings.data / "ra"), "--data", data,
                      "--inbox", str(service.inbox))
    assert inside_data.exit_code == ExitCode.bad_config
    assert run("export", "--data", data).exit_code == ExitCode.usage
    assert run("export", "--complete", str(tmp_path / "x"), "--data", str(tmp_path / "none")).exit_code == ExitCode.not_found
    # A folder of the same name that is not an earlier export is never deleted.
    foreign = tmp_path / "ho-so-khac"
    args = ("export", "--complete", str(foreign), "--data", data, "--inbox", str(service.inbox))
    assert run(*args).exit_code == 0
    exported = next(p for p in foreign.iterdir() if p.is_dir())
    (exported / MANIFEST).unlink()
    assert run(*args).exit_code == ExitCode.bad_config and exported.is_dir()


def test_safe_names():
    assert safe_name('a/b\\c:d*e?"f<g>h|i') == "a_b_c_d_e_f_g_h_i"
    assert safe_name("..") == "_" and safe_name("tên. ") == "tên"
    long = safe_name("x" * 300 + ".pdf")
    assert len(long) == 120 and long.endswith(".pdf")


def test_a_file_refused_unread_is_not_handed_to_the_council(service, tmp_path):
    """Audit 30: an executable named .pdf, a spreadsheet and an empty file went to the council among the "other
    documents" of a complete dossier; they stay behind, and the listing names them with why."""
    service.store.set_meta("campaign", "gtclqg-2020")
    folder = service.inbox / "Công ty Rác"
    write(service, "Công ty Rác", 74)
    (folder / "08 - Bao cao tai chinh.pdf").write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    (folder / "09 - Doanh thu.xlsx").write_bytes(b"PK\x03\x04 not really")
    service.scan()
    assert service.report()["Công ty Rác"]["status"] == "complete"
    target = tmp_path / "hoi-dong"
    result = run("export", "--complete", str(target), "--data", str(service.settings.data),
                 "--inbox", str(service.inbox))
    assert result.exit_code == 0, result.output
    exported = next(p for p in target.iterdir() if p.is_dir())
    names = [p.name for p in exported.iterdir()]
    assert not any("Bao cao tai chinh" in n or "Doanh thu" in n for n in names), names
    listing = (exported / LISTING).read_text(encoding="utf-8")
    refused = listing.split("Tệp không được tiếp nhận (không chuyển kèm):", 1)[1]
    assert "«08 - Bao cao tai chinh.pdf»" in refused and "«09 - Doanh thu.xlsx»" in refused
