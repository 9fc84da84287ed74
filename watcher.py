"""Entry point: `python watcher.py [options]` is `intake watch [options]`."""

import sys

from intake.cli import run

if __name__ == "__main__":
    run(["watch", *sys.argv[1:]])
