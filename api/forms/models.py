"""Form models (pydantic v2) mirroring the official 揭榜挂帅 forms, with Chinese headers as aliases.

A platform export with Chinese column headers validates as is (``DemandRecord.model_validate(row)``);
English field names work too; values are read by the lenient parsers of :mod:`api.forms.parsers`.
Length limits are *not* enforced here: they are campaign rules (:mod:`matching.rules`) reported as
findings, so nothing is lost at intake. Fields holding personal data carry
``json_schema_extra={"personal": True}`` (see :mod:`api.forms.personal`).
"""
from __future__ import annotations

import re

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationInfo, ValidatorFunctionWrapHandler,
                      field_validator, model_validator)
from pydantic_core import PydanticCustomError

from api.forms.parsers import (
    parse_area, parse_basis, parse_batch, parse_category, parse_expert_category,
    parse_nature, parse_solver_type, parse_tech_types, parse_bool, parse_count, parse_credit_code, parse_date,
    parse_datetime, parse_list, parse_number, parse_region, parse_required_text, parse_text, approximation,
    month_only)
from matching.vocabulary import (REGION_VALUES, Batch, DemandCategory, EconomicNature, ExpertCategory, SolverType,
                                 TechArea, TechBasis, TechEnterpriseType)
from nlp.names import org_key

# Annotated field types: one parser per kind of column.
Text = Annotated[str | None, BeforeValidator(parse_text)]
# a field the form requires: at least one character in the schema, blank refused as blank
RequiredText = Annotated[str, Field(min_length=1), BeforeValidator(parse_required_text)]
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


def _english_keys_in_schema(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """OpenAPI lists each field under its Chinese header; name the English key beside it."""
    english = {info.alias or name: name for name, info in model.model_fields.items()}
    for header, prop in schema.get("properties", {}).items():
        if header in english and english[header] != header:
            prop["x-english-key"] = english[header]
            prop["description"] = f"{prop.get('description', '')}（英文键 English key: {english[header]}）"


#: Hard cap on any one text value (characters), far above the form's own limits (需求描述 1,000 字, the
#: others 500 字, which are rule findings): a longer value is a validation error, so one pasted document
#: cannot slow every later comparison. Override per call with the validation context ``max_text_chars``.
MAX_TEXT_CHARS = 20_000
#: NUL and the other control characters (tab and line breaks allowed): never meant in a form, refused by
#: PostgreSQL's text type, and invisible in Excel — a value holding one is refused with a reason (per row).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


#: Key of a stored record that keeps values as the enterprise typed them where the typed value reads
#: differently (约500 → 500, 2023年5月 → 2023-05-01): header → text. Nothing a clerk wrote is lost.
AS_WRITTEN = "原文"


def _reads_as(parser: Any, text: str) -> Any:
    try:
        return parser(text)
    except Exception:  # a parser's pydantic error: the text no longer reads as any value
        return None


class FormModel(BaseModel):
    """Base of all form models: Chinese aliases in, English names accepted too, other keys ignored
    here and reported by the callers (:func:`unknown_keys`)."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", use_enum_values=False,
                              str_strip_whitespace=True, json_schema_extra=_english_keys_in_schema)
    _as_written: dict[str, str] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_as_written(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """Remember the text of a number typed as an estimate or a month-only date (see :data:`AS_WRITTEN`);
        a stored record brings its own back."""
        model = handler(data)
        if isinstance(data, dict) and isinstance(model, FormModel):
            kept = data.get(AS_WRITTEN)
            notes = {str(k): str(v) for k, v in kept.items()} if isinstance(kept, dict) else {}
            for name, info in cls.model_fields.items():
                header = info.alias or name
                raw = data.get(header, data.get(name))
                parser = next((m.func for m in info.metadata if hasattr(m, "func")), None)
                if header in notes and (parser is None or _reads_as(parser, notes[header]) != getattr(model, name)):
                    del notes[header]  # the value was changed since: its old text no longer describes it
                if (parser in (parse_number, parse_count) and approximation(raw)) or \
                        (parser in (parse_date, parse_datetime) and month_only(raw)):
                    notes[header] = str(raw).strip()
            model._as_written = notes
        return model

    @property
    def as_written(self) -> dict[str, str]:
        """Header → the text typed where the stored value reads differently (estimates, month-only dates)."""
        return dict(self._as_written)

    @field_validator("*", mode="after")
    @classmethod
    def _within_hard_limit(cls, value: Any, info: ValidationInfo) -> Any:
        limit = int((info.context or {}).get("max_text_chars") or MAX_TEXT_CHARS)
        texts = value if isinstance(value, list) else [value]
        bad = next((m for t in texts if isinstance(t, str) for m in [_CONTROL.search(t)] if m), None)
        if bad is not None:
            code = f"U+{ord(bad.group()):04X}"
            raise PydanticCustomError(
                "jiebang_value", "{zh} / {en}",
                {"zh": f"含有不可见的控制字符（{code}，第{bad.start() + 1}个字符处），请删除后重新提交",
                 "en": f"contains an invisible control character ({code} at character {bad.start() + 1}); "
                       "remove it and resubmit", "value": code})
        longest = max((len(t) for t in texts if isinstance(t, str)), default=0)
        if longest > limit:
            raise PydanticCustomError(
                "jiebang_value", "{zh} / {en}",
                {"zh": f"内容过长（{longest}字，上限{limit}字），请删减后重新提交",
                 "en": f"text too long ({longest} characters, at most {limit}); shorten it and resubmit",
                 "value": f"{longest} characters"})
        return value


def unknown_keys(data: Any, model: type[BaseModel]) -> list[str]:
    """Keys of a submitted object that are neither a header nor an English name of ``model`` (misspelt,
    or from another form): reported to the submitter, since their values are not stored."""
    if not isinstance(data, dict):
        return []
    known = {name for name in model.model_fields} | {info.alias for info in model.model_fields.values() if info.alias}
    return [str(k) for k in data if k not in known]


# --------------------------------------------------------------------------- demand form


class PlatformInfo(FormModel):
    """平台信息: what the submission platform adds to a form."""

    external_id: Text = _f("需求编号", "需求编号（平台编号；有则作为重复导入的幂等键）")
    batch: Annotated[Batch | None, BeforeValidator(parse_batch)] = _f("批次", "批次：第一批/第二批/第三批")
    review_unit: Text = _f("初审单位", "初审单位（推荐单位，如各市科技局、沈抚示范区）")
    submitted_at: Stamp = _f("提交时间", "提交时间（如 2023-03-01 或 2023/3/1 10:00）")
    status: Text = _f("状态", "状态（平台上的审核状态）")
    # not part of the form's content (excluded from the stored record and its hash): the version an edited
    # export row was based on — a row whose demand changed since the export is rejected (stale_version)
    row_version: Count = Field(None, alias="row_version", exclude=True,
                               description="版本号（导出文件中带出；据此修改，期间已被他人修改的行将被拒绝）")


class Enterprise(FormModel):
    """一、企业情况: the enterprise behind a demand."""

    name: RequiredText = Field(
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
    economic_nature: Annotated[EconomicNature | None, BeforeValidator(parse_nature)] = _f(
        "经济性质", "经济性质：国有控股/集体控股/私营控股/港澳台商控股/外商控股/其他")
    tech_enterprise_types: Annotated[list[TechEnterpriseType], BeforeValidator(parse_tech_types)] = _f(
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

    category: Annotated[DemandCategory | None, BeforeValidator(parse_category)] = _f(
        "需求类别", "需求类别：重大需求（企业投入≥1000万元）/重点需求（400–1000万元）")
    title: RequiredText = Field(..., alias="需求名称", description="需求名称（必填）")
    publish_title: Text = _f("发榜需求名称", "发榜需求名称（凝练后对外发布的名称）")
    tech_area: Annotated[TechArea | None, BeforeValidator(parse_area)] = _f(
        "技术领域", "技术领域：高新技术/新一代信息技术/生物医药/农业/社会发展（决定归口处室）")
    tech_basis: Annotated[TechBasis | None, BeforeValidator(parse_basis)] = _f(
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

    expert_id: RequiredText = Field(..., alias="专家编号", description="专家编号（必填）")
    name: Text = _f("姓名", "专家姓名（个人信息，仅管理员可见）", personal=True)
    organization: Text = _f("工作单位", "工作单位（用于回避同单位）")
    title: Text = _f("职称", "职称")
    location: Place = _f("所在地区", "所在地区（市或省名；辽宁省外即省外专家）")
    category: Annotated[ExpertCategory | None, BeforeValidator(parse_expert_category)] = _f(
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

    expert_id: RequiredText = Field(..., alias="专家编号", description="专家编号（必填）")
    project_title: RequiredText = Field(
        ..., alias="项目名称", description="评审过的项目名称（必填）")
    project_abstract: Text = _f("项目摘要", "项目摘要")
    keywords: TextList = _f("关键词", "关键词（用“、”分隔）", default_factory=list)
    reviewed_on: Day = _f("评审时间", "评审时间")


class Solver(FormModel):
    """揭榜方: a university, institute or enterprise that may solve demands."""

    solver_id: RequiredText = Field(..., alias="单位编号", description="单位编号（必填）")
    name: RequiredText = Field(..., alias="单位名称", description="单位名称（必填）")
    kind: Annotated[SolverType | None, BeforeValidator(parse_solver_type)] = _f(
        "单位类型", "单位类型：高校/科研院所/企业")
    location: Place = _f("所在地区", "所在地区")
    research_directions: Text = _f("研究方向", "研究方向")
    capabilities: Text = _f("能力描述", "能力描述")
    platforms: Text = _f("科技创新平台", "科技创新平台")
    achievements: Text = _f("代表性成果", "代表性成果")


# Chinese header → English field name of the flat import row (what campaign files refer to).
FIELD_BY_HEADER: dict[str, str] = {info.alias or name: name for name, info in DemandRecord.model_fields.items()}
