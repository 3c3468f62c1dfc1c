"""The run overview, ``OUT/index.html``: one self-contained page an evaluator opens from the run folder.

No server and no network: the data (one row per report, the findings per rule, the rubric items) is
embedded as JSON in the page, and its script and style are inline, so the page works from a ``file://``
URL, from an unpacked zip of the run folder and offline. Every link is relative (``memos/<key>.<format>``).

What it shows, for the reports the region, level and year filters select:

* the ranking: by agency (mean reviewed score over the selected years, a link to each year's memo) or
  by report; every column sortable; 50 rows a page, so 10,000 reports stay quick (the page renders only
  the visible rows; ``benchmarks/overview.py`` measures it);
* the distribution of the reviewed scores, and the points lost per rubric item (mean over the reports),
  as inline SVG charts;
* the findings by rule (not dismissed), with their counts and the reports they are in, linked;
* per agency, the score over the years (a line chart) with each year's memo.

The filters, the view, the sort and the page are kept in the URL's fragment
(``index.html#year=2023&region=青山区&sort=score&dir=asc``), so a view can be bookmarked or sent.

Scores are the reviewed ones (without dismissed findings), as ``summary/ranking.csv`` ranks them; the
points lost per item are the audit's (its score detail). The data comes from the store's query methods
(:class:`audit.batch.store.Store`) and the review decisions (:mod:`audit.batch.reviews`).
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from audit.batch import reviews as _reviews
from audit.batch.agencies import region_of
from audit.batch.store import Store

INDEX_NAME = "index.html"
TEMPLATE = Path(__file__).with_name("templates") / "overview.html"
MEMO_PREFERENCE = ("html", "md", "json", "docx")  # the memo a row links to: the first format the run wrote

LABELS = {
    "zh": {
        "title": "审核总览", "reports": "份报告", "agencies": "个机关", "failures": "个文件无法审核",
        "generated": "生成于", "region": "地区", "level": "类别", "year": "年度", "all": "全部",
        "search": "搜索机关", "view": "排名", "by_agency": "按机关", "by_report": "按报告",
        "rank": "名次", "agency": "机关", "score": "得分", "audit_score": "审核得分", "grade": "等级",
        "errors": "错误", "warnings": "警告", "memo": "备忘录", "n_reports": "报告数", "years": "各年度备忘录",
        "prev": "上一页", "next": "下一页", "page": "第 {0} / {1} 页，共 {2} 行", "distribution": "得分分布",
        "items": "各评分项目平均扣分", "of_cap": "（上限 {0}）", "rules": "按规则统计的问题", "rule": "规则",
        "rule_title": "说明", "severity": "严重程度", "findings": "问题数", "in_reports": "涉及报告",
        "show_reports": "查看报告", "over_years": "历年得分", "close": "关闭", "none": "没有符合条件的报告",
        "error": "错误", "warning": "警告", "info": "提示", "level_department": "部门",
        "level_government": "本级政府", "unknown": "未识别", "count": "报告数", "more": "另有 {0} 份",
        "reviewed_note": "得分为复核后得分（不计已驳回的问题）；扣分为审核结果。",
        "lang_attr": "zh-CN",
    },
    "en": {
        "title": "Audit overview", "reports": "reports", "agencies": "agencies", "failures": "files could not be audited",
        "generated": "made", "region": "Region", "level": "Level", "year": "Year", "all": "all",
        "search": "Find agency", "view": "Ranking", "by_agency": "by agency", "by_report": "by report",
        "rank": "Rank", "agency": "Agency", "score": "Score", "audit_score": "Audit score", "grade": "Grade",
        "errors": "Errors", "warnings": "Warnings", "memo": "Memo", "n_reports": "Reports", "years": "Memos by year",
        "prev": "Previous", "next": "Next", "page": "page {0} of {1}, {2} rows", "distribution": "Score distribution",
        "items": "Mean points lost per rubric item", "of_cap": " (cap {0})", "rules": "Findings by rule",
        "rule": "Rule", "rule_title": "Title", "severity": "Severity", "findings": "Findings",
        "in_reports": "Reports", "show_reports": "show reports", "over_years": "Score over the years",
        "close": "Close", "none": "No report matches the filters", "error": "error", "warning": "warning",
        "info": "info", "level_department": "department", "level_government": "government",
        "unknown": "unknown", "count": "reports", "more": "{0} more",
        "reviewed_note": "Scores are after review (dismissed findings left out); points lost are the audit's.",
        "lang_attr": "en",
    },
}


def memo_href(memos: list[str] | None) -> str | None:
    """The relative URL of the memo a row links to (HTML when the run wrote it), quoted for a URL."""
    memos = memos or []
    for fmt in MEMO_PREFERENCE:
        for m in memos:
            if m.endswith(f".{fmt}"):
                return quote(m, safe="/")
    return None


def data(store: Store, lang: str = "zh") -> dict:
    """What the page shows, as JSON-ready data (reports as rows of the columns ``columns`` names)."""
    decided = _reviews.by_report(store)
    counts = _reviews.tally(store, decided)
    reviewed = _reviews.reviewed_scores(store, decided)
    items: dict[str, dict] = {}
    grades: dict[str, str] = {}
    rows, index = [], {}
    for r in store.overview_reports():
        detail = json.loads(r["score_detail"]) if r["score_detail"] else {}
        for it in detail.get("items", []):
            items.setdefault(it["id"], {"id": it["id"], "title": (it.get("title") or {}).get(lang, it["id"]),
                                        "cap": it.get("cap")})
        g = detail.get("grade")
        if isinstance(g, dict) and g.get("id"):
            grades[g["id"]] = g.get(lang) or g["id"]
        lost = {it["id"]: it.get("lost", 0) for it in detail.get("items", [])}
        score, grade = reviewed.get(r["path"], (r["score"], r["grade"]))
        c = counts.get(r["path"], {})
        key = r["agency_key"] or r["agency"] or r["path"]
        index[r["path"]] = len(rows)
        rows.append([r["path"], r["agency"] or "", key, region_of(key) or "", r["level"] or "", r["year"],
                     score, r["score"], grade or "", c.get("error", 0), c.get("warning", 0),
                     memo_href(json.loads(r["memos"]) if r["memos"] else []), lost])
    item_list = list(items.values())
    for row in rows:  # points lost as a list in the items' order
        row[-1] = [row[-1].get(it["id"], 0) for it in item_list]
    titles = store.rule_titles()
    rules: dict[str, dict] = {}
    for rule_id, severity, path, fp in store.overview_findings():
        if decided.get(path, {}).get(fp, {}).get("decision") == "dismiss" or path not in index:
            continue
        rule = rules.setdefault(rule_id, {"id": rule_id, "severity": severity,
                                          "title": (titles.get(rule_id) or (None, None))[lang == "en"] or "",
                                          "hits": {}})
        if _SEVERITIES.index(severity) < _SEVERITIES.index(rule["severity"]):
            rule["severity"] = severity
        i = index[path]
        rule["hits"][i] = rule["hits"].get(i, 0) + 1
    rule_list = [{**{k: v for k, v in r.items() if k != "hits"}, "hits": sorted(r["hits"].items())}
                 for r in sorted(rules.values(), key=lambda r: r["id"])]
    return {
        "lang": lang, "labels": LABELS[lang], "grades": grades, "items": item_list, "rules": rule_list,
        "columns": ["path", "agency", "key", "region", "level", "year", "score", "audit_score", "grade", "errors",
                    "warnings", "href", "lost"],
        "reports": rows, "failures": store.failure_count(),
        "generated": store.last_audited() or "",
    }


_SEVERITIES = ("error", "warning", "info")


def render(payload: dict) -> str:
    """The page for :func:`data`'s payload."""
    blob = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    # inside <script>: no "</script", no "<!--" can end or confuse it
    blob = blob.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    labels = payload["labels"]
    page = TEMPLATE.read_text(encoding="utf-8")
    return (page.replace("{{LANG}}", labels["lang_attr"]).replace("{{TITLE}}", _escape(labels["title"]))
            .replace("/*{{DATA}}*/", blob))


def write(store: Store, out: str | Path, lang: str = "zh") -> Path:
    """Write ``OUT/index.html`` (atomically) and return its path."""
    path = Path(out) / INDEX_NAME
    tmp = path.with_name(f".{path.name}.partial")
    tmp.write_text(render(data(store, lang)), encoding="utf-8")
    os.replace(tmp, path)
    return path


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
