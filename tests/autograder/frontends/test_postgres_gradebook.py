"""The kit's nbgrader flow with a PostgreSQL gradebook (README: "Using PostgreSQL for the gradebook").

Runs only when ``NNKIT_TEST_POSTGRES_URL`` names a database the test may create a schema in, e.g.

    NNKIT_TEST_POSTGRES_URL=postgresql+psycopg://nbgrader:secret@127.0.0.1/nnkit_gradebook

It copies the repository's ``nbgrader_config.py`` and assignment 1 into a temporary course, points
the config at the database through ``NNKIT_GRADEBOOK_URL`` (with ``search_path`` set to a fresh
schema, dropped at the end, so nothing else in the database is touched), runs
``nbgrader generate_assignment`` and ``nbgrader autograde`` for two students, and reads the
scores back from PostgreSQL.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from autograder.assignments import get_assignment
from autograder.frontends.samples import build_submission, load_notebooks

ASSIGNMENT = "01_logistic_regression"
NOTEBOOK = "logistic_regression.ipynb"

URL = os.environ.get("NNKIT_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(
    not URL, reason="set NNKIT_TEST_POSTGRES_URL=postgresql+psycopg://user:password@host/database to test "
                    "the PostgreSQL gradebook (see the README)")

REPO = Path(__file__).resolve().parents[3]
COURSE_ID = "nnkit-pg-test"
CLASS = {"ada": ("correct", 11.0), "ben": ("missing-1-over-m", 8.0)}


@pytest.fixture(scope="module")
def schema_url():
    """A URL whose connections use a fresh schema (created here, dropped afterwards)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    try:
        engine = create_engine(URL)
        with engine.connect() as con:
            con.execute(text("SELECT 1"))
    except ModuleNotFoundError as exc:
        pytest.fail(f"No PostgreSQL driver for {make_url(URL).drivername!r} ({exc}): "
                    "pip install 'psycopg[binary]' (postgresql+psycopg://) or psycopg2-binary (postgresql+psycopg2://)")
    schema = f"nnkit_test_{uuid.uuid4().hex[:12]}"
    with engine.begin() as con:
        con.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False), schema, engine
    finally:
        with engine.begin() as con:
            con.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def _env(state: Path, db_url: str) -> dict:
    env = dict(os.environ)
    for var, sub in (("HOME", "home"), ("JUPYTER_CONFIG_DIR", "jupyter/config"), ("JUPYTER_DATA_DIR", "jupyter/data"),
                     ("JUPYTER_RUNTIME_DIR", "jupyter/runtime"), ("IPYTHONDIR", "ipython"), ("MPLCONFIGDIR", "mpl")):
        (state / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(state / sub)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")  # nbgrader runs alembic
    env["PYTHONWARNINGS"] = "ignore:Object of type"
    env["NNKIT_GRADEBOOK_URL"] = db_url
    env["NNKIT_COURSE_ID"] = COURSE_ID
    return env


@pytest.fixture(scope="module")
def graded(schema_url, tmp_path_factory):
    db_url, schema, engine = schema_url
    out = tmp_path_factory.mktemp("postgres")
    course = out / "course"
    (course / "solutions").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")  # the kit's own config file
    shutil.copytree(REPO / "solutions" / ASSIGNMENT, course / "solutions" / ASSIGNMENT)
    env = _env(out / ".state", db_url)
    nbgrader = str(Path(sys.executable).with_name("nbgrader"))
    gen = subprocess.run([nbgrader, "generate_assignment", ASSIGNMENT, "--force"], cwd=course, env=env,
                         capture_output=True, text=True, timeout=300)
    assert gen.returncode == 0, gen.stdout[-2000:] + gen.stderr[-3000:]

    a1 = get_assignment(ASSIGNMENT)
    releases, answers = load_notebooks(a1, course)
    for student, (scenario, _) in CLASS.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / NOTEBOOK).write_bytes(build_submission(a1, a1.scenario(scenario), releases, answers)[NOTEBOOK])
        (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
    auto = subprocess.run([nbgrader, "autograde", ASSIGNMENT, "--force"], cwd=course, env=env,
                          capture_output=True, text=True, timeout=300)
    return {"course": course, "db_url": db_url, "schema": schema, "engine": engine, "autograde": auto}


def test_autograde_writes_the_scores_into_postgres(graded):
    from nbgrader.api import Gradebook

    auto = graded["autograde"]
    assert auto.returncode == 0, auto.stdout[-2000:] + auto.stderr[-3000:]
    with Gradebook(graded["db_url"], COURSE_ID) as gb:
        assert gb.engine.dialect.name == "postgresql"
        assert sorted(s.id for s in gb.students) == sorted(CLASS)
        for student, (_, expected) in CLASS.items():
            sub = gb.find_submission(ASSIGNMENT, student)
            assert (float(sub.score), float(sub.max_score)) == (expected, 11.0), student
        ben = {g.name: g.score for nb in gb.find_submission(ASSIGNMENT, "ben").notebooks for g in nb.grades}
        assert ben["test_propagate"] == 0.0 and ben["test_optimize"] == 2.0


def test_the_gradebook_is_in_postgres_not_sqlite(graded):
    from sqlalchemy import text

    assert not (graded["course"] / "gradebook.db").exists()
    with graded["engine"].connect() as con:
        tables = set(con.execute(text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
                                 {"s": graded["schema"]}).scalars())
        assert {"assignment", "student", "submitted_assignment", "grade", "alembic_version"} <= tables
        n = con.execute(text(f'SELECT count(*) FROM "{graded["schema"]}".submitted_assignment')).scalar()
        assert n == len(CLASS)
