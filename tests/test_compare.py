"""``audit compare A B``: two generated reports of one agency (the later one with a carry-over break and a
section 五 copied from the earlier one), the real Hongze pair when ../shared is there, HTML in Chromium and
the DOCX file."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from audit import compare
from audit.model import ValueKind

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "reports" / "real"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[Path, Path, dict]:
    from corpora.generator import render, report_series
    from corpora.generator.defects import inject

    folder = tmp_path_factory.mktemp("compare")
    a, b = report_series("青山区教育局", [2022, 2023], seed=31)
    b, carry = inject(b, "carry_over_break", seed=5, previous=a)
    b, _ = inject(b, "copied_section", source=a)
    pa, pb = folder / "edu-2022.txt", folder / "edu-2023.html"
    pa.write_bytes(render(a, "txt"))
    pb.write_bytes(render(b, "html"))
    return pa, pb, carry.detail


def test_tables_carry_over_and_carried_sentences(pair):
    pa, pb, detail = pair
    cmp = compare.compare_files(pb, pa)  # given in the wrong order: put in year order
    assert cmp.swapped and cmp.a.meta.year == 2022 and cmp.b.meta.year == 2023
    s = cmp.summary()
    # two years of generated figures: most cells change, each change with its difference
    assert s["changed"] > 20 and s["cells"] > 100
    changed = [c for r in cmp.rows for c in r.cells if c.change == "changed"]
    for c in changed[:20]:
        va, vb = cmp.a.fields[c.field_id], cmp.b.fields[c.field_id]
        if va.kind is ValueKind.NUMBER and vb.kind is ValueKind.NUMBER:
            assert c.delta == f"{vb.value - va.value:+}"
    # the injected carry-over break is the one identity of table 三 that breaks, in its column
    breaks = [i for i in cmp.carry if i.status == "breaks"]
    assert breaks and all(i.terms["b"].startswith("t3.carried_in.") for i in breaks)
    assert any(i.terms["b"].endswith("." + detail["column"]) for i in breaks)
    for i in breaks:
        assert i.expected == str(cmp.a.fields[i.terms["a"]].value)
        assert i.found == str(cmp.b.fields[i.terms["b"]].value)
    # section 五 copied: its sentences are marked carried over, and its wording repeats the earlier one's
    five = next(x for x in cmp.sections if x.number == 5)
    assert five.repeated >= 0.9
    assert sum(x.mark == "carried" for x in five.b) >= 3
    one = next(x for x in cmp.sections if x.number == 1)
    assert one.repeated < 0.9


def test_cli_writes_html_and_docx(pair, tmp_path):
    pa, pb, _ = pair
    proc = subprocess.run([sys.executable, "-m", "audit", "compare", str(pa), str(pb), "-o", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr
    html = tmp_path / "compare-edu-2022.txt-edu-2023.html.html"
    docx_path = tmp_path / "compare-edu-2022.txt-edu-2023.html.docx"
    assert html.is_file() and docx_path.is_file()
    assert re.search(r"\d+ of \d+ cells changed; carry-over: \d+ hold, [1-9]\d* break", proc.stdout)
    text = html.read_text(encoding="utf-8")
    assert 'class="breaks"' in text and '<mark class="carried">' in text and "两份报告对照" in text
    assert "http://" not in text and "https://" not in text
    import docx

    doc = docx.Document(io.BytesIO(docx_path.read_bytes()))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "跨年度衔接" in body and "正文逐部分对照" in body
    xml = doc.element.xml
    assert 'w:fill="FFF1C2"' in xml and 'w:highlight w:val="magenta"' in xml  # changed cells; carried sentences
    en = compare.write(compare.compare_files(pa, pb), tmp_path / "en", ["html"], "en")[0]
    assert "Two reports side by side" in en.read_text(encoding="utf-8")


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")
def test_the_compare_page_renders_in_chromium(pair, tmp_path):
    pa, pb, _ = pair
    [page] = compare.write(compare.compare_files(pa, pb), tmp_path, ["html"])
    shot = tmp_path / "compare.png"
    proc = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
                           "--window-size=1200,1600", f"--screenshot={shot}", page.as_uri()],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0 and shot.is_file(), proc.stderr[-2000:]
    assert [ln for ln in proc.stderr.splitlines() if ":CONSOLE" in ln] == []
    from PIL import Image

    img = Image.open(shot).convert("RGB")
    colours = dict((c, n) for n, c in img.getcolors(img.width * img.height))
    assert colours.get((0xFF, 0xF1, 0xC2), 0) > 500  # changed cells are shaded on screen


@pytest.mark.skipif(not (REAL / "hongze-2024.pdf").is_file(), reason="../shared/reports/real is not there")
def test_hongze_two_years():
    cmp = compare.compare_files(REAL / "hongze-2023.pdf", REAL / "hongze-2024.pdf", narrative=False)
    s = cmp.summary()
    assert (cmp.a.meta.year, cmp.b.meta.year) == (2023, 2024)
    assert s["changed"] >= 20  # e.g. table 三's new applications, 21 → 95
    new = next(c for r in cmp.rows for c in r.cells if c.field_id == "t3.new.total")
    assert (new.a, new.b, new.delta) == ("21", "95", "+74")
    assert s["carry_holds"] >= 7 and s["carry_breaks"] == 0
