"""``audit compare A B``: two generated reports of one agency (the later one with a carry-over break and a
section 五 copied from the earlier one), two with our own section 五 whose measures come back word for word,
with other figures and with small edits (marked as the batch's XY-COPY check finds them), the real Hongze
pair when ../shared is there, HTML in Chromium and the DOCX file."""
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
    assert sum(x.mark in ("carried", "figures") for x in five.b) >= 3
    one = next(x for x in cmp.sections if x.number == 1)
    assert one.repeated < 0.9


# Section 五 of two years of one agency, our own wording: measure 一 comes back word for word after another
# lead-in, 二 with one phrase changed, 三 with other figures; 四 is new, and so are the problems.
EARLIER_FIVE = [
    "（一）存在的主要问题",
    "本年度工作仍有不足：政策图解产品数量偏少，基层站所栏目更新不够及时，依申请经办人员变动较多。",
    "（二）改进措施",
    "下一步，我们将重点抓好以下几项工作：一是建立解读材料与政策文件同步起草、同步审签、同步发布的工作机制，"
    "确保每份重要文件都有对应的解读材料。二是每季度对下属站所的公开栏目开展一次全面巡查，逐条核对栏目内容的准确性、"
    "时效性和完整性，对发现的问题建立台账，明确整改责任人，做到当月整改、当月销号。三是全年推出图解、短视频等解读产品"
    "不少于12期，其中面向基层群众的不少于4期，提高政策知晓率。四是编写依申请公开办理手册，组织经办人员集中学习研讨。",
]
LATER_FIVE = [
    "（一）存在的主要问题",
    "对照群众期待，本年度仍有两处短板：数据开放目录更新滞后，留言办理回复时效有待提高。",
    "（二）改进措施",
    "针对上述不足，2024年我们将着力做好以下几项工作：一是建立解读材料与政策文件同步起草、同步审签、同步发布的工作机制，"
    "确保每份重要文件都有对应的解读材料。二是每季度对下属站所的公开栏目开展一次全面巡查，逐条核对栏目内容的准确性、"
    "时效性和完整性，对发现的问题建立台账，明确整改责任人，做到当月整改、按期销号。三是全年推出图解、短视频等解读产品"
    "不少于15期，其中面向基层群众的不少于6期，提高政策知晓率。四是逐项核对数据开放目录的更新责任人和更新时限，"
    "按月通报留言办理情况。",
]


@pytest.fixture(scope="module")
def measures(tmp_path_factory) -> compare.Comparison:
    from corpora.generator import render, report_series

    folder = tmp_path_factory.mktemp("measures")
    a, b = report_series("青山区文化和旅游局", [2022, 2023], seed=7)
    for spec, paragraphs in ((a, EARLIER_FIVE), (b, LATER_FIVE)):
        next(s for s in spec.narrative.sections if s.number == 5).paragraphs = list(paragraphs)
    pa, pb = folder / "culture-2022.txt", folder / "culture-2023.html"
    pa.write_bytes(render(a, "txt"))
    pb.write_bytes(render(b, "html"))
    return compare.compare_files(pa, pb, narrative=False)


def _by_enumerator(items) -> dict:
    return {x.text[:2]: x for x in items if x.text[:2] in ("一是", "二是", "三是", "四是")}


def test_measures_marked_word_for_word_other_figures_and_edited(measures):
    five = next(x for x in measures.sections if x.number == 5)
    rep = _by_enumerator(five.repeats)
    assert sorted(rep) == ["一是", "三是", "二是"] and all(r.role == "measure" for r in rep.values())
    assert rep["一是"].share == 1.0 and rep["一是"].same_figures  # word for word
    assert rep["三是"].share == 1.0 and not rep["三是"].same_figures  # 12 → 15 期, 4 → 6 期
    assert 0.9 <= rep["二是"].share < 1.0  # 当月销号 → 按期销号: carried over with an edit
    s = measures.summary()
    assert s["section5_measures_repeated"] == 3 and s["near_sentences"] >= 1
    for side in (five.a, five.b):
        parts = {p.text[:2]: p for x in side for p in x.parts}
        assert (parts["一是"].mark, parts["二是"].mark, parts["三是"].mark) == ("carried", "near", "figures")
        assert parts["二是"].share == rep["二是"].share and parts["四是"].mark is None
        # the lead-in the measure runs on from is not marked, only the measure
        first = next(x for x in side if "一是" in x.text)
        assert [p.mark for p in first.parts] == [None, "carried"] and first.mark == "carried"
    problems = [x for x in five.b if "短板" in x.text]
    assert problems and all(x.mark is None for x in problems)


def test_marks_are_the_batch_copy_checks_findings(measures):
    """The view marks what XY-COPY reports: the same statements with the same shares, one implementation."""
    from audit.batch.cross import Rep, similarity
    from audit.checks.ruleset import load_rules

    rule = load_rules().by_id["XY-COPY"]

    def rep(r, key):
        return Rep(key, key, r.meta.agency, r.meta.agency, r.meta.year, r.meta.level, r.document, r.fields,
                   {s.number: s.text for s in r.document.sections})

    _, findings = similarity(rule, rep(measures.b, "b"), rep(measures.a, "a"))
    [finding] = findings
    five = next(x for x in measures.sections if x.number == 5)
    assert finding.details["repeated"] == [{"role": r.role, "text": r.text, "share": r.share} for r in five.repeats]
    assert finding.details["share"] == five.repeated


def test_html_and_docx_show_the_marks_and_the_similarity(measures, tmp_path):
    html_path, docx_path = compare.write(measures, tmp_path)
    html = html_path.read_text(encoding="utf-8")
    near = next(x for x in measures.sections if x.number == 5).repeats[1]
    assert f'<mark class="near" data-share="{near.share}"' in html and f"≈{near.share:.0%}" in html
    assert "以下几项工作：<mark class=\"carried\"" in html and '<mark class="figures"' in html
    assert 'id="n-measures">3<' in html and "略作改动后沿用" in html
    en = compare.write(measures, tmp_path / "en", ["html"], "en")[0].read_text(encoding="utf-8")
    assert "carried over with edits" in en and "promised again" in en
    import docx

    doc = docx.Document(io.BytesIO(docx_path.read_bytes()))
    xml = doc.element.xml
    for colour in ("magenta", "yellow", "cyan"):  # word for word, other figures, edited
        assert f'w:highlight w:val="{colour}"' in xml
    assert f"［≈{near.share:.0%}］" in xml


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
    assert 'class="breaks"' in text and '<mark class="carried" data-share="1.0"' in text and "两份报告对照" in text
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


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")
def test_the_marks_show_in_chromium(measures, tmp_path):
    [page] = compare.write(measures, tmp_path, ["html"])
    shot = tmp_path / "marks.png"
    proc = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,5000",
                           f"--screenshot={shot}", page.as_uri() + "#section-5"],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0 and shot.is_file(), proc.stderr[-2000:]
    from PIL import Image

    img = Image.open(shot).convert("RGB")
    colours = dict((c, n) for n, c in img.getcolors(img.width * img.height))
    for rgb in ((0xF6, 0xC9, 0xC4), (0xFD, 0xE2, 0xB5), (0xCF, 0xE3, 0xF7)):  # word for word, figures, edited
        assert colours.get(rgb, 0) > 2000, rgb  # the legend's swatch alone is some 300 pixels


@pytest.mark.skipif(not (REAL / "hongze-2024.pdf").is_file(), reason="../shared/reports/real is not there")
def test_hongze_two_years():
    cmp = compare.compare_files(REAL / "hongze-2023.pdf", REAL / "hongze-2024.pdf", narrative=False)
    s = cmp.summary()
    assert (cmp.a.meta.year, cmp.b.meta.year) == (2023, 2024)
    assert s["changed"] >= 20  # e.g. table 三's new applications, 21 → 95
    new = next(c for r in cmp.rows for c in r.cells if c.field_id == "t3.new.total")
    assert (new.a, new.b, new.delta) == ("21", "95", "+74")
    assert s["carry_holds"] >= 7 and s["carry_breaks"] == 0
    # section 五 of 2024 promises two of 2023's three measures again (一是 and 三是; 三是's punctuation differs)
    five = next(x for x in cmp.sections if x.number == 5)
    assert s["section5_measures_repeated"] == 2
    assert sorted(r.text[:2] for r in five.repeats if r.role == "measure") == ["一是", "三是"]
    for side in (five.a, five.b):
        marked = {p.text[:2] for x in side for p in x.parts if p.mark == "carried"}
        assert {"一是", "三是"} <= marked and "二是" not in marked
