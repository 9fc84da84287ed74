"""Search across every dossier's text: diacritic-insensitive (đ too), snippets, every file version, the CLI."""

from __future__ import annotations

import json
import random

import dossiers
import pytest
from click.testing import CliRunner

from intake.cli import main
from intake.errors import ExitCode
from intake.desk.search import CLOSE, OPEN, fold_d, match_expression, search, snippet
from intake.store import Store


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write(service, folder: str, seed: int, **kwargs) -> dict[str, str]:
    rng = random.Random(seed)
    return dossiers.write_dossier(service.inbox / folder, dossiers.make_enterprise(rng), rng, **kwargs)


def test_match_expression_quotes_every_word():
    assert match_expression("quan trắc 2018") == '"quan" "trắc" "2018"'
    assert match_expression("Đăng ký") == '"Dăng" "ký"'
    assert match_expression('NOT "x" OR (y*)') == '"x" "NOT" "OR" "y"'
    assert match_expression("  ... ") == ""
    # Words in quotes are a phrase (audit 23: "hợp quy" found pages with "tổng hợp" and "quy" apart).
    assert match_expression('"hợp quy" 2019') == '"hợp quy" "2019"'
    assert match_expression('“quan trắc” "NOT (x"') == '"quan trắc" "NOT x"'


def test_snippet_keeps_diacritics_and_marks_matches():
    text = "Trang 2\nKết quả QUAN TRẮC môi trường định kỳ NĂM 2018: đạt quy chuẩn kỹ thuật."
    marked = fold_d(text)
    for word in ("QUAN", "TRẮC", "2018"):
        marked = marked.replace(word, OPEN + word + CLOSE, 1)
    assert snippet(text, marked) == "Trang 2 Kết quả «QUAN TRẮC» môi trường định kỳ NĂM «2018»: đạt quy chuẩn kỹ thuật."
    before, after = "mở đầu " * 40, " kết thúc" * 60
    cut = snippet(before + text + after, fold_d(before) + marked + fold_d(after), context=30)
    assert cut.startswith("… ") and cut.endswith(" …") and "«QUAN TRẮC»" in cut and len(cut) < 200


@pytest.fixture
def searchable(service):
    write(service, "Công ty Môi trường", 31, formats={"*": "pdf"})
    write(service, "Công ty Đông Á", 32, formats={"*": "docx"}, env_years=(2017, 2019))
    service.scan()
    return service


def test_quan_trac_2018_with_or_without_diacritics(searchable):
    store = searchable.store
    for query in ("quan trắc 2018", "quan trac 2018", "QUAN TRẮC NĂM 2018", "Quan Trac nam 2018"):
        hits = search(store, query)
        assert {h.folder for h in hits} == {"Công ty Môi trường"}, query
        environment = [h for h in hits if "2018" in h.snippet]
        assert environment and all("«" in h.snippet for h in hits), (query, hits)
        assert any("quan trắc" in h.snippet.lower() for h in hits)  # the snippet keeps the diacritics
    assert search(store, '"2018 trắc quan"') == []  # a phrase is its words together, in order
    assert {h.folder for h in search(store, '"quan trắc" 2018')} == {"Công ty Môi trường"}
    plain = {(h.folder, h.file, h.page) for h in search(store, "quan trac")}
    assert {folder for folder, _, _ in plain} == {"Công ty Môi trường", "Công ty Đông Á"}


def test_d_with_stroke_is_folded_both_ways(searchable):
    store = searchable.store
    with_stroke = {(h.folder, h.file, h.page) for h in search(store, "đăng ký tham dự")}
    without = {(h.folder, h.file, h.page) for h in search(store, "dang ky tham du")}
    assert with_stroke == without and len({folder for folder, _, _ in with_stroke}) == 2
    assert any("ĐĂNG KÝ" in h.snippet or "đăng ký" in h.snippet for h in search(store, "dang ky"))


def test_every_file_version_holding_the_bytes_is_found(service):
    written = write(service, "Công ty Bản sao", 33, formats={"*": "pdf"})
    folder = service.inbox / "Công ty Bản sao"
    environment = folder / written["environment"]
    (folder / "ban sao moi truong.pdf").write_bytes(environment.read_bytes())
    service.scan()
    files = {h.file for h in search(service.store, "quan trac 2018")}
    assert files == {written["environment"], "ban sao moi truong.pdf"}
    # Replaced by other bytes: the old version is still found, and said to be replaced.
    environment.write_bytes(b"%PDF-1.4 broken")
    service.scan()
    hits = [h for h in search(service.store, "quan trac 2018") if h.file == written["environment"]]
    assert [h.current for h in hits] == [False]


def test_the_index_is_built_for_a_database_that_had_none(searchable):
    path = searchable.store.path
    searchable.store.db.execute("DROP TABLE page_search")
    again = Store(path)
    try:
        assert {h.folder for h in search(again, "quan trắc 2018")} == {"Công ty Môi trường"}
    finally:
        again.close()


def test_search_through_the_cli(searchable, tmp_path):
    data = str(searchable.settings.data)
    result = run("search", "quan trắc 2018", "--data", data)
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("GTCLQG-2020-0001  Công ty Môi trường  ") and " page " in first
    assert "«" in result.output
    words = run("search", "quan", "trac", "2018", "--data", data, "--format", "json")
    assert words.exit_code == 0
    hits = json.loads(words.output)
    assert hits and {h["receipt_no"] for h in hits} == {"GTCLQG-2020-0001"}
    assert set(hits[0]) == {"receipt_no", "folder", "file", "page", "current", "snippet"}
    none = run("search", "không có chữ này đâu", "--data", data)
    assert none.exit_code == 0 and "no page matches" in none.output
    assert run("search", "?!", "--data", data).exit_code == ExitCode.usage
    assert run("search", "--data", data).exit_code == ExitCode.usage
    assert run("search", "x", "--data", str(tmp_path / "nowhere")).exit_code == ExitCode.not_found
