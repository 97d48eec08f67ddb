"""The trusted autograder of the nnkit course. Its folders are its layers:

- ``assignments/``: the content, one package per assignment (exercises, known mistakes, samples);
- ``grading/``: the grading core: specs, extraction of the student's code, the engine, the
  comparison and the verdict;
- ``isolation/``: where student code runs: the sandbox, the harness inside it, the plain-data
  transport across its boundary;
- ``frontends/``: how people use it: the command line, class grading, the nbgrader plugin, the
  in-notebook checker, the reports and the demo.

Notebooks say ``from autograder import Checker``.
"""

__all__ = ["Checker", "ExerciseFailed"]


def __getattr__(name):  # lazy, so that importing a submodule stays cheap
    if name in __all__:
        from autograder.frontends import notebook

        return getattr(notebook, name)
    raise AttributeError(f"module 'autograder' has no attribute {name!r}")
