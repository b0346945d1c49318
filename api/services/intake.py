"""Intake of one demand: validate, store (idempotent), run the intake steps, audit.

Intake runs a list of steps per demand (:data:`DEFAULT_INTAKE_STEPS`: the campaign rules); the
composition root appends the others (the duplicate check), each with the :data:`IntakeStep`
signature. :func:`api.services.intake_check.check_all` re-runs the same steps over every stored demand.

Two phases, so that concurrent submissions wait for each other only as long as they must: what needs
no lock (validation, merging with the stored demand, normalising, the steps' ``prepare``: encoding the
text, syncing the duplicate index with other workers' rows) runs first, without the campaign lock
(:func:`prepare_intake`); then, under the lock, :func:`intake_record` re-reads what could have changed
meanwhile (the stored demand and its version, the content hash) and stores the demand and the findings.
When the stored demand moved in between, the prepared work is dropped and done again under the lock,
so findings are those of an intake that held the lock throughout.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace as replace_fields
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.errors import Conflict, InvalidInput
from api.forms.models import DemandRecord, Enterprise
from api.forms.parsers import enum_text
from api.forms.personal import headers
from api.forms.validation import parse_record
from api.services import intake_notices
from api.services.updates import StaleVersion, apply_update, check_version, record_data  # noqa: F401 - StaleVersion re-exported
from api.services.audit import append_audit
from api.services.campaign import CampaignContext
from api.services.finding_rows import check_status_of, finding_row
from api.services.stored_match import stored_match
from api.services.views import DemandView, view_of
from api.store import tables as db
from api.store.locks import intake_lock, intake_lock_taken_at
from api.store.uow import unit_of_work
from matching.rules import check_demand, route
from nlp.names import enterprise_key, org_key

log = logging.getLogger(__name__)


@dataclass
class IntakeItem:
    """One demand going through intake: the validated record, its stored row and what steps found."""

    record: Any
    data: dict[str, Any]
    demand: db.Demand | None  # None while intake is prepared (before the lock), then the flushed row
    existing_demand_count: int = 0
    submitted_at: datetime | None = None
    findings: list[Any] = field(default_factory=list)
    prepared: dict[str, Any] = field(default_factory=dict)  # what steps computed before the lock, by key
    new: bool = False  # inserted by this intake (not an update): no other row (a staff decision) names it yet

    @cached_property
    def view(self) -> DemandView:
        """The typed view of this demand (normalised once, shared by every step)."""
        return view_of(self.record, demand_id=self.demand.id if self.demand is not None else None)

    def stored_as(self, demand: db.Demand, *, new: bool = False) -> None:
        """The demand row is flushed: a view normalised before it had an id takes its id."""
        self.demand, self.new = demand, new
        if "view" in self.__dict__ and self.view.id != demand.id:
            self.__dict__["view"] = replace_fields(self.view, id=demand.id)


#: An intake step looks at one item (its demand row is flushed: it has an id) and returns findings.
IntakeStep = Callable[[Session, CampaignContext, IntakeItem], list[Any]]


@dataclass(frozen=True)
class PreparedStep:
    """An intake step whose costly part needs no lock: ``prepare`` runs before the campaign lock is taken,
    over every item of a submission or a file at once (``item.demand`` is None then), and leaves what it
    computed in ``item.prepared`` for ``run``. ``batch``: its form for a whole file (:mod:`.bulk_intake`).
    ``behind``: asked under the lock, before anything is written: True when ``run`` would first have a long
    catch-up to do (see :func:`take_intake_lock`)."""

    run: IntakeStep
    prepare: Callable[[Session, CampaignContext, Sequence[IntakeItem]], None]
    batch: Callable[[Session, CampaignContext, Sequence[Any]], Any] | None = None
    behind: Callable[[Session, CampaignContext], bool] | None = None

    def __call__(self, session: Session, campaign: CampaignContext, item: IntakeItem) -> list[Any]:
        return self.run(session, campaign, item)


def rules_step(session: Session, campaign: CampaignContext, item: IntakeItem) -> list[Any]:
    """Run the campaign rules (DESIGN §3) on the record."""
    return list(check_demand(item.record, campaign.rules, existing_demand_count=item.existing_demand_count,
                             submitted_at=item.submitted_at))


def identifiers_step(session: Session, campaign: CampaignContext, item: IntakeItem) -> list[dict[str, Any]]:
    """A credit code, phone or e-mail that cannot be right (:mod:`api.services.intake_notices`)."""
    return intake_notices.identifier_findings(item.record)


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


def upsert_enterprise(session: Session, campaign: CampaignContext,
                      record: DemandRecord) -> tuple[db.Enterprise, bool]:
    """The enterprise row of ``record`` (inserted or updated) and whether it was inserted now."""
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
        return row, True
    for attr, value in columns.items():
        setattr(row, attr, value)
    return row, False


def fill_demand(demand: db.Demand, campaign: CampaignContext, record: DemandRecord, data: dict[str, Any],
                digest: str, enterprise: db.Enterprise, source: str | None) -> None:
    """The stored columns of a demand from its validated record (also the benchmarks' bulk seeding)."""
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


def earlier_demands_of(session: Session, demand: db.Demand) -> int:
    """How many demands of the same enterprise and campaign were stored before this one."""
    return session.scalar(select(func.count()).select_from(db.Demand).where(
        db.Demand.campaign_id == demand.campaign_id, db.Demand.enterprise_id == demand.enterprise_id,
        db.Demand.id < demand.id)) or 0


def run_steps(session: Session, campaign: CampaignContext, item: IntakeItem,
              steps: Sequence[IntakeStep]) -> list[db.FindingRow]:
    """Run ``steps`` on a stored item; its findings become the demand's finding rows and check status."""
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


@dataclass
class PreparedIntake:
    """What :func:`prepare_intake` computed for one record without the lock, and the stored demand (same
    需求编号: ``(id, row_version)``, or None) it was merged with — valid while that demand has not moved."""

    record: DemandRecord
    changed: list[str]
    item: IntakeItem
    based_on: tuple[int, int] | None


def _stamp(demand: db.Demand | None) -> tuple[int, int] | None:
    return (demand.id, demand.row_version or 1) if demand is not None else None


def _merged(existing: db.Demand | None, record: DemandRecord, replace: bool,
            context: dict[str, Any] | None) -> tuple[DemandRecord, list[str]]:
    if existing is None:
        return record, []
    return apply_update(dict(existing.record or {}), record, replace=replace, context=context)


def prepare_intakes(session: Session, campaign: CampaignContext, records: Sequence[DemandRecord], *,
                    steps: Sequence[IntakeStep] = DEFAULT_INTAKE_STEPS, replace: bool = False,
                    context: dict[str, Any] | None = None) -> list[PreparedIntake]:
    """The part of intake that needs no lock (reads committed data only, writes nothing), for a submission
    or a whole file at once: each record merged with its stored demand and normalised, then every
    :class:`PreparedStep`'s ``prepare`` over all of them (one encoding batch, one index sync)."""
    stored: dict[str, db.Demand] = {}
    wanted = sorted({r.external_id for r in records if r.external_id})
    for start in range(0, len(wanted), 500):
        stored.update((d.external_id, d) for d in session.scalars(select(db.Demand).where(
            db.Demand.campaign_id == campaign.id, db.Demand.external_id.in_(wanted[start:start + 500]))))
    out = []
    for record in records:
        existing = stored.get(record.external_id) if record.external_id else None
        merged, changed = _merged(existing, record, replace, context)
        item = IntakeItem(record=merged, data=record_data(merged), demand=None)
        out.append(PreparedIntake(merged, changed, item, _stamp(existing)))
    for step in steps:
        if isinstance(step, PreparedStep):
            step.prepare(session, campaign, [p.item for p in out])
    return out


def prepare_intake(session: Session, campaign: CampaignContext, record: DemandRecord, *,
                   steps: Sequence[IntakeStep] = DEFAULT_INTAKE_STEPS, replace: bool = False,
                   context: dict[str, Any] | None = None) -> PreparedIntake:
    """:func:`prepare_intakes` of one record."""
    return prepare_intakes(session, campaign, [record], steps=steps, replace=replace, context=context)[0]


def take_intake_lock(session: Session, campaign: CampaignContext, steps: Sequence[IntakeStep],
                     items: Sequence[IntakeItem], tries: int = 3) -> None:
    """The campaign lock, for a transaction that has written nothing yet. When a step is far behind what is stored
    (a file of 3,000 demands another worker just committed: its duplicate index must first encode them, seconds
    every worker would wait through), the lock is let go (the read-only transaction ends), the step's ``prepare``
    runs again — catching up without the lock — and the lock is taken again (at most ``tries`` times)."""
    late = [s for s in steps if isinstance(s, PreparedStep) and s.behind is not None]
    for attempt in range(tries):
        intake_lock(session, campaign.id)
        behind = [s for s in late if s.behind(session, campaign)]
        if not behind or attempt == tries - 1:
            return
        session.rollback()
        for step in behind:
            step.prepare(session, campaign, items)


def intake_record(session: Session, campaign: CampaignContext, record: DemandRecord, *, actor: str,
                  source: str | None = None, steps: Sequence[IntakeStep] = DEFAULT_INTAKE_STEPS,
                  submitted_at: datetime | None = None, allow_enterprise_change: bool = False,
                  replace: bool = False, context: dict[str, Any] | None = None,
                  expected_version: int | None = None, prepared: PreparedIntake | None = None,
                  audit: Callable[..., None] = append_audit) -> IntakeResult:
    """Store one validated record (idempotent) and run the intake steps; does NOT commit.

    Intake of the campaign is serialised first (:func:`api.store.locks.intake_lock`), so what this reads
    (the stored demand, the duplicate index) includes every intake committed before, and the audit's
    before-image is the row this update replaces. ``expected_version`` (or the record's ``row_version``):
    see :func:`check_version`. ``prepared`` (:func:`prepare_intake` of the same record, before the lock) is
    used when the stored demand it was merged with is still the one stored; otherwise it is done again here.
    ``audit``: :func:`append_audit`, or a file's :meth:`api.services.audit.AuditBatch.append`.

    Same 需求编号 as a stored demand → the fields the record carries replace the stored ones
    (:func:`apply_update`; all of them with ``replace``): ``unchanged`` when nothing differs, else
    ``updated`` in place, naming the changed fields. Without a 需求编号, identical content is
    ``unchanged``; otherwise ``new``. An update that would give the demand another enterprise raises
    :class:`EnterpriseChange` unless allowed (admins): a 需求编号 typed wrongly must not overwrite another
    enterprise's demand.
    """
    intake_lock(session, campaign.id)
    if expected_version is None:
        expected_version = getattr(record, "row_version", None)
    external_id = record.external_id
    digest = content_hash(prepared.item.data) if prepared is not None else None
    existing = stored_match(session, campaign, external_id, digest)  # by 需求编号, else by the prepared content
    same_id = existing if existing is not None and external_id and existing.external_id == external_id else None
    if prepared is None or prepared.based_on != _stamp(same_id):  # the stored demand moved: prepare anew
        record, changed = _merged(same_id, record, replace, context)
        item = IntakeItem(record=record, data=record_data(record), demand=None)
        prepared_digest, digest = digest, content_hash(item.data)
        if same_id is None and digest != prepared_digest:  # another content: look it up again
            existing = stored_match(session, campaign, None, digest)
    else:
        record, changed, item = prepared.record, prepared.changed, prepared.item
    data = item.data
    check_version(existing, expected_version)
    if existing is not None and (existing.content_hash == digest or (external_id and not changed)):
        return IntakeResult(existing, "unchanged", list(existing.findings))
    if existing is not None and not allow_enterprise_change:
        if existing.enterprise.org_key != identity_of(record):
            raise EnterpriseChange(
                f"需求编号 {external_id} 已属于企业“{existing.enterprise.name}”（{existing.enterprise.region or '地区未填'}），"
                "不能改为另一家企业或另一地区的企业；如确需更正，请由管理员提交。",
                f"Demand {external_id} belongs to another enterprise (or one of another region); only an admin may "
                "change the enterprise of a stored demand.", {"external_id": external_id, "field": "企业名称"})

    enterprise, new_enterprise = upsert_enterprise(session, campaign, record)
    if existing is None:  # an empty findings list, so setting them after the flush loads nothing
        demand, outcome, before = db.Demand(findings=[]), "new", None
        fill_demand(demand, campaign, record, data, digest, enterprise, source)
        session.add(demand)
    else:
        demand, outcome, before = existing, "updated", _audit_view(existing)
        fill_demand(demand, campaign, record, data, digest, enterprise, source)
        demand.row_version = (existing.row_version or 1) + 1
    session.flush()
    item.stored_as(demand, new=outcome == "new")
    item.submitted_at = submitted_at  # an enterprise inserted just now has no earlier demand to count
    item.existing_demand_count = 0 if new_enterprise else earlier_demands_of(session, demand)
    rows = run_steps(session, campaign, item, steps)  # flushed by the next query or the commit
    after = _audit_view(demand)
    if changed:
        after["changed_fields"] = changed
    audit(session, actor, "create" if outcome == "new" else "update", "demand", demand.id, before, after,
          note=source)
    return IntakeResult(demand, outcome, rows, changed)


def submit_demand(session: Session, campaign: CampaignContext, payload: dict[str, Any] | Any, *,
                  actor: str, steps: Sequence[IntakeStep] = DEFAULT_INTAKE_STEPS,
                  source: str = "api", context: dict[str, Any] | None = None,
                  allow_enterprise_change: bool = False, replace: bool = False,
                  expected_version: int | None = None,
                  before_commit: Callable[[Session, IntakeResult], None] | None = None) -> IntakeResult:
    """Validate one flat record (Chinese or English keys), store it, run the rules, commit.

    The lock-free work is done first (:func:`prepare_intake`), then the campaign lock is taken and
    everything the session read before is read again (``expire_all``), so nothing stale is written.
    ``context``: form validation context (``Settings.validation_context``: the hard cap on a text).
    ``replace``: the record replaces a stored one (same 需求编号) whole, not only the fields it carries.
    ``before_commit``: more writes that belong to the same transaction (the audit of who read the answer's
    personal fields), so an answer that says "nothing was saved" is never given after a commit."""
    record = payload if isinstance(payload, DemandRecord) else parse_record(payload, context)
    started = time.perf_counter()
    with unit_of_work(session):
        prepared = prepare_intake(session, campaign, record, steps=steps, replace=replace, context=context)
        ready = time.perf_counter()
        take_intake_lock(session, campaign, steps, [prepared.item])
        session.expire_all()
        result = intake_record(session, campaign, record, actor=actor, source=source, steps=steps,
                               allow_enterprise_change=allow_enterprise_change, replace=replace, context=context,
                               expected_version=expected_version, prepared=prepared)
        if before_commit is not None:
            before_commit(session, result)
        locked = intake_lock_taken_at(session) or ready
    done = time.perf_counter()
    log.info("demand %s %s (%d findings)", result.demand.id, result.outcome, len(result.findings))
    # Where the time went (JIEBANG_LOG_LEVEL=DEBUG): submissions of a campaign take its intake lock one at a time, so
    # 1 / (ms held) bounds how many per second the campaign takes in, however many workers serve it (README, #21).
    log.debug("demand %s intake timing: prepared %.1f ms, waited %.1f ms for the campaign lock, held it %.1f ms",
              result.demand.id, 1000 * (ready - started), 1000 * (locked - ready), 1000 * (done - locked))
    return result
