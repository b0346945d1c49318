"""File imports: demands (through intake), experts, their review records and solver institutions.

An import is ONE transaction: every accepted row is stored, or none is; every rejected row is
listed with row number, field and reason (zh + en).
"""
from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.forms import models as forms
from api.forms.parsers import enum_text
from api.io.bundles import read_any
from api.services.audit import AuditBatch, append_audit, redacted
from api.services.bulk_ids import reserve
from api.services.bulk_intake import BulkFile, plan_file
from api.services.campaign import CampaignContext
from api.services.intake import (DEFAULT_INTAKE_STEPS, EnterpriseChange, IntakeStep, StaleVersion, content_hash,
                                 intake_record, prepare_intakes, take_intake_lock)
from api.services.progress import progress
from api.store import tables as db
from api.store.locks import intake_lock_when_free
from api.store.uow import unit_of_work

log = logging.getLogger(__name__)


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
    skipped_files: list[dict[str, str]] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    findings_by_rule: dict[str, int] = field(default_factory=dict)

    @property
    def accepted(self) -> int:
        return self.new + self.unchanged + self.updated

    @property
    def complete(self) -> bool:
        """Everything handed in was imported: some rows, none rejected, no file of a bundle skipped
        (otherwise the CLI exits 1 and the clerk reads why)."""
        return self.rows > 0 and not self.rejected and not self.skipped_files

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["accepted"] = self.accepted
        return d


def _start_report(result: Any, source: str, model: type) -> ImportReport:
    """An import report seeded from ``api.io.readers.ReadResult`` (rejected rows masked by ``model``)."""
    summary = result.summary(model=model)
    return ImportReport(file=source, format=summary["format"],
                        rows=len(result.accepted) + summary["rejected_rows"],
                        rejected_rows=summary["rejected_rows"], rejected=summary["rejected"],
                        notes=summary["notes"], skipped_files=summary["skipped_files"])


def import_demands(session: Session, campaign: CampaignContext, path: Path, *, actor: str,
                   steps: Sequence[IntakeStep] = DEFAULT_INTAKE_STEPS, show_progress: bool = False,
                   source: str | None = None, context: dict[str, Any] | None = None, region: str | None = None,
                   allow_enterprise_change: bool = False, replace: bool = False,
                   on_read: Callable[[int], None] | None = None) -> ImportReport:
    """Import a demand file (xlsx/csv/jsonl table, or 征集表 forms as .xlsx/.docx, one file or a folder/.zip of
    them): accepted rows in ONE transaction, rejected rows listed.

    ``context``: form validation context (``Settings.validation_context``: the hard cap on a text).
    ``region``: a city bureau's import takes its own region's rows only (others are rejected rows).
    A row that would give a stored demand another enterprise is rejected unless ``allow_enterprise_change``.
    A row for a stored demand (same 需求编号) changes the columns the file has, keeping the others, unless
    ``replace``; each updated row's result names the changed fields."""
    source = source or Path(path).name
    result = read_any(path, forms.DemandRecord, filename=source, context=context)
    report = _start_report(result, source, forms.DemandRecord)
    if on_read is not None:  # a job's progress: how many rows intake will go through
        on_read(len(result.accepted))
    rows = _admitted(report, result.accepted, region)
    if _import_whole(session, campaign, rows, report, actor=actor, steps=steps, source=source):
        return report
    prepared = prepare_intakes(session, campaign, [record for _, record in rows], steps=steps, replace=replace,
                               context=context)  # the whole file at once, before the lock: one encoding batch
    audits = AuditBatch()  # the rows' audit entries, inserted together before the file's own entry
    with unit_of_work(session):
        take_intake_lock(session, campaign, steps, [p.item for p in prepared])  # not while the index catches up
        session.expire_all()  # what prepare read is read again under the lock
        for (row_no, record), ahead in progress(list(zip(rows, prepared)), show_progress, "导入需求 importing demands"):
            try:
                outcome = intake_record(session, campaign, record, actor=actor, source=source, steps=steps,
                                        allow_enterprise_change=allow_enterprise_change, replace=replace,
                                        context=context, prepared=ahead, audit=audits.append)
            except EnterpriseChange as exc:
                _reject(report, row_no, "企业名称", exc.message_zh, exc.message_en, record)
                continue
            except StaleVersion as exc:  # in a file the remedy is a fresh export, not reopening a form
                _reject(report, row_no, "row_version", *_stale_row(exc), record)
                continue
            setattr(report, outcome.outcome, getattr(report, outcome.outcome) + 1)
            report.results.append({"row_number": row_no, "demand_id": outcome.demand.id,
                                   "external_id": outcome.demand.external_id, "outcome": outcome.outcome,
                                   "enterprise": outcome.demand.enterprise.name, "title": outcome.demand.title,
                                   "check_status": outcome.demand.check_status,
                                   "findings": [f.rule_id for f in outcome.findings],
                                   "changed_fields": outcome.changed_fields})
        report.rejected.sort(key=lambda r: r["row_number"])
        _final_findings(session, report)
        audits.store(session)
        _file_audit(session, actor, source, report)
    log.info("import %s: %d new, %d updated, %d unchanged, %d rows rejected", source, report.new,
             report.updated, report.unchanged, report.rejected_rows)
    return report


def _import_whole(session: Session, campaign: CampaignContext, rows: Sequence[tuple[int, forms.DemandRecord]],
                  report: ImportReport, *, actor: str, steps: Sequence[IntakeStep], source: str) -> bool:
    """A file of new demands: every check over the whole file before the lock, then one short locked step that
    stores it all (:mod:`api.services.bulk_intake`); False when the file must go row by row (updates, content
    stored already, or what another writer stored meanwhile clashes with it)."""
    plan = plan_file(session, campaign, [record for _, record in rows], steps, source) if rows else None
    if plan is None:
        session.commit()  # nothing written: ends the reads' transaction
        return False
    try:
        return _store_whole(session, campaign, plan, rows, report, actor=actor, source=source)
    finally:
        if plan.check is not None:
            plan.check.close()  # the child process that checked a large file, if any


def _store_whole(session: Session, campaign: CampaignContext, plan: BulkFile, rows: Sequence[tuple[int, forms.DemandRecord]],
                 report: ImportReport, *, actor: str, source: str) -> bool:
    """:func:`_import_whole` once the file is checked: what came meanwhile folded in, then the locked step."""
    if plan.check is not None:  # first: the time it takes is not between the ids settled and the lock (SQLite)
        plan.check.share([row.digest for row in plan.rows])  # the other workers index the file without encoding it
    plan.refresh(session, source)  # what was stored while the file was checked, still without the lock
    reserve(session, plan)  # the ids follow what is stored now (PostgreSQL: claimed, so under the lock they stand)
    plan.prepare_flags(session)  # the stored demands it pairs with, flagged before the lock too
    session.commit()  # nothing written: ends the reads' transaction before the lock is taken
    audits = AuditBatch()
    plan.stage(audits, actor=actor, source=source)  # its rows made ready to insert, before the lock too
    with unit_of_work(session):
        if plan.staged.load(session):  # PostgreSQL: sent to temporary tables before the lock (they lock nothing)
            plan.refresh(session, source)  # and what was stored while they were sent, folded in before the lock too
        intake_lock_when_free(session, campaign.id)  # not queued: submissions arriving meanwhile do not wait behind it
        locked = time.perf_counter()
        session.expire_all()
        if not plan.commit(session, actor=actor, source=source, audit=audits):
            return False
        rules: Counter[str] = Counter()
        for (row_no, record), demand in zip(rows, plan.demands):
            found = [f.rule_id for f in demand.findings]
            rules.update(found)
            report.results.append({"row_number": row_no, "demand_id": demand.id, "external_id": demand.external_id,
                                   "outcome": "new", "enterprise": db.clip(db.Enterprise, "name", record.name or ""),
                                   "title": demand.title,
                                   "check_status": demand.check_status, "findings": found, "changed_fields": []})
        report.new, report.findings_by_rule = len(plan.demands), dict(sorted(rules.items()))
        report.rejected.sort(key=lambda r: r["row_number"])
        audits.store(session)
        _file_audit(session, actor, source, report)
    held = time.perf_counter() - locked
    if plan.check is not None:
        plan.check.index(plan.demands)  # this process's duplicate index, with the vectors computed for the check
    log.info("import %s: %d new as a whole (campaign lock held %.2f s; %d stored demands flagged, %d of them again "
             "under the lock), %d rows rejected", source, report.new, held, len(plan.flags.pairs) if plan.flags else 0,
             plan.reflagged, report.rejected_rows)
    return True


def _file_audit(session: Session, actor: str, source: str, report: ImportReport) -> None:
    append_audit(session, actor, "import", "file", None, None,
                 {"file": source, "rows": report.rows, "new": report.new, "updated": report.updated,
                  "unchanged": report.unchanged, "rejected_rows": report.rejected_rows})


def _admitted(report: ImportReport, accepted: Sequence[tuple[int, Any]],
              region: str | None) -> list[tuple[int, forms.DemandRecord]]:
    """The rows intake takes: a 需求编号 repeated within the file, or (a bureau's import) another region's
    row, is a rejected row."""
    first_row: dict[str, int] = {}
    out = []
    for row_no, record in accepted:
        if record.external_id and first_row.setdefault(record.external_id, row_no) != row_no:
            first = first_row[record.external_id]
            _reject(report, row_no, "需求编号", f"需求编号 {record.external_id} 与本文件第 {first} 行重复",
                    f"需求编号 {record.external_id} repeats row {first} of this file", record)
        elif region is not None and record.region != region:
            _reject(report, row_no, "注册地区", f"初审单位只能导入本地区（{region}）的需求",
                    f"a bureau imports demands of its own region ({region}) only", record)
        else:
            out.append((row_no, record))
    return out


def _final_findings(session: Session, report: ImportReport) -> None:
    """Each imported demand's findings as stored once the whole file is in: a later row of the file that
    duplicates an earlier one flags both (as ``jiebang check`` would), so the report counts what a check
    of the same demands counts."""
    session.flush()
    rules: Counter[str] = Counter()
    for r in report.results:
        demand = session.get(db.Demand, r["demand_id"])
        r["findings"], r["check_status"] = [f.rule_id for f in demand.findings], demand.check_status
        rules.update(r["findings"])
    report.findings_by_rule = dict(sorted(rules.items()))


#: What each kind of people file holds (the ``kind`` of an import).
PEOPLE_MODELS: dict[str, type[forms.FormModel]] = {
    "experts": forms.Expert, "expert_reviews": forms.ExpertReview, "solvers": forms.Solver}


def import_people(session: Session, path: Path, kind: str, *, actor: str, show_progress: bool = False,
                  source: str | None = None, context: dict[str, Any] | None = None) -> ImportReport:
    """Import experts, expert review history or solvers (``kind``: experts | expert_reviews | solvers)."""
    model = PEOPLE_MODELS[kind]
    source = source or Path(path).name
    result = read_any(path, model, filename=source, context=context)
    report = _start_report(result, source, model)
    with unit_of_work(session):
        for row_no, record in progress(result.accepted, show_progress, f"导入 importing {kind}"):
            outcome = _store_person(session, record, actor, row_no, report)
            if outcome:
                setattr(report, outcome, getattr(report, outcome) + 1)
        append_audit(session, actor, "import", kind, None, None,
                     {"file": report.file, "new": report.new, "updated": report.updated,
                      "unchanged": report.unchanged, "rejected_rows": report.rejected_rows})
    return report


def _stale_row(exc: StaleVersion) -> tuple[str, str]:
    """Why a file's row was refused for its version, and what to do: export the demand again."""
    d = exc.details or {}
    return (f"该需求在导出后已被他人修改（当前版本 {d.get('row_version')}，文件中为 {d.get('expected_version')}），本行未导入；"
            "请重新导出文件，在新导出的文件中修改后再导入。",
            f"The demand was changed by someone else after the export (stored version {d.get('row_version')}, the "
            f"file has {d.get('expected_version')}); this row was not imported — export again, edit the new file and "
            "import it.")


def _reject(report: ImportReport, row_no: int, header: str, zh: str, en: str, record: forms.FormModel) -> None:
    """List a validated row that intake refused (nothing of it is stored)."""
    report.rejected.append({"row_number": row_no, "field": header, "reason_zh": zh, "reason_en": en,
                            "raw": redacted(record.model_dump(by_alias=True, mode="json"), type(record))})
    report.rejected_rows += 1


def _upsert_by_external_id(session: Session, model: type, external_id: str, columns: dict[str, Any],
                           actor: str, entity: str, schema: type) -> str:
    columns = {k: db.clip(model, k, v) if isinstance(v, str) else v for k, v in columns.items()}
    external_id = db.clip(model, "external_id", external_id)
    row = session.scalar(select(model).where(model.external_id == external_id))
    after = {"record": columns["record"]}  # whole: the audit log is admin-only and keeps what it replaces
    if row is None:
        row = model(external_id=external_id, **columns)
        session.add(row)
        session.flush()
        append_audit(session, actor, "create", entity, row.id, None, after)
        return "new"
    if row.record == columns["record"]:
        return "unchanged"
    before = {"record": row.record}
    for attr, value in columns.items():
        setattr(row, attr, value)
    append_audit(session, actor, "update", entity, row.id, before, after)
    return "updated"


def _store_person(session: Session, record: forms.FormModel, actor: str, row_no: int,
                  report: ImportReport) -> str | None:
    data = record.model_dump(by_alias=True, mode="json")
    if isinstance(record, forms.Expert):
        columns = dict(name=record.name or "", organization=record.organization, title=record.title,
                       region=record.location, category=enum_text(record.category),
                       research_fields=record.research_fields, keywords=list(record.keywords),
                       available=record.available is not False, avoid_orgs=list(record.avoid_orgs), record=data)
        return _upsert_by_external_id(session, db.Expert, record.expert_id, columns, actor, "expert", forms.Expert)
    if isinstance(record, forms.Solver):
        columns = dict(name=record.name or "", kind=enum_text(record.kind), region=record.location, record=data)
        return _upsert_by_external_id(session, db.Solver, record.solver_id, columns, actor, "solver", forms.Solver)
    assert isinstance(record, forms.ExpertReview)
    expert = session.scalar(select(db.Expert).where(db.Expert.external_id == record.expert_id))
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
    session.add(db.ExpertReview(expert_id=expert.id, title=record.project_title or "",
                                abstract=record.project_abstract or "", keywords=list(record.keywords),
                                reviewed_at=data.get("评审时间"), content_hash=digest))
    return "new"
