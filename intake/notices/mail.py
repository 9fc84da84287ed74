"""The only module that talks to SMTP: the e-mail that carries a notice, and one connection that sends such
e-mails. It never touches the store or the outbox, and a failed delivery is an outcome, never an exception."""

from __future__ import annotations

import fcntl
import logging
import re
import select
import smtplib
import socket
import ssl
import termios
import time
import tomllib
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .models import MailSettings, SendOutcome
from ..models import Outgoing

log = logging.getLogger(__name__)

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")


# ---- settings -------------------------------------------------------------------------------------------


def mail_settings(options: dict[str, Any], source: str = "command line") -> MailSettings | None:
    """Validated mail settings from a config file's `[smtp]` table merged with command-line options (None values
    are unset); None when no SMTP host is given. A wrong value raises ConfigError naming `source` and the key."""
    values = {k: v for k, v in options.items() if v is not None}
    if not values.get("host"):
        if any(k in values for k in ("sender", "username")):
            raise ConfigError(f"{source}: smtp host: is required when an SMTP sender or login is given")
        return None
    sender = values.get("sender", "")
    if not _ADDRESS.search(parseaddr(sender)[1] or ""):
        raise ConfigError(f"{source}: smtp from: {sender!r} is not an e-mail address (From of the notices)")
    if values.get("username") and not values.get("password"):
        raise ConfigError(f"{source}: smtp password: is required with a login (config file or INTAKE_SMTP_PASSWORD)")
    numbers = {"port": int, "timeout": float, "retry_base_seconds": float, "retry_max_seconds": float,
               "max_attempts": int, "pass_seconds": float}
    for key, kind in numbers.items():
        if key in values:
            value = values[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ConfigError(f"{source}: smtp {key}: must be a positive number, not {value!r}")
            values[key] = kind(value)
    if "starttls" in values and not isinstance(values["starttls"], bool):
        raise ConfigError(f"{source}: smtp starttls: must be true or false")
    known = set(MailSettings.__dataclass_fields__)
    return MailSettings(**{k: v for k, v in values.items() if k in known})


CONFIG_KEYS = {"host": "host", "port": "port", "from": "sender", "starttls": "starttls", "username": "username",
               "password": "password", "timeout": "timeout", "retry_base_seconds": "retry_base_seconds",
               "retry_max_seconds": "retry_max_seconds", "max_attempts": "max_attempts",
               "pass_seconds": "pass_seconds", "contacts": "contacts"}
"""Keys of the mail config file's `[smtp]` table → MailSettings fields."""


def read_mail_config(path: Path) -> dict[str, Any]:
    """The `[smtp]` table of a mail config file (TOML), with MailSettings field names."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read as TOML: {exc}") from exc
    table = data.get("smtp")
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: smtp: a [smtp] table is required")
    unknown = sorted(set(table) - set(CONFIG_KEYS))
    if unknown:
        raise ConfigError(f"{path}: smtp.{unknown[0]}: unknown key; known: {', '.join(CONFIG_KEYS)}")
    values = {CONFIG_KEYS[k]: v for k, v in table.items()}
    if "contacts" in values:
        contacts = Path(str(values["contacts"])).expanduser()
        values["contacts"] = str(contacts if contacts.is_absolute() else path.parent / contacts)
    return values


# ---- the message ----------------------------------------------------------------------------------------


def message_id(outgoing: Outgoing, settings: MailSettings) -> str:
    """The Message-ID a notice is first e-mailed with. A resend reuses the one recorded at the first attempt
    (`build_message(..., reuse_id=...)`), so a mail system that saw it once can tell the copy apart."""
    domain = parseaddr(settings.sender)[1].rpartition("@")[2] or "intake.invalid"
    receipt = re.sub(r"[^A-Za-z0-9.-]+", "-", outgoing.receipt_no).strip("-") or "hs"
    return f"<intake.{receipt}.{outgoing.id}.{outgoing.resends}@{domain}>"


def build_message(outgoing: Outgoing, recipient: str, attachment: bytes, settings: MailSettings, *,
                  sender_name: str, reply_to: str, date: datetime, reuse_id: str | None = None) -> EmailMessage:
    """The e-mail of one notice: Vietnamese subject and text (UTF-8), the DOCX attached. `reuse_id`: the
    Message-ID the notice was already e-mailed with (a resend keeps it); None: its first one."""
    message = EmailMessage(policy=SMTP_POLICY)
    name, address = parseaddr(settings.sender)
    message["From"] = formataddr((name or sender_name, address))
    message["To"] = recipient
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = outgoing.subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = reuse_id or message_id(outgoing, settings)
    message["Content-Language"] = "vi"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a machine
    message.set_content(outgoing.body, charset="utf-8")
    message.add_attachment(attachment, maintype=DOCX_TYPE[0], subtype=DOCX_TYPE[1],
                           filename=Path(outgoing.path).name)
    return message


REFUSED_ADDRESS = "máy chủ thư từ chối địa chỉ người nhận"
"""How the detail of a notice whose address the server refused for good begins (the officer is told which)."""

END_OF_DATA = b".\r\n"
"""The line that ends DATA: once the server has it, the message may be delivered."""

QUIET_SECONDS = 0.2
"""How long the server must stay silent, once it has every byte of a message, before the end-of-data line goes:
a server says nothing between `354` and that line, so anything it does meanwhile (hang up, reply) is a break
before the message was handed over, and nothing was delivered."""


def _data(raw: bytes) -> bytes:
    """Message bytes as the DATA phase carries them: CRLF line ends, leading dots doubled; without the final
    dot (`END_OF_DATA`), which is sent apart."""
    data = re.sub(rb"\r\n|\n|\r", b"\r\n", raw)
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data


# ---- the connection -------------------------------------------------------------------------------------

Connect = Callable[[str, int, float], smtplib.SMTP]


def _connect(host: str, port: int, timeout: float) -> smtplib.SMTP:
    return smtplib.SMTP(host, port, timeout=timeout)


class SmtpSender:
    """One SMTP connection for a delivery pass, opened at the first message and reused; `send` never raises."""

    def __init__(self, settings: MailSettings, connect: Connect = _connect, *,
                 quiet_seconds: float = QUIET_SECONDS) -> None:
        self.settings = settings
        self._connect = connect
        self.quiet_seconds = quiet_seconds
        self._smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        if self._smtp is None:
            s = self.settings
            smtp = self._connect(s.host, s.port, s.timeout)
            try:
                smtp.ehlo()
                if s.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
                if s.username:
                    smtp.login(s.username, s.password)
            except BaseException:
                smtp.close()
                raise
            self._smtp = smtp
        return self._smtp

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def send(self, message: EmailMessage, recipient: str) -> SendOutcome:
        """Deliver one message to one recipient. Outcomes: `sent`; `refused` (a permanent 5xx for this address or
        message: trying again cannot help); `retry` (nothing was delivered; `unreachable` when the connection
        failed, which ends the pass); `unconfirmed` (the connection broke after the end-of-data line went out: it
        may have arrived, so it must not be resent; it ends the pass too)."""
        try:
            smtp = self._open()
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            return SendOutcome("retry", f"máy chủ thư không sẵn sàng: {_describe(exc)}", unreachable=True)
        handed_over = False
        try:
            refusal = self._envelope(smtp, parseaddr(self.settings.sender)[1], recipient)
            if refusal is not None:
                return refusal
            smtp.send(_data(message.as_bytes(policy=SMTP_POLICY)))
            _await_quiet(smtp.sock, self.settings.timeout, self.quiet_seconds)
            smtp.send(END_OF_DATA)
            # The end of data is out: from here on a broken connection leaves the outcome unknown.
            handed_over = True
            code, reply = smtp.getreply()
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            if handed_over:
                return SendOutcome("unconfirmed", f"mất kết nối khi đang gửi, thư có thể đã đến: {_describe(exc)}",
                                   unreachable=True)
            return SendOutcome("retry", f"mất kết nối với máy chủ thư trước khi gửi xong thư (thư chưa đến): "
                                        f"{_describe(exc)}", unreachable=True)
        if code == 250:
            return SendOutcome("sent", f"{code} {_text(reply)}")
        if _permanent(code, reply):
            return SendOutcome("refused", f"máy chủ thư từ chối thư: {code} {_text(reply)}")
        return SendOutcome("retry", f"máy chủ thư từ chối nội dung: {code} {_text(reply)}")

    def _envelope(self, smtp: smtplib.SMTP, sender: str, recipient: str) -> SendOutcome | None:
        """MAIL, RCPT and DATA; None when the server is ready for the message, else what became of it."""
        code, reply = smtp.mail(sender)
        if code != 250:
            return self._reset(SendOutcome("retry", f"máy chủ thư từ chối (MAIL): {code} {_text(reply)}"))
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            if _permanent(code, reply):
                return self._reset(SendOutcome(
                    "refused", f"{REFUSED_ADDRESS} «{recipient}»: {code} {_text(reply)}"))
            return self._reset(SendOutcome("retry", f"máy chủ thư từ chối (RCPT): {code} {_text(reply)}"))
        code, reply = smtp.docmd("DATA")
        if code != 354:
            return self._reset(SendOutcome("retry", f"máy chủ thư từ chối (DATA): {code} {_text(reply)}"))
        return None

    def _reset(self, outcome: SendOutcome) -> SendOutcome:
        """End a refused transaction (RSET) so the connection can carry the next message; a server that went
        away meanwhile only costs the connection, never the outcome already known."""
        if self._smtp is not None:
            try:
                self._smtp.rset()
            except (OSError, smtplib.SMTPException):
                self._drop()
        return outcome

    def close(self) -> None:
        """End the session politely; a server that went away meanwhile is no error."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._drop()


def _await_quiet(sock: socket.socket | None, timeout: float, quiet: float) -> None:
    """Before the end-of-data line: wait (at most `timeout`) until the server's system has acknowledged every
    byte sent, then `quiet` seconds in which the server must say nothing. Raises SMTPServerDisconnected if it
    hung up or spoke out of turn meanwhile: then it never saw the end of data, and nothing was delivered."""
    if sock is None:
        raise smtplib.SMTPServerDisconnected("no connection")
    deadline = time.monotonic() + timeout
    while _unacknowledged(sock) and time.monotonic() < deadline:
        if select.select([sock], [], [], 0.01)[0]:
            break
    if select.select([sock], [], [], quiet)[0]:
        raise smtplib.SMTPServerDisconnected("the server hung up or replied before the end of the message")


def _unacknowledged(sock: socket.socket) -> int:
    """Bytes sent that the peer has not acknowledged yet (Linux SIOCOUTQ); 0 where that cannot be known."""
    try:
        buffer = fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
    except (OSError, AttributeError, ValueError):
        return 0
    return int.from_bytes(buffer, "little", signed=True)


_ENHANCED = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")
_RELAY_POLICY = re.compile(r"relay|auth", re.I)


def _permanent(code: int, reply: bytes | str) -> bool:
    """A 5xx that trying again cannot change (RFC 5321 §4.2.1). A refusal by the relay's own policy (enhanced
    status 5.7.x, or a reply about relaying or authentication: `550 5.7.1 Relaying denied`) is not: it is the
    relay's configuration, which its administrator fixes, so the notice is retried like a temporary failure."""
    if not 500 <= code < 600:
        return False
    text = _text(reply)
    enhanced = _ENHANCED.match(text)
    if enhanced and enhanced.group(2) == "7":
        return False
    return not _RELAY_POLICY.search(text)


def _text(reply: bytes | str) -> str:
    return (reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply).strip()[:300]


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"[:300]
