"""Excel report as a list of sheet builders: each builder turns storage into one sheet.

The composition root (:func:`api.compose.build_services`) assembles the list: the intake sheets
here (:data:`DEFAULT_SHEETS`) and one per capability (duplicates, expert panels), each bound to
the service the root built.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from api.io.labels import SCOPE_ZH, SEVERITY_ZH, STATUS_ZH, rule_zh
from api.io.writers import write_excel
from api.services import demands as service
from api.services.campaign import CampaignContext


@dataclass(frozen=True)
class SheetBuilder:
    """One sheet: its tab name and a function ``(session, campaign) -> DataFrame``."""

    name: str
    build: Callable[[Session, CampaignContext], pd.DataFrame]


def demands_sheet(session: Session, campaign: CampaignContext) -> pd.DataFrame:
    """需求: one row per demand, key columns first, personal fields masked."""
    rows = []
    for d in service.all_demands(session, campaign):
        rows.append({"系统编号": d.id, "需求编号": d.external_id, "企业名称": d.enterprise.name,
                     "批次": d.batch, "注册地区": d.region, "所在园区": d.park, "初审单位": d.recommending_unit,
                     "需求类别": d.category, "技术领域": d.area, "归口处室": d.office, "需求名称": d.title,
                     "检查结论": STATUS_ZH.get(d.check_status, d.check_status),
                     "规则": "、".join(rule_zh(f.rule_id) for f in d.findings)})
    return pd.DataFrame(rows, columns=["系统编号", "需求编号", "企业名称", "批次", "注册地区", "所在园区",
                                       "初审单位", "需求类别", "技术领域", "归口处室", "需求名称", "检查结论", "规则"])


def findings_sheet(session: Session, campaign: CampaignContext) -> pd.DataFrame:
    """规则检查: one row per finding."""
    rows = []
    for d in service.all_demands(session, campaign):
        for f in d.findings:
            rows.append({"系统编号": d.id, "需求编号": d.external_id, "企业名称": d.enterprise.name,
                         "规则": rule_zh(f.rule_id), "规则编号": f.rule_id,
                         "严重程度": SEVERITY_ZH.get(f.severity, f.severity), "说明": f.message_zh,
                         "message": f.message_en, "字段": "、".join(f.fields or [])})
    return pd.DataFrame(rows, columns=["系统编号", "需求编号", "企业名称", "规则编号", "规则", "严重程度", "说明",
                                       "message", "字段"])


def quota_sheet(session: Session, campaign: CampaignContext) -> pd.DataFrame:
    """配额进度: every region and park against its minimum."""
    rows = [{"范围": SCOPE_ZH.get(q["scope"], q["scope"]), "名称": q["name"], "最低数量": q["minimum"],
             "计入数量": q["count"], "已收到": q["submitted"], "尚差": q["remaining"],
             "是否完成": "是" if q["met"] else "否", "说明": q["message_zh"]}
            for q in service.quota_progress(session, campaign)]
    return pd.DataFrame(rows, columns=["范围", "名称", "最低数量", "计入数量", "已收到", "尚差", "是否完成", "说明"])


DEFAULT_SHEETS: tuple[SheetBuilder, ...] = (
    SheetBuilder("需求 demands", demands_sheet),
    SheetBuilder("规则 findings", findings_sheet),
    SheetBuilder("配额 quota", quota_sheet),
)


def write_report(path: Path, session: Session, campaign: CampaignContext,
                 sheets: Sequence[SheetBuilder] = DEFAULT_SHEETS) -> list[str]:
    """Write one workbook with a sheet per builder; returns the sheet names written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = {s.name: s.build(session, campaign) for s in sheets}
    write_excel(frames, path)
    return list(frames)
