"""The narrative of a report: preamble and sections 一…六, written from the table values.

The text is our own, in the register of agency reports: several openings, several phrasings per
section, figures that agree with the tables. Every sentence that states a table figure is recorded as a
``TextClaim`` (its exact sentence, the fields it speaks about, the value it states), so defect injection
and the claim checks know the truth.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from .agencies import Agency

NOTICE = {
    "2019": "《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）",
    "2021": "《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）",
}

SECTION_TITLES = {
    1: ["总体情况"],
    2: ["主动公开政府信息情况"],
    3: ["收到和处理政府信息公开申请情况"],
    4: ["政府信息公开行政复议、行政诉讼情况", "因政府信息公开工作被申请行政复议和提起行政诉讼情况"],
    5: ["存在的主要问题及改进情况", "政府信息公开工作存在的主要问题及改进情况"],
    6: ["其他需要报告的事项"],
}
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class TextClaim:
    """A figure the text states about the tables."""

    section: int
    sentence: str
    field_ids: tuple[str, ...]  # the value is the sum of these fields
    value: int
    label: str  # what the figure is called in the text, e.g. 予以公开
    figure: str = ""  # the words stating the value inside the sentence (“予以公开3件”); "" for 未发生… sentences


@dataclass
class SectionText:
    number: int
    title: str  # without the numeral, e.g. 总体情况
    paragraphs: list[str] = field(default_factory=list)  # sub-headings are paragraphs of their own

    @property
    def heading(self) -> str:
        return f"{NUMERALS[self.number - 1]}、{self.title}"

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class Narrative:
    preamble: list[str]
    sections: list[SectionText]
    claims: list[TextClaim]
    problems: list[str]  # topic ids of section 五's problems (next year's rectification refers to them)
    published_total: int  # 主动公开…X条 (a text-only figure)


def _p(rng: random.Random, options):
    return rng.choice(options)


# -------------------------------------------------------------------------------------------- preamble

def preamble(rng: random.Random, agency: Agency, fmt: str, year: int, site: str, phone: str) -> list[str]:
    n = NOTICE[fmt]
    a, o = agency.name, agency.office
    period = _p(rng, [f"{year}年1月1日至{year}年12月31日", f"{year}年1月1日至12月31日"])
    pooled = ""
    if agency.level == "government":
        pooled = _p(rng, [f"本报告汇总了{a}及其所属部门、乡镇（街道）的政府信息公开工作情况。",
                          "报告数据由本级政府各部门和各乡镇（街道）报送，经汇总形成。"])
    first = _p(rng, [
        f"本报告依照《中华人民共和国政府信息公开条例》（以下简称《条例》）和{n}的规定，由{o}编制。{pooled}"
        f"报告中的数据统计期限为{period}。",
        f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，按照{n}确定的格式，{o}编写了本年度报告。"
        f"{pooled}所列数据的统计时段为{period}。",
        f"为全面反映{year}年度政府信息公开工作情况，{o}依据《中华人民共和国政府信息公开条例》和{n}，"
        f"编制本报告。{pooled}本报告统计期限自{period}。",
    ])
    contents = "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分。"
    where = _p(rng, [
        f"本报告电子版可在{a}门户网站（{site}）“政府信息公开年度报告”栏目查阅下载。",
        f"报告全文已在{site}政府信息公开专栏发布，公众可登录查阅。",
        f"公众可通过{site}的“法定主动公开内容—年度报告”栏目获取本报告。",
    ])
    contact = _p(rng, [
        f"如对本报告有疑问，请与{o}联系（电话：{phone}）。",
        f"对本报告内容有任何疑问的，可联系{o}，联系电话{phone}。",
    ])
    if rng.random() < 0.5:
        return [first + contents, where + contact]
    return [first + where + contact]


# ------------------------------------------------------------------------------------------ section 一

_SUBHEADS_1 = [
    ["（一）主动公开情况", "（二）依申请公开情况", "（三）政府信息管理情况", "（四）平台建设情况", "（五）监督保障情况"],
    ["（一）主动公开方面", "（二）依申请公开方面", "（三）政府信息管理方面", "（四）政府信息公开平台建设方面", "（五）监督保障方面"],
    ["（一）扎实做好主动公开", "（二）规范办理依申请公开", "（三）加强政府信息管理", "（四）强化公开平台建设", "（五）健全监督保障机制"],
]
_CATEGORIES = ["机构职能", "政策文件", "规划计划", "财政预决算", "人事信息", "重大建设项目", "公共资源配置",
               "社会救助", "生态环境", "安全生产", "食品药品监管", "教育卫生", "征地拆迁", "政策解读", "突发事件应对"]


def _active(rng, agency: Agency, fmt: str, year: int, v: dict) -> tuple[list[str], list[TextClaim], int]:
    s = agency.scale
    total = max(12, int(rng.uniform(150, 900) * s))
    cats = rng.sample(_CATEGORIES, rng.randint(3, 6))
    parts = []
    rest = total
    for c in cats:
        n = int(rest * rng.uniform(0.1, 0.4))
        parts.append(f"{c}类信息{n}条")
        rest -= n
    who = "本" + agency.short[1:] if agency.short.startswith("我") else agency.short
    intro = _p(rng, [
        f"{year}年，{agency.short}坚持以公开为常态、不公开为例外，",
        f"围绕年度政务公开工作要点，{agency.short}",
        f"本年度，{agency.short}紧扣群众关切，",
    ])
    lead = _p(rng, [
        f"通过政府网站、政务新媒体等渠道主动公开政府信息{total}条，其中{'、'.join(parts)}。",
        f"累计主动公开各类政府信息{total}条，其中{'、'.join(parts)}。",
    ])
    claims: list[TextClaim] = []
    paras = [intro + lead]
    if fmt == "2021":
        n_iss, n_rep, n_inf = v["t2.norm.issued"], v["t2.norm.repealed"], v["t2.norm.in_force"]
        in_force = _p(rng, [("截至年底现行有效{}件，均在规范性文件库集中公开。", "现行有效{}件"),
                            ("现行有效的{}件已全部标注效力状态并集中公开。", "现行有效的{}件")])
        sent = f"全年制发行政规范性文件{n_iss}件，废止{n_rep}件，" + in_force[0].format(n_inf)
        paras.append(sent)
        for fid, val, label, fig in (("t2.norm.issued", n_iss, "制发行政规范性文件", f"制发行政规范性文件{n_iss}件"),
                                     ("t2.norm.repealed", n_rep, "废止", f"废止{n_rep}件"),
                                     ("t2.norm.in_force", n_inf, "现行有效", in_force[1].format(n_inf))):
            claims.append(TextClaim(1, sent, (fid,), val, label, fig))
    else:
        made = v["t2.norm.made"]
        sent = _p(rng, [f"全年新制作规范性文件{made}件，均按规定在网站专栏公开。",
                        f"本年度新制作规范性文件{made}件，及时纳入规范性文件库公开。"])
        paras.append(sent)
        claims.append(TextClaim(1, sent, ("t2.norm.made",), made, "新制作规范性文件", f"规范性文件{made}件"))
    detail = _p(rng, [
        f"同步做好政策解读，发布图解、问答等解读材料{max(1, int(rng.uniform(5, 60) * s))}篇，做到政策文件与解读材料同步起草、同步审签、同步发布。",
        f"在重点领域方面，细化{_p(rng, _CATEGORIES)}、{_p(rng, _CATEGORIES)}等栏目的公开要素，按月更新{rng.randint(3, 12)}个专题专栏。",
        f"对{who}门户网站{rng.randint(4, 20)}个主动公开栏目逐一梳理，补充完善公开目录{rng.randint(10, 90)}项。",
    ])
    paras[-1] += detail
    return paras, claims, total


def _requests(rng, agency: Agency, fmt: str, year: int, v: dict) -> tuple[list[str], list[TextClaim]]:
    """The 依申请公开 paragraph: applications received, results, reviews and suits, as the tables say."""
    sentences: list[tuple[str, list[tuple]]] = []  # (sentence, [(fields, value, label, figure)])
    new, cin, cout = v["t3.new.total"], v["t3.carried_in.total"], v["t3.carried_out.total"]
    s1 = _p(rng, [f"{year}年，{agency.short}共收到政府信息公开申请{new}件",
                  f"全年共新收政府信息公开申请{new}件", f"本年度新收政府信息公开申请{new}件"])
    c1 = [(("t3.new.total",), new, "收到申请", f"申请{new}件")]
    if cin:
        s1 += f"，另有上年结转{cin}件"
        c1.append((("t3.carried_in.total",), cin, "上年结转", f"上年结转{cin}件"))
    sentences.append((s1 + "。", c1))
    groups = [("予以公开", "t3.open."), ("部分公开", "t3.partial."), ("不予公开", "t3.denied."),
              ("无法提供", "t3.unable."), ("不予处理", "t3.rejected."), ("其他处理", "t3.other")]
    lead, sep, item = _p(rng, [("从办理结果看，", "，", "{label}{n}件"), ("按办理结果分，", "，", "“{label}”的{n}件"),
                               ("已办结的申请中，", "、", "{label}{n}件")])
    shown = []
    for label, prefix in groups:
        fids = tuple(sorted(k for k in v if k.startswith(prefix) and k.endswith(".total")))
        n = sum(v[f] for f in fids)
        if n or rng.random() < 0.4:
            shown.append((fids, n, label, item.format(label=label, n=n)))
    if shown:
        sentences.append((lead + sep.join(c[3] for c in shown) + "。", shown))
    if cout:
        sentences.append((f"另有{cout}件因尚在法定答复期限内，结转下年度继续办理。",
                          [(("t3.carried_out.total",), cout, "结转下年度", f"另有{cout}件")]))
    sentences.append((_p(rng, ["所有申请均在法定期限内答复，答复文书载明依据和救济途径。",
                               f"{agency.short}落实申请登记、审核、答复、归档全流程管理，对答复文书进行合法性审查。",
                               "对内容不明确的申请，通过电话沟通和书面补正告知帮助申请人准确表达诉求。"]), []))
    review = v["t4.review.total"]
    suits = v["t4.direct_suit.total"] + v["t4.suit_after_review.total"]
    suit_fids = ("t4.direct_suit.total", "t4.suit_after_review.total")
    if review == 0 and suits == 0:
        s3 = _p(rng, ["全年未发生因政府信息公开引起的行政复议和行政诉讼案件。",
                      "本年度未发生因政府信息公开被申请行政复议或提起行政诉讼的情况。"])
        sentences.append((s3, [(("t4.review.total",), 0, "行政复议", ""), (suit_fids, 0, "行政诉讼", "")]))
    else:
        f1, f2 = _p(rng, [("被申请行政复议{}起", "被提起行政诉讼{}起"), ("行政复议案件{}起", "行政诉讼案件{}起")])
        f1, f2 = f1.format(review), f2.format(suits)
        s3 = f"因政府信息公开工作{f1}，{f2}。" if f1.startswith("被") else f"全年涉及政府信息公开的{f1}、{f2}。"
        sentences.append((s3, [(("t4.review.total",), review, "行政复议", f1), (suit_fids, suits, "行政诉讼", f2)]))
    claims = [TextClaim(1, sent, fids, n, label, fig) for sent, cs in sentences for fids, n, label, fig in cs]
    return ["".join(sent for sent, _ in sentences)], claims


def _management(rng, agency: Agency, year: int) -> str:
    n = rng.randint(2, 9)
    return _p(rng, [
        f"严格执行公文公开属性源头认定制度，全年对{rng.randint(20, 300)}份公文逐件标注公开属性，"
        f"对{n}件拟公开信息提出保密审查修改意见。",
        f"修订完善政府信息公开保密审查办法，明确“先审查、后公开”和“一事一审”要求，全年开展信息发布前审查{rng.randint(50, 900)}次。",
        f"对照上级印发的基层政务公开标准目录，动态调整公开事项{rng.randint(10, 120)}项，清理过期失效信息{rng.randint(5, 80)}条。",
        f"建立规范性文件动态清理机制，{year}年集中梳理规范性文件{rng.randint(10, 200)}件，对{n}件已失效文件作出明确标注。",
    ])


def _platform(rng, agency: Agency) -> str:
    return _p(rng, [
        f"落实政府网站内容保障责任，实行信息发布“三审”制度，全年网站共发布信息{rng.randint(200, 5000)}条，"
        f"未发生严重表述错误。",
        f"加强政务新媒体管理，对{rng.randint(2, 15)}个政务新媒体账号开展季度检查，关停更新缓慢的账号{rng.randint(1, 4)}个。",
        f"优化网站检索和智能问答功能，新增{_p(rng, _CATEGORIES)}专题栏目{rng.randint(1, 6)}个，信息查找更加便捷。",
        f"在政务服务中心设置政府信息公开查阅点{rng.randint(1, 5)}处，配备查阅终端，方便群众现场查询。",
    ])


def _oversight(rng, agency: Agency) -> str:
    return _p(rng, [
        f"将政务公开纳入年度绩效考核，全年组织业务培训{rng.randint(1, 6)}场次，参训人员{rng.randint(20, 300)}人次。",
        f"建立月检查、季通报制度，全年印发通报{rng.randint(2, 12)}期，督促整改问题{rng.randint(5, 60)}个。",
        f"邀请第三方机构开展政务公开测评，针对发现的{rng.randint(3, 30)}个问题建立台账，逐项销号。",
        f"明确分管领导和{rng.randint(1, 5)}名专职工作人员负责政务公开，工作经费纳入年度预算。",
    ])


# ------------------------------------------------------------------------------------------ section 五

# topic id → (problem phrasings, measure phrasings, rectification phrasings); {n} {m} {unit} {month} are filled in
TOPICS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "interpretation": (
        ["政策解读形式较为单一，图解、视频等解读材料仅占{p}%，部分解读只是对原文的简单摘录",
         "个别重要政策文件未同步发布解读材料，全年有{n}件文件解读滞后",
         "政策解读重形式轻内容，部分解读材料对适用对象、办理条件等关键信息说明不清"],
        ["{month}月底前出台政策解读工作细则，要求重要文件解读材料与文件同步报审，由{unit}负责审核",
         "每季度至少推出{m}期图解或短视频解读，并在网站首页设置解读专区"],
        ["已建立文件与解读材料同步报审制度，本年度补发解读材料{m}篇",
         "针对解读形式单一的问题，新增图解、问答等解读{m}篇"]),
    "website": (
        ["部分栏目内容更新不及时，年内检查发现{n}个栏目超过三个月未更新",
         "网站栏目设置与标准目录衔接不够，有{n}项公开事项未找到对应栏目",
         "网站检索功能不够好用，抽查{n}个常用事项中有部分无法通过站内搜索直接找到"],
        ["由{unit}牵头对全部栏目开展一次全面梳理，{month}月底前完成栏目整合，对空白栏目限期补充或关停",
         "建立栏目更新台账，实行每周巡查、每月通报，将更新情况纳入考核"],
        ["对{m}个长期未更新的栏目进行了整合归并，并建立栏目更新台账",
         "完成网站栏目与标准目录的对照调整，新增对应栏目{m}个"]),
    "request_handling": (
        ["依申请公开答复文书格式不够统一，抽查的{n}份答复书中有{k}份未完整载明救济途径",
         "个别申请答复时间接近法定期限，办理效率有待提升",
         "对申请内容不明确的情形告知补正不够具体，年内有{n}件申请因补正说明不清反复沟通"],
        ["{month}月底前修订依申请公开答复文书范本，所有答复书经{unit}法制审核后出具",
         "建立依申请公开办理时限预警，收到申请满{m}个工作日未办结的自动提醒"],
        ["统一了答复文书范本，本年度答复书均载明救济途径",
         "上线办理时限预警功能，平均答复用时缩短至{m}个工作日"]),
    "grassroots": (
        ["基层政务公开标准化规范化工作推进不平衡，{n}个村（社区）公开栏内容陈旧",
         "乡镇（街道）政务公开专职人员不足，{n}个单位由兼职人员负责"],
        ["组织{unit}对村（社区）公开栏开展专项检查，{month}月底前完成内容更新",
         "每半年对乡镇（街道）工作人员开展一次集中培训，确保每个单位至少{m}名人员熟悉业务"],
        ["对{m}个村（社区）公开栏进行了更新，统一了公开内容和格式",
         "为乡镇（街道）配备了专职联络员，开展专题培训{m}场次"]),
    "new_media": (
        ["政务新媒体管理不够规范，{n}个账号存在更新频率低、互动回应慢的情况",
         "政务新媒体信息发布审核把关不严，年内出现{n}处文字差错"],
        ["由{unit}对政务新媒体实行清单管理，{month}月底前完成账号整合，无力维护的一律关停",
         "落实政务新媒体信息发布“三审三校”，每月抽查不少于{m}条信息"],
        ["关停整合政务新媒体账号{m}个，并实行清单管理",
         "落实发布前三审三校，本年度未再出现文字差错"]),
    "norm_docs": (
        ["规范性文件清理不够及时，{n}件已失效文件未在网站标注效力状态",
         "规范性文件库信息要素不完整，部分文件缺少实施日期和有效期"],
        ["{month}月底前完成规范性文件全面清理，由{unit}逐件核对效力并在文件库中标注",
         "完善规范性文件库字段，统一补充文号、成文日期、施行日期等要素"],
        ["完成规范性文件全面清理，标注失效文件{m}件",
         "补充完善规范性文件库要素，实现文件效力状态动态更新"]),
    "key_areas": (
        ["重点领域信息公开深度不够，{area}领域的信息多为工作动态，结果类信息较少",
         "{area}领域信息公开要素不全，{n}个项目未公开实施结果"],
        ["围绕{area}领域制定公开要素清单，{month}月底前由{unit}督促相关单位补齐结果信息",
         "对{area}领域信息实行季度检查，发现缺项的{m}个工作日内完成补充"],
        ["针对{area}领域公开不够深入的问题，补充公开结果类信息{m}条",
         "制定{area}领域公开要素清单并组织对照整改"]),
    "training": (
        ["工作人员业务能力参差不齐，对《条例》的理解不够深入，全年仅开展培训{n}次",
         "新调整的信息员对公开属性认定把握不准，年内有{n}条信息被退回修改"],
        ["制定年度培训计划，由{unit}每季度组织一次专题培训，新任信息员上岗前集中培训",
         "编印政务公开工作手册，{month}月底前发放至各科室和信息员"],
        ["本年度组织专题培训{m}次，实现信息员全覆盖",
         "编印工作手册并组织新任信息员岗前培训{m}人次"]),
    "participation": (
        ["公众参与渠道利用不足，重大决策草案公开征求意见{n}次，收到的有效意见较少",
         "对社会关切的回应不够及时，个别热点问题回应时间超过{n}天"],
        ["对重大行政决策事项全部公开征求意见，意见采纳情况由{unit}汇总后公开反馈",
         "建立舆情回应机制，涉及本单位的热点问题原则上在{m}日内作出回应"],
        ["重大决策事项均公开征求意见，并公开意见采纳情况{m}次",
         "建立舆情回应机制，本年度回应社会关切{m}次"]),
    "guide": (
        ["政府信息公开指南和公开目录更新滞后，指南中的{n}处联系方式和办理流程与实际不符",
         "主动公开目录编制不够细，{n}类事项未明确公开时限和公开方式"],
        ["{month}月底前完成政府信息公开指南修订，由{unit}逐项核对受理渠道、办理流程和联系方式",
         "按事项逐一明确公开主体、公开时限和公开方式，目录每半年动态调整一次"],
        ["修订政府信息公开指南，更正联系方式和流程说明{m}处",
         "完成主动公开目录细化，补充公开时限和方式{m}项"]),
    "security_review": (
        ["信息发布前的保密审查执行不够严格，年内自查发现{n}条信息含有不宜公开的个人信息",
         "公开属性源头认定落实不到位，{n}份公文未在拟稿时标注公开属性"],
        ["落实“先审查、后公开”，{month}月底前由{unit}制定发布审查清单，涉及个人信息的一律脱敏处理",
         "在公文办理系统中将公开属性设为必填项，未标注的公文不予流转"],
        ["对已发布信息开展个人信息专项排查，删除或脱敏处理{m}条",
         "公文办理系统已将公开属性设为必填项，本年度标注率达到100%"]),
    "results_disclosure": (
        ["决策部署落实情况公开不够，年度重点工作仅公开了计划，{n}项工作未公开进展和结果",
         "建议提案办理结果公开不全面，有{n}件答复未按规定公开全文"],
        ["对年度重点工作实行“计划—进展—结果”全过程公开，每季度由{unit}汇总发布一次",
         "建议提案答复除涉密内容外一律全文公开，{month}月底前补齐历年缺漏"],
        ["年度重点工作已按季度公开进展，补充公开结果信息{m}条",
         "补充公开建议提案答复全文{m}件"]),
}
_AREAS = ["财政资金", "重大建设项目", "公共资源交易", "社会救助", "义务教育", "医疗卫生", "生态环境", "征地补偿"]
_UNITS = ["办公室", "政务公开科", "法制审核机构", "信息中心", "综合科", "政策法规科"]

ENUMERATIONS = [("一是", "二是", "三是", "四是"), ("1.", "2.", "3.", "4."), ("首先，", "其次，", "再次，", "此外，"),
                ("（1）", "（2）", "（3）", "（4）")]


def _fill(rng, text: str, year: int) -> str:
    return text.format(n=rng.randint(2, 18), k=rng.randint(1, 5), m=rng.randint(2, 24), p=rng.randint(5, 30),
                       month=rng.randint(3, 11), unit=_p(rng, _UNITS), area=_p(rng, _AREAS), year=year)


def section5(rng, agency: Agency, fmt: str, year: int, last_problems: list[str] | None) -> tuple[list[str], list[str]]:
    """Section 五's paragraphs, and the topic ids of the problems it names."""
    topics = rng.sample(sorted(TOPICS), rng.randint(2, 4))
    enum = _p(rng, ENUMERATIONS)
    paras: list[str] = []
    if fmt == "2021":
        last = last_problems or rng.sample(sorted(TOPICS), rng.randint(2, 3))
        heads = _p(rng, [("（一）上年度问题整改情况", "（二）存在的主要问题", "（三）改进措施"),
                         ("（一）上年度存在问题的整改情况", "（二）本年度存在的问题", "（三）下一步工作打算")])
        rect = [_fill(rng, _p(rng, TOPICS[t][2]), year) for t in last]
        lead = _p(rng, [f"针对{year - 1}年度报告指出的问题，{agency.short}逐项制定整改措施：",
                        f"对{year - 1}年度年报中反映的问题，已按计划完成整改："])
        paras += [heads[0], lead + "；".join(f"{enum[i]}{r}" for i, r in enumerate(rect)) + "。"]
    else:
        heads = _p(rng, [(None, "（一）存在的主要问题", "（二）改进措施"), (None, "（一）存在的问题", "（二）改进情况")])
    problems = [_fill(rng, _p(rng, TOPICS[t][0]), year) for t in topics]
    measures = [_fill(rng, _p(rng, TOPICS[t][1]), year) for t in topics]
    intro = _p(rng, [f"{year}年，{agency.short}政府信息公开工作取得了一定成效，但对照新要求仍存在不足：",
                     "工作中仍存在以下问题：", f"对照上级考核要求，{agency.short}政府信息公开工作还存在一些短板："])
    paras += [heads[1], intro + "；".join(f"{enum[i]}{p}" for i, p in enumerate(problems)) + "。"]
    next_year = _p(rng, [f"{year + 1}年，{agency.short}将重点做好以下工作：", "下一步，将采取以下措施加以改进：",
                         "针对上述问题，拟从以下方面改进："])
    paras += [heads[2], next_year + "；".join(f"{enum[i]}{m}" for i, m in enumerate(measures)) + "。"]
    return paras, topics


def section6(rng, agency: Agency, fmt: str, year: int, v: dict) -> list[str]:
    out = []
    if fmt == "2021":
        if v.get("t3.other.no_fee.total", 0) or rng.random() < 0.05:
            n = rng.randint(1, 3)
            out.append(f"依据《政府信息公开信息处理费管理办法》，{year}年{agency.short}发出收费通知{n}件，"
                       f"实际收取信息处理费{rng.randint(1, 9) * 100}元。")
        else:
            out.append(_p(rng, [f"{year}年，{agency.short}未收取政府信息公开信息处理费。",
                                "本年度未向申请人收取信息处理费。",
                                f"依据《政府信息公开信息处理费管理办法》，{agency.name}本年度未发生收取信息处理费的情况。"]))
    if agency.level == "government" or rng.random() < 0.4:
        d, p = rng.randint(0, 40), rng.randint(0, 60)
        out.append(_p(rng, [f"全年承办人大代表建议{d}件、政协委员提案{p}件，均已按期办结并公开答复全文。",
                            f"本年度办理人大代表建议{d}件和政协提案{p}件，办复率100%。"]))
    if not out:
        out.append(_p(rng, ["无。", "本年度无其他需要报告的事项。"]))
    return out


# ------------------------------------------------------------------------------------------ the whole

def write(rng: random.Random, agency: Agency, fmt: str, year: int, v: dict, *, site: str, phone: str,
          last_problems: list[str] | None = None) -> Narrative:
    pre = preamble(rng, agency, fmt, year, site, phone)
    heads = _p(rng, _SUBHEADS_1)
    active, claims, published = _active(rng, agency, fmt, year, v)
    req, req_claims = _requests(rng, agency, fmt, year, v)
    s1 = SectionText(1, _p(rng, SECTION_TITLES[1]))
    s1.paragraphs = [heads[0], *active, heads[1], *req, heads[2], _management(rng, agency, year),
                     heads[3], _platform(rng, agency), heads[4], _oversight(rng, agency)]
    if rng.random() < 0.5:
        overview = _p(rng, [
            f"{year}年，{agency.name}认真贯彻落实《条例》和上级关于政务公开工作的部署，以公开促落实、促规范、促服务，"
            "政府信息公开工作稳步推进。",
            f"{year}年，{agency.short}将政务公开与中心工作同部署、同推进，持续提升政府信息公开的质量和实效。",
        ])
        s1.paragraphs.insert(0, overview)
    paras5, problems = section5(rng, agency, fmt, year, last_problems)
    sections = [
        s1,
        SectionText(2, SECTION_TITLES[2][0]),
        SectionText(3, SECTION_TITLES[3][0]),
        SectionText(4, _p(rng, SECTION_TITLES[4])),
        SectionText(5, _p(rng, SECTION_TITLES[5]), paras5),
        SectionText(6, SECTION_TITLES[6][0], section6(rng, agency, fmt, year, v)),
    ]
    return Narrative(pre, sections, claims + req_claims, problems, published)
