"""A file of new demands taken in as a whole (#21): every check over the batch before the campaign lock, one short
locked step after. The findings are those of one-by-one intake; another writer is not held while the file is
checked, and what it stores meanwhile still pairs with the file's rows (SQLite and PostgreSQL, real services)."""
from __future__ import annotations

import time

import numpy as np

from api.services.bulk_intake import PureStep
from api.services.finding_rows import findings_by_external_id
from api.services.imports import import_demands
from api.services.intake import submit_demand
from matching.duplicate_batch import InOrderCheck
from matching.duplicates import DuplicateDetector
from tests.demand_rows import make_row, write_jsonl
from tests.file_vs_one_by_one import file_and_one_by_one
from tests.stores import services  # noqa: F401 - each test on SQLite and PostgreSQL

TEXT = "面向海上风电主轴承的大型圆锥滚子轴承精密磨削与在线检测关键技术研究，解决滚道波纹度超差问题。"


def test_a_batch_checked_in_order_gets_what_checking_one_at_a_time_gets() -> None:
    """Core: each row indexed then searched (itself left out), the common shingles re-learned as the corpus
    doubles — the batch check's candidates equal those of the loop, and the fitted detector is left as it was."""
    rng = np.random.default_rng(0)
    words = ["轴承", "齿轮", "磨削", "检测", "传感器", "电池", "涂层", "焊接", "算法", "平台", "芯片", "电机"]
    texts = ["".join(rng.choice(words, size=12)) + "关键技术研究" for _ in range(160)]
    texts[90] = texts[40]  # copies inside the batch and of a stored demand
    texts[120] = texts[5] + "并开展示范应用"
    vectors = rng.normal(size=(160, 16)).astype(np.float32)
    vectors[90] = vectors[40] + 0.01
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    signals = [{"phone": "139" if i % 3 == 0 else None} for i in range(160)]

    def fitted() -> DuplicateDetector:
        return DuplicateDetector(relearn_min=10).fit(list(range(1, 21)), texts[:20], vectors[:20], signals[:20])

    one = fitted()
    expected = []
    for i in range(20, 160):
        one.add([i + 1], [texts[i]], vectors[i:i + 1], [signals[i]])
        expected.append(one.check(texts[i], vectors[i], signals[i], exclude=[i + 1], top=10))
    base = fitted()
    checker = InOrderCheck(base, list(range(21, 161)), texts[20:], vectors[20:], signals[20:])
    got = checker.run(top=10)
    assert got == expected
    assert any(c.verdict == "duplicate" for cs in got for c in cs) and checker.sim.fitted_size_ >= 80  # re-learned
    assert len(base) == 20 and base.fitted_size_ == 20


def test_a_file_import_finds_what_one_by_one_intake_finds_for_firms_and_counts(services, tmp_path) -> None:
    """Firms without a credit code (a same-name firm of another region is reported), an enterprise's third
    demand (the 2-per-enterprise rule), a firm already stored: the whole-file import equals one-by-one intake."""
    def row(n: int, **kw) -> dict:
        return make_row(n, **{"需求编号": f"B-{n}", "需求描述": f"第{n}号：{TEXT[:20 + n % 7]}关键部件第{n}项研究。", **kw})

    nameless = {"统一社会信用代码": None, "企业名称": "辽宁云图科技有限公司"}
    stored = [row(1, **nameless, 注册地区="沈阳市"), row(2)]
    incoming = [row(3, **nameless, 注册地区="大连市"), row(4, **nameless, 注册地区="鞍山市"),
                row(5, 企业名称="辽宁测试2号装备制造有限公司", 统一社会信用代码=make_row(2)["统一社会信用代码"]),
                row(6, 企业名称="辽宁测试2号装备制造有限公司", 统一社会信用代码=make_row(2)["统一社会信用代码"]),
                row(7, 需求描述=TEXT), row(8, 需求描述=TEXT)]
    report, whole, one_by_one = file_and_one_by_one(services, tmp_path, stored, incoming)
    assert report.new == len(incoming) and "campaign lock" not in str(report.to_dict())
    rules = {rule for fs in one_by_one.values() for rule, _, _ in fs}
    assert {"possible_same_enterprise", "duplicate"} <= rules and len(rules) >= 3
    assert whole == one_by_one


def test_a_submission_while_a_file_is_checked_does_not_wait_and_pairs_with_the_file(services, tmp_path) -> None:
    """A clerk submits while a file import is in its check phase: the submission is stored at once (the file
    holds no lock yet — before #21 it waited for the whole import and timed out), and the file, committed after
    it, still finds the pair: its copy lists the submission, and the submission is flagged with the copy."""
    done: dict[str, float] = {}

    def submit_meanwhile(session, campaign, item) -> list:
        if item.record.external_id == "F-3" and not done:
            started = time.perf_counter()
            with services.session() as other:
                result = submit_demand(other, services.campaign, make_row(900, 需求编号="S-900", 需求描述=TEXT),
                                       actor="clerk", steps=services.intake_steps)
            done.update(id=result.demand.id, seconds=time.perf_counter() - started)
        return []

    rows = [make_row(800 + i, 需求编号=f"F-{i}", 需求描述=f"第{i}号：面向储能装备的第{i}类电池管理系统研究。")
            for i in range(6)]
    rows[4]["需求描述"] = TEXT  # the file's copy of what the clerk submits meanwhile
    with services.session() as s:
        report = import_demands(s, services.campaign, write_jsonl(tmp_path / "f.jsonl", rows), actor="t",
                                steps=(*services.intake_steps, PureStep(submit_meanwhile)))
    assert report.new == 6 and done["seconds"] < 5
    with services.session() as s:
        found = findings_by_external_id(s)
        ids = {r["external_id"]: r["demand_id"] for r in report.results}
    assert done["id"] < ids["F-4"]  # stored first: the file is committed after it
    pairs = {k: {c for rule, _, cs in fs if rule == "duplicate" for c in cs} for k, fs in found.items()}
    assert "S-900" in pairs["F-4"] and "F-4" in pairs["S-900"]


def test_ids_taken_meanwhile_are_planned_again_under_the_lock(services) -> None:
    """More submissions than the margin while a file is checked: its planned ids are taken, so they are planned
    again under the lock and every finding is written out again with them (no id clash, pairs still named)."""
    from api.forms.models import DemandRecord
    from api.services.audit import AuditBatch
    from api.services.bulk_intake import plan_file
    from api.store.locks import intake_lock
    from api.store.uow import unit_of_work

    rows = [make_row(700 + i, 需求编号=f"G-{i}", 需求描述=TEXT if i in (1, 3) else f"第{i}号：储能电池第{i}类研究。")
            for i in range(4)]
    with services.session() as s:
        plan = plan_file(s, services.campaign, [DemandRecord.model_validate(r) for r in rows], services.intake_steps)
        plan.plan_ids(s, 0)  # no margin: the next submission takes the first planned id
        plan.render("t.jsonl")
        s.commit()
    with services.session() as other:
        taken = submit_demand(other, services.campaign, make_row(950, 需求编号="S-950"), actor="t",
                              steps=services.intake_steps).demand.id
    assert taken == plan.ids[0]
    with services.session() as s, unit_of_work(s):
        intake_lock(s, services.campaign.id)
        assert plan.commit(s, actor="t", source="t.jsonl", audit=AuditBatch())
    assert plan.ids[0] > taken
    with services.session() as s:
        pairs = {k: {c for rule, _, cs in fs if rule == "duplicate" for c in cs}
                 for k, fs in findings_by_external_id(s).items()}
    assert "G-1" in pairs["G-3"] and "G-3" in pairs["G-1"] and len(pairs) == 5


def test_a_stored_demand_flagged_again_between_prepare_and_lock_keeps_both_pairs(services) -> None:
    """The stored demand a file pairs with is flagged before the lock (#21); when a clerk's copy flags it again
    before the lock is taken, the prepared flags are stale: it is worked out again under the lock and lists both
    the clerk's copy and the file's row (a stale write would drop the clerk's pair)."""
    from api.forms.models import DemandRecord
    from api.services.audit import AuditBatch
    from api.services.bulk_intake import plan_file
    from api.store.locks import intake_lock
    from api.store.uow import unit_of_work

    with services.session() as s:
        submit_demand(s, services.campaign, make_row(600, 需求编号="S-600", 需求描述=TEXT), actor="t",
                      steps=services.intake_steps)
    rows = [make_row(610 + i, 需求编号=f"H-{i}", 需求描述=TEXT if i == 1 else f"第{i}号：储能电池第{i}类研究。")
            for i in range(3)]
    with services.session() as s:
        plan = plan_file(s, services.campaign, [DemandRecord.model_validate(r) for r in rows], services.intake_steps)
        plan.refresh(s, "h.jsonl")
        plan.prepare_flags(s)
        s.commit()
    with services.session() as other:
        submit_demand(other, services.campaign, make_row(620, 需求编号="S-620", 需求描述=TEXT), actor="t",
                      steps=services.intake_steps)
    with services.session() as s, unit_of_work(s):
        intake_lock(s, services.campaign.id)
        assert plan.commit(s, actor="t", source="h.jsonl", audit=AuditBatch())
    assert plan.reflagged == 2  # S-600 moved and S-620 is new to the file: both worked out under the lock
    with services.session() as s:
        pairs = {k: {c for rule, _, cs in fs if rule == "duplicate" for c in cs}
                 for k, fs in findings_by_external_id(s).items()}
    assert {"S-620", "H-1"} <= pairs["S-600"] and {"S-600", "S-620"} <= pairs["H-1"]
