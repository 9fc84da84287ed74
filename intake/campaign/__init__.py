"""Campaign: takes the rule file's calendar and the invitation list; gives working days, the reminder schedule, which
invited enterprise each dossier belongs to, and where the campaign stands. Never sends anything.
"""

from __future__ import annotations

from .calendar import add_working_days, campaign_days_off, result_due, supplement_by
from .calendar import campaign_status, current_round, match_dossier, due_reminders, forwarded, invitee_keys, needing_reminder, reminder_of, schedule, status_lines, status_record
from .invitations import InvitationError, clean_folder, read_invitations
from .models import CampaignStatus, Reminder, ReminderDue

__all__ = [
    "CampaignStatus",
    "InvitationError",
    "Reminder",
    "ReminderDue",
    "add_working_days",
    "campaign_days_off",
    "campaign_status",
    "clean_folder",
    "current_round",
    "due_reminders",
    "forwarded",
    "invitee_keys",
    "match_dossier",
    "needing_reminder",
    "read_invitations",
    "reminder_of",
    "result_due",
    "schedule",
    "status_lines",
    "status_record",
    "supplement_by",
]
