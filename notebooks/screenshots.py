"""Take the README's screenshots of the notebooks: each runs in a real JupyterLab (widgets and all) shown by
headless Chromium, and the part that shows its main view is saved as docs/img/<notebook>.png.

    .venv/bin/python notebooks/screenshots.py [WORK_DIR]

Builds a small run of generated reports first (``python -m tests._api_helpers``), serves copies of the
notebooks from WORK_DIR (default: a new temporary folder) with ``jupyter lab`` on localhost, and drives
Chromium through its DevTools protocol: open the notebook in JupyterLab's single-document mode, restart
the kernel and run all cells, click a button of the triage panel (so a decision shows), then capture the
cells the README shows. Offline: JupyterLab serves everything it needs itself.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

ROOT = Path(__file__).resolve().parents[1]
IMG = ROOT / "docs" / "img"
WIDTH, HEIGHT = 1280, 1000

# notebook → (first and last cell shown, as indices among the notebook's cells; a button clicked before, and
# the text that shows once its click went through)
SHOTS = {
    "triage": (8, 9, (".audit-review-panel button.mod-success", "已确认（王审核")),
    "evaluator": (4, 6, None),
    "rules": (5, 9, None),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float = 60) -> None:
    end = time.time() + seconds
    while time.time() < end:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer")


def open_chromium(port: int, width: int, height: int, profile: str) -> subprocess.Popen:
    """A headless Chromium on ``port`` (DevTools protocol), with its own profile folder and no network calls."""
    return subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--disable-background-networking", "--disable-component-update", "--disable-sync",
                             f"--user-data-dir={profile}", f"--remote-debugging-port={port}",
                             f"--window-size={width},{height}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Page:
    """One Chromium tab over the DevTools protocol."""

    def __init__(self, port: int):
        wait_http(f"http://127.0.0.1:{port}/json/version")
        tabs = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
        tab = next(t for t in tabs if t["type"] == "page")
        self.ws = websocket.create_connection(tab["webSocketDebuggerUrl"], timeout=120, suppress_origin=True)
        self.n = 0

    def call(self, method: str, **params):
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("method") == "Page.javascriptDialogOpening":  # "leave the page?" on the way out
                self.ws.send(json.dumps({"id": -self.n, "method": "Page.handleJavaScriptDialog",
                                         "params": {"accept": True}}))
            if msg.get("id") == self.n:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def js(self, expression: str):
        res = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in res:
            raise RuntimeError(f"{expression}: {res['exceptionDetails'].get('exception', {}).get('description')}")
        return res.get("result", {}).get("value")

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element (JupyterLab's buttons listen to mouse events)."""
        at = self.js(f"(() => {{ const b = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
                     " return {x: b.x + b.width / 2, y: b.y + b.height / 2}; })()")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=at["x"], y=at["y"], button="left", clickCount=1)

    def wait(self, expression: str, seconds: float = 300) -> None:
        end = time.time() + seconds
        while time.time() < end:
            if self.js(f"(() => {{ try {{ return {expression}; }} catch (e) {{ return false; }} }})()"):
                return
            time.sleep(0.5)
        raise RuntimeError(f"timed out waiting for {expression}")


def run_all(page: Page) -> None:
    """Restart the kernel and run every cell, through the notebook's toolbar, and wait for the last one."""
    page.wait("!!document.querySelector('[data-command=\"notebook:restart-run-all\"]')")
    time.sleep(3)  # the kernel starts
    page.click('[data-command="notebook:restart-run-all"]')
    page.wait("!!document.querySelector('.jp-Dialog .jp-mod-accept')", 30)
    page.click(".jp-Dialog .jp-mod-accept")
    code_cells = ("[...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]")
    page.wait(f"{code_cells}.length > 0 && {code_cells}.every(p => /\\[\\d+\\]/.test(p.textContent))", 600)
    time.sleep(3)  # widgets and images settle


CELLS = "[...document.querySelectorAll('.jp-Notebook .jp-Cell')]"


def reveal(page: Page, element: str, margin: int) -> None:
    """Scroll the notebook (JupyterLab's own scroller) so that ``element``'s top sits ``margin`` px below
    the notebook's top edge; again while JupyterLab is still scrolling to the cell it ran last."""
    for _ in range(10):
        off = page.js(f"(() => {{ const e = {element}; const s = e.closest('.jp-WindowedPanel-outer');"
                      f" const d = e.getBoundingClientRect().top - s.getBoundingClientRect().top - {margin};"
                      " s.scrollTop += d; return d; })()")
        time.sleep(1.5)
        if abs(off) < 2:
            return


def capture(page: Page, first: int, last: int, out: Path) -> None:
    """Make the window tall enough for cells first..last (outputs render as they come into view, so
    measure again until they fit), and save that part as PNG."""
    height = HEIGHT
    for _ in range(5):
        page.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=height, deviceScaleFactor=1, mobile=False)
        page.js("window.dispatchEvent(new Event('resize'))")  # JupyterLab lays itself out again
        time.sleep(2)
        reveal(page, f"{CELLS}[{first}]", 8)
        box = page.js(f"""(() => {{
            const cells = {CELLS};
            const a = cells[{first}].getBoundingClientRect(), b = cells[{last}].getBoundingClientRect();
            const s = cells[{first}].closest('.jp-WindowedPanel-outer').getBoundingClientRect();
            return {{top: a.top, bottom: b.bottom, end: s.bottom}};
        }})()""")
        if box["bottom"] <= box["end"] or height >= 4000:
            break
        height = min(height + int(box["bottom"] - box["end"]) + 24, 4000)
    top = max(box["top"] - 8, 0)
    clip = {"x": 0, "y": top, "width": WIDTH, "height": min(box["bottom"], box["end"]) + 8 - top, "scale": 1}
    shot = page.call("Page.captureScreenshot", format="png", clip=clip)
    out.write_bytes(base64.b64decode(shot["data"]))


def main(work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    run = work / "run"
    if not (run / "audit.sqlite").is_file():
        subprocess.run([sys.executable, "-m", "tests._api_helpers", str(work)], cwd=ROOT, check=True)
    ws = work / "notebooks"
    ws.mkdir(exist_ok=True)
    for name in SHOTS:
        shutil.copy(ROOT / "notebooks" / f"{name}.ipynb", ws / f"{name}.ipynb")
    env = {**os.environ, "AUDIT_RUN": str(run), "AUDIT_REVIEWER": "王审核", "AUDIT_REPORT": "reports/2022/fin.html",
           "AUDIT_FILE": str(ROOT / "corpora" / "samples" / "2024_county_old_other_row.txt"),
           "AUDIT_RULES": str(work / "my-rules.yaml"), "AUDIT_YEAR": "2022", "PYTHONPATH": str(ROOT)}
    lab_port, cdp_port = free_port(), free_port()
    lab = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={lab_port}", "--ip=127.0.0.1",
                            "--IdentityProvider.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
                            f"--ServerApp.root_dir={ws}", "--LabApp.news_url=", "--LabApp.check_for_updates_class="
                            "jupyterlab.NeverCheckForUpdate", *(["--allow-root"] if os.geteuid() == 0 else [])], env=env, cwd=ws, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    profile = tempfile.mkdtemp(prefix="chromium-")
    browser = None
    try:
        wait_http(f"http://127.0.0.1:{lab_port}/api")
        browser = open_chromium(cdp_port, WIDTH, HEIGHT, profile)
        page = Page(cdp_port)
        page.call("Page.enable")
        page.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT, deviceScaleFactor=1, mobile=False)
        IMG.mkdir(parents=True, exist_ok=True)
        for name, (first, last, before) in SHOTS.items():
            page.call("Page.navigate", url=f"http://127.0.0.1:{lab_port}/doc/tree/{name}.ipynb?reset")
            run_all(page)
            if before:
                button, done = before
                reveal(page, f"document.querySelector({json.dumps(button)})", 300)
                for _ in range(10):  # the widget may still be wiring itself to the kernel
                    page.click(button)
                    time.sleep(2)
                    if page.js(f"document.querySelector('.audit-review-panel').textContent.includes({json.dumps(done)})"):
                        break
            page.js("document.querySelectorAll('.Toastify').forEach(e => e.remove())")
            capture(page, first, last, IMG / f"{name}.png")
            print(IMG / f"{name}.png")
            page.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT, deviceScaleFactor=1,
                      mobile=False)
    finally:
        if browser is not None:
            browser.terminate()
            browser.wait(30)
        lab.terminate()
        lab.wait(30)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="audit-shots-")))
