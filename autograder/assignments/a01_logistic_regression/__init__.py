"""Assignment 1: logistic regression as a neural network (seed 001 part A, seed 002).

One notebook, ``logistic_regression.ipynb``; the graded functions are in :mod:`.exercises`, their
known mistakes in :mod:`.mistakes`, the sample submissions in :mod:`.samples`.
"""

from autograder.grading.spec import Assignment

from .exercises import NOTEBOOK
from .samples import DEMO_CLASS, SCENARIOS

ASSIGNMENT = Assignment(
    name="01_logistic_regression",
    title="Logistic regression as a neural network",
    notebooks=(NOTEBOOK,),
    scenarios=SCENARIOS,
    demo_class=DEMO_CLASS,
)
