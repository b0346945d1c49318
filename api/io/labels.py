"""Chinese labels for what reports and the CLI show (ids stay as they are in JSON)."""
from __future__ import annotations

from typing import Any

#: Rule id → name shown to clerks (campaign rules of :mod:`matching.rules` and the duplicate check).
RULE_ZH: dict[str, str] = {
    "required_fields": "必填项缺失", "registered_in_province": "非本省注册", "independent_legal_person": "非独立法人",
    "good_credit": "信用不良", "max_demands_per_enterprise": "超过每企业需求数", "revenue_threshold": "营业收入未达门槛",
    "rd_threshold": "研发费用未达门槛", "investment_fits_category": "投入与需求类别不符", "text_length": "字数超限",
    "submission_deadline": "超过征集截止日期", "batch_deadline": "超过批次推荐截止日期",
    "duplicate": "疑似重复", "duplicate_dismissed": "已排除重复", "duplicate_related": "内容相关", "too_short_to_compare": "文本过短无法查重",
    "approximate_value": "数值为估计值", "negative_amount": "金额为负数", "month_only_date": "日期只有年月",
    "possible_same_enterprise": "疑似同一企业（未合并）",
    "credit_code_invalid": "信用代码格式不正确", "phone_invalid": "电话格式不正确", "email_invalid": "邮箱格式不正确",
}
SEVERITY_ZH = {"error": "不符合要求", "warning": "提醒", "info": "参考"}
STATUS_ZH = {"ok": "通过", "warning": "有提醒", "error": "不符合要求"}
SCOPE_ZH = {"region": "地区", "park": "园区"}


def actor_zh(actor: object) -> str:
    """Who did something, as the page names them: the token's subject without the audit log's ``api:``;
    the deployment's start-up admin token (subject ``admin``) as 管理员."""
    name = str(actor or "").removeprefix("api:")
    if name.startswith("login:"):
        return f"{name.removeprefix('login:')}（登录）"
    return {"admin": "管理员", "cli": "命令行", "system": "系统", "": "系统"}.get(name, name)


def batch_order(name: str) -> tuple[int, str]:
    """Sort key of a batch name: 第一批 < 第二批 < 第三批, then anything else by name."""
    from matching.vocabulary import Batch

    order = [b.value for b in Batch]
    return (order.index(name), name) if name in order else (len(order), name)


def rule_zh(rule_id: str) -> str:
    """A rule's Chinese name (the id itself for a rule this table does not know yet)."""
    return RULE_ZH.get(rule_id, rule_id)


def zh_quotes(text: Any) -> str:
    """Straight double quotes as Chinese ones, pairwise: 企业"揭榜挂帅" → 企业“揭榜挂帅”."""
    parts = str(text or "").split('"')
    return "".join(p + ("“" if i % 2 == 0 else "”") for i, p in enumerate(parts[:-1])) + parts[-1]
