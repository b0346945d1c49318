"""Duplicate demands, the I/O side: corpus from storage, intake check, batch de-dup, decisions, export.

One :class:`DuplicateService` per process (``app.state.duplicates``) holds the
:class:`matching.duplicates.DuplicateDetector` of the campaign: rebuilt from storage at app start,
synced with rows other workers committed before every check, and updated on insert.

Race-free intake: the check runs as an intake step AFTER the new demand is flushed (it has an
id), under a per-campaign database lock (``SELECT … FOR UPDATE`` on the campaign row, which holds
across workers on PostgreSQL; SQLite serialises writers by itself) and an in-process lock. So of
two simultaneous submissions, the second one's check starts after the first one committed, syncs
it from storage and finds it.
"""
from __future__ import annotations

import io
import json
import logging
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from api import service
from api import storage as db
from api.config import Settings
from api.errors import InvalidInput, JiebangError
from api.report import SheetBuilder
from matching.duplicates import (VERDICTS, Candidate, DuplicateDetector, DuplicateModelError,
                                 DuplicateParams, evidence, group_links)
from nlp.names import group_root
from nlp.text import normalize

log = logging.getLogger(__name__)

#: The form fields compared for duplicates (what a resubmission repeats), in display order.
TEXT_FIELDS = ("需求名称", "发榜需求名称", "需求描述", "发榜内容描述", "企业自身已开展工作")
DECISIONS = ("confirm", "dismiss")
SYNC_SLACK_IDS = 1000  # rows committed out of id order (other workers) are still picked up
SYNC_RECENT_MINUTES = 10  # and rows updated this recently (an update keeps its id)
RULE_DUPLICATE = "duplicate"
RULE_RELATED = "duplicate_related"
EXPORT_COLUMNS = ["组号", "系统编号", "需求编号", "企业名称", "批次", "初审单位", "需求名称", "建议保留",
                  "最高相似度", "结论", "verdict"]
VERDICT_ZH = {"duplicate": "重复", "near_duplicate": "疑似重复", "related": "相关", "none": "无",
              "confirmed": "已确认重复"}


# --------------------------------------------------------------------------- texts & signals

@dataclass(frozen=True)
class DemandText:
    """The compared text of a demand (fields joined by newlines) and where each field sits in it."""

    text: str
    spans: tuple[tuple[str, int, int], ...]  # (field, start, end) in ``text``

    def locate(self, start: int, end: int) -> dict[str, Any]:
        """Offsets in the joined text → ``{field, start, end}`` inside that field's normalised value."""
        for name, s, e in self.spans:
            if s <= start < e or (start == e == s):
                return {"field": name, "start": start - s, "end": min(end, e) - s}
        return {"field": None, "start": start, "end": end}


def demand_text(record: dict[str, Any]) -> DemandText:
    """Normalised :data:`TEXT_FIELDS` of a record, joined by newlines (a repeated title counted once)."""
    parts: list[str] = []
    spans: list[tuple[str, int, int]] = []
    pos = 0
    for name in TEXT_FIELDS:
        value = normalize(record.get(name))
        if not value or value in parts:
            continue
        spans.append((name, pos, pos + len(value)))
        parts.append(value)
        pos += len(value) + 1
    return DemandText("\n".join(parts), tuple(spans))


_DIGITS = re.compile(r"\D+")


def demand_signals(demand: db.Demand) -> dict[str, str | None]:
    """Enterprise signals of a demand: org key, group root, contact phone and e-mail (compared only)."""
    record = demand.record or {}
    enterprise = demand.enterprise
    group = record.get("集团名称") or (enterprise.group_name if enterprise else None)
    phone = _DIGITS.sub("", str(record.get("联系人手机") or record.get("联系人电话") or ""))
    email = str(record.get("联系人电子邮箱") or "").strip().lower()
    return {"org": enterprise.org_key if enterprise else None,
            "group": group_root(record.get("企业名称"), group) if group else None,
            "phone": phone if len(phone) >= 7 else None, "email": email if "@" in email else None}


def load_params(path: Path) -> DuplicateParams:
    """The calibrated model from ``path`` (``corpora/duplicates.yaml``); defaults when absent."""
    if not Path(path).exists():
        log.warning("duplicate model file %s not found; using uncalibrated defaults", path)
        return DuplicateParams()
    try:
        return DuplicateParams.from_dict(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
    except DuplicateModelError as exc:
        raise JiebangError("查重模型配置文件有误。", f"The duplicate model file is invalid: {exc}",
                           {"file": str(path)}, code="duplicate_model_invalid") from exc


# --------------------------------------------------------------------------- the service

class DuplicateService:
    """Per-process duplicate detector of one campaign, kept in step with storage."""

    def __init__(self, settings: Settings, campaign_id: int, embedder: Any = None):
        self.settings = settings
        self.campaign_id = campaign_id
        self.params = load_params(settings.duplicates_file)
        self._embedder = embedder
        self._lock = threading.RLock()
        self._detector: DuplicateDetector | None = None
        self._versions: dict[int, str] = {}  # id -> content hash of the version indexed
        self._max_id = 0
        self._last_groups: dict[str, Any] | None = None

    # ----- resources
    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from nlp.embed import default_embedder

            self._embedder = default_embedder(self.settings.embed_model)
            calibrated = self.params.metrics.get("embed_model")
            if calibrated and calibrated != getattr(self._embedder, "model_id", calibrated):
                log.warning("duplicate thresholds were calibrated with %s, the embedder is %s: re-run "
                            "`python -m bench.dup_bench calibrate`", calibrated, self._embedder.model_id)
        return self._embedder

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self.embedder.encode(texts, kind="passage", show_progress=False)

    def _rows(self, session: Session, where: Any = None) -> list[db.Demand]:
        query = (select(db.Demand).options(selectinload(db.Demand.enterprise))
                 .where(db.Demand.campaign_id == self.campaign_id))
        if where is not None:
            query = query.where(where)
        return list(session.scalars(query.order_by(db.Demand.id)))

    def _add(self, demands: Sequence[db.Demand]) -> None:
        demands = [d for d in demands if self._versions.get(d.id) != d.content_hash]
        if not demands:
            return
        texts = [demand_text(d.record).text for d in demands]
        vecs = self._encode(texts)
        signals = [demand_signals(d) for d in demands]
        ids = [d.id for d in demands]
        if self._detector is None:
            self._detector = DuplicateDetector(self.params).fit(ids, texts, vecs, signals)
        else:
            self._detector.add(ids, texts, vecs, signals)
        for d in demands:
            self._versions[d.id] = d.content_hash
            self._max_id = max(self._max_id, d.id)

    def sync(self, session: Session) -> DuplicateDetector:
        """Build the detector from storage on first use, then pick up rows committed since (any worker)."""
        with self._lock:
            if self._detector is None:
                self._add(self._rows(session))
                if self._detector is None:  # empty campaign: an empty index of the right size
                    self._detector = DuplicateDetector(self.params).fit(
                        [], [], np.zeros((0, self.embedder.dim), np.float32))
                return self._detector
            since = datetime.now(timezone.utc) - timedelta(minutes=SYNC_RECENT_MINUTES)
            recent = session.execute(
                select(db.Demand.id, db.Demand.content_hash).where(
                    db.Demand.campaign_id == self.campaign_id,
                    or_(db.Demand.id > self._max_id - SYNC_SLACK_IDS, db.Demand.updated_at >= since))).all()
            fresh = [i for i, digest in recent if self._versions.get(i) != digest]
            if fresh:
                self._add(self._rows(session, db.Demand.id.in_(fresh)))
            return self._detector

    def rebuild(self, session: Session) -> int:
        """Drop the in-memory detector and rebuild it from storage; returns its size."""
        with self._lock:
            self._detector, self._versions, self._max_id = None, {}, 0
            return len(self.sync(session))

    # ----- decisions
    def decisions(self, session: Session, ids: Iterable[int] | None = None) -> dict[tuple[int, int], str]:
        """Stored staff decisions ``{(a, b): confirm|dismiss}`` (a < b), optionally touching ``ids``."""
        query = select(db.DuplicateDecision)
        if ids is not None:
            ids = list(ids)
            query = query.where(or_(db.DuplicateDecision.demand_a.in_(ids), db.DuplicateDecision.demand_b.in_(ids)))
        return {(r.demand_a, r.demand_b): r.decision for r in session.scalars(query)}

    def decide(self, session: Session, a: int, b: int, decision: str, *, note: str | None = None,
               actor: str = "api") -> db.DuplicateDecision:
        """Record (or change) a decision on a pair and commit; a dismissed pair is never proposed again."""
        if decision not in DECISIONS:
            raise InvalidInput("决定只能是 confirm（确认重复）或 dismiss（不是重复）。",
                               "decision must be 'confirm' or 'dismiss'.", {"decision": decision})
        if a == b:
            raise InvalidInput("不能对同一条需求作出查重决定。", "A pair needs two different demands.", {"a": a})
        a, b = min(a, b), max(a, b)
        for i in (a, b):
            service.get_demand(session, i)
        row = session.scalar(select(db.DuplicateDecision).where(db.DuplicateDecision.demand_a == a,
                                                                db.DuplicateDecision.demand_b == b))
        before = {"decision": row.decision} if row else None
        if row is None:
            row = db.DuplicateDecision(demand_a=a, demand_b=b, decision=decision, note=note, actor=actor)
            session.add(row)
        else:
            row.decision, row.note, row.actor = decision, note, actor
            row.decided_at = datetime.now(timezone.utc)
        session.flush()
        service.append_audit(session, actor, "decide", "duplicate_pair", row.id, before,
                             {"demand_a": a, "demand_b": b, "decision": decision})
        session.commit()
        return row

    # ----- checks
    def candidates(self, session: Session, demand: db.Demand, *, min_verdict: str = "related",
                   top: int = 10) -> list[Candidate]:
        """Stored demands that may duplicate ``demand``: dismissed pairs left out, confirmed ones always in."""
        detector = self.sync(session)
        text = demand_text(demand.record).text
        decided = self.decisions(session, [demand.id])
        dismissed = {pair for pair, d in decided.items() if d == "dismiss"}
        confirmed = {a if b == demand.id else b for (a, b), d in decided.items() if d == "confirm"}
        with self._lock:
            vector, signals = self._encode([text])[0], demand_signals(demand)
            found = detector.check(text, vector, signals, exclude=[demand.id], top=top * 2, min_verdict=min_verdict)
            missing = confirmed - {c.id for c in found}
            found = detector.score_ids(text, vector, signals, sorted(missing)) + found
        out = []
        for c in found:
            if (min(c.id, demand.id), max(c.id, demand.id)) in dismissed:
                continue
            if session.get(db.Demand, c.id) is None:  # rolled back or deleted meanwhile
                with self._lock:
                    detector.remove([c.id])
                    self._versions.pop(c.id, None)
                continue
            out.append(c)
        return out[:top]

    def intake_step(self, session: Session, campaign: service.CampaignContext,
                    item: service.IntakeItem) -> list[dict[str, Any]]:
        """Intake step: duplicate candidates of the new demand as findings; then index the demand."""
        # DB-level guard: serialise intake checks per campaign across workers until commit.
        session.execute(select(db.Campaign.id).where(db.Campaign.id == campaign.id).with_for_update())
        demand = item.demand
        with self._lock:
            found = self.candidates(session, demand, min_verdict="related", top=5)
            self._add([demand])  # visible to the next check at once (this process)
        return intake_findings(found)

    def evidence_for(self, session: Session, demand: db.Demand, candidate: Candidate, *, admin: bool) -> dict[str, Any]:
        """Why ``candidate`` looks like ``demand``: shared sentences (field + offsets), terms, signals."""
        from nlp.tokenize import default_tokenizer

        other = service.get_demand(session, candidate.id)
        ta, tb = demand_text(demand.record), demand_text(other.record)
        tok = default_tokenizer()
        ev = evidence(ta.text, tb.text, words_a=tok.words(ta.text, normalized=True),
                      words_b=tok.words(tb.text, normalized=True),
                      signals=candidate.signals, reveal_signals=admin)
        ev["sentences"] = [{"this": ta.locate(*m["a"]), "other": tb.locate(*m["b"]), "score": m["score"],
                            "text": m["text"]} for m in ev["sentences"]]
        return ev

    # ----- a whole round
    def run_batch(self, session: Session, *, batch: str | None = None, min_verdict: str = "near_duplicate",
                  save: bool = True) -> dict[str, Any]:
        """De-duplicate the campaign (or one 批次): groups of linked demands with a canonical one each.

        ``save`` keeps the result as the latest run (what GET /dedup/groups and the export show)."""
        if min_verdict not in VERDICTS[:3]:
            raise InvalidInput("min_verdict 只能是 duplicate、near_duplicate 或 related。",
                               "min_verdict must be duplicate, near_duplicate or related.",
                               {"min_verdict": min_verdict})
        rows = self._rows(session, db.Demand.batch == batch if batch else None)
        ids = [d.id for d in rows]
        detector = DuplicateDetector(self.params)
        texts = [demand_text(d.record).text for d in rows]
        vecs = self._encode(texts) if rows else np.zeros((0, self.embedder.dim), np.float32)
        detector.fit(ids, texts, vecs, [demand_signals(d) for d in rows])
        links = [(a, b, c.score, c.verdict) for a, b, c in detector.links(min_verdict=min_verdict)]
        decided = self.decisions(session, ids)
        in_round = set(ids)
        confirmed = [p for p, d in decided.items() if d == "confirm" and p[0] in in_round and p[1] in in_round]
        dismissed = [p for p, d in decided.items() if d == "dismiss"]
        rank = {d.id: (d.submitted_at or d.created_at).timestamp() if (d.submitted_at or d.created_at) else None
                for d in rows}
        groups = group_links(links, confirmed=confirmed, dismissed=dismissed, rank=rank)
        result = {"batch": batch, "min_verdict": min_verdict, "demands": len(rows),
                  "run_at": datetime.now(timezone.utc).isoformat(),
                  "groups": [g.to_dict() for g in groups]}
        if save:
            self._save_groups(result)
        return result

    def _groups_file(self) -> Path:
        return self.settings.home / "dedup" / f"groups-{self.campaign_id}.json"

    def _save_groups(self, result: dict[str, Any]) -> None:
        path = self._groups_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)

    def last_groups(self, session: Session) -> dict[str, Any]:
        """The groups of the latest batch run (run one now if there is none), with current decisions."""
        path = self._groups_file()
        result = json.loads(path.read_text(encoding="utf-8")) if path.exists() else self.run_batch(session)
        decided = self.decisions(session)
        for g in result["groups"]:
            for link in g["links"]:
                link["decision"] = decided.get((link["a"], link["b"]))
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
        from api.tables import write_excel

        buffer = io.BytesIO()
        write_excel({"查重分组 duplicates": self.export_rows(session, self.last_groups(session))}, buffer)
        return buffer.getvalue()


def intake_findings(found: Sequence[Candidate]) -> list[dict[str, Any]]:
    """Findings for the intake report: one ``duplicate`` warning and/or one ``duplicate_related`` note.

    Values list candidate ids, verdicts and scores only; which enterprise signal fired is not
    stored here (findings are shown to every caller) — GET /demands/{id}/duplicates shows it to admins.
    """
    out = []
    strong = [c for c in found if c.verdict in ("duplicate", "near_duplicate")]
    weak = [c for c in found if c.verdict == "related"]
    if strong:
        ids = "、".join(f"#{c.id}" for c in strong)
        out.append({"rule_id": RULE_DUPLICATE, "severity": "warning",
                    "message_zh": f"疑似重复申报：与已收到的需求 {ids} 内容重复或高度相似，请核实。",
                    "message_en": f"Possible duplicate of stored demand(s) {ids.replace('、', ', ')}; please review.",
                    "fields": [], "values": {"candidates": [_brief(c) for c in strong]}})
    if weak:
        ids = "、".join(f"#{c.id}" for c in weak)
        out.append({"rule_id": RULE_RELATED, "severity": "info",
                    "message_zh": f"与已收到的需求 {ids} 内容相关（非重复），供参考。",
                    "message_en": f"Related to stored demand(s) {ids.replace('、', ', ')} (not duplicates).",
                    "fields": [], "values": {"candidates": [_brief(c) for c in weak]}})
    return out


def _brief(c: Candidate) -> dict[str, Any]:
    return {"id": c.id, "verdict": c.verdict, "score": round(c.score, 4),
            "enterprise_signal": bool(c.signals)}


def candidate_out(c: Candidate, *, admin: bool, decision: str | None = None) -> dict[str, Any]:
    """A candidate as callers see it: signal names only with the admin token; the staff decision."""
    d = c.to_dict()
    d["decision"] = decision
    d["signals"] = list(c.signals) if admin else (["enterprise"] if c.signals else [])
    return d


# --------------------------------------------------------------------------- wiring

def install(app: Any) -> None:
    """Create ``app.state.duplicates`` and append its check to the intake steps (called at app start)."""
    dup = DuplicateService(app.state.settings, app.state.campaign.id, getattr(app.state, "embedder", None))
    app.state.duplicates = dup
    app.state.intake_steps = (*app.state.intake_steps, dup.intake_step)
    try:  # rebuild the index from storage now, not on the first clerk's submission
        with app.state.sessions() as session:
            dup.sync(session)
    except Exception:  # e.g. the model is missing: intake will report it; the app still starts
        log.exception("duplicate index not built at start; it will be built on first use")


def intake_step_for(settings: Settings) -> service.IntakeStep:
    """An intake step for the CLI, whose campaign is known only once the database is open."""
    services: dict[int, DuplicateService] = {}

    def duplicate_step(session: Session, campaign: service.CampaignContext,
                       item: service.IntakeItem) -> list[dict[str, Any]]:
        if campaign.id not in services:
            services[campaign.id] = DuplicateService(settings, campaign.id)
        return services[campaign.id].intake_step(session, campaign, item)

    return duplicate_step


def duplicates_sheet(session: Session, campaign: service.CampaignContext) -> Any:
    """Report sheet builder (查重): duplicate groups of the whole campaign, computed now."""
    import pandas as pd

    dup = DuplicateService(Settings.from_env(), campaign.id)
    rows = dup.export_rows(session, dup.run_batch(session, save=False))
    return pd.DataFrame(rows, columns=EXPORT_COLUMNS)


#: The 查重 sheet of the Excel report (append to the sheets passed to ``api.report.write_report``).
DUPLICATES_SHEET = SheetBuilder("查重 duplicates", duplicates_sheet)
