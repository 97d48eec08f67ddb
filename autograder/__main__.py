"""``python -m autograder``: the same command line as the ``autograder`` script (see :mod:`autograder.frontends.cli`)."""

import sys

from autograder.frontends.cli import run

if __name__ == "__main__":
    sys.exit(run())
