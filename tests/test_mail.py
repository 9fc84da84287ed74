"""E-mailing notices against a real SMTP server on localhost (aiosmtpd): the message, retries and backoff,
a server that is down or refuses, exactly one delivery across restarts, bounded passes, the CLI."""

from __future__ import annotations

import asyncio
import dataclasses
import email
import io
import json
import random
import socket
import sqlite3
import time
from datetime import datetime, timedelta
from email import policy

import docx
import dossiers
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP
from click.testing import CliRunner
from conftest import REPO, Service

from intake.cli import main
from intake.errors import ConfigError, ExitCode
from intake.notices.mail import SmtpSender, build_message, mail_settings, read_mail_config
from intake.notices.models import MailSettings
from intake.models import Outgoing
from intake.notices.outbox import backoff
from intake.pipeline import deliver

RETRY = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler that keeps what it accepts; `mode` makes it refuse or hang up like real servers do."""

    def __init__(self) -> None:
        self.mode = "accept"
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refused = 0
        self.dropped = 0
        """Connections dropped mid-DATA or left hanging (mode "drop-mid-data", "hang-data", "hang-after-dot")."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "reject-rcpt":
            self.refused += 1
            return "550 5.7.1 Relaying denied"
        if self.mode == "reject-address":  # the mailbox does not exist: no retry can help
            self.refused += 1
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "tempfail":
            self.refused += 1
            return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        if self.mode == "hangup":  # accepted, but the reply never reaches the client
            server.transport.close()
            return "250 OK"
        if self.mode == "hang-after-dot":  # the whole message arrived; the relay never answers it
            self.dropped += 1
            await asyncio.sleep(3600)
        return "250 2.0.0 Ok: queued"


class FlakySMTP(SMTP):
    """aiosmtpd's server, which can also drop the connection in the middle of a message, or never answer DATA."""

    async def smtp_DATA(self, arg):
        mailbox = self.event_handler
        if mailbox.mode == "hang-data" and self.envelope.rcpt_tos:
            mailbox.dropped += 1
            await asyncio.sleep(3600)
            return
        if mailbox.mode == "drop-mid-data" and self.envelope.rcpt_tos:
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            for _ in range(5):  # the headers start arriving; then the relay goes away (restart, network cut)
                await self._reader.readuntil(b"\r\n")
            mailbox.dropped += 1
            self.transport.close()
            return
        await super().smtp_DATA(arg)


class FlakyController(Controller):
    def factory(self):
        return FlakySMTP(self.handler, **self.SMTP_kwargs)


class Server:
    """A real SMTP server on a fixed free port that a test can stop and start again (down, then back)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = FlakyController(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def server():
    srv = Server()
    srv.start()
    yield srv
    srv.stop()


def settings_for(port: int, **overrides) -> MailSettings:
    values = dict(host="127.0.0.1", port=port, sender="Chi cục TĐC Bắc Giang <tdc@example.gov.vn>", timeout=5,
                  retry_base_seconds=RETRY, retry_max_seconds=3600, max_attempts=6, pass_seconds=30)
    values.update(overrides)
    return MailSettings(**values)


def with_mail(service: Service, mail: MailSettings) -> Service:
    service.settings = dataclasses.replace(service.settings, mail=mail)
    service.ctx.settings = service.settings
    return service


def write(service: Service, folder: str, seed: int, **kwargs) -> dossiers.Enterprise:
    rng = random.Random(seed)
    enterprise = dossiers.make_enterprise(rng)
    kwargs.setdefault("formats", {"*": "pdf", "company_profile": "docx"})
    dossiers.write_dossier(service.inbox / folder, enterprise, rng, **kwargs)
    return enterprise


def notices(service: Service) -> list[dict]:
    return service.store.outbox.notice_listing()


def outgoing(body: str = "Nội dung", **kw) -> Outgoing:
    values = dict(id=7, dossier_id=1, folder="Công ty A", receipt_no="GTCLQG-2020-0007", kind="deficiency",
                  path="Công ty A/GTCLQG-2020-0007-02-yeu-cau-bo-sung.docx", document_sha256="", subject=
                  "[GTCLQG-2020-0007] Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", body=body, address=None, attempts=0,
                  resends=0)
    values.update(kw)
    return Outgoing(**values)


# ---- mail.py on its own ---------------------------------------------------------------------------------


def test_a_message_reaches_the_server_intact(server, service):
    attachment = b"PK\x03\x04 not really a docx"
    body = "Kính gửi: Công ty TNHH Thép Hà Bắc\n.\n..dòng bắt đầu bằng dấu chấm\nTrân trọng."
    settings = settings_for(server.port)
    message = build_message(outgoing(body), "info@thephabac.com.vn", attachment, settings,
                            sender_name="CHI CỤC", reply_to="chicuctdc@example.gov.vn", date=service.now)
    sender = SmtpSender(settings)
    try:
        outcome = sender.send(message, "info@thephabac.com.vn")
    finally:
        sender.close()
    assert outcome.state == "sent", outcome
    [(rcpt, received)] = server.mailbox.messages
    assert rcpt == ["info@thephabac.com.vn"]
    assert received["Subject"] == "[GTCLQG-2020-0007] Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
    assert received["From"].addresses[0].display_name == "Chi cục TĐC Bắc Giang"
    assert received["Message-ID"] == "<intake.GTCLQG-2020-0007.7.0@example.gov.vn>"
    assert received["Auto-Submitted"] == "auto-generated" and received["Reply-To"] == "chicuctdc@example.gov.vn"
    text = received.get_body(("plain",))
    assert text.get_content_charset() == "utf-8" and text.get_content().replace("\r\n", "\n").rstrip("\n") == body
    [part] = list(received.iter_attachments())
    assert part.get_filename() == "GTCLQG-2020-0007-02-yeu-cau-bo-sung.docx"
    assert part.get_content_type() == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert part.get_content() == attachment


@pytest.mark.parametrize("mode, reached", [("tempfail", True), ("reject-rcpt", True), ("down", False)])
def test_refusals_and_a_dead_server_are_outcomes_not_exceptions(server, service, mode, reached):
    if mode == "down":
        server.stop()
    else:
        server.mailbox.mode = mode
    settings = settings_for(server.port)
    sender = SmtpSender(settings)
    try:
        outcome = sender.send(build_message(outgoing(), "a@b.vn", b"x", settings, sender_name="", reply_to="",
                                            date=service.now), "a@b.vn")
    finally:
        sender.close()
    assert outcome.state == "retry"
    assert outcome.unreachable is not reached
    assert server.mailbox.messages == []
    assert ("451" in outcome.detail) if mode == "tempfail" else ("550" in outcome.detail) if mode == "reject-rcpt" \
        else "ConnectionRefusedError" in outcome.detail


def test_a_connection_lost_after_the_message_was_handed_over_is_unconfirmed(server, service):
    server.mailbox.mode = "hangup"
    settings = settings_for(server.port)
    sender = SmtpSender(settings)
    try:
        outcome = sender.send(build_message(outgoing(), "a@b.vn", b"x", settings, sender_name="", reply_to="",
                                            date=service.now), "a@b.vn")
    finally:
        sender.close()
    assert outcome.state == "unconfirmed", outcome
    assert len(server.mailbox.messages) == 1


def test_mail_settings_are_validated(tmp_path):
    assert mail_settings({"host": None}) is None
    with pytest.raises(ConfigError, match="from"):
        mail_settings({"host": "smtp.example.vn"})
    with pytest.raises(ConfigError, match="password"):
        mail_settings({"host": "smtp.example.vn", "sender": "a@b.vn", "username": "tdc"})
    with pytest.raises(ConfigError, match="port"):
        mail_settings({"host": "smtp.example.vn", "sender": "a@b.vn", "port": 0})
    config = tmp_path / "mail.toml"
    config.write_text('[smtp]\nhost = "smtp.example.vn"\nport = 587\nfrom = "tdc@example.gov.vn"\nstarttls = true\n'
                      'username = "tdc"\npassword = "bí mật"\ncontacts = "danh-ba.csv"\n', encoding="utf-8")
    settings = mail_settings(read_mail_config(config), str(config))
    assert (settings.host, settings.port, settings.starttls, settings.username) == ("smtp.example.vn", 587, True, "tdc")
    assert settings.contacts == str(tmp_path / "danh-ba.csv") and "bí mật" not in repr(settings)
    config.write_text('[smtp]\nhots = "x"\n')
    with pytest.raises(ConfigError, match="smtp.hots"):
        read_mail_config(config)


def test_backoff_doubles_up_to_the_maximum():
    settings = settings_for(25, retry_base_seconds=30, retry_max_seconds=300)
    assert [backoff(n, settings).total_seconds() for n in range(1, 7)] == [30, 60, 120, 240, 300, 300]


# ---- delivery through the service ----------------------------------------------------------------------


def test_notices_are_emailed_to_the_registration_forms_address(server, service):
    enterprise = write(service, "Công ty Thiếu thuế", 21, omit=("tax_insurance",))
    with_mail(service, settings_for(server.port))
    service.scan()
    rows = notices(service)
    assert [(r["kind"], r["state"], r["attempts"]) for r in rows] == [("acknowledgement", "sent", 1), ("deficiency", "sent", 1)]
    assert [rcpt for rcpt, _ in server.mailbox.messages] == [[enterprise.email]] * 2
    receipt, deficiency = (m for _, m in server.mailbox.messages)
    assert receipt["Subject"] == "[GTCLQG-2020-0001] Giấy biên nhận hồ sơ - Giải thưởng Chất " \
                                 "lượng Quốc gia năm 2020"
    text = deficiency.get_body(("plain",)).get_content()
    assert f"Kính gửi: {enterprise.name}" in text and "Xác nhận nghĩa vụ thuế và bảo hiểm xã hội" in text
    assert "chậm nhất ngày 22 tháng 6 năm 2020" in text
    [part] = list(deficiency.iter_attachments())
    assert part.get_content() == (service.settings.outbox / rows[1]["path"]).read_bytes()
    attached = "\n".join(c.text for t in docx.Document(io.BytesIO(part.get_content())).tables
                         for row in t.rows for c in row.cells)
    assert "Xác nhận nghĩa vụ thuế và bảo hiểm xã hội" in attached
    assert all(m["Message-ID"] == r["message_id"] for (_, m), r in zip(server.mailbox.messages, rows))

    service.scan()  # nothing new: nothing is sent again
    assert len(server.mailbox.messages) == 2


def test_a_contacts_file_overrides_the_registration_form(server, service, tmp_path):
    write(service, "Công ty Danh bạ", 22)
    contacts = tmp_path / "danh-ba.csv"
    contacts.write_text("\ufeffthư mục;email\nCông ty Danh bạ;vanthu@danhba.vn\n", encoding="utf-8")
    with_mail(service, settings_for(server.port, contacts=str(contacts)))
    service.scan()
    assert {tuple(rcpt) for rcpt, _ in server.mailbox.messages} == {("vanthu@danhba.vn",)}
    assert {r["recipient"] for r in notices(service)} == {"vanthu@danhba.vn"}


def test_without_an_address_a_notice_waits_and_goes_once_one_is_known(server, service, tmp_path):
    write(service, "Công ty Chưa có đơn", 23, omit=("registration_form",))
    contacts = tmp_path / "danh-ba.csv"
    contacts.write_text("folder,email\n", encoding="utf-8")
    with_mail(service, settings_for(server.port, contacts=str(contacts)))
    service.scan()
    rows = notices(service)
    assert {(r["state"], r["attempts"]) for r in rows} == {("pending", 0)}
    assert all("địa chỉ thư điện tử" in r["last_error"] for r in rows)
    assert server.mailbox.messages == []
    contacts.write_text("folder,email\nCông ty Chưa có đơn,giamdoc@chuacodon.vn\n", encoding="utf-8")
    service.now += timedelta(hours=1)
    service.scan()
    assert [r["state"] for r in notices(service)] == ["sent", "sent"]
    assert len(server.mailbox.messages) == 2


def _scan_until(service, predicate, step: timedelta, limit: int = 12) -> int:
    """Scan, moving the service clock on by `step` each time, until `predicate()`; returns the passes made."""
    for passes in range(1, limit + 1):
        service.scan()
        if predicate():
            return passes
        service.now += step
    raise AssertionError("condition never met")


@pytest.mark.parametrize("failure", ["down", "tempfail", "reject-rcpt"])
def test_retries_with_backoff_then_exactly_one_delivery_across_a_restart(server, service, tmp_path, rules,
                                                                         failure):
    write(service, "Công ty Gửi lại", 24, omit=("environment",))
    if failure == "down":
        server.stop()
    else:
        server.mailbox.mode = failure
    with_mail(service, settings_for(server.port))
    started = service.now
    service.scan()
    rows = notices(service)
    assert [(r["kind"], r["state"], r["attempts"]) for r in rows] == [("acknowledgement", "pending", 1),
                                                                     ("deficiency", "pending", 1)]
    assert {datetime.fromisoformat(r["next_attempt_at"]) for r in rows} == {started + timedelta(seconds=RETRY)}
    service.scan()  # not due yet: no attempt
    assert [r["attempts"] for r in notices(service)] == [1, 1]

    service.now = started + timedelta(seconds=RETRY)
    service.scan()  # second attempt fails too, and the wait doubles
    rows = notices(service)
    assert [r["attempts"] for r in rows] == [2, 2] and all(r["state"] == "pending" for r in rows)
    service.now += timedelta(seconds=RETRY)  # only half the doubled wait
    service.scan()
    assert [r["attempts"] for r in notices(service)] == [2, 2]

    # The service restarts while the server is still failing; then the server comes back.
    service.close()
    again = with_mail(Service(tmp_path, rules, now=service.now), settings_for(server.port))
    try:
        if failure == "down":
            server.start()
        else:
            server.mailbox.mode = "accept"
        _scan_until(again, lambda: all(r["state"] == "sent" for r in notices(again)), timedelta(seconds=RETRY))
        assert len(server.mailbox.messages) == 2
        assert sorted(m["Subject"].split("]")[1].split(" - ")[0].strip() for _, m in server.mailbox.messages) == [
            "Giấy biên nhận hồ sơ", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"]
        for _ in range(3):
            again.now += timedelta(hours=3)
            again.scan()
    finally:
        again.close()
    third = with_mail(Service(tmp_path, rules, now=again.now + timedelta(days=1)), settings_for(server.port))
    try:
        third.scan()
        assert len(server.mailbox.messages) == 2
        assert [r["state"] for r in notices(third)] == ["sent", "sent"]
    finally:
        third.close()


def test_attempts_run_out_then_an_officer_resends(server, service):
    write(service, "Công ty Hết lượt", 25)
    server.mailbox.mode = "tempfail"
    with_mail(service, settings_for(server.port, max_attempts=3))
    _scan_until(service, lambda: all(r["state"] == "failed" for r in notices(service)), timedelta(hours=1))
    assert {r["attempts"] for r in notices(service)} == {3}
    assert server.mailbox.refused == 6
    server.mailbox.mode = "accept"
    service.scan()
    assert server.mailbox.messages == []  # failed stays failed until an officer acts

    result = CliRunner().invoke(main, ["notices", "--data", str(service.settings.data), "--resend",
                                       "GTCLQG-2020-0001", "--kind", "acknowledgement", "--force"], catch_exceptions=False)
    assert result.exit_code == 0 and "queued for e-mail (was failed)" in result.output
    service.scan()
    assert [m["Subject"].split("]")[1].split(" - ")[0].strip() for _, m in server.mailbox.messages] == [
        "Giấy biên nhận hồ sơ"]


class Crash(BaseException):
    """Stands for the process dying (power cut, kill -9): not an Exception, so nothing catches it."""


def test_a_crash_between_smtp_success_and_marking_never_sends_twice(server, service, tmp_path, rules, monkeypatch):
    write(service, "Công ty Mất điện", 26)
    with_mail(service, settings_for(server.port))
    from intake.store.outbox import Outbox

    real = Outbox.settle_notice

    def die_when_sent(self, notice_id, *, state, **kwargs):
        if state == "sent":
            raise Crash()
        return real(self, notice_id, state=state, **kwargs)

    monkeypatch.setattr(Outbox, "settle_notice", die_when_sent)
    with pytest.raises(Crash):
        service.scan()
    monkeypatch.setattr(Outbox, "settle_notice", real)
    assert len(server.mailbox.messages) == 1  # the server has the receipt...
    assert [r["state"] for r in notices(service)] == ["sending", "pending"]  # ...the store does not know it
    service.close()

    restarted = with_mail(Service(tmp_path, rules, now=service.now + timedelta(minutes=5)), settings_for(server.port))
    try:
        restarted.scan()
        rows = notices(restarted)
        assert [(r["kind"], r["state"]) for r in rows] == [("acknowledgement", "unconfirmed"), ("receipt", "sent")]
        assert "có thể đã đến" in rows[0]["last_error"]
        assert len(server.mailbox.messages) == 2  # the receipt was not sent again
        result = CliRunner().invoke(main, ["notices", "--data", str(restarted.settings.data)])
        assert "unconfirmed" in result.output and "GTCLQG-2020-0001" in result.output

        # An officer checked with the enterprise and resends it: same Message-ID, so a copy can be recognised.
        first_id = server.mailbox.messages[0][1]["Message-ID"]
        CliRunner().invoke(main, ["notices", "--data", str(restarted.settings.data), "--resend", "GTCLQG-2020-0001",
                                  "--kind", "acknowledgement", "--force"], catch_exceptions=False)
        restarted.scan()
        assert len(server.mailbox.messages) == 3 and server.mailbox.messages[2][1]["Message-ID"] == first_id
    finally:
        restarted.close()


def test_a_server_that_never_answers_costs_one_bounded_pass(service):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections into the backlog, never says a word
    try:
        write(service, "Công ty Im lặng", 27)
        with_mail(service, settings_for(silent.getsockname()[1], timeout=0.5, pass_seconds=0.2))
        summary = service.scan()
        assert summary.evaluated == 1 and service.report()["Công ty Im lặng"]["status"] == "complete"
        rows = notices(service)
        assert {r["state"] for r in rows} == {"pending"} and all(r["attempts"] == 1 for r in rows)
        assert "timed out" in rows[0]["last_error"]
        service.now += timedelta(seconds=RETRY)
        began = time.monotonic()
        delivered = deliver(service.ctx)
        elapsed = time.monotonic() - began
    finally:
        silent.close()
    # One timeout for the whole pass, not one per notice; intake never waited on it.
    assert delivered.retrying == 1 and delivered.left == 1 and elapsed < 3
    assert all(r["attempts"] == 2 for r in notices(service))


def test_cli_notices_lists_and_resend_of_an_unknown_receipt_is_exit_7(service):
    write(service, "Công ty Liệt kê", 28, omit=("environment",))
    service.scan()
    data = str(service.settings.data)
    listed = CliRunner().invoke(main, ["notices", "--data", data], catch_exceptions=False)
    assert listed.exit_code == 0
    assert "GTCLQG-2020-0001  01/BNHS-TĐC" in listed.output and "written" in listed.output
    as_json = json.loads(CliRunner().invoke(main, ["notices", "--data", data, "--format", "json"]).output)
    assert [(n["kind"], n["state"]) for n in as_json] == [("acknowledgement", "written"), ("deficiency", "written")]
    unknown = CliRunner().invoke(main, ["notices", "--data", data, "--resend", "GTCLQG-2020-9999"])
    assert unknown.exit_code == ExitCode.not_found == 7
    assert "GTCLQG-2020-9999" in unknown.output


def test_cli_smtp_options_are_checked_before_anything_runs(tmp_path):
    base = ["scan", "--inbox", str(tmp_path / "inbox"), "--data", str(tmp_path / "data")]
    result = CliRunner().invoke(main, base + ["--smtp-host", "127.0.0.1"])
    assert result.exit_code == ExitCode.bad_config and "from" in result.output
    bad = tmp_path / "danh-ba.csv"
    bad.write_text("folder,email\nCông ty A,không phải địa chỉ\n", encoding="utf-8")
    result = CliRunner().invoke(main, base + ["--smtp-host", "127.0.0.1", "--smtp-from", "a@b.vn",
                                              "--contacts", str(bad)])
    assert result.exit_code == ExitCode.bad_config and "line 2" in result.output


def test_an_end_to_end_scan_from_the_command_line_emails(server, tmp_path):
    rng = random.Random(29)
    enterprise = dossiers.make_enterprise(rng)
    dossiers.write_dossier(tmp_path / "inbox" / "Công ty Dòng lệnh", enterprise, rng, formats={"*": "pdf"})
    result = CliRunner().invoke(main, ["scan", "--inbox", str(tmp_path / "inbox"), "--data", str(tmp_path / "data"),
                                       "--now", "2020-06-20T10:00:00", "--smtp-host", "127.0.0.1", "--smtp-port",
                                       str(server.port), "--smtp-from", "tdc@example.gov.vn"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert [rcpt for rcpt, _ in server.mailbox.messages] == [[enterprise.email]] * 2
    listed = CliRunner().invoke(main, ["notices", "--data", str(tmp_path / "data")]).output
    assert listed.count(" sent ") == 2 and enterprise.email in listed



def test_a_notice_being_sent_right_now_is_not_requeued(service):
    write(service, "Công ty Đang gửi", 30)
    service.scan()
    service.store.db.execute("UPDATE notices SET state = 'sending' WHERE kind = 'receipt'")
    result = CliRunner().invoke(main, ["notices", "--data", str(service.settings.data), "--resend", "GTCLQG-2020-0001", "--force"])
    assert result.exit_code == ExitCode.bad_config and "right now" in result.output
    assert [r["state"] for r in notices(service)] == ["written", "sending"]


# ---- a relay that drops, hangs and refuses (issue 14, item 6) ----------------------------------------------


def test_a_connection_dropped_mid_data_is_pending_and_sent_later(server, service):
    """The relay drops the connection while the message is arriving: it never saw the end of data, so nothing was
    delivered: `pending` with backoff (never `unconfirmed`), the pass stops at that one failure, and the notice
    goes out once the relay is back."""
    settings = settings_for(server.port)
    server.mailbox.mode = "drop-mid-data"
    sender = SmtpSender(settings)
    try:
        outcome = sender.send(build_message(outgoing(), "a@b.vn", b"x" * 40_000, settings, sender_name="",
                                            reply_to="", date=service.now), "a@b.vn")
    finally:
        sender.close()
    assert (outcome.state, outcome.unreachable) == ("retry", True), outcome
    assert server.mailbox.dropped == 1 and server.mailbox.messages == []

    write(service, "Công ty Rớt mạng", 31, omit=("environment",))
    with_mail(service, settings)
    started = service.now
    service.scan()
    rows = notices(service)
    assert [(r["kind"], r["state"], r["attempts"]) for r in rows] == [("acknowledgement", "pending", 1),
                                                                     ("deficiency", "pending", 1)]
    assert server.mailbox.dropped == 2  # one attempt this pass: the second notice was not tried on a broken relay
    assert "thư chưa đến" in rows[0]["last_error"]
    assert {datetime.fromisoformat(r["next_attempt_at"]) for r in rows} == {started + timedelta(seconds=RETRY)}

    server.mailbox.mode = "accept"
    service.now = started + timedelta(seconds=RETRY)
    service.scan()
    assert [r["state"] for r in notices(service)] == ["sent", "sent"]
    assert len(server.mailbox.messages) == 2


@pytest.mark.parametrize("mode, unconfirmed", [("hang-after-dot", 1), ("hang-data", 0)])
def test_a_relay_that_hangs_costs_one_notice_and_one_timeout_not_every_notice(server, service, mode, unconfirmed):
    """A relay that takes the whole message and never answers leaves that one notice `unconfirmed` (it may have
    arrived); one that hangs before the message costs nothing (`pending`). Either way the pass ends after one
    timeout and the other notices due wait with backoff, to be sent once the relay answers again."""
    write(service, "Công ty Treo A", 32, omit=("environment",))
    write(service, "Công ty Treo B", 33, omit=("tax_insurance",))
    server.mailbox.mode = mode
    with_mail(service, settings_for(server.port, timeout=1))
    started = service.now
    service.scan()  # judging and notices are done before delivery, which is all the hanging relay can hold up
    rows = notices(service)
    assert len(rows) == 4 and server.mailbox.dropped == 1
    assert [r["state"] for r in rows].count("unconfirmed") == unconfirmed
    assert [r["state"] for r in rows].count("pending") == 4 - unconfirmed
    assert all(r["attempts"] == 1 for r in rows)
    began = time.monotonic()
    delivered = deliver(service.ctx)  # nothing due before the backoff: no new attempt, no wait
    assert delivered.sent == delivered.unconfirmed == delivered.retrying == 0 and time.monotonic() - began < 1

    server.mailbox.mode = "accept"
    service.now = started + timedelta(seconds=RETRY)
    service.scan()
    states = [r["state"] for r in notices(service)]
    assert states.count("sent") == 4 - unconfirmed and states.count("unconfirmed") == unconfirmed
    received = len(server.mailbox.messages)
    assert received == 4  # the unconfirmed one reached the relay once and was never sent again
    service.now += timedelta(hours=2)
    service.scan()
    assert len(server.mailbox.messages) == received


def test_a_refused_address_fails_at_once_and_the_officer_is_told_which(server, service):
    """550 5.1.1 on RCPT: the mailbox does not exist, retrying for hours cannot help. The notice is `failed` at
    the first attempt and `intake notices` and the dossier's page name the refused address."""
    enterprise = write(service, "Công ty Sai địa chỉ", 34, omit=("environment",))
    server.mailbox.mode = "reject-address"
    with_mail(service, settings_for(server.port))
    service.scan()
    rows = notices(service)
    assert [(r["kind"], r["state"], r["attempts"]) for r in rows] == [("acknowledgement", "failed", 1),
                                                                     ("deficiency", "failed", 1)]
    assert server.mailbox.refused == 2 and server.mailbox.messages == []
    assert all(enterprise.email in r["last_error"] and "550 5.1.1" in r["last_error"] for r in rows)
    listed = CliRunner().invoke(main, ["notices", "--data", str(service.settings.data)]).output
    assert f"refused address: {enterprise.email}" in listed
    page = next((service.settings.reports / "ho-so").glob("*GTCLQG-2020-0001.html")).read_text(encoding="utf-8")
    assert enterprise.email in page and "550 5.1.1" in page
    service.now += timedelta(hours=3)
    service.scan()
    assert server.mailbox.refused == 2  # failed stays failed: no more attempts


def test_a_resent_notice_keeps_its_message_id(server, service):
    """README: the resent e-mail keeps its Message-ID, so it can be recognised as a copy."""
    write(service, "Công ty Gửi lại thư", 35)
    with_mail(service, settings_for(server.port))
    service.scan()
    assert [r["state"] for r in notices(service)] == ["sent", "sent"]
    first = server.mailbox.messages[1][1]["Message-ID"]
    result = CliRunner().invoke(main, ["notices", "--data", str(service.settings.data), "--resend",
                                       "GTCLQG-2020-0001", "--now", service.now.isoformat()], catch_exceptions=False)
    assert "queued for e-mail (was sent)" in result.output
    service.scan()
    assert len(server.mailbox.messages) == 3 and server.mailbox.messages[2][1]["Message-ID"] == first
    assert notices(service)[1]["message_id"] == first


# ---- officers' decisions are e-mailed by whichever process delivers (issue 14, item 7) ----------------------


def _cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _kinds_and_states(data) -> list[tuple[str, str]]:
    conn = sqlite3.connect(f"file:{data / 'intake.db'}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute("SELECT kind, state FROM notices ORDER BY id").fetchall()
    finally:
        conn.close()


def _pending_decisions(data) -> int:
    conn = sqlite3.connect(f"file:{data / 'intake.db'}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute("SELECT count(*) FROM rejudge").fetchone()[0]
    finally:
        conn.close()


def test_decisions_made_while_the_service_is_stopped_are_emailed_by_its_next_pass(server, tmp_path):
    """Two decisions in a row while the service is stopped: the notices they produce are queued, and the next
    `scan` e-mails one notice, Mẫu 01 (the dossier is complete), never the intermediate request."""
    rng = random.Random(36)
    dossiers.write_dossier(tmp_path / "inbox" / "Công ty Quyết định", dossiers.make_enterprise(rng), rng,
                           formats={"*": "pdf"}, omit=("environment", "tax_insurance"))
    data = tmp_path / "data"
    smtp = ["--smtp-host", "127.0.0.1", "--smtp-port", str(server.port), "--smtp-from", "tdc@example.gov.vn"]
    base = ["--inbox", str(tmp_path / "inbox"), "--data", str(data)]
    assert _cli("scan", *base, "--now", "2020-06-15T09:30:00", *smtp).exit_code == 0
    assert _kinds_and_states(data) == [("acknowledgement", "sent"), ("deficiency", "sent")]

    for component, at in (("environment", "2020-06-16T08:00:00"), ("tax_insurance", "2020-06-16T08:05:00")):
        result = _cli("override", "GTCLQG-2020-0001", component, "--accept", "--officer", "Nguyễn Thị Hương",
                      "--note", "bản giấy", "--data", str(data), "--now", at)
        assert result.exit_code == 0, result.output
    assert "GTCLQG-2020-0001: complete" in result.output
    # Complete: Mẫu 01 (the receipt with its appointment) goes out, as Nghị định 61/2018 Điều 19 has it.
    # The intermediate request is superseded as soon as Mẫu 01 is written, not at the next delivery.
    assert _kinds_and_states(data)[2:] == [("deficiency", "superseded"), ("receipt", "pending")]

    assert _cli("scan", *base, "--now", "2020-06-16T08:10:00", *smtp).exit_code == 0
    assert _kinds_and_states(data) == [("acknowledgement", "sent"), ("deficiency", "sent"), ("deficiency", "superseded"),
                                       ("receipt", "sent")]
    assert len(server.mailbox.messages) == 3
    assert "tiếp nhận" in server.mailbox.messages[2][1]["Subject"].lower()


@pytest.mark.slow
def test_two_decisions_while_the_watcher_runs_give_one_notice(server, tmp_path, rules):
    """While `watch` runs, `override` only records (and says so, printing no status it does not know); the
    watcher judges at once but writes the notice once the dossier has been quiet: one notice (Mẫu 01)."""
    import threading

    from intake.receiving import lock
    from intake.watch import watch

    service = with_mail(Service(tmp_path, rules, dossier_settle_seconds=4, rescan_seconds=3600),
                        settings_for(server.port))
    write(service, "Công ty Hai quyết định", 37, omit=("environment", "tax_insurance"))
    data = service.settings.data
    handle = lock.acquire(data)  # as `intake watch` holds it
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(service.ctx, stop), kwargs={"tick": 0.1}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while _kinds_and_states(data) != [("acknowledgement", "sent"), ("deficiency", "sent")]:
            assert time.monotonic() < deadline, _kinds_and_states(data)
            time.sleep(0.2)
        outputs = []
        deadline = time.monotonic() + 120
        for component in ("environment", "tax_insurance"):
            result = _cli("override", "GTCLQG-2020-0001", component, "--accept", "--officer", "Trần Văn Bình",
                          "--note", "bản giấy", "--data", str(data))
            assert result.exit_code == 0, result.output
            outputs.append(result.output)
            while _pending_decisions(data):  # the watcher has judged the dossier with it before the next one
                assert time.monotonic() < deadline
                time.sleep(0.1)
        for output in outputs:
            assert "decision recorded" in output and "next pass" in output
            assert "incomplete" not in output and "complete" not in output.split("decision recorded")[1]
        deadline = time.monotonic() + 120
        while ("receipt", "sent") not in _kinds_and_states(data):
            assert time.monotonic() < deadline, _kinds_and_states(data)
            time.sleep(0.2)
        time.sleep(1)  # nothing else follows
    finally:
        stop.set()
        thread.join(timeout=60)
        handle.close()
        service.close()
    assert _kinds_and_states(data) == [("acknowledgement", "sent"), ("deficiency", "sent"), ("receipt", "sent")]
    assert len(server.mailbox.messages) == 3


@pytest.mark.slow
def test_a_notice_approved_while_the_watcher_runs_is_emailed_at_once(server, tmp_path, monkeypatch):
    """With leader approval, a complete dossier's Mẫu 01 waits; approved in another process (as on the desk), the
    running watcher e-mails it within seconds, not at its next full rescan (an hour here). A delivery that fails
    is not tried again at every tick of the watcher: the next change (or the full rescan) tries it again."""
    import threading

    import intake.pipeline
    from intake.judging import load_rules
    from intake.notices import approve_notices
    from intake.receiving import lock
    from intake.store import Store
    from intake.watch import watch

    text = (REPO / "rules" / "gtclqg-2020.toml").read_text(encoding="utf-8")
    (tmp_path / "rules.toml").write_text(text.replace("[notices]\n", '[notices]\napproval = "leader"\n', 1),
                                         encoding="utf-8")
    service = with_mail(Service(tmp_path, load_rules(tmp_path / "rules.toml"), dossier_settle_seconds=0.5,
                                rescan_seconds=3600), settings_for(server.port))
    write(service, "Công ty Duyệt A", 41)
    write(service, "Công ty Duyệt B", 42)
    data = service.settings.data
    attempts: list[float] = []
    broken = threading.Event()
    deliver_notices = intake.pipeline.deliver_notices

    def failing_while_broken(*args, **kwargs):
        if broken.is_set():
            attempts.append(time.monotonic())
            raise sqlite3.OperationalError("database is locked")
        return deliver_notices(*args, **kwargs)

    monkeypatch.setattr(intake.pipeline, "deliver_notices", failing_while_broken)
    handle = lock.acquire(data)  # as `intake watch` holds it
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(service.ctx, stop), kwargs={"tick": 0.1}, daemon=True)
    desk = Store(data / "intake.db")  # the desk's own connection
    thread.start()

    def wait_for_states(expected: list[tuple[str, str]], seconds: float) -> float:
        started = time.monotonic()
        while sorted(_kinds_and_states(data)) != sorted(expected):
            assert time.monotonic() - started < seconds, _kinds_and_states(data)
            time.sleep(0.1)
        return time.monotonic() - started

    def approve(folder: str) -> None:
        ids = [n["id"] for n in desk.outbox.awaiting_approval(("receipt",)) if n["folder"] == folder]
        assert len(ids) == 1
        assert approve_notices(desk, ids, by="hung", at=datetime(2020, 6, 20, 9, 0)) == 1

    try:
        wait_for_states([("acknowledgement", "sent")] * 2 + [("receipt", "awaiting_approval")] * 2, 120)
        broken.set()
        approve("Công ty Duyệt A")
        deadline = time.monotonic() + 10
        while not attempts:
            assert time.monotonic() < deadline, "the approved notice was not tried at once"
            time.sleep(0.1)
        time.sleep(1)  # a pass under way when it was approved may try it once more
        tried = len(attempts)
        time.sleep(2)  # twenty ticks
        # The failed delivery waits for the next change, not the next tick: tried by the pass that dated it anew
        # (approving asks for its dossier's judgement), by the tick that saw it due, and by a pass under way.
        assert len(attempts) == tried <= 3
        broken.clear()
        approve("Công ty Duyệt B")  # the next change: both go now
        waited = wait_for_states([("acknowledgement", "sent")] * 2 + [("receipt", "sent")] * 2, 30)
    finally:
        stop.set()
        thread.join(timeout=60)
        desk.close()
        handle.close()
        service.close()
    assert waited < 10
    assert len(server.mailbox.messages) == 4
    assert sum("tiếp nhận" in message["Subject"].lower() for _, message in server.mailbox.messages) >= 2
