"""Matching agencies across reports: one agency however its reports print its name, a CSV override, and
who belongs to a government.

**A name** (:func:`normalise`), in order: Unicode NFKC (full-width letters and digits, compatibility
forms); traditional characters to simplified (OpenCC t2s); whitespace, punctuation and brackets dropped;
a leading year (``2023年``, ``2023年度``), a trailing report title (``…政府信息公开工作年度报告``) and a
trailing date (a signature's ``2024年1月20日``) dropped; abbreviations written out: those of
:func:`audit.document.meta.expand_agency` (``科委``, ``发改委``, ``人社局`` …) and ``管委会`` → ``管理委员会``,
``政府办``/``政府办公室`` → ``人民政府办公室``, ``政府办公厅`` → ``人民政府办公厅``, ``青山区政府`` → ``青山区人民政府``.
So the title's, a heading's or a signature's way of printing the name all give the same text.

**An identity** (:func:`identify`): the name's region prefixes and its core. A prefix is a province- or
prefecture-level place (``江苏省``, ``淮安市``, ``…自治州``) that another place follows; the core is the
agency within its nearest place: ``江苏省淮安市洪泽区人民政府`` is (``江苏省``, ``淮安市``) + ``洪泽区人民政府``;
``淮安市人民政府`` and ``淮安市发展和改革委员会`` have no prefix (淮安市 is their own place). A place alone
is its government: ``洪泽区`` → ``洪泽区人民政府``, a zone (``平潭综合实验区``, ``…开发区``) → ``…管理委员会``.

The level is part of the core, so these are different agencies: ``洪泽区人民政府`` (the consolidated report of
the district) and ``洪泽区发展和改革局`` (a department); ``洪泽区人民政府`` and ``洪泽区人民政府办公室`` (the
government's general office publishes its own report as a department, apart from the government's). Only
the ways of writing one name (政府 = 人民政府, 政府办 = 人民政府办公室, 管委会 = 管理委员会) are one agency.

**One agency across a run** (:class:`Agencies`): reports with the same core are one agency when their
prefixes agree: ``洪泽区人民政府`` (2023) and ``淮安市洪泽区人民政府`` (2024) are one; ``南京市鼓楼区人民政府``
and ``福州市鼓楼区人民政府`` are two (the same core, different cities). A name without prefixes that two such
agencies share joins the one whose place names its own text mentions (淮安 in a report of 洪泽区), else it
stays on its own: a wrong link would hide copying between two agencies and compare one agency's figures
with another's. The agency's key is its fullest name: every prefix the linked reports print, outermost
first, then the core (``淮安市洪泽区人民政府``). Places are recognised by their suffixes without a gazetteer,
and the provinces by their short names too (``江苏淮安市…`` = ``江苏省淮安市…``): a region printed some
other way is matched through the mapping below.

The mapping CSV (``--agency-map``; UTF-8, header row) overrides and completes it:

    name,agency,member_of
    平潭综合实验区管委会,平潭综合实验区管理委员会,
    青山区教育局,,青山区人民政府

``name`` is a name as reports write it (it is normalised before lookup); ``agency`` the canonical name its
reports are matched under (blank: its own); ``member_of`` the government whose consolidated report pools
this agency (blank: not declared).

Members of a consolidated report (``meta.level == "government"``, e.g. 青山区人民政府) are the agencies the
mapping declares ``member_of`` it. CONS-SUM runs only then, and only when every declared member's report
of that year is in the run (else it is not assessable and names the missing ones): a report cannot tell
which agencies a government pools, and a sum over an incomplete or accidental membership would be a false
error. Without a declaration the check is not assessable, and its reason lists the reports that look like
members by name (same year, department level, key starting with the government's place name: 青山区 for
青山区人民政府, so 青山区教育局, 青山区东坑街道办事处) as a starting point for the mapping.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from audit.document.meta import expand_agency
from audit.errors import AuditError
from audit.model import Text
from audit.vocab import DEPARTMENT_ABBREVIATIONS

_YEAR = re.compile(r"^(19|20)\d\d年度?")
_TITLE = re.compile(r"(关于)?(\d{4}年度?)?(政府信息公开|信息公开)(工作)?(年度)?报告$")
_DATE = re.compile(r"(19|20)\d\d年\d{1,2}月(\d{1,2}日)?$")
_DROP = re.compile(r"[\s\u3000·•・,，.。、;；:：!！?？'\"“”‘’()（）\[\]【】<>《》〈〉{}—\-_/|]+")
ABBREVIATIONS = tuple((re.compile(f"{short}$"), full) for short, full in DEPARTMENT_ABBREVIATIONS.items()) + (
                 (re.compile("管委会"), "管理委员会"),
                 (re.compile("(?<!人民)政府办公厅"), "人民政府办公厅"),
                 (re.compile("(?<!人民)政府办(?:公室)?"), "人民政府办公室"),
                 (re.compile("(?<![人民])(?<=[省市州县区旗盟])政府$"), "人民政府"))
GOVERNMENT_SUFFIXES = ("人民政府", "管理委员会")

# ------------------------------------------------------------------------------------------- places
#: a place at the start of a name: its name (two characters or more; one before 县: 涉县) and its suffix
_PLACE = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,12}?)(?P<suffix>特别行政区|自治区|自治州|自治县|自治旗|地区"
                    r"|省|市|州|盟|县|区|旗)|(?P<name1>[\u4e00-\u9fff])(?P<suffix1>县)")
#: suffixes of the places that can stand before another place (a province, a prefecture)
_UPPER = {"特别行政区": 1, "自治区": 1, "省": 1, "自治州": 2, "地区": 2, "市": 2, "州": 2, "盟": 2}
#: words no place name holds: an organ's (局, 委员会, 办公室 …), a conjunction (住房和城乡建设局)
_NOT_A_PLACE = re.compile(r"人民|政府|办公|委员|管理|机关|中心|公司|[局厅委部会处院所署站队及与的和]")
_HE_PLACES = re.compile(r"^和|呼和浩特|和林格尔|和布克赛尔")  # places with 和 in their name
#: zones named without a place of their own (经济技术开发区 of whichever city): never a place by themselves
_GENERIC = re.compile(r"^(?:经济|高新|开发|工业|产业|综合|保税|出口|自贸|旅游|度假|示范|生态|科技|物流|临空|临港)")
#: province-level names printed without their suffix (江苏淮安经济技术开发区): the full name they stand for
PROVINCES = {n[:2] if not n.startswith(("内蒙古", "黑龙江")) else n[:3]: n for n in (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省",
    "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省",
    "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
    "香港特别行政区", "澳门特别行政区")}
_PROVINCE = re.compile("^(?:" + "|".join(sorted(PROVINCES, key=len, reverse=True)) + ")")
#: a place alone whose government is a committee (管理委员会), not a people's government
_ZONE = re.compile(r"(?:开发区|实验区|试验区|示范区|高新区|保税区|自贸区|合作区|度假区|园区|管理区|经济区)$")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def normalise(name: str | None) -> str:
    if not name:
        return ""
    s = unicodedata.normalize("NFKC", name)
    s = _t2s().convert(s)
    s = _DROP.sub("", s)
    s = _DATE.sub("", s)
    s = _YEAR.sub("", s)
    s = _TITLE.sub("", s)
    s = expand_agency(s)
    for short, long in ABBREVIATIONS:
        s = short.sub(long, s)
    return s


def place_at(text: str) -> tuple[str, str] | None:
    """The place a name starts with, as (place, suffix): 淮安市洪泽区… → (淮安市, 市); None for 人民政府办公室,
    市场监督管理局, 城市管理局, 住房和城乡建设局, 经济技术开发区管理委员会."""
    m = _PLACE.match(text)
    if not m:
        return None
    name, suffix = (m.group("name"), m.group("suffix")) if m.group("name") else (m.group("name1"), m.group("suffix1"))
    if _NOT_A_PLACE.search(_HE_PLACES.sub("", name)) or _GENERIC.match(name):
        return None
    return name + suffix, suffix


@dataclass(frozen=True)
class Identity:
    """An agency's name as region prefixes (outermost first) and the agency within its nearest place."""

    prefixes: tuple[str, ...]
    core: str

    @property
    def name(self) -> str:
        return "".join(self.prefixes) + self.core

    @property
    def ranks(self) -> dict[int, str]:
        """Prefix by level: 1 a province, 2 a prefecture."""
        return {_rank(p): p for p in self.prefixes}

    def places(self) -> list[str]:
        """The prefixes' bare place names (江苏, 淮安): what a report of the agency mentions in its text."""
        out = []
        for p in self.prefixes:
            hit = place_at(p)
            out.append(p[: -len(hit[1])] if hit else p)
        return out


def _rank(prefix: str) -> int:
    hit = place_at(prefix)
    return _UPPER.get(hit[1], 2) if hit else 2


@lru_cache(maxsize=4096)
def identify(name: str | None) -> Identity:
    """A name's identity (it is normalised first): 江苏省淮安市洪泽区政府 → (江苏省, 淮安市) + 洪泽区人民政府."""
    s = normalise(name)
    prefixes: list[str] = []
    while True:
        hit = place_at(s)
        short = _PROVINCE.match(s) if not prefixes else None
        if short and not (hit and hit[0] == PROVINCES[short.group(0)]) and s[short.end():][:1] not in "省市州县区旗盟地自":
            hit = (short.group(0), "")  # 江苏淮安市…: a province printed without its suffix
        if not hit or (hit[1] and hit[1] not in _UPPER):
            break
        rest = s[len(hit[0]):]
        after = place_at(rest) if rest else None
        if not after or (not hit[1] and after[0][: -len(after[1])].endswith("族")):
            break  # 吉林市人民政府 (no place after 吉林); 海南藏族自治州 (海南 is no province there)
        prefixes.append(PROVINCES[hit[0]] if not hit[1] else hit[0])
        s = rest
    hit = place_at(s)
    if hit and hit[0] == s:  # a place alone: its government
        s += "管理委员会" if _ZONE.search(s) else "人民政府"
    return Identity(tuple(prefixes), s)


def compatible(a: Identity, b: Identity) -> bool:
    """Same core, and no level at which both name a different place (淮安市 vs 苏州市)."""
    if a.core != b.core:
        return False
    ra, rb = a.ranks, b.ranks
    return all(ra[k] == rb[k] for k in ra.keys() & rb.keys())


def place_of(key: str) -> str | None:
    """A government's place name (青山区人民政府 → 青山区), None for a name that is no government's."""
    for suffix in GOVERNMENT_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return None


@dataclass
class AgencyMap:
    aliases: dict[str, str] = field(default_factory=dict)  # normalised name → canonical key
    members: dict[str, set[str]] = field(default_factory=dict)  # government key → declared member keys

    def key(self, name: str | None) -> str:
        n = normalise(name)
        return self.aliases.get(n, n)

    @classmethod
    def load(cls, path: str | Path | None) -> "AgencyMap":
        m = cls()
        if path is None:
            return m
        try:
            with open(path, newline="", encoding="utf-8-sig") as fh:
                rows = list(csv.DictReader(fh))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise AuditError(f"{path}: cannot read the agency map: {exc}") from None
        if rows and "name" not in rows[0]:
            raise AuditError(f"{path}: the agency map needs a 'name' column (and 'agency' and/or 'member_of')")
        for line, row in enumerate(rows, 2):
            name = normalise(row.get("name"))
            if not name:
                raise AuditError(f"{path}:{line}: empty name")
            canon = normalise(row.get("agency")) or name
            m.aliases[name] = canon
            m.aliases.setdefault(canon, canon)
        for row in rows:
            gov = normalise(row.get("member_of"))
            if gov:
                m.members.setdefault(m.key(gov), set()).add(m.key(row.get("name")))
        return m


# ------------------------------------------------------------------------------------ one run's agencies


@dataclass
class Printed:
    """What one report prints of its agency: its names (the title's, a heading's, the signature's; the one
    that decides first, the others adding region prefixes where they agree with it) and its text (to tell which of two same-named agencies a name without prefixes is)."""

    names: list[str]
    text: str = ""


@dataclass
class _Agency:
    core: str
    ranks: dict[int, str] = field(default_factory=dict)
    reports: list[str] = field(default_factory=list)

    @property
    def identity(self) -> Identity:
        return Identity(tuple(self.ranks[k] for k in sorted(self.ranks)), self.core)

    def takes(self, ident: Identity) -> bool:
        return compatible(self.identity, ident)


class Agencies:
    """The agencies of a run: which reports are one agency, and each one's key (:attr:`keys`)."""

    def __init__(self, amap: AgencyMap, reports: dict[str, Printed]):
        self.amap = amap
        self.identities: dict[str, Identity] = {rid: self._identity(p.names) for rid, p in reports.items()}
        self.keys: dict[str, str] = {}
        self.notes: dict[str, Text] = {}  # report → how its name was linked (or why it was not)
        self.agencies: dict[str, list[_Agency]] = {}  # core → its agencies
        by_core: dict[str, list[str]] = {}
        for rid in sorted(reports):
            if self.identities[rid].core:
                by_core.setdefault(self.identities[rid].core, []).append(rid)
        for core, rids in by_core.items():
            self.agencies[core] = self._link(core, rids, reports)
        for core, agencies in self.agencies.items():
            for a in agencies:
                for rid in a.reports:
                    self.keys[rid] = a.identity.name
        for rid in reports:
            self.keys.setdefault(rid, "")

    def _identity(self, names: list[str]) -> Identity:
        """The identity of a report's names: the first (mapped) one, with the prefixes of any other name
        that agrees with it (a title without the city, a signature with it)."""
        idents = [identify(self.amap.key(n)) for n in names if normalise(n)]
        if not idents:
            return Identity((), "")
        first = idents[0]
        ranks = first.ranks
        for other in idents[1:]:
            if compatible(Identity(tuple(ranks.values()), first.core), other):
                for k, v in other.ranks.items():
                    ranks.setdefault(k, v)
        return Identity(tuple(ranks[k] for k in sorted(ranks)), first.core)

    def _link(self, core: str, rids: list[str], reports: dict[str, Printed]) -> list[_Agency]:
        agencies: list[_Agency] = []
        # the fullest names first: a name with fewer prefixes joins an agency a fuller one has set up
        order = sorted(rids, key=lambda r: (-len(self.identities[r].prefixes), self.identities[r].name, r))
        for rid in order:
            ident = self.identities[rid]
            fits = [a for a in agencies if a.takes(ident)]
            if len(fits) > 1:
                text = reports[rid].text
                named = [a for a in fits if any(p and p in text for p in a.identity.places())]
                if len(named) == 1:
                    fits = named
                else:
                    names = [a.identity.name for a in fits]
                    self.notes[rid] = Text(f"{ident.name} 可能是 {'、'.join(names)} 中的任何一个，未与其关联（可用 --agency-map 指定）",
                                           f"{ident.name} could be any of {', '.join(names)}: not linked (say which with --agency-map)")
                    fits = []
            if fits:
                agency = fits[0]
                if ident.name != agency.identity.name:
                    self.notes[rid] = Text(f"{ident.name} 与 {agency.identity.name} 视为同一机关",
                                           f"{ident.name} and {agency.identity.name} taken as one agency")
                for k, v in ident.ranks.items():
                    agency.ranks.setdefault(k, v)
            else:
                agency = _Agency(core, dict(ident.ranks))
                agencies.append(agency)
            agency.reports.append(rid)
        return agencies

    def key_of_name(self, name: str | None) -> str:
        """The key a name (of a report in the run or not, e.g. a declared member) is matched by."""
        ident = identify(self.amap.key(name))
        fits = [a for a in self.agencies.get(ident.core, []) if a.takes(ident)]
        return fits[0].identity.name if len(fits) == 1 else ident.name


def printed_names(meta: dict) -> list[str]:
    """The agency's names a report's stored metadata prints: ``agency`` (the title's, else the signature's)
    first, as it decides the agency; then ``agency_full`` (the document stage's full name, where it records
    one: its region prefix completes the title's when the two agree, 洪泽区人民政府 + 淮安市) and
    ``agency_printed``; the title when none of them is there."""
    names = [meta.get(k) for k in ("agency", "agency_full", "agency_printed")]
    names = [n for n in dict.fromkeys(names) if n]
    return names or ([meta["title"]] if meta.get("title") else [])


def printed(reports: Iterable[tuple[str, dict, str]]) -> dict[str, Printed]:
    """``(report id, stored meta, text)`` → what each report prints of its agency."""
    return {rid: Printed(printed_names(meta or {}), text or "") for rid, meta, text in reports}


_REGION = re.compile(r"^(?:[\u4e00-\u9fff]{1,8}?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|地区|县|区|旗))+")


def region_of(agency: str | None) -> str | None:
    """The place an agency belongs to, from its name: 青山区教育局 → 青山区, 某某省某某市财政局 → 某某省某某市;
    None when the name starts with no place (市场监督管理局)."""
    if not agency:
        return None
    m = _REGION.match(agency)
    return m.group(0) if m else None
