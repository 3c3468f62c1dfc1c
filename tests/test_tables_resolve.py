"""A crawler's run-together digits settled by the table's identities across rows and by figures the body
text states; a check whose identity settled a run is recorded as not independent; a stated figure that no
split gives is kept for the text checks. Fixture text is ours; the figures are pingtan's (2021–2023)."""
from __future__ import annotations

from audit import pipeline
from audit.inspect import inspect_json
from audit.model import ValueKind
from audit.tables import extract, resolve, schema
from tests._tables_helpers import REAL, document, para, shared_file
from tests.test_tables_runon import T3_COLS, crawled_t3, row

# pingtan-2021's 表三: 予以公开 “270020130” and 不掌握 “220000325” split several ways each, row sums included;
# only one pair of splits makes every column's (七)总计 hold
T3_2021 = {"new": "640020470", "open": "270020130", "partial": "500000 5", "denied.internal": "1000001",
           "denied.enforcement": "6000006", "denied.query": "1000001", "unable.not_held": "220000325",
           "other.other": "1000001", "result_total": "630020469", "carried_out": "1000001"}


def crawled_t2(norm: str) -> str:
    """Table 二 (2021 format) as a crawler flattens it."""
    return ("二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件"
            + norm + "第二十条第（五）项信息内容本年处理决定数量行政许可1069第二十条第（六）项信息内容本年处理决定数量"
            "行政处罚12行政强制3第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费0")


def test_column_sums_settle_rows_their_own_row_leaves_open():
    fields = extract(document(para(crawled_t3("2021", T3_2021) + " 四、"), year=2021))
    assert row(fields, "open") == [27, 0, 0, 2, 0, 1, 30]
    assert row(fields, "unable.not_held") == [22, 0, 0, 0, 0, 3, 25]
    assert "t3" not in fields.not_assessable
    origin = fields["t3.open.natural"].origin
    assert origin.en.startswith("run-together digits “270020130” resolved by ") and "each column" in origin.en
    assert origin.zh.startswith("连写的数字“270020130”按") and "表三各列" in origin.zh
    used = fields.identities_used
    assert "T3-COL-SUM[col=natural]" in used and "T3-ROW-SUM[row=open]" in used
    assert "t3.open.natural" in used["T3-COL-SUM[col=natural]"]
    # the balance was not needed: it stays an independent check; so does the row sum of a row read straight
    assert not any(k.startswith("T3-BALANCE") for k in used) and "T3-ROW-SUM[row=carried_out]" not in used
    assert fields.identity_resolved["t3.open"].startswith("T3-ROW-SUM[row=open]")
    # a row its own row sum settles leaves the column sums out of it
    assert fields["t3.new.natural"].origin is not None and "each column" not in fields["t3.new.natural"].origin.en
    assert fields["t3.carried_out.natural"].origin is None


def test_a_real_error_elsewhere_is_not_absorbed():
    """(七)总计 settled by its own row sum; the 自然人 column then still shows the report's over-count
    (pingtan-2020: results add to 26 against 总计 20)."""
    digits = dict(T3_2021, open="330020136", result_total="630020469")
    fields = extract(document(para(crawled_t3("2021", digits) + " 四、"), year=2021))
    assert row(fields, "result_total") == [63, 0, 0, 2, 0, 4, 69]
    # 予以公开 now fits no column sum: not settled, not guessed
    assert fields["t3.open.natural"].kind is ValueKind.UNREADABLE
    assert "“270020130”" not in fields.not_assessable["t3"].zh and "“330020136”" in fields.not_assessable["t3"].zh


def test_several_consistent_combinations_settle_nothing():
    # 予以公开 and 部分公开 may each be 22 (自然人) or 2 + 20: two combinations keep every column sum
    digits = {"new": "24200000044", "open": "220000022", "partial": "220000022", "result_total": "24200000044"}
    fields = extract(document(para(crawled_t3("2021", digits) + " 四、"), year=2021))
    assert fields["t3.open.natural"].kind is ValueKind.UNREADABLE
    assert fields["t3.partial.total"].kind is ValueKind.UNREADABLE
    assert "t3" in fields.not_assessable and not any(k.startswith("T3-COL-SUM") for k in fields.identities_used)


def test_body_figures_settle_a_run():
    body = "本机关今年新制发行政规范性文件88件，库中现行有效的行政规范性文件共698件。"
    fields = extract(document(para("一、总体情况" + body), para(crawled_t2("8855698")), year=2022))
    assert [fields.number(f"t2.norm.{c}") for c in ("issued", "repealed", "in_force")] == [88, 55, 698]
    assert "t2" not in fields.not_assessable
    origin = fields["t2.norm.repealed"].origin
    assert "figures the body text states" in origin.en and "正文所述数字" in origin.zh
    stated = {s.field: s for s in fields.stated_figures}
    assert stated["t2.norm.in_force"].value == 698 and stated["t2.norm.in_force"].outcome == "resolved"
    assert "698件" in stated["t2.norm.in_force"].sentence and stated["t2.norm.issued"].run == "8855698"
    assert not fields.identities_used  # no identity was used
    js = inspect_json(document(para(body)), fields)["table_notes"]
    assert js["stated_figures"][0]["outcome"] == "resolved" and "identities_used" in js
    assert inspect_json(document(para(body)), fields)["fields"]["t2.norm.issued"]["origin_en"].startswith("run-together")


def test_a_stated_figure_no_split_gives_is_recorded():
    body = "本机关今年新制发行政规范性文件77件，库中现行有效的行政规范性文件共393件。"
    fields = extract(document(para("一、总体情况" + body), para(crawled_t2("77132470")), year=2023))
    assert fields["t2.norm.in_force"].kind is ValueKind.UNREADABLE and "t2" in fields.not_assessable
    stated = {s.field: s for s in fields.stated_figures}
    assert stated["t2.norm.in_force"].outcome == "no_split" and stated["t2.norm.in_force"].value == 393
    assert stated["t2.norm.issued"].outcome == "consistent"  # 77 fits, but leaves five splits
    assert stated["t2.norm.in_force"].to_json()["run"] == "77132470"


def test_two_figures_for_one_cell_settle_nothing():
    body = "新制发行政规范性文件88件。另有说法称制发行政规范性文件8件。现行有效的行政规范性文件共698件。"
    fields = extract(document(para(body), para(crawled_t2("8855698")), year=2022))
    assert "t2.norm.issued" not in {s.field for s in fields.stated_figures}
    # 698 alone leaves 8/855 and 88/55 and 885/5
    assert fields["t2.norm.issued"].kind is ValueKind.UNREADABLE


def test_identities_are_named_as_the_checks_name_them():
    t3 = schema.load("2021").table("t3")
    ids = [t3.field_id(r, c) for r, c in t3.cells()]
    names = {i.name for i in resolve.identities(t3, ids, set(ids))}
    assert {"T3-ROW-SUM[row=new]", "T3-COL-SUM[col=natural]", "T3-BALANCE[col=total]"} <= names
    assert not any(n.startswith("T4-") for n in names)


def test_pingtan_real_runs():
    f21 = pipeline.extract(pipeline.read(shared_file(REAL / "pingtan-2021.txt")))
    assert row(f21, "open") == [27, 0, 0, 2, 0, 1, 30] and "t3" not in f21.not_assessable
    f22 = pipeline.extract(pipeline.read(shared_file(REAL / "pingtan-2022.txt")))
    assert [f22.number(f"t2.norm.{c}") for c in ("issued", "repealed", "in_force")] == [88, 55, 698]
    assert not f22.not_assessable
    f23 = pipeline.extract(pipeline.read(shared_file(REAL / "pingtan-2023.txt")))
    assert [(s.field, s.value, s.outcome) for s in f23.stated_figures if s.outcome == "no_split"] == [
        ("t2.norm.in_force", 393, "no_split")]
    assert "t3" not in f23.not_assessable and "t2" in f23.not_assessable


T4_HEAD = ("四、政府信息公开行政复议、行政诉讼情况行政复议 行政诉讼 结果维持结果纠正其他结果尚未审结总计 未经复议直接起诉 复议后起诉 "
           "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计 ")


def test_a_stated_figure_the_row_sums_rule_out_settles_nothing():
    """“10203120001200000” (pingtan-2021's 表四): a split with 行政复议 结果维持 10 exists, but none of those
    keeps the blocks' sums; the sums settle the run (维持 1) and the text's 10 is kept as contradicting it."""
    fields = extract(document(para("一、总体情况 本年度行政复议结果维持10件。"), para(T4_HEAD + "10203120001200000 五、"),
                              year=2021))
    assert [fields.number(f"t4.review.{c}") for c in ("upheld", "corrected", "other", "pending", "total")] == [1, 0, 2, 0, 3]
    stated = {s.field: s for s in fields.stated_figures}
    assert stated["t4.review.upheld"].value == 10 and stated["t4.review.upheld"].outcome == "no_split"
    assert "T4-SUM[block=review]" in fields.identities_used
    assert "figures the body text states" not in fields["t4.review.upheld"].origin.en


def test_a_clause_naming_two_rows_states_no_cell():
    body = "本年制发规章和行政规范性文件共88件。现行有效的行政规范性文件共698件。"
    fields = extract(document(para(body), para(crawled_t2("8855698")), year=2022))
    assert [s.field for s in fields.stated_figures] == ["t2.norm.in_force"]
    assert fields["t2.norm.issued"].kind is ValueKind.UNREADABLE  # 698 alone leaves several splits


def test_inspect_text_shows_settled_runs_and_stated_figures():
    from audit.inspect import inspect_text

    body = "本机关今年新制发行政规范性文件77件，库中现行有效的行政规范性文件共393件。"
    doc = document(para("一、总体情况" + body), para(crawled_t2("77132470")), year=2023)
    out = inspect_text(doc, extract(doc))
    assert "stated t2.norm.in_force = 393 (no_split, run “77132470”)" in out
    doc = document(para(crawled_t3("2021", T3_2021) + " 四、"), year=2021)
    assert "settled t3.open.natural … (7 cells): run-together digits “270020130” resolved by" in inspect_text(doc, extract(doc))


def _random_t3(rng, defect: bool) -> dict[str, list[int]]:
    """A 表三 whose sums hold (or, with ``defect``, one cell off by a little: the sums then fail)."""
    t3 = schema.load("2021").table("t3")
    results = [r.id for r in t3.rows if not r.optional and r.id not in ("new", "carried_in", "result_total", "carried_out")]
    vals: dict[str, list[int]] = {}
    for r in results:
        row = [rng.choice([0, 0, rng.randint(1, 80)])] + [rng.choice([0] * 6 + [rng.randint(1, 30)]) for _ in range(5)]
        vals[r] = row + [sum(row)]
    total = [sum(vals[r][i] for r in results) for i in range(7)]
    out = [rng.choice([0, 0, 1]) for _ in range(6)]
    out.append(sum(out))
    vals.update(result_total=total, carried_out=out, carried_in=[0] * 7, new=[t + o for t, o in zip(total, out)])
    if defect:
        vals[rng.choice(list(vals))][rng.randrange(7)] += rng.choice([1, 2, 10])
    return vals


def test_run_together_tables_are_never_read_wrong():
    """Every row of 表三 run together with no space: a cell is read right or not at all, never guessed; on a
    table whose sums hold most runs are settled."""
    import random

    rng = random.Random(14)
    for defect in (False, True):
        wrong = settled = unread = 0
        for _ in range(12):
            vals = _random_t3(rng, defect)
            fields = extract(document(para(crawled_t3("2021", {r: "".join(map(str, v)) for r, v in vals.items()}) + " 四、"),
                                      year=2021))
            for r, v in vals.items():
                for c, x in zip(T3_COLS, v):
                    got = fields[f"t3.{r}.{c}"]
                    if not got.is_number:
                        unread += 1
                    elif got.value != x:
                        wrong += 1
                    settled += got.origin is not None
        assert wrong == 0, defect
        if not defect:
            assert settled > 0.9 * (settled + unread)


def test_an_identity_used_to_split_is_not_checked_again():
    """The checks report an identity the tables stage used to settle a run as not independently assessable;
    the balance, which chose nothing, is still checked."""
    from audit.checks import load_rules, run

    doc = document(para(crawled_t3("2021", T3_2021) + " 四、"), year=2021)
    fields = extract(doc)
    checks = {c.rule_id: c for c in run(doc, fields, load_rules())[1]}
    assert checks["T3-COL-SUM"].outcome.value == "not_assessable"
    assert "连写数字的拆分" in checks["T3-COL-SUM"].reason.zh
    assert checks["T3-BALANCE"].outcome.value == "pass"
