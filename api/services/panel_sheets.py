"""Review panels as sheets (专家组): a run's panels per office with identities (export, for authorised callers),
and the report's sheet with pseudonyms (the latest stored run, or a preview when none is stored)."""
from __future__ import annotations

import io
from typing import Any, Protocol

import pandas as pd
from sqlalchemy.orm import Session

from api.errors import InvalidInput, NotFound
from api.io.writers import write_excel
from api.services.campaign import CampaignContext
from matching.assign import PanelRules
from matching.relevance import describe_shortfall


class PanelAssignment(Protocol):
    """What these sheets read of :class:`api.services.panels.PanelAssignment` (named structurally: that module
    imports this one)."""
    experts: Any

    def run_panels(self, session: Session, run_id: int, *, admin: bool = False) -> dict[str, Any]: ...

    def latest_run_id(self, session: Session) -> int | None: ...

    def solve_round(self, session: Session, campaign: CampaignContext, **kwargs: Any) -> Any: ...

PANELS_SHEET_NAME = "专家组 panels"
SHORT_ROLE = "缺额"  # the role column of a row saying what a short panel lacks (序号 = seats missing)
PANEL_COLUMNS = ["分配记录", "抽取种子", "归口处室", "系统编号", "需求编号", "需求名称", "角色", "序号", "专家", "匹配度"]


def export_rows(matcher: PanelAssignment, session: Session, run_id: int) -> dict[str, list[dict[str, Any]]]:
    """``{office: rows}`` of a run, identities included (callers must be authorised)."""
    data = matcher.run_panels(session, run_id, admin=True)
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
    for x in data["shortfall"]:  # one row per panel the relevance floor left short: what it lacks
        sheets.setdefault(x["office"] or "未归口", []).append({
            "系统编号": x["demand_id"], "需求编号": x["external_id"], "需求名称": x["title"], "角色": SHORT_ROLE,
            "序号": x["need"] - x["have"], "姓名": x["message_zh"], "抽取种子": data["seed"],
            "分配记录": data["run_id"]})
    return sheets


def export_excel(matcher: PanelAssignment, session: Session, run_id: int) -> bytes:
    """One workbook, one sheet per office (归口处室)."""
    buffer = io.BytesIO()
    rows = export_rows(matcher, session, run_id)
    write_excel({f"{office} 专家组": r for office, r in sorted(rows.items())} or {"专家组 panels": []}, buffer)
    return buffer.getvalue()


def panels_sheet(matcher: PanelAssignment, session: Session, campaign: CampaignContext,
                 columns: list[str]) -> pd.DataFrame:
    """The latest stored run as sheet rows, or a preview when there is none."""
    run_id = matcher.latest_run_id(session)
    if run_id is None:
        return _preview_sheet(matcher, session, campaign, columns)
    data = matcher.run_panels(session, run_id, admin=False)
    rows = [{"分配记录": run_id, "抽取种子": data["seed"], "归口处室": p["office"], "系统编号": p["demand_id"],
             "需求编号": p["external_id"], "需求名称": p["title"], "角色": role, "序号": m["rank"],
             "专家": m["expert"], "匹配度": m["affinity"]}
            for p in data["panels"] for role, key in (("成员", "members"), ("候补", "substitutes")) for m in p[key]]
    rows += [{"分配记录": run_id, "抽取种子": data["seed"], "归口处室": x["office"], "系统编号": x["demand_id"],
              "需求编号": x["external_id"], "需求名称": x["title"], "角色": SHORT_ROLE, "序号": x["need"] - x["have"],
              "专家": x["message_zh"]} for x in data["shortfall"]]
    return pd.DataFrame(rows, columns=columns)


def _preview_sheet(matcher: PanelAssignment, session: Session, campaign: CampaignContext,
                   columns: list[str]) -> pd.DataFrame:
    """No stored run yet (the demo): an optimal preview with panels of 3, max load 8, not stored."""
    try:
        demands, pool, problem, result = matcher.solve_round(session, campaign, rules=PanelRules(panel_size=3))
    except (NotFound, InvalidInput) as exc:
        return pd.DataFrame([{"分配记录": "预览 preview", "需求名称": exc.message_zh}], columns=columns)
    by_id = {d.id: d for d in demands}
    rows = []
    for r in result.records(problem):
        d = by_id[int(r["demand_id"])]
        rows.append({"分配记录": "预览 preview", "抽取种子": result.seed, "归口处室": d.office, "系统编号": d.id,
                     "需求编号": d.external_id, "需求名称": d.title, "角色": "成员" if r["role"] == "member" else "候补",
                     "序号": r["rank"], "专家": matcher.experts.pseudonym(int(r["expert_id"])), "匹配度": round(r["affinity"], 4)})
    for x in result.info["shortfall"]:
        d = by_id[x["demand_id"]]
        rows.append({"分配记录": "预览 preview", "归口处室": d.office, "系统编号": d.id, "需求编号": d.external_id,
                     "需求名称": d.title, "角色": SHORT_ROLE, "序号": x["need"] - x["have"],
                     "专家": describe_shortfall(x)["message_zh"]})
    return pd.DataFrame(rows, columns=columns)
