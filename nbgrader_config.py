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
