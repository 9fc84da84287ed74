"""Notices: takes verdicts and the campaign; gives the notices due (receipt, request to supplement, complete notice,
refusal, reminders) as DOCX in the administrative format, and delivers them by SMTP.
The only stage that sends mail; never judges or changes a verdict.
"""

from __future__ import annotations

from .approval import approve as approve_notices, awaiting as awaiting_approval
from .forms import FORMS, deficiency_hash, supplement_by
from .mail import mail_settings, read_mail_config
from .models import DeliverySummary, MailSettings
from .outbox import deliver_notices, issue_notices, listing_lines
from .reminders import new_day, send_reminders
from .rows import short_name

__all__ = [
    "DeliverySummary",
    "FORMS",
    "approve_notices",
    "awaiting_approval",
    "MailSettings",
    "deficiency_hash",
    "deliver_notices",
    "issue_notices",
    "listing_lines",
    "mail_settings",
    "new_day",
    "read_mail_config",
    "send_reminders",
    "short_name",
    "supplement_by",
]
