"""Invented agency names of every kind that publishes a report: governments, departments, towns.

Names are built from syllables so an archive of hundreds of agencies rarely repeats one; the kind decides
the report's level (a consolidated government report has until 31 March, everyone else 31 January) and
whether 规章 may appear (only governments of cities divided into districts).
"""
from __future__ import annotations

import random
from dataclasses import dataclass

_FIRST = "青临安平永清宁泉江溪阳丰和兴华新云龙石桥林明德长乐福嘉金玉白凤鹤松"
_SECOND = "山川原城河湖浦溪阳宁安丰源泽湾岭口州滨峰田台塘林桥沙"
_TOWN_FIRST = "东西南北上下大小前后新古高双石马梅竹莲枫桃杏柳"
_TOWN_SECOND = "坑埔岭洋头桥塘湾店坝庄营寨口浦厝"

# (department name, how many applications and decisions it sees: a factor on the county scale)
DEPARTMENTS: tuple[tuple[str, float], ...] = (
    ("人民政府办公室", 0.5), ("发展和改革局", 0.3), ("教育局", 0.4), ("公安局", 0.8),
    ("民政局", 0.3), ("司法局", 0.2), ("财政局", 0.3), ("人力资源和社会保障局", 0.5),
    ("自然资源局", 1.0), ("生态环境局", 0.5), ("住房和城乡建设局", 0.9), ("交通运输局", 0.4),
    ("水利局", 0.2), ("农业农村局", 0.3), ("商务局", 0.2), ("文化和旅游局", 0.2),
    ("卫生健康委员会", 0.4), ("应急管理局", 0.3), ("市场监督管理局", 0.6), ("统计局", 0.1),
    ("医疗保障局", 0.2), ("城市管理局", 0.4), ("退役军人事务局", 0.1), ("行政审批服务局", 0.4),
)


@dataclass(frozen=True)
class Agency:
    """Who publishes the report."""

    name: str  # 发布机关, e.g. 青山区人民政府, 临江县教育局, 青山区东坑街道办事处
    kind: str  # "city" | "county" | "district" | "department" | "town" | "subdistrict"
    level: str  # "government" (consolidated report, 31 March) | "department" (31 January)
    place: str  # the county-level place the agency belongs to, e.g. 青山区
    office: str  # who compiles the report, e.g. 青山区人民政府办公室
    scale: float  # rough size of its workload, 1.0 = an average county government

    @property
    def short(self) -> str:
        """How the agency refers to itself in its own text (我区, 我局, 我委, 本街道 …)."""
        own = {"city": "我市", "county": "我县", "district": "我区", "town": "我镇", "subdistrict": "本街道"}
        if self.kind in own:
            return own[self.kind]
        for ending, short in (("委员会", "我委"), ("办公室", "我办"), ("局", "我局")):
            if self.name.endswith(ending):
                return short
        return "本机关"

    @property
    def may_issue_regulations(self) -> bool:
        """Only governments of 设区的市 (and above) make 规章."""
        return self.kind == "city"


def place_name(rng: random.Random) -> str:
    return rng.choice(_FIRST) + rng.choice(_SECOND)


def random_agency(rng: random.Random, kind: str | None = None) -> Agency:
    """An invented agency; ``kind`` one of the Agency kinds, or None for a realistic mix."""
    if kind is None:
        kind = rng.choices(["city", "county", "district", "department", "town", "subdistrict"],
                           weights=[1, 2, 2, 8, 2, 2])[0]
    base = place_name(rng)
    if kind == "city":
        place = base + "市"
        return Agency(place + "人民政府", kind, "government", place, place + "人民政府办公室", 3.0)
    county = base + rng.choice("区县") if kind != "county" and kind != "district" else base + ("县" if kind == "county" else "区")
    if kind in ("county", "district"):
        return Agency(county + "人民政府", kind, "government", county, county + "人民政府办公室",
                      round(rng.uniform(0.6, 1.6), 2))
    if kind == "department":
        dept, factor = rng.choice(DEPARTMENTS)
        name = county + dept
        office = name if dept == "人民政府办公室" else name + "办公室"
        return Agency(name, kind, "department", county, office, factor)
    town = rng.choice(_TOWN_FIRST) + rng.choice(_TOWN_SECOND)
    if kind == "town":
        name = f"{county}{town}镇人民政府"
        return Agency(name, kind, "department", county, f"{county}{town}镇党政办公室", 0.08)
    if kind == "subdistrict":
        name = f"{county}{town}街道办事处"
        return Agency(name, kind, "department", county, f"{county}{town}街道党政办公室", 0.1)
    raise ValueError(f"unknown agency kind {kind!r}")


def agency_from_name(name: str) -> Agency:
    """An Agency for a given name, its kind guessed from the ending."""
    if name.endswith("街道办事处"):
        kind = "subdistrict"
    elif name.endswith("镇人民政府") or name.endswith("乡人民政府"):
        kind = "town"
    elif name.endswith("市人民政府"):
        kind = "city"
    elif name.endswith("县人民政府"):
        kind = "county"
    elif name.endswith("区人民政府"):
        kind = "district"
    else:
        kind = "department"
    level = "government" if kind in ("city", "county", "district") else "department"
    place = name
    for sep in ("区", "县", "市"):
        i = name.find(sep)
        if 0 < i < len(name) - 1 or name.endswith(sep + "人民政府"):
            place = name[: i + 1]
            break
    scale = {"city": 3.0, "county": 1.0, "district": 1.0, "department": 0.4, "town": 0.08, "subdistrict": 0.1}[kind]
    if kind in ("town", "subdistrict"):
        office = name.replace("人民政府", "").replace("办事处", "") + "党政办公室"
    else:
        office = name if name.endswith("办公室") else name + "办公室"
    return Agency(name, kind, level, place, office, scale)
