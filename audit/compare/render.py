"""The comparison as one self-contained HTML page (inline style, no script, no network; works from file://)."""
from __future__ import annotations

from pathlib import Path

import jinja2

LABELS = {
    "zh": {
        "title": "两份报告对照", "earlier": "前一份", "later": "后一份", "agency": "机关", "year": "年度",
        "file": "文件", "score": "得分", "swapped": "两份报告按年度先后排列（命令中的顺序已对调）。",
        "summary": "概况", "cells": "对照单元格", "changed": "有变化", "carry": "跨年度衔接",
        "holds": "相符", "breaks": "不符", "not_assessable": "无法核查",
        "carried_sentences": "后一份逐字沿用前一份的语句（标点、数字除外）", "near_sentences": "后一份略作改动后沿用的语句",
        "measures_repeated": "第五部分再次列出的上一年度改进措施",
        "repeated5": "第五部分与前一份相同的比例", "tables": "统计表逐格对照", "row": "行", "column": "列",
        "change": "变化", "same": "相同", "only_a": "仅前一份有", "only_b": "仅后一份有", "delta": "增减",
        "identity": "勾稽关系", "expected": "应为", "found": "实为", "status": "结论",
        "sections": "正文逐部分对照", "section": "第{0}部分", "legend_carried": "逐字沿用的语句（标点除外）",
        "legend_figures": "仅数字不同的语句",
        "legend_near": "略作改动后沿用的语句（相似度不低于{0}，与批量检查 XY-COPY 同一标准）", "legend_changed": "数值有变化的单元格",
        "title_carried": "与{0}年度报告逐字相同（标点除外）", "title_figures": "与{0}年度报告除数字外逐字相同",
        "title_near": "与{0}年度报告相似度{1}：沿用并有改动",
        "repeated": "与前一份相同的比例：{0}", "none": "（无）", "only_changed": "只列出有变化的行；完全相同的行从略。",
        "unchanged_rows": "{0} 行完全相同", "lang_attr": "zh-CN",
    },
    "en": {
        "title": "Two reports side by side", "earlier": "Earlier", "later": "Later", "agency": "Agency", "year": "Year",
        "file": "File", "score": "Score", "swapped": "The reports are shown in year order (swapped from the command).",
        "summary": "Summary", "cells": "Cells compared", "changed": "changed", "carry": "Carry-over identities",
        "holds": "holds", "breaks": "breaks", "not_assessable": "not assessable",
        "carried_sentences": "Statements of the later report carried over word for word (punctuation, figures aside)",
        "near_sentences": "Statements carried over with small edits",
        "measures_repeated": "Improvement measures of section 5 promised again",
        "repeated5": "Share of section 5 repeated from the earlier report", "tables": "Tables cell by cell",
        "row": "Row", "column": "Column", "change": "Change", "same": "same", "only_a": "earlier only",
        "only_b": "later only", "delta": "Δ", "identity": "Identity", "expected": "Expected", "found": "Found",
        "status": "Result", "sections": "Sections side by side", "section": "Section {0}",
        "legend_carried": "carried over word for word (punctuation aside)", "legend_figures": "same words, other figures",
        "legend_near": "carried over with small edits (similarity at least {0}, as the batch's XY-COPY check)",
        "title_carried": "word for word in the {0} report (punctuation aside)",
        "title_figures": "word for word in the {0} report but for its figures",
        "title_near": "{1} similar to the {0} report: carried over with edits",
        "legend_changed": "cell whose value changed", "repeated": "repeated from the earlier report: {0}",
        "none": "(none)", "only_changed": "Only rows with a change are listed; identical rows are left out.",
        "unchanged_rows": "{0} identical rows", "lang_attr": "en",
    },
}

_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
                          autoescape=True, trim_blocks=True, lstrip_blocks=True)


def context(cmp, lang: str) -> dict:
    from audit.compare import SECTION_ZH, TABLES

    L = LABELS[lang]
    tables = []
    for tid, names in TABLES.items():
        rows = [r for r in cmp.rows if r.table == tid]
        if rows:
            changed = [r for r in rows if r.changed]
            columns = list(dict.fromkeys(c.column for r in changed for c in r.cells))
            tables.append({"id": tid, "name": names[lang == "en"], "rows": changed, "columns": columns,
                           "unchanged": len(rows) - len(changed)})
    def side(r):
        sc = r.score or {}
        return {"agency": r.meta.agency or "—", "year": r.meta.year or "—", "file": Path(r.source.path).name,
                "score": sc.get("total", "—")}
    s = cmp.summary()
    def mark_title(part, other_year):
        if not part.mark:
            return ""
        return L[f"title_{part.mark}"].format(other_year, f"{part.share:.0%}" if part.share is not None else "")

    return {"near": cmp.likeness.near, "mark_title": mark_title, "L": L, "lang": lang, "a": side(cmp.a), "b": side(cmp.b), "swapped": cmp.swapped, "summary": s,
            "tables": tables, "carry": cmp.carry, "sections": cmp.sections,
            "section_name": (lambda n: L["section"].format(SECTION_ZH[n - 1] if lang == "zh" else n)),
            "pct": lambda x: "—" if x is None else f"{x:.0%}"}


def html(cmp, lang: str = "zh") -> str:
    return _ENV.get_template("compare.html.j2").render(**context(cmp, lang))
