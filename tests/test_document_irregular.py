"""Irregular and partial reports (issue 14): sections numbered 1、/1./（一）/第一部分, markdown and indented
headings, a body numbered on its own, sections out of order, section 一 alone, the tables alone; and the
metadata real pages carry (labelled dates before a crawler's capture time, the agency's region prefix).
All fixture text is our own; the layouts are those of real reports."""
from __future__ import annotations

import datetime as dt

import pytest

from _partial_reports import AGENCY, SECTION_ONE_ALONE, T3_ONLY, T4_ONLY, numbered, tables_alone
from audit import pipeline
from audit.document import annotate
from audit.errors import NotAReport
from audit.ingest.text import parse_text
from audit.model import Source


def _doc(text: str):
    return annotate(parse_text(text, Source.from_bytes("x.txt", text.encode(), "txt", "utf-8")))


def _audit(tmp_path, name: str, text: str):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return pipeline.audit(p, cache=False, today=dt.date(2024, 6, 1))


@pytest.mark.parametrize("style, markers", [
    ("arabic", ["1", "2", "3", "4", "5", "6"]),
    ("dotted", ["1", "2", "3", "4", "5", "6"]),
    ("paren", ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]),
    ("markdown", list("一二三四五六")),
    ("indented", list("一二三四五六")),
    ("part", ["第一部分", "第二部分", "第三部分", "第四部分", "第五部分", "第六部分"]),
])
def test_six_sections_whatever_the_numbering(style, markers):
    doc = _doc(numbered(style))
    assert [(s.number, s.marker) for s in doc.sections] == list(zip(range(1, 7), markers))
    assert doc.section(6).text == "本年度未收取信息处理费。"
    assert doc.section(5).text.startswith("一是公开栏目")


def test_a_body_numbered_on_its_own_with_its_tables_numbered_apart():
    # the layout of a Shanghai commission's report: body parts 一…六 inside section 一, the tables headed
    # 一、二、三, section 五 without a heading (only its （一）), 其他需要报告的事项 numbered 五
    text = "\n\n".join([
        f"2024年{AGENCY}政府信息公开工作年度报告",
        "一、总体情况", "本局全年主动公开信息312条。", "二、工作机制保障", "明确分管领导和专人负责。",
        "三、主动公开工作情况", "及时发布政策文件。", "四、政府信息公开申请情况", "全年收到申请12件。",
        "一、主动公开政府信息情况", "规章\t0\t0\t0\n规范性文件\t2\t1\t9",
        "二、收到和处理政府信息公开申请情况", "\n".join("\t".join(r) for r in T3_ONLY),
        "三、政府信息公开行政复议、行政诉讼情况", "\n".join("\t".join(r) for r in T4_ONLY),
        "（一）主要问题", "栏目分类不够清晰。", "（二）改进情况", "下一步调整目录。",
        "五、其他需要报告的事项", "本年度未收取信息处理费。",
    ]) + "\n"
    doc = _doc(text)
    assert [(s.number, s.marker) for s in doc.sections] == [(1, "一"), (2, "一"), (3, "二"), (4, "三"), (5, None), (6, "五")]
    assert doc.section(5).text.startswith("(一)主要问题") and doc.section(6).text == "本年度未收取信息处理费。"
    assert "二、工作机制保障" in doc.section(1).text


def test_sections_out_of_order_are_kept_where_printed(tmp_path):
    text = numbered("indented")
    four = text.index("　　四、")
    three = text.index("　　三、")
    # swap sections 三 and 四 (heading and body)
    text = text[:three] + text[four:text.index("　　五、")] + text[three:four] + text[text.index("　　五、"):]
    r = _audit(tmp_path, "order.txt", text)
    assert [s.number for s in r.document.sections] == [1, 2, 4, 3, 5, 6]
    msgs = [f.message_zh for f in r.findings if f.rule_id == "STRUCT-NUMBERING"]
    assert len(msgs) == 1 and "第三部分排在第四部分之后" in msgs[0]
    assert "STRUCT-SECTIONS" not in {f.rule_id for f in r.findings}


def test_numbering_findings_once(tmp_path):
    r = _audit(tmp_path, "arabic.txt", numbered("arabic"))
    got = [f for f in r.findings if f.rule_id == "STRUCT-NUMBERING"]
    assert len(got) == 1 and "“1、”" in got[0].message_zh
    r = _audit(tmp_path, "std.txt", numbered("indented"))
    assert not [f for f in r.findings if f.rule_id.startswith("STRUCT-NUMBERING")]


# ------------------------------------------------------------------------------------- partial reports


def _memo_and_score(result):
    from audit import memo

    md = memo.render(result, "md") if hasattr(memo, "render") else None
    return md, result.score


def test_section_one_alone_is_audited(tmp_path):
    r = _audit(tmp_path, "one.txt", SECTION_ONE_ALONE)
    assert [s.number for s in r.document.sections] == [1]
    structure = [f for f in r.findings if f.kind == "structure"]
    assert [f.rule_id for f in structure] == ["STRUCT-SECTIONS"]  # what is missing: one finding
    assert "二、三、四、五、六" in structure[0].message_zh
    outcomes = {c.rule_id: str(c.outcome) for c in r.checks}
    assert outcomes["TABLES-ASSESSABLE"] == "not_assessable" and outcomes["NARR-EMPTY"] == "not_assessable"
    assert outcomes["T3-BALANCE"] == "not_assessable"
    assert r.score["total"] > 0


def test_tables_alone_are_audited(tmp_path):
    r = _audit(tmp_path, "tables.txt", tables_alone())
    assert [(s.number, s.marker) for s in r.document.sections] == [(3, None), (4, None)]
    assert len(r.document.tables) == 2  # two tables one after the other, a blank line between: not one
    assert r.fields["t3.new.total"].value == 12
    assert (r.fields["t4.review.total"].value, r.fields["t4.suit_after_review.upheld"].value) == (1, 1)
    sections = [f for f in r.findings if f.rule_id == "STRUCT-SECTIONS"]
    assert len(sections) == 1 and "第三部分、第四部分没有标题" in sections[0].message_zh
    assert "STRUCT-NUMBERING" not in {f.rule_id for f in r.findings}
    assert "NARR-EMPTY" not in {f.rule_id for f in r.findings}


def test_tables_alone_as_a_web_page(tmp_path):
    cells = lambda rows: "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)  # noqa: E731
    page = (f"<html><body><table border='1'>{cells(T3_ONLY)}</table><p>&nbsp;</p>"
            f"<table border='1'>{cells(T4_ONLY)}</table></body></html>")
    r = _audit(tmp_path, "tables.html", page)
    assert [s.number for s in r.document.sections] == [3, 4]
    assert r.fields["t3.new.total"].value == 12


def test_a_report_numbered_1_to_6_is_audited(tmp_path):
    r = _audit(tmp_path, "arabic.txt", numbered("arabic"))
    assert [s.number for s in r.document.sections] == [1, 2, 3, 4, 5, 6]
    assert "STRUCT-SECTIONS" not in {f.rule_id for f in r.findings}
    assert r.fields["t3.new.total"].value == 12
    assert r.document.meta.agency == AGENCY and r.document.meta.published == dt.date(2024, 1, 20)


@pytest.mark.parametrize("text", [
    "关于做好2021年春节期间值班工作的通知\n\n各乡镇人民政府，县直各单位：\n\n现将有关事项通知如下。\n",
    "| file | what |\n|---|---|\n| a.txt | 本年新收、予以公开、上年结转的说明 |\n",  # words of the format in a list
])
def test_still_not_a_report(text):
    with pytest.raises(NotAReport):
        _doc(text)


def test_a_title_alone_makes_a_report():
    doc = _doc(f"{AGENCY}2023年政府信息公开工作年度报告\n\n本局全年主动公开信息312条。\n")
    assert doc.sections == [] and doc.meta.agency == AGENCY


def test_partial_reports_in_memo_and_batch(tmp_path):
    from click.testing import CliRunner

    from audit.cli import cli as main

    src = tmp_path / "in"
    src.mkdir()
    (src / "one.txt").write_text(SECTION_ONE_ALONE, encoding="utf-8")
    (src / "tables.txt").write_text(tables_alone(), encoding="utf-8")
    (src / "arabic.txt").write_text(numbered("arabic"), encoding="utf-8")
    out = tmp_path / "memos"
    res = CliRunner().invoke(main, ["check", str(src / "one.txt"), str(src / "tables.txt"), str(src / "arabic.txt"),
                                    "-o", str(out), "--format", "md,json", "--no-cache"])
    assert res.exit_code == 0, res.output
    memos = sorted(p.name for p in out.rglob("*.md"))
    assert len(memos) == 3, memos
    one = next(p for p in out.rglob("*.md") if p.name.startswith("one")).read_text(encoding="utf-8")
    assert "STRUCT-SECTIONS" in one
    run = tmp_path / "run"
    res = CliRunner().invoke(main, ["batch", str(src), "-o", str(run)])
    assert res.exit_code == 0, res.output
    import sqlite3

    with sqlite3.connect(run / "audit.sqlite") as db:
        tables = [r[0] for r in db.execute("select name from sqlite_master where type='table'")]
        assert tables
    assert len(list((run / "memos").rglob("*.json"))) == 3


def test_a_number_printed_twice_is_one_numbering_finding(tmp_path):
    text = numbered("indented").replace("　　二、主动公开", "　　三、主动公开")
    r = _audit(tmp_path, "twice.txt", text)
    assert [(s.number, s.marker) for s in r.document.sections][:3] == [(1, "一"), (2, "三"), (3, "三")]
    got = [f for f in r.findings if f.rule_id == "STRUCT-NUMBERING"]
    assert len(got) == 1 and "第二部分编号为“三、”" in got[0].message_zh and "重复使用" in got[0].message_zh
    assert "STRUCT-SECTIONS" not in {f.rule_id for f in r.findings}


def test_a_missing_five_and_six_numbered_five(tmp_path):
    text = numbered("indented")
    text = text[:text.index("　　五、")] + text[text.index("　　六、"):].replace("　　六、", "　　五、")
    r = _audit(tmp_path, "no5.txt", text)
    assert [(s.number, s.marker) for s in r.document.sections][-2:] == [(4, "四"), (6, "五")]
    by_rule = {f.rule_id: f for f in r.findings}
    assert "第五部分" in by_rule["STRUCT-SECTIONS"].message_zh
    assert "第六部分编号为“五、”" in by_rule["STRUCT-NUMBERING"].message_zh
    assert not [f for f in r.findings if f.rule_id.startswith("NARR-")]  # nothing said twice of the missing 五


def test_a_heading_at_a_page_foot():
    text = numbered("indented")
    text = text.replace("\n\n　　五、存在的主要问题及改进情况\n\n", "\n\n　　五、存在的主要问题及改进情况\n\f\n")
    text = text.replace("\n\n　　二、主动公开政府信息情况\n\n", "\n\n　　二、主动公开政府信息情况\n\f\n")
    doc = _doc(text)
    assert [(s.number, s.marker) for s in doc.sections] == list(zip(range(1, 7), "一二三四五六"))
    assert doc.section(5).text.startswith("一是公开栏目") and doc.section(5).pages == [2, 3]


def _as_docx(text: str, path):
    import docx

    d = docx.Document()
    for block in text.strip().split("\n\n"):
        if "\t" in block:
            rows = [r.split("\t") for r in block.split("\n")]
            t = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for i, r in enumerate(rows):
                for j, c in enumerate(r):
                    t.cell(i, j).text = c
        else:
            d.add_paragraph(block)
    d.save(path)


def _as_html(text: str, path):
    parts = []
    for block in text.strip().split("\n\n"):
        if "\t" in block:
            parts.append("<table border='1'>" + "".join(
                "<tr>" + "".join(f"<td>{c or '&nbsp;'}</td>" for c in r.split("\t")) + "</tr>"
                for r in block.split("\n")) + "</table>")
        else:
            parts.append(f"<p>{block}</p>")
    path.write_text("<html><head><meta charset='utf-8'></head><body><div class='content'>" + "".join(parts)
                    + "</div></body></html>", encoding="utf-8")


@pytest.mark.parametrize("kind", ["docx", "html"])
@pytest.mark.parametrize("layout", ["arabic", "paren", "tables", "one"])
def test_irregular_layouts_across_input_kinds(tmp_path, kind, layout):
    pytest.importorskip("docx")
    text = {"tables": tables_alone(), "one": SECTION_ONE_ALONE}.get(layout) or numbered(layout)
    path = tmp_path / f"r.{kind}"
    (_as_docx if kind == "docx" else _as_html)(text, path)
    r = pipeline.audit(path, cache=False, narrative=False, today=dt.date(2024, 6, 1))
    got = [s.number for s in r.document.sections]
    want = {"tables": [3, 4], "one": [1]}.get(layout, [1, 2, 3, 4, 5, 6])
    assert got == want
    if layout != "one":
        assert r.fields["t3.new.total"].value == 12
    structure = {f.rule_id for f in r.findings if f.kind == "structure"}
    assert ("STRUCT-SECTIONS" in structure) == (layout in ("tables", "one"))
    assert ("STRUCT-NUMBERING" in structure) == (layout in ("arabic", "paren"))
