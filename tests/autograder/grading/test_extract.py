"""`autograder.extract`: which code of a notebook is kept for grading, how problems are located, and
how a damaged file is refused (always with SubmissionError and an actionable message)."""

from __future__ import annotations

import ast
import json
import os
import threading
from pathlib import Path

import pytest

from autograder.grading import extract as extract_module
from autograder.grading.extract import SubmissionError, StudentCode, extract_code, load_notebook, parse_notebook

REPO = Path(__file__).resolve().parents[3]
SOLUTION = REPO / "solutions" / "01_logistic_regression" / "logistic_regression.ipynb"


def code(source, nbgrader=None):
    md = {"nbgrader": {"schema_version": 3, "locked": False, "grade": False, "solution": False, **nbgrader}} if nbgrader else {}
    return {"cell_type": "code", "metadata": md, "source": source, "outputs": [], "execution_count": None}


def markdown(source):
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def notebook(*cells):
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": list(cells)}


def extract(*cells) -> StudentCode:
    return extract_code(parse_notebook(json.dumps(notebook(*cells))))


def run(student: StudentCode) -> dict:
    ns: dict = {}
    exec(compile(student.source, "student.py", "exec"), ns)
    return ns


# ----------------------------------------------------------------------------- what is kept
def test_magics_and_shell_lines_are_translated_and_skipped():
    student = extract(code(
        "%matplotlib inline\n"
        "!pip install nothing-at-all\n"
        "%load_ext autoreload\n"
        "import math\n"
        "files = !ls /\n"
        "np_help = 1\n"
        "math.sqrt?\n"
        "def f(x):\n"
        "    return math.sqrt(x)  # a comment ending with a question mark?\n"
    ))
    assert student.problems == []
    assert student.defined == ["f", "math", "np_help"]
    assert "get_ipython" not in student.source and "!" not in student.source and "%" not in student.source
    assert "files" not in student.source
    assert run(student)["f"](9.0) == 3.0


def test_help_syntax_alone_is_translated():
    """`obj?` is valid in a notebook even in a cell with no % or ! (it used to be a syntax error)."""
    student = extract(code("import math\nmath.sqrt?\n??math\ndef f():\n    return 1\n"))
    assert student.problems == [] and student.defined == ["f", "math"]
    assert student.locate(student.source.splitlines().index("def f():") + 1) == "cell 1, line 4"


def test_percent_and_bang_in_plain_python_are_left_alone():
    student = extract(code("A = 7\nB = A % 3\nC = 'x' != 'y'\ndef g():\n    return '%d!' % (A % 3)\n"))
    assert student.problems == [] and student.defined == ["A", "g"]  # B and C are not literals
    assert run(student)["g"]() == "1!"


def test_time_and_capture_cell_magics_keep_the_definitions():
    student = extract(code("%%time\nimport math\ndef f(x):\n    return math.floor(x)\n"),
                      code("%%capture out\ndef g():\n    return 2\n"),
                      code("%%writefile notes.txt\ndef h():\n    return 3\n"))
    assert student.problems == []
    assert student.defined == ["f", "g", "math"]  # %%writefile's body is text, not code
    ns = run(student)
    assert ns["f"](2.5) == 2 and ns["g"]() == 2
    # line numbers still refer to the cell (the magic line is line 1)
    line = student.source.splitlines().index("def f(x):") + 1
    assert student.locate(line) == "cell 1, line 3"


def test_only_imports_defs_classes_and_literal_assignments_are_kept():
    student = extract(code(
        "import numpy as np\n"
        "from math import pi as PI, e\n"
        "import os.path\n"
        "N = 3\n"
        "RATES = (0.1, -0.5, {'a': [1, 2]})\n"
        "A = B = 'both'\n"
        "x = np.zeros(N)\n"  # a call: dropped
        "y, z = 1, 2\n"  # tuple target: dropped
        "LR: float = 0.1\n"  # annotated: dropped
        "print('training...')\n"
        "for i in range(3):\n    N += 1\n"
        "class Net:\n    size = N\n"
        "async def later():\n    return 1\n"
        "def f():\n    return N\n"
        "f()\n"
    ))
    assert student.defined == sorted(["A", "B", "Net", "N", "PI", "RATES", "e", "f", "later", "np", "os"])
    tree = ast.parse(student.source)
    kinds = {type(s).__name__ for s in tree.body}
    assert kinds == {"Import", "ImportFrom", "Assign", "ClassDef", "AsyncFunctionDef", "FunctionDef"}
    assert "print(" not in student.source and "for i" not in student.source and "np.zeros" not in student.source
    assert run(student)["f"]() == 3  # the loop that changed N did not run


def test_later_definitions_override_earlier_ones_and_where_is_the_last():
    student = extract(code("def f():\n    return 1\n"), markdown("text"), code("def f():\n    return 2\n"))
    assert run(student)["f"]() == 2
    assert student.where["f"] == "cell 3"


def test_test_cells_are_skipped_but_graded_answer_cells_are_kept():
    student = extract(
        code("def f():\n    return 1\n", {"grade_id": "answer_f", "solution": True}),
        code("def f():\n    return 'from the test cell'\nimport os\n", {"grade_id": "test_f", "grade": True, "locked": True, "points": 1}),
        code("def g():\n    return 2\n", {"grade_id": "answer_g", "solution": True, "grade": True, "points": 1}),
        code("def h():\n    return 3\n"),
    )
    assert student.defined == ["f", "g", "h"]
    assert "from the test cell" not in student.source
    assert run(student)["f"]() == 1


def test_markdown_and_raw_cells_are_ignored():
    student = extract(markdown("def f():\n    return 1\n"), {"cell_type": "raw", "metadata": {}, "source": "import os"})
    assert student.defined == [] and student.source.strip() == ""


def test_damaged_cell_metadata_does_not_stop_extraction():
    cells = [code("def f():\n    return 1\n"), code("def g():\n    return 2\n")]
    cells[0]["metadata"] = ["not", "a", "dict"]
    cells[1]["metadata"] = {"nbgrader": "garbage"}
    student = extract(*cells)
    assert student.defined == ["f", "g"]


def test_decorators_are_kept_with_their_function():
    student = extract(code(
        "import functools\n"
        "@functools.lru_cache(maxsize=None)\n"
        "@staticmethod.__func__ if False else (lambda fn: fn)\n"
        "def fib(n):\n"
        "    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
    ))
    assert "@functools.lru_cache(maxsize=None)" in student.source
    fib = run(student)["fib"]
    assert fib(30) == 832040 and hasattr(fib, "cache_info")
    assert student.locate(student.source.splitlines().index("@functools.lru_cache(maxsize=None)") + 1) == "cell 1, line 2"


# ----------------------------------------------------------------------------- syntax errors and locations
def test_syntax_error_is_reported_with_cell_and_line_and_other_cells_still_extracted():
    student = extract(
        markdown("# Title"),
        code("def f():\n    return 1\n"),
        code("import math\n\ndef g(x)\n    return x\n"),  # missing colon on line 3 of cell 3
        code("def h():\n    return 3\n"),
    )
    assert student.defined == ["f", "h"]  # g (and the import in its cell) are missing
    assert len(student.problems) == 1
    assert student.problems[0].startswith("cell 3 has a syntax error on line 3")
    msg = student.missing_message("g")
    assert "No function named `g` was found" in msg and "cell 3 has a syntax error on line 3" in msg
    ns = run(student)
    assert ns["f"]() == 1 and ns["h"]() == 3


def test_indentation_error_in_a_magic_cell_is_a_syntax_problem():
    student = extract(code("def f():\n    return 1 % 2\n  %time\n"), code("def ok():\n    return 1\n"))
    assert student.defined == ["ok"]
    assert student.problems and student.problems[0].startswith("cell 1 has a syntax error")


def test_locate_maps_source_lines_back_to_cells():
    student = extract(
        markdown("intro"),
        code("import math\nprint('dropped')\n\n\ndef f(x):\n    y = x + 1\n    return y\n"),
        code("X = 1\ndef g():\n    return X\n"),
    )
    lines = student.source.splitlines()
    assert student.locate(lines.index("    y = x + 1") + 1) == "cell 2, line 6"
    assert student.locate(lines.index("def g():") + 1) == "cell 3, line 2"
    assert student.locate(lines.index("import math") + 1) == "cell 2, line 1"
    # the blank separator lines, line 0, None and lines past the end are unknown
    blank = lines.index("")
    assert student.locate(blank + 1) == ""
    assert student.locate(0) == "" and student.locate(None) == "" and student.locate(len(lines) + 5) == ""


def test_locate_matches_the_line_of_a_real_exception():
    student = extract(markdown("m"), code("def f(x):\n    a = 1\n    return x / 0\n"))
    ns: dict = {}
    exec(compile(student.source, "student.py", "exec"), ns)
    with pytest.raises(ZeroDivisionError) as info:
        ns["f"](1)
    lineno = info.traceback[-1].lineno + 1  # pytest's lineno is 0-based
    assert student.locate(lineno) == "cell 2, line 3"


def test_missing_message_suggests_a_renamed_function():
    student = extract(markdown("m"), code("def propgate(w, b, X, Y):\n    return None\n"))
    msg = student.missing_message("propagate")
    assert "No function named `propagate` was found in your notebook." in msg
    assert "Did you rename it? `propgate` is defined in cell 2: name it `propagate` again." in msg


def test_missing_message_without_a_close_name():
    student = extract(code("def unrelated():\n    return None\n"))
    msg = student.missing_message("propagate")
    assert "Did you rename it" not in msg
    assert "Define it (with exactly this name)" in msg


def test_real_solution_notebook_defines_every_graded_function():
    student = extract_code(load_notebook(SOLUTION))
    assert student.problems == []
    for name in ("flatten_and_scale", "sigmoid", "initialize_with_zeros", "propagate", "optimize", "predict", "model"):
        assert name in student.defined
    assert "grader.check(" not in student.source  # test cells are skipped
    assert "BEGIN HIDDEN TESTS" not in student.source
    assert "load_digits_binary(positive=3" not in student.source  # top-level work is skipped


# ----------------------------------------------------------------------------- load_notebook errors
def write(tmp_path, data, name="nb.ipynb") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def refused(path) -> str:
    """The message of the SubmissionError raised by load_notebook (and nothing else may be raised)."""
    try:
        load_notebook(path)
    except SubmissionError as exc:
        return str(exc)
    except BaseException as exc:  # pragma: no cover - this is the failure being tested for
        pytest.fail(f"load_notebook raised {type(exc).__name__}: {exc}, not SubmissionError")
    pytest.fail("load_notebook accepted a broken file")


def test_valid_notebook_loads(tmp_path):
    nb = notebook(code(["def f():\n", "    return 1\n"]))
    loaded = load_notebook(write(tmp_path, json.dumps(nb)))
    assert loaded["cells"][0]["source"] == "def f():\n    return 1\n"  # list sources are joined


def test_not_utf8(tmp_path):
    raw = json.dumps(notebook(code("x = 'caf\u00e9'"))).encode("utf-8").replace(b"\\u00e9", b"\xe9")
    msg = refused(write(tmp_path, raw))
    assert "nb.ipynb is not valid UTF-8 text (byte" in msg and "Open the original in JupyterLab, save it" in msg


def test_invalid_json_reports_line_and_column(tmp_path):
    text = json.dumps(notebook(code("x = 1")), indent=1)
    broken = text.replace('"cell_type": "code",', '"cell_type": "code"', 1)
    line = next(i for i, ln in enumerate(broken.splitlines(), 1) if '"cell_type": "code"' in ln) + 1
    msg = refused(write(tmp_path, broken))
    assert f"nb.ipynb is not valid notebook JSON (line {line}, column" in msg
    assert "File > Revert" in msg


def test_truncated_json(tmp_path):
    text = json.dumps(notebook(code("x = 1")), indent=1)
    msg = refused(write(tmp_path, text[: len(text) // 2]))
    assert "is not valid notebook JSON (line" in msg


@pytest.mark.parametrize("text, phrase", [
    ("[" * 200_000 + "]" * 200_000, "nesting too deep"),
    ('{"nbformat": 4, "cells": [], "n": ' + "7" * 6000 + "}", "not valid notebook JSON"),
    ("", "not valid notebook JSON"),
])
def test_pathological_json(tmp_path, text, phrase):
    assert phrase in refused(write(tmp_path, text))


def test_nbformat_3(tmp_path):
    nb = notebook(code("x = 1"))
    nb["nbformat"] = 3
    msg = refused(write(tmp_path, json.dumps(nb)))
    assert "uses notebook format 3; format 4 is required" in msg and "JupyterLab" in msg


@pytest.mark.parametrize("doc", [
    {"nbformat": 4, "cells": {"0": {}}},
    {"nbformat": 4},
    [1, 2, 3],
    "a string",
])
def test_cells_not_a_list(tmp_path, doc):
    assert "is JSON but not a Jupyter notebook (no list of cells)" in refused(write(tmp_path, json.dumps(doc)))


@pytest.mark.parametrize("bad_cell, phrase", [
    ("just text", "cell 2 is damaged (not a code, markdown or raw cell)"),
    ({"cell_type": "heading", "source": "x"}, "cell 2 is damaged"),
    ({"source": "x"}, "cell 2 is damaged"),
    ({"cell_type": "code", "source": 42}, "cell 2 has damaged source text"),
    ({"cell_type": "code", "source": ["ok", 1]}, "cell 2 has damaged source text"),
])
def test_damaged_cell(tmp_path, bad_cell, phrase):
    nb = notebook(code("x = 1"), bad_cell)
    assert phrase in refused(write(tmp_path, json.dumps(nb)))


def test_file_too_big(tmp_path, monkeypatch):
    monkeypatch.setattr(extract_module, "MAX_NOTEBOOK_BYTES", 3 << 20)
    nb = notebook(code("x = 1"))
    nb["cells"][0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x" * (4 << 20)}]
    msg = refused(write(tmp_path, json.dumps(nb)))
    assert "nb.ipynb is 4 MiB, above the 3 MiB limit" in msg and "Clear Outputs" in msg


def test_missing_file(tmp_path):
    assert refused(tmp_path / "absent.ipynb") == "Cannot read absent.ipynb: No such file or directory."


def test_directory_instead_of_a_file(tmp_path):
    folder = tmp_path / "folder.ipynb"
    folder.mkdir()
    assert "Cannot read folder.ipynb: it is not a regular file" in refused(folder)


def test_fifo_does_not_block(tmp_path):
    fifo = tmp_path / "pipe.ipynb"
    os.mkfifo(fifo)
    outcome = {}
    worker = threading.Thread(target=lambda: outcome.setdefault("msg", refused(fifo)), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # blocked opening the FIFO: release it, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(5)
        pytest.fail("load_notebook blocked on a FIFO")
    assert "not a regular file" in outcome["msg"]


def test_unreadable_file(tmp_path):
    path = write(tmp_path, json.dumps(notebook()))
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything: emulate EACCES where the file is opened
        real = os.open

        def denied(name, flags, *args, dir_fd=None, **kw):
            if name == path.name and dir_fd is not None:
                raise PermissionError(13, "Permission denied")
            return real(name, flags, *args, dir_fd=dir_fd, **kw)

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(extract_module.os, "open", denied)
            assert refused(path) == "Cannot read nb.ipynb: Permission denied."
    else:
        assert refused(path) == "Cannot read nb.ipynb: Permission denied."
