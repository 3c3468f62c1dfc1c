"""A generated archive for batch benchmarks (issue 7): hundreds of reports of both formats and every
input kind, two consecutive years for most agencies, injected defects (single-report ones, carry-over
breaks, section 五 copied from last year or from another agency), a few corrupt files, and
``manifest.json`` with the truth about every file."""
from __future__ import annotations

import csv
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from .agencies import DEPARTMENTS, agency_from_name, random_agency
from .bad_files import bad_files
from .defects import SINGLE_REPORT_KINDS, DefectRecord, applicable, inject
from .manifest import dumps, entry
from .render import EXTENSIONS, RenderJob, render, render_many
from .spec import ReportSpec, consolidated_report, random_report, report_series

YEAR_PAIRS = [(2019, 2020), (2020, 2021), (2021, 2022), (2022, 2023), (2023, 2024)]
KIND_WEIGHTS = {"pdf": 40, "html": 25, "txt": 20, "docx": 15}
LAYOUT_WEIGHTS = {"plain": 60, "page_break_t3": 8, "wrapped_labels": 6, "blank_cells": 6, "spaced_labels": 5,
                  "repeated_header": 4, "borderless": 4, "org_total": 4, "old_other_row": 3}


@dataclass
class Planned:
    spec: ReportSpec
    series: int  # index of the agency's series
    defects: list[DefectRecord] = field(default_factory=list)
    kind: str = "pdf"
    layout: str = "plain"
    path: str = ""


def plan(n: int, seed: int) -> list[Planned]:
    """The reports of an archive of about ``n`` reports (before rendering)."""
    rng = random.Random(f"archive:{seed}")
    planned: list[Planned] = []
    names: set[str] = set()
    series = 0
    while len(planned) < n:
        agency = random_agency(rng)
        if agency.name in names:
            continue
        names.add(agency.name)
        years = rng.choice(YEAR_PAIRS)
        if rng.random() < 0.15 or len(planned) == n - 1:
            years = (years[1],)
        for spec in report_series(agency, list(years), seed=rng.randrange(10**6)):
            planned.append(Planned(spec, series))
        series += 1
    for p in planned:
        p.kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        layouts = [lay for lay in LAYOUT_WEIGHTS if lay != "old_other_row" or p.spec.format == "2021"]
        p.layout = rng.choices(layouts, weights=[LAYOUT_WEIGHTS[lay] for lay in layouts])[0]
    _inject(planned, rng)
    return planned


def _inject(planned: list[Planned], rng: random.Random) -> None:
    """About a quarter of the reports get one single-report defect; among second years of a series,
    some break the carry-over and some copy last year's section 五; a few copy another agency's."""
    by_series: dict[int, list[Planned]] = {}
    for p in planned:
        by_series.setdefault(p.series, []).append(p)
    for p in planned:
        mates = by_series[p.series]
        prev = mates[0] if len(mates) == 2 and mates[1] is p else None
        roll = rng.random()
        if prev is not None and roll < 0.08:
            p.spec, rec = inject(p.spec, "carry_over_break", rng.randrange(10**6), previous=prev.spec)
        elif prev is not None and roll < 0.16:
            p.spec, rec = inject(p.spec, "copied_section", source=prev.spec)
        elif 0.16 <= roll < 0.20:
            other = rng.choice([q for q in planned if q.series != p.series])
            p.spec, rec = inject(p.spec, "copied_section", source=other.spec)
        elif 0.20 <= roll < 0.42:
            kinds = [k for k in SINGLE_REPORT_KINDS if applicable(p.spec, k)]
            p.spec, rec = inject(p.spec, rng.choice(kinds), rng.randrange(10**6))
        else:
            continue
        p.defects.append(rec)


def consolidated_groups(planned: list[Planned], groups: int, rng: random.Random) -> list[tuple[str, str]]:
    """Add ``groups`` governments with three member departments each (one year), the government's
    report the sum of its members'; the second group's government breaks that sum. Returns the
    (member, government) pairs for the agency map."""
    pairs = []
    names = {p.spec.meta.agency for p in planned}
    series = max((p.series for p in planned), default=-1) + 1
    for g in range(groups):
        gov = random_agency(rng, rng.choice(["county", "district"]))
        while any(name.startswith(gov.place) for name in names):  # a place of its own: no name clashes
            gov = random_agency(rng, rng.choice(["county", "district"]))
        year = rng.choice([2020, 2022, 2023])
        depts = rng.sample([d for d, _ in DEPARTMENTS if d != "人民政府办公室"], 3)
        members = [random_report(None, rng.randrange(10**6), agency=agency_from_name(gov.place + d), year=year)
                   for d in depts]
        spec = consolidated_report(gov, members, rng.randrange(10**6))
        group = [Planned(m, series + i) for i, m in enumerate(members)] + [Planned(spec, series + len(members))]
        series += len(group)
        if g == 1:
            group[-1].spec, rec = inject(spec, "consolidation_break", rng.randrange(10**6))
            rec.detail["members"] = [m.meta.agency for m in members]
            group[-1].defects.append(rec)
        for p in group:
            p.kind = rng.choice(["pdf", "html", "txt", "docx"])
        planned += group
        names |= {p.spec.meta.agency for p in group}
        pairs += [(m.meta.agency, gov.name) for m in members]
    return pairs


def write_archive(out: "str | Path", n: int = 500, seed: int = 1, corrupt: int = 3, groups: int = 2,
                  fields: bool = True) -> dict:
    """Write about ``n`` reports, ``groups`` consolidated governments with their members (declared in
    ``agency_map.csv``), ``corrupt`` (0–6) bad files and ``manifest.json``; returns the manifest (with timings)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    planned = plan(max(0, n - 4 * groups), seed)
    members = consolidated_groups(planned, groups, random.Random(f"groups:{seed}"))
    with open(out / "agency_map.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([("name", "agency", "member_of"), *((m, "", g) for m, g in members)])
    jobs = []
    for p in planned:
        stem = f"{p.spec.meta.agency}{p.spec.meta.year}年报告"
        p.path = f"{p.spec.meta.year}/{stem}{EXTENSIONS[p.kind]}"
        jobs.append(RenderJob(p.spec, p.kind, p.layout, stem))
    t_plan = time.perf_counter() - t0
    by_year: dict[int, list[int]] = {}
    for i, p in enumerate(planned):
        by_year.setdefault(p.spec.meta.year, []).append(i)
    for year, idx in sorted(by_year.items()):
        render_many([jobs[i] for i in idx], out / str(year))
    t_render = time.perf_counter() - t0 - t_plan
    rng = random.Random(f"corrupt:{seed}")
    first_pdf = next((out / p.path for p in planned if p.kind == "pdf"), None)
    good_pdf = first_pdf.read_bytes() if first_pdf else render(planned[0].spec, "pdf", "borderless")
    bad = []
    for name, data, reason in bad_files(planned[0].spec, good_pdf, rng)[:corrupt]:
        (out / "corrupt").mkdir(exist_ok=True)
        (out / "corrupt" / name).write_bytes(data)
        bad.append({"file": f"corrupt/{name}", "reason": reason})
    manifest = {
        "about": "Archive written by corpora.generator (python -m corpora.generator archive). Each report: file, "
                 "kind, format, layout, meta, claims, defects (truth records) and expected_fields.",
        "seed": seed,
        "n": len(planned),
        "reports": [dict(entry(p.spec, p.path, p.kind, p.layout, fields=fields, defects=p.defects), series=p.series)
                    for p in planned],
        "corrupt": bad,
        "agency_map": "agency_map.csv",
        "consolidated": [{"government": g, "members": [m for m, g2 in members if g2 == g]}
                         for g in dict.fromkeys(g for _, g in members)],
        "timings": {"plan_s": round(t_plan, 2), "render_s": round(t_render, 2),
                    "n_pdf": sum(p.kind == "pdf" for p in planned)},
    }
    (out / "manifest.json").write_text(dumps(manifest), encoding="utf-8")
    return manifest
