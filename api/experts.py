"""Expert and solver matching, I/O side: profiles from storage, ranking, stored panel runs, Excel.

The pure parts live in ``matching/`` (affinity, conflicts, assignment, solvers); this module reads
storage into their inputs and writes their results back. :class:`ExpertMatching` (one per app, on
``app.state.expert_matching``) keeps the fitted affinity model and rebuilds it when experts or
review records change, so a recorded review updates the profiles. Expert identities leave this
module only for admin callers; everyone else sees a stable pseudonym. Logs carry counts and run
ids, never names.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api import service
from api import storage as db
from api.config import Settings
from api.errors import InvalidInput, NotFound
from matching.assign import (SOLVERS, InfeasibleAssignment, PanelRules, cluster_problem, encode,
                             expand_clusters)
from matching.conflicts import ConflictRules, DemandParty, ExpertParty, build_conflicts
from matching.experts import ExpertAffinity, ExpertProfile, ReviewItem, split_terms
from matching.solvers import SolverMatcher, SolverProfile
from nlp.text import normalize

log = logging.getLogger(__name__)

DEMAND_TEXT_KEYS = ("需求名称", "发榜需求名称", "需求描述", "发榜内容描述", "对揭榜方要求", "企业技术领域", "主营业务")


class AssignmentInfeasible(InvalidInput):
    """A round's panel constraints cannot be met (details name the demands and constraints)."""

    code = "assignment_infeasible"


# --------------------------------------------------------------------------- inputs from storage

def demand_text(demand: db.Demand) -> str:
    """The demand's matching text: titles and descriptive fields of its stored record."""
    record = demand.record or {}
    parts = [demand.title] + [str(record.get(k) or "") for k in DEMAND_TEXT_KEYS[1:]]
    return " ".join(p for p in parts if p)


def demand_party(demand: db.Demand) -> DemandParty:
    record = demand.record or {}
    ent = demand.enterprise
    return DemandParty(str(demand.id), ent.name, ent.group_name or record.get("集团名称") or None,
                       demand.region or ent.region, split_terms(record.get("回避单位")))


def _in_province(region: str | None) -> bool:
    from api.schemas import Expert as ExpertSchema

    return ExpertSchema.model_construct(location=region).in_province if region else True


@dataclass
class Pool:
    """The expert pool as the matcher sees it (row order = model columns)."""

    experts: list[db.Expert]
    model: ExpertAffinity
    key: tuple

    @property
    def parties(self) -> list[ExpertParty]:
        return [ExpertParty(str(e.id), e.organization or "", e.region, tuple(e.avoid_orgs or ()), bool(e.available))
                for e in self.experts]


class ExpertMatching:
    """Per-app matcher: cached affinity model over storage, pseudonyms, ranking, panel runs."""

    def __init__(self, settings: Settings, embedder: Any = None):
        self.settings = settings
        self.embedder = embedder
        self._pool: Pool | None = None
        self._salt = (settings.admin_token or "jiebang-experts").encode()

    # ---------------------------------------------------------------- pool
    def _pool_key(self, session: Session) -> tuple:
        return (session.scalar(select(func.count(db.Expert.id))), session.scalar(select(func.max(db.Expert.updated_at))),
                session.scalar(select(func.count(db.ExpertReview.id))),
                session.scalar(select(func.max(db.ExpertReview.id))))

    def pool(self, session: Session) -> Pool:
        """The fitted pool, rebuilt when experts or review records changed since the last call."""
        key = self._pool_key(session)
        if self._pool is not None and self._pool.key == key:
            return self._pool
        experts = list(session.scalars(select(db.Expert).order_by(db.Expert.id)))
        if not experts:
            raise NotFound("专家库为空，请先导入专家（jiebang import --kind experts）。",
                           "The expert pool is empty; import experts first.")
        profiles = [ExpertProfile(str(e.id), e.research_fields or "", tuple(e.keywords or ()),
                                  str((e.record or {}).get("代表性成果") or "")) for e in experts]
        items = review_items(session.scalars(select(db.ExpertReview).order_by(db.ExpertReview.id)))
        model = ExpertAffinity().fit(profiles, items)
        log.info("expert pool fitted: %d experts, %d review records", len(experts), len(items))
        self._pool = Pool(experts, model, key)
        return self._pool

    def pseudonym(self, expert_id: int) -> str:
        """A stable pseudonymous id for non-admin callers (HMAC of the storage id)."""
        return "专家-" + hmac.new(self._salt, str(expert_id).encode(), hashlib.sha256).hexdigest()[:10]

    def expert_view(self, e: db.Expert, admin: bool) -> dict[str, Any]:
        if not admin:
            return {"expert": self.pseudonym(e.id), "category": e.category,
                    "out_of_province": not _in_province(e.region)}
        return {"expert": self.pseudonym(e.id), "expert_id": e.external_id, "name": e.name,
                "organization": e.organization, "title": e.title, "region": e.region, "category": e.category,
                "out_of_province": not _in_province(e.region)}

    # ---------------------------------------------------------------- ranking
    def rank_experts(self, session: Session, demand_id: int, *, top: int = 20, admin: bool = False,
                     out_of_region: bool = False) -> dict[str, Any]:
        """Every expert for one demand, best first, conflicted ones listed apart with their rule."""
        demand = service.get_demand(session, demand_id)
        pool = self.pool(session)
        conflicts = build_conflicts([demand_party(demand)], pool.parties, ConflictRules(out_of_region=out_of_region))
        blocked = conflicts.blocked[0]
        by_id = {str(e.id): e for e in pool.experts}
        excluded_ids = [pool.model.expert_ids_[j] for j in np.flatnonzero(blocked)]
        matches = pool.model.rank(demand_text(demand), top=top, exclude=excluded_ids)
        ranked = []
        for r, m in enumerate(matches, 1):
            e = by_id[m.expert_id]
            item = {"rank": r, **self.expert_view(e, admin), **{k: v for k, v in m.to_dict().items() if k != "expert_id"}}
            ranked.append(item)
        excluded = [{**self.expert_view(by_id[x.expert_id], admin), "rule": x.rule, "message_zh": x.message_zh,
                     "message_en": x.message_en} for x in conflicts.exclusions(0)]
        return {"demand_id": demand.id, "experts": ranked, "excluded": excluded}

    def rank_solvers(self, session: Session, demand_id: int, *, top: int = 10) -> dict[str, Any]:
        """Candidate solver institutions for a demand (institutions are not personal data)."""
        demand = service.get_demand(session, demand_id)
        solvers = list(session.scalars(select(db.Solver).order_by(db.Solver.id)))
        if not solvers:
            raise NotFound("揭榜方库为空，请先导入（jiebang import --kind solvers）。",
                           "No solvers stored; import solvers first.")
        profiles = [_solver_profile(s) for s in solvers]
        matcher = SolverMatcher().fit(profiles)
        party = demand_party(demand)
        ranked, excluded = matcher.rank(demand_text(demand), enterprise=party.enterprise, group=party.group, top=top)
        return {"demand_id": demand.id, "solvers": [m.to_dict() for m in ranked],
                "excluded": [{"solver_id": x.solver_id, "rule": x.rule, "message_zh": x.message_zh,
                              "message_en": x.message_en} for x in excluded]}

    # ---------------------------------------------------------------- assignment
    def solve_round(self, session: Session, campaign: service.CampaignContext, *,
                    demand_ids: list[int] | None = None, batch: str | None = None,
                    rules: PanelRules = PanelRules(), solver: str = "optimal", seed: int | None = None,
                    out_of_region: bool = False, clusters: dict[int, str] | None = None) -> tuple:
        """Encode the round from storage and solve it (nothing stored): (demands, pool, problem, result)."""
        if solver not in SOLVERS:
            raise InvalidInput(f"未知的分配方法：{solver}", f"unknown solver: {solver}", {"solvers": list(SOLVERS)})
        demands = service.all_demands(session, campaign)
        if demand_ids:
            wanted = set(demand_ids)
            demands = [d for d in demands if d.id in wanted]
            missing = wanted - {d.id for d in demands}
            if missing:
                raise NotFound("部分需求不存在", "some demands do not exist", {"missing": sorted(missing)})
        if batch:
            demands = [d for d in demands if d.batch == batch]
        if not demands:
            raise InvalidInput("没有可分配的需求", "no demands to assign", None)
        pool = self.pool(session)
        conflicts = build_conflicts([demand_party(d) for d in demands], pool.parties,
                                    ConflictRules(out_of_region=out_of_region))
        affinity = pool.model.score([demand_text(d) for d in demands])
        problem = encode([str(d.id) for d in demands], pool.model.expert_ids_, affinity, conflicts.blocked, rules,
                         out_of_province=[not _in_province(e.region) for e in pool.experts],
                         categories=[e.category for e in pool.experts])
        solver_obj = SOLVERS[solver](seed=seed) if solver == "random_draw" else SOLVERS[solver]()
        try:
            if clusters:
                labels = [clusters.get(d.id, f"_{d.id}") for d in demands]
                cproblem, members = cluster_problem(problem, labels)
                result = expand_clusters(solver_obj.solve(cproblem), members, len(demands), problem)
            else:
                result = solver_obj.solve(problem)
        except InfeasibleAssignment as exc:
            raise AssignmentInfeasible(exc.message_zh, exc.message_en, exc.details) from None
        return demands, pool, problem, result

    def assign(self, session: Session, campaign: service.CampaignContext, *, demand_ids: list[int] | None = None,
               batch: str | None = None, rules: PanelRules = PanelRules(), solver: str = "optimal",
               seed: int | None = None, out_of_region: bool = False, clusters: dict[int, str] | None = None,
               actor: str = "system") -> dict[str, Any]:
        """Form panels for a round, store the run (params + seed) and its rows; return the run summary."""
        demands, pool, problem, result = self.solve_round(
            session, campaign, demand_ids=demand_ids, batch=batch, rules=rules, solver=solver, seed=seed,
            out_of_region=out_of_region, clusters=clusters)
        params = {"solver": solver, "panel_size": rules.panel_size, "max_load": rules.max_load,
                  "min_out_of_province_share": rules.min_out_of_province_share, "category_mix": rules.category_mix,
                  "pool_factor": rules.pool_factor, "out_of_region": out_of_region, "batch": batch,
                  "demand_ids": [d.id for d in demands], "clusters": {str(k): v for k, v in (clusters or {}).items()},
                  "total_affinity": round(result.total_affinity, 6), "seconds": round(result.seconds, 3),
                  "actor": actor}
        run = db.AssignmentRun(params=params, seed=result.seed)
        session.add(run)
        session.flush()
        for row in result.records(problem):
            session.add(db.Assignment(run_id=run.id, demand_id=int(row["demand_id"]), expert_id=int(row["expert_id"]),
                                      role=row["role"], affinity=row["affinity"], rank=row["rank"]))
        service.append_audit(session, actor, "create", "assignment_run", run.id, None,
                             {k: v for k, v in params.items() if k != "demand_ids"} | {"seed": result.seed})
        session.commit()
        loads = result.loads(len(pool.experts))
        log.info("assignment run %d: %d demands, solver %s, seed %s", run.id, len(demands), solver, result.seed)
        return {"run_id": run.id, "solver": solver, "seed": result.seed, "demands": len(demands),
                "total_affinity": round(result.total_affinity, 4), "max_load": int(loads.max(initial=0)),
                "seconds": round(result.seconds, 3)}

    def run_panels(self, session: Session, run_id: int, *, admin: bool = False) -> dict[str, Any]:
        """A stored run: its parameters, seed and, per demand, members and substitutes."""
        run = session.get(db.AssignmentRun, run_id)
        if run is None:
            raise NotFound(f"分配记录 {run_id} 不存在", f"assignment run {run_id} not found")
        experts = {e.id: e for e in session.scalars(
            select(db.Expert).where(db.Expert.id.in_({a.expert_id for a in run.assignments})))}
        panels: dict[int, dict[str, Any]] = {}
        for a in sorted(run.assignments, key=lambda a: (a.demand_id, a.role != "member", a.rank)):
            if a.demand_id not in panels:
                d = session.get(db.Demand, a.demand_id)
                panels[a.demand_id] = {"demand_id": a.demand_id, "external_id": d.external_id, "title": d.title,
                                       "office": d.office, "members": [], "substitutes": []}
            key = "members" if a.role == "member" else "substitutes"
            panels[a.demand_id][key].append({"rank": a.rank, "affinity": round(a.affinity, 4),
                                             **self.expert_view(experts[a.expert_id], admin)})
        params = {k: v for k, v in run.params.items() if k != "actor" or admin}
        return {"run_id": run.id, "seed": run.seed, "params": params, "created_at": run.created_at,
                "panels": list(panels.values())}

    def latest_run_id(self, session: Session) -> int | None:
        return session.scalar(select(func.max(db.AssignmentRun.id)))

    def export_rows(self, session: Session, run_id: int) -> dict[str, list[dict[str, Any]]]:
        """``{office: rows}`` of a run, identities included (callers must be authorised)."""
        data = self.run_panels(session, run_id, admin=True)
        sheets: dict[str, list[dict[str, Any]]] = {}
        for p in data["panels"]:
            for role, key in (("成员", "members"), ("候补", "substitutes")):
                for m in p[key]:
                    sheets.setdefault(p["office"] or "未归口", []).append({
                        "系统编号": p["demand_id"], "需求编号": p["external_id"], "需求名称": p["title"],
                        "角色": role, "序号": m["rank"], "专家编号": m["expert_id"], "姓名": m["name"],
                        "工作单位": m["organization"], "职称": m["title"], "所在地区": m["region"],
                        "专家类别": m["category"], "匹配度": m["affinity"],
                        "抽取种子": data["seed"], "分配记录": data["run_id"]})
        return sheets

    def export_excel(self, session: Session, run_id: int) -> bytes:
        """One workbook, one sheet per office (归口处室)."""
        from api.tables import write_excel

        buffer = io.BytesIO()
        rows = self.export_rows(session, run_id)
        write_excel({f"{office} 专家组": r for office, r in sorted(rows.items())} or {"专家组 panels": []}, buffer)
        return buffer.getvalue()

    # ---------------------------------------------------------------- history
    def record_review(self, session: Session, expert_external_id: str, title: str, abstract: str = "",
                      keywords: list[str] | None = None, reviewed_at: str | None = None,
                      actor: str = "system") -> dict[str, Any]:
        """Add a review record; the next ranking sees the updated profile."""
        expert = session.scalar(select(db.Expert).where(db.Expert.external_id == expert_external_id))
        if expert is None:
            raise NotFound("专家不存在", "expert not found")
        digest = service.content_hash({"expert": expert.id, "title": title, "abstract": abstract,
                                       "keywords": keywords or [], "at": reviewed_at})
        row = db.ExpertReview(expert_id=expert.id, title=title, abstract=abstract, keywords=list(keywords or []),
                              reviewed_at=reviewed_at, content_hash=digest)
        session.add(row)
        session.flush()
        service.append_audit(session, actor, "create", "expert_review", row.id, None, {"expert_id": expert.id})
        session.commit()
        return {"review_id": row.id, "expert": self.pseudonym(expert.id)}


def _solver_profile(s: db.Solver) -> SolverProfile:
    r = s.record or {}
    return SolverProfile(s.external_id, s.name, s.kind or "", s.region or "", str(r.get("研究方向") or ""),
                         str(r.get("能力描述") or ""), str(r.get("科技创新平台") or ""), str(r.get("代表性成果") or ""),
                         group=r.get("集团名称") or None)


def install(app: Any) -> None:
    """Create ``app.state.expert_matching`` (called at app start)."""
    app.state.expert_matching = ExpertMatching(app.state.settings, getattr(app.state, "embedder", None))


def panels_sheet(session: Session, campaign: service.CampaignContext) -> pd.DataFrame:
    """Report sheet builder (专家组): the latest stored run, identities shown as pseudonyms."""
    columns = ["分配记录", "抽取种子", "归口处室", "系统编号", "需求编号", "需求名称", "角色", "序号", "专家", "匹配度"]
    matcher = ExpertMatching(Settings.from_env())
    run_id = matcher.latest_run_id(session)
    if run_id is None:
        return _preview_sheet(matcher, session, campaign, columns)
    data = matcher.run_panels(session, run_id, admin=False)
    rows = [{"分配记录": run_id, "抽取种子": data["seed"], "归口处室": p["office"], "系统编号": p["demand_id"],
             "需求编号": p["external_id"], "需求名称": p["title"], "角色": role, "序号": m["rank"],
             "专家": m["expert"], "匹配度": m["affinity"]}
            for p in data["panels"] for role, key in (("成员", "members"), ("候补", "substitutes")) for m in p[key]]
    return pd.DataFrame(rows, columns=columns)


def _preview_sheet(matcher: ExpertMatching, session: Session, campaign: service.CampaignContext,
                   columns: list[str]) -> pd.DataFrame:
    """No stored run yet (the demo): an optimal preview with panels of 3, max load 8, not stored."""
    try:
        demands, pool, problem, result = matcher.solve_round(session, campaign, rules=PanelRules(panel_size=3))
    except (AssignmentInfeasible, NotFound, InvalidInput) as exc:
        return pd.DataFrame([{"分配记录": "预览 preview", "需求名称": exc.message_zh}], columns=columns)
    by_id = {d.id: d for d in demands}
    rows = []
    for r in result.records(problem):
        d = by_id[int(r["demand_id"])]
        rows.append({"分配记录": "预览 preview", "抽取种子": result.seed, "归口处室": d.office, "系统编号": d.id,
                     "需求编号": d.external_id, "需求名称": d.title, "角色": "成员" if r["role"] == "member" else "候补",
                     "序号": r["rank"], "专家": matcher.pseudonym(int(r["expert_id"])), "匹配度": round(r["affinity"], 4)})
    return pd.DataFrame(rows, columns=columns)


PANELS_SHEET_NAME = "专家组 panels"


def panels_sheet_builder() -> Any:
    """The report hook: a :class:`api.report.SheetBuilder` for the panels sheet."""
    from api.report import SheetBuilder

    return SheetBuilder(PANELS_SHEET_NAME, panels_sheet)


def review_items(rows: Iterable[Any]) -> list[ReviewItem]:
    """One item per reviewed project: review records of the same demand, or of the same title on the
    same date, are one panel — so co-review communities and per-panel vote shares see the panel."""
    panels: dict[tuple[Any, ...], list[Any]] = {}
    for r in rows:
        key = ("demand", r.demand_id) if r.demand_id else ("title", normalize(r.title), r.reviewed_at or "")
        panels.setdefault(key, []).append(r)
    return [ReviewItem(tuple(dict.fromkeys(str(r.expert_id) for r in group)), group[0].title,
                       group[0].abstract or "", tuple(group[0].keywords or ()))
            for group in panels.values()]
