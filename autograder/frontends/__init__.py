"""How people use the grader: command line, class grading, nbgrader plugin, in-notebook checker, reports, demo."""
