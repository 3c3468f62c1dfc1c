"""What the notebooks show: a report's memo in a frame, a finding's evidence (the report text around its
sentences, marked, and its table block with the suspect cell framed) and the triage widgets whose buttons
record review decisions through :mod:`audit.api`. Presentation only: the audit and its store are
``audit.api``'s.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

from audit.batch import reviews as _reviews
from audit.batch.reviews import ReviewError
from audit.batch.store import open_run as _open
from audit.model import Fields, Finding, Result

if TYPE_CHECKING:  # the API opens the notebook's panels; the notebook never imports the API
    from audit.api import Run


@dataclass(frozen=True)
class HTML:
    """HTML a notebook shows as such (and ``str()`` gives back)."""

    text: str

    def _repr_html_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


def memo_frame(document: str, height: int = 640) -> str:
    """An HTML memo inside an iframe, so its stylesheet leaves the notebook's alone."""
    return (f'<iframe class="audit-memo" srcdoc="{html.escape(document, quote=True)}" '
            f'style="width:100%;height:{height}px;border:1px solid #cfd7e0;border-radius:4px"></iframe>')


# ------------------------------------------------------------------------------------------ tables


# -------------------------------------------------------------------------------------- evidence

EVIDENCE_CSS = """
<style>
.ra-ev { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; font-size: 13px;
         line-height: 1.6; color: #1d2630; border: 1px solid #cfd7e0; border-radius: 4px; padding: 8px 12px;
         margin: 4px 0; background: #fff; }
.ra-ev .ra-head { font-weight: 600; margin-bottom: 4px; }
.ra-ev .ra-sev { display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff; font-size: 11px; margin-right: 6px; }
.ra-ev .ra-sev.error { background: #b03a2e; } .ra-ev .ra-sev.warning { background: #b7791f; }
.ra-ev .ra-sev.info { background: #55606b; }
.ra-ev .ra-text { background: #f7f9fb; border-left: 3px solid #1f3a5f; padding: 6px 10px; white-space: pre-wrap; }
.ra-ev .ra-cap { color: #5b6b7c; font-size: 12px; margin: 8px 0 2px; }
.ra-ev mark { background: #ffd966; padding: 0 1px; }
.ra-ev table { border-collapse: collapse; font-size: 12px; }
.ra-ev th, .ra-ev td { border: 1px solid #cfd7e0; padding: 2px 6px; text-align: right; }
.ra-ev th { background: #eef2f6; font-weight: 600; }
.ra-ev th.row { text-align: left; max-width: 360px; }
.ra-ev td.identity { background: #fff1c2; }
.ra-ev td.suspect { background: #f6c9c4; outline: 2px solid #b03a2e; outline-offset: -2px; font-weight: 700; }
.ra-ev td.candidate { background: #fde3cc; outline: 2px dashed #c0641a; outline-offset: -2px; font-weight: 700; }
</style>
"""
_CONTEXT_CHARS = 160
_TABLE_NAMES = {"zh": {"t2": "表二", "t3": "表三", "t4": "表四"}, "en": {"t2": "Table 2", "t3": "Table 3", "t4": "Table 4"}}
_WORDS = {
    "zh": {"text": "报告原文（第{}部分）", "table": "{}相关单元格", "quote": "引用的句子", "sep": "；",
           "identity": "黄色：该问题涉及的单元格", "suspect": "红框：最可能出错的单元格（→ 使等式成立的值）",
           "candidate": "虚线框：可能出错的单元格之一（→ 使等式成立的值）"},
    "en": {"text": "Report text (section {})", "table": "{}: the cells involved", "quote": "Sentences quoted", "sep": "; ",
           "identity": "yellow: the cells the finding is about", "suspect": "red frame: the cell most likely wrong "
           "(→ the value that makes the identity hold)", "candidate": "dashed frame: one of the cells that may be wrong "
           "(→ the value that makes the identity hold)"},
}


def quoted_sentences(f: Finding) -> list[str]:
    """The sentences a finding points at: its own, a narrative finding's, a copied section's."""
    out = [f.location.sentence] if f.location.sentence else []
    details = f.details or {}
    for key in ("sentences", "carried_over"):
        items = details.get(key) or []
        for x in items if isinstance(items, list) else [items]:
            text = x.get("text") if isinstance(x, dict) else x
            if isinstance(text, str) and text.strip():
                out.append(text)
    return list(dict.fromkeys(out))


def _loose(sentence: str) -> re.Pattern:
    """The sentence as it may sit in a section's text: any whitespace (a wrapped line) between characters."""
    return re.compile(r"\s*".join(re.escape(c) for c in sentence if not c.isspace()))


def marked_text(text: str, sentences: list[str]) -> str | None:
    """HTML of the part of ``text`` around the sentences, each marked; None when none is in the text."""
    spans = []
    for s in sentences:
        m = _loose(s).search(text)
        if m:
            spans.append((m.start(), m.end()))
    if not spans:
        return None
    spans.sort()
    merged = [list(spans[0])]
    for a, b in spans[1:]:
        if a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    start, end = max(0, merged[0][0] - _CONTEXT_CHARS), min(len(text), merged[-1][1] + _CONTEXT_CHARS)
    parts, at = ["…" if start else ""], start
    for a, b in merged:
        parts.append(html.escape(text[at:a]))
        parts.append(f"<mark>{html.escape(text[a:b])}</mark>")
        at = b
    parts.append(html.escape(text[at:end]) + ("…" if end < len(text) else ""))
    return "".join(parts)


def _table_html(f: Finding, fields: Fields, lang: str) -> list[str]:
    from audit.memo import blocks as _blocks

    W = _WORDS["en" if lang == "en" else "zh"]
    names = _TABLE_NAMES["en" if lang == "en" else "zh"]
    out, roles = [], set()
    for b in _blocks.blocks(f, fields):
        roles |= {c.role for c in b.cells}
        head = "".join(f"<th>{html.escape(label)}</th>" for _, label in b.columns)
        body = []
        for _, label, cells in b.rows:
            tds = []
            for c in cells:
                text = c.text if c.value is not None else ""
                if c.role in (_blocks.SUSPECT, _blocks.CANDIDATE) and c.fix is not None:
                    text = f"{c.text or '□'} → {c.fix}"
                tds.append(f'<td class="{c.role}" title="{html.escape(c.field)}">{html.escape(text)}</td>')
            body.append(f'<tr><th class="row">{html.escape(" ".join(label.split()))}</th>{"".join(tds)}</tr>')
        out.append(f'<div class="ra-cap">{html.escape(W["table"].format(names.get(b.table, b.table)))}</div>'
                   f'<table><thead><tr><th></th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')
    legend = [W[r] for r in (_blocks.IDENTITY, _blocks.SUSPECT, _blocks.CANDIDATE) if r in roles]
    if legend:
        out.append(f'<div class="ra-cap">{html.escape(W["sep"].join(legend))}</div>')
    return out


def evidence_html(result: Result, f: Finding, lang: str = "zh") -> str:
    """A finding's evidence as HTML: its message, the report text around its sentences (marked) and its
    table block (the identity's cells, the suspect cell framed with the value that would make it hold)."""
    W = _WORDS["en" if lang == "en" else "zh"]
    sev = str(f.severity)
    parts = [EVIDENCE_CSS, '<div class="ra-ev">',
             f'<div class="ra-head"><span class="ra-sev {sev}">{html.escape(sev)}</span>'
             f'<code>{html.escape(f.rule_id)}</code> {html.escape(f.message(lang))}</div>']
    sentences = quoted_sentences(f)
    if sentences:
        sections = [s for s in result.document.sections if f.location.section in (None, s.number)]
        shown = None
        for s in sections:
            shown = marked_text(s.text, sentences)
            if shown:
                parts.append(f'<div class="ra-cap">{html.escape(W["text"].format(s.number))}</div>'
                             f'<div class="ra-text">{shown}</div>')
                break
        if shown is None:
            quotes = "".join(f"<mark>{html.escape(s)}</mark><br>" for s in sentences)
            parts.append(f'<div class="ra-cap">{html.escape(W["quote"])}</div><div class="ra-text">{quotes}</div>')
    if result.fields is not None:
        parts += _table_html(f, result.fields, lang)
    parts.append("</div>")
    return "".join(parts)


# ----------------------------------------------------------------------------------- review panel


class ReviewPanel:
    """The triage widgets of one report (see :meth:`Run.review_panel`). ``buttons[fingerprint]`` holds the
    "confirm" and "dismiss" buttons of each finding, ``comments[fingerprint]`` its comment box,
    ``status[fingerprint]`` the line that shows its current decision, ``reviewer`` the name box."""

    LABELS = {"zh": {"confirm": "确认", "dismiss": "排除", "reviewer": "审核人", "comment": "备注（可选）",
                     "open": "未审核", "confirm_state": "已确认", "dismiss_state": "已排除",
                     "comment_state": "有备注", "by": "{state}（{reviewer}，{at}）", "evidence": "证据",
                     "need_name": "请先填写审核人姓名"},
              "en": {"confirm": "Confirm", "dismiss": "Dismiss", "reviewer": "Reviewer", "comment": "Comment (optional)",
                     "open": "open", "confirm_state": "confirmed", "dismiss_state": "dismissed",
                     "comment_state": "commented", "by": "{state} ({reviewer}, {at})", "evidence": "Evidence",
                     "need_name": "Type the reviewer's name first"}}

    def __init__(self, run: Run, path: str, reviewer: str = "", lang: str = "zh"):
        import ipywidgets as w

        self.run, self.path, self.lang = run, path, lang
        self.L = self.LABELS["en" if lang == "en" else "zh"]
        self.report = run.report(path)
        self.reviewer = w.Text(value=reviewer, description=self.L["reviewer"])
        self.buttons: dict[str, dict[str, object]] = {}
        self.comments: dict[str, object] = {}
        self.status: dict[str, object] = {}
        rows = [self.reviewer]
        for f in self.report.findings:
            fp = f.fingerprint
            confirm = w.Button(description=self.L["confirm"], button_style="success", icon="check")
            dismiss = w.Button(description=self.L["dismiss"], button_style="warning", icon="times")
            confirm.on_click(lambda _b, fp=fp: self.decide(fp, "confirm"))
            dismiss.on_click(lambda _b, fp=fp: self.decide(fp, "dismiss"))
            self.buttons[fp] = {"confirm": confirm, "dismiss": dismiss}
            self.comments[fp] = w.Text(placeholder=self.L["comment"], layout=w.Layout(width="40%"))
            self.status[fp] = w.HTML(self._state(self.report.reviews.get(fp)))
            evidence = w.HTML(evidence_html(self.report.result, f, lang))
            rows.append(w.VBox([evidence, w.HBox([confirm, dismiss, self.comments[fp], self.status[fp]])],
                               layout=w.Layout(margin="0 0 10px 0")))
        self.widget = w.VBox(rows)
        self.widget.add_class("audit-review-panel")

    def _state(self, state: Mapping | None) -> str:
        if not state:
            return f"<i>{self.L['open']}</i>"
        text = self.L["by"].format(state=self.L[f"{state['decision']}_state"], reviewer=state["reviewer"],
                                   at=state["at"])
        if state.get("comment"):
            text += f": {state['comment']}"
        return f"<b>{html.escape(text)}</b>"

    def decide(self, fingerprint: str, decision: str) -> dict | None:
        """What a button does: record the decision with the reviewer's name and the comment, and show it."""
        if not self.reviewer.value.strip():
            self.status[fingerprint].value = f"<span style='color:#b03a2e'>{html.escape(self.L['need_name'])}</span>"
            return None
        try:
            stored = self.run.record(fingerprint, decision, self.reviewer.value, self.comments[fingerprint].value,
                                     report=self.path)
        except ReviewError as exc:
            self.status[fingerprint].value = f"<span style='color:#b03a2e'>{html.escape(exc.reason)}</span>"
            return None
        with _open(self.run.out) as store:
            self.report.reviews = _reviews.for_report(store, self.path)
        self.comments[fingerprint].value = ""
        self.status[fingerprint].value = self._state(self.report.reviews.get(fingerprint))
        return stored

    def _repr_mimebundle_(self, **kw):
        return self.widget._repr_mimebundle_(**kw)


# ------------------------------------------------------------------------------- finding files


def checkout() -> "Path | None":
    """The repository the package runs from (the folder holding ``corpora/`` and ``notebooks/``), if any."""
    from pathlib import Path

    import audit

    root = Path(audit.__file__).resolve().parents[1]
    return root if (root / "corpora").is_dir() else None


def find_path(value: "str | None", default: str, *, kind: str = "path") -> "Path":
    """A path a notebook was given (an environment variable's ``value``, else ``default``), found from any
    working folder: an absolute path as it is; a relative one against, in order, the folder the notebook
    server was started from (``$PWD``, which a kernel inherits from the shell that started ``jupyter lab``),
    the kernel's working folder (the notebook's own), its parents, and the repository's root. The first
    that exists wins; raises FileNotFoundError naming the folders tried."""
    import os
    from pathlib import Path

    p = Path(os.path.expanduser(value or default))
    if p.is_absolute():
        if p.exists():
            return p
        raise FileNotFoundError(f"{kind} {p} does not exist")
    bases = []
    if os.environ.get("PWD"):
        bases.append(Path(os.environ["PWD"]))
    cwd = Path.cwd()
    bases += [cwd, *cwd.parents]
    root = checkout()
    if root is not None:
        bases.append(root)
    tried = []
    for base in dict.fromkeys(b.resolve() for b in bases):
        candidate = base / p
        if candidate.exists():
            return candidate
        tried.append(str(base))
    raise FileNotFoundError(f"{kind} {str(p)!r} not found in {', '.join(tried[:6])}"
                            f"{' …' if len(tried) > 6 else ''}; give an absolute path")


def find_run(value: "str | None" = None) -> "Path":
    """The run folder a notebook opens: ``$AUDIT_RUN`` (or ``value``), default ``out``, found by
    :func:`find_path` and holding a store."""
    import os

    from audit.batch.store import STORE_NAME

    given = value or os.environ.get("AUDIT_RUN") or "out"
    path = find_path(f"{given}/{STORE_NAME}", f"out/{STORE_NAME}", kind="run folder (with its audit.sqlite)")
    return path.parent


def samples() -> "Path":
    """The bundled sample reports (``corpora/samples`` of the checkout)."""
    return find_path("corpora/samples", "corpora/samples", kind="sample folder")


# ----------------------------------------------------------------------------- root causes, picker


class CausePanel:
    """Confirm or dismiss a root cause and all its findings at once (see :meth:`Run.causes`): a list of the
    causes with open findings, a comment box, the reviewer's name and two buttons."""

    LABELS = {"zh": {"cause": "问题根源", "confirm": "全部确认", "dismiss": "全部排除", "reviewer": "审核人",
                     "comment": "备注（可选）", "done": "已记录 {n} 项：{decision}", "need_name": "请先填写审核人姓名",
                     "none": "没有未审核的问题"},
              "en": {"cause": "Cause", "confirm": "Confirm all", "dismiss": "Dismiss all", "reviewer": "Reviewer",
                     "comment": "Comment (optional)", "done": "{n} decision(s) recorded: {decision}",
                     "need_name": "Type the reviewer's name first", "none": "No open findings"}}

    def __init__(self, run: Run, reviewer: str = "", lang: str = "zh"):
        import ipywidgets as w

        self.run, self.L = run, self.LABELS["en" if lang == "en" else "zh"]
        self.select = w.Select(description=self.L["cause"], rows=8, layout=w.Layout(width="95%"))
        self.reviewer = w.Text(value=reviewer, description=self.L["reviewer"])
        self.comment = w.Text(placeholder=self.L["comment"], layout=w.Layout(width="40%"))
        self.confirm = w.Button(description=self.L["confirm"], button_style="success", icon="check")
        self.dismiss = w.Button(description=self.L["dismiss"], button_style="warning", icon="times")
        self.status = w.HTML()
        self.confirm.on_click(lambda _b: self.decide("confirm"))
        self.dismiss.on_click(lambda _b: self.decide("dismiss"))
        self.reload()
        self.widget = w.VBox([self.select, w.HBox([self.reviewer, self.comment, self.confirm, self.dismiss]),
                              self.status])

    def reload(self) -> None:
        causes = self.run.causes()
        causes = causes[causes["open"] > 0]
        self.select.options = [(f"{r.description}（{r.open}/{r.findings}）", r.cause) for r in causes.itertuples()]
        if not len(causes):
            self.status.value = f"<i>{html.escape(self.L['none'])}</i>"

    def decide(self, decision: str, cause: str | None = None) -> int:
        cause = cause or self.select.value
        if not self.reviewer.value.strip():
            self.status.value = f"<span style='color:#b03a2e'>{html.escape(self.L['need_name'])}</span>"
            return 0
        if cause is None:
            return 0
        try:
            n = self.run.decide_cause(cause, decision, self.reviewer.value, self.comment.value or None)
        except ReviewError as exc:
            self.status.value = f"<span style='color:#b03a2e'>{html.escape(exc.reason)}</span>"
            return 0
        self.status.value = f"<b>{html.escape(self.L['done'].format(n=n, decision=decision))}</b>"
        self.comment.value = ""
        self.reload()
        return n

    def _repr_mimebundle_(self, **kw):
        return self.widget._repr_mimebundle_(**kw)


class ReportPicker:
    """Pick a report of the run (the reports with the most open findings first): its memo and its review
    panel open below."""

    def __init__(self, run: Run, reviewer: str = "", lang: str = "zh"):
        import ipywidgets as w

        self.run, self.reviewer, self.lang = run, reviewer, lang
        reports = run.reports.sort_values(["open", "path"], ascending=[False, True])
        self.dropdown = w.Dropdown(
            options=[("—", None)] + [(f"{r.agency or r.path} {r.year or ''}（{r.open}）· {r.path}", r.path)
                                     for r in reports.itertuples()],
            description="报告" if lang != "en" else "Report", layout=w.Layout(width="95%"))
        self.out = w.Output()
        self.panel: ReviewPanel | None = None
        self.dropdown.observe(lambda change: self.open(change["new"]), names="value")
        self.widget = w.VBox([self.dropdown, self.out])

    def open(self, path: str | None) -> "ReviewPanel | None":
        self.out.outputs = ()
        if not path:
            self.panel = None
            return None
        self.panel = self.run.review_panel(path, reviewer=self.reviewer, lang=self.lang)
        # kept in the Output widget's state by the kernel itself, so a saved or headless notebook has them too
        self.out.append_display_data(HTML(memo_frame(self.panel.report.memo("html"))))
        self.out.append_display_data(self.panel.widget)
        return self.panel

    def _repr_mimebundle_(self, **kw):
        return self.widget._repr_mimebundle_(**kw)


def output_path(value: "str | None", default: str) -> "Path":
    """Where a notebook writes a file it was told of: an absolute path as it is; a relative one under the
    folder the notebook server was started from (``$PWD``), else the repository's root, else here."""
    import os
    from pathlib import Path

    p = Path(os.path.expanduser(value or default))
    if p.is_absolute():
        return p
    for base in (os.environ.get("PWD"), checkout(), Path.cwd()):
        if base and Path(base).is_dir():
            return Path(base).resolve() / p
    return p.resolve()


class CorrectionPanel:
    """Record a correction of the reading (see :func:`audit.record_correction`): the report, what is
    corrected (a cell's field id, a metadata field, a section's start), the value, the reason and the
    reviewer; the report's checks run again at once and the new score shows."""

    LABELS = {"zh": {"report": "报告", "target": "更正对象", "key": "单元格/字段", "value": "更正为", "reason": "理由",
                     "reviewer": "审核人", "record": "记录更正", "done": "已更正：原读数 {original}，更正为 {value}；得分 {before} → {after}",
                     "targets": [("单元格", "field"), ("元数据", "meta"), ("部分起点", "section")]},
              "en": {"report": "Report", "target": "Target", "key": "Cell/field", "value": "Corrected", "reason": "Reason",
                     "reviewer": "Reviewer", "record": "Record correction",
                     "done": "Corrected: read {original}, now {value}; score {before} → {after}",
                     "targets": [("cell", "field"), ("metadata", "meta"), ("section start", "section")]}}

    def __init__(self, run: Run, reviewer: str = "", lang: str = "zh", report: str | None = None):
        import ipywidgets as w

        self.run, self.L = run, self.LABELS["en" if lang == "en" else "zh"]
        paths = run.reports["path"].tolist()
        self.report = w.Dropdown(options=paths, value=report if report in paths else (paths[0] if paths else None),
                                 description=self.L["report"], layout=w.Layout(width="95%"))
        self.target = w.Dropdown(options=self.L["targets"], value="field", description=self.L["target"])
        self.key = w.Text(description=self.L["key"], placeholder="t3.new.total")
        self.value = w.Text(description=self.L["value"])
        self.reason = w.Text(description=self.L["reason"], layout=w.Layout(width="60%"))
        self.reviewer = w.Text(value=reviewer, description=self.L["reviewer"])
        self.button = w.Button(description=self.L["record"], button_style="primary", icon="pencil")
        self.status = w.HTML()
        self.button.on_click(lambda _b: self.record())
        self.widget = w.VBox([self.report, w.HBox([self.target, self.key, self.value]), self.reason,
                              w.HBox([self.reviewer, self.button]), self.status])

    def record(self) -> dict | None:
        from audit.batch.corrections import CorrectionError

        path = self.report.value
        before = self.run.reports.set_index("path").loc[path, "score"] if path else None
        try:
            c = self.run.correct(path, self.key.value.strip(), self.value.value, self.reason.value,
                                 self.reviewer.value, target=self.target.value)
        except (CorrectionError, ReviewError) as exc:
            self.status.value = f"<span style='color:#b03a2e'>{html.escape(exc.reason)}</span>"
            return None
        self.status.value = "<b>" + html.escape(self.L["done"].format(
            original=c["original"], value=c["value"], before=before, after=c["score"])) + "</b>"
        return c

    def _repr_mimebundle_(self, **kw):
        return self.widget._repr_mimebundle_(**kw)
