"""Review-panel assignment (论证专家组), I/O side: encode a round from storage, solve it with one of
the assignment methods of :mod:`matching.assign`, store the run (parameters + seed), show and export it.

Staff may **force** an expert onto a demand's panel or **forbid** a pair (OpenReview's assignment
editor): the pairs are parameters of a run request (``force`` / ``forbid``, experts named by 专家编号 or
pseudonym), recorded in the run's parameters by storage id and shown per role. A forbidden pair becomes
a conflict with the rule ``staff_forbid``; a forced pair an entry of the problem's ``forced`` array. The
console edits the pairs the next re-draw of a run will use, kept beside the run's parameters
(``params["next"]``, the run's own pairs until edited) — no table of their own."""
from __future__ import annotations

import logging
from typing import Any

import numpy as np

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.errors import Conflict, InvalidInput, NotFound
from api.services import panel_sheets
from api.services.audit import append_audit
from api.services.campaign import CampaignContext
from api.services.demands import all_demands
from api.services.experts import ExpertMatching, in_province
from api.services.views import view_of_demand
from api.store import tables as db
from matching.assign import (ASSIGNERS, Assignment, InfeasibleAssignment, PanelRules, cluster_problem, encode,
                             expand_clusters)
from matching.conflicts import RULES, ConflictRules, build_conflicts
from matching.panel_sizing import round_sizes
from matching.relevance import describe_shortfall, floor_sizes

log = logging.getLogger(__name__)

class AssignmentInfeasible(InvalidInput):
    """A round's panel constraints cannot be met (details name the demands and constraints)."""

    code = "assignment_infeasible"


Pair = tuple[int, int]  # (demand storage id, expert storage id)
PAIR_KINDS = ("force", "forbid")


class PanelAssignment:
    """Panel runs of a campaign over the expert pool of :class:`ExpertMatching`."""

    def __init__(self, experts: ExpertMatching):
        self.experts = experts

    def solve_round(self, session: Session, campaign: CampaignContext, *,
                    demand_ids: list[int] | None = None, batch: str | None = None,
                    rules: PanelRules = PanelRules(), solver: str = "optimal", seed: int | None = None,
                    out_of_region: bool = False, clusters: dict[int, str] | None = None,
                    force: list[dict] | None = None, forbid: list[dict] | None = None) -> tuple:
        """Encode the round from storage and solve it (nothing stored): (demands, pool, problem, result).
        ``force`` / ``forbid``: ``[{demand_id, expert_id}]`` (专家编号 or pseudonym); the resolved pairs are
        in ``result.info["pairs"]`` (storage ids) and those outside the round in ``info["skipped_pairs"]``."""
        if solver not in ASSIGNERS:
            raise InvalidInput(f"未知的分配方法：{solver}", f"unknown solver: {solver}", {"solvers": list(ASSIGNERS)})
        demands = all_demands(session, campaign)
        pairs, refs = self.resolve_pairs(session, {"force": force or [], "forbid": forbid or []},
                                         {d.id for d in demands})
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
        pool = self.experts.pool(session)
        views = [view_of_demand(d) for d in demands]
        in_round = {d.id for d in demands}
        forbidden = frozenset((str(d), str(e)) for d, e in pairs["forbid"] if d in in_round)
        conflicts = build_conflicts([v.party for v in views], pool.parties,
                                    ConflictRules(out_of_region=out_of_region, forbidden_pairs=forbidden),
                                    orgs=self.experts.orgs)
        texts = [v.matching_text for v in views]
        affinity = pool.model.score(texts)
        d_index = {d.id: i for i, d in enumerate(demands)}
        e_index = {int(e): j for j, e in enumerate(pool.model.expert_ids_)}
        forced = np.zeros(affinity.shape, dtype=bool)
        for d, e in pairs["force"]:
            if d in in_round and e in e_index:
                forced[d_index[d], e_index[e]] = True
        relevance = self.experts.relevance(pool, texts)
        labels = [clusters.get(d.id, f"_{d.id}") for d in demands] if clusters else None
        groups = [[i for i, c in enumerate(labels) if c == k] for k in dict.fromkeys(labels)] if labels else None
        below, sizes = floor_sizes(relevance, self.experts.floor_value, conflicts.blocked, forced, rules,
                                   [e.category for e in pool.experts], groups)
        suitable = sizes.copy()
        out_of_province = [not in_province(e.region) for e in pool.experts]

        def encoded(rows: np.ndarray, panel_size: np.ndarray) -> Any:
            return encode([str(demands[i].id) for i in rows], pool.model.expert_ids_, affinity[rows],
                          (conflicts.blocked | below)[rows], rules, out_of_province=out_of_province,
                          categories=[e.category for e in pool.experts], forced=forced[rows], panel_size=panel_size)

        kept = np.flatnonzero(sizes > 0)  # a demand nobody suitable can review gets no panel, only the reasons
        if len(kept):  # panels shrink to what their experts' loads leave (matching.panel_sizing says why)
            sizes[kept] = round_sizes(encoded(kept, sizes[kept]), rules.panel_size,
                                      [labels[i] for i in kept] if labels else None)
            kept = np.flatnonzero(sizes > 0)
        problem = encoded(kept, sizes[kept])
        # The floor is hard; the out-of-province share then asks only for the suitable ones there are (reported).
        out_ok = (~(conflicts.blocked | below)[kept] & problem.out_of_province[None, :]).sum(axis=1)
        quota_short = [{"demand_id": demands[int(kept[i])].id, "constraint": "min_out_of_province",
                        "need": int(problem.min_out[i]), "have": int(out_ok[i])}
                       for i in np.flatnonzero(problem.min_out > out_ok)]
        problem.min_out = np.minimum(problem.min_out, out_ok)
        solver_obj = ASSIGNERS[solver](seed=seed) if solver == "random_draw" else ASSIGNERS[solver]()
        try:
            if not len(kept):
                result = solved = Assignment(solver, [], [], 0.0, 0.0, seed if solver == "random_draw" else None)
            elif clusters:
                cproblem, members = cluster_problem(problem, [labels[i] for i in kept])
                solved = solver_obj.solve(cproblem)
                result = expand_clusters(solved, members, len(kept), problem)
            else:
                result = solved = solver_obj.solve(problem)
        except InfeasibleAssignment as exc:
            details = [_name_forced(x, refs, conflicts, problem, kept) for x in exc.details]
            raise AssignmentInfeasible(exc.message_zh, exc.message_en, details) from None
        full = solved.loads(len(pool.experts)) >= problem.max_load  # experts the round took to their max load
        shortfall = [{"demand_id": demands[i].id, "need": rules.panel_size, "have": int(sizes[i]),
                      "suitable": int(suitable[i]), **self.experts.shortfall_reasons(
                          pool, texts[i], relevance[i], conflicts, int(i),
                          full=~(conflicts.blocked | below)[i] & full if sizes[i] < suitable[i] else None)}
                     for i in np.flatnonzero(sizes < rules.panel_size)]
        result.info["shortfall"] = shortfall
        result.info["quota_shortfall"] = quota_short
        result.info["floor"] = round(self.experts.floor_value, 6)
        result.info["pairs"] = {k: [list(x) for x in v] for k, v in pairs.items()}
        result.info["skipped_pairs"] = [{"kind": k, "demand_id": d, "expert_id": refs[e]}
                                        for k in PAIR_KINDS for d, e in pairs[k] if d not in in_round]
        return demands, pool, problem, result

    def resolve_pairs(self, session: Session, requested: dict[str, list[dict]],
                      demand_ids: set[int]) -> tuple[dict[str, list[Pair]], dict[int, str]]:
        """Staff's pairs as storage ids, and each expert's reference as given (for messages). Experts are named
        by 专家编号 or pseudonym; an unknown expert or demand, or a pair both forced and forbidden, is refused."""
        wanted = {str(x["expert_id"]).strip() for v in requested.values() for x in v}
        if not wanted:
            return {k: [] for k in PAIR_KINDS}, {}
        by_ref: dict[str, int] = {}
        for eid, external in session.execute(select(db.Expert.id, db.Expert.external_id)):
            by_ref[self.experts.pseudonym(eid)] = eid
            if external:
                by_ref.setdefault(external, eid)
        pairs: dict[str, list[Pair]] = {k: [] for k in PAIR_KINDS}
        refs: dict[int, str] = {}
        unknown = []
        for kind in PAIR_KINDS:
            for x in requested.get(kind, []):
                ref = str(x["expert_id"]).strip()
                if ref not in by_ref or int(x["demand_id"]) not in demand_ids:
                    unknown.append({"kind": kind, "demand_id": x["demand_id"], "expert_id": ref})
                    continue
                refs[by_ref[ref]] = ref
                if (pair := (int(x["demand_id"]), by_ref[ref])) not in pairs[kind]:
                    pairs[kind].append(pair)
        if unknown:
            raise NotFound("指定或禁止的专家对中有不存在的需求或专家", "a forced or forbidden pair names an unknown demand or expert",
                           {"pairs": unknown})
        both = set(pairs["force"]) & set(pairs["forbid"])
        if both:
            raise InvalidInput("同一专家对不能既指定又禁止", "a pair cannot be both forced and forbidden",
                               {"pairs": [{"demand_id": d, "expert_id": refs[e]} for d, e in sorted(both)]})
        return pairs, refs

    def assign(self, session: Session, campaign: CampaignContext, *, demand_ids: list[int] | None = None,
               batch: str | None = None, rules: PanelRules = PanelRules(), solver: str = "optimal",
               seed: int | None = None, out_of_region: bool = False, clusters: dict[int, str] | None = None,
               force: list[dict] | None = None, forbid: list[dict] | None = None,
               actor: str = "system") -> dict[str, Any]:
        """Form panels for a round, store the run (params + seed, staff's pairs) and its rows; return the
        run summary (with the pairs whose demand was outside the round)."""
        demands, pool, problem, result = self.solve_round(
            session, campaign, demand_ids=demand_ids, batch=batch, rules=rules, solver=solver, seed=seed,
            out_of_region=out_of_region, clusters=clusters, force=force, forbid=forbid)
        params = {"solver": solver, "panel_size": rules.panel_size, "max_load": rules.max_load,
                  "min_out_of_province_share": rules.min_out_of_province_share, "category_mix": rules.category_mix,
                  "pool_factor": rules.pool_factor, "out_of_region": out_of_region, "batch": batch,
                  "demand_ids": [d.id for d in demands], "clusters": {str(k): v for k, v in (clusters or {}).items()},
                  **result.info["pairs"],
                  "total_affinity": round(result.total_affinity, 6), "seconds": round(result.seconds, 3),
                  "floor": result.info["floor"], "shortfall": result.info["shortfall"],
                  "quota_shortfall": result.info["quota_shortfall"], "actor": actor}
        run = db.AssignmentRun(params=params, seed=result.seed)
        session.add(run)
        session.flush()
        for row in result.records(problem):
            session.add(db.Assignment(run_id=run.id, demand_id=int(row["demand_id"]), expert_id=int(row["expert_id"]),
                                      role=row["role"], affinity=row["affinity"], rank=row["rank"]))
        append_audit(session, actor, "create", "assignment_run", run.id, None,
                             {k: v for k, v in params.items() if k not in ("demand_ids", "shortfall")}
                             | {"seed": result.seed, "short_panels": len(result.info["shortfall"])})
        session.commit()
        loads = result.loads(len(pool.experts))
        log.info("assignment run %d: %d demands, solver %s, seed %s", run.id, len(demands), solver, result.seed)
        return {"run_id": run.id, "solver": solver, "seed": result.seed, "demands": len(demands),
                "total_affinity": round(result.total_affinity, 4), "max_load": int(loads.max(initial=0)),
                "seconds": round(result.seconds, 3), "forced": len(result.info["pairs"]["force"]),
                "forbidden": len(result.info["pairs"]["forbid"]), "skipped_pairs": result.info["skipped_pairs"],
                "shortfall": [{k: x[k] for k in ("demand_id", "need", "have", "suitable")} | describe_shortfall(x)
                              for x in result.info["shortfall"]],
                "quota_shortfall": result.info["quota_shortfall"]}

    def redraw_panel(self, session: Session, campaign: CampaignContext, run_id: int, demand_id: int, *,
                     seed: int | None = None, actor: str = "system") -> dict[str, Any]:
        """Re-draw one demand's panel of ``run_id`` and keep every other panel as it is: a new run that copies
        the others, draws this one with the run's rules (and its pending 指定 / 禁止 pairs for this demand),
        leaves out experts the other panels already load to the cap, and records this panel's seed."""
        base = self._run(session, run_id)
        params = base.params
        if demand_id not in {a.demand_id for a in base.assignments}:
            raise NotFound(f"分配记录 {run_id} 中没有需求 #{demand_id} 的专家组。",
                           f"Run {run_id} has no panel for demand #{demand_id}.", {"demand_id": demand_id})
        rules = PanelRules(panel_size=int(params.get("panel_size") or 5), max_load=int(params.get("max_load") or 8),
                           min_out_of_province_share=float(params.get("min_out_of_province_share") or 0.0),
                           category_mix=dict(params.get("category_mix") or {}),
                           pool_factor=float(params.get("pool_factor") or 3.0))
        kept = [a for a in base.assignments if a.demand_id != demand_id]
        load: dict[int, int] = {}
        for a in kept:
            if a.role == "member":
                load[a.expert_id] = load.get(a.expert_id, 0) + 1
        pending = _run_pairs(params.get("next", params))
        force = [{"demand_id": d, "expert_id": self.experts.pseudonym(e)} for d, e in pending["force"] if d == demand_id]
        forbid = [{"demand_id": d, "expert_id": self.experts.pseudonym(e)} for d, e in pending["forbid"] if d == demand_id]
        forbid += [{"demand_id": demand_id, "expert_id": self.experts.pseudonym(e)} for e, n in load.items()
                   if n >= rules.max_load and e not in {x for d, x in pending["force"] if d == demand_id}]
        solver = params.get("solver") or "random_draw"
        _, _, problem, result = self.solve_round(session, campaign, demand_ids=[demand_id], rules=rules, solver=solver,
                                                 seed=seed, out_of_region=bool(params.get("out_of_region")),
                                                 force=force, forbid=forbid)
        panel_seeds = {**(params.get("panel_seeds") or {}), str(demand_id): result.seed}
        shortfall = [x for x in params.get("shortfall") or [] if x.get("demand_id") != demand_id]
        new_params = {**params, "redrawn_from": base.id, "redrawn_demand": demand_id, "panel_seeds": panel_seeds,
                      "shortfall": shortfall + list(result.info.get("shortfall") or []), "actor": actor}
        run = db.AssignmentRun(params=new_params, seed=base.seed)
        session.add(run)
        session.flush()
        for a in kept:
            session.add(db.Assignment(run_id=run.id, demand_id=a.demand_id, expert_id=a.expert_id, role=a.role,
                                      affinity=a.affinity, rank=a.rank))
        for row in result.records(problem):
            session.add(db.Assignment(run_id=run.id, demand_id=int(row["demand_id"]), expert_id=int(row["expert_id"]),
                                      role=row["role"], affinity=row["affinity"], rank=row["rank"]))
        append_audit(session, actor, "redraw_panel", "assignment_run", run.id, {"run_id": base.id},
                     {"demand_id": demand_id, "seed": result.seed, "solver": solver})
        session.commit()
        return {"run_id": run.id, "from_run": base.id, "demand_id": demand_id, "seed": result.seed, "solver": solver}

    def run_panels(self, session: Session, run_id: int, *, admin: bool = False) -> dict[str, Any]:
        """A stored run: its parameters, seed and, per demand, members and substitutes."""
        run = self._run(session, run_id)
        stored = _run_pairs(run.params)
        experts = {e.id: e for e in session.scalars(select(db.Expert).where(db.Expert.id.in_(
            {a.expert_id for a in run.assignments} | {e for v in stored.values() for _, e in v})))}
        forced = set(stored["force"])
        panels: dict[int, dict[str, Any]] = {}
        for a in sorted(run.assignments, key=lambda a: (a.demand_id, a.role != "member", a.rank)):
            if a.demand_id not in panels:
                d = session.get(db.Demand, a.demand_id)
                panels[a.demand_id] = {"demand_id": a.demand_id, "external_id": d.external_id, "title": d.title,
                                       "office": d.office, "members": [], "substitutes": []}
            key = "members" if a.role == "member" else "substitutes"
            panels[a.demand_id][key].append({"rank": a.rank, "affinity": round(a.affinity, 4),
                                             **self.experts.expert_view(experts[a.expert_id], admin),
                                             "forced": (a.demand_id, a.expert_id) in forced})
        params = {k: v for k, v in run.params.items()
                  if (k != "actor" or admin) and k not in (*PAIR_KINDS, "next", "shortfall")}
        params |= {k: [self._pair_view(d, experts.get(e), e, admin) for d, e in v] for k, v in stored.items()}
        return {"run_id": run.id, "seed": run.seed, "params": params, "created_at": run.created_at,
                "panels": list(panels.values()), "shortfall": self._shortfall_view(session, run, admin)}

    def _shortfall_view(self, session: Session, run: db.AssignmentRun, admin: bool) -> list[dict[str, Any]]:
        """The run's demands whose panel the relevance floor left short (or empty: 库中无合适专家), with why."""
        short = run.params.get("shortfall") or []
        sids = {x["sid"] for s in short for v in s.values() if isinstance(v, list) for x in v if isinstance(x, dict)}
        experts = {e.id: e for e in session.scalars(select(db.Expert).where(db.Expert.id.in_(sids)))} if sids else {}
        out = []
        for x in short:
            d = session.get(db.Demand, x["demand_id"])
            out.append({"demand_id": x["demand_id"], "external_id": d.external_id if d else None,
                        "title": d.title if d else "", "office": d.office if d else None,
                        "need": x["need"], "have": x["have"], "suitable": x.get("suitable", x["have"]),
                        **describe_shortfall(x),
                        **self.experts.render_reasons(x, experts, admin)})
        return out

    def _pair_view(self, demand_id: int, e: db.Expert | None, expert_id: int, admin: bool) -> dict[str, Any]:
        out = {"demand_id": demand_id, "expert": self.experts.pseudonym(expert_id)}
        if admin and e is not None:
            out |= {"expert_id": e.external_id, "name": e.name}
        return out

    # ---------------------------------------------------------------- the console's pending pairs of a run
    def next_pairs(self, session: Session, run_id: int, *, admin: bool = False) -> dict[str, list[dict[str, Any]]]:
        """The pairs the next re-draw from this run will honour (its own until edited), each marked
        ``applied`` when this run already honoured it; experts per role, as in :meth:`run_panels`."""
        run = self._run(session, run_id)
        own = _run_pairs(run.params)
        pending = _run_pairs(run.params.get("next", run.params))
        experts = {e.id: e for e in session.scalars(select(db.Expert).where(
            db.Expert.id.in_({e for v in pending.values() for _, e in v})))}
        return {k: [self._pair_view(d, experts.get(e), e, admin) | {"applied": (d, e) in own[k]} for d, e in v]
                for k, v in pending.items()}

    def next_refs(self, session: Session, run_id: int) -> dict[str, list[dict[str, Any]]]:
        """The pending pairs of a run as ``force`` / ``forbid`` request parameters (experts as pseudonyms)."""
        run = self._run(session, run_id)
        pending = _run_pairs(run.params.get("next", run.params))
        return {k: [{"demand_id": d, "expert_id": self.experts.pseudonym(e)} for d, e in v] for k, v in pending.items()}

    def edit_next(self, session: Session, campaign: CampaignContext, run_id: int, action: str, demand_id: int,
                  expert: str, *, actor: str = "system") -> dict[str, list[dict[str, Any]]]:
        """Force or forbid a pair for the next re-draw from this run, or remove it (``action`` force | forbid |
        remove); forcing a forbidden pair (or the reverse) replaces it. Audited as an update of the run."""
        if action not in (*PAIR_KINDS, "remove"):
            raise InvalidInput(f"未知的操作：{action}", f"unknown action: {action}", {"actions": [*PAIR_KINDS, "remove"]})
        run = self._run(session, run_id)
        before = _run_pairs(run.params.get("next", run.params))
        pairs, _ = self.resolve_pairs(session, {"force": [{"demand_id": demand_id, "expert_id": expert}]},
                                      {d.id for d in all_demands(session, campaign)})
        pair = pairs["force"][0]
        if action == "force":
            blocked = self.experts.blocking(session, demand_id, pair[1],
                                            out_of_region=bool(run.params.get("out_of_region")))
            if blocked:
                raise Conflict(f"专家 {expert} 须回避需求 #{demand_id}（{'；'.join(b['message_zh'] for b in blocked)}），不能指定。",
                               f"Expert {expert} is blocked for demand #{demand_id} "
                               f"({'; '.join(b['message_en'] for b in blocked)}); it cannot be forced.",
                               {"demand_id": demand_id, "expert": expert, "rules": [b["rule"] for b in blocked]},
                               code="forced_blocked")
        after = {k: [x for x in v if x != pair] for k, v in before.items()}
        if action != "remove":
            after[action].append(pair)
        stored = {k: [list(x) for x in v] for k, v in after.items()}
        run.params = {**run.params, "next": stored}
        append_audit(session, actor, "update", "assignment_run", run.id,
                     {"next": {k: [list(x) for x in v] for k, v in before.items()}},
                     {"next": stored, "action": action, "pair": list(pair)})
        session.commit()
        return self.next_pairs(session, run_id, admin=True)

    def _run(self, session: Session, run_id: int) -> db.AssignmentRun:
        run = session.get(db.AssignmentRun, run_id)
        if run is None:
            raise NotFound(f"分配记录 {run_id} 不存在", f"assignment run {run_id} not found")
        return run

    def latest_run_id(self, session: Session) -> int | None:
        return session.scalar(select(func.max(db.AssignmentRun.id)))

    def export_rows(self, session: Session, run_id: int) -> dict[str, list[dict[str, Any]]]:
        """``{office: rows}`` of a run, identities included (callers must be authorised)."""
        return panel_sheets.export_rows(self, session, run_id)

    def export_excel(self, session: Session, run_id: int) -> bytes:
        """One workbook, one sheet per office (归口处室)."""
        return panel_sheets.export_excel(self, session, run_id)

    def sheet(self, session: Session, campaign: CampaignContext) -> pd.DataFrame:
        """Report sheet builder (专家组): the latest stored run, identities shown as pseudonyms."""
        return panel_sheets.panels_sheet(self, session, campaign, panel_sheets.PANEL_COLUMNS)


def _run_pairs(params: dict[str, Any]) -> dict[str, list[Pair]]:
    """``{force, forbid}`` of a run's parameters (or its ``next``) as (demand, expert) storage-id pairs."""
    return {k: [(int(d), int(e)) for d, e in params.get(k) or []] for k in PAIR_KINDS}


def _name_forced(detail: dict, refs: dict[int, str], conflicts: Any, problem: Any, kept: Any) -> dict:
    """An infeasibility detail about a forced pair, with the expert as the caller named it (never a storage id)
    and, for a blocked pair, the conflict rules that block it."""
    if detail.get("expert_id") is None:
        return detail
    sid = detail["expert_id"]
    ref = refs.get(int(sid), "")
    out = {**detail, "expert_id": ref}
    for key in ("message_zh", "message_en"):
        out[key] = out[key].replace(f"专家 {sid}", f"专家 {ref}").replace(f"expert {sid}", f"expert {ref}")
    if detail["constraint"] == "forced_blocked":
        j = problem.expert_ids.index(sid)
        rows = [int(kept[problem.demand_ids.index(d)]) for d in str(detail["demand_id"]).split("+")
                if d in problem.demand_ids]
        rules = list(dict.fromkeys(r for i in rows for r in conflicts.rules_for(i, j)))
        out["rules"] = rules
        d = detail["demand_id"]
        out["message_zh"] = f"需求 {d} 指定的专家 {ref} 须回避该需求（{'；'.join(RULES[r][1] for r in rules)}），不能指定"
        out["message_en"] = f"demand {d}: forced expert {ref} is blocked for it ({'; '.join(RULES[r][2] for r in rules)})"
    return out
