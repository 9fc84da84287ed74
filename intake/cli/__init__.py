"""The `intake` command line: options → settings → one call into the package; errors → stable exit codes.
Never holds business rules: each command parses its options, calls one entry point and prints what it gave.

`main` is the command group (cli/base.py); the commands live by who types them: the service's (service.py), the
officers' (officers.py), the campaign's (campaign.py), the web desk's (intake/web/commands.py).
"""

from __future__ import annotations

from .base import main, run

# Each command's module is imported when the command is typed: `intake scan` starts its OCR workers before the
# service's modules are imported (cli/service.py), the officers' commands never load the OCR code, none loads Flask.
main.lazy = {
    **{name: f"intake.cli.service:{name}_command" for name in ("scan", "watch")},
    **{name: f"intake.cli.officers:{name}_command"
       for name in ("report", "override", "search", "export", "notices", "contact")},
    **{name: f"intake.cli.campaign:{name}_command" for name in ("invite", "close")},
    "serve": "intake.web.commands:serve_command",
    "users": "intake.web.commands:users_group",
}

__all__ = ["main", "run"]
