"""Hidden cases that cannot be predicted (issue 11, section 3).

The attack: a function that is only a table of the answers precomputed for the hidden cases of a
known key. With the old default (no secret: the key was ``"/<student>"``) it scored full marks;
with the course secret, created at first use, it scores 0 through ``autograder grade`` and through
``nbgrader autograde``. The secret is a 0600 file of the course, never on a command line, in an
environment passed to a child, or in any output; rotating it changes every hidden case and makes
the next run grade everything again.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from _hostile import A1, NOTEBOOK, REPO, lookup_table_answer, notebook_bytes, run_watched
from autograder.frontends import cli
from autograder.frontends import secret as course_secret
from autograder.grading.engine import grade

pytestmark = pytest.mark.skipif(not (REPO / "solutions" / A1.name / NOTEBOOK).exists(),
                                reason="the solution notebook of assignment 1 is missing")
PROPAGATE_POINTS = A1.exercise("propagate").points


# ----------------------------------------------------------------------------- the secret file
def test_created_at_first_use_private_and_stable(tmp_path):
    path = tmp_path / "course" / ".autograder" / "secret"
    first = course_secret.load_secret(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600 and stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert len(first.value) == 64 and int(first.value, 16) >= 0
    assert course_secret.load_secret(path) == first
    assert first.value not in repr(first) and first.value not in str(first) and first.fingerprint in str(first)
    assert os.listdir(path.parent) == ["secret"]  # no temporary file left behind


def test_concurrent_first_uses_agree_on_one_secret(tmp_path):
    path = tmp_path / ".autograder" / "secret"
    got = []
    threads = [threading.Thread(target=lambda: got.append(course_secret.load_secret(path).value)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 8 and len(set(got)) == 1


def test_a_secret_others_can_read_or_a_link_or_damage_is_refused(tmp_path):
    path = tmp_path / ".autograder" / "secret"
    course_secret.load_secret(path)
    path.chmod(0o644)
    with pytest.raises(course_secret.SecretError, match=r"can be read by other users \(mode 0644\): run `chmod 600"):
        course_secret.load_secret(path)
    path.chmod(0o600)
    path.write_text("not hex\n")
    with pytest.raises(course_secret.SecretError, match="is damaged"):
        course_secret.load_secret(path)
    path.unlink()
    elsewhere = tmp_path / "known"
    elsewhere.write_text("0" * 64)
    elsewhere.chmod(0o600)
    path.symlink_to(elsewhere)
    with pytest.raises(course_secret.SecretError, match="is a symbolic link"):
        course_secret.load_secret(path)


def test_rotation_replaces_it_atomically(tmp_path):
    path = tmp_path / ".autograder" / "secret"
    old = course_secret.load_secret(path)
    new = course_secret.rotate_secret(path)
    assert new.value != old.value and course_secret.load_secret(path) == new
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600 and os.listdir(path.parent) == ["secret"]


def test_where_it_lives_never_inside_what_students_write(tmp_path, monkeypatch):
    course = tmp_path / "course"
    (course / "submitted" / "bob" / A1.name).mkdir(parents=True)
    (course / "nbgrader_config.py").write_text("")
    # a student who plants a course marker and a secret of their choice in their own folder
    planted = course / "submitted" / "bob" / A1.name
    (planted / "nbgrader_config.py").write_text("")
    (planted / ".autograder").mkdir()
    (planted / ".autograder" / "secret").write_text("0" * 64)
    for graded in (course, course / "submitted", planted, planted / NOTEBOOK):
        assert course_secret.course_root(graded) == course
        assert course_secret.secret_path(graded) == course / ".autograder" / "secret"
    bare = tmp_path / "bare-course" / "submitted"  # no nbgrader_config.py: the parent of submitted/
    bare.mkdir(parents=True)
    assert course_secret.course_root(bare) == bare.parent
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    loose = tmp_path / "downloads"
    loose.mkdir()
    assert course_secret.course_root(loose) is None
    assert course_secret.secret_path(loose) == tmp_path / "state" / "nnkit-autograder" / "secret"


def test_the_command_line_takes_no_secret(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["grade", ".", "--secret", "x"])
    assert info.value.code == 2 and "unrecognized arguments: --secret" in capsys.readouterr().err


# ----------------------------------------------------------------------------- the attack, autograder grade
@pytest.fixture(scope="module")
def attacked_class(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("secret-class")
    course = tmp / "course"
    for student, data in {"ada": notebook_bytes(),
                          "mallory": notebook_bytes({"propagate": lookup_table_answer("propagate", "/mallory")})}.items():
        folder = course / "submitted" / student / A1.name
        folder.mkdir(parents=True)
        (folder / NOTEBOOK).write_bytes(data)
    env = {**os.environ, "MPLCONFIGDIR": str(tmp / "mpl"), "XDG_STATE_HOME": str(tmp / "state")}
    proc, seen = run_watched([sys.executable, "-m", "autograder", "grade", str(course), "--jobs", "2", "--quiet"],
                             cwd=tmp, env=env, timeout=600)
    subs = {s["student"]: s for s in json.loads((course / "autograder-report" / "report.json").read_text())["submissions"]}
    return {"tmp": tmp, "course": course, "proc": proc, "seen": seen, "subs": subs,
            "secret": course_secret.load_secret(course / ".autograder" / "secret", create=False)}


def test_the_lookup_table_scores_full_marks_when_the_key_is_predictable(tmp_path):
    """The attack is real: against the old default key it passes every hidden case."""
    path = tmp_path / NOTEBOOK
    path.write_bytes(notebook_bytes({"propagate": lookup_table_answer("propagate", "/mallory")}))
    result = grade(path, A1, key="/mallory", only={"propagate"}).exercises[0]
    assert result.passed and result.points == PROPAGATE_POINTS


def test_the_lookup_table_scores_zero_through_autograder_grade(attacked_class):
    assert attacked_class["proc"].returncode == 0, attacked_class["proc"].stderr[-3000:]
    subs = attacked_class["subs"]
    assert subs["ada"]["score"] == A1.max_score
    propagate = next(e for e in subs["mallory"]["exercises"] if e["name"] == "propagate")
    assert propagate["points"] == 0.0 and not propagate["passed"]
    assert subs["mallory"]["score"] == A1.max_score - PROPAGATE_POINTS


def test_grade_created_the_course_secret_and_says_so_without_revealing_it(attacked_class):
    secret, course = attacked_class["secret"], attacked_class["course"]
    assert secret.path == course / ".autograder" / "secret"
    assert stat.S_IMODE(os.stat(secret.path).st_mode) == 0o600
    err = attacked_class["proc"].stderr
    assert f"Hidden inputs drawn from the course secret {secret.fingerprint}" in err


def test_the_secret_is_in_no_command_line_environment_or_output(attacked_class):
    value = attacked_class["secret"].value.encode()
    seen = attacked_class["seen"]
    assert seen, "no process was started by the grader: the probe saw nothing"
    for pid, (cmdline, environ) in seen.items():
        assert value not in cmdline and value not in environ, (pid, cmdline[:200])
    proc = attacked_class["proc"]
    assert value.decode() not in proc.stdout + proc.stderr
    for path in (attacked_class["course"] / "autograder-report").rglob("*"):
        if path.is_file():
            assert value not in path.read_bytes(), path


def test_rotation_changes_the_hidden_cases_and_grades_everything_again(tmp_path, capsys):
    course = tmp_path / "course"
    secret = course_secret.load_secret(course / ".autograder" / "secret")  # made before grading: then leaked
    for student, data in {"ada": notebook_bytes(),
                          "leaky": notebook_bytes({"propagate": lookup_table_answer("propagate",
                                                                                    f"{secret.value}/leaky")})}.items():
        folder = course / "submitted" / student / A1.name
        folder.mkdir(parents=True)
        (folder / NOTEBOOK).write_bytes(data)
    report = course / "autograder-report" / "report.json"

    def run() -> dict:
        assert cli.main(["grade", str(course), "--quiet", "--jobs", "2"]) == 0
        return {s["student"]: s for s in json.loads(report.read_text())["submissions"]}

    first = run()
    assert first["leaky"]["score"] == A1.max_score  # a leaked secret lets the table pass
    assert all(s["cached"] for s in run().values())  # same secret: nothing is graded again
    assert cli.main(["secret", "rotate", str(course)]) == 0
    assert f"replacing {secret.fingerprint}" in capsys.readouterr().out
    rotated = run()
    assert not any(s["cached"] for s in rotated.values())  # the key digest changed: everything regraded
    assert rotated["ada"]["score"] == A1.max_score
    assert rotated["leaky"]["score"] == A1.max_score - PROPAGATE_POINTS


def test_check_has_no_secret_and_says_the_instructors_cases_differ(tmp_path):
    path = tmp_path / "mine" / NOTEBOOK
    path.parent.mkdir()
    path.write_bytes(notebook_bytes())
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mpl"), "XDG_STATE_HOME": str(tmp_path / "state")}
    proc, _ = run_watched([sys.executable, "-m", "autograder", "check", str(path)], cwd=tmp_path, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "the instructor's grader draws its own hidden inputs from a course secret" in proc.stdout
    assert not (tmp_path / "state").exists() and not list(tmp_path.rglob(".autograder"))


# ----------------------------------------------------------------------------- the attack, nbgrader autograde
def test_the_lookup_table_scores_zero_through_nbgrader_autograde(hostile_course):
    book = hostile_course["book"]
    assert book["ada"]["score"] == A1.max_score
    assert book["mallory"]["grades"]["test_propagate"] == 0.0
    assert book["mallory"]["score"] == A1.max_score - PROPAGATE_POINTS


def test_nbgrader_keeps_the_secret_in_the_course_and_out_of_every_child_and_output(hostile_course):
    course = hostile_course["course"]
    secret = course_secret.load_secret(course / ".autograder" / "secret", create=False)
    assert stat.S_IMODE(os.stat(secret.path).st_mode) == 0o600
    value = secret.value.encode()
    assert hostile_course["seen"], "no process was started by nbgrader autograde: the probe saw nothing"
    for pid, (cmdline, environ) in hostile_course["seen"].items():
        assert value not in cmdline and value not in environ, (pid, cmdline[:200])
    for run in ("autograde", "feedback", "export"):
        assert secret.value not in hostile_course[run].stdout + hostile_course[run].stderr
    for top in ("autograded", "feedback", "submitted", "assignments"):
        for path in (course / top).rglob("*"):
            st = path.lstat()  # not the links, pipes and the sparse 1.5 GiB file of the hostile students
            if stat.S_ISREG(st.st_mode) and st.st_size < 64 << 20:
                assert value not in path.read_bytes(), path
