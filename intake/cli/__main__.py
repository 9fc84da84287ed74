"""`python -m intake.cli` is the `intake` command."""

from . import main

main()
