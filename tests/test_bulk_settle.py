"""A whole-file import's ids are settled just before the campaign lock (#21): moved down to follow what is stored,
with room left for what others store until the lock is taken, so the locked step does not rewrite every finding
naming a file row; when more than that room was stored meanwhile they are moved up past it. Either way the pairs
with what was stored meanwhile are named on both sides (SQLite and PostgreSQL, real services)."""
from __future__ import annotations

from api.forms.models import DemandRecord
from api.services.audit import AuditBatch
from api.services.bulk_ids import SLACK, taken
from api.services.bulk_intake import plan_file
from api.services.finding_rows import findings_by_external_id
from api.services.intake import submit_demand
from api.store import tables as db
from api.store.locks import intake_lock
from api.store.uow import unit_of_work
from tests.demand_rows import make_row
from tests.stores import services  # noqa: F401 - each test on SQLite and PostgreSQL

TEXT = "面向海上风电主轴承的大型圆锥滚子轴承精密磨削与在线检测关键技术研究，解决滚道波纹度超差问题。"


def _settled_then_submitted(services, room: int | None) -> tuple[list[int], list[int], int]:
    """Plan a file, settle its ids (``room``: ids left free; None: the service's own), let a clerk store a copy of
    one of its rows, then commit it under the lock; (ids as settled, ids as stored, the clerk's id)."""
    rows = [make_row(500 + i, 需求编号=f"K-{i}", 需求描述=TEXT if i == 2 else f"第{i}号：储能电池第{i}类管理系统研究。")
            for i in range(4)]
    with services.session() as s:
        submit_demand(s, services.campaign, make_row(490, 需求编号="S-490"), actor="t", steps=services.intake_steps)
    with services.session() as s:
        plan = plan_file(s, services.campaign, [DemandRecord.model_validate(r) for r in rows], services.intake_steps)
        plan.refresh(s, "k.jsonl")
        if room is None:
            plan.settle_ids(s)
        else:
            plan._move(taken(s, "demands") + 1 + room, taken(s, "enterprises") + 1 + room)
            plan.settled = True
        plan.prepare_flags(s)
        s.commit()
    settled = list(plan.ids)
    with services.session() as other:
        clerk = submit_demand(other, services.campaign, make_row(495, 需求编号="S-495", 需求描述=TEXT), actor="clerk",
                              steps=services.intake_steps).demand.id
    with services.session() as s, unit_of_work(s):
        intake_lock(s, services.campaign.id)
        assert plan.commit(s, actor="t", source="k.jsonl", audit=AuditBatch())
    return settled, list(plan.ids), clerk


def _pairs(services) -> dict[str, set[str]]:
    with services.session() as s:
        return {k: {c for rule, _, cs in fs if rule == "duplicate" for c in cs}
                for k, fs in findings_by_external_id(s).items()}


def test_settled_ids_stand_under_the_lock_and_pair_with_what_came_meanwhile(services) -> None:
    settled, stored, clerk = _settled_then_submitted(services, None)
    assert stored == settled and clerk < stored[0] <= clerk + SLACK + 1  # not rewritten under the lock
    pairs = _pairs(services)
    assert "S-495" in pairs["K-2"] and "K-2" in pairs["S-495"] and len(pairs) == 6


def test_settled_ids_taken_meanwhile_move_up_past_them(services) -> None:
    settled, stored, clerk = _settled_then_submitted(services, 0)  # no room: the clerk takes the first settled id
    assert clerk == settled[0] and stored[0] == clerk + 1 and stored == list(range(clerk + 1, clerk + 5))
    pairs = _pairs(services)
    assert "S-495" in pairs["K-2"] and "K-2" in pairs["S-495"] and len(pairs) == 6
    with services.session() as s:  # the messages name the final ids too (every candidate id is a stored demand: _pairs)
        messages = {d.external_id: " ".join(f.message_zh for f in d.findings if f.rule_id == "duplicate")
                    for d in s.query(db.Demand).filter(db.Demand.external_id.in_(["K-2", "S-495"]))}
    assert f"#{clerk}" in messages["K-2"] and f"#{stored[2]}" in messages["S-495"]
