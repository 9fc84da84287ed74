"""The always-current reports: a report file that could not be written is written again at the next pass, even when
nothing else changed (issue 14, item 10)."""

from __future__ import annotations

import random

import dossiers
import openpyxl

from intake.desk.publish import CURRENT, REGISTER, reports_stale


def test_a_failed_report_write_is_retried_at_the_next_pass(service):
    reports = service.settings.reports
    rng = random.Random(61)
    dossiers.write_dossier(service.inbox / "Công ty Một", dossiers.make_enterprise(rng), rng, formats={"*": "pdf"})
    service.scan()
    assert not reports_stale(reports) and (reports / CURRENT).exists()

    # The register cannot be replaced this time (on the share, Excel keeps it open): something stands in its way.
    (reports / REGISTER).unlink()
    (reports / REGISTER).mkdir()
    (reports / REGISTER / "đang mở").write_text("x", encoding="utf-8")
    dossiers.write_dossier(service.inbox / "Công ty Hai", dossiers.make_enterprise(rng), rng, formats={"*": "pdf"})
    service.scan()
    assert reports_stale(reports)
    assert "Công ty Hai" in (reports / "index.html").read_text(encoding="utf-8")  # the others were written

    # The obstacle goes away; the next pass changes nothing in the inbox, yet the register is written.
    (reports / REGISTER / "đang mở").unlink()
    (reports / REGISTER).rmdir()
    summary = service.scan()
    assert summary.received == summary.extracted == summary.notices == 0
    register = openpyxl.load_workbook(reports / REGISTER)["Sổ theo dõi hồ sơ"]
    assert [row[1].value for row in register.iter_rows(min_row=4)] == ["GTCLQG-2020-0001", "GTCLQG-2020-0002"]
    assert not reports_stale(reports)

    mtime = (reports / REGISTER).stat().st_mtime_ns
    service.scan()  # current now: nothing is rewritten
    assert (reports / REGISTER).stat().st_mtime_ns == mtime
