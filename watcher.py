"""Entry point: `python watcher.py [options]` is `intake watch [options]`."""

import sys

from intake.cli import main

if __name__ == "__main__":
    main(["watch", *sys.argv[1:]])
