"""Rule engine (规则检查): a demand + its enterprise against a campaign's rules → named findings.

Pure: takes a form record (any object with the form's English field names as attributes — the
shell's ``DemandRecord``) and a :class:`~matching.campaign.CampaignConfig`, and returns
:class:`Finding` objects; facts only storage knows (how many demands the enterprise already has)
come in as arguments. A rule that needs a value stays silent when the
value is blank — ``required_fields`` reports the blank once. Nothing is ever dropped here.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from matching.campaign import CampaignConfig
from matching.vocabulary import DemandCategory, Severity, TechArea
from nlp.text import is_empty

_SPACE = re.compile(r"\s+")
_KIND = {True: ("高新技术企业", "high-tech enterprise"), False: ("非高新技术企业", "non-high-tech enterprise")}
_CATEGORY_EN = {DemandCategory.MAJOR: "major demand (重大需求)", DemandCategory.KEY: "key demand (重点需求)"}


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
    count: int = Field(..., description="计入配额的数量：不重复、无规则错误的需求")
    submitted: int | None = Field(None, description="已收到的全部需求数（含重复与不符合要求的）")
    remaining: int = Field(..., description="距最低数量还差多少（0 表示已完成）")
    met: bool = Field(..., description="是否已完成配额")
    message_zh: str = Field(..., description="中文说明")
    message_en: str = Field(..., description="英文说明")


def text_length(text: str | None) -> int:
    """Length of a form text as counted against its limit: characters, white space not counted."""
    return len(_SPACE.sub("", text or ""))


class _Ctx:
    """What one check run knows: the record, the campaign and the facts passed in."""

    def __init__(self, record: Any, campaign: CampaignConfig, existing: int,
                 submitted_at: datetime | date | None):
        self.record, self.campaign, self.existing = record, campaign, existing
        self.submitted_at = submitted_at if submitted_at is not None else record.submitted_at

    def value(self, header: str) -> Any:
        return getattr(self.record, self.campaign.field(header))

    def finding(self, rule_id: str, fields: list[str], values: dict[str, Any], **params: Any) -> Finding | None:
        spec = self.campaign.rules[rule_id]
        if not spec.enabled:
            return None
        return Finding(rule_id=rule_id, severity=spec.severity, message_zh=spec.message_zh.format(**params),
                       message_en=spec.message_en.format(**params), fields=fields, values=values)


def _required_fields(ctx: _Ctx) -> Iterator[Finding | None]:
    missing = [h for h in ctx.campaign.required_fields if is_empty(ctx.value(h))]
    if missing:
        yield ctx.finding("required_fields", missing, {h: None for h in missing}, missing="、".join(missing))


def _registered_in_province(ctx: _Ctx) -> Iterator[Finding | None]:
    region = ctx.record.region
    if region and region not in ctx.campaign.regions:
        yield ctx.finding("registered_in_province", ["注册地区"], {"注册地区": region},
                          region=region, province=ctx.campaign.province)


def _independent_legal_person(ctx: _Ctx) -> Iterator[Finding | None]:
    if ctx.record.independent_legal_person is False:
        yield ctx.finding("independent_legal_person", ["独立法人"], {"独立法人": "否"})


def _good_credit(ctx: _Ctx) -> Iterator[Finding | None]:
    if ctx.record.bad_credit_record is True:
        yield ctx.finding("good_credit", ["近三年信用不良记录"], {"近三年信用不良记录": "是"})


def _max_demands(ctx: _Ctx) -> Iterator[Finding | None]:
    maximum = ctx.campaign.max_demands_per_enterprise
    if ctx.existing + 1 > maximum:
        yield ctx.finding("max_demands_per_enterprise", ["企业名称"],
                          {"企业名称": ctx.record.name, "existing": ctx.existing, "maximum": maximum},
                          existing=ctx.existing, maximum=maximum)


def _thresholds(ctx: _Ctx) -> Iterator[Finding | None]:
    category = ctx.record.category
    if category is None or category not in ctx.campaign.categories:
        return
    rule = ctx.campaign.categories[category]
    high_tech = ctx.campaign.high_tech_type in {t.value for t in ctx.record.tech_enterprise_types}
    limits = rule.high_tech if high_tech else rule.other
    kind, kind_en = _KIND[high_tech]
    for rule_id, header, minimum in (("revenue_threshold", ctx.campaign.revenue_field, limits.revenue),
                                     ("rd_threshold", ctx.campaign.rd_field, limits.rd)):
        actual = ctx.value(header)
        if actual is not None and actual < minimum:
            yield ctx.finding(rule_id, [header, "需求类别", "科技企业性质"],
                              {header: actual, "需求类别": category.value, "high_tech": high_tech,
                               "minimum": minimum},
                              kind=kind, kind_en=kind_en, category=category.value,
                              category_en=_CATEGORY_EN[category], minimum=minimum, actual=actual)


def _investment(ctx: _Ctx) -> Iterator[Finding | None]:
    category = ctx.record.category
    header = ctx.campaign.investment_field
    actual = ctx.value(header)
    if category is None or actual is None or category not in ctx.campaign.categories:
        return
    band = ctx.campaign.categories[category].investment
    if not band.contains(actual):
        zh, en = band.describe()
        yield ctx.finding("investment_fits_category", [header, "需求类别"],
                          {header: actual, "需求类别": category.value, "min": band.min, "max": band.max},
                          category=category.value, category_en=_CATEGORY_EN[category], band=zh, band_en=en,
                          actual=actual)


def _text_length(ctx: _Ctx) -> Iterator[Finding | None]:
    for header, limit in ctx.campaign.length_limits.items():
        length = text_length(ctx.value(header))
        if length > limit:
            yield ctx.finding("text_length", [header], {header: length, "limit": limit},
                              field=header, length=length, limit=limit)


def _submission_deadline(ctx: _Ctx) -> Iterator[Finding | None]:
    day = _day(ctx.submitted_at)
    deadline = ctx.campaign.submission_deadline
    if day is not None and day > deadline:
        yield ctx.finding("submission_deadline", ["提交时间"],
                          {"提交时间": day.isoformat(), "deadline": deadline.isoformat()},
                          submitted=day.isoformat(), deadline=deadline.isoformat())


def _batch_deadline(ctx: _Ctx) -> Iterator[Finding | None]:
    day, batch = _day(ctx.submitted_at), ctx.record.batch
    deadline = ctx.campaign.batch_deadline(batch) if batch is not None else None
    if day is None or deadline is None or day <= deadline:
        return
    expected = ctx.campaign.batch_for(day)
    expected_zh = expected.value if expected else "（已过全部批次）"
    expected_en = expected.value if expected else "no batch (after the last deadline)"
    yield ctx.finding("batch_deadline", ["批次", "提交时间"],
                      {"批次": batch.value, "提交时间": day.isoformat(), "deadline": deadline.isoformat(),
                       "expected": expected.value if expected else None},
                      batch=batch.value, deadline=deadline.isoformat(), submitted=day.isoformat(),
                      expected=expected_zh, expected_en=expected_en)


# Rule id → check, in the order findings are reported (``_thresholds`` also reports rd_threshold).
CHECKS: dict[str, Callable[[_Ctx], Iterator[Finding | None]]] = {
    "required_fields": _required_fields,
    "registered_in_province": _registered_in_province,
    "independent_legal_person": _independent_legal_person,
    "good_credit": _good_credit,
    "max_demands_per_enterprise": _max_demands,
    "revenue_threshold": _thresholds,
    "investment_fits_category": _investment,
    "text_length": _text_length,
    "submission_deadline": _submission_deadline,
    "batch_deadline": _batch_deadline,
}


def check_demand(record: Any, campaign: CampaignConfig, *, existing_demand_count: int = 0,
                 submitted_at: datetime | date | None = None) -> list[Finding]:
    """All findings for one demand row.

    ``existing_demand_count``: the enterprise's *other* demands already in this campaign (storage
    knows it). ``submitted_at``: when the demand arrived; defaults to the row's 提交时间.
    """
    ctx = _Ctx(record, campaign, existing_demand_count, submitted_at)
    return [f for check in CHECKS.values() for f in check(ctx) if f is not None]


def has_errors(findings: list[Finding]) -> bool:
    """True when any finding is an error (the demand does not meet the notice)."""
    return any(f.severity == "error" for f in findings)


def route(area: TechArea | str | None, campaign: CampaignConfig) -> str:
    """The office (处室) responsible for a demand of technology area ``area``; blank → coordinator."""
    if area is None or area == "":
        return campaign.coordinator_office
    try:
        return campaign.routing[TechArea(area)]
    except ValueError:
        return campaign.coordinator_office


def quota_progress(counts_by_region: Mapping[str, int], counts_by_park: Mapping[str, int],
                   campaign: CampaignConfig, *, submitted_by_region: Mapping[str, int] | None = None,
                   submitted_by_park: Mapping[str, int] | None = None) -> list[QuotaStatus]:
    """Progress of every region and every quota park against its minimum number of recommendations.

    ``counts_*``: what counts toward the quota (distinct demands without rule errors);
    ``submitted_*``: everything received, reported beside it."""
    out = [_quota("region", r, campaign.region_minimum(r), counts_by_region.get(r, 0),
                  None if submitted_by_region is None else submitted_by_region.get(r, 0))
           for r in campaign.regions]
    out += [_quota("park", p.name, p.minimum, _park_count(p.name, counts_by_park),
                   None if submitted_by_park is None else _park_count(p.name, submitted_by_park))
            for p in campaign.quotas.parks]
    return out


def _park_count(park: str, counts_by_park: Mapping[str, int]) -> int:
    """Demands of a park, also when 所在园区 was written longer ("沈阳市浑南科技城")."""
    return sum(n for name, n in counts_by_park.items() if name and park in name)


def _quota(scope: str, name: str, minimum: int, count: int, submitted: int | None = None) -> QuotaStatus:
    remaining = max(minimum - count, 0)
    if remaining:
        zh = f"{name}已推荐{count}项，最低{minimum}项，还差{remaining}项"
        en = f"{name}: {count} recommended of at least {minimum}; {remaining} to go"
    else:
        zh = f"{name}已推荐{count}项，已达到最低{minimum}项"
        en = f"{name}: {count} recommended, minimum of {minimum} met"
    if submitted is not None and submitted != count:
        zh += f"（共收到{submitted}项，重复或不符合要求的不计入）"
        en += f" ({submitted} received; duplicates and demands with rule errors do not count)"
    return QuotaStatus(scope=scope, name=name, minimum=minimum, count=count, submitted=submitted,
                       remaining=remaining, met=not remaining, message_zh=zh, message_en=en)


def _day(value: datetime | date | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value
