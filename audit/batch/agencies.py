"""Matching agencies across reports: a normalised name, a CSV override, and who belongs to a government.

Normalisation (:func:`normalise`), in order: Unicode NFKC (full-width letters and digits, compatibility
forms); traditional characters to simplified (OpenCC t2s); whitespace, punctuation and brackets dropped;
a leading year (``2023年``, ``2023年度``) and a trailing report title (``…政府信息公开工作年度报告``) dropped;
the long forms of common abbreviations (``管委会`` → ``管理委员会``, ``政府办`` → ``人民政府办公室``,
``青山区政府`` → ``青山区人民政府``).
Two reports are the same agency when their keys are equal.

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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from audit.errors import AuditError

_YEAR = re.compile(r"^(19|20)\d\d年度?")
_TITLE = re.compile(r"(关于)?(\d{4}年度?)?(政府信息公开|信息公开)(工作)?(年度)?报告$")
_DROP = re.compile(r"[\s\u3000·•・,，.。、;；:：!！?？'\"“”‘’()（）\[\]【】<>《》〈〉{}—\-_/|]+")
ABBREVIATIONS = ((re.compile("管委会"), "管理委员会"), (re.compile("(?<!人民)政府办(?!公)"), "人民政府办公室"),
                 (re.compile("(?<![人民])(?<=[市县区])政府$"), "人民政府"))
GOVERNMENT_SUFFIXES = ("人民政府", "管理委员会")


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
    s = _YEAR.sub("", s)
    s = _TITLE.sub("", s)
    for short, long in ABBREVIATIONS:
        s = short.sub(long, s)
    return s


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


_PLACE = re.compile(r"^(?:[\u4e00-\u9fff]{1,8}?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|地区|县|区|旗))+")


def region_of(agency: str | None) -> str | None:
    """The place an agency belongs to, from its name: 青山区教育局 → 青山区, 某某省某某市财政局 → 某某省某某市;
    None when the name starts with no place (市场监督管理局)."""
    if not agency:
        return None
    m = _PLACE.match(agency)
    return m.group(0) if m else None
