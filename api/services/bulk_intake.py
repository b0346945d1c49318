"""A file of new demands taken in as a whole (#21): every intake check over the batch at once, outside the
campaign lock, then one short locked step that commits the file all-or-nothing.

Before the lock (:func:`plan_file`): the records are merged and normalised, the rules and notices run row by row
in memory (each row's 2-per-enterprise count is the stored demands of its enterprise plus the file's rows
before it), same-name firms are looked up in memory, and the duplicate check runs over the whole file
(:class:`api.services.duplicate_file.FileCheck`: one encoding batch, one index search, the pairs within the
file found together) — so row *i* gets what one-by-one intake would give it.

Under the lock (:meth:`BulkFile.commit`): what other writers stored meanwhile is folded in (duplicate pairs
with their demands, the enterprise counts; once before the lock, once under it), the planned ids follow what is
stored (:mod:`.bulk_ids`), the stored demands the file pairs with are flagged too, and demands, findings and
audit entries — written out before the lock — are inserted in bulk; the commit is the caller's. A file that is
not all new demands (updates of stored ones, content stored already, a step without a batch form) returns None:
the caller takes it in row by row under the lock, as before.
"""
from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.forms.models import DemandRecord, Enterprise
from api.forms.personal import headers
from api.services import intake_notices
from api.services.audit import AuditBatch
from api.services.campaign import CampaignContext
from api.services.bulk_flags import StoredFlags
from api.services.bulk_ids import claim, move_ids, planned, stands, taken
from api.services.bulk_staged import Staged
from api.services.duplicate_file import TEMP_BASE, FileCheck
from api.services.duplicate_findings import flag_pairs, intake_findings, too_short_finding
from api.services.finding_rows import check_status_of, finding_row
from api.services.intake import (IntakeItem, IntakeStep, PreparedStep, _audit_view, fill_demand, as_written_step,
                                 content_hash, identifiers_step, identity_of, record_data, rules_step, same_name_step)
from api.store import tables as db
from api.store.bulk import BulkRows, among
from nlp.names import org_key, same_name_prefixes


@dataclass(frozen=True)
class PureStep:
    """An intake step that needs the record only (a job's progress count): a file runs it row by row, unlocked."""

    run: IntakeStep

    def __call__(self, session: Session, campaign: CampaignContext, item: IntakeItem) -> list[Any]:
        return self.run(session, campaign, item)


PURE_STEPS = (rules_step, identifiers_step, as_written_step)
MARGIN = 100_000  # planned ids start this far past the stored ones (moved down to follow them under the lock)


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
    """What :func:`api.services.intake.upsert_enterprise` writes to an enterprise row."""
    columns = {c: db.clip(db.Enterprise, c, v) for c, v in dict(
        name=record.name or "", credit_code=record.credit_code, group_name=record.group_name,
        region=record.region, park=record.park).items()}
    columns["profile"] = {k: data[k] for k in headers(Enterprise) if k in data}
    return columns


class BulkFile:
    """A file planned by :func:`plan_file`, committed by :meth:`commit` under the campaign lock."""

    def __init__(self, campaign: CampaignContext, rows: list[Row], firms: dict[str, Firm], steps: Sequence[IntakeStep],
                 check: FileCheck | None, stored_firms: list[tuple[int, str, str, str | None]]):
        self.campaign, self.rows, self.firms, self.steps, self.check = campaign, rows, firms, steps, check
        self.stored_firms = stored_firms  # (id, org_key, name, region) of the campaign's firms when planned
        self.demands: list[db.Demand] = []  # the rows' demands as they will be stored (not in the session)
        self.audits: list[dict[str, Any]] = []  # each demand's audit entry: what its own intake found
        self.ids: list[int] = []
        self.firm_ids: dict[int, int] = {}
        self.position: dict[int, int] = {}
        self.same: list[list[dict[str, Any]]] = []
        self.found: list[list[Any]] = []
        self.flags: StoredFlags | None = None  # the stored demands' flags, prepared before the lock
        self.reflagged = 0  # of those, how many had moved and were worked out again under the lock
        self.settled = False  # ids moved to follow the stored ones (settle_ids), no refresh since
        self.reserved = False  # PostgreSQL: ids claimed before the lock (:func:`.bulk_ids.reserve`); they stand
        self.staged: Staged | None = None  # the rows to insert, made ready before the lock (:meth:`stage`)

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

    # ----- ids and findings (before the lock; again under it for what moved)
    def plan_ids(self, session: Session, margin: int = MARGIN) -> None:
        """Ids for the file's demands and new enterprises, ``margin`` past the largest taken now: the ids other
        writers take while the file is checked stay below them (:meth:`commit` claims them, or plans again)."""
        new = [f for f in self.firms.values() if not f.stored]
        self.firm_ids = dict(zip([f.ref for f in new], planned(session, "enterprises", len(new), margin)))
        self.ids = planned(session, "demands", len(self.rows), margin)
        self.position = {demand_id: i for i, demand_id in enumerate(self.ids)}

    def settle_ids(self, session: Session) -> None:
        """Just before the lock: the ids moved down to follow what is stored now, so under it they stand unless
        others stored something in between (moving them rewrites every finding naming a file row: ~0.4 s of a
        3,000-row file's locked step, every other writer waiting)."""
        self._move(taken(session, "demands") + 1, taken(session, "enterprises") + 1)
        self.settled = True

    def _move(self, start: int, firm_start: int) -> None:
        """The planned ids (all past every stored id the findings name, so never mistaken for one) become
        ``start``.. and ``firm_start``..: the findings naming file rows or new firms are written with the final ids."""
        shift = (self.ids[0] - start) if self.ids else 0
        firm_shift = (min(self.firm_ids.values()) - firm_start) if self.firm_ids else 0
        if not shift and not firm_shift:
            return
        first, firm_first = self.ids[0] if self.ids else 0, min(self.firm_ids.values(), default=0)
        self.ids = [i - shift for i in self.ids]
        self.position = {demand_id: i for i, demand_id in enumerate(self.ids)}
        self.firm_ids = {ref: i - firm_shift for ref, i in self.firm_ids.items()}
        self.found = [[replace(c, id=c.id - shift) if c.id >= first else c for c in found] for found in self.found]
        for demand in self.demands:
            demand.id -= shift
            if firm_first and demand.enterprise_id >= firm_first:
                demand.enterprise_id -= firm_shift
            for f in demand.findings:
                move_ids(f, first, shift, firm_first, firm_shift)
        if self.staged is not None:
            self.staged.move(self)

    def real(self, ref: int) -> int:
        """A file row's planned id (stored ids are themselves)."""
        return self.ids[ref - TEMP_BASE] if ref >= TEMP_BASE else ref

    def render(self, source: str | None, rows: set[int] | None = None) -> None:
        """Each row's demand with its findings as one-by-one intake leaves them: its own (the steps', at its turn:
        what its audit entry records), then the pairs later rows of the file found with it."""
        if rows is None:
            self.same, self.demands, self.audits = self.same_names(), [], []
        self.found = [self.check.candidates(i, self.real) if self.check else [] for i in range(len(self.rows))]
        incoming: dict[int, list[tuple[int, Any]]] = {}
        for i, found in enumerate(self.found):
            for c in found:
                if c.id in self.position:
                    incoming.setdefault(self.position[c.id], []).append((i, c))
        for k in sorted(range(len(self.rows)) if rows is None else rows):
            row = self.rows[k]
            demand = self.demands[k] if rows is not None else db.Demand(findings=[])
            fill_demand(demand, self.campaign, row.item.record, row.item.data, row.digest,
                         _Ref(self.firm_ids.get(row.firm.ref, row.firm.ref)), source)
            demand.id, demand.row_version = self.ids[k], 1
            demand.findings = [finding_row(f) for f in self._own(k)]
            demand.check_status = check_status_of(demand.findings)
            if rows is None:
                self.demands.append(demand)
                self.audits.append(_audit_view(demand))
            else:
                self.audits[k] = _audit_view(demand)
            flag_pairs(demand, [(self.ids[i], c) for i, c in incoming.get(k, [])])
        if self.staged is not None:  # rows written out again under the lock: their rows made ready again
            self.staged.restage(self, range(len(self.rows)) if rows is None else rows)

    def _own(self, k: int) -> list[Any]:
        """Row ``k``'s findings from its own intake steps, in step order."""
        out: list[Any] = []
        for step, got in zip(self.steps, self.rows[k].found):
            if got is not None:
                out += got
            elif step is same_name_step:
                out += [_firm_ids(f, self.firm_ids) for f in self.same[k]]
            else:
                out += intake_findings(self.found[k]) + too_short_finding(self.rows[k].item.view.duplicate_text.text)
        return out

    def refresh(self, session: Session, source: str | None, again: set[int] | None = None) -> None:
        """Fold in what other writers stored since the file was checked (reads only): duplicate pairs with their
        demands, their firms' counts and names; the rows whose findings move are written out again. Called once
        before the lock (most of what came meanwhile) and once under it (what came since)."""
        before = [[c.id for c in found] for found in self.found]
        self.settled = False  # the findings may name what was stored since the ids were settled
        again = set(again or ())
        again |= self.check.catch_up(session) if self.check is not None else set()
        again |= self._recount(session)
        if again:  # the rows whose findings moved, and the file rows they pair (or paired) with
            self.found = [self.check.candidates(i, self.real) if self.check else [] for i in range(len(self.rows))]
            pairs = {self.position[c] for i in again for c in before[i] + [c.id for c in self.found[i]]
                     if c in self.position}
            self.render(source, again | pairs)

    # ----- under the lock
    def commit(self, session: Session, *, actor: str, source: str | None, audit: AuditBatch) -> bool:
        """Fold in what was stored meanwhile, then insert the file (not committed). False when another writer
        stored one of the file's demands or enterprises meanwhile: the caller takes the file row by row."""
        if not self._still_new(session):
            return False
        free = self.reserved or self._follow(session)  # (reserved ids stand)
        self.refresh(session, source, set() if free else set(range(len(self.rows))))
        self.flags = self.flags or StoredFlags(self._stored_pairs(), self.ids[0] if self.ids else 0, {}, {})
        self.reflagged = self.flags.write(session, self._stored_pairs(), self.ids[0] if self.ids else 0)
        if self.staged is None:
            self.stage(audit, actor=actor, source=source)
        self._update_stored_firms(session)
        self.staged.write(session, self, audit)
        return True

    def _follow(self, session: Session) -> bool:
        """Under the lock: the ids follow what is stored now, and are claimed; False when they were planned again."""
        tops = {t: taken(session, t) for t in ("demands", "enterprises")}
        free = self.settled or all(tops[t] < min(ids, default=1 << 62)
                                   for t, ids in (("enterprises", self.firm_ids.values()), ("demands", self.ids)))
        if free and not (stands(tops["demands"], self.ids) and stands(tops["enterprises"], self.firm_ids.values())):
            self._move(tops["demands"] + 1, tops["enterprises"] + 1)  # settled: only the file's ids are past the first
        elif not free:  # (rare) ids taken past the margin meanwhile: planned again, everything written out again
            self.plan_ids(session, 0)
        claim(session, "enterprises", list(self.firm_ids.values()))
        claim(session, "demands", self.ids)
        return free

    def _update_stored_firms(self, session: Session) -> None:
        """Stored enterprises take the file's values: those that differ, one bulk UPDATE (no ORM load)."""
        stored = {f.ref: f for f in self.firms.values() if f.stored}
        if not stored:
            return
        table, names = db.Enterprise.__table__, list(next(iter(stored.values())).columns)
        changed = BulkRows(table, key="id")
        for where in among(_dialect(session), table.c.id, sorted(stored)):
            for row in session.execute(select(table.c.id, *(table.c[c] for c in names)).where(where)):
                want = stored[row[0]].columns
                if any(have != want[c] for have, c in zip(row[1:], names)):
                    changed.add({"id": row[0], **want})
        changed.write(session.connection(), updated_at=db.utcnow())

    def stage(self, audit: AuditBatch, *, actor: str, source: str | None) -> None:
        """Before the lock: the file's rows, findings and audit entries made ready to insert (:class:`Staged`)."""
        self.staged = Staged(audit, actor, source)
        self.staged.restage(self, range(len(self.rows)))

    def _still_new(self, session: Session) -> bool:
        """No demand with one of the file's 需求编号 or contents, and none of its new enterprises, was stored since."""
        cid = self.campaign.id
        external = [r.item.record.external_id for r in self.rows if r.item.record.external_id]
        digests = [r.digest for r in self.rows]
        new_keys = [f.key for f in self.firms.values() if not f.stored]
        return not any(
            session.scalar(select(func.count()).select_from(table).where(table.campaign_id == cid, where))
            for table, column, values in ((db.Demand, db.Demand.external_id, external),
                                          (db.Demand, db.Demand.content_hash, digests),
                                          (db.Enterprise, db.Enterprise.org_key, new_keys))
            for where in among(_dialect(session), column, values))

    def _recount(self, session: Session) -> set[int]:
        """Rows to look at again: those of stored firms that got more demands meanwhile (their rules run again with
        the new count) and, when firms were registered meanwhile, those whose same-name notice changes."""
        moved = self._count_stored(session)
        rows = {k for k, r in enumerate(self.rows) if r.firm.ref in moved}
        if rows:
            self.run_steps(session, [self.rows[k] for k in sorted(rows)])
        top = max((ref for ref, *_ in self.stored_firms), default=0)
        if session.scalar(select(func.max(db.Enterprise.id)).where(db.Enterprise.campaign_id == self.campaign.id)) != (top or None):
            self.stored_firms = _stored_firms(session, self.campaign.id)
            same, self.same = self.same, self.same_names()
            rows |= {k for k, (a, b) in enumerate(zip(same, self.same)) if a != b}
        return rows

    def _count_stored(self, session: Session) -> set[int]:
        """Each stored firm's demands now; returns the firms whose count moved."""
        stored = [f for f in self.firms.values() if f.stored]
        counts: Counter[int] = Counter()
        for where in among(_dialect(session), db.Demand.enterprise_id, [f.ref for f in stored]):
            counts.update(dict(session.execute(select(db.Demand.enterprise_id, func.count()).where(
                where).group_by(db.Demand.enterprise_id)).all()))
        moved = {f.ref for f in stored if counts[f.ref] != f.demands}
        for f in stored:
            f.demands = counts[f.ref]
        return moved

    def prepare_flags(self, session: Session) -> None:
        """Before the lock: the stored demands the rows pair with, flagged as they stand (:mod:`.bulk_flags`)."""
        self.flags = StoredFlags.prepare(session, self._stored_pairs(), self.ids[0] if self.ids else 0)

    def _stored_pairs(self) -> dict[int, list[tuple[int, Any]]]:
        """Each stored demand some row pairs with: the rows' (planned) ids and candidates, in file order."""
        pairs: dict[int, list[tuple[int, Any]]] = {}
        for i, found in enumerate(self.found):
            for c in found:
                if c.id not in self.position:
                    pairs.setdefault(c.id, []).append((self.ids[i], c))
        return pairs


@dataclass(frozen=True)
class _Ref:
    id: int


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _firm_ids(finding: dict[str, Any], firm_ids: dict[int, int]) -> dict[str, Any]:
    values = finding.get("values") or {}
    return {**finding, "values": {**values, "enterprises": [firm_ids.get(i, i) for i in values.get("enterprises", [])]}}


def _stored_firms(session: Session, campaign_id: int) -> list[tuple[int, str, str, str | None]]:
    return [tuple(r) for r in session.execute(select(db.Enterprise.id, db.Enterprise.org_key, db.Enterprise.name,
                                                     db.Enterprise.region).where(db.Enterprise.campaign_id == campaign_id)
                                              .order_by(db.Enterprise.id)).all()]


def plan_file(session: Session, campaign: CampaignContext, records: Sequence[DemandRecord],
              steps: Sequence[IntakeStep], source: str | None = None) -> BulkFile | None:
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
    batch = next((s.batch for s in steps if isinstance(s, PreparedStep)), None)
    if batch is not None:
        plan.check = batch(session, campaign, [item.view for item in items])
    plan._count_stored(session)
    plan.run_steps(session, rows)  # after the duplicate check: a job's progress counts to the end of the checks
    plan.plan_ids(session)
    plan.render(source)
    return plan
