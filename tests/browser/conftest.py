"""One JupyterLab server and one headless Chromium page for the whole browser suite.

Without Chromium or Playwright the browser test module skips itself with one line saying how to
enable it; under ``CI=true`` these fixtures fail instead, so CI never passes without the browser.
``NNKIT_SCREENSHOTS=1`` (``make screenshots``) writes the screenshots into ``docs/screenshots/``;
otherwise they go to a temporary folder (still taken, so the code that takes them is tested).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser_lab import LabServer, course_copy, launch_browser, missing_requirements

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"


def _require_browser() -> None:
    reason = missing_requirements()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A JupyterLab server on a temporary copy of every assignment's notebooks."""
    _require_browser()
    from autograder.assignments import ASSIGNMENT_NAMES

    base = tmp_path_factory.mktemp("lab")
    server = LabServer(base / "home", course_copy(ROOT, base / "course", ASSIGNMENT_NAMES)).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_page(lab, tmp_path_factory):
    """The page every browser test drives (one browser, one page, reused)."""
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    context = launch_browser(pw, tmp_path_factory.mktemp("chromium-profile"))
    page = context.pages[0] if context.pages else context.new_page()
    yield page
    context.close()
    pw.stop()


@pytest.fixture
def page(browser_page, lab):
    """The shared page; the kernels a test started are shut down after it."""
    yield browser_page
    browser_page.goto("about:blank")
    lab.shutdown_kernels()


@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    """Where screenshots go: ``docs/screenshots`` with ``NNKIT_SCREENSHOTS=1``, else a temporary folder."""
    if os.environ.get("NNKIT_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")
