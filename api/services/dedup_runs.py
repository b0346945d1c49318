"""Batch de-duplication of a round: groups of linked demands with a canonical one each, stored in
the database (every worker serves the same latest run), exported for staff review."""
from __future__ import annotations

import io
from datetime import datetime, timezone
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.errors import InvalidInput
from api.io.writers import write_excel
from api.services.campaign import CampaignContext
from api.services.duplicates import DuplicateService
from api.services.views import view_of_demand
from api.store import tables as db
from matching.dedup_groups import group_links
from matching.duplicates import VERDICTS

EXPORT_COLUMNS = ["组号", "系统编号", "需求编号", "企业名称", "批次", "初审单位", "需求名称", "建议保留",
                  "最高相似度", "结论", "verdict"]
VERDICT_ZH = {"duplicate": "重复", "near_duplicate": "疑似重复", "related": "相关", "none": "无",
              "confirmed": "已确认重复"}
SHEET_NAME = "查重 duplicates"


class DedupRuns:
    """Batch runs over the campaign's stored demands, through the campaign's :class:`DuplicateService`."""

    def __init__(self, duplicates: DuplicateService):
        self.duplicates = duplicates

    def run(self, session: Session, *, batch: str | None = None, min_verdict: str = "near_duplicate",
            save: bool = True, actor: str | None = None) -> dict[str, Any]:
        """De-duplicate the campaign (or one 批次): groups of linked demands with a canonical one each.

        ``save`` stores the result as the campaign's latest run (what GET /dedup/groups and the export show)."""
        if min_verdict not in VERDICTS[:3]:
            raise InvalidInput("min_verdict 只能是 duplicate、near_duplicate 或 related。",
                               "min_verdict must be duplicate, near_duplicate or related.",
                               {"min_verdict": min_verdict})
        dup = self.duplicates
        rows = dup.rows(session, db.Demand.batch == batch if batch else None)
        detector = dup.fit_detector([view_of_demand(d) for d in rows])
        links = [(a, b, c.score, c.verdict) for a, b, c in detector.links(min_verdict=min_verdict)]
        ids = [d.id for d in rows]
        decided = dup.decisions(session, ids)
        in_round = set(ids)
        confirmed = [p for p, d in decided.items() if d == "confirm" and p[0] in in_round and p[1] in in_round]
        dismissed = [p for p, d in decided.items() if d == "dismiss"]
        rank = {d.id: (d.submitted_at or d.created_at).timestamp() if (d.submitted_at or d.created_at) else None
                for d in rows}
        groups = [g.to_dict() for g in group_links(links, confirmed=confirmed, dismissed=dismissed, rank=rank)]
        run_at = datetime.now(timezone.utc)
        if save:
            session.add(db.DedupRun(campaign_id=dup.campaign_id, batch=batch, min_verdict=min_verdict,
                                    demands=len(rows), groups=groups, actor=actor, run_at=run_at))
            session.commit()
        return {"batch": batch, "min_verdict": min_verdict, "demands": len(rows), "run_at": run_at.isoformat(),
                "groups": groups}

    def latest(self, session: Session) -> dict[str, Any]:
        """The groups of the latest stored run (run one now if there is none), with current decisions."""
        row = session.scalar(select(db.DedupRun).where(db.DedupRun.campaign_id == self.duplicates.campaign_id)
                             .order_by(db.DedupRun.id.desc()).limit(1))
        if row is None:
            result = self.run(session)
        else:
            result = {"batch": row.batch, "min_verdict": row.min_verdict, "demands": row.demands,
                      "run_at": db.as_utc(row.run_at).isoformat(), "groups": [dict(g) for g in row.groups]}
        decided = self.duplicates.decisions(session)
        for g in result["groups"]:
            g["links"] = [dict(link, decision=decided.get((link["a"], link["b"]))) for link in g["links"]]
        return result

    def export_rows(self, session: Session, result: dict[str, Any]) -> list[dict[str, Any]]:
        """One row per demand of each group, canonical first (Chinese headers; no personal data)."""
        rows = []
        for n, g in enumerate(result["groups"], start=1):
            best: dict[int, tuple[float, str]] = {}
            for link in g["links"]:
                for i in (link["a"], link["b"]):
                    if link["score"] >= best.get(i, (-1.0, ""))[0]:
                        best[i] = (link["score"], link["verdict"])
            for i in sorted(g["ids"], key=lambda x: (x != g["canonical"], x)):
                d = session.get(db.Demand, i)
                if d is None:
                    continue
                score, verdict = best.get(i, (None, ""))
                rows.append({"组号": n, "系统编号": d.id, "需求编号": d.external_id, "企业名称": d.enterprise.name,
                             "批次": d.batch, "初审单位": d.recommending_unit, "需求名称": d.title,
                             "建议保留": "是" if i == g["canonical"] else "否",
                             "最高相似度": round(score, 4) if score is not None else None,
                             "结论": VERDICT_ZH.get(verdict, verdict), "verdict": verdict})
        return rows

    def export_excel(self, session: Session) -> bytes:
        """The latest groups as an .xlsx workbook (one sheet), for staff review."""
        buffer = io.BytesIO()
        write_excel({SHEET_NAME: self.export_rows(session, self.latest(session))}, buffer)
        return buffer.getvalue()

    def sheet(self, session: Session, campaign: CampaignContext) -> pd.DataFrame:
        """Report sheet builder (查重): duplicate groups of the whole campaign, computed now, not stored."""
        return pd.DataFrame(self.export_rows(session, self.run(session, save=False)), columns=EXPORT_COLUMNS)
