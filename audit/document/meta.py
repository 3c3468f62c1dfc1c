"""What a report says about itself: agency, year, publication date, statistical period, format.

- **title** and **agency**: the report's title line (“泉港区人民政府 2020年政府信息公开工作年度报告”,
  “2024年上海市科委政府信息公开工作年度报告”), or a crawler's ``标题:`` header; the agency is the title's
  name before or after the year, a common abbreviation written out (市科委 → 市科学技术委员会);
  failing a title, the issuing office's signature above the closing date.
- **year**: the title's year, cross-checked with the statistical period (统计期限…); a disagreement is
  noted on the document (a finding for the checks to raise).
- **published** (and **published_from**, where it was read): an explicit 印发/发布 date (“2021年1月8日印发”);
  a labelled field, the publication labels first (发布日期/发布时间/公开日期/发文日期/印发日期/成文日期, in the page
  text or a 信息公开 header table), a bare 时间:/日期: header field after them, never a crawler's capture time
  (采集时间, 抓取时间, 下载时间, 爬取时间) nor an update time; a web page's publication ``<meta>`` (PubDate); the
  date line under the closing signature; ``None`` when the report gives none.
- **agency_printed** / **agency_full**: the name exactly as the title (else the signature) prints it, and the
  normalised full name: abbreviation written out, with the region prefix a heading line, the preamble or the
  signature prints before it (洪泽区人民政府 → 淮安市洪泽区人民政府). ``agency`` keeps its meaning (the title's
  name written out).
- **format_by_year**: 2019 format for the 2019 and 2020 reports, 2021 format after; ``format`` starts
  as that and the pipeline refines it from the table labels.
- **level**: ``government`` for a people's government of a county or above, or an area named on its own
  (平潭综合实验区), whose report is the consolidated one of its area (deadline 31 March); a zone's
  administrative committee (开发区管委会) only when its report says it pools its area (汇总, 全区各级行政机关…),
  else the level is unknown (``None``). Everyone else is ``department`` (deadline 31 January): towns (乡/镇)
  and sub-districts (街道), a government's office (人民政府办公室/办公厅), and commissions whose name merely
  ends in 管理委员会 (国有资产监督管理委员会, 城市管理委员会).
- **cited_notice**: the format notice the preamble cites, 〔2019〕60号 or 〔2021〕30号.
"""
from __future__ import annotations

import datetime as _dt
import re

from audit.model import Document, Meta, Paragraph, Section, Table
from audit.vocab import AGENCY_ABBREVIATIONS, AGENCY_ENDINGS, CN_DIGIT


def _meta_date_note() -> str:
    from audit.ingest.html import META_DATE_NOTE  # here, not at import: html pulls in bs4/soupsieve/lxml

    assert "<meta>" in META_DATE_NOTE  # the cheap test in the caller
    return META_DATE_NOTE

_YEAR = r"(?P<year>(?:19|20)\d{2})"
#: “<agency> 2020年(度)政府信息公开工作年度报告” or “2024年<agency>政府信息公开工作年度报告”
_TITLE = re.compile(
    rf"^(?:标题\s*[:：]\s*)?(?P<pre>[^\s，。；：:、“”《》]{{0,40}}?)\s*{_YEAR}\s*年\s*度?\s*"
    r"(?P<mid>[^\s，。；：:、“”《》]{0,40}?)\s*(?:政府信息公开|政务公开|信息公开)\s*(?:工作)?\s*(?:年度)?\s*报告"
)
_TITLE_FIELD = re.compile(r"^标题\s*[:：]\s*(.+)$")
_GOVERNMENT = re.compile(r"(?:人民政府|行政公署)$")
#: a zone's administrative committee (a commission that manages a sector, 国有资产监督管理委员会, is not one)
_ZONE_COMMITTEE = re.compile(r"(?:开发区|新区|园区|实验区|试验区|示范区|高新区|保税区|自贸区|合作区|度假区|景区|港区"
                             r"|经济区|管理区|林区|矿区)(?:管理委员会|管委会)$")
_REGION = re.compile(r"^[^局厅委办署院所站队]{2,20}(?<!社)(?<!小)(?:省|自治区|市|州|盟|县|区|旗|实验区|新区|开发区)$")
#: a report that pools its area's agencies (the consolidated report of a zone's committee)
_POOLED = re.compile(r"汇总|各级行政机关|所属(?:各)?部门|[区县市]属各?部门|本级政府|全(?:区|县|市|园区|新区)")
_TOWN = re.compile(r"(?:乡|镇|街道|街道办事处)(?:人民政府)?$")

_PERIOD = re.compile(
    r"统计(?:期限|周期|时限|区间|时间|范围)?[^。\d]{0,8}?"
    r"(?P<y1>(?:19|20)\d{2})\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日\s*(?:起)?\s*(?:至|到|—|－|-|~)\s*"
    r"(?:(?P<y2>(?:19|20)\d{2})\s*年\s*)?(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日"
)
_ISSUED = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*(?:印发|发布|公布)")
#: a labelled date field (a page's header, a document's 版记): the label says what the date is
_FIELD_DATE = re.compile(
    r"(?P<label>[\u4e00-\u9fff]{0,4}(?:时间|日期))\s*[:：]?\s*"
    r"(?P<y>(?:19|20)\d{2})\s*[-./年]\s*(?P<m>\d{1,2})\s*[-./月]\s*(?P<d>\d{1,2})"
)
#: publication labels, best first; any other label ending in 时间/日期 comes after them, and a capture
#: or crawl time (采集时间, 抓取时间, 下载时间, 爬取时间, 入库时间…) or an update time never dates the report
_PUBLICATION_LABELS = ("发布日期", "发布时间", "公开日期", "公开时间", "发文日期", "印发日期", "成文日期", "生成日期")
_NOT_PUBLICATION = re.compile(r"采集|抓取|下载|爬取|入库|获取|访问|浏览|更新|修改|打印|统计|截止|有效|失效|施行|办结|申请|答复"
                              r"|受理|办理|会议|活动|开始|结束|起止|期限|出生|登记|举报|咨询")
_DATE_LINE = re.compile(r"^\s*(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*$")
_CN_DATE_LINE = re.compile(r"^\s*(?P<y>[〇零○一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,3})月(?P<d>[一二三四五六七八九十]{1,3})日\s*$")
_NOTICE = re.compile(r"[〔\[【（(]\s*(?P<y>2019|2021)\s*[〕\]】）)]\s*(?P<n>60|30)\s*号")
_SIGNATURE = re.compile(rf"^.{{2,30}}(?:{'|'.join(AGENCY_ENDINGS)})$")
_CN_DIGIT = CN_DIGIT


def _paragraphs_before(doc: Document, sections: list[Section], limit: int = 15) -> list[str]:
    end = sections[0].first_block if sections else len(doc.blocks)
    return [b.text for b in doc.blocks[:end] if isinstance(b, Paragraph)][:limit]


def find_title(doc: Document, sections: list[Section]) -> tuple[str, str, int] | None:
    """(title, agency as written, year) from the report's title, including a title wrapped over two
    lines; None when the report has no title line."""
    front = _paragraphs_before(doc, sections)
    for i, text in enumerate(front):
        for cand in (text, text + (front[i + 1] if i + 1 < len(front) else "")):
            m = _TITLE.match(cand)
            if m:
                title = cand[m.start("pre"):m.end()].strip()
                agency = (m.group("pre") or m.group("mid") or "").strip()
                agency = re.sub(r"^(?:关于)|(?:关于)$", "", agency)
                return title, agency, int(m.group("year"))
    return None


def expand_agency(name: str) -> str:
    """An agency's name with the common abbreviation at its end written out (上海市科委 → 上海市科学技术委员会)."""
    for short, full in AGENCY_ABBREVIATIONS.items():
        if name.endswith(short) and not name.endswith(full):
            return name[: -len(short)] + full
    return name


def agency_level(agency: str | None, text: str | None = None) -> str | None:
    """``government`` (a county-level or higher government's consolidated report: 31 March) or
    ``department`` (31 January; also towns and sub-districts); ``None`` when unknown. A zone's 管委会 is
    ``government`` when its report's ``text`` says it pools its area (or no text is given), else None."""
    if not agency:
        return None
    if _TOWN.search(agency):
        return "department"
    if _GOVERNMENT.search(agency) or _REGION.match(agency):
        return "government"
    if _ZONE_COMMITTEE.search(agency):
        return "government" if text is None or _POOLED.search(text) else None
    return "department"


def _date(y: str, m: str, d: str) -> _dt.date | None:
    try:
        return _dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def _cn_date(m: re.Match) -> _dt.date | None:
    import cn2an

    year = "".join(_CN_DIGIT[c] for c in m.group("y"))
    try:
        return _date(year, str(cn2an.cn2an(m.group("m"), "smart")), str(cn2an.cn2an(m.group("d"), "smart")))
    except ValueError:
        return None


def find_published(doc: Document, year: int | None) -> _dt.date | None:
    """The publication date (see :func:`find_published_from`)."""
    return find_published_from(doc, year)[0]


def labelled_dates(paragraphs: list[str]) -> list[tuple[str, _dt.date]]:
    """(label, date) of every labelled date field in ``paragraphs``, capture and crawl times left out, in
    the order of preference: the publication labels in their order, then a bare 时间:/日期: header field."""
    found: list[tuple[int, str, _dt.date]] = []
    for text in paragraphs:
        for m in _FIELD_DATE.finditer(text):
            label = m["label"]
            d = _date(m["y"], m["m"], m["d"])
            if d is None:
                continue
            rank = next((i for i, x in enumerate(_PUBLICATION_LABELS) if label.endswith(x)), None)
            if rank is not None:
                label = _PUBLICATION_LABELS[rank]
            else:  # a bare 时间:/日期: field of a page's header line, never a sentence's date nor a capture time
                before = text[:m.start() + len(label) - 2][-6:]  # the label's qualifier and what precedes it
                if len(text) > 80 or _NOT_PUBLICATION.search(before):
                    continue
                label = label[-2:]
                rank = len(_PUBLICATION_LABELS)
            found.append((rank, label, d))
    found.sort(key=lambda x: x[0])
    return [(label, d) for _, label, d in found]


def _header_table_rows(doc: Document, blocks: int = 6) -> list[str]:
    """The rows of a page's header table (索引号 | … | 公开日期 | 2024-01-17) among the first blocks, each as
    “label：value” pairs, so a labelled date in a cell beside its label reads as a field."""
    out = []
    for b in doc.blocks[:blocks]:
        if isinstance(b, Table) and len(b.rows) <= 8:
            for row in b.rows:
                cells = [c.text.strip() for c in row if c is not None and c.text.strip()]
                out.append("　".join(f"{a}：{v}" for a, v in zip(cells[::2], cells[1::2])))
                out.append("　".join(f"{a}：{v}" for a, v in zip(cells[1::2], cells[2::2])))
    return [t for t in out if t]


def find_published_from(doc: Document, year: int | None) -> tuple[_dt.date | None, str | None]:
    """The publication date and where it was read: an 印发/发布 date on a line of its own or in the
    closing lines ("印发"); a labelled field, publication labels first (发布日期, 公开日期, 成文日期, …;
    never a crawler's 采集时间/抓取时间/下载时间) ("field:<label>"); the date line under the closing
    signature ("signature"). ``(None, None)`` when the report gives none."""
    paras = [b.text for b in doc.blocks if isinstance(b, Paragraph)]

    def plausible(d: _dt.date | None) -> bool:
        return d is not None and (year is None or year <= d.year <= year + 2)

    # a 印发/发布 date on a line of its own or in the closing lines, not one a sentence cites
    closing = [t for i, t in enumerate(paras) if len(t) <= 40 or i >= len(paras) - 6]
    for text in reversed(closing):
        for m in _ISSUED.finditer(text):
            d = _date(m["y"], m["m"], m["d"])
            if plausible(d):
                return d, "印发"
    fields = [t for i, t in enumerate(paras) if i < 25 or i >= len(paras) - 8 or len(t) <= 60]
    fields += _header_table_rows(doc)
    for label, d in labelled_dates(fields):
        if plausible(d):
            return d, f"field:{label}"
    for note in doc.notes:  # a web page's publication <meta> (PubDate), read by the HTML ingest
        if "<meta>" in note and note.startswith(_meta_date_note()):  # the cheap test first: no bs4 for a PDF
            name, _, value = note[len(_meta_date_note()):].partition(":")
            m = re.search(r"(?P<y>(?:19|20)\d{2})\s*[-./年]\s*(?P<m>\d{1,2})\s*[-./月]\s*(?P<d>\d{1,2})", value)
            if m and plausible(d := _date(m["y"], m["m"], m["d"])):
                return d, f"meta:{name.strip()}"
    for text in _closing_lines(doc)[::-1]:
        m = _DATE_LINE.match(text)
        d = _date(m["y"], m["m"], m["d"]) if m else None
        if d is None and (mc := _CN_DATE_LINE.match(text)):
            d = _cn_date(mc)
        if plausible(d):
            return d, "signature"
    return None, None


def _closing_lines(doc: Document, paragraphs: int = 6) -> list[str]:
    """The lines of the last paragraphs: a PDF may join the issuing office and the date line below it
    into one paragraph (“青石县民政局办公室” / “2022年4月10日”)."""
    paras = [b for b in doc.blocks if isinstance(b, Paragraph)][-paragraphs:]
    return [ln for p in paras for ln in ([x.text for x in p.lines] if len(p.lines) > 1 else [p.text])]


def find_period(text: str) -> tuple[_dt.date, _dt.date] | None:
    """The statistical period the preamble states (统计期限为2024年1月1日至12月31日)."""
    m = _PERIOD.search(text)
    if not m:
        return None
    start = _date(m["y1"], m["m1"], m["d1"])
    end = _date(m["y2"] or m["y1"], m["m2"], m["d2"])
    return (start, end) if start and end else None


def find_notice(text: str) -> str | None:
    """The format notice cited: 〔2019〕60号 or 〔2021〕30号 (only those two pairs)."""
    for m in _NOTICE.finditer(text):
        if (m["y"], m["n"]) in (("2019", "60"), ("2021", "30")):
            return f"〔{m['y']}〕{m['n']}号"
    return None


def format_for_year(year: int | None, *, clamp: bool = False) -> str | None:
    """The official format a report year calls for: the one place the year decides it (the tables' format
    detection, the checks and the narrative reading all ask here). A year before the first format has
    none, unless ``clamp`` (the checks and the narrative reading hold such a report to the first format)."""
    if year is None:
        return None
    if year < 2019:
        return "2019" if clamp else None
    return "2019" if year <= 2020 else "2021"


def _signature_agency(doc: Document) -> str | None:
    """The issuing office above the closing date line, when there is no title to name the agency."""
    for text in reversed(_closing_lines(doc)):
        text = text.strip()
        if _SIGNATURE.match(text) and not text.startswith(("抄送", "主送")):
            return text
    return None


#: a region prefix: one or more units such as 江苏省 / 淮安市 / 内蒙古自治区 / 洪泽区 right before the name
_REGION_PREFIX = re.compile(r"(?:[\u4e00-\u9fff]{2,5}自治(?:区|州|县)|[\u4e00-\u9fff]{1,3}(?:省|市|州|盟|地区|县|区|旗))+$")
#: what may stand right before a region prefix inside a sentence (本报告由淮安市洪泽区人民政府办公室…)
_BEFORE_PREFIX = set("由在对为是的和与及经向于据按从把被将以")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+$")


def _region_before(run: str) -> str:
    """The longest region prefix ending ``run`` that starts the run or follows a function word."""
    for k in range(min(len(run), 12), 1, -1):
        pre = run[-k:]
        if _REGION_PREFIX.fullmatch(pre) and (k == len(run) or run[-k - 1] in _BEFORE_PREFIX):
            return pre
    return ""


def full_agency_name(doc: Document, sections: list[Section], name: str | None) -> str | None:
    """The agency's normalised full name: its abbreviation written out, with the region prefix the report
    prints before its name in a heading line, the preamble or the closing signature (the title's
    洪泽区人民政府 is 淮安市洪泽区人民政府 where the text says 由淮安市洪泽区人民政府办公室…). The longest such
    prefix wins; a name that already opens with it is kept as it is."""
    if not name:
        return None
    full = expand_agency(name)
    end = sections[0].first_block if sections else len(doc.blocks)
    front = [b.text for b in doc.blocks[:end][:12]]  # a PDF's preamble may come as a (wrongly typed) table
    lines = front + [doc.text[:600]] + _closing_lines(doc, paragraphs=8)
    best = ""
    for line in lines:
        line = re.sub(r"\s+", "", line)
        for variant in {name, full}:
            at = line.find(variant)
            while at > 0:
                m = _CJK_RUN.search(line[:at])
                pre = _region_before(m.group(0)) if m else ""
                if pre and not full.startswith(pre) and len(pre) > len(best):
                    best = pre
                at = line.find(variant, at + 1)
    return best + full if best else full


def _common_year(text: str) -> int | None:
    years = re.findall(r"((?:19|20)\d{2})\s*年", text[:5000])
    return int(max(set(years), key=years.count)) if years else None


def find_meta(doc: Document, sections: list[Section]) -> tuple[Meta, list[str]]:
    """The report's metadata and what the cross-checks noticed."""
    notes: list[str] = []
    text = doc.text
    titled = find_title(doc, sections)
    title, written, title_year = titled if titled else (None, None, None)
    period = find_period(text)
    period_year = period[0].year if period else None
    year = title_year or period_year or _common_year(text)
    if title_year and period_year and title_year != period_year:
        notes.append(f"title year {title_year} differs from the statistical period's year {period_year}")
    printed = written or _signature_agency(doc)
    agency = expand_agency(written) if written else printed
    if written and agency != written:
        notes.append(f"agency {written} written out as {agency}")
    full = full_agency_name(doc, sections, printed)
    if full and agency and full != agency:
        notes.append(f"agency {agency} in full: {full}")
    published, published_from = find_published_from(doc, year)
    by_year = format_for_year(year)
    meta = Meta(
        agency=agency or None,
        year=year,
        published=published,
        published_from=published_from,
        agency_printed=printed or None,
        agency_full=full or None,
        period=period,
        format=by_year,
        format_by_year=by_year,
        title=title,
        level=agency_level(agency, text[:8000]),
        cited_notice=find_notice(text),
    )
    return meta, notes
