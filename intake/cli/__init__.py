"""The `intake` command line: options → settings → one call into the package; errors → stable exit codes.
Never holds business rules: each command parses its options, calls one entry point and prints what it gave.

`main` is the command group (cli/base.py); the commands live by who types them: the service's (service.py), the
officers' (officers.py), the campaign's (campaign.py), the web desk's (intake/web/commands.py).
"""

from __future__ import annotations

from . import campaign, officers, service
from .base import main, run

# The web desk's commands are imported when typed: the service's and officers' commands never load Flask.
main.lazy = {"serve": "intake.web.commands:serve_command", "users": "intake.web.commands:users_group"}

__all__ = ["campaign", "main", "officers", "run", "service"]
