"""Shared fixtures: the bundled rules, generated dossiers, a ready-to-run service on temporary folders."""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from intake.models import Extraction, Page, ReceivedFile
from intake.judging.rules import load_rules

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
BEFORE_DEADLINE = datetime(2020, 6, 15, 9, 30, tzinfo=TZ)
AFTER_DEADLINE = datetime(2020, 7, 2, 8, 0, tzinfo=TZ)


@pytest.fixture(scope="session")
def rules():
    return load_rules()


@pytest.fixture
def rng():
    return random.Random(20200630)


def text_file(path: str, *pages: str, method: str = "text", confidence: float | None = None) -> ReceivedFile:
    """A received file made of the given page texts (for the pure stages)."""
    return ReceivedFile(
        path=path,
        sha256=f"{abs(hash((path, pages))):064x}"[:64],
        received_at=BEFORE_DEADLINE,
        extraction=Extraction("pdf", tuple(Page(i + 1, t, method, confidence) for i, t in enumerate(pages))),
    )


@pytest.fixture
def make_text_file():
    return text_file


REPO = Path(__file__).resolve().parent.parent


class Service:
    """A service on temporary folders with a replaceable clock, driven like the CLI drives it."""

    def __init__(self, root: Path, rules, now: datetime = BEFORE_DEADLINE, **settings) -> None:
        from intake.reading.ocr import Tesseract
        from intake.pipeline import Context
        from intake.settings import Settings, prepare_folders
        from intake.store import Store

        self.now = now
        self.settings = prepare_folders(
            Settings(**{"inbox": root / "inbox", "data": root / "data", "workers": 2, **settings})
        )
        self.inbox = self.settings.inbox
        self.store = Store(self.settings.database)
        self.ctx = Context(self.settings, rules, self.store, lambda: self.now, Tesseract())

    def scan(self):
        from intake.pipeline import scan

        return scan(self.ctx, evaluate_all=True)

    def report(self) -> dict:
        from intake.desk.report import build_report

        return {d["folder"]: d for d in build_report("gtclqg-2020", self.store.dossiers.all())["dossiers"]}

    def close(self) -> None:
        self.ctx.close()
        self.store.close()


@pytest.fixture
def service(tmp_path, rules):
    svc = Service(tmp_path, rules)
    yield svc
    svc.close()


REQUIRED = ("registration_form", "company_profile", "self_assessment", "quality_system", "product_conformity",
            "environment", "tax_insurance")


def assert_never_complete_with_missing(report: dict) -> None:
    """The invariant of every verdict: complete implies every required component has a document."""
    for dossier in report.values():
        if dossier["status"] == "complete":
            assert set(REQUIRED) <= set(dossier["documents"]), dossier["folder"]
            assert dossier["missing"] == []
