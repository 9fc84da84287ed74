"""The web desk through Flask's test client on a real data folder: sign-in, CSRF, what is reachable, escaping,
decisions (page-range assignment, undo) taking effect, approval of notices, the `intake users` commands."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import dossiers
from conftest import BEFORE_DEADLINE, REPO, Service
from intake.cli import main
from intake.judging.rules import load_rules
from intake.web import accounts
from intake.web.app import apply_now, create_app
from webdesk_data import HOSTILE_FOLDER, write_unrecognised_dossier

PASSWORD = "mat-khau-an-toan"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def leader_rules(tmp: Path):
    """The bundled rules with `notices.approval = "leader"`."""
    text = (REPO / "rules" / "gtclqg-2020.toml").read_text(encoding="utf-8")
    path = tmp / "rules-leader.toml"
    path.write_text(text.replace("[notices]\n", '[notices]\napproval = "leader"\n', 1), encoding="utf-8")
    return load_rules(path)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A data folder with two dossiers (one named with HTML), each with an unrecognised page, judged once."""
    return _desk_folder(tmp_path_factory.mktemp("desk"))


@pytest.fixture
def fresh(tmp_path):
    """The same folder, for a test of its own (the module's folder keeps what earlier tests decided)."""
    return _desk_folder(tmp_path)


def _desk_folder(root: Path):
    rules = leader_rules(root)
    service = Service(root, rules)
    rng = random.Random(15)
    write_unrecognised_dossier(service.inbox / "Cong ty A", rng, scanned=False)
    write_unrecognised_dossier(service.inbox / HOSTILE_FOLDER, rng, scanned=False)
    service.scan()
    for name, role in (("lan", "officer"), ("hung", "leader")):
        accounts.add_user(service.store, name, role, PASSWORD, at=BEFORE_DEADLINE)
    service.close()
    return root, rules


@pytest.fixture
def desk(folder):
    root, rules = folder
    data = root / "data"
    clock = lambda: BEFORE_DEADLINE  # noqa: E731
    app = create_app(data, rules, clock=clock, applier=apply_now(data, rules, clock), testing=True)
    return app


def token(client, path: str = "/dang-nhap") -> str:
    found = _TOKEN.search(client.get(path).text)
    assert found, path
    return found.group(1)


def signed_in(app, name: str = "lan"):
    client = app.test_client()
    response = client.post("/dang-nhap", data={"name": name, "password": PASSWORD, "csrf_token": token(client)})
    assert response.status_code == 303, response.text
    return client


def test_every_url_without_signing_in_answers_303_or_403(desk):
    client = desk.test_client()
    samples = {"dossier_id": "1", "file_id": "1", "number": "1", "notice_id": "1", "assignment_id": "1",
               "filename": "desk.css"}
    urls = []
    for rule in desk.url_map.iter_rules():
        if rule.endpoint in ("sign_in", "static"):
            continue
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: samples[m.group(1)], rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            urls.append((method, url))
    urls += [("GET", "/ho-so/1/tep/../../intake.db"), ("GET", "/../intake.db"), ("GET", "/khong-co"),
             ("GET", "/ho-so/1/tep/1/trang/1/anh")]
    assert len(urls) > 12
    for method, url in urls:
        response = client.open(url, method=method)
        assert response.status_code in (303, 403), (method, url, response.status_code)
        if response.status_code == 303:
            assert response.headers["Location"].startswith("/dang-nhap")
        assert b"GTCLQG-2020" not in response.data


def test_session_cookie_is_httponly_and_samesite_and_signing_in_is_throttled(desk, folder):
    from intake.store import Store
    store = Store(folder[0] / "data" / "intake.db")
    for name in ("thu", "ngoc"):  # accounts of their own: the lock lasts the module's data folder
        accounts.add_user(store, name, "officer", PASSWORD, at=BEFORE_DEADLINE)
    store.close()
    client = desk.test_client()
    response = client.post("/dang-nhap", data={"name": "lan", "password": PASSWORD, "csrf_token": token(client)})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    other = desk.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    for _ in range(accounts.MAX_FAILURES):
        assert other.post("/dang-nhap", data={"name": "thu", "password": "sai-mat-khau",
                                              "csrf_token": token(other)}).status_code == 401
    # The account is throttled now, even for its right password.
    refused = other.post("/dang-nhap", data={"name": "thu", "password": PASSWORD, "csrf_token": token(other)})
    assert refused.status_code == 401 and "thử lại sau 15 phút" in refused.text
    # Audit 19: one person's typos from an office's shared address do not lock the others out …
    colleague = desk.test_client()
    colleague.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert colleague.post("/dang-nhap", data={"name": "ngoc", "password": PASSWORD,
                                              "csrf_token": token(colleague)}).status_code == 303
    # … but many failures from one address, whatever the names, do.
    for n in range(accounts.MAX_CLIENT_FAILURES):
        other.post("/dang-nhap", data={"name": f"doan-mo-{n}", "password": "sai", "csrf_token": token(other)})
    late = desk.test_client()
    late.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    refused = late.post("/dang-nhap", data={"name": "ngoc", "password": PASSWORD, "csrf_token": token(late)})
    assert refused.status_code == 401 and "thử lại sau 15 phút" in refused.text


def test_a_disabled_account_is_told_so_only_with_its_right_password(desk, folder):
    """Audit 19: a disabled officer was told the password was wrong and kept retrying."""
    from intake.store import Store
    store = Store(folder[0] / "data" / "intake.db")
    accounts.add_user(store, "khoa", "officer", PASSWORD, at=BEFORE_DEADLINE)
    accounts.disable_user(store, "khoa", at=BEFORE_DEADLINE)
    store.close()
    client = desk.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.21"
    wrong = client.post("/dang-nhap", data={"name": "khoa", "password": "sai-mat-khau", "csrf_token": token(client)})
    assert wrong.status_code == 401 and "mật khẩu không đúng" in wrong.text and "khóa" not in wrong.text
    refused = client.post("/dang-nhap", data={"name": "khoa", "password": PASSWORD, "csrf_token": token(client)})
    assert refused.status_code == 401 and "Tài khoản này đã bị khóa" in refused.text
    assert client.get("/").status_code == 303  # still not signed in


def test_signing_out_ends_the_session_on_the_server(desk):
    """Audit 19: after "Đăng xuất" the old cookie still opened dossiers (a signed cookie, nothing kept server-side);
    an expired or ended session is told so, not "no right to do this"."""
    client = signed_in(desk)
    stolen = client.get_cookie("intake_desk").value
    assert client.get("/ho-so/1").status_code == 200
    client.post("/dang-xuat", data={"csrf_token": token(client, "/")})
    thief = desk.test_client()
    thief.set_cookie("intake_desk", stolen)
    response = thief.get("/ho-so/1")
    assert response.status_code == 303 and response.headers["Location"].startswith("/dang-nhap")
    assert "Phiên đăng nhập đã hết hạn" in thief.get(response.headers["Location"]).text


def test_an_action_without_its_csrf_token_is_refused(desk, folder):
    client = signed_in(desk)
    response = client.post("/ho-so/1/quyet-dinh", data={"component": "tax_insurance", "decision": "accept",
                                                        "note": "không có mã"})
    assert response.status_code == 403
    response = client.post("/ho-so/1/quyet-dinh", data={"component": "tax_insurance", "decision": "accept",
                                                        "note": "mã sai", "csrf_token": "x" + token(client, "/")})
    assert response.status_code == 403
    page = client.get("/ho-so/1").text
    assert "Cán bộ chấp nhận" not in page
    # Signing in needs its token too (no login CSRF).
    assert desk.test_client().post("/dang-nhap", data={"name": "lan", "password": PASSWORD}).status_code == 403


def test_files_are_served_by_id_of_their_own_dossier_only(desk, folder):
    root, _ = folder
    client = signed_in(desk)
    page = client.get("/ho-so/1").text
    own = sorted({int(i) for i in re.findall(r"/ho-so/1/tep/(\d+)\"", page)})
    other = sorted({int(i) for i in re.findall(r"/ho-so/2/tep/(\d+)\"", client.get("/ho-so/2").text)})
    assert own and other and not set(own) & set(other)
    with client.get(f"/ho-so/1/tep/{own[0]}") as response:
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
        assert "attachment" in response.headers["Content-Disposition"]
    for url in [f"/ho-so/1/tep/{other[0]}", f"/ho-so/1/tep/{other[0]}/trang/1", f"/ho-so/1/tep/{other[0]}/trang/1/anh",
                "/ho-so/1/tep/..%2F..%2Fintake.db", "/ho-so/1/tep/../../intake.db", "/ho-so/1/../../intake.db",
                "/static/../intake.db", "/static/..%2F..%2Fdesk.py", "/ho-so/1/tep/-1", "/ho-so/1/tep/999999"]:
        with client.get(url) as response:
            assert response.status_code in (400, 404), url
            assert b"SQLite format" not in response.data and b"%PDF" not in response.data


def test_names_from_the_share_are_shown_as_text(desk):
    client = signed_in(desk)
    for url in ("/", "/ho-so/2", "/thong-bao"):
        text = client.get(url).text
        assert "<img src=x" not in text and "<b>Đậm" not in text, url
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;Đậm" in client.get("/ho-so/2").text


def test_queue_filters_and_search(desk):
    client = signed_in(desk)
    everything = client.get("/").text
    assert "GTCLQG-2020-0001" in everything and "GTCLQG-2020-0002" in everything
    assert "Còn <strong id=\"days-left\">15</strong> ngày" in everything
    only = client.get("/", query_string={"q": "0001"}).text
    assert "GTCLQG-2020-0001" in only and "GTCLQG-2020-0002" not in only
    assert "GTCLQG-2020-0001" not in client.get("/", query_string={"loc": "complete"}).text
    assert "GTCLQG-2020-0002" in client.get("/", query_string={"loc": ["incomplete"]}).text
    # No invitation list imported: nobody is "not on it" (audit 23: every row was flagged so).
    assert "GTCLQG-2020-0002" not in client.get("/", query_string={"loc": ["incomplete", "uninvited"]}).text


def test_page_viewer_shows_the_image_and_the_text_with_years_marked(desk):
    client = signed_in(desk)
    page = client.get("/ho-so/1").text
    file_id = re.search(r'/ho-so/1/tep/(\d+)/trang/1" class="page-link unassigned"', page).group(1)
    viewer = client.get(f"/ho-so/1/tep/{file_id}/trang/2").text
    assert "chưa nhận biết là thành phần nào" in viewer
    image = client.get(f"/ho-so/1/tep/{file_id}/trang/2/anh")
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG")


def test_assigning_a_page_range_completes_the_dossier_waits_for_approval_and_undo_reverts(desk, folder):
    officer = signed_in(desk)
    page = officer.get("/ho-so/1").text
    assert 'id="status">Chưa đầy đủ' in page
    file_id = re.search(r'<option value="(\d+)">Phu luc.pdf', page).group(1)
    response = officer.post("/ho-so/1/gan-trang", data={
        "file": file_id, "first": "2", "last": "2", "component": "tax_insurance",
        "note": "Trang 2 là xác nhận thuế, BHXH", "csrf_token": token(officer, "/ho-so/1")})
    assert response.status_code == 303
    page = officer.get("/ho-so/1").text
    assert 'id="status">Đầy đủ' in page
    assert "Phu luc.pdf, trang 2" in page and "Đã áp dụng" in page
    assert "Chờ lãnh đạo duyệt" in page and "Duyệt và gửi" not in page  # an officer cannot approve
    viewer = officer.get(f"/ho-so/1/tep/{file_id}/trang/2").text
    assert '<mark class="year">2019</mark>' in viewer and "Xác nhận kết quả thực hiện nghĩa vụ thuế" in viewer
    notice = int(re.search(r'id="notice-(\d+)" class="notice awaiting_approval">\s*<td>(?:<a [^>]*>)?[^<]*(?:</a>)?</td>'
                           r'<td>Giấy tiếp nhận hồ sơ và hẹn trả kết quả', page).group(1))
    assert officer.post(f"/thong-bao/{notice}/duyet",
                        data={"csrf_token": token(officer, "/ho-so/1")}).status_code == 403
    # The request the receipt replaced says so at once (audit 19: it counted as waiting for the leader).
    from intake.store import Store
    store = Store(folder[0] / "data" / "intake.db")
    states = {n["kind"]: n["state"] for n in store.outbox.all(1)}
    store.close()
    assert states["deficiency"] == "superseded" and states["receipt"] == "awaiting_approval"

    leader = signed_in(desk, "hung")
    assert leader.post(f"/thong-bao/{notice}/duyet",
                       data={"csrf_token": token(leader, "/thong-bao")}).status_code == 303
    page = leader.get("/ho-so/1").text
    assert f'id="notice-{notice}" class="notice written"' in page  # no SMTP configured here: written, never "sent"
    # The register says so at once (audit 19: it said "chờ lãnh đạo duyệt" until a later pass).
    import openpyxl
    book = openpyxl.load_workbook(folder[0] / "data" / "reports" / "so-theo-doi-ho-so.xlsx")
    detail = book.worksheets[1]
    # The page range an officer assigned is in the decisions' sheet, with its hour (audit 23).
    trail = [row for row in book.worksheets[3].iter_rows(values_only=True) if "GTCLQG-2020-0001" in row]
    assert any("Gán trang 2 của «Phu luc.pdf»" in row for row in trail), trail
    assert book.worksheets[3].cell(row=4, column=7).number_format == "dd/mm/yy hh:mm"
    cells = " ".join(str(c) for row in detail.iter_rows(values_only=True) if "GTCLQG-2020-0001" in row
                     for c in row if c)
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in cells and "chờ lãnh đạo duyệt" not in cells

    assignment = re.search(r"/ho-so/1/gan-trang/(\d+)/huy", page).group(1)
    officer.post(f"/ho-so/1/gan-trang/{assignment}/huy",
                 data={"note": "nhầm", "csrf_token": token(officer, "/ho-so/1")})
    page = officer.get("/ho-so/1").text
    assert 'id="status">Chưa đầy đủ' in page and "Đã hủy bởi lan" in page
    audit = re.findall(r'data-action="(\w+)">[^<]*· lan ·', page)
    assert {"assignment", "assignment_undone"} <= set(audit)

    # Audit 23: a superseded request is never queued again; "Duyệt tất cả" approves only what the page listed.
    superseded = next(n["id"] for n in Store(folder[0] / "data" / "intake.db").outbox.all(1)
                      if n["state"] == "superseded")
    officer.post(f"/thong-bao/{superseded}/gui-lai", data={"csrf_token": token(officer, "/ho-so/1")})
    assert "đã được thay thế bằng thông báo mới hơn" in officer.get("/ho-so/1").text
    store = Store(folder[0] / "data" / "intake.db")
    assert store.outbox.get(superseded)["state"] == "superseded"
    waiting = [n["id"] for n in store.outbox.all(1) if n["state"] == "awaiting_approval"]
    store.close()
    assert waiting and f'name="notice" value="{waiting[0]}"' in leader.get("/thong-bao").text
    leader.post("/thong-bao/duyet-tat-ca", data={"csrf_token": token(leader, "/thong-bao")})  # listed nothing
    listed = leader.get("/thong-bao").text
    assert re.search(r"Đã duyệt 0 thông báo. Có \d+ thông báo mới lập đang chờ duyệt", listed), listed[:2500]
    leader.post("/thong-bao/duyet-tat-ca", data={"notice": waiting, "csrf_token": token(leader, "/thong-bao")})
    assert "Đã duyệt 1 thông báo." in leader.get("/thong-bao").text


def test_users_commands(tmp_path, folder):
    root, _ = folder
    data = str(root / "data")
    runner = CliRunner()
    result = runner.invoke(main, ["users", "add", "mai", "--role", "leader", "--password-stdin", "--data", data],
                           input="mot-mat-khau-dai\n")
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["users", "add", "mai", "--role", "officer", "--password-stdin", "--data", data],
                         input="mot-mat-khau-dai\n").exit_code == 2
    assert runner.invoke(main, ["users", "add", "ngan", "--role", "officer", "--password-stdin", "--data", data],
                         input="ngan\n").exit_code == 2
    listed = runner.invoke(main, ["users", "list", "--data", data]).output
    assert re.search(r"mai\s+leader\s+active", listed)
    assert runner.invoke(main, ["users", "disable", "mai", "--data", data]).exit_code == 0
    assert re.search(r"mai\s+leader\s+disabled", runner.invoke(main, ["users", "list", "--data", data]).output)
    assert runner.invoke(main, ["users", "disable", "mai", "--data", data]).exit_code == 7
    stored = (root / "data" / "intake.db").read_bytes()
    assert b"mot-mat-khau-dai" not in stored and b"$argon2id$" in stored


def test_search_results_link_to_the_page_in_the_viewer_with_the_words_marked(desk):
    client = signed_in(desk)
    results = client.get("/tim-kiem", query_string={"q": "bao hiem xa hoi 2018"}).text
    links = re.findall(r'href="(/ho-so/\d+/tep/\d+/trang/\d+\?q=[^"]+)"', results)
    assert links, results[-2000:]
    viewer = client.get(links[0].replace("&amp;", "&")).text
    assert '<mark class="word">2018</mark>' in viewer or '<mark class="year">2018</mark>' in viewer
    assert re.search(r'<mark class="word">bảo</mark>', viewer, re.I)
    assert re.search(r'<mark class="word">xã</mark>', viewer, re.I)
    assert client.get("/tim-kiem", query_string={"q": '"<script>" NOT *'}).status_code == 200


def test_notices_and_the_register_open_from_the_desk_and_a_stale_decision_is_not_applied(desk, folder):
    """Audit 19: a leader approved notices without being able to read them; the register was only in the data
    folder; a colleague's newer decision was silently replaced from a page opened before it."""
    leader = signed_in(desk, "hung")
    listing = leader.get("/thong-bao").text
    links = re.findall(r'href="(/thong-bao/\d+/tep)"', listing)
    assert links
    assert not re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", listing)  # times as officers write them, not ISO
    assert re.search(r"<td>\d\d/\d\d/\d{4} \d\d:\d\d</td>", listing)
    # Dossiers named by their enterprise, as the queue names them, not by folder (audit 23).
    from intake.desk import collect
    from intake.store import Store
    store = Store(folder[0] / "data" / "intake.db")
    named = {d.folder: d.contact.enterprise for d in collect(store, folder[1], BEFORE_DEADLINE).dossiers}
    store.close()
    assert named["Cong ty A"] != "Cong ty A" and named["Cong ty A"] in listing and " Cong ty A<" not in listing
    with leader.get(links[0]) as document:
        assert document.status_code == 200 and document.data[:2] == b"PK"
        assert "attachment" in document.headers["Content-Disposition"]
    assert leader.get("/thong-bao/99999/tep").status_code == 404
    with leader.get("/so-theo-doi-ho-so.xlsx") as register:
        assert register.status_code == 200 and register.data[:2] == b"PK"
    assert 'href="/so-theo-doi-ho-so.xlsx"' in leader.get("/").text

    lan, binh = signed_in(desk), signed_in(desk, "hung")
    page = lan.get("/ho-so/2").text
    assert '<option value="" selected disabled>' in page  # no decision chosen for the officer
    seen = re.search(r'name="component" value="quality_system">\s*<input type="hidden" name="seen" value="(\d+)"',
                     page).group(1)
    form = {"component": "quality_system", "seen": seen, "csrf_token": token(lan, "/ho-so/2")}
    assert lan.post("/ho-so/2/quyet-dinh", data={**form, "decision": "reject", "note": "Hết hạn"}).status_code == 303
    stale = binh.post("/ho-so/2/quyet-dinh", data={**form, "decision": "accept", "note": "Còn hạn",
                                                   "csrf_token": token(binh, "/ho-so/2")})
    assert stale.status_code == 303 and stale.headers["Location"].endswith("#component-quality_system")  # not the top
    shown = binh.get("/ho-so/2").text
    assert "vừa có quyết định khác của lan" in shown and "quyết định của bạn chưa được ghi" in shown
    assert "Không chấp nhận — lan: Hết hạn" in shown
    assert re.search(r"· lan · [^<]*<small>«[^»]+»: không chấp nhận \(quyết định số \d+\)</small>",
                     shown)
    fresh = re.search(r'name="component" value="quality_system">\s*<input type="hidden" name="seen" value="(\d+)"',
                      shown).group(1)
    assert binh.post("/ho-so/2/quyet-dinh", data={**form, "seen": fresh, "decision": "undo", "note": "Trả lại",
                                                  "csrf_token": token(binh, "/ho-so/2")}).status_code == 303
    assert lan.post("/ho-so/2/quyet-dinh", data={"component": "quality_system", "note": "Chưa chọn",
                                                 "csrf_token": token(lan, "/ho-so/2")}).status_code == 303
    assert "Cần chọn quyết định" in lan.get("/ho-so/2").text


def test_a_cover_letter_and_a_second_dossier_of_the_enterprise_are_shown_for_what_they_are(tmp_path):
    """Audit 19: the cover letter ("Công văn gửi hồ sơ") was listed under "Trang và tệp chưa nhận biết được", and
    its page said "chưa nhận biết là thành phần nào"; a second dossier of the same enterprise was flagged in the
    reports but not on the desk."""
    from dossiers import make_enterprise, write_dossier
    rules = load_rules(REPO / "rules" / "gtclqg-2020.toml")
    service = Service(tmp_path, rules)
    rng = random.Random(19)
    enterprise = make_enterprise(rng)
    written = write_dossier(service.inbox / "Cong ty C", enterprise, rng, formats={"*": "pdf"})
    write_dossier(service.inbox / "Cong ty C (gui lai)", enterprise, rng, formats={"*": "pdf"})
    service.scan()
    accounts.add_user(service.store, "lan", "officer", PASSWORD, at=BEFORE_DEADLINE)
    service.close()
    data = tmp_path / "data"
    clock = lambda: BEFORE_DEADLINE  # noqa: E731
    client = signed_in(create_app(data, rules, clock=clock, applier=apply_now(data, rules, clock), testing=True))
    page = client.get("/ho-so/1").text
    covers = page.split('<section id="cover-letters">')[1].split("</section>")[0]
    unrecognised = page.split('<section id="unrecognised">')[1].split("<h3")[0]
    assert written["cover_letter"] in covers and written["cover_letter"] not in unrecognised
    link = re.search(r'href="(/ho-so/1/tep/\d+/trang/1)">' + re.escape(written["cover_letter"]), covers).group(1)
    assert "công văn gửi hồ sơ hoặc danh mục tài liệu" in client.get(link).text
    assert "Có thể trùng doanh nghiệp: cùng mã số thuế với hồ sơ" in page


def test_a_leader_closes_intake_on_the_desk_and_officers_download_the_council_list(fresh):
    """Audit 19: closing intake, and the council's list, were only in the data folder through `intake close`."""
    import io
    import openpyxl

    from conftest import AFTER_DEADLINE
    root, rules = fresh
    data = root / "data"
    early = create_app(data, rules, clock=lambda: BEFORE_DEADLINE, testing=True)
    leader = signed_in(early, "hung")
    leader.post("/ket-thuc-tiep-nhan", data={"xac_nhan": "1", "csrf_token": token(leader, "/")})
    assert "Chỉ kết thúc tiếp nhận được sau hạn nhận hồ sơ (23:59 ngày 30/06/2020)" in leader.get("/").text
    assert not (data / "reports" / "danh-sach-chuyen-hoi-dong.xlsx").exists()

    app = create_app(data, rules, clock=lambda: AFTER_DEADLINE, testing=True)
    officer = signed_in(app, "lan")
    queue = officer.get("/").text
    assert "Lãnh đạo kết thúc tiếp nhận" in queue and "/ket-thuc-tiep-nhan" not in queue
    assert officer.post("/ket-thuc-tiep-nhan", data={"csrf_token": token(officer, "/")}).status_code == 403
    early_list = officer.get("/danh-sach-chuyen-hoi-dong.xlsx")
    assert early_list.status_code == 303 and "Chưa kết thúc tiếp nhận hồ sơ" in officer.get("/").text

    leader = signed_in(app, "hung")
    assert 'action="/ket-thuc-tiep-nhan"' in leader.get("/").text
    response = leader.post("/ket-thuc-tiep-nhan", data={"xac_nhan": "1", "csrf_token": token(leader, "/")})
    assert response.status_code == 303
    queue = leader.get("/").text
    assert re.search(r"Đã kết thúc tiếp nhận lúc \d\d:\d\d ngày \d\d/\d\d/2020: 0/2 hồ sơ chuyển Hội đồng sơ tuyển",
                     queue), queue[:3000]
    assert "/ket-thuc-tiep-nhan" not in queue and "Danh sách chuyển Hội đồng sơ tuyển (Excel)" in queue
    listed = officer.get("/danh-sach-chuyen-hoi-dong.xlsx")
    assert listed.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(listed.data))
    assert len(book.sheetnames) >= 2
    # The same files `intake close` writes, and the register says so at once.
    assert (data / "reports" / "danh-sach-chuyen-hoi-dong.json").is_file()
    assert listed.data == (data / "reports" / "danh-sach-chuyen-hoi-dong.xlsx").read_bytes()
    listed.close()


def test_a_receipt_replaced_before_the_leader_approved_it_is_written_again(fresh):
    """Audit 23: Mẫu 01 waiting for approval, superseded when an undo made the dossier incomplete; complete again,
    the enterprise got "hồ sơ đã đầy đủ" and never the receipt with its appointment."""
    from intake.store import Store
    root, rules = fresh
    data = root / "data"
    clock = lambda: BEFORE_DEADLINE  # noqa: E731
    app = create_app(data, rules, clock=clock, applier=apply_now(data, rules, clock), testing=True)
    officer = signed_in(app)
    page = officer.get("/ho-so/2").text
    file_id = re.search(r'<option value="(\d+)">Phu luc.pdf', page).group(1)

    def assign() -> None:
        officer.post("/ho-so/2/gan-trang", data={"file": file_id, "first": "2", "last": "2",
                                                 "component": "tax_insurance", "note": "xác nhận thuế",
                                                 "csrf_token": token(officer, "/ho-so/2")})

    def kinds() -> list[tuple[str, str]]:
        store = Store(data / "intake.db")
        try:
            return [(n["kind"], n["state"]) for n in store.outbox.all(2)]
        finally:
            store.close()

    assign()
    assert kinds()[-1] == ("receipt", "awaiting_approval")
    undo = re.search(r"/ho-so/2/gan-trang/(\d+)/huy", officer.get("/ho-so/2").text).group(1)
    officer.post(f"/ho-so/2/gan-trang/{undo}/huy", data={"note": "nhầm", "csrf_token": token(officer, "/ho-so/2")})
    assert kinds()[-2:] == [("receipt", "superseded"), ("deficiency", "awaiting_approval")]
    assign()
    assert kinds()[-1] == ("receipt", "awaiting_approval")  # Mẫu 01 again, not the letter that it is complete


def test_the_same_decision_sent_again_is_not_recorded_twice(fresh):
    """Audit 23: Back after a decision, then "Ghi" again, replaced the decision by an identical one (two lines in the
    register's audit sheet, the first shown as undone)."""
    from intake.store import Store
    root, rules = fresh
    data = root / "data"
    clock = lambda: BEFORE_DEADLINE  # noqa: E731
    app = create_app(data, rules, clock=clock, applier=apply_now(data, rules, clock), testing=True)
    officer = signed_in(app)
    form = {"component": "environment", "decision": "reject", "note": "bản chụp không rõ năm"}
    for _ in range(2):
        officer.post("/ho-so/2/quyet-dinh", data={**form, "csrf_token": token(officer, "/ho-so/2")})
    page = officer.get("/ho-so/2").text
    assert "Quyết định này đã được ghi trước đó" in page
    store = Store(data / "intake.db")
    try:
        assert len(store.decisions.overrides(2)) == 1
    finally:
        store.close()
    assert re.search(r"«[^»]+»: không chấp nhận \(quyết định số 1\)", page)  # the trail names the decision, not a
    # component by a number


def test_a_word_page_says_it_has_no_image_instead_of_a_broken_one(fresh):
    """Audit 23: a Word file's page showed a broken image (its picture answers 404) and "lớp văn bản"."""
    import dossiers
    root, rules = fresh
    service = Service(root, rules)
    try:
        rng = random.Random(23)
        dossiers.write_docx(service.inbox / "Cong ty A" / "Bo sung.docx",
                            dossiers.component_pages("other_evidence", dossiers.make_enterprise(rng), rng))
        service.scan()
    finally:
        service.close()
    data = root / "data"
    app = create_app(data, rules, clock=lambda: BEFORE_DEADLINE, testing=True)
    officer = signed_in(app)
    file_id = re.search(r'/ho-so/1/tep/(\d+)/trang/1"[^>]*>[^<]*Bo sung.docx', officer.get("/ho-so/1").text)
    assert file_id, "the Word file is listed with its pages"
    viewer = officer.get(f"/ho-so/1/tep/{file_id.group(1)}/trang/1").text
    assert "Tệp Word không có ảnh trang" in viewer and 'id="page-image"' not in viewer
    assert "Cách đọc: chữ trong tệp Word" in viewer


def test_a_malformed_request_gets_a_vietnamese_page_and_sign_in_keeps_a_clean_return_path(desk):
    client = signed_in(desk)
    bad = client.post("/ho-so/1/gan-trang", data={"file": "abc", "first": "x", "csrf_token": token(client, "/ho-so/1")})
    assert bad.status_code == 400 and "Yêu cầu không hợp lệ" in bad.text and "Bad Request" not in bad.text
    assert client.get("/dang-xuat").status_code == 405 and "Yêu cầu không hợp lệ" in client.get("/dang-xuat").text
    assert "Thông báo" in client.get("/thong-bao").text
    anonymous = desk.test_client().get("/ho-so/1")
    assert anonymous.headers["Location"].endswith("next=/ho-so/1")  # no stray "?" (audit 23)


def test_page_ranges_and_founding_dates_as_officers_write_them():
    """Audit 23: "…Que Vo.pdf#p8", "Ngày thành lập 2011-08-08"."""
    from intake.web.views import field_value, file_and_pages
    assert file_and_pages("Ho so.pdf#p4-5") == "Ho so.pdf, trang 4–5"
    assert file_and_pages("Ho so.pdf#p8") == "Ho so.pdf, trang 8" and file_and_pages("Don.pdf") == "Don.pdf"
    assert field_value("founded", "2011-08-08") == "08/08/2011" and field_value("founded", "2005-03") == "03/2005"
    assert field_value("founded", "1976") == "1976" and field_value("phone", "0204-3854-123") == "0204-3854-123"


def test_a_notice_approved_days_later_is_dated_the_day_of_its_approval(fresh):
    """Audit 23: a request made on 15/6 and approved on 17/6 still read "ngày 15 tháng 6" and gave five working days
    from the 15th: the enterprise, which got it on the 17th, had two days fewer to supplement."""
    from datetime import timedelta

    import docx

    from intake.store import Store
    root, rules = fresh
    data = root / "data"
    later = BEFORE_DEADLINE + timedelta(days=2)  # Wednesday 17 June 2020
    clock = lambda: later  # noqa: E731
    app = create_app(data, rules, clock=clock, applier=apply_now(data, rules, clock), testing=True)
    store = Store(data / "intake.db")
    (request,) = [n for n in store.outbox.all(1) if n["kind"] == "deficiency"]
    store.close()
    assert request["state"] == "awaiting_approval" and request["created_at"].startswith("2020-06-15")
    leader = signed_in(app, "hung")
    leader.post(f"/thong-bao/{request['id']}/duyet", data={"csrf_token": token(leader, "/thong-bao")})
    assert "văn bản đã được lập lại theo ngày duyệt" in leader.get("/thong-bao").text
    store = Store(data / "intake.db")
    approved = store.outbox.get(request["id"])
    store.close()
    assert approved["state"] == "written" and approved["created_at"].startswith("2020-06-17")
    document = docx.Document(data / "outbox" / approved["path"])
    text = "\n".join([p.text for p in document.paragraphs] + [cell.text for table in document.tables
                                                               for row in table.rows for cell in row.cells])
    assert "ngày 17 tháng 6 năm 2020" in text and "ngày 15 tháng 6 năm 2020" not in text
    assert "chậm nhất ngày 24 tháng 6 năm 2020" in text  # five working days from Wednesday the 17th
    assert "24/06/2020" in leader.get("/").text  # the queue counts from the approval too


def test_a_criterion_points_to_the_page_where_something_is_written_under_its_heading(tmp_path):
    """Audit 40: the desk pointed each criterion at the first page naming it, the score table's; it points at the
    page where its heading has text under it, and a criterion with only "(Đang cập nhật)" is shown missing."""
    rules = load_rules()
    service = Service(tmp_path, rules)
    rng = random.Random(40)
    folder = service.inbox / "Cong ty B"
    dossiers.write_dossier(folder, dossiers.make_enterprise(rng), rng, formats={"*": "pdf"}, omit=("self_assessment",))
    names = ["VAI TRÒ CỦA LÃNH ĐẠO", "CHIẾN LƯỢC HOẠT ĐỘNG", "CHÍNH SÁCH ĐỊNH HƯỚNG VÀO KHÁCH HÀNG VÀ THỊ TRƯỜNG",
             "ĐO LƯỜNG, PHÂN TÍCH VÀ QUẢN LÝ TRI THỨC", "QUẢN LÝ NGUỒN NHÂN LỰC", "QUẢN LÝ QUÁ TRÌNH HOẠT ĐỘNG",
             "KẾT QUẢ HOẠT ĐỘNG"]
    scores = ["TỔNG HỢP ĐIỂM TỰ ĐÁNH GIÁ", *(f"{n + 1} {name.capitalize()} 85 50" for n, name in enumerate(names))]
    body = "Công ty đã triển khai có hệ thống, kết quả được theo dõi hằng tháng và cải tiến khi cần."
    sections = [[f"{roman}. {name}", "(Đang cập nhật)" if roman == "IV" else body]
                for roman, name in zip(("I", "II", "III", "IV", "V", "VI", "VII"), names)]
    dossiers.write_digital_pdf(folder / "Bao cao tu danh gia.pdf", [
        ["BÁO CÁO TỰ ĐÁNH GIÁ THEO 7 TIÊU CHÍ GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA"], scores,
        sections[0] + sections[1], sections[2] + sections[3], sections[4] + sections[5] + sections[6]])
    service.scan()
    accounts.add_user(service.store, "lan", "officer", PASSWORD, at=BEFORE_DEADLINE)
    service.close()
    data = tmp_path / "data"
    app = create_app(data, rules, clock=lambda: BEFORE_DEADLINE, testing=True)
    page = signed_in(app).get("/ho-so/1").text
    assert "✓ Tiêu chí 1: vai trò của lãnh đạo <small>(Bao cao tu danh gia.pdf, trang 3)</small>" in page
    assert "✓ Tiêu chí 7: kết quả hoạt động <small>(Bao cao tu danh gia.pdf, trang 5)</small>" in page
    assert "✗ Tiêu chí 4: đo lường, phân tích và quản lý tri thức" in page
