"""The `intake` command line: options → settings → one call into the package; errors → stable exit codes.
Never holds business rules: each command parses its options, calls one entry point and prints what it gave.

`main` is the command group (cli/base.py); the commands live by who types them: the service's (service.py), the
officers' (officers.py), the campaign's (campaign.py), the web desk's (intake/web/commands.py).
"""

from __future__ import annotations

from ..web import serve_command, users_group
from . import campaign, officers, service
from .base import main

main.add_command(users_group)
main.add_command(serve_command)

__all__ = ["campaign", "main", "officers", "service"]
