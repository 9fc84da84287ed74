"""Notices: takes verdicts and the campaign; gives the notices due (receipt, request to supplement, complete notice,
refusal, reminders) as DOCX in the administrative format, and delivers them by SMTP. The only stage that sends mail.
"""
