"""The run overview ``OUT/index.html``: written by ``audit batch``, self-contained, and working in a real
headless Chromium from its file:// URL: it renders the ranking, filters by year, sorts by a column on a
click, pages, and every memo link resolves to a file of the run folder."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

from _api_helpers import build_run
from audit.batch import overview
from audit.batch.store import Store

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    return build_run(tmp_path_factory.mktemp("overview"))


def chromium(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args, url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


def console(proc: subprocess.CompletedProcess) -> list[str]:
    return [ln for ln in proc.stderr.splitlines() if ":CONSOLE" in ln]


def payload(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    blob = re.search(r'<script id="data" type="application/json">(.*?)</script>', text, re.S).group(1)
    return json.loads(blob)


def test_batch_writes_a_self_contained_overview(run):
    page = run / "index.html"
    text = page.read_text(encoding="utf-8")
    # nothing fetched: no external script, style, image or font; the only URL is the SVG namespace
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text)
    assert set(re.findall(r"https?://[^\s\"']+", text)) <= {"http://www.w3.org/2000/svg"}
    assert "<script src" not in text and "<link" not in text
    d = payload(page)
    assert d["lang"] == "zh" and d["labels"]["title"] == "审核总览"
    cols = {c: i for i, c in enumerate(d["columns"])}
    with Store(run) as store:
        paths = sorted(r["path"] for r in store.overview_reports())
    assert sorted(r[cols["path"]] for r in d["reports"]) == paths and len(paths) == 6
    for r in d["reports"]:  # every row links to its memo (the HTML one, as the run wrote it), relative
        href = r[cols["href"]]
        assert href.endswith(".html") and not href.startswith("/")
        assert (run / unquote(href)).is_file(), href
        assert r[cols["region"]] in ("青山区", "临江县")
        assert len(r[cols["lost"]]) == len(d["items"])
    # the findings by rule point at the reports that have them; the carry-over break is there
    rules = {x["id"]: x for x in d["rules"]}
    assert "XY-CARRY" in rules
    carried = [d["reports"][i][cols["path"]] for i, _ in rules["XY-CARRY"]["hits"]]
    assert carried == ["reports/2023/edu.html"]


def test_scores_are_the_reviewed_ones(run, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(run, out)
    import audit

    r = audit.load_run(out)
    f = r.findings
    carry = f[(f["path"] == "reports/2023/edu.html") & (f["rule_id"] == "XY-CARRY")]
    before = r.reports.set_index("path").loc["reports/2023/edu.html", "reviewed_score"]
    for fp in carry["fingerprint"]:
        audit.record_decision(out, fp, "dismiss", "王审核", comment="上年数据已更正", report="reports/2023/edu.html")
    r.refresh()
    d = payload(out / "index.html")
    cols = {c: i for i, c in enumerate(d["columns"])}
    [edu] = [x for x in d["reports"] if x[cols["path"]] == "reports/2023/edu.html"]
    assert edu[cols["score"]] > before  # refresh() writes the overview again, with the dismissal
    assert "XY-CARRY" not in {x["id"] for x in d["rules"]}


def test_english(run, tmp_path):
    with Store(run) as store:
        page = overview.write(store, tmp_path, lang="en")
    d = payload(page)
    assert d["labels"]["title"] == "Audit overview" and '<html lang="en">' in page.read_text(encoding="utf-8")
    assert all(not re.search(r"[\u4e00-\u9fff]", it["title"]) for it in d["items"])


def test_report_text_never_becomes_markup(tmp_path):
    """An agency name with markup stays text in the data blob (no </script> can end it)."""
    d = {"lang": "zh", "labels": overview.LABELS["zh"], "grades": {}, "items": [], "rules": [],
         "columns": [], "reports": [["</script><script>alert(1)</script>"]], "failures": 0, "generated": ""}
    page = overview.render(d)
    assert "</script><script>alert" not in page and page.count("</script>") == 2


HARNESS = """<!DOCTYPE html><meta charset="utf-8"><body>
<iframe id="f" src="index.html" width="1400" height="900"></iframe><pre id="result"></pre>
<script>
window.onload = function () {
  var out = {}, w = document.getElementById("f").contentWindow, d = w.document;
  function rows() { return Array.from(d.querySelectorAll("#ranking tbody tr[data-key]")); }
  function col(key) {
    var ths = Array.from(d.querySelectorAll("#ranking thead th")), i = ths.findIndex(function (t) { return t.getAttribute("data-key") === key; });
    return rows().map(function (r) { return r.children[i].textContent; });
  }
  function change(id, v) { var s = d.getElementById(id); s.value = v; s.dispatchEvent(new w.Event("change")); }
  try {
    out.ready = d.body.getAttribute("data-ready");
    out.agencies = rows().map(function (r) { return r.getAttribute("data-key"); });
    out.scores = col("score");
    out.bars = Array.from(d.querySelectorAll("#svg-scores rect")).map(function (r) { return +r.getAttribute("data-n"); });
    out.items = d.querySelectorAll("#svg-items rect.lost").length;
    out.rules = Array.from(d.querySelectorAll("#rules tbody tr")).map(function (r) { return r.getAttribute("data-rule"); });
    d.querySelector('#ranking th[data-key="score"]').click();
    out.sorted_asc = col("score");
    out.aria = d.querySelector('#ranking th[data-key="score"]').getAttribute("aria-sort");
    change("f-view", "report");
    change("f-year", "2022");
    out.year_rows = col("year");
    out.links = Array.from(d.querySelectorAll("#ranking tbody a")).map(function (a) { return a.href; });
    out.hash = w.location.hash;
    change("f-region", "临江县");
    out.region_rows = rows().length;
    change("f-year", ""); change("f-region", ""); change("f-view", "agency");
    d.querySelector("#ranking button.agency").click();
    out.panel_hidden = d.getElementById("agency-panel").hidden;
    out.panel_points = d.querySelectorAll("#svg-agency circle").length;
  } catch (e) { out.error = String(e && e.stack || e); }
  document.getElementById("result").textContent = JSON.stringify(out);
};
</script>"""


@needs_chromium
def test_overview_in_the_browser(run, tmp_path):
    """Loaded from file:// in a frame and driven by real DOM events: filters, sorting, the agency panel,
    and links that resolve to files."""
    harness = run / "harness.html"
    harness.write_text(HARNESS, encoding="utf-8")
    try:
        proc = chromium(tmp_path, harness.as_uri(), "--allow-file-access-from-files", "--virtual-time-budget=5000",
                        "--dump-dom")
    finally:
        harness.unlink()
    m = re.search(r'<pre id="result">(.*?)</pre>', proc.stdout, re.S)
    assert m and m.group(1), proc.stderr[-2000:]
    res = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    assert "error" not in res, res.get("error")
    assert res["ready"] == "1"
    assert len(res["agencies"]) == 3  # three agencies ranked
    scores = [float(s) for s in res["scores"]]
    assert scores == sorted(scores, reverse=True)
    assert sum(res["bars"]) == 6 and res["items"] >= 5
    assert "XY-CARRY" in res["rules"]
    assert res["aria"] == "ascending" and [float(s) for s in res["sorted_asc"]] == sorted(scores)
    assert res["year_rows"] == ["2022"] * 3
    assert "year=2022" in res["hash"] and "view=report" in res["hash"]
    assert len(res["links"]) == 3
    for url in res["links"]:
        assert url.startswith("file://") and Path(unquote(url[len("file://"):])).is_file(), url
    assert res["region_rows"] == 1
    assert res["panel_hidden"] is False and res["panel_points"] == 2  # two years of the first agency
    assert console(proc) == []


@needs_chromium
def test_overview_opens_from_its_file_url_with_a_state_in_the_fragment(run, tmp_path):
    url = (run / "index.html").as_uri() + "#view=report&sort=year&dir=asc"
    proc = chromium(tmp_path, url, "--virtual-time-budget=3000", "--dump-dom")
    assert 'data-ready="1"' in proc.stdout, proc.stderr[-2000:]
    years = re.findall(r'<tr data-key="[^"]*"><td class="num">\d+</td>.*?<td class="num">(\d{4})</td>', proc.stdout)
    assert years == sorted(years) and len(years) == 6
    assert console(proc) == []


PAGING = """<!DOCTYPE html><meta charset="utf-8"><body>
<iframe id="f" src="index.html#view=report" width="1400" height="900"></iframe><pre id="result"></pre>
<script>
window.onload = function () {
  var out = {}, w = document.getElementById("f").contentWindow, d = w.document;
  function keys() { return Array.from(d.querySelectorAll("#ranking tbody tr[data-key]")).map(function (r) { return r.textContent; }); }
  try {
    out.page1 = keys(); out.label1 = d.getElementById("page").textContent; out.prev_disabled = d.getElementById("prev").disabled;
    d.getElementById("next").click(); out.page2 = keys(); out.label2 = d.getElementById("page").textContent;
    d.getElementById("next").click(); d.getElementById("next").click();
    out.last = keys().length; out.next_disabled = d.getElementById("next").disabled;
    var q = d.getElementById("f-q"); q.value = "金山县"; q.dispatchEvent(new w.Event("input"));
    out.found = d.getElementById("page").textContent;
  } catch (e) { out.error = String(e && e.stack || e); }
  document.getElementById("result").textContent = JSON.stringify(out);
};
</script>"""


@needs_chromium
def test_a_large_run_is_paged(tmp_path):
    """130 reports (the benchmark's generator): 50 rows a page, the pager moves, the search narrows."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_overview", Path(__file__).resolve().parents[1] /
                                                  "benchmarks" / "overview.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / "run"
    bench.make_store(out, 130)
    with Store(out) as store:
        overview.write(store, out)
    (out / "harness.html").write_text(PAGING, encoding="utf-8")
    proc = chromium(tmp_path, (out / "harness.html").as_uri(), "--allow-file-access-from-files",
                    "--virtual-time-budget=5000", "--dump-dom")
    m = re.search(r'<pre id="result">(.*?)</pre>', proc.stdout, re.S)
    assert m and m.group(1), proc.stderr[-2000:]
    res = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    assert "error" not in res, res.get("error")
    assert len(res["page1"]) == 50 and res["label1"] == "第 1 / 3 页，共 130 行" and res["prev_disabled"]
    assert len(res["page2"]) == 50 and not set(res["page1"]) & set(res["page2"]) and res["label2"].startswith("第 2 / 3 页")
    assert res["last"] == 30 and res["next_disabled"]
    n = sum(1 for i in range(130) if i % 10 == 2 and i < 1000)  # 金山县 is the third of the ten places
    assert res["found"] == f"第 1 / 1 页，共 {n} 行"
