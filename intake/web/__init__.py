"""The web desk: takes the store, the rules and the Desk view; gives officers and leaders, in a browser, sign-in,
the queue, the dossier with its page viewer, decisions (through the store's recorded decisions), approvals and search.
Never judges a dossier itself (the pipeline does) and never serves a path taken from a request.
"""

from __future__ import annotations

from .app import create_app
from .commands import serve_command, users_group

__all__ = ["create_app", "serve_command", "users_group"]
