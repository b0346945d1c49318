"""What intake tells the clerk beside the campaign rules: values read differently from how they were typed
(estimates, month-only dates, negative amounts) and a same-name firm of another region — findings for a
human, so nothing is altered or merged silently (#23)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from api.forms.models import FIELD_BY_HEADER, DemandRecord
from api.forms.parsers import approximation, month_only
from api.store import tables as db
from matching.identifiers import credit_code_valid, email_valid, mobile_valid, phone_valid
from nlp.names import same_name_prefixes

#: Amounts that cannot be negative (the net profit can).
NON_NEGATIVE = ("registered_capital", "output_value", "sales_revenue", "taxes_paid", "rd_expense", "debt_ratio",
                "task_investment", "total_investment", "staff_total", "rd_staff", "senior_engineers", "masters",
                "doctors")


def as_written_findings(record: DemandRecord) -> list[dict[str, Any]]:
    """Values read differently from how they were typed, said to the clerk: an estimate (约500, 500左右,
    1000万元以上 — counted as the number), a month-only date (kept as written, counted from the 1st), a
    negative amount."""
    fields = DemandRecord.model_fields
    out: list[dict[str, Any]] = []
    for header, text in record.as_written.items():
        name = FIELD_BY_HEADER.get(header, header)
        value = getattr(record, name, None)
        if approximation(text):
            out.append({"rule_id": "approximate_value", "severity": "warning", "fields": [header],
                        "values": {header: text},
                        "message_zh": f"“{header}”填写为“{text}”（{approximation(text)}），按 {value:g} 计算；请核实准确数值。",
                        "message_en": f"{header} was given as '{text}' (an estimate or bound); counted as {value:g}. "
                                      "Check the exact figure."})
        elif month_only(text):
            out.append({"rule_id": "month_only_date", "severity": "info", "fields": [header],
                        "values": {header: text},
                        "message_zh": f"“{header}”只填写了年月（{text}），原文已保留，计算时按 {value} 计。",
                        "message_en": f"{header} gives a month only ({text}); kept as written, counted as {value}."})
    for name in NON_NEGATIVE:
        value = getattr(record, name)
        if value is not None and value < 0:
            header = fields[name].alias or name
            out.append({"rule_id": "negative_amount", "severity": "warning", "fields": [header],
                        "values": {header: value},
                        "message_zh": f"“{header}”为负数（{value:g}），请核实。",
                        "message_en": f"{header} is negative ({value:g}); check it."})
    return out


def same_name_findings(session: Session, campaign_id: int, enterprise: db.Enterprise | None,
                       name: str | None) -> list[dict[str, Any]]:
    """A firm without a credit code whose name matches a stored firm of another region (or a group and
    its namesake firm): maybe one enterprise, maybe two — for a human to judge; never merged silently."""
    if enterprise is None or enterprise.credit_code:
        return []
    at, group = same_name_prefixes(name)
    others = list(session.scalars(select(db.Enterprise).where(
        db.Enterprise.campaign_id == campaign_id, db.Enterprise.id != enterprise.id,
        or_(db.Enterprise.org_key.startswith(at, autoescape=True),
            db.Enterprise.org_key.startswith(group, autoescape=True))).order_by(db.Enterprise.id).limit(5)))
    return same_name_notice([(o.id, o.name, o.region) for o in others])


def same_name_notice(others: Sequence[tuple[Any, str, str | None]]) -> list[dict[str, Any]]:
    """The ``possible_same_enterprise`` warning naming ``others`` (id, name, region), or nothing when none."""
    if not others:
        return []
    names = "；".join(f"{name}（{region or '地区未填'}）" for _, name, region in others)
    return [{"rule_id": "possible_same_enterprise", "severity": "warning", "fields": ["企业名称", "注册地区"],
             "values": {"enterprises": [i for i, _, _ in others]},
             "message_zh": f"与已登记的企业名称相近：{names}。未合并为同一企业；如是同一企业，请补充统一社会信用代码或人工核对。",
             "message_en": f"the name matches {len(others)} enterprise(s) of another region or a group; they were "
                           "not merged. Add the unified social credit code or have someone check."}]


#: Identifiers checked at intake: (rule id, form fields, check, what a valid value looks like zh / en).
IDENTIFIER_CHECKS: tuple[tuple[str, tuple[str, ...], Callable[[str], bool], str, str], ...] = (
    ("credit_code_invalid", ("credit_code",), credit_code_valid,
     "18位统一社会信用代码，末位校验码正确（GB 32100）", "an 18-character unified social credit code with its check character (GB 32100)"),
    ("phone_invalid", ("contact_mobile", "legal_rep_mobile"), mobile_valid,
     "11位手机号码", "an 11-digit mobile number"),
    ("phone_invalid", ("contact_phone", "legal_rep_phone", "contact_fax"), phone_valid,
     "电话号码，如 024-12345678", "a phone number, e.g. 024-12345678"),
    ("email_invalid", ("contact_email",), email_valid, "电子邮箱，如 name@example.com", "an e-mail address, e.g. name@example.com"),
)


def identifier_findings(record: DemandRecord) -> list[dict[str, Any]]:
    """Warn about a credit code, phone or e-mail that cannot be right (values are not repeated in the finding)."""
    fields = DemandRecord.model_fields
    out = []
    for rule_id, names, valid, shape_zh, shape_en in IDENTIFIER_CHECKS:
        for name in names:
            value = getattr(record, name)
            if value and not valid(str(value)):
                header = fields[name].alias or name
                out.append({"rule_id": rule_id, "severity": "warning", "fields": [header], "values": {},
                            "message_zh": f"{header}格式不正确，应为{shape_zh}。",
                            "message_en": f"{header} does not look right: expected {shape_en}."})
    return out
