"""Take the README's screenshots of the run overview and the compare view (docs/img/overview.png and
docs/img/compare.png) in headless Chromium, from their file:// URLs, as a user opens them.

    .venv/bin/python scripts/view_screenshots.py [WORK_DIR]

* overview: ``audit batch`` over the bundled samples and, when ``../shared/reports`` is there, the real
  reports (HTML memos linked), shown with one agency's scores over the years opened (the agency with the
  most years);
* compare: two generated reports of one agency (the later one with a carry-over break) whose section 五
  is our own text: one measure promised again word for word, one with an edit, one with other figures. The
  capture is the page's top (summary, carry-over, the first table's changes) over its section 五.

Chromium is driven through its DevTools protocol (``notebooks/screenshots.py``'s ``Page``).
"""
from __future__ import annotations

import base64
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "notebooks")]

from screenshots import Page, free_port, open_chromium  # noqa: E402  (notebooks/screenshots.py)

IMG = ROOT / "docs" / "img"
SHARED = ROOT.parent / "shared" / "reports"

def browser(width: int, height: int):
    port = free_port()
    profile = tempfile.mkdtemp(prefix="chromium-")
    proc = open_chromium(port, width, height, profile)
    page = Page(port)
    page.call("Page.enable")
    return proc, page


def show(page: Page, url: str, width: int, height: int) -> None:
    page.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
    page.call("Page.navigate", url=url)
    page.wait("document.readyState === 'complete'", 60)
    time.sleep(1)


def clip(page: Page, top: float, bottom: float, width: int) -> bytes:
    shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                     clip={"x": 0, "y": top, "width": width, "height": bottom - top, "scale": 1})
    return base64.b64decode(shot["data"])


def save(image, out: Path) -> None:
    """A palette PNG (256 colours: flat fills and anti-aliased text), a third of the size of the capture."""
    image.convert("RGB").quantize(256, dither=0).save(out, optimize=True)


def overview(work: Path, page: Page) -> Path:
    run = work / "run"
    inputs = [str(ROOT / "corpora" / "samples")] + ([str(SHARED)] if SHARED.is_dir() else [])
    subprocess.run([sys.executable, "-m", "audit", "batch", *inputs, "-o", str(run), "-q", "--format", "md,json,html"],
                   cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
    import audit

    reports = audit.load_run(run).reports
    key = reports.groupby("agency_key")["year"].nunique().sort_values(ascending=False).index[0]
    width, height = 1400, 1100
    show(page, (run / "index.html").as_uri() + f"#agency={quote(key)}", width, height)
    page.wait("!!document.querySelector('#svg-agency')", 30)
    from PIL import Image

    out = IMG / "overview.png"
    save(Image.open(io.BytesIO(clip(page, 0, height, width))), out)
    return out


def compare_view(work: Path, page: Page) -> Path:
    from PIL import Image

    from audit import compare
    from corpora.generator import render, report_series
    from corpora.generator.defects import inject
    from tests.test_compare import EARLIER_FIVE, LATER_FIVE  # section 五 of the pair: our own wording

    a, b = report_series("青山区文化和旅游局", [2022, 2023], seed=7)
    b, _ = inject(b, "carry_over_break", seed=5, previous=a)
    for spec, paragraphs in ((a, EARLIER_FIVE), (b, LATER_FIVE)):
        next(s for s in spec.narrative.sections if s.number == 5).paragraphs = list(paragraphs)
    pa, pb = work / "culture-2022.txt", work / "culture-2023.html"
    pa.write_bytes(render(a, "txt"))
    pb.write_bytes(render(b, "html"))
    [html] = compare.write(compare.compare_files(pa, pb), work / "cmp", ["html"])
    width = 1300
    show(page, html.as_uri(), width, 1000)
    box = page.js("""(() => {
        const y = e => e.getBoundingClientRect().top + window.scrollY;
        const firstTable = document.querySelector('table.cells');
        const five = document.getElementById('section-5'), pair = five.nextElementSibling;
        const legend = document.querySelectorAll('p.legend')[1];
        return {top_end: y(firstTable) + firstTable.getBoundingClientRect().height + 8,
                legend: y(legend) - 4, legend_end: y(legend) + legend.getBoundingClientRect().height + 4,
                five: y(five) - 8, five_end: y(pair) + pair.getBoundingClientRect().height + 8};
    })()""")
    parts = [Image.open(io.BytesIO(clip(page, a, b, width))) for a, b in
             ((0, box["top_end"]), (box["legend"], box["legend_end"]), (box["five"], box["five_end"]))]
    sheet = Image.new("RGB", (width, parts[0].height + 6 + parts[1].height + parts[2].height), (200, 205, 212))
    sheet.paste(parts[0], (0, 0))
    sheet.paste(parts[1], (0, parts[0].height + 6))
    sheet.paste(parts[2], (0, parts[0].height + 6 + parts[1].height))
    out = IMG / "compare.png"
    save(sheet, out)
    return out


def main(work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    IMG.mkdir(parents=True, exist_ok=True)
    proc, page = browser(1400, 1100)
    try:
        print(overview(work, page))
        print(compare_view(work, page))
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="view-shots-")))
