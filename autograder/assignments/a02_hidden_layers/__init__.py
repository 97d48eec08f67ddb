"""Assignment 2: a hidden layer on planar data, then an L-layer network (seed 001 part B, seeds 000,
002, 003 and 004).

Two notebooks: ``planar_classification.ipynb`` (a 2-layer network, tanh hidden layer and sigmoid
output, on data no straight line separates) and ``deep_network.ipynb`` (the L-layer
generalization, forward with caches and backward with error terms). The reference functions are in
:mod:`.references` (thin adapters over nnkit), the randomness bound while random functions are
graded in :mod:`.draws`, the property checks of the initializers in :mod:`.properties`, the graded
functions of each notebook in :mod:`.exercises_planar` and :mod:`.exercises_deep`, their known
mistakes in :mod:`.mistakes_planar` and :mod:`.mistakes_deep`, the sample submissions in
:mod:`.samples`.

``ASSIGNMENT`` is built on first access: the grading sandbox imports :mod:`.references` and
:mod:`.draws` by name, and they must not pull in the grading specs.
"""

from __future__ import annotations

from autograder.assignments.lazy import lazy_assignment

NOTEBOOK_FILES = ("planar_classification.ipynb", "deep_network.ipynb")


def _build():
    from autograder.grading.spec import Assignment

    from .exercises_deep import NOTEBOOK as DEEP
    from .exercises_planar import NOTEBOOK as PLANAR
    from .samples import DEMO_CLASS, SCENARIOS

    return Assignment(
        name="02_hidden_layers",
        title="A hidden layer on planar data, then a deep network",
        notebooks=(PLANAR, DEEP),
        scenarios=SCENARIOS,
        demo_class=DEMO_CLASS,
    )


__getattr__ = lazy_assignment(__name__, _build)
