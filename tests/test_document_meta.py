"""Metadata: agency, year, publication date, period, format, level and the cited format notice."""
import datetime as dt

import pytest

from _ingest_helpers import report_txt
from audit.document import annotate
from audit.document.meta import agency_level, expand_agency, find_notice, find_period, format_for_year
from audit.ingest.text import parse_text
from audit.model import Source

BODY = "\n\n一、总体情况\n\n本年度持续推进政务公开。\n\n六、其他需要报告的事项\n\n无。\n"


def _meta(text: str):
    doc = annotate(parse_text(text, Source.from_bytes("x.txt", text.encode(), "txt", "utf-8")))
    return doc.meta, doc.notes


def test_fixture_meta():
    m, _ = _meta(report_txt())
    assert (m.agency, m.year, m.published) == ("青石县人民政府", 2020, dt.date(2021, 1, 15))
    assert m.period == (dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    assert (m.format, m.format_by_year, m.format_by_labels) == ("2019", "2019", None)
    assert m.title == "青石县人民政府2020年政府信息公开工作年度报告"
    assert m.level == "government" and m.cited_notice == "〔2019〕60号"


@pytest.mark.parametrize("title, agency, year", [
    ("泉港区人民政府 2020年政府信息公开工作年度报告", "泉港区人民政府", 2020),
    ("平潭综合实验区2021年度政府信息公开工作年度报告", "平潭综合实验区", 2021),
    ("2025 年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅", 2025),
    ("标题: 青石县交通运输局2022年政府信息公开工作年度报告", "青石县交通运输局", 2022),
    ("2024年青石市科委政府信息公开工作年度报告", "青石市科学技术委员会", 2024),
])
def test_agency_and_year_from_the_title(title, agency, year):
    m, _ = _meta(title + BODY)
    assert (m.agency, m.year) == (agency, year)


def test_title_wrapped_over_two_lines():
    m, _ = _meta("2025年青石市人民政府办公室政府信息公开\n工作年度报告" + BODY)
    assert m.title == "2025年青石市人民政府办公室政府信息公开工作年度报告"
    assert m.agency == "青石市人民政府办公室"


def test_agency_from_the_signature_when_there_is_no_title():
    m, _ = _meta("本报告所列数据的统计期限为2023年1月1日至12月31日。" + BODY + "\n青石县财政局\n\n2024年1月20日\n")
    assert m.agency == "青石县财政局" and m.title is None
    assert m.year == 2023 and m.published == dt.date(2024, 1, 20)
    assert m.level == "department"


def test_year_disagreement_is_noted():
    m, notes = _meta("青石县人民政府2021年政府信息公开工作年度报告\n\n统计期限自2020年1月1日起至2020年12月31日止。" + BODY)
    assert m.year == 2021
    assert "title year 2021 differs from the statistical period's year 2020" in notes


@pytest.mark.parametrize("tail, date", [
    ("\n青石县人民政府办公室\n\n2021年1月8日印发\n", dt.date(2021, 1, 8)),
    ("\n青石县人民政府办公室\n\n2021年2月3日\n", dt.date(2021, 2, 3)),
    ("\n青石县人民政府办公室\n\n二〇二一年一月二十八日\n", dt.date(2021, 1, 28)),
    ("\n本报告于2021年3月5日发布。\n", dt.date(2021, 3, 5)),
    ("", None),
])
def test_published(tail, date):
    m, _ = _meta("青石县人民政府2020年政府信息公开工作年度报告" + BODY + tail)
    assert m.published == date


def test_published_from_a_page_header():
    m, _ = _meta("标题: 青石县2020年度政府信息公开工作年度报告\n发布时间: 2021-03-05 08:58\n" + BODY)
    assert m.published == dt.date(2021, 3, 5)


def test_a_date_before_the_report_year_is_not_the_publication():
    m, _ = _meta("青石县人民政府2020年政府信息公开工作年度报告" + BODY + "\n2019年12月1日印发\n")
    assert m.published is None


@pytest.mark.parametrize("text, period", [
    ("统计期限自2020年1月1日起至2020年12月31日止", (dt.date(2020, 1, 1), dt.date(2020, 12, 31))),
    ("数据的统计周期为 2024 年 1 月 1 日至 12 月 31 日", (dt.date(2024, 1, 1), dt.date(2024, 12, 31))),
    ("全年共收到申请53件", None),
])
def test_period(text, period):
    assert find_period(text) == period


@pytest.mark.parametrize("text, notice", [
    ("（国办公开办函〔2019〕60号）", "〔2019〕60号"),
    ("国办公开办函[2021]30号", "〔2021〕30号"),
    ("国办公开办函【2021】 30 号", "〔2021〕30号"),
    ("闽政办〔2021〕12号", None),
])
def test_cited_notice(text, notice):
    assert find_notice(text) == notice


@pytest.mark.parametrize("year, fmt", [(2018, None), (2019, "2019"), (2020, "2019"), (2021, "2021"), (2025, "2021")])
def test_format_by_year(year, fmt):
    assert format_for_year(year) == fmt


@pytest.mark.parametrize("agency, level", [
    ("泉港区人民政府", "government"),
    ("平潭综合实验区", "government"),
    ("青石经济开发区管委会", "government"),
    ("上海市人民政府办公厅", "department"),
    ("上海市科学技术委员会", "department"),
    ("青石县交通运输局", "department"),
    ("青石县上坝镇人民政府", "department"),  # towns publish by 31 January
    ("丰林县东洋街道办事处", "department"),
    ("青石乡", "department"),
    ("青石市国有资产监督管理委员会", "department"),  # a commission, not a zone's 管委会
    ("青石区城市管理委员会", "department"),
    ("青石市住房和城乡建设管理委员会", "department"),
    ("青石县人民政府办公室", "department"),
    ("青石县东坑社区", "department"),
    (None, None),
])
def test_level(agency, level):
    assert agency_level(agency) == level


def test_zone_committee_is_a_government_only_when_its_report_pools_its_area():
    assert agency_level("青石经济开发区管委会", "本报告由开发区管委会汇总各部门年度报告编制。") == "government"
    assert agency_level("青石经济开发区管委会", "全区各级行政机关共受理政府信息公开申请21件。") == "government"
    assert agency_level("青石经济开发区管委会", "本委全年主动公开政府信息120条。") is None  # level unknown


def test_published_from_a_signature_and_date_joined_into_one_paragraph():
    """A Word-made PDF puts the issuing office and the date on two right-aligned lines, which ingest joins
    into one paragraph (seen on generated reports whose late publication then went unnoticed)."""
    from audit.model import Document, Line, Paragraph, Span

    lines = ["青石县民政局2021年度政府信息公开工作年度报告", "一、总体情况", "本年度持续推进政务公开。",
             "六、其他需要报告的事项", "本年度未收取信息处理费。"]
    blocks = [Paragraph(t, [Line(t, Span(page=1, line=i))]) for i, t in enumerate(lines)]
    closing = [Line("青石县民政局办公室", Span(page=2, line=9)), Line("2022年4月10日", Span(page=2, line=10))]
    blocks.append(Paragraph("青石县民政局办公室2022年4月10日", closing))
    doc = annotate(Document(Source("x.pdf", "0" * 64, "pdf", 0), blocks))
    assert (doc.meta.agency, doc.meta.level, doc.meta.published) == ("青石县民政局", "department", dt.date(2022, 4, 10))
    assert "2022年4月10日" not in doc.section(6).text  # the closing matter is no part of section 六


def test_late_publication_of_a_generated_pdf_is_found():
    """corpora.generator: a department's report published after 31 January, rendered by LibreOffice."""
    import shutil

    generator = pytest.importorskip("corpora.generator")
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice (soffice) is not installed")
    from corpora.generator.defects import inject

    from audit import pipeline

    spec, record = inject(generator.random_report("2021", seed=13, level="department"), "late_publication", seed=13)
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        (path,) = generator.render_many([(spec, "pdf", "plain")], Path(tmp))
        result = pipeline.audit(path, narrative=False, cache=False)
    assert (result.meta.agency, result.meta.level) == (spec.meta.agency, "department")
    assert result.meta.published == spec.meta.published
    late = [f for f in result.findings if f.rule_id == "DEADLINE"]
    assert len(late) == 1 and late[0].found == spec.meta.published.isoformat()


def test_expand_agency():
    assert expand_agency("上海市科委") == "上海市科学技术委员会"
    assert expand_agency("青石市发改委") == "青石市发展和改革委员会"
    assert expand_agency("青石县人民政府") == "青石县人民政府"


def test_a_date_a_sentence_cites_is_not_the_publication():
    text = ("青石县人民政府2020年政府信息公开工作年度报告\n\n一、总体情况\n\n"
            "按照省政府办公厅于2021年1月5日发布的年度报告编制要求，本县全面梳理了全年公开工作，"
            "形成本报告并报送上级政务公开主管部门审核备案。\n\n二、主动公开政府信息情况\n\n规章\t0\t0\t0\n\n"
            "三、收到和处理政府信息公开申请情况\n\n(七)总计\t3\t0\t3\n\n四、政府信息公开行政复议、行政诉讼情况\n\n"
            "0\t0\t0\t0\t0\n\n五、存在的主要问题及改进情况\n\n解读形式单一。\n\n六、其他需要报告的事项\n\n无。\n")
    m, _ = _meta(text)
    assert m.published is None


# ------------------------------------------------------------- labelled dates and a crawler's capture time

DEPT_BODY = ("\n\n一、总体情况\n\n2023年，本局持续推进政府信息公开工作。\n\n"
             "五、存在的主要问题及改进情况\n\n栏目更新不及时。下一步每月检查。\n\n六、其他需要报告的事项\n\n无。\n")


@pytest.mark.parametrize("header, date, source", [
    ("公开日期：2024-01-17\n采集时间：2025-12-30 10:21:07", dt.date(2024, 1, 17), "field:公开日期"),
    ("采集时间：2025-12-30 10:21:07\n公开日期：2024-01-17", dt.date(2024, 1, 17), "field:公开日期"),
    ("抓取时间: 2025-06-01\n发布日期: 2024/1/29", dt.date(2024, 1, 29), "field:发布日期"),
    ("下载时间：2025-02-02　成文日期：2024年01月10日", dt.date(2024, 1, 10), "field:成文日期"),
    ("成文日期：2024-01-10　发布日期：2024-01-22", dt.date(2024, 1, 22), "field:发布日期"),
    ("索引号：11320829MB1234567X/2024-00012　公开日期 2024-01-17　爬取时间 2025-12-30", dt.date(2024, 1, 17),
     "field:公开日期"),
    ("来源：县交通运输局　时间：2024-01-26", dt.date(2024, 1, 26), "field:时间"),
    ("采集时间：2025-12-30", None, None),
])
def test_labelled_dates_before_capture_times(header, date, source):
    m, _ = _meta(f"标题：青石县交通运输局2023年政府信息公开工作年度报告\n{header}" + DEPT_BODY)
    assert (m.published, m.published_from) == (date, source)


def test_a_capture_time_gives_no_false_deadline_finding():
    from audit import pipeline

    text = ("青石县交通运输局2023年政府信息公开工作年度报告\n公开日期：2024-01-17\n采集时间：2025-12-30 10:21:07\n"
            + DEPT_BODY)
    doc = annotate(parse_text(text, Source.from_bytes("x.txt", text.encode(), "txt", "utf-8")))
    assert doc.meta.level == "department" and doc.meta.published == dt.date(2024, 1, 17)
    result = pipeline.audit(doc=doc, narrative=False, today=dt.date(2026, 1, 5))
    assert "DEADLINE" not in {f.rule_id for f in result.findings}
    assert {c.rule_id: str(c.outcome) for c in result.checks}["DEADLINE"] == "pass"


def test_the_signature_date_when_no_field_gives_one():
    m, _ = _meta("青石县交通运输局2023年政府信息公开工作年度报告\n采集时间：2025-12-30" + DEPT_BODY
                 + "\n青石县交通运输局\n\n2024年1月25日\n")
    assert (m.published, m.published_from) == (dt.date(2024, 1, 25), "signature")


def test_a_date_field_in_a_sentence_is_not_the_publication():
    m, _ = _meta("青石县交通运输局2023年政府信息公开工作年度报告\n\n一、总体情况\n\n"
                 "本局明确申请受理时间：2024-05-06起延长至下午六时，答复日期：2024-06-01前完成政府信息公开工作。\n")
    assert m.published is None


# ------------------------------------------------------------------------------- the agency's full name


@pytest.mark.parametrize("text, printed, full", [
    # the title without its city, the preamble names the issuing office with it
    ("洪川区人民政府\n2023年政府信息公开工作年度报告\n本报告由青州市洪川区人民政府办公室根据条例要求编制。" + BODY,
     "洪川区人民政府", "青州市洪川区人民政府"),
    # the title without its city, the signature with it
    ("洪川区人民政府2023年政府信息公开工作年度报告" + BODY + "\n青州市洪川区人民政府\n\n2024年3月20日\n",
     "洪川区人民政府", "青州市洪川区人民政府"),
    # the full name already in the title
    ("青州市洪川区人民政府2024年政府信息公开工作年度报告" + BODY + "\n青州市洪川区人民政府\n\n2025年3月20日\n",
     "青州市洪川区人民政府", "青州市洪川区人民政府"),
    # an abbreviation written out; the printed name kept as printed
    ("2024年青石市科委政府信息公开工作年度报告" + BODY, "青石市科委", "青石市科学技术委员会"),
    # a sentence naming another body does not lend its words as a prefix
    ("洪川区人民政府2023年政府信息公开工作年度报告\n本报告经研究洪川区人民政府同意后发布。" + BODY,
     "洪川区人民政府", "洪川区人民政府"),
])
def test_agency_printed_and_full(text, printed, full):
    m, _ = _meta(text)
    assert (m.agency_printed, m.agency_full) == (printed, full)
    assert m.agency == expand_agency(printed)  # the existing key keeps its meaning


def test_full_name_in_json_and_cache_round_trip():
    from audit.cache import document_from_json, document_to_json

    text = "洪川区人民政府2023年政府信息公开工作年度报告" + BODY + "\n青州市洪川区人民政府\n\n2024年3月20日\n"
    doc = annotate(parse_text(text, Source.from_bytes("x.txt", text.encode(), "txt", "utf-8")))
    back = document_from_json(document_to_json(doc))
    assert back.meta == doc.meta and back.sections == doc.sections
    js = doc.meta.to_json()
    assert (js["agency"], js["agency_printed"], js["agency_full"], js["published_from"]) == (
        "洪川区人民政府", "洪川区人民政府", "青州市洪川区人民政府", "signature")


def test_a_county_department_page_with_a_crawler_capture_time(tmp_path):
    from audit import pipeline

    page = ("<html><head><meta charset='utf-8'><title>青石县交通运输局2023年政府信息公开工作年度报告</title></head><body>"
            "<div class='title'>青石县交通运输局2023年政府信息公开工作年度报告</div>"
            "<div class='info'>公开日期：2024-01-17　来源：青石县交通运输局　采集时间：2025-12-30 10:21:07</div>"
            "<div class='content'><p>一、总体情况</p><p>2023年，本局持续推进政府信息公开工作。</p>"
            "<p>五、存在的主要问题及改进情况</p><p>栏目更新不及时。下一步每月检查。</p>"
            "<p>六、其他需要报告的事项</p><p>无。</p></div></body></html>")
    p = tmp_path / "dept.html"
    p.write_text(page, encoding="utf-8")
    result = pipeline.audit(p, cache=False, narrative=False, today=dt.date(2026, 1, 5))
    meta = result.document.meta
    assert (meta.published, meta.published_from, meta.level) == (dt.date(2024, 1, 17), "field:公开日期", "department")
    assert "DEADLINE" not in {f.rule_id for f in result.findings}


def _page(head: str = "", top: str = "") -> str:
    return ("<html><head><meta charset='utf-8'>" + head + "<title>青石县交通运输局2023年政府信息公开工作年度报告</title>"
            "</head><body><div class='article'>" + top +
            "<h1>青石县交通运输局2023年政府信息公开工作年度报告</h1><div class='content'><p>一、总体情况</p>"
            "<p>2023年，本局持续推进政府信息公开工作。</p><p>六、其他需要报告的事项</p><p>无。</p></div></div></body></html>")


@pytest.mark.parametrize("head, top, date, source", [
    # the CMS's publication <meta>, when the page shows no date
    ("<meta name='PubDate' content='2024-01-17 09:30'>", "", dt.date(2024, 1, 17), "meta:PubDate"),
    # a 信息公开 header table: label and date in cells side by side, a crawler's capture time beside it
    ("", "<table><tr><td>索引号</td><td>QS-2024-00012</td><td>发布机构</td><td>青石县交通运输局</td></tr>"
         "<tr><td>公开日期</td><td>2024-01-17</td><td>采集时间</td><td>2025-12-30</td></tr></table>",
     dt.date(2024, 1, 17), "field:公开日期"),
    # a visible field before the <meta>
    ("<meta name='PubDate' content='2024-02-02'>", "<p>发布日期：2024-01-26</p>", dt.date(2024, 1, 26), "field:发布日期"),
])
def test_a_web_page_dated_by_its_header(tmp_path, head, top, date, source):
    from audit import pipeline

    p = tmp_path / "page.html"
    p.write_text(_page(head, top), encoding="utf-8")
    meta = pipeline.read(p, cache=False).meta
    assert (meta.published, meta.published_from) == (date, source)
