"""Every piece of text a reader sees in a memo is in the memo's language: no English words in a Chinese
memo and no Chinese in an English one, once the report's own text (agency, row and column labels as
printed, cell text, quoted sentences) and identifiers (rule ids, field ids, file path, hash, versions)
are taken out. A quoted passage counts as report text only when the report says it; anything else in
quotes is checked like the rest."""
from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest

from _memo_helpers import SAMPLE, unreadable_tables_report
from _tables_helpers import REAL, SEED, shared_file
from audit import memo, pipeline
from audit.model import Check, Outcome, Result, Text
from audit.tables import schema

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
ASCII_WORD = re.compile(r"[A-Za-z]{2,}")
QUOTED = re.compile(r"“([^“”]*)”")


def _official() -> set[str]:
    """The labels and titles of both official formats: the form's own wording, printed in every report."""
    out = set()
    for fmt in schema.FORMATS:
        for t in schema.load(fmt).tables:
            out.add(t.title)
            out |= {x for r in t.rows for x in (r.label, r.full_label, r.group) if x}
            out |= {c.label for c in t.columns}
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


class _Visible(HTMLParser):
    """The text of an HTML page a reader sees (no style, script or attributes), one line per block; a
    quoted sentence as a line starting with “>” (without its “Quoted” tag), a phrase in quotes."""

    def __init__(self, page: str):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._spans: list[str] = []
        self._quote = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")
        if tag in ("p", "li", "tr", "h1", "h2", "h3", "div", "br", "td", "th", "dt", "dd"):
            self.parts.append("\n")
        if tag == "blockquote":
            self.parts.append("\n> ")
            self._quote = True
        if tag == "span":
            cls = dict(attrs).get("class", "")
            self._spans.append(cls)
            self._skip += cls == "q"
            if cls == "phrase" and not self._quote:
                self.parts.append("“")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script")
        if tag == "blockquote":
            self.parts.append("\n")
            self._quote = False
        if tag == "span" and self._spans:
            cls = self._spans.pop()
            self._skip -= cls == "q"
            if cls == "phrase" and not self._quote:
                self.parts.append("”")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


OFFICIAL = _official()


def foreign(text: str, result: Result, lang: str) -> list[str]:
    """The fragments of a memo's text in the other language, outside report text and identifiers."""
    doc, fields = result.document, result.fields
    report = _squash("\n".join([doc.text, *(s.text for s in doc.sections), doc.meta.title or "",
                                doc.meta.agency or ""]))
    said = {x for v in fields.values() for x in (v.row_label, v.column_label) if x}
    said |= {v.raw for v in fields.values() if re.search(r"[^\d\s.\-]", v.raw)}  # cell text that is no figure
    said |= {doc.meta.agency or "", doc.meta.title or ""} | OFFICIAL
    said |= {" ".join(x.split()) for x in said}
    said |= {QUOTED.sub("", x) for x in said}  # what is left of a label once its quoted words are taken out
    ids = set(fields) | {f.rsplit(".", k)[0] for f in fields for k in (1, 2)}
    ids |= {c.rule_id for c in result.checks} | {f.rule_id for f in result.findings}
    literal = {result.source.path, result.source.sha256, *(str(v) for v in (result.versions or {}).values() if v),
               "report-audit", "SHA-256"}
    out = []
    for line in text.splitlines():
        line = re.sub(r"\\(.)", r"\1", line)  # Markdown escapes
        body = re.sub(r"^>\s*(原文：|Quoted: )?", "", line)
        if line.startswith(">") and _squash(body) in report:
            continue
        line = QUOTED.sub(lambda m: "" if _squash(m.group(1)) in report else m.group(0), line)
        for x in sorted(said | ids | literal, key=len, reverse=True):
            if x and x in line:
                line = line.replace(x, " ")
        hits = ASCII_WORD.findall(line) if lang == "zh" else CJK.findall(line)
        if hits:
            out.append(line.strip())
    return out


def memos(result: Result, lang: str) -> dict[str, str]:
    return {"md": memo.render(result, "md", lang), "html": _Visible(memo.render(result, "html", lang)).text}


@pytest.fixture(scope="module")
def unreadable(tmp_path_factory):
    return pipeline.audit(unreadable_tables_report(tmp_path_factory.mktemp("lang")), today=dt.date(2024, 5, 6))


def test_the_check_catches_a_reason_in_the_wrong_language(unreadable):
    result = pipeline.audit(SAMPLE, today=dt.date(2024, 5, 6))
    assert not foreign(memos(result, "zh")["md"], result, "zh")
    result.checks.append(Check("X-TEST", "测试", "test", Outcome.NOT_ASSESSABLE,
                               reason=Text("the cells “规范性文件” are blank", "表格“规范性文件”为空白")))
    for fmt, text in memos(result, "zh").items():
        found = foreign(text, result, "zh")
        assert len(found) == 1 and "the cells" in found[0] and "are blank" in found[0], (fmt, found)
    for fmt, text in memos(result, "en").items():
        found = foreign(text, result, "en")
        assert len(found) == 1 and "表格" in found[0] and "为空白" in found[0], (fmt, found)


def test_a_report_with_unreadable_tables_reads_in_one_language(unreadable):
    assert set(unreadable.fields.not_assessable) == {"t2", "t3"}
    assert unreadable.fields.not_assessable["t2"] == Text(
        "“规范性文件”行：4个数值对应3列，无法确定各值所属的列", "row “规范性文件”: 4 values for 3 columns")
    for lang in ("zh", "en"):
        for fmt, text in memos(unreadable, lang).items():
            assert foreign(text, unreadable, lang) == [], (lang, fmt)
    zh = memo.render(unreadable, "md")
    assert "- 表三 收到和处理政府信息公开申请情况：正文中未找到表三（收到和处理政府信息公开申请情况）；可能以图片形式发布" in zh
    assert "- 应为：—，实为：表二，表三" in zh  # the tables found unreadable, by name


def test_the_chinese_memo_of_pingtan_2021_has_no_english():
    result = pipeline.audit(shared_file(REAL / "pingtan-2021.txt"), today=dt.date(2024, 5, 6))
    # 表三's ambiguous runs are settled by its column sums (issue 14); 表二's “693665” is not
    assert set(result.fields.not_assessable) == {"t2"}
    assert result.fields["t3.open.natural"].origin is not None
    for fmt, text in memos(result, "zh").items():
        assert foreign(text, result, "zh") == [], fmt
    md = memo.render(result, "md")
    assert "（表二：“行政规范性文件”行：连写的数字“693665”拆成3个单元格有10种拆法，无法确定" in md
    assert "run-together" not in md and "not assessable" not in md


def test_the_english_memo_of_the_seed_has_no_chinese():
    result = pipeline.audit(shared_file(SEED), today=dt.date(2024, 5, 6))
    for fmt, text in memos(result, "en").items():
        assert foreign(text, result, "en") == [], fmt
    md = memo.render(result, "md", "en")
    assert "Most likely wrong: Table 3 （三）不予公开 4.保护第三方合法权益 × 自然人 (t3.denied.third_party.natural)" in md


def test_json_memo_keeps_each_text_in_both_languages(unreadable):
    data = json.loads(memo.render(unreadable, "json", "en"))
    tables = data["tables"]
    assert tables["not_assessable"]["t3"] == "正文中未找到表三（收到和处理政府信息公开申请情况）；可能以图片形式发布"
    assert tables["not_assessable_en"]["t3"] == ("Table 3 (“收到和处理政府信息公开申请情况”) not found in the text; "
                                                 "it may be published as an image")
    assert len(tables["notes"]) == len(tables["notes_en"]) and tables["variants"].keys() == tables["variants_en"].keys()
    blind = [c for c in data["checks"] if c["outcome"] == "not_applicable"]
    agency = unreadable.meta.agency
    assert blind and all(CJK.search(c["reason"]) for c in blind)
    assert not any(CJK.search(QUOTED.sub("", c["reason_en"]).replace(agency, "")) for c in blind)
    assessable = next(f for f in data["findings"] if f["rule_id"] == "TABLES-ASSESSABLE")
    assert assessable["found"] == ["t2", "t3"]
    assert assessable["details"]["tables"]["t2"] == unreadable.fields.not_assessable["t2"].to_json()


def test_text_composes_and_round_trips_through_json_siblings():
    from audit.model import Fields

    a, b = Text("表二：", "Table 2: "), Text("无法读取", "unreadable")
    assert a + b == Text("表二：无法读取", "Table 2: unreadable") and (a + b).get("en") == "Table 2: unreadable"
    assert Text.join([b, b]) == Text("无法读取；无法读取", "unreadable; unreadable")
    fields = Fields(notes=[a + b])
    fields.not_assessable = {"t3": b}
    fields.variants = {"t2": [a]}
    data = json.loads(json.dumps(fields.tables_json()))
    assert (data["not_assessable"], data["not_assessable_en"]) == ({"t3": "无法读取"}, {"t3": "unreadable"})
    back = Fields()
    back.read_tables_json(data)
    assert (back.not_assessable, back.variants, back.notes) == (fields.not_assessable, fields.variants, fields.notes)
    # a reason handed over as a plain string (an auditor of one's own) reads the same in both languages
    assert Check("X", "x", "x", Outcome.PASS, reason="as given").reason == Text.same("as given")
