"""A real JupyterLab 4 in headless Chromium, driven as a person would, for the browser tests.

- :class:`LabServer`: one JupyterLab server on a free localhost port, no token, a private HOME and
  private Jupyter/IPython/matplotlib directories, serving a temporary copy of the notebooks (so
  autosave never touches the repository). Its settings are a student's: windowing off (every cell
  stays in the page), no news pop-up, nbgrader's instructor tools (formgrader, create-assignment)
  off, and ``expose_app_in_browser`` so that a test can read the notebook's model (what was output)
  beside the page (what is shown).
- :func:`launch_browser`: Debian's Chromium through Playwright for Python, headless, with a fresh
  profile; never ``playwright install``.
- the notebook helpers (open, Run > Run All Cells, wait for the kernel, read every cell) and
  :func:`save_png` (small, palette PNG screenshots).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ENABLE = "apt-get install chromium and pip install -e '.[browser]'"
#: Waits: generous (a loaded 2-core machine), but bounded.
OPEN_TIMEOUT_MS = 90_000
RUN_TIMEOUT_MS = 300_000
CHANGE_TIMEOUT_MS = 60_000


def missing_requirements() -> str | None:
    """What the browser tests lack on this machine, with how to get it (None: nothing)."""
    missing = []
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"no Chromium at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("Playwright for Python is not installed")
    if not missing:
        return None
    return f"browser tests need Chromium and Playwright ({'; '.join(missing)}): {ENABLE}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1))


#: nbgrader's instructor tools, off as in a student's environment.
INSTRUCTOR_LAB_PLUGINS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment")
INSTRUCTOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader",)


class LabServer:
    """``LabServer(home, root)``: JupyterLab serving ``root`` with everything private under ``home``."""

    def __init__(self, home: Path, root: Path):
        self.home, self.root = Path(home), Path(root)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cfg = self.home / "jupyter-config"
        _write_json(cfg / "lab/user-settings/@jupyterlab/notebook-extension/tracker.jupyterlab-settings",
                    {"windowingMode": "none"})
        _write_json(cfg / "lab/user-settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings",
                    {"fetchNews": "false", "checkForUpdates": False})
        _write_json(cfg / "labconfig/page_config.json",
                    {"disabledExtensions": {p: True for p in INSTRUCTOR_LAB_PLUGINS}})
        _write_json(cfg / "jupyter_server_config.json",
                    {"ServerApp": {"jpserver_extensions": {e: False for e in INSTRUCTOR_SERVER_EXTENSIONS}}})
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON", "MPL"))}
        self.env.update({
            "HOME": str(self.home),
            "JUPYTER_CONFIG_DIR": str(cfg),
            "JUPYTER_DATA_DIR": str(self.home / "jupyter-data"),
            "JUPYTER_RUNTIME_DIR": str(self.home / "jupyter-runtime"),
            "IPYTHONDIR": str(self.home / "ipython"),
            "MPLCONFIGDIR": str(self.home / "matplotlib"),
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        })
        self.log_path = self.home / "jupyterlab.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "LabServer":
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={self.port}",
               "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1", "--ServerApp.token=",
               "--IdentityProvider.token=", "--ServerApp.password=", f"--ServerApp.root_dir={self.root}",
               "--LabApp.expose_app_in_browser=True"]
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + OPEN_TIMEOUT_MS / 1000
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with status {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status", timeout=5) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer within {OPEN_TIMEOUT_MS // 1000} s:\n{self.log_tail()}")

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def api(self, method: str, path: str):
        req = urllib.request.Request(f"{self.url}{path}", method=method)
        with urllib.request.urlopen(req, timeout=30) as r:
            body = r.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """End every session and kernel (one notebook's kernel must not slow the next test). Leave
        the page first (``about:blank``): an open notebook would start a new kernel."""
        for what in ("sessions", "kernels"):
            for item in self.api("GET", f"/api/{what}") or []:
                try:
                    self.api("DELETE", f"/api/{what}/{item['id']}")
                except urllib.error.HTTPError:
                    pass

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()  # the server shuts its kernels down on SIGTERM
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def course_copy(repo: Path, dest: Path, assignments) -> Path:
    """Copy the notebooks (solutions/ and assignments/ of each assignment) into ``dest``."""
    for name in assignments:
        for side in ("solutions", "assignments"):
            src = repo / side / name
            if src.is_dir():
                shutil.copytree(src, dest / side / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return dest


def launch_browser(pw, profile: Path):
    """A persistent (fresh-profile) headless Chromium context with one page."""
    context = pw.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS,
        viewport={"width": 1200, "height": 1400}, device_scale_factor=1)
    context.set_default_timeout(OPEN_TIMEOUT_MS)
    return context


# ----------------------------------------------------------------------------- the notebook in the page
#: Every cell: its kind, nbgrader id, source, prompt, the model's outputs (type, ename, evalue, the
#: text of errors) and what the page shows (text, images, widgets, MathJax, raw `$`).
CELLS_JS = r"""() => {
  const panel = window.jupyterapp.shell.currentWidget;
  return panel.content.widgets.map((cell, i) => {
    const node = cell.node, model = cell.model;
    const nb = (model.getMetadata && model.getMetadata('nbgrader')) || {};
    const outputs = model.type === 'code' ? model.outputs.toJSON() : [];
    const own = node.querySelector('.jp-Cell-outputArea');  // the cell's outputs, not those inside widgets
    const area = own;
    const rendered = node.querySelector('.jp-MarkdownOutput');
    let mdText = '';
    if (rendered) {
      const copy = rendered.cloneNode(true);
      copy.querySelectorAll('code, pre, mjx-container, mjx-assistive-mml').forEach(e => e.remove());
      mdText = copy.textContent;
    }
    return {
      index: i, type: model.type, gradeId: nb.grade_id || '', source: model.sharedModel.getSource(),
      prompt: (node.querySelector('.jp-InputPrompt') || {textContent: ''}).textContent.trim(),
      executionCount: model.type === 'code' ? model.executionCount : null,
      outputs: outputs.map(o => ({type: o.output_type, ename: o.ename || '', evalue: o.evalue || '',
                                  mimes: Object.keys(o.data || {})})),
      shownText: area ? area.innerText : '',
      images: Array.from(node.querySelectorAll('.jp-OutputArea-output img')).map(img => ({
        dataUri: img.src.startsWith('data:image/') && img.src.length > 100,
        decoded: img.complete && img.naturalWidth > 0, inWidget: !!img.closest('.widget-output')})),
      imageOutputs: own ? own.querySelectorAll(':scope > .jp-OutputArea-child > .jp-OutputArea-output[data-mime-type^="image/"]').length : 0,
      widgets: node.querySelectorAll('.jp-OutputArea .jupyter-widgets').length,
      loadingWidget: area ? area.innerText.includes('Loading widget') : false,
      feedback: Array.from(node.querySelectorAll('.nnkit-feedback')).map(b => ({
        kind: b.className, exercise: b.dataset.exercise, text: b.innerText})),
      markdownRendered: !!rendered && !node.classList.contains('jp-mod-editMode'),
      mathjax: node.querySelectorAll('mjx-container').length,
      markdownText: mdText,
    };
  });
}"""

BUSY_JS = r"""() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.sessionContext || !panel.sessionContext.session) return true;
  const kernel = panel.sessionContext.session.kernel;
  const queued = Array.from(panel.content.node.querySelectorAll('.jp-InputPrompt'))
      .some(p => p.textContent.includes('*'));
  return !kernel || kernel.status !== 'idle' || queued;
}"""


def open_notebook(page, server: LabServer, relpath: str) -> None:
    """Open ``relpath`` in a fresh workspace and wait until its kernel is idle."""
    page.goto(f"{server.url}/lab/workspaces/t{uuid.uuid4().hex[:10]}/tree/{relpath}?reset")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=OPEN_TIMEOUT_MS)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget "
                           "&& window.jupyterapp.shell.currentWidget.sessionContext "
                           "&& window.jupyterapp.shell.currentWidget.sessionContext.session "
                           "&& window.jupyterapp.shell.currentWidget.sessionContext.session.kernel "
                           "&& window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'",
                           timeout=OPEN_TIMEOUT_MS, polling=250)
    page.wait_for_selector(".jp-StatusBar-TextItem:has-text('Idle')", timeout=OPEN_TIMEOUT_MS)


def wait_idle(page, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Wait until no cell is queued or running and the kernel is idle (twice in a row, 0.3 s apart)."""
    deadline = time.monotonic() + timeout_ms / 1000
    calm = 0
    while calm < 2:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the kernel was still busy after {timeout_ms // 1000} s")
        calm = 0 if page.evaluate(BUSY_JS) else calm + 1
        time.sleep(0.3)


def run_all(page) -> float:
    """Run > Run All Cells, from the menu bar; returns the seconds until the kernel is idle."""
    start = time.monotonic()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_timeout(300)
    wait_idle(page)
    return time.monotonic() - start


def cells(page) -> list[dict]:
    return page.evaluate(CELLS_JS)


def cell_locator(page, index: int):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(index)


def run_cell(page, index: int) -> None:
    """Click into cell ``index`` and press Ctrl+Enter, as a student runs one cell; wait for the kernel."""
    cell = cell_locator(page, index)
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Control+Enter")
    page.wait_for_timeout(200)
    wait_idle(page)
    page.keyboard.press("Escape")


def set_cell_source(page, index: int, source: str) -> None:
    """Replace the text of cell ``index`` (a student pasting an answer)."""
    page.evaluate("([i, s]) => window.jupyterapp.shell.currentWidget.content.widgets[i].model.sharedModel.setSource(s)",
                  [index, source])


def save_png(locator, path: Path, colors: int = 256) -> Path:
    """A screenshot of ``locator`` (or of a page's viewport), reduced to a palette PNG (tens of kB)."""
    from PIL import Image

    raw = locator.screenshot(animations="disabled")
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)
    return path


# ----------------------------------------------------------------------------- widgets
#: What the widget output areas of cell i show (their HTML), to see a change.
WIDGET_OUTPUT_JS = ("i => Array.from(window.jupyterapp.shell.currentWidget.content.widgets[i].node"
                    ".querySelectorAll('.jupyter-widgets .jp-OutputArea')).map(e => e.innerHTML).join('|')")


def widget_controls(cell) -> list[tuple[str, object]]:
    """The controls rendered in a cell's output: ``(kind, locator)`` for each slider, dropdown,
    multiple selection and checkbox."""
    found = []
    for kind, selector in (("slider", ".jupyter-widgets .noUi-handle"),
                           ("dropdown", ".widget-dropdown select"),
                           ("multiple selection", ".widget-select-multiple select"),
                           ("checkbox", ".widget-checkbox input[type=checkbox]")):
        loc = cell.locator(".jp-Cell-outputArea").locator(selector)
        found += [(kind, loc.nth(i)) for i in range(loc.count())]
    return found


def change_control(page, kind: str, control) -> str:
    """Change one control as a person would (keyboard for a slider, a new option for a list, a click
    for a checkbox); returns what was done."""
    control.scroll_into_view_if_needed()
    if kind == "slider":
        at_max = control.get_attribute("aria-valuenow") == control.get_attribute("aria-valuemax")
        control.focus()
        key = "ArrowLeft" if at_max else "ArrowRight"
        page.keyboard.press(key)
        return f"pressed {key} on the slider"
    if kind == "dropdown":
        values = control.locator("option").evaluate_all("os => os.map(o => o.value)")
        current = control.input_value()
        other = next(v for v in values if v != current)
        control.select_option(other)
        return f"chose {other!r} in the dropdown"
    if kind == "multiple selection":
        values = control.locator("option").evaluate_all("os => os.map(o => o.value)")
        chosen = control.evaluate("s => Array.from(s.selectedOptions).map(o => o.value)")
        new = values[:1] if chosen != values[:1] else values[:2]
        control.select_option(new)
        return f"selected {new} in the list"
    control.click()
    return "clicked the checkbox"


def exercise_widgets(page, index: int, timeout_ms: int = CHANGE_TIMEOUT_MS) -> list[str]:
    """Change every control of cell ``index`` in turn; after each, the widget's output must change
    (within ``timeout_ms``). Returns a line per control; raises AssertionError on the
    first control whose output did not change."""
    cell = cell_locator(page, index)
    done = []
    for kind, control in widget_controls(cell):
        before = page.evaluate(WIDGET_OUTPUT_JS, index)
        what = change_control(page, kind, control)
        try:
            page.wait_for_function(f"([i, b]) => ({WIDGET_OUTPUT_JS})(i) !== b", arg=[index, before],
                                   timeout=timeout_ms, polling=200)
        except Exception as exc:  # playwright's TimeoutError
            raise AssertionError(f"cell {index}: {what}, but the widget's output did not change within "
                                 f"{timeout_ms / 1000:g} s ({type(exc).__name__})") from None
        wait_idle(page)
        done.append(what)
    return done
