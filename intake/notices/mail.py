"""The only module that talks to SMTP: the e-mail that carries a notice, and one connection that sends such
e-mails. It never touches the store or the outbox, and a failed delivery is an outcome, never an exception."""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
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
    """A stable Message-ID per notice and resend: a mail system that saw it once can tell a copy apart."""
    domain = parseaddr(settings.sender)[1].rpartition("@")[2] or "intake.invalid"
    receipt = re.sub(r"[^A-Za-z0-9.-]+", "-", outgoing.receipt_no).strip("-") or "hs"
    return f"<intake.{receipt}.{outgoing.id}.{outgoing.resends}@{domain}>"


def build_message(outgoing: Outgoing, recipient: str, attachment: bytes, settings: MailSettings, *,
                  sender_name: str, reply_to: str, date: datetime) -> EmailMessage:
    """The e-mail of one notice: Vietnamese subject and text (UTF-8), the DOCX attached."""
    message = EmailMessage(policy=SMTP_POLICY)
    name, address = parseaddr(settings.sender)
    message["From"] = formataddr((name or sender_name, address))
    message["To"] = recipient
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = outgoing.subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id(outgoing, settings)
    message["Content-Language"] = "vi"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a machine
    message.set_content(outgoing.body, charset="utf-8")
    message.add_attachment(attachment, maintype=DOCX_TYPE[0], subtype=DOCX_TYPE[1],
                           filename=Path(outgoing.path).name)
    return message


def _data(raw: bytes) -> bytes:
    """Message bytes as the DATA phase carries them: CRLF line ends, leading dots doubled, the final dot."""
    data = re.sub(rb"\r\n|\n|\r", b"\r\n", raw)
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


# ---- the connection -------------------------------------------------------------------------------------

Connect = Callable[[str, int, float], smtplib.SMTP]


def _connect(host: str, port: int, timeout: float) -> smtplib.SMTP:
    return smtplib.SMTP(host, port, timeout=timeout)


class SmtpSender:
    """One SMTP connection for a delivery pass, opened at the first message and reused; `send` never raises."""

    def __init__(self, settings: MailSettings, connect: Connect = _connect) -> None:
        self.settings = settings
        self._connect = connect
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
        """Deliver one message to one recipient: `sent`, `retry` (nothing was delivered) or `unconfirmed` (the
        connection broke after the message was handed over: it may have arrived, so it must not be resent)."""
        try:
            smtp = self._open()
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            return SendOutcome("retry", f"máy chủ thư không sẵn sàng: {_describe(exc)}", unreachable=True)
        sender = parseaddr(self.settings.sender)[1]
        handed_over = False
        try:
            for command, args, accepted in (("mail", (sender,), (250,)), ("rcpt", (recipient,), (250, 251)),
                                            ("docmd", ("DATA",), (354,))):
                code, reply = getattr(smtp, command)(*args)
                if code not in accepted:
                    smtp.rset()
                    return SendOutcome("retry", f"máy chủ thư từ chối ({command.upper()}): {code} {_text(reply)}")
            smtp.send(_data(message.as_bytes(policy=SMTP_POLICY)))
            # The final dot is out: from here on a broken connection leaves the outcome unknown.
            handed_over = True
            code, reply = smtp.getreply()
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            if handed_over:
                return SendOutcome("unconfirmed", f"mất kết nối khi đang gửi, thư có thể đã đến: {_describe(exc)}")
            return SendOutcome("retry", f"mất kết nối với máy chủ thư: {_describe(exc)}", unreachable=True)
        if code != 250:
            return SendOutcome("retry", f"máy chủ thư từ chối nội dung: {code} {_text(reply)}")
        return SendOutcome("sent", f"{code} {_text(reply)}")

    def close(self) -> None:
        """End the session politely; a server that went away meanwhile is no error."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._drop()


def _text(reply: bytes | str) -> str:
    return (reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply).strip()[:300]


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"[:300]
