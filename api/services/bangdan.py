"""The 榜单 draft (发榜清单草稿), I/O side: staff mark a cluster or a single demand 拟发榜; each gets a draft
entry built from its members' form fields (:func:`nlp.bangdan.draft_entry`), which staff edit; every change
is a version (who, when, which fields) and an audit entry. Exported per office as Word and Excel.

Built once by the composition root (``Services.bangdan``) and reached the same way from HTTP, CLI and the
console. No personal data: enterprises by name, demands by number.
"""
from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.errors import Conflict, InvalidInput, NotFound
from api.forms.models import DemandRecord
from api.io.bangdan_docx import bangdan_docx
from api.io.writers import write_excel
from api.services.audit import append_audit
from api.services.campaign import CampaignContext
from api.services.condense import Condensation
from api.store import tables as db
from nlp.bangdan import EDITABLE, FIELDS, BangdanMember, draft_entry, field_text

ALL_OFFICES = "全部"


def member_of(demand: db.Demand) -> BangdanMember:
    """What the draft needs of a stored demand (the fields as the enterprise submitted them)."""
    record = DemandRecord.model_validate(demand.record or {})

    def text(name: str) -> str:
        value = getattr(record, name, None)
        return "" if value in (None, "") else str(value)

    investment = record.task_investment if record.task_investment not in (None, "") else record.total_investment
    return BangdanMember(demand_id=demand.id, enterprise=demand.enterprise.name,
                         title=text("publish_title") or demand.title, description=text("description"),
                         publish_content=text("publish_content"), solver_requirements=text("solver_requirements"),
                         deliverables=text("deliverables"),
                         investment=float(investment) if investment not in (None, "") else None,
                         deadline=text("task_deadline"))


class StaleEntry(Conflict):
    """An edit named a version of the entry that is no longer the stored one (someone else edited it): 409, as a
    stale demand update is."""

    code = "bangdan_version_conflict"


class Bangdan:
    """Mark, edit, withdraw and export the 榜单 draft entries of one campaign."""

    def __init__(self, campaign: CampaignContext, condensation: Condensation):
        self.campaign = campaign
        self.condensation = condensation

    # ------------------------------------------------------------------ marking
    def mark_cluster(self, session: Session, key: str, actor: str) -> dict[str, Any]:
        """Mark cluster ``key`` 拟发榜 (again: the active entry it already has)."""
        row, pairs = self.condensation.cluster(session, key)
        if not pairs:
            raise InvalidInput(f"类 {key} 没有需求，不能拟发榜。", f"cluster {key} has no demands.", {"cluster": key})
        existing = self._active(session, cluster_key=key)
        if existing is not None:
            return self.out(session, existing)
        members = [member_of(d) for _, d in sorted(pairs, key=lambda p: p[1].id)]
        content = draft_entry(members, row.name or row.title or members[0].title)
        return self._create(session, content, actor, cluster_key=key, office=row.office)

    def mark_demand(self, session: Session, demand_id: int, actor: str) -> dict[str, Any]:
        """Mark one demand 拟发榜 on its own (its own name, fields and office)."""
        demand = session.get(db.Demand, demand_id)
        if demand is None or demand.campaign_id != self.campaign.id:
            raise NotFound(f"没有系统编号为 {demand_id} 的需求。", f"no demand {demand_id}.", {"demand_id": demand_id})
        existing = self._active(session, demand_id=demand_id)
        if existing is not None:
            return self.out(session, existing)
        member = member_of(demand)
        return self._create(session, draft_entry([member], member.title), actor, demand_id=demand_id,
                            office=demand.office)

    def _active(self, session: Session, **where: Any) -> db.BangdanEntry | None:
        query = select(db.BangdanEntry).where(db.BangdanEntry.campaign_id == self.campaign.id,
                                              db.BangdanEntry.active.is_(True))
        for column, value in where.items():
            query = query.where(getattr(db.BangdanEntry, column) == value)
        return session.scalar(query)

    def _create(self, session: Session, content: dict[str, Any], actor: str, **where: Any) -> dict[str, Any]:
        entry = db.BangdanEntry(campaign_id=self.campaign.id, content=content, version=1, active=True,
                                created_by=actor, updated_by=actor, **where)
        session.add(entry)
        session.flush()
        session.add(db.BangdanVersion(entry_id=entry.id, version=1, content=content, changed=["created"], actor=actor))
        append_audit(session, actor, "bangdan.mark", "bangdan", entry.id, None,
                     {"cluster": where.get("cluster_key"), "demand_id": where.get("demand_id")})
        session.commit()
        return self.out(session, entry)

    # ------------------------------------------------------------------ editing
    def edit(self, session: Session, entry_id: int, changes: Mapping[str, Any], actor: str,
             expected_version: int | None = None) -> dict[str, Any]:
        """Change fields of an entry (a new version recording who, when and which fields). ``expected_version``:
        the version the editor saw; another edit in between is refused rather than overwritten."""
        entry = self._entry(session, entry_id)
        unknown = sorted(set(changes) - EDITABLE)
        if unknown:
            raise InvalidInput(f"不能修改这些字段：{'、'.join(unknown)}", f"fields that cannot be edited: {', '.join(unknown)}",
                               {"fields": unknown})
        if expected_version is not None and expected_version != entry.version:
            raise StaleEntry("该条目已被他人修改，本次未保存；请刷新后再改。",
                             "The entry changed since you opened it; nothing was saved — reload it and edit again.",
                             {"version": entry.version, "expected": expected_version})
        content = dict(entry.content or {})
        cleaned = {f: _clean(f, v) for f, v in changes.items()}
        changed = [f for f, v in cleaned.items() if content.get(f) != v]
        for field in changed:
            content[field] = cleaned[field]
        if not changed:
            return self.out(session, entry)
        entry.content = content
        entry.version += 1
        entry.updated_by = actor
        session.add(db.BangdanVersion(entry_id=entry.id, version=entry.version, content=content, changed=changed,
                                      actor=actor))
        append_audit(session, actor, "bangdan.edit", "bangdan", entry.id, None,
                     {"version": entry.version, "fields": changed})
        session.commit()
        return self.out(session, entry)

    def withdraw(self, session: Session, entry_id: int, actor: str) -> dict[str, Any]:
        """Withdraw the 拟发榜 mark (the entry and its versions stay, inactive)."""
        entry = self._entry(session, entry_id)
        entry.active = False
        entry.version += 1
        entry.updated_by = actor
        session.add(db.BangdanVersion(entry_id=entry.id, version=entry.version, content=entry.content,
                                      changed=["withdrawn"], actor=actor))
        append_audit(session, actor, "bangdan.withdraw", "bangdan", entry.id, None, {"version": entry.version})
        session.commit()
        return self.out(session, entry)

    # ------------------------------------------------------------------ reading
    def _entry(self, session: Session, entry_id: int) -> db.BangdanEntry:
        entry = session.get(db.BangdanEntry, entry_id)
        if entry is None or entry.campaign_id != self.campaign.id:
            raise NotFound(f"没有编号为 {entry_id} 的榜单条目。", f"no 榜单 entry {entry_id}.", {"entry": entry_id})
        return entry

    def out(self, session: Session, entry: db.BangdanEntry, history: bool = False) -> dict[str, Any]:
        """An entry as the API, the CLI and the console show it (``history``: with every version)."""
        data = {"id": entry.id, "cluster": entry.cluster_key, "demand_id": entry.demand_id, "office": entry.office,
                "version": entry.version, "active": entry.active, "content": dict(entry.content or {}),
                "created_by": entry.created_by, "updated_by": entry.updated_by,
                "updated_at": db.as_utc(entry.updated_at).isoformat() if entry.updated_at else None}
        if history:
            data["versions"] = [{"version": v.version, "changed": list(v.changed or []), "actor": v.actor,
                                 "at": db.as_utc(v.at).isoformat() if v.at else None, "content": dict(v.content or {})}
                                for v in session.scalars(select(db.BangdanVersion).where(
                                    db.BangdanVersion.entry_id == entry.id).order_by(db.BangdanVersion.version))]
        return data

    def entry(self, session: Session, entry_id: int) -> dict[str, Any]:
        return self.out(session, self._entry(session, entry_id), history=True)

    def entries(self, session: Session, office: str | None = None, include_withdrawn: bool = False) -> list[dict[str, Any]]:
        """The entries (active only unless asked), of one office or all, in the order they were marked."""
        query = select(db.BangdanEntry).where(db.BangdanEntry.campaign_id == self.campaign.id)
        if not include_withdrawn:
            query = query.where(db.BangdanEntry.active.is_(True))
        if office and office != ALL_OFFICES:
            query = query.where(db.BangdanEntry.office == office)
        return [self.out(session, e) for e in session.scalars(query.order_by(db.BangdanEntry.id))]

    # ------------------------------------------------------------------ export
    def docx(self, session: Session, office: str | None = None) -> bytes:
        """The office's 榜单 draft as a Word document (a table per entry)."""
        entries = [e["content"] for e in self.entries(session, office)]
        label = office if office and office != ALL_OFFICES else "全部处室"
        return bangdan_docx(entries, f"{self.campaign.rules.name or self.campaign.code} 榜单草稿（{label}）")

    def frame(self, session: Session, office: str | None = None) -> pd.DataFrame:
        """A row per entry: its number, cluster or demand, office, version, then the fields."""
        rows = []
        for e in self.entries(session, office):
            row = {"条目编号": e["id"], "类编号": e["cluster"] or "", "需求系统编号": e["demand_id"] or "",
                   "归口处室": e["office"] or "", "版本": e["version"], "修改人": e["updated_by"], "修改时间": e["updated_at"]}
            row.update({label: field_text(e["content"], field) for field, label in FIELDS})
            rows.append(row)
        columns = ["条目编号", "类编号", "需求系统编号", "归口处室", *[label for _, label in FIELDS], "版本", "修改人", "修改时间"]
        return pd.DataFrame(rows, columns=columns)

    def excel(self, session: Session, office: str | None = None) -> bytes:
        """The 榜单 draft as Excel: one sheet per office (or the one asked for)."""
        offices = [office] if office and office != ALL_OFFICES else sorted(
            {e["office"] or "未定" for e in self.entries(session)}) or ["未定"]
        buffer = io.BytesIO()
        write_excel({o: self.frame(session, o) for o in offices}, buffer)
        return buffer.getvalue()


def _clean(field: str, value: Any) -> Any:
    """An edited value in the entry's shape: lists for 需求单位 and 技术指标, a total and per enterprise for 投入资金."""
    if field == "units":
        return [v.strip() for v in (value.split("、") if isinstance(value, str) else value or []) if str(v).strip()]
    if field == "indicators":
        if isinstance(value, str):
            return [{"text": v.strip(), "subject": "", "demand_id": None} for v in value.split("；") if v.strip()]
        return [dict(v) for v in value or []]
    if field == "investment":
        if isinstance(value, (int, float, str)) and not isinstance(value, bool):
            try:
                return {"total": round(float(value), 2), "by_enterprise": {}}
            except ValueError:
                raise InvalidInput("投入资金应为数字（万元）。", "investment must be a number (万元).", {"investment": value})
        return {"total": float((value or {}).get("total") or 0), "by_enterprise": dict((value or {}).get("by_enterprise") or {})}
    return "" if value is None else str(value).strip()
