"""What the console's lists and dashboard read: demand filters from URL parameters, paginated in SQL,
facet counts, and the round's figures per region, office, batch and category.

Filters are the page's URL parameters (datasette style), so a filtered view is a link; the export
of a view uses exactly the same query. A city bureau's queries are restricted to its region here,
whatever the parameters say (the pages refuse another region before they get here).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from api.forms.parsers import parse_batch, parse_region
from api.io.labels import STATUS_ZH, batch_order, rule_zh
from api.services.access import Principal
from api.services.demands import as_intake
from api.store import tables as db
from matching.vocabulary import Batch

PER_PAGE = 50
PAGE_SIZES = (20, 50, 100, 200)
UNCLUSTERED = "none"  # the cluster filter value for 未归类
_ENTERPRISE_NAME = (select(db.Enterprise.name).where(db.Enterprise.id == db.Demand.enterprise_id)
                    .correlate(db.Demand).scalar_subquery())
_BATCH_RANK = case({b.value: n for n, b in enumerate(Batch)}, value=db.Demand.batch, else_=len(Batch))
_STATUS_RANK = case({"error": 0, "warning": 1, "ok": 2}, value=db.Demand.check_status, else_=3)
#: Sortable columns (``-key`` sorts the other way); a column header of the list toggles its direction.
SORT_COLUMNS: dict[str, Any] = {
    "id": db.Demand.id, "submitted": db.Demand.submitted_at, "region": db.Demand.region, "office": db.Demand.office,
    "title": db.Demand.title, "enterprise": _ENTERPRISE_NAME, "batch": _BATCH_RANK, "category": db.Demand.category,
    "area": db.Demand.area, "status": _STATUS_RANK,
}
SORTS: dict[str, Any] = {**SORT_COLUMNS, **{f"-{k}": v.desc() for k, v in SORT_COLUMNS.items()}}
_COLUMN_ZH = {"id": "编号", "submitted": "提交时间", "region": "地区", "office": "归口处室", "title": "需求名称",
              "enterprise": "企业名称", "batch": "批次", "category": "需求类别", "area": "技术领域", "status": "检查结论"}
SORT_ZH = {**{k: f"{v}↑" for k, v in _COLUMN_ZH.items()}, **{f"-{k}": f"{v}↓" for k, v in _COLUMN_ZH.items()}}
SORT_ZH["status"], SORT_ZH["-status"] = "检查结论（问题在前）", "检查结论（通过在前）"
FACETS = {"batch": db.Demand.batch, "region": db.Demand.region, "office": db.Demand.office,
          "status": db.Demand.status, "check_status": db.Demand.check_status, "category": db.Demand.category,
          "area": db.Demand.area}
FILTER_ZH = {"batch": "批次", "region": "地区", "office": "归口处室", "status": "平台状态", "check_status": "检查结论",
             "category": "需求类别", "area": "技术领域", "cluster": "类", "flag": "规则提示", "dup": "查重",
             "q": "搜索"}
DUP_ZH = {"pending": "有待核实的疑似重复"}


@dataclass(frozen=True)
class DemandFilter:
    """The demand list's URL parameters."""

    batch: str = ""
    region: str = ""
    office: str = ""
    status: str = ""
    check_status: str = ""
    category: str = ""
    area: str = ""
    cluster: str = ""
    flag: str = ""
    dup: str = ""  # "pending": demands in an undecided pair of the duplicate queue
    q: str = ""
    sort: str = "id"
    page: int = 1
    per: int = PER_PAGE

    @classmethod
    def from_params(cls, params: Mapping[str, str], who: Principal) -> "DemandFilter":
        """Read the parameters (unknown ones ignored, bad numbers defaulted); a bureau sees its region only."""
        values = {f.name: (params.get(f.name) or "").strip() for f in fields(cls) if f.name not in ("page", "per")}
        page, per = (params.get("page") or "1").strip(), (params.get("per") or "").strip()
        out = cls(**values, page=max(1, int(page)) if page.isdigit() else 1,
                  per=int(per) if per.isdigit() and int(per) in PAGE_SIZES else PER_PAGE)
        if out.sort not in SORTS:
            out = replace(out, sort="id")
        if who.role == "bureau":
            out = replace(out, region=who.region or "")
        return out

    def params(self, **changes: Any) -> dict[str, Any]:
        """The non-default parameters (for links), with ``changes``."""
        merged = {f.name: getattr(self, f.name) for f in fields(self)} | changes
        return {k: v for k, v in merged.items() if v not in ("", None) and not (k == "sort" and v == "id")
                and not (k == "page" and v == 1) and not (k == "per" and v == PER_PAGE)}

    def sort_link(self, column: str) -> tuple[str, str]:
        """(the ``sort`` value a click on ``column``'s header asks for, the arrow it shows now)."""
        if self.sort == column:
            return f"-{column}", " ▲"
        if self.sort == f"-{column}":
            return column, " ▼"
        return column, ""

    @property
    def active(self) -> list[tuple[str, str, str]]:
        """The filters in force, as (name, Chinese label, value as a clerk reads it)."""
        return [(k, FILTER_ZH[k], value_zh(k, getattr(self, k))) for k in FILTER_ZH if getattr(self, k)]


def value_zh(name: str, value: str) -> str:
    """A filter value as a clerk reads it: rule and status names, 未归类, not their keys."""
    if name == "flag":
        return rule_zh(value)
    if name == "check_status":
        return STATUS_ZH.get(value, value)
    if name == "dup":
        return DUP_ZH.get(value, value)
    if name == "cluster" and value == UNCLUSTERED:
        return "未归类"
    return value


def demand_query(campaign_id: int, f: DemandFilter, within: set[int] | None = None) -> Select:
    """The demands of the campaign that match ``f`` (no order, no page), only ``within`` when given."""
    query = select(db.Demand).where(db.Demand.campaign_id == campaign_id)
    if within is not None:
        query = query.where(db.Demand.id.in_(within))
    region, batch = as_intake(parse_region, f.region or None), as_intake(parse_batch, f.batch or None)
    for column, value in ((db.Demand.batch, batch), (db.Demand.region, region), (db.Demand.office, f.office),
                          (db.Demand.status, f.status), (db.Demand.check_status, f.check_status),
                          (db.Demand.category, f.category), (db.Demand.area, f.area)):
        if value:
            query = query.where(column == value)
    if f.flag:
        query = query.where(db.Demand.id.in_(select(db.FindingRow.demand_id).where(db.FindingRow.rule_id == f.flag)))
    if f.cluster == UNCLUSTERED:
        query = query.where(db.Demand.id.in_(select(db.ClusterMember.demand_id)
                                             .where(db.ClusterMember.cluster_key.is_(None))))
    elif f.cluster:
        query = query.where(db.Demand.id.in_(select(db.ClusterMember.demand_id)
                                             .where(db.ClusterMember.cluster_key == f.cluster)))
    if f.q:  # one box for what a clerk has at hand: 企业名称, 需求编号 / 系统编号, 需求名称
        words = f.q.strip()
        number = words.lstrip("#")
        query = query.where(or_(db.Demand.title.contains(words), db.Demand.external_id.contains(words),
                                _ENTERPRISE_NAME.contains(words),
                                *([db.Demand.id == int(number)] if number.isdigit() else [])))
    return query


def demand_page(session: Session, campaign_id: int, f: DemandFilter, per_page: int | None = None,
                within: set[int] | None = None) -> tuple[int, list[db.Demand]]:
    """``(total, rows of the page)``: counted and paginated in SQL, enterprises and findings loaded with the page."""
    query = demand_query(campaign_id, f, within)
    per_page = per_page or f.per
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.options(selectinload(db.Demand.enterprise), selectinload(db.Demand.findings))
                           .order_by(SORTS[f.sort], db.Demand.id).limit(per_page).offset((f.page - 1) * per_page))
    return total, list(rows)


def demand_rows_for_export(session: Session, campaign_id: int, f: DemandFilter,
                           ids: list[int] | None = None, within: set[int] | None = None) -> list[db.Demand]:
    """Every demand of the filtered view (or only ``ids`` of it), in the view's order."""
    query = demand_query(campaign_id, f, within)
    if ids:
        query = query.where(db.Demand.id.in_(ids))
    return list(session.scalars(query.order_by(SORTS[f.sort], db.Demand.id)))


def facets(session: Session, campaign_id: int, who: Principal) -> dict[str, list[tuple[str, int]]]:
    """Values and counts of each filterable column (the bureau's region only), plus rule flags and clusters."""
    scope = [db.Demand.campaign_id == campaign_id]
    if who.role == "bureau":
        scope.append(db.Demand.region == who.region)
    out: dict[str, list[tuple[str, int]]] = {}
    for name, column in FACETS.items():
        rows = session.execute(select(column, func.count()).where(*scope, column.is_not(None))
                               .group_by(column).order_by(func.count().desc(), column)).all()
        out[name] = [(str(v), n) for v, n in rows if v != ""]
    out["batch"].sort(key=lambda item: batch_order(item[0]))  # batches in batch order, not by size
    flags = session.execute(select(db.FindingRow.rule_id, func.count(func.distinct(db.FindingRow.demand_id)))
                            .join(db.Demand, db.Demand.id == db.FindingRow.demand_id).where(*scope)
                            .group_by(db.FindingRow.rule_id).order_by(db.FindingRow.rule_id)).all()
    out["flag"] = [(str(v), n) for v, n in flags]
    clusters = session.execute(select(db.ClusterMember.cluster_key, func.count())
                               .join(db.Demand, db.Demand.id == db.ClusterMember.demand_id).where(*scope)
                               .group_by(db.ClusterMember.cluster_key).order_by(db.ClusterMember.cluster_key)).all()
    out["cluster"] = [(str(k) if k else UNCLUSTERED, n) for k, n in clusters]
    return out


def counts_by(session: Session, campaign_id: int, column: Any, who: Principal) -> list[tuple[str, int]]:
    """Demands per value of ``column`` (the bureau's region only), biggest first; empty values as 未填."""
    query = select(column, func.count()).where(db.Demand.campaign_id == campaign_id)
    if who.role == "bureau":
        query = query.where(db.Demand.region == who.region)
    rows = session.execute(query.group_by(column).order_by(func.count().desc())).all()
    out = [(str(v) if v else "未填", n) for v, n in rows]
    return sorted(out, key=lambda item: batch_order(item[0])) if column is db.Demand.batch else out


def needs_attention(session: Session, campaign_id: int, who: Principal, queue: dict[str, Any]) -> dict[str, int]:
    """What still needs a human: rule errors, the duplicate queue's undecided pairs (and the demands in them,
    counted from the same list so the figures agree everywhere), demands not yet condensed."""
    scope = [db.Demand.campaign_id == campaign_id]
    if who.role == "bureau":
        scope.append(db.Demand.region == who.region)
    count = lambda *where: session.scalar(select(func.count()).select_from(db.Demand).where(*scope, *where)) or 0
    involved = pending_ids(queue)
    out = {"errors": count(db.Demand.check_status == "error"), "warnings": count(db.Demand.check_status == "warning"),
           "duplicates_flagged": count(db.Demand.id.in_(involved)) if involved else 0}
    if who.role != "bureau":
        out["pending_pairs"] = len(queue["pending"])
        out["decided_pairs"] = len(queue["decided"])
        out["unclustered"] = session.scalar(select(func.count()).select_from(db.ClusterMember).where(
            db.ClusterMember.campaign_id == campaign_id, db.ClusterMember.cluster_key.is_(None))) or 0
        out["not_condensed"] = count(db.Demand.id.not_in(select(db.ClusterMember.demand_id)))
    return out


def pending_ids(queue: dict[str, Any]) -> set[int]:
    """The demands in an undecided pair of the duplicate queue."""
    return {i for p in queue["pending"] for i in (p["a"], p["b"])}


def cluster_names(session: Session, campaign_id: int) -> dict[str, str]:
    """``{key: name}`` of the campaign's active clusters (staff's name, else the proposed title): a cluster
    key is never shown without its name."""
    rows = session.execute(select(db.Cluster.key, db.Cluster.name, db.Cluster.title).where(
        db.Cluster.campaign_id == campaign_id, db.Cluster.active.is_(True)).order_by(db.Cluster.key)).all()
    return {k: (n or t or "") for k, n, t in rows}
