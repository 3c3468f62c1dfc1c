"""Renderings of generated reports: every kind readable, layouts as promised, bytes deterministic.

Word-made PDFs come from one LibreOffice run for the whole module (start-up is what costs)."""
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from docx import Document

from corpora.generator import RenderJob, random_report, render, render_many
from corpora.generator.document import build
from corpora.generator.samples import SAMPLES_DIR, sample_specs

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")

S19 = random_report("2019", 101, level="government")
S21 = random_report("2021", 102, level="government")
PDF_JOBS = {
    "p19": RenderJob(S19, "pdf", "plain", "p19"),
    "break": RenderJob(S21, "pdf", "page_break_t3", "break"),
    "header": RenderJob(S21, "pdf", "repeated_header+spaced_labels", "header"),
    "wrapped": RenderJob(S21, "pdf", "wrapped_labels+org_total", "wrapped"),
    "border": RenderJob(S21, "pdf", "borderless", "border"),
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdfs")
    render_many(PDF_JOBS.values(), out)
    return {k: (out / j.filename).read_bytes() for k, j in PDF_JOBS.items()}


def _pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pdf_plain_has_title_tables_and_values(pdfs):
    pages = _pages(pdfs["p19"])
    whole = _flat("".join(pages))
    assert _flat(S19.meta.title) in whole
    for section in S19.narrative.sections:
        assert section.heading in whole
    with pdfplumber.open(io.BytesIO(pdfs["p19"])) as pdf:
        rows = [r for p in pdf.pages for t in p.extract_tables() for r in t]
        assert pdf.metadata["Title"] == S19.meta.title
    new_row = next(r for r in rows if r[0] and "本年新收" in r[0])
    numbers = [c for c in new_row[1:] if c not in (None, "")]
    assert numbers == [str(S19.values[f"t3.new.{c}"]) for c in
                       ("natural", "commercial", "research", "social", "legal", "other", "total")]
    license_row = next(r for r in rows if r[0] == "行政许可")
    assert [c for c in license_row[1:] if c] == [str(S19.values[f"t2.license.{c}"]) for c in ("prev", "change", "decisions")]
    assert re.search(r"— ?2 ?—", pages[1]), "page numbers in the footer"


def test_pdf_page_break_cuts_table3_and_a_label(pdfs):
    blocks = build(S21, "page_break_t3")
    i = next(k for k, b in enumerate(blocks) if b.kind == "table" and b.continued)
    first, second = blocks[i - 2].grid, blocks[i].grid
    carried = next(c.text for c in second.rows[0] if c is not None and c.kind == "label" and c.text)
    pages = _pages(pdfs["break"])
    p_new = next(k for k, t in enumerate(pages) if "本年新收" in t)
    p_total = next(k for k, t in enumerate(pages) if "（七）总计" in t)
    assert p_total == p_new + 1, "table 三 continues on the next page"
    assert carried in _flat(pages[p_total]) and first.rows[-1][2] is not None or first.rows[-1][1] is not None
    with pdfplumber.open(io.BytesIO(pdfs["break"])) as pdf:
        top = pdf.pages[p_total].extract_tables()[0][0]
    assert any(c and _flat(c) == carried for c in top), "the rest of the cut label opens the next page"
    assert all(c in (None, "") for c in top[3:]), "…in a row with empty number cells"


def test_pdf_repeated_header_and_spaced_labels(pdfs):
    pages = _pages(pdfs["header"])
    assert sum("申 请 人 情 况" in t for t in pages) == 2
    with pdfplumber.open(io.BytesIO(pdfs["header"])) as pdf:
        cells = {c.replace("\n", " ") for p in pdf.pages for t in p.extract_tables() for r in t for c in r if c}
    assert {"结 果 维 持", "总 计", "（七）总 计"} <= cells


def test_pdf_wrapped_labels_and_org_total(pdfs):
    with pdfplumber.open(io.BytesIO(pdfs["wrapped"])) as pdf:
        rows = [r for p in pdf.pages for t in p.extract_tables() for r in t]
    assert any(c and "\n" in c and "不掌握" in c for r in rows for c in r), "long labels wrap"
    header = [_flat(c or "") for c in next(r for r in rows if any(c == "小计" for c in r))]
    assert header.index("小计") < header.index("商业企业")
    new_row = next(r for r in rows if r[0] and "本年新收" in r[0])
    assert str(S21.expected_fields("org_total")["t3.new.org_total"]) == [c for c in new_row[1:] if c][1]


def test_pdf_borderless_has_no_ruling_lines(pdfs):
    with pdfplumber.open(io.BytesIO(pdfs["border"])) as pdf:
        assert all(not p.lines and not p.rects for p in pdf.pages)
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert "自然人" in text and "本年新收政府信息公开申请数量" in _flat(text)
    assert render(S21, "pdf", "borderless") == pdfs["border"], "reportlab output is byte-identical"


def test_soffice_pdf_content_is_deterministic(pdfs, tmp_path):
    """A second rendering has the same pages, text and tables. (Its bytes match too on one LibreOffice
    installation once its profile is warm, but a fresh profile can number a stream differently, so the
    bytes are not what the rest of the project relies on.)"""
    (path,) = render_many([PDF_JOBS["p19"]], tmp_path)

    def content(data: bytes):
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [(p.extract_text(), p.extract_tables()) for p in pdf.pages]

    assert content(path.read_bytes()) == content(pdfs["p19"])


def test_docx_merged_cells_font_header_footer():
    data = render(S21, "docx", "page_break_t3")
    assert data == render(S21, "docx", "page_break_t3")
    doc = Document(io.BytesIO(data))
    assert len(doc.tables) == 4, "table 二, 三 in two parts, 四"
    xml = doc.tables[1]._tbl.xml
    assert "w:vMerge" in xml and "w:gridSpan" in xml
    assert "申请人情况" in xml and "法人或其他组织" in xml
    rfonts = doc.styles["Normal"].element.rPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rFonts")
    assert "WenQuanYi" in rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == S21.meta.title
    assert "PAGE" in section.footer._element.xml
    assert doc.core_properties.title == S21.meta.title
    t4 = doc.tables[3]._tbl.xml
    assert "未经复议直接起诉" in t4 and "复议后起诉" in t4
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time[:3] for i in z.infolist()} == {S21.meta.published.timetuple()[:3]}


@pytest.mark.parametrize("encoding,declared", [("utf-8", "utf-8"), ("gbk", "gbk"), ("gbk-undeclared", None)])
def test_html_site_page_with_spans(encoding, declared):
    data = render(S19, "html", "blank_cells", encoding=encoding)
    text = data.decode("utf-8" if encoding == "utf-8" else "gbk")
    assert (f"charset={declared}" in text or f'charset="{declared}"' in text) if declared else "charset" not in text
    for piece in ('rowspan="', 'colspan="', "当前位置", "首页", "主办单位", S19.meta.title, "&nbsp;" if any(
            v == "" for v in S19.expected_raw("blank_cells").values()) else "<table"):
        assert piece in text
    assert text.count("<table") == 3
    assert render(S19, "html", "blank_cells", encoding=encoding) == data


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("style", ["tab", "pipe"])
def test_txt_flattened_tables(encoding, style):
    data = render(S21, "txt", "plain", encoding=encoding, style=style)
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    text = data.decode(encoding)
    assert S21.meta.title in text
    sep = "\t" if style == "tab" else "|"
    line = next(ln for ln in text.splitlines() if "本年新收政府信息公开申请数量" in ln)
    cells = [c.strip() for c in line.split(sep) if c.strip()]
    assert cells[1:] == [str(S21.values[f"t3.new.{c}"]) for c in
                         ("natural", "commercial", "research", "social", "legal", "other", "total")]


def test_txt_page_break_shows_page_number_and_cut_label():
    text = render(S21, "txt", "page_break_t3", encoding="utf-8", style="tab").decode()
    lines = text.splitlines()
    k = next(i for i, ln in enumerate(lines) if re.fullmatch(r"- \d+ -", ln))
    cont = lines[k + 2].split("\t")
    assert cont[0] and not any(c.strip() for c in cont[3:]), "the next page opens with the rest of the labels"


def test_samples_manifest_and_cheap_kinds_regenerate():
    manifest = json.loads((SAMPLES_DIR / "manifest.json").read_text(encoding="utf-8"))
    reports = manifest["reports"]
    kinds = {(r["format"], r["kind"]) for r in reports}
    assert kinds == {(f, k) for f in ("2019", "2021") for k in ("pdf", "docx", "html", "txt")}
    assert len({r["meta"]["agency"] for r in reports}) == len(reports)
    assert any(r["defects"] for r in reports)
    for (job, records), entry in zip(sample_specs(), reports):
        assert entry["file"] == job.filename and (SAMPLES_DIR / entry["file"]).exists()
        exp = {k: (str(v) if not isinstance(v, (int, type(None))) else v)
               for k, v in job.spec.expected_fields(job.layout).items()}
        assert entry["expected_fields"] == exp
        if job.kind != "pdf":
            assert (SAMPLES_DIR / entry["file"]).read_bytes() == render(job.spec, job.kind, job.layout, **job.options)
    assert sum(p.stat().st_size for p in SAMPLES_DIR.iterdir()) < 600_000


def test_small_archive_with_manifest(tmp_path):
    from corpora.generator.archive import write_archive
    m = write_archive(tmp_path, n=10, seed=3, corrupt=3)
    assert m["n"] >= 10 and len(m["corrupt"]) == 3
    for r in m["reports"]:
        assert (tmp_path / r["file"]).stat().st_size > 1000
    series = [r["series"] for r in m["reports"]]
    assert any(series.count(s) == 2 for s in series), "two consecutive years for most agencies"
    for c in m["corrupt"]:
        assert (tmp_path / c["file"]).exists() and c["reason"]
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["n"] == m["n"]
    amap = (tmp_path / "agency_map.csv").read_text(encoding="utf-8").splitlines()
    assert amap[0] == "name,agency,member_of" and len(amap) == 1 + 3 * len(m["consolidated"]) == 7
    by_agency = {r["meta"]["agency"]: r for r in m["reports"]}
    for group in m["consolidated"]:
        gov = by_agency[group["government"]]
        members = [by_agency[a] for a in group["members"]]
        sums = {f: sum(r["expected_fields"][f] for r in members) for f in gov["expected_fields"]
                if f.startswith("t3.") and gov["expected_fields"][f] is not None}
        assert all(gov["expected_fields"][f] == v for f, v in sums.items())
        licence = sum(r["expected_fields"]["t2.license.decisions"] for r in members)
        broken = [d for d in gov["defects"] if d["kind"] == "consolidation_break"]
        assert (gov["expected_fields"]["t2.license.decisions"] != licence) == bool(broken)
