"""``python -m nnkit.experiments --out DIR [--quick] [--seed N] [--seeds N ...]`` (see :mod:`nnkit.experiments.cli`)."""

import sys

from nnkit.experiments.cli import main

sys.exit(main())
