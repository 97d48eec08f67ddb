"""Where ``autograder grade`` grades: here (``--executor local``, the default) or on a Dask cluster.

Both executors run the same class grading (:func:`autograder.frontends.batch.grade_class`: reuse,
result files written by this process as soon as each submission is graded, reports); they differ
only in where each submission's grading runs. :func:`grading_kwargs` yields the keyword arguments
that choose it. Dask (:mod:`autograder.frontends.dask_executor`) is imported only when asked for.
"""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from typing import Iterator

from autograder.frontends.discovery import UsageError

__all__ = ["add_arguments", "grading_kwargs", "describe", "DASK_INSTALL"]

DASK_INSTALL = "pip install -e '.[dask]' in the kit's folder (or pip install 'dask[distributed]')"


def add_arguments(parser) -> None:
    """The executor options of ``autograder grade``."""
    parser.add_argument("--executor", choices=("local", "dask"), default="local",
                        help="where submissions are graded: local (this machine, --jobs at once; the default) or "
                             "dask (a Dask cluster: the one at --scheduler, else a local cluster of --jobs workers)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="with --executor dask: the address of an existing Dask scheduler (e.g. "
                             "tcp://10.0.0.5:8786 or tls://...); every worker needs this kit and bubblewrap")


def describe(args) -> str:
    """A few words for the start-of-run message."""
    if args.executor != "dask":
        return f"{args.jobs} job(s)"
    return f"Dask at {args.scheduler}" if args.scheduler else f"a local Dask cluster of {args.jobs} worker(s)"


@contextmanager
def grading_kwargs(args, backend: str, assignments: tuple[str, ...]) -> Iterator[dict]:
    """``jobs``/``backend`` (and ``engine``) for :func:`~autograder.frontends.batch.grade_class`;
    for Dask, the cluster lives as long as the context. Raises :class:`UsageError` when Dask is asked
    for but not installed, or the scheduler cannot be reached."""
    if args.scheduler and args.executor != "dask":
        raise UsageError("--scheduler needs --executor dask.")
    if args.executor != "dask":
        yield {"jobs": args.jobs, "backend": backend}
        return
    try:
        from autograder.frontends.dask_executor import dask_grading
    except ImportError as exc:
        raise UsageError(f"--executor dask needs Dask, which is not installed here ({exc}): {DASK_INSTALL}.") from None
    with ExitStack() as stack:
        try:
            kwargs = stack.enter_context(dask_grading(args.scheduler, args.jobs, backend, assignments))
        except OSError as exc:  # no scheduler at that address, or it did not answer in time
            raise UsageError(f"cannot reach the Dask scheduler at {args.scheduler}: {exc}. Check the address (and "
                             "that the scheduler runs), or leave out --scheduler for a local cluster.") from None
        yield kwargs
