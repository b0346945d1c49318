"""Service layer shared by the CLI and the HTTP API: intake, import, queries, checks, audit.

Each public function takes a SQLAlchemy ``Session`` and the :class:`CampaignContext` in force,
and commits its own unit of work (an import is ONE transaction). Intake runs a list of
steps per demand (:data:`DEFAULT_INTAKE_STEPS`: the campaign rules); later capabilities such as
the duplicate check plug in by appending a step with the :data:`IntakeStep` signature.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api import storage as db
from api.errors import Conflict, InvalidInput, NotFound

log = logging.getLogger(__name__)

SEVERITY_ORDER = {"ok": 0, "info": 1, "warning": 2, "error": 3}
CHECK_STATUSES = ("ok", "warning", "error")
SYSTEM_ACTOR = "system"


# --------------------------------------------------------------------------- campaign

@dataclass(frozen=True)
class CampaignContext:
    """The campaign in force: its rule configuration (``api.campaign``) and its storage row id."""

    rules: Any
    id: int
    code: str


def load_campaign(session: Session, campaign_file: Path) -> CampaignContext:
    """Load the campaign file and make sure it has a ``campaigns`` row (created on first use)."""
    from api.campaign import load_campaign as load_rules

    rules = load_rules(campaign_file)
    code = str(getattr(rules, "id", None) or getattr(rules, "code", None) or Path(campaign_file).stem)
    name = str(getattr(rules, "name", "") or code)
    row = session.scalar(select(db.Campaign).where(db.Campaign.code == code))
    config = rules.model_dump(mode="json") if hasattr(rules, "model_dump") else {}
    if row is None:
        row = db.Campaign(code=code, name=name, config=config)
        session.add(row)
        session.flush()
        append_audit(session, SYSTEM_ACTOR, "create", "campaign", row.id, None, {"code": code, "name": name})
        session.commit()
    elif row.config != config:
        before = {"config": row.config}
        row.config, row.name = config, name
        append_audit(session, SYSTEM_ACTOR, "update", "campaign", row.id, before, {"config": config})
        session.commit()
    return CampaignContext(rules=rules, id=row.id, code=code)


# --------------------------------------------------------------------------- audit

def append_audit(session: Session, actor: str, action: str, entity: str, entity_id: int | None,
                 before: dict[str, Any] | None, after: dict[str, Any] | None, note: str | None = None) -> None:
    """Append one audit entry; never updates or deletes entries.

    ``before``/``after`` must already be free of personal data (see :func:`redacted`).
    """
    session.add(db.AuditEntry(actor=actor, action=action, entity=entity, entity_id=entity_id,
                              before=before, after=after, note=note))


def redacted(data: dict[str, Any] | None, model: type | None = None) -> dict[str, Any] | None:
    """``data`` (Chinese-keyed record) with the personal fields of ``model`` masked (DemandRecord by default)."""
    from api import schemas

    if data is None:
        return None
    return schemas.redact(data, model or schemas.DemandRecord)


def list_audit(session: Session, *, entity: str | None = None, entity_id: int | None = None,
               limit: int = 100, offset: int = 0) -> list[db.AuditEntry]:
    """Audit entries, newest first."""
    query = select(db.AuditEntry)
    if entity:
        query = query.where(db.AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(db.AuditEntry.entity_id == entity_id)
    return list(session.scalars(query.order_by(db.AuditEntry.id.desc()).limit(limit).offset(offset)))


# --------------------------------------------------------------------------- intake

@dataclass
class IntakeItem:
    """One demand going through intake: the validated record, its stored row and what steps found."""

    record: Any
    data: dict[str, Any]
    demand: db.Demand
    existing_demand_count: int
    submitted_at: datetime | None = None
    findings: list[Any] = field(default_factory=list)


#: An intake step looks at one item (its demand row is flushed: it has an id) and returns findings.
IntakeStep = Callable[[Session, CampaignContext, IntakeItem], list[Any]]


def rules_step(session: Session, campaign: CampaignContext, item: IntakeItem) -> list[Any]:
    """Run the campaign rules (DESIGN §3) on the record."""
    from api.rules import check_demand

    return list(check_demand(item.record, campaign.rules, existing_demand_count=item.existing_demand_count,
                             submitted_at=item.submitted_at))


DEFAULT_INTAKE_STEPS: tuple[IntakeStep, ...] = (rules_step,)


@dataclass
class IntakeResult:
    """What happened to one submitted record: ``new``, ``unchanged`` or ``updated``."""

    demand: db.Demand
    outcome: str
    findings: list[db.FindingRow]


def record_data(record: Any) -> dict[str, Any]:
    """The record as a JSON-safe dict keyed by the Chinese form headers."""
    return record.model_dump(by_alias=True, mode="json")


def content_hash(data: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of a record (idempotency key when there is no 需求编号)."""
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("/", "-").replace(" ", "T", 1))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _enterprise_fields() -> list[str]:
    """Headers of the enterprise part of the flat row (from the schema, so there is one list)."""
    from api.schemas import Enterprise, headers

    return headers(Enterprise)


def _upsert_enterprise(session: Session, campaign: CampaignContext, data: dict[str, Any]) -> db.Enterprise:
    from nlp.names import org_key

    name = _text(data, "企业名称") or ""
    credit = _text(data, "统一社会信用代码")
    key = org_key(name, credit)
    if not key:
        raise InvalidInput("企业名称不能为空。", "The enterprise name (企业名称) is required.",
                           {"field": "企业名称"})
    fields = _enterprise_fields()
    profile = {k: data.get(k) for k in fields if k in data}
    key = db.clip(db.Enterprise, "org_key", key)
    row = session.scalar(select(db.Enterprise).where(db.Enterprise.campaign_id == campaign.id,
                                                     db.Enterprise.org_key == key))
    columns = {c: db.clip(db.Enterprise, c, v) for c, v in dict(
        name=name, credit_code=credit, group_name=_text(data, "集团名称"), region=_text(data, "注册地区"),
        park=_text(data, "所在园区")).items()}
    columns["profile"] = profile
    if row is None:
        row = db.Enterprise(campaign_id=campaign.id, org_key=db.clip(db.Enterprise, "org_key", key), **columns)
        session.add(row)
        session.flush()
    else:
        for attr, value in columns.items():
            setattr(row, attr, value)
    return row


def _office(campaign: CampaignContext, data: dict[str, Any]) -> str | None:
    from api.rules import route

    try:
        return route(data.get("技术领域"), campaign.rules)
    except Exception:  # an unknown area has no office; the rules report it as a finding
        return None


def _fill_demand(demand: db.Demand, campaign: CampaignContext, data: dict[str, Any], digest: str,
                 enterprise: db.Enterprise, source: str | None) -> None:
    columns = dict(external_id=_text(data, "需求编号"), batch=_text(data, "批次"), region=_text(data, "注册地区"),
                   park=_text(data, "所在园区"), recommending_unit=_text(data, "初审单位"),
                   status=_text(data, "状态"), category=_text(data, "需求类别"), area=_text(data, "技术领域"),
                   office=_office(campaign, data),
                   title=_text(data, "发榜需求名称") or _text(data, "需求名称") or "", source=source)
    for name, value in columns.items():
        setattr(demand, name, db.clip(db.Demand, name, value))
    demand.campaign_id = campaign.id
    demand.enterprise_id = enterprise.id
    demand.content_hash = digest
    demand.submitted_at = _parse_time(data.get("提交时间"))
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


def _finding_row(finding: Any) -> db.FindingRow:
    d = finding_to_dict(finding)
    rule_id = d.get("rule_id") or d.get("rule") or d.get("id") or "unknown"
    values = d.get("values") or {}
    if not isinstance(values, dict):
        values = {"values": values}
    fields = d.get("fields") or ([d["field"]] if d.get("field") else [])
    return db.FindingRow(rule_id=str(rule_id), severity=str(d.get("severity", "warning")),
                         message_zh=str(d.get("message_zh", "")), message_en=str(d.get("message_en", "")),
                         fields=list(fields), values=values)


def _check_status(rows: Iterable[db.FindingRow]) -> str:
    worst = max((SEVERITY_ORDER.get(r.severity, 2) for r in rows), default=0)
    return {0: "ok", 1: "ok", 2: "warning"}.get(worst, "error")


def _run_steps(session: Session, campaign: CampaignContext, item: IntakeItem,
               steps: Sequence[IntakeStep]) -> list[db.FindingRow]:
    for step in steps:
        item.findings.extend(step(session, campaign, item))
    rows = [_finding_row(f) for f in item.findings]
    item.demand.findings = rows
    item.demand.check_status = _check_status(rows)
    return rows


def _audit_view(demand: db.Demand) -> dict[str, Any]:
    return {"record": redacted(demand.record), "check_status": demand.check_status,
            "findings": [f.rule_id for f in demand.findings]}


def intake_record(session: Session, campaign: CampaignContext, record: Any, *, actor: str,
                  source: str | None = None, steps: Sequence[IntakeStep] = DEFAULT_INTAKE_STEPS,
                  submitted_at: datetime | None = None) -> IntakeResult:
    """Store one validated record (idempotent) and run the intake steps; does NOT commit.

    Same 需求编号 (or, without one, same content hash) as a stored demand → ``unchanged``
    when the content is identical, else ``updated`` in place; otherwise ``new``.
    """
    data = record_data(record)
    digest = content_hash(data)
    external_id = _text(data, "需求编号")
    existing = None
    if external_id:
        existing = session.scalar(select(db.Demand).where(db.Demand.campaign_id == campaign.id,
                                                          db.Demand.external_id == external_id))
    if existing is None:
        existing = session.scalar(select(db.Demand).where(db.Demand.campaign_id == campaign.id,
                                                          db.Demand.content_hash == digest)
                                  .order_by(db.Demand.id).limit(1))
    if existing is not None and existing.content_hash == digest:
        return IntakeResult(existing, "unchanged", list(existing.findings))

    enterprise = _upsert_enterprise(session, campaign, data)
    if existing is None:
        demand, outcome, before = db.Demand(), "new", None
        _fill_demand(demand, campaign, data, digest, enterprise, source)
        session.add(demand)
    else:
        demand, outcome, before = existing, "updated", _audit_view(existing)
        _fill_demand(demand, campaign, data, digest, enterprise, source)
    session.flush()
    item = IntakeItem(record=record, data=data, demand=demand,
                      existing_demand_count=_earlier_demands_of(session, demand), submitted_at=submitted_at)
    rows = _run_steps(session, campaign, item, steps)
    session.flush()
    append_audit(session, actor, "create" if outcome == "new" else "update", "demand", demand.id,
                 before, _audit_view(demand), note=source)
    return IntakeResult(demand, outcome, rows)


def submit_demand(session: Session, campaign: CampaignContext, payload: dict[str, Any] | Any, *,
                  actor: str, steps: Sequence[IntakeStep] = DEFAULT_INTAKE_STEPS,
                  source: str = "api") -> IntakeResult:
    """Validate one flat record (Chinese or English keys), store it, run the rules, commit."""
    from api.schemas import DemandRecord

    record = payload if isinstance(payload, DemandRecord) else parse_record(payload)
    with _unit_of_work(session):
        result = intake_record(session, campaign, record, actor=actor, source=source, steps=steps)
    log.info("demand %s %s (%d findings)", result.demand.id, result.outcome, len(result.findings))
    return result


def _concurrent_write() -> Conflict:
    return Conflict("同一需求或企业正被同时写入，本次未保存，请重试。",
                    "The same demand or enterprise was written concurrently; nothing was saved, please retry.",
                    code="concurrent_write")

@contextmanager
def _unit_of_work(session: Session) -> Iterator[None]:
    """Commit what the block wrote, or roll it all back; a unique-key clash becomes a 409."""
    try:
        yield
        session.commit()
    except IntegrityError:
        session.rollback()
        raise _concurrent_write() from None
    except Exception:
        session.rollback()
        raise


def parse_record(payload: dict[str, Any]) -> Any:
    """Validate a dict into a ``DemandRecord``; errors become :class:`InvalidInput` with field reasons."""
    from pydantic import ValidationError

    from api.schemas import DemandRecord

    try:
        return DemandRecord.model_validate(payload)
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


# --------------------------------------------------------------------------- import

@dataclass
class ImportReport:
    """Outcome of importing one file: counts, every rejected row with reasons, per-row results."""

    file: str
    format: str = ""
    rows: int = 0
    new: int = 0
    unchanged: int = 0
    updated: int = 0
    rejected_rows: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    findings_by_rule: dict[str, int] = field(default_factory=dict)

    @property
    def accepted(self) -> int:
        return self.new + self.unchanged + self.updated

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["accepted"] = self.accepted
        return d


def _start_report(result: Any, source: str, model: type) -> ImportReport:
    """An import report seeded from ``api.tables.ReadResult`` (rejected rows masked by ``model``)."""
    summary = result.summary(model=model)
    return ImportReport(file=source, format=summary["format"],
                        rows=len(result.accepted) + summary["rejected_rows"],
                        rejected_rows=summary["rejected_rows"], rejected=summary["rejected"],
                        notes=summary["notes"])


def import_demands(session: Session, campaign: CampaignContext, path: Path, *, actor: str,
                   steps: Sequence[IntakeStep] = DEFAULT_INTAKE_STEPS, progress: bool = False,
                   source: str | None = None) -> ImportReport:
    """Import a demand file (xlsx/csv/jsonl): accepted rows in ONE transaction, rejected rows listed."""
    from api.tables import read_records
    from api.schemas import DemandRecord

    source = source or Path(path).name
    result = read_records(path, DemandRecord, filename=source)
    report = _start_report(result, source, DemandRecord)
    rules: Counter[str] = Counter()
    rows = _progress(result.accepted, progress, "导入需求 importing demands")
    with _unit_of_work(session):
        for row_no, record in rows:
            outcome = intake_record(session, campaign, record, actor=actor, source=source, steps=steps)
            setattr(report, outcome.outcome, getattr(report, outcome.outcome) + 1)
            rules.update(f.rule_id for f in outcome.findings)
            report.results.append({"row_number": row_no, "demand_id": outcome.demand.id,
                                   "external_id": outcome.demand.external_id, "outcome": outcome.outcome,
                                   "check_status": outcome.demand.check_status,
                                   "findings": [f.rule_id for f in outcome.findings]})
        report.findings_by_rule = dict(sorted(rules.items()))
        append_audit(session, actor, "import", "file", None, None,
                     {"file": source, "rows": report.rows, "new": report.new, "updated": report.updated,
                      "unchanged": report.unchanged, "rejected_rows": report.rejected_rows})
    log.info("import %s: %d new, %d updated, %d unchanged, %d rows rejected", source, report.new,
             report.updated, report.unchanged, report.rejected_rows)
    return report


def _progress(items: Sequence[Any], enabled: bool, desc: str) -> Iterable[Any]:
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="行/rows", leave=False, disable=None)  # None: only on a terminal


# --------------------------------------------------------------------------- experts & solvers

def _upsert_by_external_id(session: Session, model: type, external_id: str, columns: dict[str, Any],
                           actor: str, entity: str, schema: type) -> str:
    columns = {k: db.clip(model, k, v) if isinstance(v, str) else v for k, v in columns.items()}
    external_id = db.clip(model, "external_id", external_id)
    row = session.scalar(select(model).where(model.external_id == external_id))
    after = {"record": redacted(columns["record"], schema)}
    if row is None:
        row = model(external_id=external_id, **columns)
        session.add(row)
        session.flush()
        append_audit(session, actor, "create", entity, row.id, None, after)
        return "new"
    if row.record == columns["record"]:
        return "unchanged"
    before = {"record": redacted(row.record, schema)}
    for attr, value in columns.items():
        setattr(row, attr, value)
    append_audit(session, actor, "update", entity, row.id, before, after)
    return "updated"


def _split_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    return [p.strip() for p in str(value).replace("，", "、").replace(",", "、").split("、") if p.strip()]


def import_people(session: Session, path: Path, kind: str, *, actor: str, progress: bool = False,
                  source: str | None = None) -> ImportReport:
    """Import experts, expert review history or solvers (``kind``: experts | expert_reviews | solvers)."""
    from api import schemas
    from api.tables import read_records

    model = {"experts": schemas.Expert, "expert_reviews": schemas.ExpertReview, "solvers": schemas.Solver}[kind]
    source = source or Path(path).name
    result = read_records(path, model, filename=source)
    report = _start_report(result, source, model)
    with _unit_of_work(session):
        for row_no, record in _progress(result.accepted, progress, f"导入 importing {kind}"):
            data = record.model_dump(by_alias=True, mode="json")
            outcome = _store_person(session, kind, data, actor, row_no, report)
            if outcome:
                setattr(report, outcome, getattr(report, outcome) + 1)
        append_audit(session, actor, "import", kind, None, None,
                     {"file": report.file, "new": report.new, "updated": report.updated,
                      "unchanged": report.unchanged, "rejected_rows": report.rejected_rows})
    return report


def _store_person(session: Session, kind: str, data: dict[str, Any], actor: str, row_no: int,
                  report: ImportReport) -> str | None:
    from api import schemas

    if kind == "experts":
        columns = dict(name=_text(data, "姓名") or "", organization=_text(data, "工作单位"),
                       title=_text(data, "职称"), region=_text(data, "所在地区"),
                       category=_text(data, "专家类别"), research_fields=_text(data, "研究领域"),
                       keywords=_split_list(data.get("关键词")),
                       available=data.get("是否可用") is not False,
                       avoid_orgs=_split_list(data.get("回避单位")), record=data)
        return _upsert_by_external_id(session, db.Expert, str(data["专家编号"]), columns, actor, "expert",
                                      schemas.Expert)
    if kind == "solvers":
        columns = dict(name=_text(data, "单位名称") or "", kind=_text(data, "单位类型"),
                       region=_text(data, "所在地区"), record=data)
        return _upsert_by_external_id(session, db.Solver, str(data["单位编号"]), columns, actor, "solver",
                                      schemas.Solver)
    expert = session.scalar(select(db.Expert).where(db.Expert.external_id == str(data.get("专家编号"))))
    if expert is None:
        report.rejected.append({"row_number": row_no, "field": "专家编号",
                                "reason_zh": "专家编号不存在，请先导入专家。",
                                "reason_en": "Unknown expert id; import the experts first.", "raw": data})
        report.rejected_rows += 1
        return None
    digest = content_hash(data)
    if session.scalar(select(db.ExpertReview.id).where(db.ExpertReview.expert_id == expert.id,
                                                       db.ExpertReview.content_hash == digest)):
        return "unchanged"
    session.add(db.ExpertReview(expert_id=expert.id, title=_text(data, "项目名称") or "",
                                abstract=_text(data, "项目摘要") or "", keywords=_split_list(data.get("关键词")),
                                reviewed_at=_text(data, "评审时间"), content_hash=digest))
    return "new"


# --------------------------------------------------------------------------- queries

def get_demand(session: Session, demand_id: int) -> db.Demand:
    """One stored demand, or :class:`NotFound`."""
    demand = session.get(db.Demand, demand_id)
    if demand is None:
        raise NotFound(f"需求 {demand_id} 不存在。", f"Demand {demand_id} does not exist.", {"id": demand_id})
    return demand


def list_demands(session: Session, campaign: CampaignContext, *, batch: str | None = None,
                 region: str | None = None, status: str | None = None, check_status: str | None = None,
                 office: str | None = None, limit: int = 50, offset: int = 0) -> tuple[int, list[db.Demand]]:
    """Demands of the campaign matching the filters, by id: ``(total, page)``."""
    query = select(db.Demand).where(db.Demand.campaign_id == campaign.id)
    for column, value in ((db.Demand.batch, batch), (db.Demand.region, region), (db.Demand.status, status),
                          (db.Demand.check_status, check_status), (db.Demand.office, office)):
        if value:
            query = query.where(column == value)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = session.scalars(query.order_by(db.Demand.id).limit(limit).offset(offset))
    return total, list(page)


def all_demands(session: Session, campaign: CampaignContext) -> list[db.Demand]:
    """Every demand of the campaign, in id order."""
    return list(session.scalars(select(db.Demand).where(db.Demand.campaign_id == campaign.id)
                                .order_by(db.Demand.id)))


def demand_findings(session: Session, demand_id: int) -> list[db.FindingRow]:
    """The stored findings of one demand (404 when the demand does not exist)."""
    return list(get_demand(session, demand_id).findings)


def quota_progress(session: Session, campaign: CampaignContext) -> list[dict[str, Any]]:
    """Progress of every region (and park) against its quota, from the stored demands."""
    from api.rules import quota_progress as rules_quota

    regions = Counter(dict(session.execute(
        select(db.Demand.region, func.count()).where(db.Demand.campaign_id == campaign.id)
        .group_by(db.Demand.region)).all()))
    parks = Counter(dict(session.execute(
        select(db.Demand.park, func.count()).where(db.Demand.campaign_id == campaign.id,
                                                    db.Demand.park.is_not(None))
        .group_by(db.Demand.park)).all()))
    progress = rules_quota(dict(regions), dict(parks), campaign.rules)
    return [finding_to_dict(p) for p in progress]


# --------------------------------------------------------------------------- checks

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
              steps: Sequence[IntakeStep] = DEFAULT_INTAKE_STEPS, progress: bool = False) -> CheckReport:
    """Re-run the intake steps on every stored demand (the rules may have changed); one transaction."""
    from api.schemas import DemandRecord

    report = CheckReport()
    statuses: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    with _unit_of_work(session):
        for demand in _progress(all_demands(session, campaign), progress, "检查规则 checking rules"):
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


# --------------------------------------------------------------------------- export

def demand_rows(demands: Iterable[db.Demand], *, include_personal: bool = False) -> list[dict[str, Any]]:
    """Export rows: Chinese headers in form order, clerk-readable values, personal fields masked
    unless ``include_personal`` (the same columns import reads, so an export re-imports)."""
    from api.schemas import DemandRecord, to_row

    return [to_row(DemandRecord.model_validate(d.record), redact_personal=not include_personal) for d in demands]


def export_demands(session: Session, campaign: CampaignContext, path: Path, fmt: str | None = None, *,
                   include_personal: bool = False) -> int:
    """Write every demand of the campaign to ``path`` (xlsx | csv | jsonl, from the suffix by default)."""
    from api import tables

    fmt = (fmt or Path(path).suffix.lstrip(".") or "xlsx").lower()
    if fmt not in ("xlsx", "csv", "jsonl"):
        raise InvalidInput(f"不支持的导出格式：{fmt}（可选 xlsx、csv、jsonl）。",
                           f"Unsupported export format: {fmt} (use xlsx, csv or jsonl).", {"format": fmt})
    rows = demand_rows(all_demands(session, campaign), include_personal=include_personal)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        tables.write_excel({"需求 demands": rows}, path)
    elif fmt == "csv":
        tables.write_csv(rows, path)
    else:
        tables.write_jsonl(rows, path)
    return len(rows)
