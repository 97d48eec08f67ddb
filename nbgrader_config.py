"""nbgrader configuration of the course: run nbgrader from this folder (the repository root).

- ``solutions/<assignment>/`` is nbgrader's source folder (solutions and hidden tests);
- ``assignments/<assignment>/`` is the student release, written by ``nbgrader generate_assignment``;
- ``submitted/``, ``autograded/``, ``feedback/`` and ``gradebook.db`` are created by nbgrader
  when an instructor collects and grades (they are git-ignored).

``nbgrader autograde`` here does NOT execute student notebooks in a Jupyter kernel: the trusted
engine of ``autograder`` grades each graded function in a sandbox and writes its verdicts into the
test cells, from which nbgrader's own ``SaveAutoGrades`` fills the gradebook (see
``autograder/frontends/nbgrader_plugin.py``). The gradebook is SQLite by default; set ``NNKIT_GRADEBOOK_URL``
(e.g. ``postgresql://user:pass@host/course``) to use PostgreSQL instead.

What ``configure`` also sets, against hostile submissions: a submitted notebook that is a symbolic
link, a pipe, a device or too large is refused (score 0, logged) before nbgrader reads it; the
hidden inputs come from the course secret ``.autograder/secret`` (created at first use, mode 0600,
git-ignored; ``autograder secret rotate .`` replaces it); the feedback HTML carries no live markup
from student cells; and ``nbgrader export`` writes a quoted, formula-safe CSV.
"""

import os

from autograder.frontends.nbgrader_plugin import configure

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)
configure(
    c,
    course_root=os.path.dirname(os.path.abspath(__file__)),
    course_id=os.environ.get("NNKIT_COURSE_ID", "nnkit"),
    db_url=os.environ.get("NNKIT_GRADEBOOK_URL"),
)
