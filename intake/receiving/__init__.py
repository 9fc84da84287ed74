"""Receiving: takes the shared inbox; gives the dossier folders and files found there, when each file has settled, its
copy in the content-addressed archive, and the one-instance lock. Never reads a file's content, never changes the inbox.
"""

from __future__ import annotations

from .archive import archive_file, archive_path, archive_stream, clean_partials
from .inbox import TWIN_LABEL, Candidate, discover, display_name
from .opening import Moved, Refused, open_walked, probe_walked
from .settle import FileSettle, written_or_old

__all__ = [
    "TWIN_LABEL",
    "Candidate",
    "FileSettle",
    "written_or_old",
    "Refused",
    "Moved",
    "archive_file",
    "archive_path",
    "archive_stream",
    "clean_partials",
    "discover",
    "display_name",
    "open_walked",
    "probe_walked",
]
