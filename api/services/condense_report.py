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
from api.services.condense import UNCLUSTERED_ZH, Condensation, unclustered_by_office
from api.services.demands import all_demands

CLUSTER_COLUMNS = ["类编号", "上级类", "类名", "建议发榜需求名称", "一致性", "关键词", "摘要", "需求数", "企业数",
                   "不同企业数", "企业", "地区", "需求类别", "批次", "计划总投入(万元)", "代表需求", "成员(系统编号)",
                   "子类", "锁定"]
UNCLUSTERED_COLUMNS = ["归口处室", "需求数", "未归类数", "未归类占比"]
MEMBER_COLUMNS = ["系统编号", "需求编号", "企业名称", "批次", "注册地区", "归口处室", "需求名称", "类编号", "类名",
                  "子类", "与类中心相似度", "建议发榜需求名称", "关键词", "人工调整"]
CLUSTERS_SHEET = "凝练 clusters"
COMMON_SHEET = "共性技术 common"
MEMBERS_SHEET = "成员 members"
CHARTS_SHEET = "图表 charts"
UNCLUSTERED_SHEET = "未归类 by office"


def _mix(counts: dict[str, Any]) -> str:
    return "、".join(f"{k} {v}" for k, v in counts.items())


def cluster_row(c: dict[str, Any], members: list[int], subs: list[str]) -> dict[str, Any]:
    s = c["stats"]
    return {"类编号": c["key"], "上级类": c.get("parent_key") or "", "类名": c["name"], "建议发榜需求名称": c["title"],
            "一致性": c.get("coherence") if c.get("coherence") is not None else "待重算",
            "关键词": "、".join(c["keywords"]), "摘要": c["summary"], "需求数": c["size"],
            "企业数": s.get("enterprises", 0), "不同企业数": s.get("distinct_enterprises", s.get("enterprises", 0)),
            "企业": "、".join(s.get("enterprise_names", [])), "地区": _mix(s.get("regions", {})),
            "需求类别": _mix(s.get("categories", {})), "批次": _mix(s.get("batches", {})),
            "计划总投入(万元)": s.get("investment", 0.0), "代表需求": c["medoid_id"],
            "成员(系统编号)": "、".join(str(m) for m in members), "子类": "、".join(subs), "锁定": "是" if c["locked"] else "否"}


def single_row(member: dict[str, Any], office: str) -> dict[str, Any]:
    """A 未归类 demand as a row of its office's sheet: a problem of its own (no office's demands vanish)."""
    return {"类编号": UNCLUSTERED_ZH, "上级类": "", "类名": member["需求名称"], "建议发榜需求名称": member["建议发榜需求名称"],
            "一致性": "单项", "关键词": member["关键词"], "摘要": "", "需求数": 1, "企业数": 1, "不同企业数": 1,
            "企业": member["企业名称"], "地区": member["注册地区"] or "", "需求类别": "", "批次": member["批次"] or "",
            "计划总投入(万元)": None, "代表需求": member["系统编号"],
            "成员(系统编号)": str(member["系统编号"]), "子类": "", "锁定": "否"}


class RoundReport:
    """Builds the report's sheets, JSON and charts from the stored condensation."""

    def __init__(self, condensation: Condensation):
        self.condensation = condensation

    def content(self, session: Session) -> dict[str, Any]:
        """Everything the report shows, as plain data (the JSON form of the report)."""
        cond = self.condensation
        rows_of_members = cond._member_rows(session)  # read once: clusters, sub-clusters, common and members
        clusters = cond.clusters(session, rows_of_members)
        names = {c["key"]: c["name"] for c in clusters}
        members: list[dict[str, Any]] = []
        by_cluster: dict[str | None, list[int]] = {}
        office_of: dict[int, str] = {}
        subs: dict[str, set[str]] = {}
        points: list[MapPoint] = []
        demands = {d.id: d for d in all_demands(session, cond.campaign)}  # one query, not one per member
        for m in rows_of_members:
            d = demands.get(m.demand_id)
            if d is None:
                continue
            by_cluster.setdefault(m.cluster_key, []).append(d.id)
            office_of[d.id] = d.office or cond.campaign.rules.coordinator_office
            if m.cluster_key and m.sub_key:
                subs.setdefault(m.cluster_key, set()).add(m.sub_key)
                by_cluster.setdefault(m.sub_key, []).append(d.id)
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
        sub_rows = [(c, cluster_row(c, by_cluster.get(c["key"], []), [])) for c in cond.sub_clusters(session, rows_of_members)]
        common = cond.common_problems(session, clusters=clusters)
        ids = [m["系统编号"] for m in members]
        left = set(by_cluster.get(None, []))
        by_office = unclustered_by_office([office_of[i] for i in ids], [None if i in left else "x" for i in ids],
                                          cond.campaign.rules.coordinator_office)
        return {"clusters": clusters, "cluster_rows": rows, "sub_clusters": sub_rows, "members": members,
                "points": points, "unclustered": by_cluster.get(None, []), "unclustered_by_office": by_office,
                "common": [dict(cluster_row(c, by_cluster.get(c["key"], []), []), 排名=c["rank"]) for c in common]}

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
        subs: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
        for c, row in content.get("sub_clusters", []):
            subs.setdefault(c["parent_key"], []).append((c, row))
        for c, row in zip(content["clusters"], content["cluster_rows"]):
            by_office.setdefault(c["office"] or "未定", []).append(row)
            for sub, sub_row in subs.get(c["key"], []):  # sub-clusters are rows of their own office's sheet
                by_office.setdefault(sub["office"] or c["office"] or "未定", []).append(sub_row)
        coordinator = self.condensation.campaign.rules.coordinator_office
        for m in content["members"]:  # after the office's clusters: its 未归类 demands, one row each
            if not m["类编号"]:
                office = m["归口处室"] or coordinator
                by_office.setdefault(office, []).append(single_row(m, office))
        for office in sorted(by_office):
            frames[office] = pd.DataFrame(by_office[office], columns=CLUSTER_COLUMNS)
        frames[COMMON_SHEET] = pd.DataFrame(content["common"], columns=["排名", *CLUSTER_COLUMNS[:-2]])
        frames[UNCLUSTERED_SHEET] = pd.DataFrame(
            [{"归口处室": o, "需求数": v["demands"], "未归类数": v["unclustered"], "未归类占比": v["share"]}
             for o, v in content["unclustered_by_office"].items()], columns=UNCLUSTERED_COLUMNS)
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
        return {"clusters": content["clusters"], "sub_clusters": [c for c, _ in content["sub_clusters"]],
                "common": content["common"], "members": content["members"], "unclustered": content["unclustered"],
                "unclustered_by_office": content["unclustered_by_office"]}

    def sheet(self, session: Session, campaign: CampaignContext) -> pd.DataFrame:
        """Report sheet builder (凝练) for the main workbook: a row per cluster of the stored run."""
        content = self.content(session)
        return pd.DataFrame(content["cluster_rows"], columns=CLUSTER_COLUMNS)
