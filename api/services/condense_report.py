"""The round report of a condensation (凝练报告): one sheet per office with a row per cluster, the
common problems (共性技术), every demand with its cluster, charts; the same content as JSON.

Read from what the last run stored (:class:`~api.services.condense.Condensation`), so the report, the
API and the CLI show the same clusters. No personal data: enterprises by name, demands by number.
"""
from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from api.io.charts import ChartMaker, MapPoint
from api.io.writers import write_excel
from api.services.campaign import CampaignContext
from api.services.condense import UNCLUSTERED_ZH, Condensation
from api.store import tables as db

CLUSTER_COLUMNS = ["类编号", "类名", "建议发榜需求名称", "关键词", "摘要", "需求数", "企业数", "企业", "地区",
                   "需求类别", "批次", "计划总投入(万元)", "代表需求", "成员(系统编号)", "子类", "锁定"]
MEMBER_COLUMNS = ["系统编号", "需求编号", "企业名称", "批次", "注册地区", "归口处室", "需求名称", "类编号", "类名",
                  "子类", "与类中心相似度", "建议发榜需求名称", "关键词", "人工调整"]
CLUSTERS_SHEET = "凝练 clusters"
COMMON_SHEET = "共性技术 common"
MEMBERS_SHEET = "成员 members"
CHARTS_SHEET = "图表 charts"


def _mix(counts: dict[str, Any]) -> str:
    return "、".join(f"{k} {v}" for k, v in counts.items())


def cluster_row(c: dict[str, Any], members: list[int], subs: list[str]) -> dict[str, Any]:
    s = c["stats"]
    return {"类编号": c["key"], "类名": c["name"], "建议发榜需求名称": c["title"], "关键词": "、".join(c["keywords"]),
            "摘要": c["summary"], "需求数": c["size"], "企业数": s.get("enterprises", 0),
            "企业": "、".join(s.get("enterprise_names", [])), "地区": _mix(s.get("regions", {})),
            "需求类别": _mix(s.get("categories", {})), "批次": _mix(s.get("batches", {})),
            "计划总投入(万元)": s.get("investment", 0.0), "代表需求": c["medoid_id"],
            "成员(系统编号)": "、".join(str(m) for m in members), "子类": "、".join(subs), "锁定": "是" if c["locked"] else "否"}


class RoundReport:
    """Builds the report's sheets, JSON and charts from the stored condensation."""

    def __init__(self, condensation: Condensation):
        self.condensation = condensation

    def content(self, session: Session) -> dict[str, Any]:
        """Everything the report shows, as plain data (the JSON form of the report)."""
        cond = self.condensation
        clusters = cond.clusters(session)
        names = {c["key"]: c["name"] for c in clusters}
        members: list[dict[str, Any]] = []
        by_cluster: dict[str | None, list[int]] = {}
        subs: dict[str, set[str]] = {}
        points: list[MapPoint] = []
        for m in cond._member_rows(session):
            d = session.get(db.Demand, m.demand_id)
            if d is None:
                continue
            by_cluster.setdefault(m.cluster_key, []).append(d.id)
            if m.cluster_key and m.sub_key:
                subs.setdefault(m.cluster_key, set()).add(m.sub_key)
            if m.point:
                points.append(MapPoint(float(m.point[0]), float(m.point[1]), m.cluster_key))
            members.append({"系统编号": d.id, "需求编号": d.external_id, "企业名称": d.enterprise.name, "批次": d.batch,
                            "注册地区": d.region, "归口处室": d.office, "需求名称": d.title,
                            "类编号": m.cluster_key or "", "类名": names.get(m.cluster_key or "", UNCLUSTERED_ZH),
                            "子类": m.sub_key or "",
                            "与类中心相似度": round(m.similarity, 4) if m.similarity is not None else None,
                            "建议发榜需求名称": m.title, "关键词": "、".join(m.keywords or []),
                            "人工调整": "是" if m.pinned else "否"})
        rows = [cluster_row(c, by_cluster.get(c["key"], []), sorted(subs.get(c["key"], ()))) for c in clusters]
        common = cond.common_problems(session)
        return {"clusters": clusters, "cluster_rows": rows, "members": members, "points": points,
                "unclustered": by_cluster.get(None, []),
                "common": [dict(cluster_row(c, by_cluster.get(c["key"], []), []), 排序分=round(c["rank_score"], 2))
                           for c in common]}

    def charts(self, content: dict[str, Any], maker: ChartMaker | None = None) -> dict[str, bytes]:
        """PNG charts: cluster sizes, technology domains, regions, the 2-D map."""
        maker = maker or ChartMaker()
        clusters = content["clusters"]
        members = content["members"]
        sizes = {f"{c['key']} {c['name'][:12]}".strip(): c["size"] for c in clusters}
        if content["unclustered"]:
            sizes[UNCLUSTERED_ZH] = len(content["unclustered"])
        areas = Counter(m["归口处室"] or "未定" for m in members)
        regions = Counter(m["注册地区"] or "未填" for m in members)
        names = {c["key"]: c["name"] for c in clusters}
        return {"cluster_sizes.png": maker.bars(sizes, "各类需求数", "Demands per cluster", "需求数", "demands"),
                "offices.png": maker.bars(dict(areas), "各归口处室需求数", "Demands per office", "需求数", "demands"),
                "regions.png": maker.bars(dict(regions), "各地区需求数", "Demands per region", "需求数", "demands"),
                "map.png": maker.round_map(content["points"], names)}

    def sheets(self, content: dict[str, Any]) -> dict[str, pd.DataFrame]:
        """One sheet per office (a row per cluster), the common problems, the members."""
        frames: dict[str, pd.DataFrame] = {}
        by_office: dict[str, list[dict[str, Any]]] = {}
        for c, row in zip(content["clusters"], content["cluster_rows"]):
            by_office.setdefault(c["office"] or "未定", []).append(row)
        for office in sorted(by_office):
            frames[office] = pd.DataFrame(by_office[office], columns=CLUSTER_COLUMNS)
        frames[COMMON_SHEET] = pd.DataFrame(content["common"], columns=[*CLUSTER_COLUMNS[:-2], "排序分"])
        frames[MEMBERS_SHEET] = pd.DataFrame(content["members"], columns=MEMBER_COLUMNS)
        return frames

    def excel(self, session: Session, target: Path | io.BytesIO) -> list[str]:
        """Write the workbook (sheets + a charts sheet with the PNGs); returns the sheet names."""
        content = self.content(session)
        frames = self.sheets(content)
        write_excel(frames, target, images={CHARTS_SHEET: list(self.charts(content).items())})
        return [*frames, CHARTS_SHEET]

    def excel_bytes(self, session: Session) -> bytes:
        buffer = io.BytesIO()
        self.excel(session, buffer)
        return buffer.getvalue()

    def json(self, session: Session) -> dict[str, Any]:
        """The report as JSON: clusters, common problems, members (the map points omitted)."""
        content = self.content(session)
        return {"clusters": content["clusters"], "common": content["common"], "members": content["members"],
                "unclustered": content["unclustered"]}

    def sheet(self, session: Session, campaign: CampaignContext) -> pd.DataFrame:
        """Report sheet builder (凝练) for the main workbook: a row per cluster of the stored run."""
        content = self.content(session)
        return pd.DataFrame(content["cluster_rows"], columns=CLUSTER_COLUMNS)
