"""Form schemas (pydantic v2) mirroring the official 揭榜挂帅 forms, with Chinese headers as aliases.

A platform export with Chinese column headers validates as is (``DemandRecord.model_validate(row)``);
English field names work too. Parsing is lenient the way clerks type: "1,200" / "1200万元" /
blank numbers, 2023/3/1 or Excel dates, 是/否, lists joined by 、. Length limits are *not* enforced
here: they are campaign rules (``api.rules``) reported as findings, so nothing is lost at intake.
Fields holding personal data carry ``json_schema_extra={"personal": True}`` (see
:data:`PERSONAL_FIELDS`, :func:`personal_fields`, :func:`redact`).
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from nlp.names import org_key
from nlp.text import normalize

# --------------------------------------------------------------------------- enumerations


class DemandCategory(str, Enum):
    """需求类别: 重大需求 (invest ≥1000万元) or 重点需求 (400–1000万元)."""

    MAJOR = "重大需求"
    KEY = "重点需求"


class TechBasis(str, Enum):
    """技术基础: how much of the technology the enterprise already has."""

    NONE = "基本没有"
    P30 = "约30%"
    P50 = "约50%"
    P70 = "约70%"
    P100 = "约100%"


class EconomicNature(str, Enum):
    """经济性质 of the enterprise."""

    STATE = "国有控股"
    COLLECTIVE = "集体控股"
    PRIVATE = "私营控股"
    HK_MACAO_TAIWAN = "港澳台商控股"
    FOREIGN = "外商控股"
    OTHER = "其他"


class TechEnterpriseType(str, Enum):
    """科技企业性质 (an enterprise may have several)."""

    SME = "科技型中小企业"
    HIGH_TECH = "高新技术企业"
    GAZELLE = "雏鹰瞪羚独角兽"
    LITTLE_GIANT = '国家级专精特新"小巨人"'
    CHAMPION = "制造业单项冠军"


class Region(str, Enum):
    """注册地区: the 14 cities of Liaoning and 沈抚示范区 (also the 初审单位 of a region)."""

    SHENYANG = "沈阳市"
    DALIAN = "大连市"
    ANSHAN = "鞍山市"
    FUSHUN = "抚顺市"
    BENXI = "本溪市"
    DANDONG = "丹东市"
    JINZHOU = "锦州市"
    YINGKOU = "营口市"
    FUXIN = "阜新市"
    LIAOYANG = "辽阳市"
    PANJIN = "盘锦市"
    TIELING = "铁岭市"
    CHAOYANG = "朝阳市"
    HULUDAO = "葫芦岛市"
    SHENFU = "沈抚示范区"


class Batch(str, Enum):
    """批次 of the campaign."""

    FIRST = "第一批"
    SECOND = "第二批"
    THIRD = "第三批"


class TechArea(str, Enum):
    """技术领域 of a demand; decides the responsible office (see campaign routing)."""

    HIGH_TECH = "高新技术"
    NEXT_GEN_IT = "新一代信息技术"
    BIOMEDICINE = "生物医药"
    AGRICULTURE = "农业"
    SOCIAL = "社会发展"


class ExpertCategory(str, Enum):
    """专家类别."""

    TECHNICAL = "技术"
    FINANCIAL = "财务"
    MANAGEMENT = "管理"


class SolverType(str, Enum):
    """单位类型 of a solver (揭榜方)."""

    UNIVERSITY = "高校"
    INSTITUTE = "科研院所"
    ENTERPRISE = "企业"


class Severity(str, Enum):
    """How serious a rule finding is."""

    ERROR = "error"
    WARNING = "warning"


REGION_VALUES: frozenset[str] = frozenset(r.value for r in Region)

# --------------------------------------------------------------------------- lenient parsers

_BLANKS = frozenset({"", "无", "-", "—", "--", "/", "nan", "none", "null", "n/a", "na", "暂无"})
_LIST_SEP = re.compile(r"[、,，;；\n]+")
_UNIT_TAIL = re.compile(r"(万元|万|元|人|名|个|%|％)$")
_EXCEL_EPOCH = date(1899, 12, 30)
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?)?\s*月?"
    r"(?:[ tT]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})(?:\.\d+)?秒?)?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TRUE = frozenset({"是", "有", "y", "yes", "true", "1", "√", "✓", "t", "对"})
_FALSE = frozenset({"否", "无", "没有", "n", "no", "false", "0", "×", "✗", "f", "不是"})


def _invalid(value: Any, zh: str, en: str) -> PydanticCustomError:
    """A validation error carrying separate Chinese and English reasons (``ctx['zh']``, ``ctx['en']``)."""
    return PydanticCustomError("jiebang_value", "{zh} / {en}", {"zh": zh, "en": en, "value": str(value)})


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and normalize(value).lower() in _BLANKS:
        return True
    return type(value).__name__ in {"NaTType", "NAType"}


def parse_text(value: Any) -> str | None:
    """Normalised text (half-width, simplified, folded spaces); blank → None; 1001.0 → '1001'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ in {"NaTType", "NAType"}:
        return None
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normalize(str(value))
    return text or None


def parse_number(value: Any) -> float | None:
    """A number as clerks type it: 1,200 / 1200万元 / 1.2亿 (→ 12000, in 万元) / 45% ; blank → None."""
    if isinstance(value, bool):
        raise _invalid(value, "应为数字", "expected a number")
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
        return None if math.isnan(number) else number
    if _is_blank(value):
        return None
    text = normalize(str(value)).replace(",", "").replace(" ", "").removeprefix("约")
    text = text.removesuffix("左右")
    scale = 1.0
    if text.endswith(("亿元", "亿")):
        text, scale = text.removesuffix("元").removesuffix("亿"), 10000.0
    text = _UNIT_TAIL.sub("", text)
    try:
        number = float(text) * scale
    except ValueError:
        raise _invalid(value, f"无法识别为数字：{value}", f"not a number: {value}") from None
    if math.isnan(number) or math.isinf(number):
        raise _invalid(value, f"无法识别为数字：{value}", f"not a number: {value}")
    return number


def parse_count(value: Any) -> int | None:
    """A whole number (head counts): 12 / 12.0 / "12人"; blank → None."""
    number = parse_number(value)
    if number is None:
        return None
    if not float(number).is_integer():
        raise _invalid(value, f"应为整数：{value}", f"expected a whole number: {value}")
    return int(number)


def parse_bool(value: Any) -> bool | None:
    """是/否, 有/无, yes/no, 1/0, √/× → bool; blank → None."""
    if isinstance(value, bool):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = normalize(str(value)).lower()
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text in _BLANKS:
        return None
    raise _invalid(value, f"应填“是”或“否”：{value}", f"expected 是 (yes) or 否 (no): {value}")


def parse_datetime(value: Any) -> datetime | None:
    """2023-03-01, 2023/3/1, 2023年3月1日, 20230301, with optional time, Excel serial or datetime."""
    if _is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel serial day numbers (1900 date system)
            return datetime.combine(_EXCEL_EPOCH, time()) + timedelta(days=float(value))
        raise _invalid(value, f"无法识别的日期：{value}", f"not a date: {value}")
    text = normalize(str(value))
    compact = _COMPACT_DATE.match(text)
    match = compact or _DATE.match(text)
    if match:
        parts = [int(p) if p else 0 for p in match.groups()]
        year, month, day = parts[0], parts[1], parts[2] or 1
        hour, minute, second = (parts[3:6] + [0, 0, 0])[:3] if not compact else (0, 0, 0)
        try:
            return datetime(year, month, day, hour, minute, second)
        except ValueError:
            pass
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise _invalid(value, f"无法识别的日期：{value}（示例：2023-03-01）",
                       f"not a date: {value} (e.g. 2023-03-01)") from None


def parse_date(value: Any) -> date | None:
    """Like :func:`parse_datetime`, keeping the day only."""
    stamp = parse_datetime(value)
    return stamp.date() if stamp else None


def parse_list(value: Any) -> list[str]:
    """Items joined by 、,，;； (or a list) → stripped, de-duplicated list; blank/无 → []."""
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple, set)) else _LIST_SEP.split(str(parse_text(value) or ""))
    out: list[str] = []
    for item in items:
        text = parse_text(item)
        if text and text.lower() not in _BLANKS and text not in out:
            out.append(text)
    return out


def parse_credit_code(value: Any) -> str | None:
    """统一社会信用代码: upper case, no spaces (format is not enforced)."""
    text = parse_text(value)
    return text.upper().replace(" ", "").replace("-", "") if text else None


E = TypeVar("E", bound=Enum)


def _enum_key(text: str) -> str:
    return re.sub(r"[\s\"'“”‘’「」《》]", "", normalize(text)).lower()


def _enum_parser(enum: type[E], aliases: dict[str, E] | None = None):
    """A lenient parser for ``enum``: exact value, value without quotes/spaces, or a known alias."""
    lookup: dict[str, E] = {_enum_key(m.value): m for m in enum}
    lookup.update({_enum_key(k): v for k, v in (aliases or {}).items()})
    allowed = "、".join(m.value for m in enum)

    def parse(value: Any) -> E | None:
        if isinstance(value, enum):
            return value
        text = parse_text(value)
        member = lookup.get(_enum_key(text)) if text else None
        if member is None and _is_blank(value):
            return None
        if member is None:
            raise _invalid(value, f"“{value}”不是有效选项，可选：{allowed}",
                           f"'{value}' is not an allowed value; allowed: {allowed}")
        return member

    parse.__doc__ = f"Parse a {enum.__name__} leniently."
    return parse


def _enum_list_parser(enum: type[E], aliases: dict[str, E] | None = None):
    one = _enum_parser(enum, aliases)

    def parse(value: Any) -> list[E]:
        out: list[E] = []
        for item in parse_list(value):
            member = one(item)
            if member is not None and member not in out:
                out.append(member)
        return out

    return parse


_parse_category = _enum_parser(DemandCategory, {"重大": DemandCategory.MAJOR, "重点": DemandCategory.KEY})
_parse_basis = _enum_parser(TechBasis, {
    "无": TechBasis.NONE, "没有": TechBasis.NONE, "0%": TechBasis.NONE, "约0%": TechBasis.NONE,
    **{f"{p}%": TechBasis(f"约{p}%") for p in (30, 50, 70, 100)},
    **{str(p): TechBasis(f"约{p}%") for p in (30, 50, 70, 100)},
})
_parse_nature = _enum_parser(EconomicNature, {
    "国有": EconomicNature.STATE, "国企": EconomicNature.STATE, "集体": EconomicNature.COLLECTIVE,
    "私营": EconomicNature.PRIVATE, "民营": EconomicNature.PRIVATE, "民营控股": EconomicNature.PRIVATE,
    "港澳台": EconomicNature.HK_MACAO_TAIWAN, "港澳台控股": EconomicNature.HK_MACAO_TAIWAN,
    "外商": EconomicNature.FOREIGN, "外资": EconomicNature.FOREIGN, "外资控股": EconomicNature.FOREIGN,
})
_parse_tech_types = _enum_list_parser(TechEnterpriseType, {
    "高企": TechEnterpriseType.HIGH_TECH, "国家高新技术企业": TechEnterpriseType.HIGH_TECH,
    "科技型中小": TechEnterpriseType.SME, "雏鹰": TechEnterpriseType.GAZELLE,
    "瞪羚": TechEnterpriseType.GAZELLE, "独角兽": TechEnterpriseType.GAZELLE,
    "雏鹰瞪羚独角兽企业": TechEnterpriseType.GAZELLE, "瞪羚企业": TechEnterpriseType.GAZELLE,
    "雏鹰企业": TechEnterpriseType.GAZELLE, "独角兽企业": TechEnterpriseType.GAZELLE,
    "专精特新小巨人": TechEnterpriseType.LITTLE_GIANT, "小巨人": TechEnterpriseType.LITTLE_GIANT,
    "国家级专精特新小巨人企业": TechEnterpriseType.LITTLE_GIANT,
    "单项冠军": TechEnterpriseType.CHAMPION, "制造业单项冠军企业": TechEnterpriseType.CHAMPION,
})
_parse_batch = _enum_parser(Batch, {
    "1": Batch.FIRST, "一": Batch.FIRST, "第1批": Batch.FIRST,
    "2": Batch.SECOND, "二": Batch.SECOND, "第2批": Batch.SECOND,
    "3": Batch.THIRD, "三": Batch.THIRD, "第3批": Batch.THIRD,
})
_parse_area = _enum_parser(TechArea, {"新一代信息技术领域": TechArea.NEXT_GEN_IT, "信息技术": TechArea.NEXT_GEN_IT,
                                       "高新技术领域": TechArea.HIGH_TECH, "生物医药领域": TechArea.BIOMEDICINE,
                                       "农业领域": TechArea.AGRICULTURE, "社会发展领域": TechArea.SOCIAL})
_parse_expert_category = _enum_parser(ExpertCategory, {
    "技术专家": ExpertCategory.TECHNICAL, "财务专家": ExpertCategory.FINANCIAL,
    "管理专家": ExpertCategory.MANAGEMENT})
_parse_solver_type = _enum_parser(SolverType, {
    "大学": SolverType.UNIVERSITY, "高等院校": SolverType.UNIVERSITY, "高等学校": SolverType.UNIVERSITY,
    "院校": SolverType.UNIVERSITY, "科研机构": SolverType.INSTITUTE, "研究院所": SolverType.INSTITUTE,
    "研究院": SolverType.INSTITUTE, "研究所": SolverType.INSTITUTE})
_REGION_ALIASES = {r.value.removesuffix("市"): r.value for r in Region}
_REGION_ALIASES.update({"沈抚新区": Region.SHENFU.value, "沈抚改革创新示范区": Region.SHENFU.value,
                        "沈抚": Region.SHENFU.value})


def parse_region(value: Any) -> str | None:
    """A place name: Liaoning regions canonicalised ("沈阳" → "沈阳市"); other places kept as written.

    Out-of-province values are kept (not rejected) so the ``registered_in_province`` rule can
    report them by name.
    """
    text = parse_text(value)
    if text is None:
        return None
    key = text.replace(" ", "").removeprefix("辽宁省").removeprefix("辽宁") or text
    if key in REGION_VALUES or key in _REGION_ALIASES:
        return _REGION_ALIASES.get(key, key)
    # "沈阳市浑南区", "大连金普新区": the region is what the form asks for.
    for alias, region in _REGION_ALIASES.items():
        if key.startswith(region) or (key.startswith(alias) and len(key) > len(alias) + 1
                                      and key.endswith(("区", "县", "市"))):
            return region
    return text


# Annotated field types: one parser per kind of column.
Text = Annotated[str | None, BeforeValidator(parse_text)]
Money = Annotated[float | None, BeforeValidator(parse_number)]
Count = Annotated[int | None, BeforeValidator(parse_count)]
YesNo = Annotated[bool | None, BeforeValidator(parse_bool)]
Day = Annotated[date | None, BeforeValidator(parse_date)]
Stamp = Annotated[datetime | None, BeforeValidator(parse_datetime)]
TextList = Annotated[list[str], BeforeValidator(parse_list)]
Place = Annotated[str | None, BeforeValidator(parse_region)]


def _f(alias: str, description: str, *, personal: bool = False, default: Any = None, **kw: Any) -> Any:
    """A form field: Chinese header as alias, Chinese description; personal data flagged."""
    extra = {"personal": True} if personal else None
    if "default_factory" not in kw:
        kw["default"] = default
    return Field(alias=alias, description=description, json_schema_extra=extra, **kw)


class FormModel(BaseModel):
    """Base of all form models: Chinese aliases in, English names accepted too, unknown keys ignored."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", use_enum_values=False,
                              str_strip_whitespace=True)


# --------------------------------------------------------------------------- demand form


class PlatformInfo(FormModel):
    """平台信息: what the submission platform adds to a form."""

    external_id: Text = _f("需求编号", "需求编号（平台编号；有则作为重复导入的幂等键）")
    batch: Annotated[Batch | None, BeforeValidator(_parse_batch)] = _f("批次", "批次：第一批/第二批/第三批")
    review_unit: Text = _f("初审单位", "初审单位（推荐单位，如各市科技局、沈抚示范区）")
    submitted_at: Stamp = _f("提交时间", "提交时间（如 2023-03-01 或 2023/3/1 10:00）")
    status: Text = _f("状态", "状态（平台上的审核状态）")


class Enterprise(FormModel):
    """一、企业情况: the enterprise behind a demand."""

    name: Annotated[str, BeforeValidator(parse_text)] = Field(
        ..., alias="企业名称", description="企业名称（必填）")
    credit_code: Annotated[str | None, BeforeValidator(parse_credit_code)] = _f(
        "统一社会信用代码", "统一社会信用代码（18位；有则作为企业身份）")
    group_name: Text = _f("集团名称", "所属集团名称（可选，用于识别同一集团）")
    avoid_orgs: TextList = _f("回避单位", "企业申请回避的专家工作单位（可选，用“、”分隔；专家分组时回避）",
                              default_factory=list)
    registered_on: Day = _f("注册时间", "企业注册时间")
    region: Place = _f("注册地区", "注册地区：辽宁省14个市或沈抚示范区（省外地区会被规则报告）")
    park: Text = _f("所在园区", "所在园区（可选，如浑南科技城、英歌石科学城）")
    registered_capital: Money = _f("注册资金(万元)", "注册资金（万元）")
    innovation_chain: Text = _f("所属创新链", "所属创新链")
    industry_chain: Text = _f("所属产业链", "所属产业链")
    tech_field: Text = _f("企业技术领域", "企业所属技术领域")
    main_business: Text = _f("主营业务", "主营业务")
    staff_total: Count = _f("单位总人数", "单位总人数")
    rd_staff: Count = _f("研发人员数", "研发人员数")
    senior_engineers: Count = _f("高级工程师数", "高级工程师人数")
    masters: Count = _f("硕士人数", "硕士人数")
    doctors: Count = _f("博士人数", "博士人数")
    economic_nature: Annotated[EconomicNature | None, BeforeValidator(_parse_nature)] = _f(
        "经济性质", "经济性质：国有控股/集体控股/私营控股/港澳台商控股/外商控股/其他")
    tech_enterprise_types: Annotated[list[TechEnterpriseType], BeforeValidator(_parse_tech_types)] = _f(
        "科技企业性质", "科技企业性质（可多选，用“、”分隔）：科技型中小企业、高新技术企业、雏鹰瞪羚独角兽、"
        '国家级专精特新"小巨人"、制造业单项冠军', default_factory=list)
    independent_legal_person: YesNo = _f("独立法人", "是否具有独立法人资格（是/否）")
    bad_credit_record: YesNo = _f("近三年信用不良记录", "近三年是否有信用不良记录（是/否）")
    legal_rep_name: Text = _f("法定代表人姓名", "法定代表人姓名（个人信息）", personal=True)
    legal_rep_title: Text = _f("法定代表人职务", "法定代表人职务")
    legal_rep_phone: Text = _f("法定代表人电话", "法定代表人电话（个人信息）", personal=True)
    legal_rep_mobile: Text = _f("法定代表人手机", "法定代表人手机（个人信息）", personal=True)
    contact_name: Text = _f("联系人姓名", "联系人姓名（个人信息）", personal=True)
    contact_title: Text = _f("联系人职务", "联系人职务")
    contact_phone: Text = _f("联系人电话", "联系人电话（个人信息）", personal=True)
    contact_mobile: Text = _f("联系人手机", "联系人手机（个人信息）", personal=True)
    contact_fax: Text = _f("联系人传真", "联系人传真（个人信息）", personal=True)
    contact_email: Text = _f("联系人电子邮箱", "联系人电子邮箱（个人信息）", personal=True)
    output_value: Money = _f("上年度产值(万元)", "上年度产值（万元）")
    sales_revenue: Money = _f("上年度销售收入(万元)", "上年度销售收入（万元；主营业务收入门槛按此判断）")
    taxes_paid: Money = _f("上年度上缴税收(万元)", "上年度上缴税收（万元）")
    net_profit: Money = _f("上年度净利润(万元)", "上年度净利润（万元，可为负）")
    rd_expense: Money = _f("上年度研发费用(万元)", "上年度研发费用（万元）")
    debt_ratio: Money = _f("上年度资产负债率(%)", "上年度资产负债率（%）")
    research_alliance: Text = _f("产学研联盟", "近3年参加的产学研联盟（无，或联盟名称）")
    provincial_projects: Text = _f("省级以上科技计划项目", "近3年承担的省级以上科技计划项目（无，或项目名称）")
    provincial_platforms: Text = _f("省级以上科技创新平台", "近3年建设的省级以上科技创新平台（无，或平台名称）")

    @property
    def is_high_tech(self) -> bool:
        """高新技术企业? (the revenue and R&D thresholds differ)."""
        return TechEnterpriseType.HIGH_TECH in self.tech_enterprise_types

    @property
    def key(self) -> str:
        """Identity key: 统一社会信用代码 when present, else the normalised name (see ``nlp.names``)."""
        return org_key(self.name, self.credit_code)


class Demand(FormModel):
    """二、需求信息: one technology demand."""

    category: Annotated[DemandCategory | None, BeforeValidator(_parse_category)] = _f(
        "需求类别", "需求类别：重大需求（企业投入≥1000万元）/重点需求（400–1000万元）")
    title: Annotated[str, BeforeValidator(parse_text)] = Field(..., alias="需求名称", description="需求名称（必填）")
    publish_title: Text = _f("发榜需求名称", "发榜需求名称（凝练后对外发布的名称）")
    tech_area: Annotated[TechArea | None, BeforeValidator(_parse_area)] = _f(
        "技术领域", "技术领域：高新技术/新一代信息技术/生物医药/农业/社会发展（决定归口处室）")
    tech_basis: Annotated[TechBasis | None, BeforeValidator(_parse_basis)] = _f(
        "技术基础", "技术基础：基本没有/约30%/约50%/约70%/约100%")
    expert_opinion: Text = _f("技术专家咨询意见", "技术专家咨询意见")
    description: Text = _f("需求描述", "需求描述（不超过1000字）")
    rd_capability: Text = _f("企业自身研发条件和能力", "企业自身研发条件和能力（不超过500字）")
    work_done: Text = _f("企业自身已开展工作", "企业自身已开展工作（不超过500字）")
    publish_content: Text = _f("发榜内容描述", "发榜内容描述（不超过500字）")
    solver_requirements: Text = _f("对揭榜方要求", "对揭榜方要求（不超过500字）")
    deliverables: Text = _f("交付要件", "交付要件（不超过500字）")
    ip_and_benefits: Text = _f("产权归属与利益分配", "产权归属与利益分配（不超过500字）")
    industry_impact: Text = _f("需求对产业推动作用", "需求对产业推动作用（不超过500字）")
    economic_benefit: Text = _f("需求的经济效益", "需求的经济效益（不超过500字）")
    social_benefit: Text = _f("需求的社会效益", "需求的社会效益（不超过500字）")
    talent_needs: Text = _f("企业科技人才需求", "企业科技人才需求")
    task_deadline: Text = _f("揭榜任务完成时限", "揭榜任务完成时限（如 2025年12月 或 24个月）")
    task_investment: Money = _f("揭榜任务投入资金(万元)", "揭榜任务投入资金（万元）")
    overall_deadline: Text = _f("总体需求完成时限", "总体需求完成时限")
    total_investment: Money = _f("需求研发总投入(万元)", "需求研发总投入（万元；需与需求类别相符）")

    def texts(self) -> dict[str, str]:
        """The non-empty free-text fields (English name → text), for NLP."""
        return {name: value for name in DEMAND_TEXT_FIELDS if (value := getattr(self, name))}


# Free-text fields of a demand in form order (used for NLP and length rules).
DEMAND_TEXT_FIELDS: tuple[str, ...] = (
    "title", "publish_title", "description", "rd_capability", "work_done", "publish_content",
    "solver_requirements", "deliverables", "ip_and_benefits", "industry_impact", "economic_benefit",
    "social_benefit", "talent_needs", "expert_opinion",
)


class DemandRecord(Demand, Enterprise, PlatformInfo):
    """One flat import row: platform fields + enterprise + demand (the platform export's columns)."""

    def enterprise(self) -> Enterprise:
        """The enterprise part of this row."""
        return Enterprise.model_validate(self._subset(Enterprise))

    def demand(self) -> Demand:
        """The demand part of this row."""
        return Demand.model_validate(self._subset(Demand))

    def platform(self) -> PlatformInfo:
        """The platform part of this row."""
        return PlatformInfo.model_validate(self._subset(PlatformInfo))

    @classmethod
    def from_parts(cls, enterprise: Enterprise, demand: Demand,
                   platform: PlatformInfo | None = None) -> "DemandRecord":
        """Join an enterprise, a demand and (optionally) platform info into a flat row."""
        data: dict[str, Any] = {}
        for part in (platform, enterprise, demand):
            if part is not None:
                data.update({name: getattr(part, name) for name in type(part).model_fields})
        return cls.model_validate(data)

    def _subset(self, model: type[FormModel]) -> dict[str, Any]:
        return {name: getattr(self, name) for name in model.model_fields}


# --------------------------------------------------------------------------- experts and solvers


def _parse_available(value: Any) -> bool:
    """是否可用: blank means available."""
    parsed = parse_bool(value)
    return True if parsed is None else parsed


class Expert(FormModel):
    """专家库中的一位专家. Identity and contacts are personal data (admin only)."""

    expert_id: Annotated[str, BeforeValidator(parse_text)] = Field(..., alias="专家编号", description="专家编号（必填）")
    name: Text = _f("姓名", "专家姓名（个人信息，仅管理员可见）", personal=True)
    organization: Text = _f("工作单位", "工作单位（用于回避同单位）")
    title: Text = _f("职称", "职称")
    location: Place = _f("所在地区", "所在地区（市或省名；辽宁省外即省外专家）")
    category: Annotated[ExpertCategory | None, BeforeValidator(_parse_expert_category)] = _f(
        "专家类别", "专家类别：技术/财务/管理")
    research_fields: Text = _f("研究领域", "研究领域")
    keywords: TextList = _f("关键词", "关键词（用“、”分隔）", default_factory=list)
    achievements: Text = _f("代表性成果", "代表性成果")
    available: Annotated[bool, BeforeValidator(_parse_available)] = _f(
        "是否可用", "是否可用（是/否，空白视为是）", default=True)
    avoid_orgs: TextList = _f("回避单位", "回避单位（用“、”分隔）", default_factory=list)
    mobile: Text = _f("手机", "手机（个人信息）", personal=True)
    email: Text = _f("电子邮箱", "电子邮箱（个人信息）", personal=True)

    @property
    def in_province(self) -> bool:
        """True when the expert works in Liaoning (a region of the province or 辽宁省 itself)."""
        return bool(self.location) and (self.location in REGION_VALUES or self.location.startswith("辽宁"))


class ExpertReview(FormModel):
    """评审记录: one past review by an expert (evidence of expertise)."""

    expert_id: Annotated[str, BeforeValidator(parse_text)] = Field(..., alias="专家编号", description="专家编号（必填）")
    project_title: Annotated[str, BeforeValidator(parse_text)] = Field(
        ..., alias="项目名称", description="评审过的项目名称（必填）")
    project_abstract: Text = _f("项目摘要", "项目摘要")
    keywords: TextList = _f("关键词", "关键词（用“、”分隔）", default_factory=list)
    reviewed_on: Day = _f("评审时间", "评审时间")


class Solver(FormModel):
    """揭榜方: a university, institute or enterprise that may solve demands."""

    solver_id: Annotated[str, BeforeValidator(parse_text)] = Field(..., alias="单位编号", description="单位编号（必填）")
    name: Annotated[str, BeforeValidator(parse_text)] = Field(..., alias="单位名称", description="单位名称（必填）")
    kind: Annotated[SolverType | None, BeforeValidator(_parse_solver_type)] = _f(
        "单位类型", "单位类型：高校/科研院所/企业")
    location: Place = _f("所在地区", "所在地区")
    research_directions: Text = _f("研究方向", "研究方向")
    capabilities: Text = _f("能力描述", "能力描述")
    platforms: Text = _f("科技创新平台", "科技创新平台")
    achievements: Text = _f("代表性成果", "代表性成果")


# --------------------------------------------------------------------------- rule outputs


class Finding(BaseModel):
    """One rule finding on a demand: which rule, how serious, what it says, the offending values."""

    rule_id: str = Field(..., description="规则编号，如 revenue_threshold")
    severity: Severity = Field(..., description="严重程度：error（不符合要求）/warning（提醒）")
    message_zh: str = Field(..., description="中文说明")
    message_en: str = Field(..., description="英文说明")
    fields: list[str] = Field(default_factory=list, description="涉及的字段（中文表头）")
    values: dict[str, Any] = Field(default_factory=dict, description="触发规则的取值（字段 → 值）")


class QuotaStatus(BaseModel):
    """Progress of one region (or park) against its recommendation quota."""

    scope: str = Field(..., description="范围：region（地区）或 park（园区）")
    name: str = Field(..., description="地区或园区名称")
    minimum: int = Field(..., description="最低推荐数量")
    count: int = Field(..., description="当前推荐数量")
    remaining: int = Field(..., description="距最低数量还差多少（0 表示已完成）")
    met: bool = Field(..., description="是否已完成配额")
    message_zh: str = Field(..., description="中文说明")
    message_en: str = Field(..., description="英文说明")


# --------------------------------------------------------------------------- personal data and export


def personal_fields(model: type[BaseModel]) -> frozenset[str]:
    """English names of the fields of ``model`` that hold personal data."""
    return frozenset(name for name, info in model.model_fields.items()
                     if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("personal"))


PERSONAL_FIELDS: frozenset[str] = personal_fields(DemandRecord)
EXPERT_PERSONAL_FIELDS: frozenset[str] = personal_fields(Expert)
REDACTED = "***"


def redact(data: dict[str, Any], model: type[BaseModel] = DemandRecord) -> dict[str, Any]:
    """A copy of ``data`` (English or Chinese keys) with personal values replaced by ``***``."""
    hidden = personal_fields(model)
    hidden_aliases = {model.model_fields[n].alias for n in hidden}
    return {k: (REDACTED if (k in hidden or k in hidden_aliases) and v not in (None, "") else v)
            for k, v in data.items()}


def headers(model: type[BaseModel]) -> list[str]:
    """The Chinese column headers of ``model`` in form order."""
    return [info.alias or name for name, info in model.model_fields.items()]


def export_value(value: Any) -> Any:
    """A field value as a clerk reads it in a sheet: enums → text, bool → 是/否, lists joined by 、."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "、".join(str(export_value(v)) for v in value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds") if (value.hour or value.minute or value.second) \
            else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_row(record: BaseModel, *, redact_personal: bool = False) -> dict[str, Any]:
    """A record as an export row: Chinese headers in form order, clerk-readable values."""
    model = type(record)
    hidden = personal_fields(model) if redact_personal else frozenset()
    row: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        value = getattr(record, name)
        if name in hidden and value not in (None, ""):
            value = REDACTED
        row[info.alias or name] = export_value(value)
    return row
