"""A whole-file import's rows are made ready before the campaign lock and, on PostgreSQL, sent to temporary tables
then (#21): under the lock the server copies them. What is stored is what was planned — ids moved when another
writer stored a demand in between, findings naming the moved ids, audit entries, the stored demand flagged — and
a locked step that fails stores nothing of the file (SQLite and PostgreSQL, real services)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from api.forms.models import DemandRecord
from api.services import duplicates as duplicates_module
from api.services.audit import AuditBatch
from api.services.bulk_intake import plan_file
from api.services.finding_rows import findings_by_external_id
from api.services.imports import import_demands
from api.services.intake import submit_demand
from api.store import tables as db
from api.store.locks import intake_lock
from api.store.uow import unit_of_work
from tests.demand_rows import make_row, write_jsonl
from tests.stores import services  # noqa: F401 - each test on SQLite and PostgreSQL

TEXT = "面向海上风电主轴承的大型圆锥滚子轴承精密磨削与在线检测关键技术研究，解决滚道波纹度超差问题。"
CLERK = {"联系人姓名": "赵晓峰", "联系人手机": "13700001111", "联系人电子邮箱": "zxf@example.cn"}
OTHER = ["储能电池管理系统热失控预警", "城市污水处理厂智能曝气控制", "玉米秸秆生物质燃料成型设备", "医用高分子导管挤出成型"]
ROWS = [make_row(800 + i, 需求编号=f"F-{i}", 企业名称=f"第{i % 2}号新材料有限公司", 统一社会信用代码=None,
                 需求名称="大型轴承精密磨削" if i in (1, 3) else OTHER[i], 需求描述=TEXT if i in (1, 3) else f"{OTHER[i]}技术研究。")
        for i in range(4)]


def _planned(services, source: str):
    """A file planned as :func:`api.services.imports._store_whole` plans it, its rows made ready (staged)."""
    with services.session() as s:
        plan = plan_file(s, services.campaign, [DemandRecord.model_validate(r) for r in ROWS], services.intake_steps)
        plan.refresh(s, source)
        plan.settle_ids(s)
        plan.prepare_flags(s)
        s.commit()
    audits = AuditBatch()
    plan.stage(audits, actor="t", source=source)
    return plan, audits


def _submit(services, n: int, **kw) -> int:
    with services.session() as s:
        return submit_demand(s, services.campaign, make_row(n, 需求编号=f"S-{n}", **kw), actor="clerk",
                             steps=services.intake_steps).demand.id


def _stored(services) -> tuple[int, int, int]:
    with services.session() as s:
        return (s.query(db.Demand).count(), s.query(db.FindingRow).count(),
                s.query(db.AuditEntry).filter(db.AuditEntry.note == "st.jsonl").count())


def test_staged_rows_store_what_was_planned_when_ids_moved_before_the_lock(services) -> None:
    stored = _submit(services, 1, 需求描述=TEXT)
    plan, audits = _planned(services, "st.jsonl")
    settled = list(plan.ids)
    with services.session() as s, unit_of_work(s):
        plan.staged.load(s)  # (PostgreSQL: into temporary tables; SQLite: nothing)
        clerk = _submit(services, 2, 需求名称="茶叶采摘机器人视觉识别", 需求描述="名优茶叶嫩芽识别与柔性采摘末端执行器研究。",
                        **CLERK)
        # (it takes the first settled id while the file waits for the lock, and pairs with none of its rows)
        intake_lock(s, services.campaign.id)
        assert plan.commit(s, actor="t", source="st.jsonl", audit=audits)
        audits.store(s)
    assert clerk == settled[0] and plan.ids == list(range(clerk + 1, clerk + 5))
    if plan.staged.loaded:  # PostgreSQL: rows copied by the server (those the clerk's demand pairs with sent again)
        assert len(plan.staged.dirty) < len(ROWS)
    with services.session() as s:
        rows = {d.id: d for d in s.scalars(select(db.Demand).where(db.Demand.id.in_(plan.ids)))}
        entries = list(s.scalars(select(db.AuditEntry).where(db.AuditEntry.note == "st.jsonl")
                                 .order_by(db.AuditEntry.entity_id)))  # (rows made again are entered after the others)
        for demand, after in zip(plan.demands, plan.audits):
            row = rows[demand.id]
            assert (row.enterprise_id, row.title, row.content_hash, row.check_status, row.record, row.row_version) == (
                demand.enterprise_id, demand.title, demand.content_hash, demand.check_status, demand.record, 1)
            assert [(f.rule_id, f.severity, f.message_zh, f.message_en, f.fields, f.values) for f in row.findings] == [
                (f.rule_id, f.severity, f.message_zh, f.message_en, f.fields, f.values) for f in demand.findings]
        assert [(e.entity_id, e.action, e.before, e.after) for e in entries] == [
            (d.id, "create", None, after) for d, after in zip(plan.demands, plan.audits)]
        assert {rows[i].enterprise_id for i in plan.ids} == {e.id for e in s.scalars(select(db.Enterprise).where(
            db.Enterprise.name.like("第_号新材料有限公司")))}
        pairs = {k: {c for rule, _, cs in fs if rule == "duplicate" for c in cs}
                 for k, fs in findings_by_external_id(s).items()}
        flagged = [f.message_zh for f in s.get(db.Demand, stored).findings if f.rule_id == "duplicate"]
    assert pairs["F-3"] >= {"F-1", "S-1"} and pairs["F-1"] >= {"F-3", "S-1"} and pairs["S-1"] >= {"F-1", "F-3"}
    assert flagged and all(f"#{plan.ids[1]}" in message for message in flagged)  # the moved id, as stored


def test_a_locked_step_that_fails_stores_nothing_of_the_file_and_the_file_goes_in_again(services, tmp_path) -> None:
    stored = _submit(services, 1, 需求描述=TEXT)
    with services.session() as s:
        flags_before = [(f.id, f.values) for f in s.get(db.Demand, stored).findings]
    before = _stored(services)
    plan, audits = _planned(services, "st.jsonl")
    with pytest.raises(RuntimeError), services.session() as s, unit_of_work(s):
        plan.staged.load(s)
        intake_lock(s, services.campaign.id)
        assert plan.commit(s, actor="t", source="st.jsonl", audit=audits)
        audits.store(s)
        raise RuntimeError("the locked step fails after the file's rows were written")
    assert _stored(services) == before
    with services.session() as s:
        assert [(f.id, f.values) for f in s.get(db.Demand, stored).findings] == flags_before
    with services.session() as s:  # (PostgreSQL: the temporary tables went with the transaction)
        report = import_demands(s, services.campaign, write_jsonl(tmp_path / "st.jsonl", ROWS), actor="t",
                                steps=services.intake_steps)
    assert report.new == 4 and _stored(services)[0] == before[0] + 4 and _stored(services)[2] == 4


def test_ids_reserved_before_the_lock_stand_and_nothing_is_redone_under_it(services, monkeypatch) -> None:
    """PostgreSQL: the file's ids are claimed in a short locked transaction before its rows are sent; a clerk's
    demand stored before the file's lock is numbered after them, and under the lock nothing moves: no flag worked
    out again, no row sent again. An index that holds the clerk's demand but not the file's rows (numbered below it)
    is behind, so a submission lets the campaign lock go while it catches up (not found behind by the largest id, a
    worker encoded a whole file with every other writer waiting: 503s). (SQLite has no sequence to claim: its ids
    are settled, as the tests above show.)"""
    if services.engine.dialect.name != "postgresql":
        pytest.skip("ids are reserved on PostgreSQL only")
    from api.services.bulk_ids import reserve

    stored = _submit(services, 1, 需求描述=TEXT)
    with services.session() as s:
        plan = plan_file(s, services.campaign, [DemandRecord.model_validate(r) for r in ROWS], services.intake_steps)
        plan.refresh(s, "st.jsonl")
        reserve(s, plan)
        plan.prepare_flags(s)
        s.commit()
    reserved = list(plan.ids)
    audits = AuditBatch()
    plan.stage(audits, actor="t", source="st.jsonl")
    with services.session() as s, unit_of_work(s):
        plan.staged.load(s)
        clerk = _submit(services, 2, 需求名称="茶叶采摘机器人视觉识别", 需求描述="名优茶叶嫩芽识别与柔性采摘末端执行器研究。",
                        **CLERK)
        intake_lock(s, services.campaign.id)
        assert plan.commit(s, actor="t", source="st.jsonl", audit=audits)
        audits.store(s)
    assert reserved == list(range(stored + 1, stored + 5)) and plan.ids == reserved and clerk == reserved[-1] + 1
    monkeypatch.setattr(duplicates_module, "BACKLOG", len(ROWS))
    with services.session() as s:
        assert services.duplicates.behind(s)  # this index holds the clerk's demand, not the file's rows
    new_to_file = {i for i in plan._stored_pairs() if i not in plan.flags.done}  # (the clerk's, if it pairs)
    assert stored in plan.flags.done and plan.reflagged == len(new_to_file) <= 1  # the prepared flags stood
    with services.session() as s:
        pairs = {k: {c for rule, _, cs in fs if rule == "duplicate" for c in cs}
                 for k, fs in findings_by_external_id(s).items()}
    assert pairs["S-1"] >= {"F-1", "F-3"} and pairs["F-3"] >= {"F-1", "S-1"}
