"""Judging: takes the rule file and a dossier's read pages; gives which component each page range is, the verdict
(documents, content checks, deficiencies), the registration form's fields, seals and eligibility hints. Pure functions of
data: never touches the database, mail or the inbox (rule and contacts files are read by their `load_*` functions only).
"""

from __future__ import annotations

from .applicants import applicants, held_for_applicants
from .assign import Assignment, apply_assignments
from .classify import classify_dossier
from .completeness import BLOCKING_CODES, evaluate, years_a_page_covers, headed_as_another
from .criteria import written_under_headings
from .enclosures import guess_component
from .contacts import load_contacts, recipient
from .models import Hint
from .checks import UNCERTAIN_EMAIL, valid_email, valid_tax_code
from .fields import EMAIL, form_reading, pages_reading, read_registration, read_tax_code
from .identity import (
    FIELD_VI,
    SOURCE_VI,
    STATUS_VI as IDENTITY_STATUS_VI,
    Confirmation,
    ContactField,
    Identity,
    choose_identity,
    delivery_line,
    flag_duplicates,
)
from ..models import SealMark
from .models import Contact, Registration, RegistrationField
from .officer import read_dossier
from .revisions import set_aside
from .rules import load_rules
from .ruleset import Agency, Campaign, Component, RuleSet
from .seals import SEAL_DPI

__all__ = [
    "FIELD_VI",
    "IDENTITY_STATUS_VI",
    "SOURCE_VI",
    "UNCERTAIN_EMAIL",
    "Confirmation",
    "ContactField",
    "Identity",
    "choose_identity",
    "delivery_line",
    "flag_duplicates",
    "form_reading",
    "pages_reading",
    "read_registration",
    "valid_email",
    "valid_tax_code",
    "Agency",
    "Assignment",
    "BLOCKING_CODES",
    "Campaign",
    "Component",
    "Contact",
    "EMAIL",
    "Hint",
    "Registration",
    "RegistrationField",
    "RuleSet",
    "SEAL_DPI",
    "SealMark",
    "applicants",
    "apply_assignments",
    "held_for_applicants",
    "classify_dossier",
    "evaluate",
    "written_under_headings",
    "years_a_page_covers",
    "guess_component",
    "headed_as_another",
    "load_contacts",
    "load_rules",
    "read_dossier",
    "set_aside",
    "read_tax_code",
    "recipient",
]
