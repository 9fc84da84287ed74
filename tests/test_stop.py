"""Stopping mid-file: a scanned file's reading stops between pages, keeps the pages read, and resumes with the rest."""

from __future__ import annotations

import random

import pytest

import dossiers
from conftest import Service
from intake import pipeline
from intake.receiving import archive_path


@pytest.mark.slow
def test_a_stop_between_pages_keeps_the_pages_read_and_the_restart_reads_only_the_rest(tmp_path, rules):
    rng = random.Random(21)
    enterprise = dossiers.make_enterprise(rng)
    pages = dossiers.component_pages("company_profile", enterprise, rng)[:1] * 3
    service = Service(tmp_path / "svc", rules, workers=1)
    try:
        folder = service.inbox / "Công ty Dừng"
        folder.mkdir()
        dossiers.write_scanned_pdf(folder / "Giới thiệu.pdf", pages, rng)
        pipeline.receive(service.ctx, pipeline.changed_files(service.ctx))
        (sha256,) = service.store.pages.pending_extractions()
        store = service.store.pages

        def kept() -> int:
            return len(store.page_progress(sha256))

        ocr_jobs = []
        read_page = service.ctx.read_page

        def counting(job, *engine):
            ocr_jobs.append(job)
            return read_page(job, *engine)

        service.ctx.read_page = counting
        # SIGTERM arrives once a page is read: the reading stops before the second.
        list(pipeline.extract_pending(service.ctx, store.pending_extractions(), lambda: kept() >= 1))
        assert store.extraction(sha256) is None  # not finished: still pending, never saved as a whole
        assert kept() == 1 and len(ocr_jobs) == 1
        # The restart reads only the pages left and saves the whole file.
        list(pipeline.extract_pending(service.ctx, store.pending_extractions()))
        assert len(ocr_jobs) == 3 and kept() == 0
        resumed = store.extraction(sha256)
        assert [p.number for p in resumed.pages] == [1, 2, 3]
        # The same text as one uninterrupted reading.
        from intake.reading import extract_text

        whole = extract_text(archive_path(service.settings.archive, sha256), ocr=service.ctx.ocr,
                             run=lambda jobs, ocr: [service.ctx.read_page(job, ocr) for job in jobs])
        assert [p.text for p in resumed.pages] == [p.text for p in whole.pages]
    finally:
        service.close()


def test_delivery_starts_no_further_email_once_stopping(tmp_path, rules):
    """A stop during a delivery pass (a slow relay) ends it after the e-mail under way; the rest stay due."""
    from test_mail import Server, settings_for, with_mail, write

    server = Server()
    server.start()
    service = Service(tmp_path / "svc", rules)
    try:
        write(service, "Công ty Một", 31, omit=("environment",))
        write(service, "Công ty Hai", 32)
        with_mail(service, settings_for(server.port))
        summary = pipeline.scan(service.ctx, evaluate_all=True, stopping=lambda: len(server.mailbox.messages) >= 1)
        assert summary.notices == 4
        states = sorted(r["state"] for r in service.store.outbox.notice_listing())
        assert len(server.mailbox.messages) == 1 and states == ["pending", "pending", "pending", "sent"], states
        service.scan()  # the next run sends the rest
        assert len(server.mailbox.messages) == 4
    finally:
        service.close()
        server.stop()
