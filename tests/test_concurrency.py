"""Concurrent writers on SQLite and PostgreSQL (set JIEBANG_TEST_DATABASE_URL): no deadlock, identical content
stored once, a stale update refused, a lock wait bounded into a 503 with Retry-After — the real services,
duplicate check included, from several threads at once (as several clients or workers would)."""
from __future__ import annotations

import gc
import http.client
import json
import re
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select, text

from api.compose import build_services
from api.errors import JiebangError
from api.http.app import create_app
from api.services.intake import StaleVersion, submit_demand
from api.store import tables as db
from api.store.faults import StorageFault
from api.store.locks import INTAKE_LOCK_CLASS, intake_lock, intake_lock_when_free
from tests.demand_rows import make_row
from tests.stores import STORES, services, store_url  # noqa: F401 - services: each test on SQLite and PostgreSQL
from tests.tokens import bearer, token_for

CLIENTS = 8


def _submit(services, row, **kw):
    with services.session() as s:
        try:
            return submit_demand(s, services.campaign, row, actor="t", steps=services.intake_steps, **kw).outcome
        except JiebangError as exc:
            return exc.code


def _count(services, **where) -> int:
    with services.session() as s:
        query = select(func.count()).select_from(db.Demand)
        for name, value in where.items():
            query = query.where(getattr(db.Demand, name) == value)
        return s.scalar(query)


def test_concurrent_submissions_are_all_stored(services) -> None:
    """8 clients × 4 distinct demands at once, duplicate check on: PostgreSQL deadlocked here ("deadlock
    detected … in relation campaigns") when the check locked the campaign row after the inserts."""
    rows = [make_row(100 + i, 需求描述=f"第{i}号课题：面向第{i}类工况的专用装置关键工艺与检测方法研究。") for i in range(CLIENTS * 4)]
    with ThreadPoolExecutor(CLIENTS) as pool:
        outcomes = list(pool.map(lambda r: _submit(services, r), rows))
    assert outcomes == ["new"] * len(rows)
    assert _count(services) == len(rows)


def test_identical_content_without_external_id_is_stored_once(services) -> None:
    row = make_row(7)
    del row["需求编号"]
    barrier = threading.Barrier(CLIENTS)

    def client(_: int) -> str:
        barrier.wait()
        return _submit(services, row)

    with ThreadPoolExecutor(CLIENTS) as pool:
        outcomes = sorted(pool.map(client, range(CLIENTS)))
    assert outcomes == ["new"] + ["unchanged"] * (CLIENTS - 1)
    assert _count(services) == 1


def test_database_refuses_a_second_copy_of_the_same_content(services) -> None:
    """The content hash is unique by the database itself (demands without 需求编号), not only by intake."""
    row = make_row(8)
    del row["需求编号"]
    assert _submit(services, row) == "new"
    with services.session() as s:
        stored = s.scalar(select(db.Demand))
        copy = db.Demand(campaign_id=stored.campaign_id, enterprise_id=stored.enterprise_id,
                         content_hash=stored.content_hash, record={}, title="copy")
        s.add(copy)
        with pytest.raises(Exception, match="(?i)unique"):
            s.commit()


def test_stale_update_is_refused_and_audit_keeps_the_replaced_row(services) -> None:
    assert _submit(services, make_row(9)) == "new"
    barrier = threading.Barrier(2)

    def update(n: int) -> str:
        barrier.wait()
        return _submit(services, make_row(9, 需求描述=f"第{n}次修改后的描述：轴承磨削工艺。"), expected_version=1)

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(update, (1, 2)))
    assert outcomes == [StaleVersion.code, "updated"]
    with services.session() as s:
        demand = s.scalar(select(db.Demand))
        assert demand.row_version == 2
        updates = list(s.scalars(select(db.AuditEntry).where(db.AuditEntry.entity == "demand",
                                                             db.AuditEntry.action == "update")))
    assert len(updates) == 1
    assert updates[0].before["record"]["需求描述"] == make_row(9)["需求描述"]
    assert updates[0].after["record"]["需求描述"] == demand.record["需求描述"]


def test_updates_in_sequence_without_a_version_each_see_the_row_they_replace(services) -> None:
    """Unversioned concurrent updates are serialised: every audit before-image is the row it replaced."""
    assert _submit(services, make_row(10)) == "new"
    texts = [f"第{n}版描述：风电主轴轴承精密磨削。" for n in range(6)]
    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(lambda t: _submit(services, make_row(10, 需求描述=t)), texts)) == ["updated"] * 6
    with services.session() as s:
        rows = list(s.scalars(select(db.AuditEntry).where(db.AuditEntry.action == "update").order_by(db.AuditEntry.id)))
        final = s.scalar(select(db.Demand)).record["需求描述"]
    chain = [r.before["record"]["需求描述"] for r in rows] + [final]
    assert chain[0] == make_row(10)["需求描述"]
    assert all(rows[i].after["record"]["需求描述"] == chain[i + 1] for i in range(len(rows)))


def test_http_etag_and_if_match(services) -> None:
    settings = replace(services.settings, admin_token="t-admin")
    with TestClient(create_app(services=services), headers=bearer(token_for(settings, "staff"))) as client:
        first = client.post("/demands", json=make_row(11))
        assert first.headers["ETag"] == '"1"'
        demand_id = first.json()["demand"]["id"]
        assert client.get(f"/demands/{demand_id}").headers["ETag"] == '"1"'
        changed = client.post("/demands", json=make_row(11, 需求描述="改一次。"), headers={"If-Match": '"1"'})
        assert changed.status_code == 200 and changed.json()["outcome"] == "updated"
        assert changed.headers["ETag"] == '"2"' and changed.json()["demand"]["row_version"] == 2
        stale = client.post("/demands", json=make_row(11, 需求描述="基于旧版本再改。"), headers={"If-Match": '"1"'})
        assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
        assert "已被他人修改" in stale.json()["message_zh"] and "changed by someone else" in stale.json()["message_en"]
        assert client.get(f"/demands/{demand_id}").json()["record"]["需求描述"] == "改一次。"


def _hold_intake_lock(services):
    """Another writer holding the campaign's intake lock (an open transaction that keeps it)."""
    s = services.session()
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:c, :k)"), {"c": INTAKE_LOCK_CLASS, "k": services.campaign.id})
    else:
        s.execute(text("UPDATE campaigns SET code = code"))
    return s


def test_a_lock_wait_is_bounded_and_answers_503_with_retry_after(services) -> None:
    quick = build_services(replace(services.settings, lock_timeout_s=0.5, admin_token="t-admin"))
    quick.__dict__["embedder"] = services.embedder
    with TestClient(create_app(services=quick), headers=bearer("t-admin")) as client:
        holder = _hold_intake_lock(services)
        try:
            r = client.post("/demands", json=make_row(12))
        finally:
            holder.rollback()
            holder.close()
    try:
        assert r.status_code == 503, r.text
        body = r.json()
        assert body["code"] == "lock_timeout" and int(r.headers["Retry-After"]) > 0
        assert "系统正忙" in body["message_zh"] and "busy" in body["message_en"]
        assert "SELECT" not in r.text and "UPDATE" not in r.text and "Traceback" not in r.text
    finally:
        quick.close()
    assert _count(services) == 0  # nothing half-stored


def test_a_file_import_takes_the_campaign_lock_when_free_and_submissions_do_not_queue_behind_it(services) -> None:
    """PostgreSQL queues an advisory lock's waiters: a file's import that waited its turn made every submission
    arriving meanwhile wait for that turn and then its whole locked step. Now, while a writer holds the lock, the
    import only tries it: a submission asking after it is served first, and the import takes the lock after it."""
    if services.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's writers queue in-process (WriteGate)")
    order: list[str] = []

    def writer(name: str, take) -> None:
        with services.session() as s:
            take(s, services.campaign.id)
            order.append(name)
            time.sleep(0.1)
            s.rollback()
    holder = _hold_intake_lock(services)
    importer = threading.Thread(target=writer, args=("import", lambda s, c: intake_lock_when_free(s, c, within_s=20)))
    clerk = threading.Thread(target=writer, args=("clerk", intake_lock))
    try:
        importer.start()
        time.sleep(0.3)  # the import is trying the lock
        clerk.start()
        time.sleep(0.3)  # the clerk waits for it
        assert not order
    finally:
        holder.rollback()
        holder.close()
    importer.join(20)
    clerk.join(20)
    assert order == ["clerk", "import"]


def test_sqlite_writers_of_one_process_queue_on_the_write_gate(settings, embedder) -> None:
    """On SQLite the intake writers of one process wait on one gate, let in as the holder's transaction ends (not
    left to SQLite's busy handler, which polls); the wait is bounded and answers lock_timeout (503)."""
    gated = build_services(replace(settings, database_url="", lock_timeout_s=1.0))
    gated.__dict__["embedder"] = embedder
    first, second = gated.session(), gated.session()
    try:
        intake_lock(first, gated.campaign.id)
        with pytest.raises(StorageFault) as refused:  # the gate's own bounded wait, before SQLite is asked
            intake_lock(second, gated.campaign.id)
        assert refused.value.code == "lock_timeout" and refused.value.retry_after
        second.rollback()
        entered = threading.Event()
        waiter = threading.Thread(target=lambda: (intake_lock(second, gated.campaign.id), entered.set()))
        waiter.start()
        assert not entered.wait(0.2)  # still held by the first transaction
        first.commit()
        assert entered.wait(5)  # let in when it ended
        waiter.join()
        second.rollback()
        assert _submit(gated, make_row(30)) == "new"  # a rollback let go too
    finally:
        first.close()
        second.close()
        gated.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_served_app_keeps_what_it_loaded_out_of_the_collector_and_a_test_app_does_not(settings) -> None:
    """``jiebang serve`` builds its app with ``served=True``: the models and indexes loaded at start are frozen out
    of the garbage collector's full passes (each stopped every request thread); an app built elsewhere is not."""
    gc.unfreeze()
    try:
        with TestClient(create_app(settings)):
            assert gc.get_freeze_count() == 0
        with TestClient(create_app(settings, served=True)):
            assert gc.get_freeze_count() > 10_000  # the vocabularies, the taxonomy, the compiled rules…
    finally:
        gc.unfreeze()  # the rest of the test run is not a served process


def test_a_500_keeps_the_keep_alive_connection(settings) -> None:
    """An unexpected error answers a complete 500 (no stack text) and the client's next request on the same
    connection succeeds (Starlette's own 500 path closed the connection)."""
    import uvicorn

    app = create_app(settings)

    def broken() -> None:
        raise RuntimeError("SELECT secret FROM somewhere WHERE x = 'param'")

    app.add_api_route("/broken-for-test", broken)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(600):
            if server.started:
                break
            threading.Event().wait(0.05)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/broken-for-test")
        first = conn.getresponse()
        body = first.read().decode()
        assert first.status == 500 and '"internal_error"' in body
        assert "SELECT" not in body and "param" not in body
        conn.request("GET", "/health")  # same socket
        second = conn.getresponse()
        assert second.status == 200, second.read()
        second.read()
        conn.close()
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_each_worker_duplicate_index_stays_fresh(services) -> None:
    """Two workers (two sets of services on one database): what one stores or changes — an update too,
    however old the row — is in the other's duplicate check before its next intake."""
    other = build_services(services.settings)
    other.__dict__["embedder"] = services.embedder
    try:
        base = "面向海上风电主轴的大型轴承精密磨削与在线检测关键工艺研究，解决磨削烧伤与圆度超差问题。"
        with other.session() as s:
            other.duplicates.sync(s)  # the other worker's index is built before anything is stored
        assert _submit(services, make_row(20, 需求描述=base)) == "new"
        assert _submit(other, make_row(21, 需求描述=base, 需求名称="第20号高端轴承精密加工关键技术")) == "new"
        with other.session() as s:
            flagged = s.scalar(select(db.Demand).where(db.Demand.external_id == "T-021"))
            assert "duplicate" in {f.rule_id for f in flagged.findings}
        changed = "城市生活垃圾渗滤液高效膜处理与资源化利用技术研究，降低运行能耗与浓缩液产量。"
        assert _submit(services, make_row(22, 需求描述="完全不同的课题：盐碱地水稻耐盐品种选育。")) == "new"
        assert _submit(services, make_row(22, 需求描述=changed, 需求名称="渗滤液膜处理技术")) == "updated"
        with other.session() as s:
            detector = other.duplicates.sync(s)
            stored = s.scalar(select(db.Demand).where(db.Demand.external_id == "T-022"))
            assert other.duplicates._versions[stored.id] == stored.content_hash
            assert len(detector) == 3
        # updated again after the other worker indexed it: found among the rows written since the newest write the
        # other worker saw (updated_at), without reading every (id, hash, version) of the campaign
        assert _submit(services, make_row(22, 需求描述=changed + "并开展中试验证。", 需求名称="渗滤液膜处理技术")) == "updated"
        statements: list[str] = []
        listen = lambda conn, cursor, statement, *rest: statements.append(" ".join(statement.split()))  # noqa: E731
        event.listen(other.engine, "before_cursor_execute", listen)
        try:
            with other.session() as s:
                other.duplicates.sync(s)
                stored = s.scalar(select(db.Demand).where(db.Demand.external_id == "T-022"))
                assert other.duplicates._versions[stored.id] == stored.content_hash
                assert other.duplicates._row_versions[stored.id] == stored.row_version == 3
        finally:
            event.remove(other.engine, "before_cursor_execute", listen)
        whole = [q for q in statements if "content_hash" in q and re.search(r"WHERE demands.campaign_id = \S+$", q)]
        assert not whole and any("updated_at >=" in q for q in statements)
    finally:
        other.close()


WORKER_START = """
import sys
from api.config import Settings
from api.services.campaign import load_campaign
from api.store.engine import open_database
engine, sessions = open_database(sys.argv[1])
with sessions() as s:
    print(load_campaign(s, Settings().campaign_file).id)
engine.dispose()
"""


@pytest.mark.parametrize("store", STORES)
def test_four_workers_starting_on_an_empty_database_migrate_once(store, settings) -> None:
    """What each worker does at start (migrate, make the campaign row), by 4 processes at the same moment:
    on PostgreSQL 2 of 4 failed with UniqueViolation before the migration lock."""
    import subprocess
    import sys
    from pathlib import Path

    from api.store.migrations import head_revision

    settings.home.mkdir(parents=True, exist_ok=True)
    with store_url(store, f"sqlite:///{(settings.home / 'jiebang.db').as_posix()}") as url:
        procs = [subprocess.Popen([sys.executable, "-c", WORKER_START, url], cwd=Path(__file__).parents[1],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
        results = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0] * 4, [err[-2000:] for _, err in results]
        assert len({out.split()[-1] for out, _ in results}) == 1  # one campaign row, the same for all
        from sqlalchemy import create_engine
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head_revision()]
                assert conn.execute(text("SELECT count(*) FROM campaigns")).scalar() == 1
        finally:
            engine.dispose()


def test_an_export_row_changed_elsewhere_since_is_rejected_on_reimport(services, tmp_path) -> None:
    """``row_version`` travels in exported files: re-importing an edited export whose demand someone changed
    meanwhile rejects that row (with its reason) instead of silently overwriting the newer change."""
    from api.services.demands import export_demands
    from api.services.imports import import_demands

    for n in (30, 31):
        assert _submit(services, make_row(n)) == "new"
    with services.session() as s:
        assert export_demands(s, services.campaign, tmp_path / "out.jsonl") == 2
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["row_version"] for r in rows] == [1, 1]
    assert _submit(services, make_row(30, 需求描述="导出之后由他人修改。")) == "updated"  # T-030 moves to version 2
    for r in rows:
        r["需求描述"] = "按导出文件修改。"
        r["联系人手机"], r["联系人电子邮箱"] = "13912345678", "wxm@example.cn"  # masked in the export
    (tmp_path / "edited.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                           encoding="utf-8")
    with services.session() as s:
        report = import_demands(s, services.campaign, tmp_path / "edited.jsonl", actor="t")
    assert (report.updated, report.rejected_rows) == (1, 1)
    assert report.rejected[0]["field"] == "row_version" and "已被他人修改" in report.rejected[0]["reason_zh"]
    assert "请重新导出文件" in report.rejected[0]["reason_zh"] and "重新打开" not in report.rejected[0]["reason_zh"]
    with services.session() as s:
        kept = s.scalar(select(db.Demand).where(db.Demand.external_id == "T-030"))
        assert kept.record["需求描述"] == "导出之后由他人修改。" and kept.row_version == 2
