"""Assignment 3: initialization, regularization and gradient checking (seed 001 part C, seeds 003, 004).

Three notebooks: ``initialization.ipynb`` (:mod:`.exercises_init`), ``regularization.ipynb``
(:mod:`.exercises_reg`) and ``gradient_checking.ipynb`` (:mod:`.exercises_gradcheck`). The
references are thin adapters over nnkit (:mod:`.references`); the known mistakes are in
:mod:`.mistakes_init`, :mod:`.mistakes_reg` and :mod:`.mistakes_gradcheck`; the property checks of
the random functions, the backward passes and the 1-D gradient check in :mod:`.checks`; the
per-case random streams in :mod:`.draws`; the random inputs in :mod:`.cases`; the sample
submissions in :mod:`.samples`.
"""

from __future__ import annotations

from autograder.assignments.lazy import lazy_assignment

NOTEBOOK_FILES = ("initialization.ipynb", "regularization.ipynb", "gradient_checking.ipynb")


def _build():
    from autograder.grading.spec import Assignment

    from .exercises_gradcheck import NOTEBOOK as GRADIENT_CHECKING
    from .exercises_init import NOTEBOOK as INITIALIZATION
    from .exercises_reg import NOTEBOOK as REGULARIZATION
    from .samples import DEMO_CLASS, SCENARIOS

    return Assignment(name="03_improving_training",
                      title="Improving training: initialization, regularization and gradient checking",
                      notebooks=(INITIALIZATION, REGULARIZATION, GRADIENT_CHECKING), scenarios=SCENARIOS,
                      demo_class=DEMO_CLASS)


__getattr__ = lazy_assignment(__name__, _build)
