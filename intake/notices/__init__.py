"""Notices: takes verdicts and the campaign; gives the notices due (receipt, request to supplement, complete notice,
refusal, reminders) as DOCX in the administrative format, and delivers them by SMTP.
The only stage that sends mail; never judges or changes a verdict.
"""

from __future__ import annotations

from .forms import FORMS, deficiency_hash
from .mail import mail_settings, read_mail_config
from .models import DeliverySummary, MailSettings
from .outbox import deliver_notices, issue_notices, listing_lines
from .reminders import new_day, send_reminders

__all__ = [
    "DeliverySummary",
    "FORMS",
    "MailSettings",
    "deficiency_hash",
    "deliver_notices",
    "issue_notices",
    "listing_lines",
    "mail_settings",
    "new_day",
    "read_mail_config",
    "send_reminders",
]
