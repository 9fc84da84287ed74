"""Receiving: takes the shared inbox; gives the dossier folders and files found there, when each file has settled, its
copy in the content-addressed archive, and the one-instance lock. Never reads a file's content, never changes the inbox.
"""

from __future__ import annotations

from .archive import archive_file, archive_path, clean_partials
from .inbox import Candidate, display_name
from .settle import FileSettle

__all__ = [
    "Candidate",
    "FileSettle",
    "archive_file",
    "archive_path",
    "clean_partials",
    "display_name",
]
