"""Markdown and HTML memos: contents top to bottom, both languages, the table block with its highlighted
cells, escaping of hostile report text, and writing the files."""
from __future__ import annotations

import os
import re

import pytest
from markupsafe import escape

from _memo_helpers import HOSTILE, Parsed, hostile, make_result, seed_like
from audit import memo
from audit.model import Finding, Location, Severity


def positions(text: str, needles: list[str]) -> list[int]:
    return [text.index(n) for n in needles]


def test_markdown_memo_in_chinese_runs_top_to_bottom():
    md = memo.render(seed_like(), "md")
    order = ["# 政府信息公开工作年度报告审核意见", "## 一、报告信息", "## 二、评分", "## 三、问题概况",
             "## 四、统计表勾稽关系问题", "## 五、正文与统计表不一致", "## 六、格式与结构问题",
             "## 七、问题与改进情况的文字质量", "## 八、审核规则执行情况", "审核人"]
    assert positions(md, order) == sorted(positions(md, order))
    assert "得分 81 / 100，等级：良好" in md
    assert "| 统计表勾稽关系 | 40 | 2 | 10 |" in md
    assert "| 错误 | 3 |" in md and "| 警告 | 2 |" in md
    # the table block of the row identity: the suspect cell marked with its correction, the others bold
    assert "| （三）不予公开 4.保护第三方合法权益 | **〔2 → 0〕** | **0** |" in md
    assert "应为：2，实为：0" in md
    assert "最可能有误：表三 4.保护第三方合法权益 × 自然人 (t3.denied.third_party.natural)，填报 2，与其他数据一致的值为 0" in md
    assert "> 原文：本年度本区持续推进政务公开，共受理申请五十五件" in md
    assert "依据词句：“有待加强”、“不够到位”" in md
    # passed, not assessable and not applicable are listed apart
    assert "### 已核查，通过（2）" in md and "### 无法核查（数据缺失或无法读取）（1）" in md
    # the reason in the memo's language (Check.reason holds both)
    assert "T4-BLOCK-SUM 表四各栏合计（原因：表四“行政复议”栏：各单元格为空白）" in md and "every cell blank" not in md


def test_column_identity_block_draws_the_column_in_table_order():
    md = memo.render(seed_like(), "md")
    block = md[md.index("### 2. [错误] T3-COL-RESULTS"):md.index("## 五、")]
    rows = re.findall(r"^\| (.+?) \| (.+?) \| $", block, flags=re.M)
    labels = [r[0] for r in rows]
    assert labels[0] == "三、本年度办理结果 （一）予以公开" and labels[-1] == "（七）总计"
    assert "（三）不予公开 1.属于国家秘密" in labels and "2.其他法律行政法规禁止公开" in labels
    assert dict(rows)["4.保护第三方合法权益"] == "**〔2 → 0〕**"
    assert dict(rows)["（七）总计"] == "**51**"


def test_english_memo_translates_every_heading_and_label():
    md = memo.render(seed_like(), "md", lang="en")
    for text in ("# Audit memo on a government information-disclosure annual report", "## 1. The report",
                 "## 2. Score", "**Score 81 / 100, grade: Good**", "## 4. Table identities",
                 "Table 3, row 4 (third-party rights)", "Expected: 2, Found: 0", "| Error | 3 |",
                 "### Checked and passed (2)", "### Not assessable (inputs missing or unreadable) (1)",
                 "Weakness: generic wording (Confidence 87%)", "Reviewer"):
        assert text in md, text
    # outside the report's own words (agency, labels, quotes), no Chinese is left
    own = {"示例区人民政府", "报告"}
    lines = [ln for ln in md.splitlines() if re.search(r"[\u4e00-\u9fff]", re.sub(r"“[^”]*”", "", ln))]
    for ln in lines:
        assert (ln.startswith(("|", ">", "- Agency", "- Where", "- Most likely", "- Driving", "**Table block"))
                or any(o in ln for o in own) or "(t3." in ln), ln


def test_html_memo_highlights_the_suspect_and_identity_cells():
    page = memo.render(seed_like(), "html")
    cells = Parsed(page).cells
    suspects = [c for c in cells if "suspect" in c[0].split()]
    assert suspects and {c[1] for c in suspects} == {"t3.denied.third_party.natural"}
    assert all(c[2] == "2 → 0" for c in suspects)
    identity = {c[1] for c in cells if "identity" in c[0].split()}
    assert {"t3.denied.third_party.total", "t3.result_total.natural", "t3.new.total"} <= identity
    blanks = [c for c in cells if c[1].startswith("t4.review.")]
    assert len(blanks) == 5 and all("blank" in c[0].split() and c[2] == "空白" for c in blanks)


def test_several_equally_small_corrections_are_candidates_not_a_guess():
    f = Finding("T4-SUM", Severity.ERROR, "numeric", "表四复议后起诉合计不符。", "Table 4 block does not add up.",
                Location(table="t4", field_ids=[f"t4.suit_after_review.{c}" for c in
                                                ("upheld", "corrected", "other", "pending", "total")]),
                expected=1, found=2,
                suggestion=[{"cells": [{"field": "t4.suit_after_review.corrected", "found": 1, "consistent": 2}],
                             "repairs": ["T4-SUM[block=suit_after_review]"]},
                            {"cells": [{"field": "t4.suit_after_review.other", "found": 1, "consistent": 2}],
                             "repairs": ["T4-SUM[block=suit_after_review]"]}])
    page = memo.render(make_result(findings=[f]), "html", lang="en")
    cells = Parsed(page).cells
    assert not [c for c in cells if "suspect" in c[0].split()]
    assert sorted(c[1] for c in cells if "candidate" in c[0].split()) == [
        "t4.suit_after_review.corrected", "t4.suit_after_review.other"]
    assert "Option 1:" in page and "Option 2:" in page
    assert "several equally small corrections" in page


def test_html_is_self_contained_and_printable_on_a4():
    page = memo.render(seed_like(), "html")
    tags = Parsed(page).tags
    assert not [t for t, _ in tags if t in ("script", "link", "iframe", "object", "embed", "img")]
    urls = [v for _, a in tags for k, v in a.items() if k in ("src", "href") and not (v or "").startswith("#")]
    assert urls == []
    assert "@page { size: A4;" in page
    assert "default-src 'none'" in page  # a Content-Security-Policy forbids any request, should text slip through


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_report_text_is_escaped_in_html(lang):
    page = memo.render(hostile(), "html", lang=lang)
    tags = Parsed(page).tags
    assert not [t for t, _ in tags if t in ("script", "img", "a") and t != "a"]
    assert not [a for t, a in tags if t == "a" and not a.get("href", "").startswith("#")]
    assert not [k for _, a in tags for k in a if k.startswith("on")]
    assert "javascript:" not in "".join(v or "" for _, a in tags for v in a.values())
    # the text is there, as text
    assert str(escape(HOSTILE)) in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # agency, sentence, row label


def test_hostile_report_text_is_escaped_in_markdown():
    md = memo.render(hostile(), "md")
    body = re.sub(r"^> ", "", md, flags=re.M)  # the memo's own quote markers
    assert not re.search(r"(?<!\\)[<>]", body)  # every angle bracket of the report's text is escaped
    assert "](javascript" not in md
    assert "示例局\\<script\\>alert(1)\\</script\\>" in md


def test_write_names_memos_after_the_source_file_and_leaves_no_temp_files(tmp_path):
    pdf = make_result(path="in/report.pdf")
    page = make_result(path="in/report.html")
    written = memo.write(pdf, tmp_path / "memos", ["md", "json", "html", "docx"]) + memo.write(page, tmp_path / "memos", ["md"])
    names = sorted(p.name for p in (tmp_path / "memos").iterdir())
    assert names == ["report.html.md", "report.pdf.docx", "report.pdf.html", "report.pdf.json", "report.pdf.md"]
    assert [p.name for p in written] == ["report.pdf.md", "report.pdf.json", "report.pdf.html", "report.pdf.docx",
                                         "report.html.md"]
    assert (tmp_path / "memos" / "report.pdf.md").read_text(encoding="utf-8") == memo.render(pdf, "md")
    umask = os.umask(0)
    os.umask(umask)
    assert all(p.stat().st_mode & 0o777 == 0o666 & ~umask for p in written)  # not mkstemp's private 0600


def test_a_failed_render_writes_nothing(tmp_path):
    with pytest.raises(ValueError, match="unknown memo format"):
        memo.write(seed_like(), tmp_path, ["md", "pdf"])
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="unknown memo language"):
        memo.render(seed_like(), "md", lang="fr")


def test_summary_line_names_file_agency_year_score_counts_and_memos(tmp_path):
    result = seed_like()
    written = memo.write(result, tmp_path, ["md", "json"])
    zh = memo.summary_line(result, written)
    assert zh.startswith("seed-like.pdf：示例区人民政府，2020 年度；得分 81/100（良好）；错误 3，警告 2，提示 0 → ")
    assert zh.endswith(f"{tmp_path}/seed-like.pdf.md, {tmp_path}/seed-like.pdf.json") and "\n" not in zh
    en = memo.summary_line(result, written, lang="en")
    assert en.startswith("seed-like.pdf: 示例区人民政府, 2020; score 81/100 (Good); 3 errors, 2 warnings, 0 info → ")


def test_reviews_show_confirmed_and_dismissed_apart():
    result = seed_like()
    first, narrative = result.findings[0].fingerprint, result.findings[4].fingerprint
    reviews = {first: {"decision": "confirm", "reviewer": "张三", "at": "2024-05-07"},
               narrative: {"decision": "dismiss", "reviewer": "李四", "at": "2024-05-08", "comment": "已核实"}}
    md = memo.render(result, "md", reviews=reviews)
    assert "- 已由 张三 于 2024-05-07 确认" in md
    dismissed = md[md.index("## 八、经复核排除的问题"):md.index("## 九、审核规则执行情况")]
    assert "NARR-GENERIC" in dismissed and "已由 李四 于 2024-05-08 排除：已核实" in dismissed
    assert "NARR-GENERIC" not in md[:md.index("## 八、经复核排除的问题")].split("### 问题清单")[1]
    assert "得分 84 / 100" in md and "| 警告 | 1 |" in md
    assert "得分 84/100" in memo.summary_line(result, [], reviews=reviews)


def test_cross_report_findings_get_their_own_section_only_when_present():
    carry = Finding("XY-CARRY", Severity.ERROR, "cross", "上年结转与上一年度报告的结转下年度不一致。",
                    "Carried in differs from last year's carried out.",
                    Location(table="t3", field_ids=["t3.carried_in.natural", "prev:t3.carried_out.natural"]),
                    expected=3, found=0)
    md = memo.render(make_result(findings=[carry]), "md")
    section = md[md.index("## 七、跨年度与汇总衔接问题"):md.index("## 八、")]
    assert "XY-CARRY" in section and "应为：3，实为：0" in section
    # the block draws this report's cell; last year's lives in another report
    assert "| 二、上年结转政府信息公开申请数量 | **0** |" in section and "prev:" not in section
    assert "跨年度与汇总衔接问题" not in memo.render(seed_like(), "md")


def test_narrative_quotes_mark_their_driving_phrases():
    f = Finding("NARR-MEASURES", Severity.WARNING, "narrative", "改进措施不具体。", "No concrete measures.",
                Location(section=5),
                details={"label": "no_concrete_measures", "probability": 0.71,
                         "sentences": [{"text": "下一步将持续加强管理，不断提升水平。"}],
                         "phrases": [{"phrase": "不断提升", "contribution": 0.9}, {"phrase": "持续加强", "contribution": 0.4}]})
    page = memo.render(make_result(findings=[f]), "html")
    quote = page[page.index("<blockquote>"):page.index("</blockquote>")]
    assert '下一步将<span class="phrase">持续加强</span>管理，<span class="phrase">不断提升</span>水平。' in quote
    assert "改进措施不具体（置信度 71%）" in page
