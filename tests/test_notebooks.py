"""The notebooks (notebooks/*.ipynb) run top to bottom against a small run made by ``audit batch`` over
generated reports (tests/_api_helpers.py); the triage notebook's buttons record decisions that survive a
re-run of the batch; the committed notebooks carry no outputs."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import audit
from tests._api_helpers import build_run, run_batch

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ("triage", "evaluator", "rules")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return build_run(tmp_path_factory.mktemp("nbrun"))


@pytest.fixture
def out(pristine, tmp_path, monkeypatch):
    shutil.copytree(pristine, tmp_path / "run")
    monkeypatch.setenv("AUDIT_RUN", str(tmp_path / "run"))  # the kernel inherits the environment
    for name in ("AUDIT_REVIEWER", "AUDIT_REPORT", "AUDIT_YEAR", "AUDIT_EXPORT", "AUDIT_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AUDIT_RULES", str(tmp_path / "my-rules.yaml"))
    return tmp_path / "run"


class Kernel:
    """A notebook executed cell by cell in one kernel, which stays up for cells a test adds."""

    def __init__(self, name: str):
        self.nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        self.client = NotebookClient(self.nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})

    def run_all(self) -> None:
        for index, cell in enumerate(self.nb.cells):
            self.client.execute_cell(cell, index)

    def run(self, source: str):
        cell = nbformat.v4.new_code_cell(source)
        self.nb.cells.append(cell)
        return self.client.execute_cell(cell, len(self.nb.cells) - 1)


def _outputs(nb, kind: str) -> list[str]:
    """Every output of ``kind`` (text/html, text/plain, image/png or stream text), in order."""
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if kind == "stream" and o["output_type"] == "stream":
                out.append(o["text"])
            elif kind in o.get("data", {}):
                out.append(o["data"][kind])
    return out


def test_committed_notebooks_have_no_outputs():
    for name in NAMES:
        nb = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert code, name
        assert all(c["outputs"] == [] and c["execution_count"] is None for c in code), name
        assert "widgets" not in nb["metadata"], name


def test_triage_buttons_record_decisions_that_survive_a_rerun(out, pristine):
    k = Kernel("triage")
    with k.client.setup_kernel():
        k.run_all()
        printed = "".join(_outputs(k.nb, "stream"))
        assert f"{out}: 6 reports, 3 agencies," in printed  # opens on the run's summary, not on one report
        widgets = _outputs(k.nb, "application/vnd.jupyter.widget-view+json")
        assert len(widgets) >= 4  # the cause panel, the filters, the filtered table, the report picker
        # a report picked: its memo and its review panel open
        report = k.run("picker.dropdown.value = picker.dropdown.options[1][1]\n"
                       "panel = picker.panel\n"
                       "print(picker.dropdown.value)\n"
                       "print(any('class=\"audit-memo\" srcdoc=\"&lt;!DOCTYPE html&gt;' in str(o) for o in picker.out.outputs))")
        path, shown = report.outputs[0]["text"].split()
        assert shown == "True"
        clicked = k.run(
            "panel.reviewer.value = '王审核'\n"
            "fps = list(panel.buttons)\n"
            "panel.comments[fps[0]].value = '已与报告原文核对'\n"
            "panel.buttons[fps[0]]['confirm'].click()\n"
            "panel.buttons[fps[-1]]['dismiss'].click()\n"
            "print(fps[0], fps[-1])\n")
        first, last = clicked.outputs[0]["text"].split()
        state = k.run("print(panel.status[fps[0]].value)").outputs[0]["text"]
        assert "已确认（王审核" in state
        last_cell = next(i for i, c in enumerate(k.nb.cells) if "export_decisions(RUN" in c.source)
        after = k.client.execute_cell(k.nb.cells[last_cell], last_cell)
        printed = "".join(o.get("text", "") for o in after.outputs)
        assert f"2 decision(s) written to {out / 'reviews' / 'decisions.csv'}" in printed
        history = "".join(o.get("data", {}).get("text/plain", "") for o in after.outputs)
        assert history.count("王审核") == 2  # the review history the cell shows
    assert first != last
    findings = audit.load_run(out).findings.set_index("fingerprint")
    assert findings.loc[first, "decision"] == "confirm" and findings.loc[first, "comment"] == "已与报告原文核对"
    assert findings.loc[last, "decision"] == "dismiss" and findings.loc[first, "path"] == path
    # other memo formats make a new audit key: every report is audited again and its rows replaced
    proc = run_batch(pristine.parent / "reports", out, "--format", "md,json")
    assert proc.returncode == 0 and "6 audited" in proc.stdout, proc.stderr
    after = audit.load_run(out).findings.set_index("fingerprint")
    assert (after.loc[first, "decision"], after.loc[first, "reviewer"]) == ("confirm", "王审核")
    assert after.loc[last, "decision"] == "dismiss"


def test_triage_dismisses_a_root_cause_with_all_its_findings_and_corrects_a_cell(out):
    k = Kernel("triage")
    with k.client.setup_kernel():
        k.run_all()
        done = k.run("cause_panel.reviewer.value = '王审核'\n"
                     "cause = causes[causes['kind'] == 'cell'].iloc[0]\n"
                     "cause_panel.select.value = cause['cause']\n"
                     "cause_panel.comment.value = '同一格读错'\n"
                     "cause_panel.dismiss.click()\n"
                     "print(cause['path'], cause['findings'], cause['rules'])")
        path, n, *rules = done.outputs[0]["text"].split()
        run = audit.load_run(out)
        dismissed = run.filter(decision="dismiss")
        # a cell's identities are one finding already (checks merge them); the cause takes every finding it has
        assert len(dismissed) == int(n) >= 1 and set(dismissed["path"]) == {path}
        assert set(dismissed["comment"]) == {"同一格读错"}
        causes = run.causes()
        assert causes.set_index("cause").loc[causes["cause"][causes["path"] == path].iloc[0], "open"] == 0
        # the same cell corrected instead, from the correction panel: the report is checked again at once
        fixed = k.run("correction_panel.report.value = 'reports/2022/edu.txt'\n"
                      "correction_panel.key.value = 't3.carried_out.research'\n"
                      "correction_panel.value.value = '0'\n"
                      "correction_panel.reason.value = '纸质件此格为0'\n"
                      "correction_panel.reviewer.value = '王审核'\n"
                      "correction_panel.button.click()\n"
                      "print(correction_panel.status.value)")
        assert "已更正：原读数 2，更正为 0；得分 95.0 → 100.0" in fixed.outputs[0]["text"]
    run = audit.load_run(out)
    assert run.corrections["value"].tolist() == ["0"]
    assert run.filter(rule=["T3-ROW-SUM", "T3-BALANCE"]).empty


def test_notebooks_find_the_run_and_samples_from_any_folder(out, tmp_path, monkeypatch):
    """The README's command: `AUDIT_RUN=out jupyter lab notebooks/` started in the folder above the run; the
    kernel runs in notebooks/ (or anywhere) and finds `out` from the folder the server was started in."""
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.setenv("PWD", str(tmp_path))  # the shell's folder, which the server and its kernels inherit
    monkeypatch.setenv("AUDIT_RUN", "run")
    monkeypatch.delenv("AUDIT_RULES")
    for name in ("evaluator", "rules"):
        k = Kernel(name)
        k.client.resources = {"metadata": {"path": str(tmp_path / "elsewhere")}}
        with k.client.setup_kernel():
            k.run_all()
            if name == "evaluator":
                assert k.run("print(RUN)").outputs[0]["text"].strip() == str(out)
            else:
                assert k.run("print(REPORT.is_file(), EXTRA)").outputs[0]["text"].split() == [
                    "True", str(tmp_path / "out" / "my-rules.yaml")]


def test_evaluator_charts_and_excel_export(out):
    from openpyxl import load_workbook

    k = Kernel("evaluator")
    with k.client.setup_kernel():
        k.run_all()
    assert len(_outputs(k.nb, "image/png")) == 4  # distribution, rankings, rules, year over year
    book = out / "evaluator" / "ranking-all.xlsx"  # every year by default
    assert str(book) in "".join(_outputs(k.nb, "stream"))
    wb = load_workbook(book)
    assert wb.sheetnames == ["ranking", "regions", "year_over_year", "rules"]
    expected = audit.load_run(out).ranking("agency", year=None)
    assert list(expected["reports"]) == [2, 2, 2]  # both years of each agency
    rows = list(wb["ranking"].values)
    assert list(rows[0]) == list(expected.columns)
    assert [r[1] for r in rows[1:]] == list(expected["agency"])
    assert [r[list(expected.columns).index("score")] for r in rows[1:]] == list(expected["score"])


def test_rules_notebook_writes_tests_and_switches_a_rule(out):
    k = Kernel("rules")
    with k.client.setup_kernel():
        k.run_all()
    printed = "".join(_outputs(k.nb, "stream"))
    assert "added: ['MY-T2-NORM-ISSUED']  switched off: ['TEXT-YEAR']  DEADLINE severity: warning" in printed
    assert "→ ('pass', [])" in printed and "with 80: ('fail', ['表二" in printed
    assert Path(out.parent / "my-rules.yaml").is_file()
    changed = _outputs(k.nb, "text/plain")[-2]  # the checks whose outcome or severity changed
    assert "MY-T2-NORM-ISSUED" in changed and "TEXT-YEAR" in changed and "DEADLINE" in changed
