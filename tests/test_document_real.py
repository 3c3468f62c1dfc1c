"""The real reports under ../shared/reports: metadata and the six sections (skipped when absent)."""
import datetime as dt
from pathlib import Path

import pytest

from audit import pipeline
from audit.document.sections import TITLES, WORDING
from audit.inspect import inspect_json

SHARED = Path(__file__).resolve().parents[2] / "shared" / "reports"
SEED = SHARED / "000_2a4738e891b759f6.txt"
REAL = SHARED / "real"

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/reports is not here")

# file → agency, year, published, level (from the folder's README and the reports' own text)
EXPECTED = {
    "pingtan-2019.txt": ("平潭综合实验区", 2019, dt.date(2020, 1, 20), "2019"),
    "pingtan-2020.txt": ("平潭综合实验区", 2020, dt.date(2021, 3, 5), "2019"),
    "pingtan-2021.txt": ("平潭综合实验区", 2021, dt.date(2022, 2, 8), "2021"),
    "pingtan-2022.txt": ("平潭综合实验区", 2022, dt.date(2023, 2, 20), "2021"),
    "pingtan-2023.txt": ("平潭综合实验区", 2023, dt.date(2024, 3, 8), "2021"),
    "pingtan-2024.txt": ("平潭综合实验区", 2024, dt.date(2025, 3, 10), "2021"),
    "pingtan-2025.txt": ("平潭综合实验区", 2025, dt.date(2026, 3, 10), "2021"),
    "shanghai-kewei-2024.md": ("上海市科学技术委员会", 2024, None, "2021"),
    "shanghai-office-2025.md": ("上海市人民政府办公厅", 2025, None, "2021"),
}


@pytest.fixture(scope="module")
def docs():
    return {name: pipeline.read(REAL / name) for name in EXPECTED if (REAL / name).is_file()}


def test_seed_report():
    doc = pipeline.read(SEED)
    m = doc.meta
    assert (m.agency, m.year, m.published, m.format) == ("泉港区人民政府", 2020, dt.date(2021, 1, 8), "2019")
    assert m.level == "government" and m.cited_notice == "〔2019〕60号"
    assert m.period == (dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    assert [s.number for s in doc.sections] == [1, 2, 3, 4, 5, 6]
    assert "全生命周期" in doc.section(1).text
    assert "专业师资力量" in doc.section(1).text
    assert doc.section(6).text == "(无)"
    assert [len(t.rows) for t in doc.tables] == [18, 26, 4]


def test_seed_report_json_interface():
    out = inspect_json(pipeline.read(SEED))
    assert out["meta"]["published"] == "2021-01-08" and out["meta"]["format"] == "2019"
    assert [s["number"] for s in out["sections"]] == [1, 2, 3, 4, 5, 6]
    assert all({"number", "title", "pages", "text"} <= set(s) for s in out["sections"])
    assert out["tables"][1]["rows"][3][:3] == ["一、", "本年新收政府信息公开申请数量", "51"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_report_meta_and_sections(docs, name):
    if name not in docs:
        pytest.skip(f"{name} is not here")
    doc = docs[name]
    agency, year, published, fmt = EXPECTED[name]
    assert (doc.meta.agency, doc.meta.year, doc.meta.published) == (agency, year, published)
    assert doc.meta.format_by_year == fmt
    assert doc.meta.period == (dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert [s.number for s in doc.sections] == [1, 2, 3, 4, 5, 6]
    for s in doc.sections:
        assert WORDING[s.number].search(s.title) or s.title == TITLES[s.number], s.title
        if s.number in (1, 5, 6):
            assert s.text.strip(), f"section {s.number} has no text"


def test_pingtan_levels_and_crawler_split(docs):
    if "pingtan-2020.txt" not in docs:
        pytest.skip("not here")
    doc = docs["pingtan-2020.txt"]
    assert doc.meta.level == "government"  # a 管委会's consolidated report: 31 March
    assert doc.section(4).title == "政府信息公开行政复议、行政诉讼情况"
    assert doc.section(6).text == "无其他需要报告的事项"
    assert doc.section(5).text.startswith("(一)存在的主要问题")
    assert "行政复议" not in doc.section(3).text[-40:]  # section 三 stops where 四 begins


def test_kewei_body_numbering_and_headless_section_five(docs):
    if "shanghai-kewei-2024.md" not in docs:
        pytest.skip("not here")
    doc = docs["shanghai-kewei-2024.md"]
    assert doc.meta.level == "department"
    assert "政务公开工作协调小组" in doc.section(1).text  # the body's 二、工作机制保障 is part of 一
    assert "当年发布政府信息393件" in doc.section(1).text
    assert doc.section(4).title == "政府信息公开行政复议、行政诉讼情况"  # the tables' own 三、
    assert doc.section(3).text.startswith("申请人情况")
    assert doc.section(5).text.startswith("(一)主要问题")
    assert "收费事项" in doc.section(6).text


def test_office_pages_and_split_section_five(docs):
    if "shanghai-office-2025.md" not in docs:
        pytest.skip("not here")
    doc = docs["shanghai-office-2025.md"]
    assert doc.page_count == 7
    assert doc.section(1).pages == [1, 2, 3, 4]
    assert [t for t, _ in doc.section(5).subsections] == ["(一)2024年工作中存在问题的改进情况",
                                                          "(二)2025年工作中存在的主要问题"]
    assert "政务公开促落实" in doc.section(1).text  # a sentence across the page break at “— 1 —”
    assert doc.meta.cited_notice == "〔2021〕30号"



def test_levels_of_the_real_reports(docs):
    """平潭综合实验区 publishes the area's consolidated report (31 March: its 2020 report of 5 March 2021 is
    on time); a municipal government's office and a commission are departments (31 January)."""
    levels = {name: d.meta.level for name, d in docs.items()}
    assert {levels[n] for n in levels if n.startswith("pingtan")} == {"government"}
    assert levels.get("shanghai-office-2025.md") == "department"
    assert levels.get("shanghai-kewei-2024.md") == "department"
