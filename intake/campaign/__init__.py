"""Campaign: takes the rule file's calendar and the invitation list; gives working days, the reminder schedule, which
invited enterprise each dossier belongs to, and where the campaign stands. Never sends anything.
"""
