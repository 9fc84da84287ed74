"""The hostile share against receiving: symlink races, hard links, NFC/NFD twins, same-size same-mtime replacements.

Races run a real thread doing rename/symlink/undo loops against the real scanner for a bounded time."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import threading
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dossiers
from conftest import Service
from intake import pipeline
from intake.receiving import inbox
from intake.receiving.archive import archive_path

OUTSIDE = b"OUTSIDE-THE-INBOX-" + bytes(range(48, 58)) * 8
"""Bytes of a file outside the inbox: none of them may ever reach the archive or the database."""

RACE_SECONDS = 6.0


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def archived_bytes(service: Service) -> list[bytes]:
    return [p.read_bytes() for p in service.settings.archive.glob("*/*") if not p.name.startswith(".")]


def assert_nothing_from_outside(service: Service) -> None:
    assert not any(OUTSIDE in data for data in archived_bytes(service))
    for (text,) in service.store.db.execute("SELECT text FROM pages"):
        assert "OUTSIDE-THE-INBOX" not in text


def racer(stop: threading.Event, swaps: list[int], real: Path, decoy: Path, touched: Path) -> None:
    """Swap `real` (a folder) for a symlink to `decoy` and back, as fast as it can, touching `touched` so the
    scanner sees a change to receive each time."""
    aside = real.with_name(real.name + ".aside")
    rng = random.Random(1)
    n = 0
    while not stop.is_set():
        n += 1
        os.utime(touched, ns=(n * 1_000_000_000, n * 1_000_000_000))
        time.sleep(rng.uniform(0, 0.002))
        os.rename(real, aside)
        os.symlink(decoy, real)
        time.sleep(rng.uniform(0, 0.002))  # the symlink stays a moment, as a slower attacker's would
        os.unlink(real)
        os.rename(aside, real)
    swaps.append(n)


@pytest.mark.parametrize("swapped", ["sub-folder", "dossier folder"])
def test_a_folder_swapped_for_a_symlink_never_lets_outside_bytes_in(tmp_path, rules, swapped):
    service = Service(tmp_path / "svc", rules)
    try:
        folder = service.inbox / "Công ty Đua"
        (folder / "Hồ sơ").mkdir(parents=True)
        inside = folder / "Hồ sơ" / "Báo cáo.pdf"
        inside.write_bytes(b"inside the inbox " * 8)
        # The decoy mirrors the layout, so that a path followed through the symlink finds a file.
        outside = tmp_path / "outside" / ("Hồ sơ" if swapped == "sub-folder" else "Công ty Đua")
        target = outside / ("Báo cáo.pdf" if swapped == "sub-folder" else "Hồ sơ/Báo cáo.pdf")
        target.parent.mkdir(parents=True)
        target.write_bytes(OUTSIDE)
        real = folder / "Hồ sơ" if swapped == "sub-folder" else folder
        decoy = target.parent if swapped == "sub-folder" else outside
        stop, swaps = threading.Event(), []
        thread = threading.Thread(target=racer, args=(stop, swaps, real, decoy, inside), daemon=True)
        thread.start()
        passes = 0
        deadline = time.monotonic() + RACE_SECONDS
        try:
            while time.monotonic() < deadline:
                pipeline.receive(service.ctx, pipeline.changed_files(service.ctx))
                passes += 1
        finally:
            stop.set()
            thread.join(timeout=10)
        assert swaps and swaps[0] > 100 and passes > 20, (swaps, passes)
        service.scan()  # read and judge what was received
        assert_nothing_from_outside(service)
        received = service.store.db.execute("SELECT count(*) FROM files").fetchone()[0]
        assert received >= 1  # the real file was received despite the race
        for path, sha256, size in service.store.db.execute("SELECT path, sha256, size FROM files"):
            assert archive_path(service.settings.archive, sha256).stat().st_size == size, path
    finally:
        service.close()


def test_a_symbolic_link_is_refused_unread_as_a_deficiency_never_silently(tmp_path, rules):
    """A link in a dossier (to a file or a folder, outside the share or not) is never followed, and never vanishes
    unsaid: the enterprise is told it sent a shortcut, not a file; the file itself, put in its place, counts."""
    service = Service(tmp_path / "svc", rules)
    try:
        rng = random.Random(12)
        folder = service.inbox / "Công ty Lối tắt"
        dossiers.write_dossier(folder, dossiers.make_enterprise(rng), rng)
        secret = tmp_path / "outside"
        secret.mkdir()
        (secret / "secret.pdf").write_bytes(OUTSIDE)
        os.symlink(secret / "secret.pdf", folder / "Chứng chỉ ISO.pdf")
        os.symlink(secret, folder / "Phụ lục")
        service.scan()
        assert_nothing_from_outside(service)
        found = {d["file"]: d for d in service.report()["Công ty Lối tắt"]["deficiencies"] if d["file"]}
        assert {name: d["code"] for name, d in found.items() if d["code"] == "symlink"} == {
            "Chứng chỉ ISO.pdf": "symlink", "Phụ lục": "symlink"}
        assert "không phải tệp" in found["Chứng chỉ ISO.pdf"]["message"]
        assert service.scan().received == 0  # refused once, not on every pass
        (folder / "Chứng chỉ ISO.pdf").unlink()
        shutil.copyfile(next(p for p in sorted(folder.iterdir()) if p.is_file() and not p.is_symlink()),
                        folder / "Chứng chỉ ISO.pdf")
        assert service.scan().received == 1
        codes = {d["file"]: d["code"] for d in service.report()["Công ty Lối tắt"]["deficiencies"] if d["file"]}
        assert codes.get("Chứng chỉ ISO.pdf") != "symlink" and codes["Phụ lục"] == "symlink"
    finally:
        service.close()


def test_a_hard_link_is_refused_unread_as_a_deficiency(tmp_path, rules):
    service = Service(tmp_path / "svc", rules)
    try:
        rng = random.Random(11)
        folder = service.inbox / "Công ty Liên kết"
        dossiers.write_dossier(folder, dossiers.make_enterprise(rng), rng)
        secret = tmp_path / "secret.pdf"
        secret.write_bytes(OUTSIDE)
        os.link(secret, folder / "Phụ lục.pdf")
        service.scan()
        assert_nothing_from_outside(service)
        dossier = service.report()["Công ty Liên kết"]
        found = [d for d in dossier["deficiencies"] if d["file"] == "Phụ lục.pdf"]
        assert [d["code"] for d in found] == ["hard_link"]
        assert "liên kết cứng" in found[0]["message"]
        assert service.scan().received == 0  # refused once, not on every pass
        # Once it is a file of its own (the other link removed), it is received like any other.
        secret.unlink()
        assert service.scan().received == 1
        assert not [d for d in service.report()["Công ty Liên kết"]["deficiencies"] if d["code"] == "hard_link"]
    finally:
        service.close()


def test_a_file_replaced_with_the_same_size_and_mtime_is_received_again(tmp_path, rules):
    service = Service(tmp_path / "svc", rules)
    try:
        folder = service.inbox / "Công ty Sao chép"
        folder.mkdir()
        path = folder / "Báo cáo.pdf"
        path.write_bytes(b"A" * 1000)
        service.scan()
        before = path.stat()
        # rsync -t / cp -p: other bytes, same size, mtime restored; once in place, once by rename.
        path.write_bytes(b"B" * 1000)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert service.scan().received == 1
        fresh = folder / ".tmp-copy"
        fresh.write_bytes(b"C" * 1000)
        os.utime(fresh, ns=(before.st_atime_ns, before.st_mtime_ns))
        os.rename(fresh, path)
        assert service.scan().received == 1
        assert service.scan().received == 0
        hashes = [h for (h,) in service.store.db.execute("SELECT sha256 FROM files ORDER BY id")]
        assert len(set(hashes)) == 3
        current = service.store.db.execute("SELECT sha256 FROM files WHERE current = 1").fetchall()
        assert archive_path(service.settings.archive, current[0][0]).read_bytes() == b"C" * 1000
    finally:
        service.close()


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ "


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_nfc_and_nfd_twins_are_all_received_once_and_rescans_are_idempotent(tmp_path_factory, rules, data):
    root = tmp_path_factory.mktemp("twins")
    service = Service(root, rules)
    try:
        word = st.text(VIETNAMESE, min_size=2, max_size=12).map(str.strip).filter(
            lambda w: w and nfd(w) != unicodedata.normalize("NFC", w))
        enterprise = data.draw(word, label="enterprise")
        names = data.draw(st.lists(word, min_size=1, max_size=3, unique_by=lambda w: unicodedata.normalize("NFC", w)),
                          label="names")
        written = 0
        # Twin dossier folders (Windows NFC, Mac NFD), each holding the same names, plus in-folder twins.
        for form in ("NFC", "NFD"):
            folder = service.inbox / unicodedata.normalize(form, f"Công ty {enterprise}")
            folder.mkdir()
            for name in names:
                for variant in {unicodedata.normalize(form, name), nfd(name)}:
                    (folder / f"{variant}.pdf").write_bytes(f"{form}/{variant}".encode())
                    written += 1
        first = inbox.discover(service.inbox)
        assert len(first) == written
        assert len({(c.dossier, c.path) for c in first}) == written  # every file its own path
        assert inbox.discover(service.inbox) == first  # the same paths on every pass
        assert service.scan().received == written
        for _ in range(2):  # no flip-flop: nothing is received again
            assert service.scan().received == 0
        assert service.store.db.execute("SELECT count(*) FROM files").fetchone()[0] == written
        assert service.store.db.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 1
        shown = {p for (p,) in service.store.db.execute("SELECT path FROM files")}
        assert sum(inbox.TWIN_LABEL in p for p in shown) == written - len(names)
    finally:
        service.close()


def test_twin_folders_raced_with_renames_stay_idempotent(tmp_path, rules):
    """A thread renames an NFD twin folder away and back while the scanner runs: each file received once per
    distinct content, and once the share is still, a pass receives nothing."""
    service = Service(tmp_path / "svc", rules)
    try:
        name = "Công ty Sông Hồng"
        for form in ("NFC", "NFD"):
            folder = service.inbox / unicodedata.normalize(form, name)
            folder.mkdir()
            (folder / unicodedata.normalize(form, "Báo cáo tài chính.pdf")).write_bytes(form.encode() * 100)
        moving = service.inbox / nfd(name)
        stop = threading.Event()

        def rename_loop() -> None:
            while not stop.is_set():
                os.rename(moving, moving.with_name("~$tạm"))  # away under a name never taken as a dossier
                os.rename(moving.with_name("~$tạm"), moving)

        thread = threading.Thread(target=rename_loop, daemon=True)
        thread.start()
        deadline = time.monotonic() + 3.0
        try:
            while time.monotonic() < deadline:
                pipeline.receive(service.ctx, pipeline.changed_files(service.ctx))
        finally:
            stop.set()
            thread.join(timeout=10)
        service.scan()
        assert service.scan().received == 0
        rows = service.store.db.execute("SELECT path, sha256 FROM files WHERE current = 1").fetchall()
        assert len(rows) == 2 and len({h for _, h in rows}) == 2
        assert service.store.db.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 1
    finally:
        service.close()


def test_a_newline_in_a_file_name_is_shown_as_a_stand_in(tmp_path, rules):
    service = Service(tmp_path / "svc", rules)
    try:
        folder = service.inbox / "Công ty Xuống dòng"
        folder.mkdir()
        (folder / "Báo cáo\nGiả mạo.pdf").write_bytes(b"%PDF-1.4")
        service.scan()
        (path,) = [p for (p,) in service.store.db.execute("SELECT path FROM files")]
        assert path == "Báo cáo\ufffdGiả mạo.pdf"
    finally:
        service.close()


def test_one_dossiers_failure_never_stops_the_others(tmp_path, rules, monkeypatch):
    """A dossier whose receipt cannot be recorded (the UNIQUE clash an ambiguous pattern caused) or which cannot be
    judged fails alone: the other dossiers are received and judged in the same pass, and the pass ends normally."""
    service = Service(tmp_path / "svc", rules)
    try:
        rng = random.Random(12)
        for name in ("Công ty Một", "Công ty Hai", "Công ty Ba"):
            dossiers.write_dossier(service.inbox / name, dossiers.make_enterprise(rng), rng, formats={"*": "pdf"})
        store = service.store
        record, judge = store.dossiers.receive_file, pipeline.judge

        def clashing(**row):
            if row["folder"] == "Công ty Hai":
                raise sqlite3.IntegrityError("UNIQUE constraint failed: dossiers.receipt_no")
            return record(**row)

        def failing_judge(ctx, dossier):
            if dossier.folder == "Công ty Một":
                raise RuntimeError("a bug met by one dossier only")
            return judge(ctx, dossier)

        monkeypatch.setattr(store.dossiers, "receive_file", clashing)
        monkeypatch.setattr(pipeline, "judge", failing_judge)
        summary = service.scan()
        folders = {d.folder: d for d in store.dossiers.all()}
        assert set(folders) == {"Công ty Một", "Công ty Ba"}
        assert folders["Công ty Ba"].status == "complete" and folders["Công ty Một"].status is None
        assert summary.evaluated == 1
        monkeypatch.undo()  # the fault goes away: the next pass takes both in
        service.scan()
        assert {d.folder: d.status for d in store.dossiers.all()} == dict.fromkeys(
            ("Công ty Một", "Công ty Ba", "Công ty Hai"), "complete")
    finally:
        service.close()


def test_a_renamed_dossier_folder_keeps_its_receipt(tmp_path, rules):
    service = Service(tmp_path / "svc", rules)
    try:
        rng = random.Random(13)
        dossiers.write_dossier(service.inbox / "Công ty Thép Việt Namm", dossiers.make_enterprise(rng), rng,
                               formats={"*": "pdf"})
        dossiers.write_dossier(service.inbox / "Công ty Khác", dossiers.make_enterprise(rng), rng,
                               formats={"*": "pdf"})
        service.scan()
        before = {d.folder: d.receipt_no for d in service.store.dossiers.all()}
        files = service.store.db.execute("SELECT count(*) FROM files").fetchone()[0]
        # The enterprise fixes the typo in its folder name (same files, same bytes).
        os.rename(service.inbox / "Công ty Thép Việt Namm", service.inbox / "Công ty Thép Việt Nam")
        summary = service.scan()
        after = {d.folder: d.receipt_no for d in service.store.dossiers.all()}
        assert after == {"Công ty Thép Việt Nam": before["Công ty Thép Việt Namm"],
                         "Công ty Khác": before["Công ty Khác"]}
        assert summary.received == 0 and service.store.db.execute("SELECT count(*) FROM files").fetchone()[0] == files
        assert service.store.db.execute("SELECT count(*) FROM events WHERE kind = 'dossier_renamed'").fetchone()[0] == 1
        # A copy of the folder under a new name, with one file changed, is a new dossier; officers are told.
        dossiers.move_with_one_change(service.inbox / "Công ty Khác", service.inbox / "Công ty Khác (sửa)")
        service.scan()
        assert {d.folder for d in service.store.dossiers.all()} == {
            "Công ty Thép Việt Nam", "Công ty Khác", "Công ty Khác (sửa)"}
        assert service.store.db.execute("SELECT count(*) FROM events WHERE kind = 'possible_rename'").fetchone()[0] == 1
        # The vanished one is not reminded until an officer says which is the enterprise's (audit 27).
        assert service.store.dossiers.taken_for_another() == {service.store.dossiers.get("Công ty Khác").id}
        # Renamed again while a file is added (audit 11: it became a new, late dossier): the same dossier, and the
        # new file is received into it.
        os.rename(service.inbox / "Công ty Thép Việt Nam", service.inbox / "Công ty CP Thép Việt Nam")
        rng = random.Random(14)
        dossiers.write_digital_pdf(service.inbox / "Công ty CP Thép Việt Nam" / "Bang khen.pdf",
                                   dossiers.component_pages("other_evidence", dossiers.make_enterprise(rng), rng))
        summary = service.scan()
        renamed = service.store.dossiers.get("Công ty CP Thép Việt Nam")
        assert renamed is not None and renamed.receipt_no == before["Công ty Thép Việt Namm"]
        assert summary.received == 1 and "Bang khen.pdf" in service.store.dossiers.current_files(renamed.id)
        assert len(service.store.dossiers.all()) == 3
        # Another enterprise's folder with the same common file names (other bytes, other sizes) after a folder
        # vanished: no possible rename between the two.
        documents = service.store.dossiers.get("Công ty Khác (sửa)").verdict["documents"]
        shutil.rmtree(service.inbox / "Công ty Khác (sửa)")
        rng = random.Random(15)
        other = dossiers.make_enterprise(rng)
        for component, labels in documents.items():
            for label in labels:
                target = service.inbox / "Công ty Gạch ngói Tân Yên" / label.split("#")[0]
                target.parent.mkdir(parents=True, exist_ok=True)
                dossiers.write_digital_pdf(target, dossiers.component_pages(component, other, rng))
        service.scan()
        assert service.store.dossiers.get("Công ty Gạch ngói Tân Yên") is not None
        assert service.store.db.execute("SELECT count(*) FROM events WHERE kind = 'possible_rename'").fetchone()[0] == 1
    finally:
        service.close()


def test_watch_receives_nfc_nfd_twins_then_stops_walking_the_inbox(tmp_path, rules, monkeypatch):
    import intake.watch as watch_module
    from intake.receiving import inbox as inbox_module

    walks = []
    walk = inbox_module.discover
    monkeypatch.setattr(inbox_module, "discover", lambda path: walks.append(time.monotonic()) or walk(path))
    service = Service(tmp_path, rules, settle_seconds=0.3, rescan_seconds=3600.0, dossier_settle_seconds=0.5)
    for form in ("NFC", "NFD"):
        folder = service.inbox / unicodedata.normalize(form, "Công ty Sông Hồng")
        folder.mkdir(exist_ok=True)
        (folder / unicodedata.normalize(form, "Báo cáo tài chính.pdf")).write_bytes(form.encode() * 100)
    stopping = threading.Event()
    thread = threading.Thread(target=watch_module.watch, args=(service.ctx, stopping), daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while service.store.db.execute("SELECT count(*) FROM files").fetchone()[0] < 2:
            assert time.monotonic() < deadline, "the twin was never received"
            time.sleep(0.1)
        # The dossier's notice pass follows its settle time; then nothing is left to do.
        while time.monotonic() - walks[-1] < 1.5:
            assert time.monotonic() < deadline, f"still walking the inbox: {len(walks)} walks"
            time.sleep(0.1)
        before = len(walks)
        time.sleep(3.0)  # twelve ticks: a watcher that keeps re-walking the inbox would walk it each tick
        assert len(walks) - before <= 1, len(walks) - before
    finally:
        stopping.set()
        thread.join(timeout=120)
        service.close()


def test_a_hard_link_made_to_a_received_file_is_refused_where_it_was_made_only(tmp_path, rules):
    """Audit 30: a hard link made in another dossier's folder to a file already received made that file refused
    too, and its dossier, which did nothing wrong, was asked for it again."""
    service = Service(tmp_path / "svc", rules)
    try:
        rng = random.Random(13)
        written = dossiers.write_dossier(service.inbox / "Công ty Ngay thẳng", dossiers.make_enterprise(rng), rng,
                                         formats={"*": "pdf"})
        other = service.inbox / "Công ty Khác"
        dossiers.write_dossier(other, dossiers.make_enterprise(rng), rng, formats={"*": "pdf"},
                               omit=("quality_system",))
        service.scan()
        before = service.report()["Công ty Ngay thẳng"]
        os.link(service.inbox / "Công ty Ngay thẳng" / written["quality_system"], other / "ISO 9001.pdf")
        service.scan()
        after = service.report()
        assert after["Công ty Ngay thẳng"]["status"] == before["status"] == "complete"
        assert after["Công ty Ngay thẳng"]["documents"] == before["documents"]
        assert [d["code"] for d in after["Công ty Khác"]["deficiencies"] if d["file"] == "ISO 9001.pdf"] == [
            "hard_link"]
        assert service.scan().received == 0
    finally:
        service.close()
