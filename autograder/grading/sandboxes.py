"""The sandboxes graded functions run in: a pool of warm ones, started before numpy is imported here.

:func:`sandbox_pool` is what :func:`autograder.grading.engine.grade` takes as ``backend`` to grade
many notebooks in warm sandboxes; ``autograder check`` starts one first thing, so that the sandbox
boots while this process imports numpy, reads the notebook and computes the references. This
module imports neither numpy nor the grading specs.
"""

from __future__ import annotations

import os
from typing import Iterable

from autograder.grading import bounded
from autograder.isolation.limits import Limits
from autograder.isolation.pool import Pool

__all__ = ["sandbox_pool", "STUB_MODULES", "ONE_SHOT_PARALLEL"]

#: Packages that graded functions never need and that cost seconds to import in a fresh sandbox:
#: the harness serves inert stubs for them (a stray ``plt.plot`` inside a function does nothing;
#: ``from autograder import Checker`` gives an inert checker). The references of the assignments,
#: under ``autograder.assignments``, stay importable.
STUB_MODULES = ("matplotlib", "ipywidgets", "IPython", "tqdm", "autograder.frontends")

#: Graded functions run at once for a single submission (``autograder check``): its sandbox has the
#: cores to itself. Class grading keeps one at a time: its sandboxes already fill the cores.
ONE_SHOT_PARALLEL = min(2, os.cpu_count() or 1)


def sandbox_pool(assignments: Iterable[str], size: int = 1, backend: str | None = "auto", allow_weak: bool = False,
                 limits: Limits | None = None, parallel: int = 1, many: bool = True) -> Pool:
    """Warm sandboxes for grading ``assignments`` (their references are imported once per sandbox);
    pass the pool as ``grade(..., backend=pool)``. ``backend``/``allow_weak``: see :mod:`autograder.isolation.probe`;
    ``parallel``: graded functions of one submission run at once (for a single submission on idle cores);
    ``many``: many notebooks will be read (the notebook reader warms up IPython's translator once)."""
    from autograder.assignments import ASSIGNMENT_NAMES, package_of

    if many:
        bounded.warm_translator()
    # an assignment made on the fly (tests) has no package: its references are imported per job instead
    preload = tuple(package_of(a) for a in assignments if a in ASSIGNMENT_NAMES)
    return Pool(size, backend=backend or "auto", allow_weak=allow_weak, limits=limits or Limits(),
                stub_modules=STUB_MODULES, preload=preload, parallel=parallel)
