"""The grading core: what an exercise is, how a notebook's code is extracted, graded, compared and judged."""
