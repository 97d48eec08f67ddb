"""Job folders: private, removed whatever a job left in them, swept after a grader was killed; uid leases."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from autograder.isolation import cgroup, jobs, uids


def test_remove_tree_defeats_deep_chains_locked_folders_and_symlinks(tmp_path):
    top = tmp_path / "job"
    top.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    here = os.getcwd()
    try:  # a chain deeper than the recursion limit (and than PATH_MAX as one path)
        os.chdir(top)
        for _ in range(1500):
            os.mkdir("d")
            os.chdir("d")
        open("bottom", "w").close()
    finally:
        os.chdir(here)
    (top / "wide").mkdir()
    for i in range(200):
        (top / "wide" / str(i)).mkdir()
    locked = top / "locked"
    locked.mkdir()
    (locked / "f").write_text("x")
    locked.chmod(0)
    (top / "link").symlink_to(outside)
    (top / "dirlink").symlink_to(tmp_path)
    os.mkfifo(top / "fifo")
    jobs.remove_tree(str(top))
    assert not top.exists() and outside.read_text() == "keep me" and tmp_path.exists()
    jobs.remove_tree(str(top))  # already gone: fine


def test_jobs_root_is_private_and_areas_are_swept_only_when_their_grader_is_gone(tmp_path):
    root = jobs.jobs_root()
    st = os.stat(root)
    assert st.st_uid == os.geteuid() and (st.st_mode & 0o777) in (0o711, 0o700)
    mine = jobs.new_area()
    assert os.stat(mine).st_mode & 0o777 == 0o700
    # an area made by a process that has since died (kill -9 of a grader)
    p = subprocess.run([sys.executable, "-c", "import os; from autograder.isolation import jobs; "
                        "d = jobs.new_area(); open(os.path.join(d, 'student.py'), 'w').write('secret'); print(d)"],
                       capture_output=True, text=True, check=True)
    dead = p.stdout.strip()
    assert os.path.isdir(dead)
    assert jobs.sweep_stale() >= 1
    assert not os.path.exists(dead) and os.path.isdir(mine)
    # one that has ended but is not reaped yet (a zombie: a worker whose grader was killed, waiting for init)
    z = subprocess.Popen([sys.executable, "-c", "from autograder.isolation import jobs; print(jobs.new_area())"],
                         stdout=subprocess.PIPE, text=True)
    ended = z.stdout.readline().strip()
    z.stdout.close()
    deadline = time.monotonic() + 30
    while jobs.process_start(z.pid) is not None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert open(f"/proc/{z.pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z"  # not reaped: still in /proc
    assert jobs.sweep_stale() >= 1 and not os.path.exists(ended)
    z.wait()
    jobs.remove_tree(mine)


def test_two_graders_sweeping_the_same_stale_area_both_finish(tmp_path, monkeypatch):
    """After a grader with two worker processes is killed, both new workers sweep its areas at once: the
    parts one removes vanish under the other, which must carry on (it used to raise ENOENT, and the
    new sandbox was reported as a backend that fails here). An area that cannot be removed yet (its
    processes still end) is left for the next sweep instead of stopping the grader."""
    top = tmp_path / "w-area"
    for i in range(6):
        (top / f"f_{i}" / "tmp").mkdir(parents=True)
        (top / f"f_{i}" / "entries.jsonl").write_text("{}")
    real_scan = jobs._scan

    def other_grader_removes_some(fd):  # the other grader gets there first, between scan and open
        names = real_scan(fd)
        for name in names[: len(names) // 2 + 1]:
            p = top / name
            if p.is_dir():
                for f in p.rglob("*"):
                    if f.is_file():
                        f.unlink()
                for d in sorted((d for d in p.rglob("*") if d.is_dir()), key=lambda d: -len(d.parts)):
                    d.rmdir()
                p.rmdir()
        return names

    monkeypatch.setattr(jobs, "_scan", other_grader_removes_some)
    jobs.remove_tree(str(top))
    assert not top.exists()
    monkeypatch.setattr(jobs, "_scan", real_scan)

    root = tmp_path / "root"
    root.mkdir()
    stale = [root / f"w-999999-1-{i:012x}" for i in range(3)]
    for d in stale:
        (d / "j0").mkdir(parents=True)
    real_remove = jobs.remove_tree

    def busy_first(path):
        if path.endswith("000000000000"):
            raise OSError(39, "Directory not empty")  # its job process is still writing
        real_remove(path)

    monkeypatch.setattr(jobs, "remove_tree", busy_first)
    assert jobs.sweep_stale(str(root)) == 2
    assert [d.exists() for d in stale] == [True, False, False]


@pytest.mark.skipif(os.geteuid() != 0, reason="uids are leased by a root grader only")
def test_uid_leases_are_exclusive_across_processes(tmp_path):
    lock_dir = str(tmp_path / "uids")
    a = uids.lease_uid(lock_dir)
    b = uids.lease_uid(lock_dir)
    assert a.uid != b.uid and uids.FIRST_UID <= min(a.uid, b.uid)
    code = ("import sys; from autograder.isolation import uids; "
            f"print(uids.lease_uid({lock_dir!r}).uid)")
    other = int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert other not in (a.uid, b.uid)  # another grader process on the machine
    a.release()
    with uids.lease_uid(lock_dir, first=a.uid, count=1) as again:  # released: free again
        assert again.uid == a.uid
    b.release()
    with pytest.raises(RuntimeError, match="no free sandbox uid"):
        with uids.lease_uid(lock_dir, first=b.uid, count=1), uids.lease_uid(lock_dir, first=b.uid, count=1):
            pass


@pytest.mark.skipif(not cgroup.pids_hierarchy()[0], reason="no writable pids cgroup (root only)")
def test_groups_of_a_killed_grader_are_emptied_and_removed():
    """A process a student left running when its grader was killed (SIGKILL) dies at the next start."""
    _, base, _ = cgroup.pids_hierarchy()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a grader pid that no longer exists
    path = os.path.join(base, f"autograder-{gone.pid}-0")
    os.mkdir(path)
    survivor = subprocess.Popen(["sleep", "60"])
    try:
        with open(os.path.join(path, "cgroup.procs"), "w") as f:
            f.write(str(survivor.pid))
        cgroup._remove_stale(base)
        assert survivor.wait(timeout=5) == -9 and not os.path.exists(path)
    finally:
        survivor.kill()
        if os.path.exists(path):
            os.rmdir(path)


def test_two_installations_of_the_kit_keep_their_own_package_links(tmp_path, monkeypatch):
    """The Landlock backend's sandboxes import the kit through symlinks in the jobs root. A grader of another
    installation (another course version, a checkout beside an installed kit) running at once as the
    same user must not re-point them between the moment this grader makes its sandbox's command line
    and the moment that sandbox imports the kit: it is allowed to read only its own packages, and failed
    to start (PermissionError on autograder/isolation/stubs.py; it happened here)."""
    import shutil

    from sandbox_helpers import USABLE, Call, by_id, run

    from autograder.isolation import layout

    if not USABLE["landlock"]:
        pytest.skip("the Landlock backend does not start here")
    other = tmp_path / "other-kit"
    for name, src in layout.package_dirs():
        shutil.copytree(src, other / name, ignore=shutil.ignore_patterns("__pycache__"))
    code = "import sys; sys.path.insert(0, sys.argv[1]); from autograder.isolation import jobs; print(jobs.lib_dir())"
    theirs = []
    real = jobs.lib_dir

    def mine_then_theirs():  # the other grader's links are made just after this grader's
        mine = real()
        p = subprocess.run([sys.executable, "-I", "-c", code, str(other)], capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stderr
        theirs.append(p.stdout.strip())
        return mine

    monkeypatch.setattr(jobs, "lib_dir", mine_then_theirs)
    res = run("def f(x):\n    return x + 1\n", [Call("a", "f", (1,))], backend="landlock")
    assert by_id(res)["a"]["value"] == 2
    assert os.path.realpath(os.path.join(theirs[0], "autograder")) == str(other / "autograder")
    assert os.path.realpath(os.path.join(real(), "autograder")) == dict(layout.package_dirs())["autograder"]
