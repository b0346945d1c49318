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
from api.io.labels import batch_order
from api.io.writers import write_excel
from api.services.campaign import CampaignContext
from api.forms.parsers import parse_batch
from api.services.demands import as_intake
from api.services.duplicate_findings import RULE_DISMISSED, RULE_DUPLICATE
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
        batch = self.known_batch(session, batch)
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

    def batches(self, session: Session) -> list[str]:
        """The batches the campaign's stored demands belong to, in batch order (第一批, 第二批, …)."""
        found = session.scalars(select(db.Demand.batch).where(
            db.Demand.campaign_id == self.duplicates.campaign_id, db.Demand.batch.is_not(None)).distinct())
        return sorted((b for b in found if b), key=batch_order)

    def known_batch(self, session: Session, batch: str | None) -> str | None:
        """``batch`` as stored ("第1批" → 第一批), or :class:`InvalidInput` naming the batches there are: a
        typo must not run over no demand and then stand as the latest run."""
        if not batch or not batch.strip():
            return None
        stored = self.batches(session)
        name = as_intake(parse_batch, batch.strip())
        if name not in stored:
            choices = "、".join(stored) or "（还没有需求）"
            raise InvalidInput(f"没有“{batch}”这个批次的需求；请从已有批次中选择：{choices}。",
                               f"No demand is in batch '{batch}'; choose one of: {', '.join(stored) or '(none yet)'}.",
                               {"batch": batch, "batches": stored}, code="unknown_batch")
        return name

    def queue(self, session: Session) -> dict[str, Any]:
        """The one list of duplicate pairs every page counts (查重 queue, dashboard, demand pages):
        the pairs intake flagged (``duplicate`` findings) and every stored run's links, each pair once;
        ``pending`` are undecided (strongest first), ``decided`` carry who decided, when and why.
        A later run, whatever its batch, never hides an earlier run's undecided pairs."""
        campaign_id = self.duplicates.campaign_id
        pairs: dict[tuple[int, int], dict[str, Any]] = {}

        def add(a: int, b: int, score: float, verdict: str, source: str, group: int | None = None,
                canonical: int | None = None) -> None:
            key = (min(a, b), max(a, b))
            known = pairs.get(key)
            if known is None or score > known["score"]:
                pairs[key] = {"a": key[0], "b": key[1], "score": float(score), "verdict": verdict,
                              "source": source, "group": group if known is None else known["group"] or group,
                              "canonical": canonical}
        for f in session.scalars(select(db.FindingRow).join(db.Demand, db.Demand.id == db.FindingRow.demand_id)
                                 .where(db.Demand.campaign_id == campaign_id, db.FindingRow.rule_id.in_((RULE_DUPLICATE, RULE_DISMISSED)))):
            for c in (f.values or {}).get("candidates", []):
                if isinstance(c, dict) and c.get("id") and c["id"] != f.demand_id:
                    add(f.demand_id, int(c["id"]), float(c.get("score") or 0), str(c.get("verdict") or ""), "intake")
        runs = list(session.scalars(select(db.DedupRun).where(db.DedupRun.campaign_id == campaign_id)
                                    .order_by(db.DedupRun.id)))
        for run in runs:
            for n, g in enumerate(run.groups or [], start=1):
                for link in g.get("links", []):
                    add(int(link["a"]), int(link["b"]), float(link.get("score") or 0), str(link.get("verdict") or ""),
                        "run", n if run is runs[-1] else None, g.get("canonical"))
        rows = {(r.demand_a, r.demand_b): r for r in session.scalars(select(db.DuplicateDecision))}
        for key in rows.keys() - pairs.keys():  # decided by hand, listed by no detection
            pairs[key] = {"a": key[0], "b": key[1], "score": None, "verdict": "", "source": "decision",
                          "group": None, "canonical": None}
        wanted = {i for k in pairs for i in k}
        existing = set(session.scalars(select(db.Demand.id).where(
            db.Demand.campaign_id == campaign_id, db.Demand.id.in_(wanted)))) if wanted else set()
        pending, decided = [], []
        for key, p in pairs.items():
            if not set(key) <= existing:
                continue
            row = rows.get(key)
            if row is None:
                pending.append(p)
            else:
                decided.append({**p, "decision": row.decision, "note": row.note, "actor": row.actor,
                                "decided_at": db.as_utc(row.decided_at)})
        pending.sort(key=lambda p: (-p["score"], p["a"], p["b"]))
        decided.sort(key=lambda p: p["decided_at"], reverse=True)
        return {"pending": pending, "decided": decided, "latest_run": runs[-1] if runs else None}

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
