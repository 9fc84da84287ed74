"""`python -m intake.cli` is the `intake` command."""

from . import run

run()
