"""Judging: takes the rule file and a dossier's read pages; gives which component each page range is, the verdict
(documents, content checks, deficiencies), the registration form's fields, seals and eligibility hints. Pure functions of
data: no database, no mail, no inbox (rule and contacts files are read by their `load_*` functions only).
"""
