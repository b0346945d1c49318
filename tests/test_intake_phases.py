"""Intake in two phases (#21): the costly work before the campaign lock, a re-check under it. What another
writer committed between the two must be seen exactly as if the lock had been held throughout — on SQLite
and on PostgreSQL (``JIEBANG_TEST_DATABASE_URL``), with the real services and duplicate check."""
from __future__ import annotations

from api.services.finding_rows import findings_by_external_id
from api.forms.validation import parse_record
from api.services.intake import intake_record, prepare_intake, submit_demand
from api.store.locks import intake_lock
from api.store.uow import unit_of_work
from tests.demand_rows import make_row
from tests.file_vs_one_by_one import file_and_one_by_one
from tests.stores import services  # noqa: F401 - each test on SQLite and PostgreSQL

TEXT = "面向海上风电主轴承的大型圆锥滚子轴承精密磨削与在线检测关键技术研究，解决滚道波纹度超差问题。"


def _finish(services, session, row: dict, prepared):
    """The second phase as :func:`submit_demand` runs it: lock, forget what was read, store, commit."""
    with unit_of_work(session):
        intake_lock(session, services.campaign.id)
        session.expire_all()
        return intake_record(session, services.campaign, parse_record(row), actor="t", steps=services.intake_steps,
                             prepared=prepared)


def _rules(result) -> dict[str, list]:
    return {f.rule_id: [c["id"] for c in (f.values or {}).get("candidates", [])] for f in result.findings}


def test_a_copy_stored_between_prepare_and_lock_is_found_on_both_sides(services) -> None:
    """A prepares (its search sees nothing), B — the same text, another enterprise — is stored, then A
    finishes: A is flagged as B's duplicate and B as A's, as when A waited for the lock from the start."""
    first = make_row(1, 需求编号="A-1", 需求描述=TEXT)
    copy = make_row(2, 需求编号="B-1", 需求描述=TEXT)
    with services.session() as s:
        prepared = prepare_intake(s, services.campaign, parse_record(first), steps=services.intake_steps)
        assert prepared.item.prepared["duplicate_vector"] is not None
        with services.session() as other:
            b = submit_demand(other, services.campaign, copy, actor="t", steps=services.intake_steps)
        assert "duplicate" not in _rules(b)
        a = _finish(services, s, first, prepared)
    assert a.outcome == "new" and _rules(a)["duplicate"] == [b.demand.id]
    with services.session() as s:
        again = submit_demand(s, services.campaign, copy, actor="t", steps=services.intake_steps)
    assert again.outcome == "unchanged" and _rules(again)["duplicate"] == [a.demand.id]


def test_an_update_prepared_on_a_version_that_moved_is_merged_again_under_the_lock(services) -> None:
    """The merge with the stored demand is done before the lock; when another update lands in between, the
    prepared merge is dropped: the other update's field is kept, and the audit names the row replaced."""
    with services.session() as s:
        stored = submit_demand(s, services.campaign, make_row(3, 需求编号="U-1"), actor="t",
                               steps=services.intake_steps).demand
    mine = {"需求编号": "U-1", "企业名称": make_row(3)["企业名称"], "注册地区": make_row(3)["注册地区"],
            "统一社会信用代码": make_row(3)["统一社会信用代码"], "需求名称": "改后的需求名称"}
    with services.session() as s:
        prepared = prepare_intake(s, services.campaign, parse_record(mine), steps=services.intake_steps)
        with services.session() as other:
            submit_demand(other, services.campaign, {**mine, "需求名称": make_row(3)["需求名称"], "需求描述": TEXT},
                          actor="other", steps=services.intake_steps)
        result = _finish(services, s, mine, prepared)
    assert result.outcome == "updated" and result.demand.id == stored.id
    assert result.demand.record["需求描述"] == TEXT and result.demand.record["需求名称"] == "改后的需求名称"
    assert result.demand.row_version == 3


def _sample_rows(n: int) -> list[dict]:
    """``n`` rows with copies inside the sample (the text of an earlier row under another enterprise) and
    rewordings, so duplicate and related pairs within the file exist."""
    rows = []
    for i in range(n):
        text = f"第{i}号课题：面向{['风电', '光伏', '储能'][i % 3]}装备的第{i}类关键部件精密加工与在线检测技术研究。"
        if i % 5 == 4:
            text = rows[i - 3]["需求描述"]  # a copy of an earlier row
        elif i % 7 == 6:
            text = rows[i - 2]["需求描述"].replace("研究", "攻关，并开展示范应用")  # a rewording
        rows.append(make_row(400 + i, 需求编号=f"S-{i}", 需求描述=text, 需求名称=f"第{i}号需求"))
    return rows


def test_a_file_import_finds_what_one_by_one_intake_finds(services, tmp_path) -> None:
    """The file is prepared as a whole (one encoding batch, each row searched against the stored demands
    before the lock), then stored row by row under it: the findings of every demand — rules, duplicates
    and related pairs inside the file and with what was stored before — equal those of one-by-one intake."""
    rows = _sample_rows(40)
    report, batch, single = file_and_one_by_one(services, tmp_path, rows[:8], rows[8:])
    assert report.new == 32 and not report.rejected
    assert sum(1 for fs in single.values() for f in fs if f[0] == "duplicate") >= 8  # the sample has pairs
    assert batch == single


def test_a_sync_beside_an_uncommitted_intake_reads_only_what_was_written(services) -> None:
    """Intake indexes its demand before it commits. A sync in another session meanwhile (the next submission's
    lock-free phase) must not take that for a delete and read every row of the campaign — it did, under load,
    for half of a worker's CPU (#21) — nor lose the demand: it is still indexed when its intake commits, and a
    rolled-back intake's demand leaves the index."""
    from sqlalchemy import event

    campaign, dup = services.campaign, services.duplicates
    with services.session() as s:
        for i in range(3):
            submit_demand(s, campaign, make_row(600 + i, 需求编号=f"P-{i}"), actor="t", steps=services.intake_steps)
    statements: list[str] = []
    event.listen(services.engine, "before_cursor_execute", lambda c, cur, sql, *a: statements.append(sql))
    with services.session() as b:
        size = len(dup.sync(b))
        for keep in (True, False):
            with services.session() as a:
                record = parse_record(make_row(610 + keep, 需求编号=f"P-new-{keep}", 需求描述=TEXT))
                prepared = prepare_intake(a, campaign, record, steps=services.intake_steps)
                intake_lock(a, campaign.id)
                a.expire_all()
                intake_record(a, campaign, record, actor="t", steps=services.intake_steps, prepared=prepared)
                statements.clear()
                assert len(dup.sync(b)) == size + 1  # indexed already, and kept
                assert len(statements) == 1  # the change counter and the rows written since: nothing more
                a.commit() if keep else a.rollback()
            size += keep
            assert len(dup.sync(b)) == size


def test_under_the_lock_the_index_is_read_once_and_finds_what_another_worker_stored(services) -> None:
    """Taking the campaign lock, intake syncs the duplicate index once (the change counter with the rows written
    since: here another worker's copy, stored between prepare and lock); the check that follows in the same
    transaction reads nothing more of it (#21: a statement less per submission) — and still flags the copy."""
    from dataclasses import replace

    from sqlalchemy import event

    from api.compose import build_services
    from api.services.intake import take_intake_lock

    campaign, steps = services.campaign, services.intake_steps
    worker2 = build_services(replace(services.settings, database_url=services.engine.url.render_as_string(
        hide_password=False)))
    worker2.__dict__["embedder"] = services.embedder
    counters: list[str] = []
    event.listen(services.engine, "before_cursor_execute",
                 lambda c, cur, sql, *a: counters.append(sql) if "AS versions" in sql else None)
    first = make_row(700, 需求编号="L-1", 需求描述=TEXT)
    try:
        with services.session() as s:
            prepared = prepare_intake(s, campaign, parse_record(first), steps=steps)
            with worker2.session() as other:
                copy = submit_demand(other, worker2.campaign, make_row(701, 需求编号="L-2", 需求描述=TEXT), actor="t",
                                     steps=worker2.intake_steps).demand.id
            counters.clear()
            with unit_of_work(s):
                take_intake_lock(s, campaign, steps, [prepared.item])
                s.expire_all()
                assert len(counters) == 1  # read under the lock, with the copy among the rows written since
                mine = intake_record(s, campaign, parse_record(first), actor="t", steps=steps, prepared=prepared)
                assert len(counters) == 1  # the check read nothing more
    finally:
        worker2.close()
    assert _rules(mine)["duplicate"] == [copy]
    with services.session() as s:
        assert mine.demand.id in [c["id"] for f in s.get(type(mine.demand), copy).findings if f.rule_id == "duplicate"
                                  for c in f.values["candidates"]]  # and the copy names the new demand


def test_the_debug_log_tells_waiting_for_the_campaign_lock_from_holding_it(services, caplog) -> None:
    """An operator asking why intake is slow reads, per submission, how long it waited for the campaign lock and how
    long it held it (the lock admits one submission at a time: 1 / held bounds the rate). A submission that queued
    behind another writer for ~0.4 s says so as waiting, not holding; the line names no person and no firm."""
    import logging
    import re
    import threading
    import time

    from tests.demand_rows import CONTACT_MOBILE, CONTACT_NAME

    row = make_row(7, 需求编号="T-7", 需求描述=TEXT)
    with services.session() as s:  # warm: the first submission of a process loads what intake uses
        submit_demand(s, services.campaign, make_row(8, 需求编号="T-8"), actor="t", steps=services.intake_steps)
    locked, release = threading.Event(), threading.Event()

    def other_writer() -> None:  # another worker's intake, holding the campaign's lock for a while
        with services.session() as other, unit_of_work(other):
            intake_lock(other, services.campaign.id)
            locked.set()
            release.wait(10)

    holder = threading.Thread(target=other_writer)
    holder.start()
    assert locked.wait(10)
    threading.Timer(0.4, release.set).start()
    caplog.set_level(logging.DEBUG, logger="api.services.intake")
    with services.session() as s:
        started = time.perf_counter()
        result = submit_demand(s, services.campaign, row, actor="t", steps=services.intake_steps)
        elapsed_ms = 1000 * (time.perf_counter() - started)
    holder.join(10)
    lines = [r.getMessage() for r in caplog.records if "intake timing" in r.getMessage()]
    assert len(lines) == 1, lines  # (the warm-up came before the level was set)
    found = re.search(r"prepared ([\d.]+) ms, waited ([\d.]+) ms for the campaign lock, held it ([\d.]+) ms", lines[0])
    prepared_ms, waited_ms, held_ms = (float(x) for x in found.groups())
    assert waited_ms >= 250, (lines[0], elapsed_ms)  # the other writer's 0.4 s (less what prepare took meanwhile)
    assert held_ms < waited_ms and held_ms > 0, lines[0]
    assert prepared_ms + waited_ms + held_ms <= elapsed_ms + 1, lines[0]
    assert str(result.demand.id) in lines[0]
    for personal in (CONTACT_NAME, CONTACT_MOBILE, row["企业名称"], row["统一社会信用代码"]):
        assert personal not in lines[0]
