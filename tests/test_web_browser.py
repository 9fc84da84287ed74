"""The web desk driven in a real browser (Debian chromium through Selenium and chromedriver) against a real watcher
process, real Tesseract and a real SMTP server: sign in, filter the queue, open a scanned page, assign it, approve
the notice as a leader, see it e-mailed, undo. Screenshots go to `<tmp>/screens/` (WEBDESK_SCREENS overrides)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO
from test_mail import Server
from webdesk_data import write_unrecognised_dossier

pytestmark = pytest.mark.slow

PASSWORD = "mat-khau-an-toan"
INTAKE = [sys.executable, "-m", "intake.cli"]


def wait_for(condition: Callable[[], object], timeout: float, what: str, step: float = 0.3) -> object:
    """Poll `condition` until it is truthy (bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def campaign_rules(tmp: Path) -> Path:
    """The bundled rules with a deadline still to come (the watcher runs on today's clock) and leader approval."""
    text = (REPO / "rules" / "gtclqg-2020.toml").read_text(encoding="utf-8")
    text = text.replace('deadline = "2020-06-30T23:59:59"', 'deadline = "2099-06-30T23:59:59"', 1)
    text = text.replace("[notices]\n", '[notices]\napproval = "leader"\n', 1)
    path = tmp / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def browser(profile: Path):
    if shutil.which("chromium") is None or not Path("/usr/bin/chromedriver").exists():
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver are not installed in CI (scripts/setup test installs them)")
        pytest.skip("chromium-driver is not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as ChromeService

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                 f"--user-data-dir={profile}", "--window-size=1400,1000", "--lang=vi"):
        options.add_argument(flag)
    # The driver is Debian's: Selenium Manager is never asked to download one.
    return webdriver.Chrome(service=ChromeService(executable_path="/usr/bin/chromedriver"), options=options)


def shot(driver, path: Path, element_id: str) -> None:
    """A screenshot with the element at the top of the window."""
    driver.execute_script("document.getElementById(arguments[0]).scrollIntoView()", element_id)
    driver.save_screenshot(str(path))


class Processes:
    """Child processes started by the test, stopped at the end whatever happens."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.children: list[subprocess.Popen] = []
        self.handles: list = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        handle = (self.logs / f"{name}.log").open("wb")
        self.handles.append(handle)
        child = subprocess.Popen(args, stdout=handle, stderr=subprocess.STDOUT, env=env, cwd=self.logs)
        self.children.append(child)
        return child

    def stop(self) -> None:
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in self.children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=10)
        for handle in self.handles:
            handle.close()


def test_officer_and_leader_work_a_dossier_in_the_browser(tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    screens = Path(os.environ.get("WEBDESK_SCREENS", tmp_path / "screens"))
    screens.mkdir(parents=True, exist_ok=True)
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    rules = campaign_rules(tmp_path)
    rng = random.Random(1515)
    write_unrecognised_dossier(inbox / "Cong ty Sao Mai", rng, scanned=True)
    write_unrecognised_dossier(inbox / "Cong ty Hong Ha", rng, scanned=False)
    smtp = Server()
    smtp.start()
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONPATH": str(REPO)}
    children = Processes(tmp_path)
    driver = None
    try:
        # No full rescan within the test: what the desk records (decisions, approvals) takes effect without one.
        children.start("watch", INTAKE + [
            "watch", "--inbox", str(inbox), "--data", str(data), "--rules", str(rules), "--workers", "2",
            "--settle", "0.5", "--rescan", "600", "--dossier-settle", "1", "--smtp-host", "127.0.0.1",
            "--smtp-port", str(smtp.port), "--smtp-from", "Chi cục TĐC Bắc Giang <tdc@example.gov.vn>"], env)
        database = data / "intake.db"
        wait_for(database.exists, 60, "the watcher's database")
        for name, role in (("lan", "officer"), ("hung", "leader")):
            subprocess.run(INTAKE + ["users", "add", name, "--role", role, "--password-stdin", "--data", str(data)],
                           input=PASSWORD + "\n", text=True, check=True, env=env, capture_output=True, timeout=60)
        port = free_port()
        children.start("serve", INTAKE + ["serve", "--data", str(data), "--rules", str(rules), "--port", str(port)],
                       env)

        def listening() -> bool:
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", port)) == 0

        wait_for(listening, 60, "the desk to listen")
        base = f"http://127.0.0.1:{port}"
        # Both dossiers read (OCR of the scan included) and their receipts e-mailed.
        wait_for(lambda: len(smtp.mailbox.messages) >= 2, 300, "both receipts e-mailed", step=1)

        driver = browser(tmp_path / "chromium-profile")
        driver.get(base + "/")
        assert "/dang-nhap" in driver.current_url

        def sign_in(name: str) -> None:
            driver.get(base + "/dang-nhap")
            driver.find_element(By.ID, "name").send_keys(name)
            driver.find_element(By.ID, "password").send_keys(PASSWORD)
            driver.find_element(By.ID, "sign-in").click()
            wait_for(lambda: driver.find_elements(By.ID, "queue"), 20, "the queue after signing in")

        sign_in("lan")
        driver.save_screenshot(str(screens / "01-queue.png"))
        assert "Danh sách hồ sơ" in driver.title

        # Find the dossier through the queue's filter and search.
        driver.find_element(By.CSS_SELECTOR, "input[name=loc][value=incomplete]").click()
        box = driver.find_element(By.CSS_SELECTOR, "#filters input[name=q]")
        box.send_keys("sao mai")
        driver.find_element(By.ID, "apply-filters").click()
        wait_for(lambda: "loc=incomplete" in driver.current_url, 10, "the filtered queue")
        rows = driver.find_elements(By.CSS_SELECTOR, "#queue tbody tr")
        assert len(rows) == 1 and "Cong ty Sao Mai" in rows[0].text
        driver.save_screenshot(str(screens / "02-queue-filtered.png"))
        rows[0].find_element(By.TAG_NAME, "a").click()
        wait_for(lambda: driver.find_elements(By.ID, "components"), 10, "the dossier page")
        assert driver.find_element(By.ID, "status").text == "Chưa đầy đủ"
        dossier_url = driver.current_url

        # Open page 2 of the scanned file: its image and its OCR text with the years highlighted.
        link = next(a for a in driver.find_elements(By.CSS_SELECTOR, "#files tr")
                    if "Phu luc.pdf" in a.text).find_elements(By.CSS_SELECTOR, "a.page-link")[1]
        link.click()
        wait_for(lambda: driver.execute_script(
            "const i = document.getElementById('page-image'); return i && i.complete && i.naturalWidth > 0"),
            60, "the page image")
        assert driver.execute_script("return document.getElementById('page-image').naturalWidth") > 500
        marks = driver.find_elements(By.CSS_SELECTOR, "#page-text mark.year")
        assert {m.text for m in marks} >= {"2017", "2018", "2019"}
        assert "chưa nhận biết" in driver.find_element(By.ID, "assigned-to").text
        driver.save_screenshot(str(screens / "03-page-viewer.png"))

        # Assign that page to the tax component: the watcher judges again, the dossier becomes complete and a
        # complete notice waits for the leader.
        driver.get(dossier_url)
        Select(driver.find_element(By.ID, "assign-file")).select_by_visible_text("Phu luc.pdf (2 trang)")
        driver.find_element(By.ID, "assign-first").send_keys("2")
        driver.find_element(By.ID, "assign-last").send_keys("2")
        Select(driver.find_element(By.ID, "assign-component")).select_by_value("tax_insurance")
        driver.find_element(By.ID, "assign-note").send_keys("Trang 2 là giấy xác nhận thuế và BHXH")
        driver.find_element(By.ID, "assign-submit").click()

        def status_is(text: str) -> bool:
            driver.get(dossier_url)
            return driver.find_element(By.ID, "status").text == text and not driver.find_elements(By.ID, "deciding")

        wait_for(lambda: status_is("Đầy đủ"), 90, "the dossier to become complete", step=1)
        def mau_01() -> list:  # the notice that the dossier is complete (Mẫu 01), read from a fresh page
            driver.get(dossier_url)
            return [r for r in driver.find_elements(By.CSS_SELECTOR, "#notices tr.notice")
                    if "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in r.text]

        complete = wait_for(mau_01, 60, "the complete notice", step=1)
        assert "Chờ lãnh đạo duyệt" in complete[0].text
        assert not complete[0].find_elements(By.CSS_SELECTOR, "button.approve")  # an officer cannot approve
        shot(driver, screens / "04a-tax-component.png", "component-tax_insurance")
        shot(driver, screens / "04b-complete-awaiting-approval.png", "notices")
        sent_before = len(smtp.mailbox.messages)

        # The leader approves it; the watcher e-mails it.
        driver.find_elements(By.CSS_SELECTOR, "header form.inline button")[-1].click()  # Đăng xuất
        sign_in("hung")
        driver.get(base + "/thong-bao")
        rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "#awaiting tbody tr") if "hẹn trả kết quả" in r.text]
        assert len(rows) == 1
        driver.save_screenshot(str(screens / "05-leader-approvals.png"))
        rows[0].find_element(By.CSS_SELECTOR, "button.approve").click()
        wait_for(lambda: len(smtp.mailbox.messages) > sent_before, 60, "the complete notice e-mailed", step=0.5)
        recipients, message = smtp.mailbox.messages[-1]
        assert recipients and "hẹn trả kết quả" in message["Subject"].lower()

        def notice_sent() -> bool:
            driver.get(dossier_url)
            rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "#notices tr.notice")
                    if "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in r.text]
            return bool(rows) and "Đã gửi thư điện tử" in rows[0].text and recipients[0] in rows[0].text

        wait_for(notice_sent, 30, "the notice shown as sent", step=1)
        shot(driver, screens / "06-notice-sent.png", "notices")

        # Undo the assignment: incomplete again.
        driver.find_element(By.CSS_SELECTOR, "#assignments button.undo-assignment").click()
        wait_for(lambda: status_is("Chưa đầy đủ"), 90, "the dossier to be incomplete again", step=1)
        assert "Đã hủy bởi hung" in driver.find_element(By.ID, "assignments").text
        shot(driver, screens / "07a-undone.png", "unrecognised")
        shot(driver, screens / "07b-undone-status.png", "enterprise")

        # Printed (Ctrl+P): the dossier without the menu, the forms and their buttons (audit 19).
        import base64
        import io

        from pypdf import PdfReader
        printed = PdfReader(io.BytesIO(base64.b64decode(driver.print_page())))
        text = " ".join(page.extract_text() for page in printed.pages)
        assert "Chưa đầy đủ" in text and "Cong ty" in text
        assert "Sổ theo dõi (Excel)" not in text and "Đăng xuất" not in text, text[:300]
    finally:
        if driver is not None:
            driver.quit()
        children.stop()
        smtp.stop()
