"""A file of new demands taken in as a whole (#21): every intake check over the batch at once, outside the
campaign lock, then one short locked step that commits the file all-or-nothing.

Before the lock (:func:`plan_file`): the records are merged and normalised, the rules and notices run row by row
in memory (each row's 2-per-enterprise count is the stored demands of its enterprise plus the file's rows
before it), same-name firms are looked up in memory, and the duplicate check runs over the whole file
(:class:`api.services.duplicate_file.FileCheck`: one encoding batch, one index search, the pairs within the
file found together) — so row *i* gets what one-by-one intake would give it.

Under the lock (:meth:`BulkFile.commit`): what other writers stored meanwhile is folded in (duplicate pairs
with their demands, the enterprise counts), ids are reserved, the findings are written out (a later row that
pairs with an earlier one, or with a stored demand, flags that one too), and demands, findings and audit
entries are inserted in bulk; the commit is the caller's. A file that is not all new demands (updates of
stored ones, content stored already, a step without a batch form) returns None: the caller takes it in row by
row under the lock, as before.
"""
from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session, selectinload

from api.forms.models import DemandRecord, Enterprise
from api.forms.personal import headers
from api.services import intake_notices
from api.services.audit import AuditBatch
from api.services.campaign import CampaignContext
from api.services.duplicate_file import TEMP_BASE, FileCheck
from api.services.duplicate_findings import flag_pair, intake_findings, too_short_finding
from api.services.finding_rows import check_status_of, finding_row
from api.services.intake import (IntakeItem, IntakeStep, PreparedStep, _audit_view, _fill_demand, as_written_step,
                                 content_hash, identifiers_step, identity_of, record_data, rules_step, same_name_step)
from api.store import tables as db
from nlp.names import org_key, same_name_prefixes


@dataclass(frozen=True)
class PureStep:
    """An intake step that needs the record only (a job's progress count): a file runs it row by row, unlocked."""

    run: IntakeStep

    def __call__(self, session: Session, campaign: CampaignContext, item: IntakeItem) -> list[Any]:
        return self.run(session, campaign, item)


PURE_STEPS = (rules_step, identifiers_step, as_written_step)


@dataclass
class Firm:
    """An enterprise as the file leaves it: stored (``ref`` its id) or new (``ref`` a temporary id)."""

    ref: int
    key: str
    columns: dict[str, Any]
    stored: bool
    demands: int = 0  # stored demands of the enterprise when the file was checked


@dataclass
class Row:
    row_no: int
    item: IntakeItem
    digest: str
    firm: Firm
    new_firm: bool
    earlier_in_file: int  # rows before this one with the same enterprise
    found: list[list[Any]] = field(default_factory=list)  # per step: its findings (None: the batch step's)


def _firm_columns(record: DemandRecord, data: dict[str, Any]) -> dict[str, Any]:
    """What :func:`api.services.intake._upsert_enterprise` writes to an enterprise row."""
    columns = {c: db.clip(db.Enterprise, c, v) for c, v in dict(
        name=record.name or "", credit_code=record.credit_code, group_name=record.group_name,
        region=record.region, park=record.park).items()}
    columns["profile"] = {k: data[k] for k in headers(Enterprise) if k in data}
    return columns


def _chunks(values: Sequence[Any], size: int = 500) -> list[Sequence[Any]]:
    return [values[i:i + size] for i in range(0, len(values), size)]


class BulkFile:
    """A file planned by :func:`plan_file`, committed by :meth:`commit` under the campaign lock."""

    def __init__(self, campaign: CampaignContext, rows: list[Row], firms: dict[str, Firm], steps: Sequence[IntakeStep],
                 check: FileCheck | None, stored_firms: list[tuple[int, str, str, str | None]]):
        self.campaign, self.rows, self.firms, self.steps, self.check = campaign, rows, firms, steps, check
        self.stored_firms = stored_firms  # (id, org_key, name, region) of the campaign's firms when planned
        self.demands: list[db.Demand] = []

    # ----- before the lock
    def run_steps(self, session: Session, rows: Sequence[Row]) -> None:
        """The row-by-row steps (rules, notices) of ``rows``; the same-name and duplicate steps are left empty."""
        for row in rows:
            row.item.existing_demand_count = 0 if row.new_firm else row.firm.demands + row.earlier_in_file
            row.found = [None if step is same_name_step or isinstance(step, PreparedStep)
                         else list(step(session, self.campaign, row.item)) for step in self.steps]

    def same_names(self) -> list[list[dict[str, Any]]]:
        """Each row's ``possible_same_enterprise`` notice as one-by-one intake would give it: firms whose key
        starts like its name's, stored or created by an earlier row, by id, at most 5 (refs, names as then)."""
        keys: list[tuple[str, tuple[int, int]]] = []
        shown: dict[int, tuple[str, str | None]] = {}
        for ref, key, name, region in self.stored_firms:
            insort(keys, (key, (0, ref)))
            shown[ref] = (name, region)
        out = []
        for row in self.rows:
            firm, record = row.firm, row.item.record
            if row.new_firm:
                insort(keys, (firm.key, (1, firm.ref)))
            shown[firm.ref] = (db.clip(db.Enterprise, "name", record.name or ""), record.region)
            if record.credit_code:
                out.append([])
                continue
            found: set[tuple[int, int]] = set()
            for prefix in same_name_prefixes(record.name):
                at = bisect_left(keys, (prefix,))
                while at < len(keys) and keys[at][0].startswith(prefix):
                    found.add(keys[at][1])
                    at += 1
            others = sorted(o for o in found if o[1] != firm.ref)[:5]
            out.append(intake_notices.same_name_notice([(ref, *shown[ref]) for _, ref in others]))
        return out

    # ----- under the lock
    def commit(self, session: Session, *, actor: str, source: str | None, audit: AuditBatch) -> bool:
        """Fold in what was stored meanwhile, then insert the file (not committed). False when another writer
        stored one of the file's demands or enterprises meanwhile: the caller takes the file row by row."""
        if not self._still_new(session):
            return False
        if self.check is not None:
            self.check.catch_up(session)
        self._recount(session)
        firm_ids = dict(zip([f.ref for f in self.firms.values() if not f.stored],
                            _reserve(session, "enterprises", sum(not f.stored for f in self.firms.values()))))
        demand_ids = _reserve(session, "demands", len(self.rows))

        def real(ref: int) -> int:
            return demand_ids[ref - TEMP_BASE] if ref >= TEMP_BASE else ref

        def real_firm(ref: int) -> int:
            return firm_ids.get(ref, ref)

        same = self.same_names()
        position = {demand_id: i for i, demand_id in enumerate(demand_ids)}
        stored_flagged = self._stored_to_flag(session, real, position)
        for i, row in enumerate(self.rows):
            demand = db.Demand(findings=[])
            _fill_demand(demand, self.campaign, row.item.record, row.item.data, row.digest,
                         _Ref(real_firm(row.firm.ref)), source)
            demand.id, demand.row_version = demand_ids[i], 1
            found = self.check.candidates(i, real) if self.check is not None else []
            findings: list[Any] = []
            for step, got in zip(self.steps, row.found):
                if got is not None:
                    findings += got
                elif step is same_name_step:
                    findings += [_firm_ids(f, real_firm) for f in same[i]]
                else:
                    findings += intake_findings(found) + too_short_finding(row.item.view.duplicate_text.text)
            demand.findings = [finding_row(f) for f in findings]
            demand.check_status = check_status_of(demand.findings)
            for c in found:
                other = self.demands[position[c.id]] if c.id in position else stored_flagged.get(c.id)
                if other is not None:
                    flag_pair(other, demand.id, c)
            audit.append(session, actor, "create", "demand", demand.id, None, _audit_view(demand), note=source)
            self.demands.append(demand)
        self._insert(session, firm_ids, real_firm)
        return True

    def _still_new(self, session: Session) -> bool:
        """No demand with one of the file's 需求编号 or contents, and none of its new enterprises, was stored since."""
        cid = self.campaign.id
        external = [r.item.record.external_id for r in self.rows if r.item.record.external_id]
        digests = [r.digest for r in self.rows]
        new_keys = [f.key for f in self.firms.values() if not f.stored]
        return not any(
            session.scalar(select(func.count()).select_from(table).where(table.campaign_id == cid, column.in_(part)))
            for table, column, values in ((db.Demand, db.Demand.external_id, external),
                                          (db.Demand, db.Demand.content_hash, digests),
                                          (db.Enterprise, db.Enterprise.org_key, new_keys))
            for part in _chunks(values))

    def _recount(self, session: Session) -> None:
        """Stored firms that got more demands meanwhile: their rows' rules run again with the new count; firms
        registered meanwhile: the same-name notices are looked up again."""
        moved = self._count_stored(session)
        if moved:
            self.run_steps(session, [r for r in self.rows if r.firm.ref in moved])
        top = max((ref for ref, *_ in self.stored_firms), default=0)
        if session.scalar(select(func.max(db.Enterprise.id)).where(db.Enterprise.campaign_id == self.campaign.id)) != (top or None):
            self.stored_firms = _stored_firms(session, self.campaign.id)

    def _count_stored(self, session: Session) -> set[int]:
        """Each stored firm's demands now; returns the firms whose count moved."""
        stored = [f for f in self.firms.values() if f.stored]
        counts: Counter[int] = Counter()
        for part in _chunks([f.ref for f in stored]):
            counts.update(dict(session.execute(select(db.Demand.enterprise_id, func.count()).where(
                db.Demand.enterprise_id.in_(part)).group_by(db.Demand.enterprise_id)).all()))
        moved = {f.ref for f in stored if counts[f.ref] != f.demands}
        for f in stored:
            f.demands = counts[f.ref]
        return moved

    def _stored_to_flag(self, session: Session, real: Callable[[int], int],
                        file_ids: dict[int, int]) -> dict[int, db.Demand]:
        """The stored demands some row pairs with (their findings are extended), read under the lock."""
        ids = sorted({c.id for i in range(len(self.rows)) for c in (self.check.candidates(i, real) if self.check else [])
                      if c.id not in file_ids})
        return {d.id: d for part in _chunks(ids) for d in session.scalars(
            select(db.Demand).options(selectinload(db.Demand.findings)).where(db.Demand.id.in_(part)))}

    def _insert(self, session: Session, firm_ids: dict[int, int], real_firm: Callable[[int], int]) -> None:
        """The file's new enterprises, demands and findings in bulk; stored enterprises take the file's values."""
        now = db.utcnow()
        new = [dict(id=firm_ids[f.ref], campaign_id=self.campaign.id, org_key=f.key, created_at=now, updated_at=now,
                    **f.columns) for f in self.firms.values() if not f.stored]
        for part in _chunks(new, 1000):
            session.execute(insert(db.Enterprise), list(part))
        stored = {f.ref: f for f in self.firms.values() if f.stored}
        for part in _chunks(sorted(stored)):
            for firm in session.scalars(select(db.Enterprise).where(db.Enterprise.id.in_(part))):
                for attr, value in stored[firm.id].columns.items():
                    setattr(firm, attr, value)
        columns = [c.key for c in db.Demand.__table__.columns if c.key not in ("created_at", "updated_at")]
        rows = [{**{c: getattr(d, c) for c in columns}, "row_version": 1, "created_at": now, "updated_at": now}
                for d in self.demands]
        for part in _chunks(rows, 1000):
            session.execute(insert(db.Demand), list(part))
        found = [dict(demand_id=d.id, rule_id=f.rule_id, severity=f.severity, message_zh=f.message_zh,
                      message_en=f.message_en, fields=f.fields, values=f.values, created_at=now)
                 for d in self.demands for f in d.findings]
        for part in _chunks(found, 1000):
            session.execute(insert(db.FindingRow), list(part))


@dataclass(frozen=True)
class _Ref:
    id: int


def _firm_ids(finding: dict[str, Any], real_firm: Callable[[int], int]) -> dict[str, Any]:
    values = finding.get("values") or {}
    return {**finding, "values": {**values, "enterprises": [real_firm(i) for i in values.get("enterprises", [])]}}


def _reserve(session: Session, table: str, n: int) -> list[int]:
    """``n`` new ids of ``table``, ascending, that no other writer will take (PostgreSQL: from its sequence;
    SQLite: past the largest, as the campaign lock holds the database's one write lock)."""
    if n <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        sequence = session.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table})
        return sorted(session.scalars(text("SELECT nextval(:s) FROM generate_series(1, :n)"), {"s": sequence, "n": n}))
    top = session.scalar(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")) or 0  # noqa: S608 - a table name of ours
    return list(range(top + 1, top + 1 + n))


def _stored_firms(session: Session, campaign_id: int) -> list[tuple[int, str, str, str | None]]:
    return [tuple(r) for r in session.execute(select(db.Enterprise.id, db.Enterprise.org_key, db.Enterprise.name,
                                                     db.Enterprise.region).where(db.Enterprise.campaign_id == campaign_id)
                                              .order_by(db.Enterprise.id)).all()]


def plan_file(session: Session, campaign: CampaignContext, records: Sequence[DemandRecord],
              steps: Sequence[IntakeStep]) -> BulkFile | None:
    """Everything intake checks, for a file of new demands, before the lock (reads only); None when the file
    is not all new demands or a step has no batch form."""
    if any(not (s in PURE_STEPS or s is same_name_step or isinstance(s, PureStep)
                or (isinstance(s, PreparedStep) and s.batch is not None)) for s in steps):
        return None
    if any(not org_key(r.name, r.credit_code).removeprefix("name:") for r in records):
        return None  # intake refuses a nameless enterprise: the row-by-row path says so
    items = [IntakeItem(record=r, data=record_data(r), demand=None) for r in records]
    digests = [content_hash(item.data) for item in items]
    if len(set(digests)) < len(digests):
        return None  # the same content twice: the second is "unchanged", row by row
    stored_firms = _stored_firms(session, campaign.id)
    by_key = {key: ref for ref, key, _, _ in stored_firms}
    firms: dict[str, Firm] = {}
    rows: list[Row] = []
    seen: Counter[str] = Counter()
    for i, (record, item, digest) in enumerate(zip(records, items, digests)):
        key = identity_of(record)
        firm = firms.get(key)
        new_firm = firm is None and key not in by_key
        if firm is None:
            firm = firms[key] = Firm(by_key.get(key, TEMP_BASE + i), key, {}, key in by_key)
        firm.columns = _firm_columns(record, item.data)
        rows.append(Row(row_no=i, item=item, digest=digest, firm=firm, new_firm=new_firm, earlier_in_file=seen[key]))
        seen[key] += 1
    plan = BulkFile(campaign, rows, firms, steps, None, stored_firms)
    if not plan._still_new(session):
        return None
    plan._count_stored(session)
    plan.run_steps(session, rows)
    batch = next((s.batch for s in steps if isinstance(s, PreparedStep)), None)
    if batch is not None:
        plan.check = batch(session, campaign, [item.view for item in items])
    return plan
