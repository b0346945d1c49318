"""A large batch of demands reaching a process's duplicate index (#21): another worker's file import, worked out
with the index's lock let go and added in chunks. Meanwhile the index's lock is free, and a sync waits for the
batch and finds its demands — on SQLite and PostgreSQL, with the real services."""
from __future__ import annotations

import threading

import numpy as np

from api.services import duplicate_file, duplicates as duplicates_module
from api.services.duplicates import DuplicateService
from api.services.imports import import_demands
from api.services.index_share import NAME, SharedBatches
from api.forms.validation import parse_record
from api.services.intake import intake_record, prepare_intake, submit_demand, take_intake_lock
from api.services.views import view_of_demand
from api.store import tables as db
from matching.shingle_index import ShingleIndex
from api.store.uow import unit_of_work
from nlp.shingles import shingles
from tests.demand_rows import make_row, write_jsonl
from tests.stores import services  # noqa: F401 - each test on SQLite and PostgreSQL

TEXT = "面向深远海养殖工船的舱内水质在线监测与智能投喂控制关键技术研究，解决高密度养殖溶氧波动问题。"


def _import_thirty(services, tmp_path, first: int = 720, prefix: str = "F", copy_at: int = 17,
                   topic: str = "储能装备的第{i}类关键部件精密加工"):
    """A 30-row file imported with every intake check (its row ``copy_at`` a copy of ``TEXT``); the report."""
    rows = [make_row(first + i, 需求编号=f"{prefix}-{i}", 需求名称=f"第{i}号需求",
                     需求描述=TEXT if i == copy_at else f"第{i}号课题：面向{topic.format(i=i)}技术研究。")
            for i in range(30)]
    with services.session() as s:
        report = import_demands(s, services.campaign, write_jsonl(tmp_path / f"{prefix}.jsonl", rows), actor="t",
                                steps=services.intake_steps)
    assert report.new == 30
    return report


def test_a_batch_another_worker_stored_is_worked_out_without_holding_the_index(services, tmp_path,
                                                                               monkeypatch) -> None:
    """Worker 2's index learns of a 30-row file stored by worker 1 (a batch from 10 rows here). While one of
    its threads works the batch out, the index's lock is free (what needs it for a moment goes on); another
    sync waits for the batch — it must see every committed demand — and a check then finds the file's copy."""
    monkeypatch.setattr(duplicates_module, "BACKLOG", 10)
    campaign, dup = services.campaign, services.duplicates
    with services.session() as s:
        for i in range(3):
            submit_demand(s, campaign, make_row(700 + i, 需求编号=f"K-{i}"), actor="t", steps=services.intake_steps)
    other = DuplicateService(dup.params, campaign.id, dup.embedder, dup.tokenizer)  # worker 2's index
    with services.session() as s:
        assert len(other.sync(s)) == 3
    report = _import_thirty(services, tmp_path)

    working, release = threading.Event(), threading.Event()
    encode = other.encode

    def slow_encode(views):  # the batch's encoding, held until the test has looked
        if len(views) >= 10:
            working.set()
            assert release.wait(30)
        return encode(views)
    other.encode = slow_encode
    sizes: dict[str, int] = {}

    def sync(name: str) -> None:
        with services.session() as s:
            sizes[name] = len(other.sync(s))
    owner = threading.Thread(target=sync, args=("owner",))
    owner.start()
    assert working.wait(30) and other._lock.busy  # the batch is being worked out
    free = threading.Event()
    threading.Thread(target=lambda: (other._lock.__enter__(), free.set(), other._lock.__exit__())).start()
    assert free.wait(5)  # the lock was let go meanwhile
    waiting = threading.Thread(target=sync, args=("waiting",))
    waiting.start()
    waiting.join(0.5)
    assert waiting.is_alive()  # a sync waits for the batch
    release.set()
    owner.join(30)
    waiting.join(30)
    assert sizes == {"owner": 33, "waiting": 33} and not other._lock.busy
    with services.session() as s:
        probe = db.Demand(id=10**9, record={}, campaign_id=campaign.id)
        view = view_of_demand(s.get(db.Demand, report.results[17]["demand_id"]))
        found = other.candidates(s, probe, view=view)
    assert report.results[17]["demand_id"] in [c.id for c in found]


def test_a_file_another_worker_imported_is_indexed_from_the_vectors_it_shared(services, tmp_path, monkeypatch) -> None:
    """Worker 1 hands its 30-row file's views, vectors and shingles to the other workers before its lock (a file from 10 rows
    here); worker 2's index takes them once the file is committed: nothing of the file encoded again, the vectors
    those of the stored demands, and a check finds the file's copy. The batch is a file under the home's uploads,
    readable by the service's user only."""
    monkeypatch.setattr(duplicates_module, "BACKLOG", 10)
    monkeypatch.setattr(duplicate_file, "BACKLOG", 10)
    campaign, dup = services.campaign, services.duplicates
    with services.session() as s:
        submit_demand(s, campaign, make_row(700, 需求编号="K-0"), actor="t", steps=services.intake_steps)
    other = DuplicateService(dup.params, campaign.id, dup.embedder, dup.tokenizer,
                             shared=SharedBatches(services.settings.home))  # worker 2's index
    with services.session() as s:
        assert len(other.sync(s)) == 1
    report = _import_thirty(services, tmp_path)
    [batch] = (services.settings.home / "uploads").glob("*/" + NAME.format(campaign=campaign.id))
    assert batch.parent.stat().st_mode & 0o077 == 0  # the service's user only
    encoded: list[int] = []
    encode, shingle = other.encode, other._detector.prepare
    other.encode = lambda views: (encoded.append(len(views)), encode(views))[1]
    other._detector.prepare = lambda texts: (encoded.append(len(texts)), shingle(texts))[1]
    with services.session() as s:
        assert len(other.sync(s)) == 31
        demands = [s.get(db.Demand, r["demand_id"]) for r in report.results]
        views = [view_of_demand(d) for d in demands]
        probe = db.Demand(id=10**9, record={}, campaign_id=campaign.id)
        found = other.candidates(s, probe, view=views[17])
    assert sum(encoded) <= 1  # neither encoded nor shingled again (the probe's own vector: 1)
    at = {i: k for k, i in enumerate(other._detector.ids_)}
    shared = other._detector.vectors_[[at[d.id] for d in demands]]
    assert np.allclose(shared, encode(views), atol=1e-5)
    assert report.results[17]["demand_id"] in [c.id for c in found]


def test_a_bulk_add_to_the_shingle_index_answers_like_one_document_at_a_time() -> None:
    """Adding many documents at once goes straight into the sorted arrays (not through the append buffer): every
    query answers exactly as after adding them one at a time (each merged), removed documents included."""
    rng = np.random.default_rng(3)
    words = [a + b for a in "精密加工在线检测储能装备关键部件" for b in "风电主轴智能控制材料"]
    texts = ["".join(rng.choice(words, 30)) for _ in range(700)]
    sets = [shingles(t, 4) for t in texts]
    bulk, single = ShingleIndex().fit(sets[:200]), ShingleIndex(merge_every=1).fit(sets[:200])
    assert list(bulk.add(sets[200:])) == list(range(200, 700)) and not bulk._delta
    for s in sets[200:]:
        single.add([s])
    bulk.remove([5, 300]), single.remove([5, 300])
    hits = 0
    for query in sets[::7]:
        a, b = bulk.query(query, k=10), single.query(query, k=10)
        assert a[0].tolist() == b[0].tolist() and np.allclose(a[1], b[1])
        hits += len(a[0])
    assert hits >= 100  # the queries find documents


def test_a_submission_lets_the_campaign_lock_go_while_its_index_catches_up_with_a_file(services, tmp_path,
                                                                                   monkeypatch) -> None:
    """A submission to worker 1 is prepared; worker 2 then stores a 30-row file (a batch from 10 rows here).
    Taking the campaign lock, the submission finds its index behind, lets the lock go (its transaction had
    written nothing), catches up and takes the lock again — so no other writer waits through the encoding —
    and still finds its copy among the file's rows."""
    from dataclasses import replace

    from sqlalchemy import event

    from api.compose import build_services

    monkeypatch.setattr(duplicates_module, "BACKLOG", 10)
    campaign, steps = services.campaign, services.intake_steps
    with services.session() as s:
        submit_demand(s, campaign, make_row(800, 需求编号="W-0"), actor="t", steps=steps)
    record = parse_record(make_row(900, 需求编号="W-1", 需求描述=TEXT))
    worker2 = build_services(replace(services.settings, database_url=services.engine.url.render_as_string(
        hide_password=False)))
    worker2.__dict__["embedder"] = services.embedder
    locks: list[str] = []
    try:
        with services.session() as s:
            prepared = prepare_intake(s, campaign, record, steps=steps)
            report = _import_thirty(worker2, tmp_path, 820, "G", 11, "风电装备的第{i}类关键部件检测")
            assert services.duplicates.behind(s)
            event.listen(services.engine, "before_cursor_execute", lambda c, cur, sql, *a: locks.append(sql) if (
                "pg_advisory_xact_lock" in sql or "UPDATE campaigns SET code" in sql) else None)
            with unit_of_work(s):
                take_intake_lock(s, campaign, steps, [prepared.item])
                s.expire_all()
                mine = intake_record(s, campaign, record, actor="t", steps=steps, prepared=prepared)
            assert not services.duplicates.behind(s)
    finally:
        worker2.close()
    assert len(locks) == 2  # taken, let go while the index caught up, taken again
    duplicates = [f for f in mine.findings if f.rule_id == "duplicate"]
    assert duplicates and report.results[11]["demand_id"] in [c["id"] for c in duplicates[0].values["candidates"]]
