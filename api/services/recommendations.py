"""The 推荐清单: a bureau's list of recommended demands per batch, exported as a signed PDF, verified when the
stamped scan comes back.

- **Compose**: only 初审通过 demands of the bureau's region, each on one list; the order is kept; counts are
  shown against the notice's quotas (region minimum, parks within their city). A demand that leaves
  初审通过 afterwards is no longer a recommendation (it drops out of the list's rows).
- **Deadlines**: a recommendation (putting demands on a list, or exporting it) after the batch's deadline is
  refused or accepted and flagged 逾期, as the campaign file says (``late_recommendations``).
- **Export**: the rows are signed with the department's key (:mod:`api.services.list_signing`); every export
  is kept (rows, time, who), and the PDF (:mod:`api.io.list_pdf`) carries the QR code on every page.
- **Verify**: :mod:`api.services.scan_verification` checks the stamped scan against the exports kept here.
"""
from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.errors import Conflict, Forbidden, InvalidInput, NotFound
from api.io.labels import zh_quotes
from api.io.list_pdf import COLUMNS, ListSheet, list_pdf
from api.services import reviews
from api.services.access import Principal
from api.services.audit import append_audit
from api.services.campaign import CampaignContext
from api.services.list_signing import ListSigner
from api.store import tables as db

CHINA = timezone(timedelta(hours=8))  # the notice's deadlines are dates in Beijing time
ROW_FIELDS = ("需求编号", "企业名称", "需求名称", "需求类别", "技术领域", "研发总投入")
STATUS_ZH = {"draft": "草稿", "exported": "已导出（待核验）", "verified": "已核验",
             "changed": "导出后有变动（需重新导出）"}
class LateRecommendation(Conflict):
    """A recommendation after the batch's deadline where the campaign refuses late ones."""

    code = "batch_closed"


@dataclass(frozen=True)
class Exported:
    """An export: the PDF bytes, the QR text and the list it belongs to."""

    pdf: bytes
    qr_text: str
    list_id: int
    export_no: int


def today(now: datetime | None) -> date:
    """The calendar day in Beijing of ``now`` (default: this moment)."""
    return (now or datetime.now(timezone.utc)).astimezone(CHINA).date()


class Recommendations:
    """推荐清单: compose, order, count against quotas, export signed (see the module docstring)."""

    def __init__(self, campaign: CampaignContext, signer: ListSigner):
        self.campaign = campaign
        self.signer = signer

    # ------------------------------------------------------------------ checks
    def _check_batch(self, batch: str) -> str:
        if self.campaign.rules.batch_deadline(batch) is None:
            names = "、".join(b.batch.value for b in self.campaign.rules.batches)
            raise InvalidInput(f"未知批次：{batch}（可选：{names}）", f"unknown batch: {batch} (use {names})",
                               {"batch": batch}, code="unknown_batch")
        return batch

    def _late(self, batch: str, now: datetime | None, what_zh: str, what_en: str) -> bool:
        """Whether this recommendation is late; raises where the campaign refuses late ones."""
        late = self.campaign.rules.is_late(batch, today(now))
        if late and self.campaign.rules.late_recommendations == "refuse":
            deadline = self.campaign.rules.batch_deadline(batch)
            raise LateRecommendation(f"{batch}推荐截止日期为{deadline}，已过期，不能再{what_zh}。",
                                     f"The {batch} recommendation deadline was {deadline}; it is closed, "
                                     f"no more {what_en}.", {"batch": batch, "deadline": str(deadline)})
        return late

    def _region_for(self, who: Principal, region: str | None) -> str:
        if not who.may("recommend"):
            raise Forbidden("只有初审单位（或管理员）可以编制和导出推荐清单。",
                            "Only a first-review unit (or an admin) may compose and export a recommendation list.",
                            {"role": who.role}, code="role_forbidden")
        region = region or who.region
        if not region or region not in self.campaign.rules.regions:
            raise InvalidInput("请指定推荐地区（如 沈阳市）。", "Name the recommending region (e.g. 沈阳市).",
                               {"region": region}, code="region_required")
        reviews.check_region(who, region)
        return region

    def get(self, session: Session, who: Principal, key: int | str) -> db.RecommendationList:
        """A list by id or code that ``who`` may see (a bureau: its region's only)."""
        query = select(db.RecommendationList).where(db.RecommendationList.campaign_id == self.campaign.id)
        query = query.where(db.RecommendationList.id == int(key)) if str(key).isdigit() else \
            query.where(db.RecommendationList.code == str(key))
        row = session.scalar(query)
        if row is None:
            raise NotFound(f"推荐清单 {key} 不存在。", f"No recommendation list {key}.", {"list": key})
        reviews.check_reads_reviews(who)
        reviews.check_region(who, row.region)
        return row

    # ------------------------------------------------------------------ compose
    def compose(self, session: Session, who: Principal, batch: str, demand_ids: list[int] | None = None, *,
                region: str | None = None, now: datetime | None = None) -> db.RecommendationList:
        """Put demands on the region's list for ``batch`` (when ``demand_ids`` is None: its 初审通过 demands of that
        batch, or of none, not yet on a list), after those already there; commits and audits."""
        region = self._region_for(who, region)
        batch = self._check_batch(batch)
        late = self._late(batch, now, "推荐", "recommendations")
        lst = session.scalar(select(db.RecommendationList).where(
            db.RecommendationList.campaign_id == self.campaign.id, db.RecommendationList.region == region,
            db.RecommendationList.batch == batch))
        if lst is None:
            lst = db.RecommendationList(campaign_id=self.campaign.id, code=f"QD{secrets.token_hex(5).upper()}",
                                        region=region, batch=batch, created_by=who.actor)
            session.add(lst)
            session.flush()
        listed = self._listed(session, region)
        passed = {d: r for d, r in reviews.latest(session, campaign_id=self.campaign.id).items()
                  if r.decision == "pass" and r.region == region}
        if demand_ids is None:  # the batch's own demands (and those the platform gave no batch)
            found = session.execute(select(db.Demand.id, db.Demand.batch).where(db.Demand.id.in_(list(passed))))
            batch_of = {demand_id: b for demand_id, b in found}
            chosen = [d for d in sorted(passed) if d not in listed and batch_of.get(d) in (batch, None)]
        else:
            chosen = list(dict.fromkeys(demand_ids))
            problems = [{"demand_id": d, "reason_zh": "不是本地区初审通过的需求", "reason_en": "not a demand of "
                         "this region that passed first review"} for d in chosen if d not in passed]
            problems += [{"demand_id": d, "reason_zh": f"已在{listed[d]}推荐清单中",
                          "reason_en": f"already on the {listed[d]} list"} for d in chosen
                         if d in listed and listed[d] != batch]
            if problems:
                raise InvalidInput("以下需求不能列入推荐清单：" + "；".join(f"#{p['demand_id']} {p['reason_zh']}"
                                                                for p in problems),
                                   "These demands cannot be recommended: " + "; ".join(
                                       f"#{p['demand_id']} {p['reason_en']}" for p in problems), problems,
                                   code="not_recommendable")
        on_list = {i.demand_id for i in lst.items}
        added = [d for d in chosen if d not in on_list]
        start = max((i.position for i in lst.items), default=0)
        for n, demand_id in enumerate(added, 1):
            lst.items.append(db.RecommendationItem(demand_id=demand_id, position=start + n, late=late,
                                                   added_by=who.actor))
        lst.late = lst.late or (late and bool(added))
        session.flush()
        if added:
            append_audit(session, who.actor, "recommend", "recommendation_list", lst.id, None,
                         {"added": added, "late": late, "batch": batch, "region": region})
        session.commit()
        return lst

    def remove(self, session: Session, who: Principal, key: int | str, demand_ids: list[int]) -> db.RecommendationList:
        """Take demands off a list (audited); the rest keep their order."""
        lst = self.get(session, who, key)
        self._region_for(who, lst.region)
        gone = [i for i in lst.items if i.demand_id in set(demand_ids)]
        for item in gone:
            lst.items.remove(item)
        self._renumber(lst)
        if gone:
            append_audit(session, who.actor, "unrecommend", "recommendation_list", lst.id,
                         {"removed": [i.demand_id for i in gone]}, None)
        session.commit()
        return lst

    def reorder(self, session: Session, who: Principal, key: int | str, demand_ids: list[int]) -> db.RecommendationList:
        """Put the listed demands first, in this order; the others follow in their old order (audited)."""
        lst = self.get(session, who, key)
        self._region_for(who, lst.region)
        rank = {d: n for n, d in enumerate(demand_ids)}
        before = [i.demand_id for i in lst.items]
        ordered = sorted(lst.items, key=lambda i: (rank.get(i.demand_id, len(rank)), i.position))
        for n, item in enumerate(ordered, 1):
            item.position = n
        after = [i.demand_id for i in ordered]
        if after != before:
            append_audit(session, who.actor, "reorder", "recommendation_list", lst.id, {"order": before},
                         {"order": after})
        session.commit()
        session.refresh(lst)
        return lst

    @staticmethod
    def _renumber(lst: db.RecommendationList) -> None:
        for n, item in enumerate(sorted(lst.items, key=lambda i: i.position), 1):
            item.position = n

    def _listed(self, session: Session, region: str) -> dict[int, str]:
        """demand id → the batch of the region's list it is on."""
        rows = session.execute(select(db.RecommendationItem.demand_id, db.RecommendationList.batch).join(
            db.RecommendationList).where(db.RecommendationList.campaign_id == self.campaign.id,
                                         db.RecommendationList.region == region))
        return {d: b for d, b in rows}

    # ------------------------------------------------------------------ rows and counts
    def rows(self, session: Session, lst: db.RecommendationList) -> list[dict[str, Any]]:
        """The list's recommendations as stored now (only demands whose 初审 decision is still 通过)."""
        items = sorted(lst.items, key=lambda i: i.position)
        decisions = reviews.latest(session, [i.demand_id for i in items])
        out = []
        for item in items:
            dec = decisions.get(item.demand_id)
            if dec is None or dec.decision != "pass":
                continue
            demand = session.get(db.Demand, item.demand_id)
            record = demand.record or {}
            investment = record.get(self.campaign.rules.investment_field)
            out.append({"demand_id": demand.id, "需求编号": demand.external_id or f"#{demand.id}",
                        "企业名称": demand.enterprise.name, "需求名称": record.get("需求名称") or demand.title,
                        "需求类别": demand.category or "", "技术领域": demand.area or "",
                        "研发总投入": "" if investment is None else f"{float(investment):g}"})
        return out

    def quota(self, session: Session, region: str) -> dict[str, Any]:
        """Recommendations of ``region`` (all batches) against the notice's minimums, parks included."""
        lists = list(session.scalars(select(db.RecommendationList).where(
            db.RecommendationList.campaign_id == self.campaign.id, db.RecommendationList.region == region)))
        ids = [r["demand_id"] for lst in lists for r in self.rows(session, lst)]
        parks = [p for p in self.campaign.rules.quotas.parks if p.region == region]
        park_of = {d.id: d.park for d in session.scalars(select(db.Demand).where(db.Demand.id.in_(ids)))} if ids else {}
        return {"region": region, "recommended": len(ids), "minimum": self.campaign.rules.region_minimum(region),
                "parks": [{"name": p.name, "recommended": sum(1 for d in ids if park_of.get(d) == p.name),
                           "minimum": p.minimum} for p in parks]}

    def view(self, session: Session, who: Principal, key: int | str) -> dict[str, Any]:
        """A list with its rows now, its exports, its verifications and the region's quota."""
        lst = self.get(session, who, key)
        late = {i.demand_id for i in lst.items if i.late}
        rows = [{**r, "序号": n, "late": r["demand_id"] in late} for n, r in enumerate(self.rows(session, lst), 1)]
        checks = session.scalars(select(db.ListVerification).where(db.ListVerification.list_id == lst.id)
                                 .order_by(db.ListVerification.id.desc()))
        status = self.status(lst, self.rows(session, lst))
        return {"id": lst.id, "code": lst.code, "region": lst.region, "batch": lst.batch, "status": status,
                "status_zh": STATUS_ZH[status], "late": lst.late,
                "deadline": str(self.campaign.rules.batch_deadline(lst.batch)), "count": len(rows), "rows": rows,
                "exports": [{k: e[k] for k in ("export_no", "at", "by", "count")} for e in self.exports(lst)],
                "verifications": [{"id": v.id, "outcome": v.outcome, "at": v.verified_at, "by": v.actor,
                                   "scan_name": v.scan_name} for v in checks],
                "quota": self.quota(session, lst.region)}

    @staticmethod
    def exports(lst: db.RecommendationList) -> list[dict[str, Any]]:
        return list((lst.signed or {}).get("exports", []))

    # ------------------------------------------------------------------ export
    def export(self, session: Session, who: Principal, key: int | str, *, now: datetime | None = None) -> Exported:
        """Sign the list's rows as they are now and render the PDF; every export is kept (audited)."""
        lst = self.get(session, who, key)
        self._region_for(who, lst.region)
        rows = self.rows(session, lst)
        if not rows:
            raise InvalidInput("推荐清单中没有初审通过的需求，无法导出。",
                               "The list holds no demand that passed first review; nothing to export.",
                               {"list": lst.code}, code="empty_list")
        late = self._late(lst.batch, now, "导出推荐清单", "exports of the list")
        at = (now or datetime.now(timezone.utc)).astimezone(CHINA)
        exports = self.exports(lst)
        number = len(exports) + 1
        payload = self.signer.sign(lst.code, number, rows)
        exports.append({"export_no": number, "at": at.isoformat(timespec="seconds"), "by": who.actor,
                        "recorded_at": datetime.now(timezone.utc).isoformat(),  # the clock the audit log keeps
                        "count": len(rows), "rows": rows, "key_id": payload.key_id})
        lst.signed = {"exports": exports}
        lst.signature, lst.key_id = payload.text().rsplit(":", 1)[1], payload.key_id
        lst.exported_at, lst.exported_by = at, who.actor
        lst.status, lst.late = "exported", lst.late or late
        append_audit(session, who.actor, "export", "recommendation_list", lst.id, None,
                     {"export_no": number, "count": len(rows), "late": late})
        session.commit()
        notes = [f"逾期：本批次推荐截止日期为{self.campaign.rules.batch_deadline(lst.batch)}。"] if lst.late else []
        units = Counter(d.recommending_unit for d in session.scalars(select(db.Demand).where(
            db.Demand.id.in_([r["demand_id"] for r in rows]))) if d.recommending_unit)
        sheet = ListSheet(title=zh_quotes(f"{self.campaign.rules.name}推荐清单".replace("征集推荐清单", "推荐清单")),
                          bureau=lst.region, batch=lst.batch, code=f"{lst.code}-{number}",
                          exported_at=at.strftime("%Y-%m-%d %H:%M"),
                          rows=[[str(n), *(r[f] for f in ROW_FIELDS)] for n, r in enumerate(rows, 1)],
                          qr_text=payload.text(), notes=notes,
                          unit=units.most_common(1)[0][0] if len(units) == 1 else "")
        assert len(COLUMNS) == len(ROW_FIELDS) + 1
        return Exported(list_pdf(sheet), payload.text(), lst.id, number)

    # ------------------------------------------------------------------ status
    def status_table(self, session: Session, who: Principal) -> list[dict[str, Any]]:
        """Bureaus × batches: each list's status, count and late items, and the region's quota (a bureau: its own)."""
        reviews.check_reads_reviews(who)
        regions = [r for r in self.campaign.rules.regions if who.sees_region(r)]
        lists = {(lst.region, lst.batch): lst for lst in session.scalars(select(db.RecommendationList).where(
            db.RecommendationList.campaign_id == self.campaign.id))}
        out = []
        for region in regions:
            cells = []
            for b in self.campaign.rules.batches:
                lst = lists.get((region, b.batch.value))
                rows = self.rows(session, lst) if lst else []
                status = self.status(lst, rows) if lst else None
                late_ids = {i.demand_id for i in lst.items if i.late} if lst else set()
                cells.append({"batch": b.batch.value, "deadline": str(b.deadline),
                              "list_id": lst.id if lst else None, "code": lst.code if lst else None,
                              "status": status, "status_zh": STATUS_ZH[status] if status else "未编制", "count": len(rows),
                              "late": sum(1 for r in rows if r["demand_id"] in late_ids),
                              "list_late": bool(lst and lst.late)})
            out.append({"region": region, "batches": cells, "quota": self.quota(session, region)})
        return out

    def status(self, lst: db.RecommendationList, rows: list[dict[str, Any]]) -> str:
        """The list's status now: ``changed`` when an exported (or verified) list no longer matches its last export."""
        exports = self.exports(lst)
        if lst.status != "draft" and exports and exports[-1]["rows"] != rows:
            return "changed"
        return lst.status

    def demand_status(self, session: Session, demand_ids: list[int]) -> dict[int, str]:
        """Per demand on a list: 已推荐（清单已核验）, 已推荐（清单待核验）, or 拟推荐 while the list is a draft or
        has changed since it was exported."""
        if not demand_ids:
            return {}
        items = list(session.scalars(select(db.RecommendationItem).where(
            db.RecommendationItem.demand_id.in_(demand_ids))))
        status: dict[int, str] = {}
        for item in items:
            if item.list_id not in status:
                status[item.list_id] = self.status(item.list, self.rows(session, item.list))
        label = {"verified": "已推荐（清单已核验）", "exported": "已推荐（清单待核验）", "draft": "拟推荐（清单未导出）",
                 "changed": "拟推荐（清单导出后有变动）"}
        return {i.demand_id: label[status[i.list_id]] for i in items}
