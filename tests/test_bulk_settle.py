"""A whole-file import's ids are settled just before the campaign lock (#21): moved down to follow what is stored,
so the locked step does not rewrite every finding naming a file row unless others stored demands in between; then
they are moved up past them. Either way the numbers leave no gap and the pairs with what was stored meanwhile are
named on both sides (SQLite and PostgreSQL, real services)."""
from __future__ import annotations

import re

from api.forms.models import DemandRecord
from api.services.audit import AuditBatch
from api.services.bulk_ids import taken
from api.services.bulk_intake import plan_file
from api.services.finding_rows import findings_by_external_id
from api.services.intake import submit_demand
from api.store import tables as db
from api.store.locks import intake_lock
from api.store.uow import unit_of_work
from tests.demand_rows import make_row
from tests.stores import services  # noqa: F401 - each test on SQLite and PostgreSQL

TEXT = "面向海上风电主轴承的大型圆锥滚子轴承精密磨削与在线检测关键技术研究，解决滚道波纹度超差问题。"


def _settled(services, rows):
    """A file's plan with its ids settled and its flags prepared, before its lock."""
    with services.session() as s:
        plan = plan_file(s, services.campaign, [DemandRecord.model_validate(r) for r in rows], services.intake_steps)
        plan.refresh(s, "k.jsonl")
        plan.settle_ids(s)
        plan.prepare_flags(s)
        s.commit()
    return plan


def _settled_then_submitted(services, clerk_too: bool) -> tuple[list[int], list[int], int]:
    """Plan a file, settle its ids, let a clerk store a copy of one of its rows (``clerk_too``), then commit it
    under the lock; (ids as settled, ids as stored, the largest id stored before the file)."""
    rows = [make_row(500 + i, 需求编号=f"K-{i}", 需求描述=TEXT if i == 2 else f"第{i}号：储能电池第{i}类管理系统研究。")
            for i in range(4)]
    with services.session() as s:
        submit_demand(s, services.campaign, make_row(490, 需求编号="S-490"), actor="t", steps=services.intake_steps)
    plan = _settled(services, rows)
    settled = list(plan.ids)
    with services.session() as other:
        last = taken(other, "demands")
        if clerk_too:
            last = submit_demand(other, services.campaign, make_row(495, 需求编号="S-495", 需求描述=TEXT),
                                 actor="clerk", steps=services.intake_steps).demand.id
    with services.session() as s, unit_of_work(s):
        intake_lock(s, services.campaign.id)
        assert plan.commit(s, actor="t", source="k.jsonl", audit=AuditBatch())
    return settled, list(plan.ids), last


def _pairs(services) -> dict[str, set[str]]:
    with services.session() as s:
        return {k: {c for rule, _, cs in fs if rule == "duplicate" for c in cs}
                for k, fs in findings_by_external_id(s).items()}


def test_settled_ids_stand_under_the_lock_when_nothing_came_meanwhile(services) -> None:
    settled, stored, last = _settled_then_submitted(services, clerk_too=False)
    assert stored == settled == list(range(last + 1, last + 5))  # not rewritten under the lock, and no gap


def test_settled_ids_taken_meanwhile_move_up_past_them(services) -> None:
    settled, stored, clerk = _settled_then_submitted(services, clerk_too=True)  # the clerk takes the first settled id
    assert clerk == settled[0] and stored[0] == clerk + 1 and stored == list(range(clerk + 1, clerk + 5))
    pairs = _pairs(services)
    assert "S-495" in pairs["K-2"] and "K-2" in pairs["S-495"] and len(pairs) == 6
    with services.session() as s:  # the messages name the final ids too (every candidate id is a stored demand: _pairs)
        messages = {d.external_id: " ".join(f.message_zh for f in d.findings if f.rule_id == "duplicate")
                    for d in s.query(db.Demand).filter(db.Demand.external_id.in_(["K-2", "S-495"]))}
    assert f"#{clerk}" in messages["K-2"] and f"#{stored[2]}" in messages["S-495"]


def test_prepared_flags_are_moved_not_worked_out_again_when_the_ids_move_up(services) -> None:
    """A clerk's demand stored after the file's ids were settled moves them up under the lock (SQLite: no sequence
    to claim them from; on SQLite every import under load). The flags of a stored demand the file pairs with,
    prepared before the lock, are moved with them — not worked out again while every other writer waits — and name
    the final ids, as flags worked out under the lock would."""
    rows = [make_row(500 + i, 需求编号=f"K-{i}", 需求描述=TEXT if i == 2 else f"第{i}号：储能电池第{i}类管理系统研究。")
            for i in range(4)]
    with services.session() as s:
        stored = submit_demand(s, services.campaign, make_row(480, 需求编号="S-480", 需求描述=TEXT), actor="t",
                               steps=services.intake_steps).demand.id
    plan = _settled(services, rows)
    settled = list(plan.ids)
    with services.session() as other:
        clerk = submit_demand(other, services.campaign, make_row(
            496, 需求编号="S-496", 需求名称="茶叶采摘机器人视觉识别", 需求描述="名优茶叶嫩芽识别与柔性采摘末端执行器研究。",
            联系人姓名="赵晓峰", 联系人手机="13700001111", 联系人电子邮箱="zxf@example.cn"),
            actor="clerk", steps=services.intake_steps).demand.id
    with services.session() as s, unit_of_work(s):
        intake_lock(s, services.campaign.id)
        assert plan.commit(s, actor="t", source="k.jsonl", audit=AuditBatch())
    assert clerk == settled[0] and plan.ids == list(range(clerk + 1, clerk + 5))  # moved up past the clerk's
    assert stored in plan.flags.done and plan.reflagged == 0  # prepared before the lock, moved under it
    pairs = _pairs(services)
    assert "K-2" in pairs["S-480"] and "S-480" in pairs["K-2"] and not pairs["S-496"]
    with services.session() as s:
        message = " ".join(f.message_zh for f in s.get(db.Demand, stored).findings if f.rule_id == "duplicate")
    named = {int(i) for i in re.findall(r"#(\d+)", message)}
    assert named == {plan.ids[int(k[2:])] for k in pairs["S-480"]} and clerk not in named  # the final ids
