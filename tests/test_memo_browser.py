"""The HTML memo in a real browser (Debian's headless Chromium): it loads without console errors, the
highlighted cell shows on screen, and hostile report text never becomes an element. Skipped cleanly when
Chromium is not installed (``bash scripts/setup.sh --test`` installs it)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from _memo_helpers import Parsed, hostile, seed_like
from audit import memo

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")

SUSPECT_FILL = (0xF6, 0xC9, 0xC4)
SUSPECT_OUTLINE = (0xB0, 0x3A, 0x2E)
IDENTITY_FILL = (0xFF, 0xF1, 0xC2)


def chromium(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
           *args, page.as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


def console(proc: subprocess.CompletedProcess) -> list[str]:
    """What the page wrote to the browser console (errors, CSP refusals, uncaught exceptions)."""
    return [ln for ln in proc.stderr.splitlines() if ":CONSOLE" in ln]


def pixels(png: Path, colour: tuple[int, int, int], tolerance: int = 3) -> int:
    img = Image.open(png).convert("RGB")
    return sum(n for n, px in img.getcolors(img.width * img.height)
               if all(abs(a - b) <= tolerance for a, b in zip(px, colour)))


def first_patch(png: Path, colour: tuple[int, int, int], tolerance: int = 3) -> tuple[int, int, int, int]:
    """The bounding box of the topmost patch of ``colour``: its first run of consecutive pixel rows."""
    img = Image.open(png).convert("RGB")
    px = img.load()
    rows: dict[int, list[int]] = {}
    for y in range(img.height):
        xs = [x for x in range(img.width) if all(abs(a - b) <= tolerance for a, b in zip(px[x, y], colour))]
        if xs:
            rows[y] = xs
        elif rows:
            break
    assert rows, f"no {colour} on the page"
    xs = [x for v in rows.values() for x in v]
    return min(xs), min(rows), max(xs), max(rows)


def test_console_errors_are_caught(tmp_path):
    """The control: a page that does log an error is seen to."""
    page = tmp_path / "bad.html"
    page.write_text("<p>x</p><script>console.error('memo-test-error')</script>", encoding="utf-8")
    proc = chromium(tmp_path, page, "--dump-dom")
    assert any("memo-test-error" in ln for ln in console(proc)), proc.stderr[-2000:]


def test_html_memo_loads_clean_and_shows_the_highlighted_cell(tmp_path):
    [page] = memo.write(seed_like(), tmp_path, ["html"])
    shot = tmp_path / "memo.png"
    proc = chromium(tmp_path, page, "--window-size=1000,2600", f"--screenshot={shot}")
    assert proc.returncode == 0 and shot.exists(), proc.stderr[-2000:]
    assert console(proc) == []
    # the suspect cell (t3.denied.third_party.natural) is on screen, filled and outlined in red
    assert pixels(shot, SUSPECT_FILL) > 300
    x0, y0, x1, y1 = first_patch(shot, SUSPECT_FILL)
    assert x1 - x0 > 20 and y1 - y0 > 10
    px = Image.open(shot).convert("RGB").load()
    border = [px[x0 - 1, (y0 + y1) // 2], px[x1 + 1, (y0 + y1) // 2], px[(x0 + x1) // 2, y0 - 1]]
    assert all(all(abs(a - b) <= 40 for a, b in zip(c, SUSPECT_OUTLINE)) for c in border), border
    # the identity's other cells, right beside it
    assert px[x1 + 12, (y0 + y1) // 2] == IDENTITY_FILL
    assert pixels(shot, IDENTITY_FILL) > 1000
    img = Image.open(shot)
    assert img.size == (1000, 2600) and len(img.convert("L").getcolors(1 << 16) or []) > 20  # not a blank page


def test_hostile_text_stays_text_in_the_browser(tmp_path):
    [page] = memo.write(hostile(), tmp_path, ["html"])
    proc = chromium(tmp_path, page, "--dump-dom")
    assert proc.returncode == 0 and console(proc) == [], proc.stderr[-2000:]
    tags = Parsed(proc.stdout).tags
    assert not [t for t, _ in tags if t in ("script", "img", "iframe")]
    assert not [a for t, a in tags if t == "a" and not a.get("href", "").startswith("#")]
    assert not [k for _, a in tags for k in a if k.startswith("on")]
    assert "示例局&lt;script&gt;alert(1)&lt;/script&gt;" in proc.stdout  # shown, as text


def test_html_memo_prints_on_a4_with_the_evidence(tmp_path):
    import pdfplumber

    [page] = memo.write(seed_like(), tmp_path, ["html"], lang="en")
    pdf = tmp_path / "memo.pdf"
    proc = chromium(tmp_path, page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert proc.returncode == 0 and pdf.exists(), proc.stderr[-2000:]
    with pdfplumber.open(pdf) as doc:
        sizes = {(round(p.width), round(p.height)) for p in doc.pages}
        text = "".join(p.extract_text() or "" for p in doc.pages)
        fills = {tuple(round(c * 255) for c in r.get("non_stroking_color") or ())
                 for p in doc.pages for r in p.rects}
    assert sizes == {(595, 842)}  # A4 in points, every page
    assert "2 → 0" in text and "Score 81 / 100, grade: Good" in text
    assert SUSPECT_FILL in fills  # the highlight survives printing (print-color-adjust: exact)
