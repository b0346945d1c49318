"""Intake of one demand: validate, store (idempotent), run the intake steps, audit.

Intake runs a list of steps per demand (:data:`DEFAULT_INTAKE_STEPS`: the campaign rules); the
composition root appends the others (the duplicate check), each with the :data:`IntakeStep`
signature. :func:`check_all` re-runs the same steps over every stored demand.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.errors import Conflict, InvalidInput
from api.forms.models import DemandRecord, Enterprise
from api.forms.parsers import enum_text
from api.forms.personal import headers
from api.services import intake_notices
from api.services.updates import apply_update, record_data
from api.services.audit import append_audit
from api.services.campaign import CampaignContext
from api.services.demands import all_demands
from api.services.progress import progress
from api.services.views import DemandView, view_of
from api.store import tables as db
from api.store.uow import unit_of_work
from matching.identifiers import credit_code_valid, email_valid, mobile_valid, phone_valid
from matching.rules import check_demand, route
from nlp.names import enterprise_key, org_key

log = logging.getLogger(__name__)

SEVERITY_ORDER = {"ok": 0, "info": 1, "warning": 2, "error": 3}
CHECK_STATUSES = ("ok", "warning", "error")


@dataclass
class IntakeItem:
    """One demand going through intake: the validated record, its stored row and what steps found."""

    record: Any
    data: dict[str, Any]
    demand: db.Demand
    existing_demand_count: int
    submitted_at: datetime | None = None
    findings: list[Any] = field(default_factory=list)

    @cached_property
    def view(self) -> DemandView:
        """The typed view of this demand (normalised once, shared by every step)."""
        return view_of(self.record, demand_id=self.demand.id)


#: An intake step looks at one item (its demand row is flushed: it has an id) and returns findings.
IntakeStep = Callable[[Session, CampaignContext, IntakeItem], list[Any]]


def rules_step(session: Session, campaign: CampaignContext, item: IntakeItem) -> list[Any]:
    """Run the campaign rules (DESIGN §3) on the record."""
    return list(check_demand(item.record, campaign.rules, existing_demand_count=item.existing_demand_count,
                             submitted_at=item.submitted_at))


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


def identifiers_step(session: Session, campaign: CampaignContext, item: IntakeItem) -> list[dict[str, Any]]:
    """Warn about a credit code, phone or e-mail that cannot be right (values are not repeated in the finding)."""
    fields = DemandRecord.model_fields
    out = []
    for rule_id, names, valid, shape_zh, shape_en in IDENTIFIER_CHECKS:
        for name in names:
            value = getattr(item.record, name)
            if value and not valid(str(value)):
                header = fields[name].alias or name
                out.append({"rule_id": rule_id, "severity": "warning", "fields": [header], "values": {},
                            "message_zh": f"{header}格式不正确，应为{shape_zh}。",
                            "message_en": f"{header} does not look right: expected {shape_en}."})
    return out


def as_written_step(session: Session, campaign: CampaignContext, item: IntakeItem) -> list[dict[str, Any]]:
    """Estimates, negative amounts and month-only dates, said to the clerk (:mod:`api.services.intake_notices`)."""
    return intake_notices.as_written_findings(item.record)


def same_name_step(session: Session, campaign: CampaignContext, item: IntakeItem) -> list[dict[str, Any]]:
    """A same-name firm of another region, for a human (:mod:`api.services.intake_notices`)."""
    return intake_notices.same_name_findings(session, campaign.id, item.demand.enterprise, item.record.name)


DEFAULT_INTAKE_STEPS: tuple[IntakeStep, ...] = (rules_step, identifiers_step, as_written_step, same_name_step)


@dataclass
class IntakeResult:
    """What happened to one submitted record: ``new``, ``unchanged`` or ``updated`` (with the headers
    whose values changed)."""

    demand: db.Demand
    outcome: str
    findings: list[db.FindingRow]
    changed_fields: list[str] = field(default_factory=list)


def content_hash(data: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of a record (idempotency key when there is no 需求编号)."""
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def identity_of(record: DemandRecord) -> str:
    """The stored enterprise key of a record (:func:`nlp.names.enterprise_key`, clipped to the column)."""
    return db.clip(db.Enterprise, "org_key", enterprise_key(record.name, record.credit_code, record.region)) or ""


def _upsert_enterprise(session: Session, campaign: CampaignContext, record: DemandRecord) -> db.Enterprise:
    key = identity_of(record)
    if not org_key(record.name, record.credit_code).removeprefix("name:"):
        raise InvalidInput("企业名称不能为空。", "The enterprise name (企业名称) is required.",
                           {"field": "企业名称"})
    data = record_data(record)
    profile = {k: data[k] for k in headers(Enterprise) if k in data}
    row = session.scalar(select(db.Enterprise).where(db.Enterprise.campaign_id == campaign.id,
                                                     db.Enterprise.org_key == key))
    columns = {c: db.clip(db.Enterprise, c, v) for c, v in dict(
        name=record.name or "", credit_code=record.credit_code, group_name=record.group_name,
        region=record.region, park=record.park).items()}
    columns["profile"] = profile
    if row is None:
        row = db.Enterprise(campaign_id=campaign.id, org_key=key, **columns)
        session.add(row)
        session.flush()
    else:
        for attr, value in columns.items():
            setattr(row, attr, value)
    return row


def _fill_demand(demand: db.Demand, campaign: CampaignContext, record: DemandRecord, data: dict[str, Any],
                 digest: str, enterprise: db.Enterprise, source: str | None) -> None:
    area = enum_text(record.tech_area)
    columns = dict(external_id=record.external_id, batch=enum_text(record.batch), region=record.region,
                   park=record.park, recommending_unit=record.review_unit, status=record.status,
                   category=enum_text(record.category), area=area, office=route(area, campaign.rules),
                   title=record.publish_title or record.title or "", source=source)
    for name, value in columns.items():
        setattr(demand, name, db.clip(db.Demand, name, value))
    demand.campaign_id = campaign.id
    demand.enterprise_id = enterprise.id
    demand.content_hash = digest
    demand.submitted_at = db.as_utc(record.submitted_at)
    demand.record = data


def _earlier_demands_of(session: Session, demand: db.Demand) -> int:
    """How many demands of the same enterprise and campaign were stored before this one."""
    return session.scalar(select(func.count()).select_from(db.Demand).where(
        db.Demand.campaign_id == demand.campaign_id, db.Demand.enterprise_id == demand.enterprise_id,
        db.Demand.id < demand.id)) or 0


def finding_to_dict(finding: Any) -> dict[str, Any]:
    """A rule finding (pydantic model, dataclass or dict) as a plain dict."""
    if hasattr(finding, "model_dump"):
        return finding.model_dump(mode="json")
    if hasattr(finding, "__dataclass_fields__"):
        return json.loads(json.dumps(asdict(finding), ensure_ascii=False, default=str))
    return dict(finding)


def finding_row(finding: Any) -> db.FindingRow:
    """A finding (model, dataclass or dict) as a storage row."""
    d = finding_to_dict(finding)
    rule_id = d.get("rule_id") or d.get("rule") or d.get("id") or "unknown"
    values = d.get("values") or {}
    if not isinstance(values, dict):
        values = {"values": values}
    fields = d.get("fields") or ([d["field"]] if d.get("field") else [])
    return db.FindingRow(rule_id=str(rule_id), severity=str(d.get("severity", "warning")),
                         message_zh=str(d.get("message_zh", "")), message_en=str(d.get("message_en", "")),
                         fields=list(fields), values=values)


def check_status_of(rows: Iterable[db.FindingRow]) -> str:
    """ok / warning / error: the worst severity among a demand's findings."""
    worst = max((SEVERITY_ORDER.get(r.severity, 2) for r in rows), default=0)
    return {0: "ok", 1: "ok", 2: "warning"}.get(worst, "error")


def _run_steps(session: Session, campaign: CampaignContext, item: IntakeItem,
               steps: Sequence[IntakeStep]) -> list[db.FindingRow]:
    for step in steps:
        item.findings.extend(step(session, campaign, item))
    rows = [finding_row(f) for f in item.findings]
    item.demand.findings = rows
    item.demand.check_status = check_status_of(rows)
    return rows


def _audit_view(demand: db.Demand) -> dict[str, Any]:
    """What the audit log keeps of a demand: the whole record, so an overwritten value can be recovered
    (the log is read by admins only; :func:`api.services.audit.redacted` masks it for anyone else)."""
    return {"record": dict(demand.record or {}), "check_status": demand.check_status,
            "findings": [f.rule_id for f in demand.findings]}


class EnterpriseChange(Conflict):
    """A record would move a stored demand (same 需求编号) to another enterprise."""

    code = "enterprise_change"


def intake_record(session: Session, campaign: CampaignContext, record: DemandRecord, *, actor: str,
                  source: str | None = None, steps: Sequence[IntakeStep] = DEFAULT_INTAKE_STEPS,
                  submitted_at: datetime | None = None, allow_enterprise_change: bool = False,
                  replace: bool = False, context: dict[str, Any] | None = None) -> IntakeResult:
    """Store one validated record (idempotent) and run the intake steps; does NOT commit.

    Same 需求编号 as a stored demand → the fields the record carries replace the stored ones
    (:func:`apply_update`; all of them with ``replace``): ``unchanged`` when nothing differs, else
    ``updated`` in place, naming the changed fields. Without a 需求编号, identical content is
    ``unchanged``; otherwise ``new``. An update that would give the demand another enterprise raises
    :class:`EnterpriseChange` unless allowed (admins): a 需求编号 typed wrongly must not overwrite another
    enterprise's demand.
    """
    external_id = record.external_id
    existing = None
    if external_id:
        existing = session.scalar(select(db.Demand).where(db.Demand.campaign_id == campaign.id,
                                                          db.Demand.external_id == external_id))
    changed: list[str] = []
    if existing is not None:
        record, changed = apply_update(dict(existing.record or {}), record, replace=replace, context=context)
    data = record_data(record)
    digest = content_hash(data)
    if existing is None:
        existing = session.scalar(select(db.Demand).where(db.Demand.campaign_id == campaign.id,
                                                          db.Demand.content_hash == digest)
                                  .order_by(db.Demand.id).limit(1))
    if existing is not None and (existing.content_hash == digest or (external_id and not changed)):
        return IntakeResult(existing, "unchanged", list(existing.findings))
    if existing is not None and not allow_enterprise_change:
        if existing.enterprise.org_key != identity_of(record):
            raise EnterpriseChange(
                f"需求编号 {external_id} 已属于企业“{existing.enterprise.name}”（{existing.enterprise.region or '地区未填'}），"
                "不能改为另一家企业或另一地区的企业；如确需更正，请由管理员提交。",
                f"Demand {external_id} belongs to another enterprise (or one of another region); only an admin may "
                "change the enterprise of a stored demand.", {"external_id": external_id, "field": "企业名称"})

    enterprise = _upsert_enterprise(session, campaign, record)
    if existing is None:
        demand, outcome, before = db.Demand(), "new", None
        _fill_demand(demand, campaign, record, data, digest, enterprise, source)
        session.add(demand)
    else:
        demand, outcome, before = existing, "updated", _audit_view(existing)
        _fill_demand(demand, campaign, record, data, digest, enterprise, source)
    session.flush()
    item = IntakeItem(record=record, data=data, demand=demand,
                      existing_demand_count=_earlier_demands_of(session, demand), submitted_at=submitted_at)
    rows = _run_steps(session, campaign, item, steps)
    session.flush()
    after = _audit_view(demand)
    if changed:
        after["changed_fields"] = changed
    append_audit(session, actor, "create" if outcome == "new" else "update", "demand", demand.id,
                 before, after, note=source)
    return IntakeResult(demand, outcome, rows, changed)


def submit_demand(session: Session, campaign: CampaignContext, payload: dict[str, Any] | Any, *,
                  actor: str, steps: Sequence[IntakeStep] = DEFAULT_INTAKE_STEPS,
                  source: str = "api", context: dict[str, Any] | None = None,
                  allow_enterprise_change: bool = False, replace: bool = False) -> IntakeResult:
    """Validate one flat record (Chinese or English keys), store it, run the rules, commit.

    ``context``: form validation context (``Settings.validation_context``: the hard cap on a text).
    ``replace``: the record replaces a stored one (same 需求编号) whole, not only the fields it carries."""
    record = payload if isinstance(payload, DemandRecord) else parse_record(payload, context)
    with unit_of_work(session):
        result = intake_record(session, campaign, record, actor=actor, source=source, steps=steps,
                               allow_enterprise_change=allow_enterprise_change, replace=replace, context=context)
    log.info("demand %s %s (%d findings)", result.demand.id, result.outcome, len(result.findings))
    return result


def parse_record(payload: dict[str, Any], context: dict[str, Any] | None = None) -> DemandRecord:
    """Validate a dict into a ``DemandRecord``; errors become :class:`InvalidInput` with field reasons."""
    try:
        return DemandRecord.model_validate(payload, context=context)
    except ValidationError as exc:
        raise InvalidInput("需求记录校验未通过，请按提示修改后重新提交。",
                           "The demand record is invalid; fix the listed fields and resubmit.",
                           validation_details(exc.errors())) from None


def validation_details(errors: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """pydantic/FastAPI validation errors as ``{field, message_en, type}`` without the input values."""
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body",)]
        ctx = err.get("ctx") or {}
        out.append({"field": ".".join(loc), "type": err.get("type"),
                    "message_zh": str(ctx.get("zh") or _zh_validation(err.get("type", ""))),
                    "message_en": str(ctx.get("en") or err.get("msg"))})
    return out


_ZH_TYPES = {
    "missing": "缺少必填项", "string_type": "应为文本", "int_parsing": "应为整数", "float_parsing": "应为数字",
    "enum": "取值不在允许范围内", "literal_error": "取值不在允许范围内", "string_too_long": "文字超出长度限制",
    "date_parsing": "日期格式不正确", "datetime_parsing": "时间格式不正确", "json_invalid": "JSON 格式不正确",
    "model_attributes_type": "应为对象（键值对）", "dict_type": "应为对象（键值对）",
}


def _zh_validation(kind: str) -> str:
    return _ZH_TYPES.get(kind, "取值不正确")


@dataclass
class CheckReport:
    """Result of re-running the rules over stored demands."""

    demands: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    findings_by_rule: dict[str, int] = field(default_factory=dict)
    changed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_all(session: Session, campaign: CampaignContext, *, actor: str,
              steps: Sequence[IntakeStep] = DEFAULT_INTAKE_STEPS, show_progress: bool = False) -> CheckReport:
    """Re-run the intake steps on every stored demand (the rules may have changed); one transaction."""
    report = CheckReport()
    statuses: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    with unit_of_work(session):
        for demand in progress(all_demands(session, campaign), show_progress, "检查规则 checking rules"):
            before = sorted((f.rule_id, f.severity) for f in demand.findings)
            item = IntakeItem(record=DemandRecord.model_validate(demand.record), data=demand.record,
                              demand=demand, existing_demand_count=_earlier_demands_of(session, demand))
            rows = _run_steps(session, campaign, item, steps)
            if sorted((f.rule_id, f.severity) for f in rows) != before:
                report.changed += 1
                append_audit(session, actor, "check", "demand", demand.id, {"findings": [b[0] for b in before]},
                             {"findings": [f.rule_id for f in rows]})
            statuses[demand.check_status] += 1
            rules.update(f.rule_id for f in rows)
            report.demands += 1
    report.by_status = {s: statuses.get(s, 0) for s in CHECK_STATUSES}
    report.findings_by_rule = dict(sorted(rules.items()))
    return report
