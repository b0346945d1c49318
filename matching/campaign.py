"""Campaign configuration (征集活动规则): thresholds, dates, quotas, routing and rule messages.

The rules of the official notice change every year, so they are data (``corpora/campaigns/*.yaml``,
read by the shell) validated into a :class:`CampaignConfig`; :mod:`matching.rules` applies them.
Field references in the file are the Chinese form headers; they are checked against the form's
header → field-name map, which the caller passes as validation context
(``CampaignConfig.model_validate(data, context={"form_fields": {...}})``, see :meth:`CampaignConfig.parse`).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, model_validator

from matching.vocabulary import Batch, DemandCategory, Region, Severity, TechArea

# The rules the engine knows (matching.rules); a campaign file must configure each of them.
RULE_IDS: tuple[str, ...] = (
    "required_fields", "registered_in_province", "independent_legal_person", "good_credit",
    "max_demands_per_enterprise", "revenue_threshold", "rd_threshold", "investment_fits_category",
    "text_length", "submission_deadline", "batch_deadline",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Thresholds(_Strict):
    """Last-year minimums (万元) an enterprise must meet to file a demand of some category."""

    revenue: float = Field(..., ge=0, description="上年度销售收入下限（万元）")
    rd: float = Field(..., ge=0, description="上年度研发费用下限（万元）")


class InvestmentBand(_Strict):
    """Allowed total R&D investment (万元) of a demand category; both ends inclusive."""

    min: float | None = Field(None, ge=0, description="下限（含）")
    max: float | None = Field(None, ge=0, description="上限（含）")

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def describe(self) -> tuple[str, str]:
        """(zh, en) description of the band, e.g. ("400–1000万元", "400–1000万元")."""
        if self.min is not None and self.max is not None:
            text = f"{self.min:g}–{self.max:g}万元"
            return text, text
        if self.min is not None:
            return f"不低于{self.min:g}万元", f"at least {self.min:g}万元"
        if self.max is not None:
            return f"不超过{self.max:g}万元", f"at most {self.max:g}万元"
        return "不限", "any amount"


class CategoryRule(_Strict):
    """Investment band and enterprise thresholds of one 需求类别."""

    investment: InvestmentBand
    high_tech: Thresholds = Field(..., description="高新技术企业的门槛")
    other: Thresholds = Field(..., description="其他企业的门槛")


class BatchDeadline(_Strict):
    batch: Batch
    deadline: date = Field(..., description="该批次推荐截止日期（含当日）")


class ParkQuota(_Strict):
    name: str = Field(..., description="园区名称（与“所在园区”列一致）")
    region: str = Field(..., description="园区所属地区")
    minimum: int = Field(..., ge=0, description="最低推荐数量")


class Quotas(_Strict):
    default_minimum: int = Field(..., ge=0, description="未单独列出地区的最低推荐数量")
    regions: dict[str, int] = Field(default_factory=dict, description="地区 → 最低推荐数量")
    parks: list[ParkQuota] = Field(default_factory=list, description="园区配额（计入所属地区）")


class RuleSpec(_Strict):
    """How one rule reports: severity and message templates (``str.format`` with the rule's values)."""

    severity: Severity
    message_zh: str
    message_en: str
    enabled: bool = True


class CampaignConfig(_Strict):
    """One campaign's rules (thresholds, dates, quotas, routing, messages)."""

    id: str
    name: str
    notice: str = ""
    province: str = "辽宁省"
    regions: list[str] = Field(default_factory=lambda: [r.value for r in Region])
    submission_deadline: date
    batches: list[BatchDeadline]
    # A bureau's recommendation (a demand put on its 推荐清单, or the list exported) after the batch's
    # deadline: ``refuse`` it, or ``flag`` it as late (逾期) and accept it.
    late_recommendations: Literal["refuse", "flag"] = "flag"
    max_demands_per_enterprise: int = Field(..., ge=1)
    high_tech_type: str = "高新技术企业"
    revenue_field: str = "上年度销售收入(万元)"
    rd_field: str = "上年度研发费用(万元)"
    investment_field: str = "需求研发总投入(万元)"
    categories: dict[DemandCategory, CategoryRule]
    length_limits: dict[str, int] = Field(default_factory=dict)
    required_fields: list[str] = Field(default_factory=list)
    quotas: Quotas
    coordinator_office: str
    routing: dict[TechArea, str]
    rules: dict[str, RuleSpec]

    _form_fields: dict[str, str] = PrivateAttr(default_factory=dict)

    @classmethod
    def parse(cls, data: Any, form_fields: Mapping[str, str]) -> "CampaignConfig":
        """Validate ``data`` (a parsed campaign file) against the form's header → field-name map."""
        return cls.model_validate(data, context={"form_fields": dict(form_fields)})

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> "CampaignConfig":
        fields = (info.context or {}).get("form_fields")
        if not fields:
            raise ValueError("validate a campaign with the form's headers: CampaignConfig.parse(data, form_fields)")
        self._form_fields = dict(fields)
        problems: list[str] = []
        headers = [self.revenue_field, self.rd_field, self.investment_field,
                   *self.length_limits, *self.required_fields]
        problems += [f"unknown field header: {h}" for h in headers if h not in fields]
        problems += [f"no rule configured for {r}" for r in RULE_IDS if r not in self.rules]
        problems += [f"unknown rule: {r}" for r in self.rules if r not in RULE_IDS]
        problems += [f"no thresholds for {c.value}" for c in DemandCategory if c not in self.categories]
        problems += [f"no office for {a.value}" for a in TechArea if a not in self.routing]
        deadlines = [b.deadline for b in self.batches]
        if deadlines != sorted(deadlines) or len({b.batch for b in self.batches}) != len(self.batches):
            problems.append("batches must be distinct and in deadline order")
        problems += [f"park {p.name} is in unknown region {p.region}" for p in self.quotas.parks
                     if p.region not in self.regions]
        problems += [f"quota for unknown region {r}" for r in self.quotas.regions if r not in self.regions]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def field(self, header: str) -> str:
        """English field name of a Chinese header used in this file."""
        return self._form_fields[header]

    def batch_deadline(self, batch: Batch | str) -> date | None:
        """Recommendation deadline of ``batch`` (None if the campaign has no such batch)."""
        for item in self.batches:
            if item.batch == batch:
                return item.deadline
        return None

    def batch_for(self, day: date) -> Batch | None:
        """The first batch whose deadline is on or after ``day`` (None: after the last one)."""
        return next((b.batch for b in self.batches if day <= b.deadline), None)

    def is_late(self, batch: Batch | str, day: date) -> bool:
        """True when ``day`` is after ``batch``'s recommendation deadline (the deadline day is on time)."""
        deadline = self.batch_deadline(batch)
        return deadline is not None and day > deadline

    def region_minimum(self, region: str) -> int:
        """Minimum number of recommended demands for ``region``."""
        return self.quotas.regions.get(region, self.quotas.default_minimum)
