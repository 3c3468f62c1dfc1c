"""``ReportSpec``: everything one synthetic report says, before it is rendered.

A spec holds the metadata, every cell value of tables 二, 三 and 四 (all identities of the format
holding), the narrative with the text figures it states, and the seed the layouts draw from. What a
renderer shows for a cell (a blank, “—”, an eighth 小计 column …) depends on the layout, so
``expected_fields(layout)`` gives the truth for a rendering.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from . import narrative, values
from .agencies import Agency, agency_from_name, random_agency
from .formats import T3_COLS, field_ids, format_for_year, t3_rows
from .layout import Layout, blank_cells
from .narrative import Narrative, TextClaim


@dataclass(frozen=True)
class ReportMeta:
    agency: str
    agency_kind: str
    level: str  # "government" (consolidated, 31 March) | "department" (31 January)
    year: int
    published: dt.date
    title: str
    office: str  # who compiled and issued it
    site: str
    phone: str

    @property
    def deadline(self) -> dt.date:
        return dt.date(self.year + 1, 3 if self.level == "government" else 1, 31)


@dataclass
class ReportSpec:
    format: str  # "2019" | "2021": the format the tables are laid out in
    seed: int
    meta: ReportMeta
    agency: Agency
    values: dict[str, int | Decimal]  # every field id of the format → value
    narrative: Narrative
    dropped_rows: tuple[str, ...] = ()  # table 三 row ids left out of the rendering (a missing_row defect)

    @property
    def claims(self) -> list[TextClaim]:
        return self.narrative.claims

    def copy(self, **changes) -> "ReportSpec":
        """A deep enough copy to change values, meta or narrative without touching this spec."""
        nar = self.narrative
        new = dataclasses.replace(
            self, values=dict(self.values),
            narrative=dataclasses.replace(nar, preamble=list(nar.preamble), claims=list(nar.claims),
                                          sections=[dataclasses.replace(s, paragraphs=list(s.paragraphs))
                                                    for s in nar.sections]))
        return dataclasses.replace(new, **changes) if changes else new

    def layout(self, layout: "str | Layout") -> Layout:
        return layout if isinstance(layout, Layout) else Layout.parse(layout, self.format)

    def cell_text(self, layout: "str | Layout" = "plain") -> dict[str, str]:
        """Every field id → the text its cell shows in a rendering with this layout."""
        lay = self.layout(layout)
        out = {fid: _show(self.value(fid, lay)) for fid in self.field_ids(lay)}
        out.update(blank_cells(self, lay))
        return out

    def field_ids(self, layout: "str | Layout" = "plain") -> list[str]:
        lay = self.layout(layout)
        ids = field_ids(self.format, old_other_row=lay.old_other_row, org_total=lay.org_total)
        if self.dropped_rows:
            ids = [f for f in ids if not any(f.startswith(f"t3.{r}.") and f.count(".") == r.count(".") + 2
                                             for r in self.dropped_rows)]
        return ids

    def value(self, fid: str, layout: "str | Layout" = "plain") -> int | Decimal:
        """A field's value, including the fields only some layouts show (org_total, the single other row)."""
        if fid in self.values:
            return self.values[fid]
        table, *row, col = fid.split(".")
        row = ".".join(row)
        if col == "org_total":
            if row == "other" and self.format == "2021":
                return sum(self.value(f"t3.other.{c}") for c in values.T3_ORG_COLS)
            return sum(self.value(f"t3.{row}.{c}") for c in values.T3_ORG_COLS)
        if row == "other" and table == "t3":
            return sum(self.values[f"t3.other.{sub}.{col}"] for sub in ("no_correction", "no_fee", "other"))
        raise KeyError(fid)

    def expected_fields(self, layout: "str | Layout" = "plain") -> dict[str, int | Decimal | None]:
        """The value every cell carries as rendered: a number, or None for a blank / “—” / “/” / “无” cell."""
        lay = self.layout(layout)
        blanks = blank_cells(self, lay)
        return {fid: None if fid in blanks else self.value(fid, lay) for fid in self.field_ids(lay)}

    def expected_raw(self, layout: "str | Layout" = "plain") -> dict[str, str]:
        """The raw text of every cell as rendered ('' for an empty cell)."""
        return self.cell_text(layout)


def _show(v: int | Decimal) -> str:
    return str(v)


def _published(rng: random.Random, year: int, level: str) -> dt.date:
    last = 31 + (28 if level == "government" else 0) + (31 if level == "government" else 0)
    return dt.date(year + 1, 1, 1) + dt.timedelta(days=rng.randint(4, last - 1))


def _title(rng: random.Random, agency: str, year: int) -> str:
    return rng.choice([f"{agency}{year}年政府信息公开工作年度报告", f"{agency}{year}年度政府信息公开工作年度报告",
                       f"{year}年{agency}政府信息公开工作年度报告"])


def _site(rng: random.Random) -> str:
    letters = "abcdefghjklmnpqrstwxyz"
    return "http://www." + "".join(rng.choice(letters) for _ in range(rng.randint(2, 4))) + ".gov.cn"


def _phone(rng: random.Random) -> str:
    return f"0{rng.randint(510, 599)}-{rng.randint(22000000, 28999999)}"


def random_report(format: str | None = None, seed: int = 0, *, agency: str | Agency | None = None,
                  year: int | None = None, level: str | None = None, previous: ReportSpec | None = None) -> ReportSpec:
    """A consistent report. ``format`` "2019"/"2021" (default: the year's format); ``agency`` a name or an
    Agency (default: invented from the seed); ``year`` default 2020 for 2019, 2022 for 2021 format;
    ``level`` "government"/"department" picks an invented agency of that level; ``previous``: last year's
    spec of the same agency (carry-over, in_force continuity and section 五's rectification follow it)."""
    rng = random.Random(f"report:{format}:{seed}:{agency}:{year}")
    if year is None:
        year = previous.meta.year + 1 if previous else (2020 if format in (None, "2019") else rng.choice([2021, 2022, 2023, 2024]))
    fmt = format or format_for_year(year)
    if isinstance(agency, Agency):
        ag = agency
    elif agency:
        ag = agency_from_name(agency)
    elif previous is not None:
        ag = previous.agency
    else:
        kinds = {"government": ["city", "county", "district"], "department": ["department", "town", "subdistrict"]}
        ag = random_agency(rng, rng.choice(kinds[level]) if level else None)
    carried_in = None
    prev_values = None
    if previous is not None:
        carried_in = {c: previous.values[f"t3.carried_out.{c}"] for c, _ in T3_COLS if c != "total"}
        prev_values = previous.values if previous.format == "2021" == fmt else None
    vals: dict[str, int | Decimal] = {}
    vals.update(values.table2(rng, ag, fmt, prev_values))
    vals.update(values.table3(rng, ag, fmt, carried_in))
    vals.update(values.table4(rng, ag))
    site = previous.meta.site if previous else _site(rng)
    phone = previous.meta.phone if previous else _phone(rng)
    nar = narrative.write(rng, ag, fmt, year, vals, site=site, phone=phone,
                          last_problems=previous.narrative.problems if previous else None)
    meta = ReportMeta(agency=ag.name, agency_kind=ag.kind, level=ag.level, year=year,
                      published=_published(rng, year, ag.level), title=_title(rng, ag.name, year),
                      office=ag.office, site=site, phone=phone)
    return ReportSpec(format=fmt, seed=seed, meta=meta, agency=ag, values=vals, narrative=nar)


def report_series(agency: str | Agency | None, years: list[int] | range, seed: int = 0) -> list[ReportSpec]:
    """Consecutive annual reports of one agency: carried_in(N) = carried_out(N−1) per column, and
    in_force(N) = in_force(N−1) + issued(N) − repealed(N) between 2021-format years."""
    out: list[ReportSpec] = []
    prev = None
    if agency is None:
        agency = random_agency(random.Random(f"series:{seed}"))
    for y in years:
        prev = random_report(format_for_year(y), seed, agency=agency, year=y, previous=prev)
        out.append(prev)
    return out


def t3_row_ids(spec: ReportSpec, layout: "str | Layout" = "plain") -> list[str]:
    """The table 三 rows a rendering shows, in order."""
    lay = spec.layout(layout)
    return [r.row for r in t3_rows(spec.format, old_other_row=lay.old_other_row) if r.row not in spec.dropped_rows]


def consolidated_report(government: Agency, members: list[ReportSpec], seed: int = 0) -> ReportSpec:
    """A government's consolidated report whose every table field is the sum over its members' reports
    (all of one year and format), as report-format.md's identity 8 wants it."""
    first = members[0]
    if government.level != "government" or any((m.meta.year, m.format) != (first.meta.year, first.format)
                                               for m in members):
        raise ValueError("a consolidated report pools member reports of one year and format into a government's")
    vals = {f: sum((m.values[f] for m in members), start=first.values[f] * 0) for f in first.values}
    rng = random.Random(f"consolidated:{seed}:{government.name}:{first.meta.year}")
    year = first.meta.year
    site, phone = _site(rng), _phone(rng)
    nar = narrative.write(rng, government, first.format, year, vals, site=site, phone=phone)
    meta = ReportMeta(agency=government.name, agency_kind=government.kind, level=government.level, year=year,
                      published=_published(rng, year, government.level), title=_title(rng, government.name, year),
                      office=government.office, site=site, phone=phone)
    return ReportSpec(format=first.format, seed=seed, meta=meta, agency=government, values=vals, narrative=nar)
