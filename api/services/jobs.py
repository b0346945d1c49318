"""Background jobs (后台任务): long work runs in a small thread pool, its state lives in the ``jobs`` table.

A request hands :meth:`Jobs.submit` a *work* function and gets the job id back at once; the work
runs in one of a few worker threads with its own database session and reports progress as
``(stage, done, total)``; the result (or a bilingual error body) is stored when it ends. Every
worker process sees the same rows; :meth:`Jobs.recover` at start fails what a gone process left queued or running.

Live progress is kept in memory and written to the row when a stage changes (and at most every few
seconds): on SQLite the work itself may hold the only write lock for minutes (one import is one
transaction), so :meth:`Jobs.get` overlays the live figures of this process's jobs on the row; the last
live figures are written with the final state (a failed job keeps how far it got).

A watchdog thread per process beats its running jobs' ``heartbeat_at`` (PostgreSQL) and fails the jobs of
processes that are gone (this host: by pid; another: heartbeat older than :data:`HEARTBEAT_STALE`); a state
change that cannot be written is retried with exponential backoff (:data:`WRITE_BACKOFF_S`).

Job kinds (:data:`KINDS`); the work of each kind is built by :mod:`api.services.job_work`.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from api.errors import JiebangError, NotFound
from api.io.uploads import process_alive
from api.services.access import Principal
from api.store import tables as db
from api.store.faults import classify

log = logging.getLogger(__name__)

#: ``progress(stage, done, total)``; ``total`` 0 means "not known yet".
Progress = Callable[[str, int, int], None]
#: What a job runs: its own session and a progress callback in, a JSON-ready result out.
Work = Callable[[Session, Progress], dict[str, Any]]


@dataclass(frozen=True)
class JobKind:
    """A kind of background job: its Chinese label and the permission (:data:`api.services.access.PERMISSIONS`)
    a caller needs to start it or read it (a caller always reads the jobs it started)."""

    label_zh: str
    action: str


KINDS: dict[str, JobKind] = {
    "import": JobKind("导入文件", "submit"),  # the file's kind may need more: see api.http.routers.imports.IMPORT_ACTION
    "dedup": JobKind("批量查重", "run_round"),
    "condense": JobKind("梳理凝练", "run_round"),
    "panels": JobKind("分配专家组", "manage_experts"),
    "domains": JobKind("技术领域标注", "run_round"),
}
STAGE_ZH = {"queued": "排队中", "start": "开始", "read": "读取文件", "import": "逐行入库", "embed": "计算向量",
            "cluster": "聚类", "keywords": "提取关键词", "clusters": "生成类画像", "dedup": "比对查重",
            "solve": "求解分配", "label": "标注领域", "done": "完成"}
STATUS_ZH = {"queued": "排队中", "running": "运行中", "done": "已完成", "failed": "失败"}
WRITE_EVERY_SECONDS = 3.0
RUN_KEY = "_run"  # in a claimable job's params: what rebuilds its work (never shown)
HEARTBEAT_EVERY_S = 10.0  # the watchdog's beat: heartbeats written, dead processes' jobs failed
HEARTBEAT_STALE = timedelta(minutes=2)  # a job of another host whose heartbeat is older is taken as lost
STALE_AFTER = timedelta(hours=24)  # … or, without any heartbeat (SQLite never beats), once this old
WRITE_BACKOFF_S = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)  # waits between tries of a job's state change (~32 s)


class Jobs:
    """The process's job runner: a pool of ``workers`` threads over the database of ``sessions``
    (default: one on SQLite, whose single write lock a second long job would only wait for; two otherwise)."""

    def __init__(self, sessions: sessionmaker[Session], workers: int | None = None, progress_dir: Path | None = None,
                 builders: Mapping[str, Callable[[dict[str, Any]], Work]] | None = None):
        self.sessions = sessions
        with sessions() as session:
            sqlite = session.get_bind().dialect.name == "sqlite"
        if workers is None:
            workers = 1 if sqlite else 2
        # SQLite: the work's own transaction may hold the only write lock for minutes, so its progress is also
        # kept in a small file per job there, which recover() reads for a job whose process is gone.
        self.progress_dir = progress_dir if sqlite else None
        # PostgreSQL: a job whose work can be rebuilt from what is stored (``builders``: kind → spec → work) is
        # queued for any worker to claim (SELECT … FOR UPDATE SKIP LOCKED); SQLite keeps the in-process pool.
        self.builders = {} if sqlite else dict(builders or {})
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="jiebang-job")
        self.owner = f"{socket.gethostname()}:{os.getpid()}"
        self._live: dict[int, tuple[str, int, int]] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._watchdog = threading.Thread(target=self._watch, name="jiebang-job-watchdog", daemon=True)
        self._watchdog.start()

    def submit(self, session: Session, kind: str, params: dict[str, Any], actor: str, work: Work,
               *, cleanup: Sequence[Path] = (), spec: dict[str, Any] | None = None) -> int:
        """Store a ``queued`` job and start ``work`` in the pool; returns the job id at once.

        ``cleanup``: files or folders the job owns (an uploaded file), removed when it ends. ``spec``: what
        rebuilds ``work`` in any worker (JSON; see ``builders``): the job is then claimed from the database."""
        if kind not in KINDS:
            raise NotFound(f"未知的任务类型：{kind}", f"unknown job kind: {kind}", {"kinds": list(KINDS)})
        if spec is not None and kind in self.builders:
            run = {"spec": spec, "cleanup": [str(p) for p in cleanup]}
            row = db.Job(kind=kind, status="queued", stage="queued", params={**params, RUN_KEY: run}, actor=actor)
            session.add(row)
            session.commit()
            self._pool.submit(self.claim)
            log.info("job %d (%s) queued by %s for any worker", row.id, kind, actor)
            return row.id
        row = db.Job(kind=kind, status="queued", stage="queued", params=params, actor=actor, owner=self.owner)
        session.add(row)
        session.commit()
        job_id = row.id
        with self._lock:
            self._live[job_id] = ("queued", 0, 0)
        self._pool.submit(self._run, job_id, work, tuple(cleanup))
        log.info("job %d (%s) queued by %s", job_id, kind, actor)
        return job_id

    def get(self, session: Session, job_id: int) -> dict[str, Any]:
        """The job as the API shows it (live progress of this process's jobs overlaid), or NotFound."""
        row = session.get(db.Job, job_id)
        if row is None:
            raise NotFound(f"任务 {job_id} 不存在。", f"Job {job_id} does not exist.", {"id": job_id})
        session.refresh(row)
        return job_out(row, self._live.get(job_id))

    def recover(self, session: Session) -> int:
        """Mark as failed the jobs left queued or running by a process that is gone (call once at start).

        A job of another live worker process on this host is left alone (several uvicorn workers share the
        database); one owned by another host is failed only once it is older than ``STALE_AFTER``."""
        rows = [row for row in session.scalars(select(db.Job).where(db.Job.status.in_(("queued", "running"))))
                if row.id not in self._live and not self._owner_alive(row)
                and not (row.status == "queued" and row.owner is None)]  # waiting to be claimed by any worker
        for row in rows:
            row.stage, row.done, row.total = self._kept_progress(row)
            row.status, row.finished_at = "failed", db.utcnow()
            row.error = {"code": "job_interrupted",
                         "message_zh": "服务在任务完成前重启或停止，任务未完成；请重新提交。",
                         "message_en": "The service restarted or stopped before the job finished; submit it again.",
                         "details": {"stage": row.stage, "done": row.done, "total": row.total}}
        session.commit()
        if rows:
            log.warning("%d job(s) left unfinished by a previous process marked failed", len(rows))
        return len(rows)

    def _keep_progress(self, job_id: int, stage: str | None, done: int = 0, total: int = 0) -> None:
        """Write (``stage`` None: remove) the progress file of a job (SQLite only, see ``progress_dir``)."""
        if self.progress_dir is None:
            return
        path = self.progress_dir / f"job-{job_id}.json"
        try:
            if stage is None:
                path.unlink(missing_ok=True)
                return
            self.progress_dir.mkdir(parents=True, exist_ok=True)
            path.with_suffix(".tmp").write_text(json.dumps([stage, done, total]), encoding="utf-8")
            path.with_suffix(".tmp").replace(path)  # atomic: a kill -9 leaves the old file or the new one
        except OSError:
            log.debug("progress file of job %d not written", job_id, exc_info=True)

    def _kept_progress(self, row: db.Job) -> tuple[str | None, int, int]:
        """How far a job got: its row, or its progress file when that is further (and then the file goes)."""
        stage, done, total = None, 0, 0
        if self.progress_dir is not None:
            path = self.progress_dir / f"job-{row.id}.json"
            try:
                stage, done, total = json.loads(path.read_text(encoding="utf-8"))
                path.unlink(missing_ok=True)
            except (OSError, ValueError):
                stage = None
        if stage is None or (row.done or 0) > done:
            return row.stage, row.done, row.total
        return stage, int(done), int(total)

    def _owner_alive(self, row: db.Job) -> bool:
        host, _, pid = (row.owner or "").rpartition(":")
        if host and host != socket.gethostname():
            if row.heartbeat_at is not None:
                return db.utcnow() - row.heartbeat_at < HEARTBEAT_STALE
            return db.utcnow() - (db.as_utc(row.created_at) or db.utcnow()) < STALE_AFTER
        if not pid.isdigit() or int(pid) == os.getpid():
            return False  # an older process of ours whose pid we reuse, or a job written without an owner
        return process_alive(int(pid))

    def _watch(self) -> None:
        """The watchdog: beat this process's jobs' heartbeat, fail the jobs of processes that are gone."""
        while not self._stopping.wait(HEARTBEAT_EVERY_S):
            try:
                self.beat()
            except Exception:  # the database may be down for a while: try again at the next beat
                log.warning("job watchdog: database not reachable, retrying at the next beat")

    def beat(self) -> None:
        """One watchdog beat (also called by tests and at start)."""
        with self.sessions() as session:
            if session.get_bind().dialect.name != "sqlite":  # SQLite: one host, pids say who is alive
                with self._lock:
                    mine = list(self._live)
                if mine:
                    for row in session.scalars(select(db.Job).where(db.Job.id.in_(mine))):
                        row.heartbeat_at = db.utcnow()
                    session.commit()
            self.recover(session)
            waiting = session.scalar(select(db.Job.id).where(db.Job.status == "queued", db.Job.owner.is_(None),
                                                             db.Job.kind.in_(list(self.builders))).limit(1))
        if waiting is not None and not self._stopping.is_set():
            self._pool.submit(self.claim)  # queued by a worker that could not run it (busy, stopped, gone)

    def claim(self) -> int | None:
        """Take the oldest queued job any worker stored and run it here; returns its id (None: nothing to do).
        ``FOR UPDATE SKIP LOCKED``: two workers claiming at once never take the same job, nor wait for each other."""
        if not self.builders or self._stopping.is_set():
            return None
        with self.sessions() as session:
            row = session.scalars(select(db.Job).where(db.Job.status == "queued", db.Job.owner.is_(None),
                                                       db.Job.kind.in_(list(self.builders)))
                                  .order_by(db.Job.id).limit(1).with_for_update(skip_locked=True)).first()
            if row is None:
                return None
            run = dict((row.params or {}).get(RUN_KEY) or {})
            row.status, row.owner, row.heartbeat_at = "running", self.owner, db.utcnow()
            session.commit()
            job_id, kind = row.id, row.kind
        with self._lock:
            self._live[job_id] = ("start", 0, 0)
        cleanup = tuple(Path(p) for p in run.get("cleanup", []))
        try:
            work = self.builders[kind](dict(run.get("spec") or {}))
        except Exception as exc:
            with self._lock:
                self._live.pop(job_id, None)
            self._write(job_id, status="failed", error=error_body(exc), finished_at=db.utcnow())
            return job_id
        self._run(job_id, work, cleanup)
        return job_id

    def wait(self, job_id: int, timeout: float = 60.0) -> None:
        """Block until the job is no longer queued or running here (tests, the CLI)."""
        deadline = time.monotonic() + timeout
        while job_id in self._live and time.monotonic() < deadline:
            time.sleep(0.05)

    def shutdown(self) -> None:
        """Server stop: a running job stops at its next progress report (its transaction rolls back, nothing
        half-done is stored), queued ones never start; each is marked failed with ``job_interrupted``, so
        stopping the server does not wait minutes for a long import and no job is left reading "running"."""
        self._stopping.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
        with self.sessions() as session:
            rows = list(session.scalars(select(db.Job).where(db.Job.owner == self.owner,
                                                             db.Job.status.in_(("queued", "running")))))
            for row in rows:
                row.status, row.finished_at, row.error = "failed", db.utcnow(), JobInterrupted().to_body()
            session.commit()

    # ------------------------------------------------------------------ worker side
    def _run(self, job_id: int, work: Work, cleanup: tuple[Path, ...]) -> None:
        last = {"stage": "", "at": 0.0}

        def progress(stage: str, done: int, total: int) -> None:
            if self._stopping.is_set():
                raise JobInterrupted({"stage": stage, "done": int(done), "total": int(total)})
            with self._lock:
                self._live[job_id] = (stage, int(done), int(total))
            now = time.monotonic()
            if stage != last["stage"] or now - last["at"] >= WRITE_EVERY_SECONDS:
                last["stage"], last["at"] = stage, now
                self._write(job_id, stage=stage, done=int(done), total=int(total), wait=False)
                self._keep_progress(job_id, stage, int(done), int(total))

        try:
            self._write(job_id, status="running", stage="start", started_at=db.utcnow(), heartbeat_at=db.utcnow(),
                        attempts=1)
            with self.sessions() as session:
                result = work(session, progress)
            _, done, total = self._live.get(job_id, ("done", 0, 0))
            self._write(job_id, status="done", stage="done", done=total or done, total=total,
                        result=_jsonable(result), finished_at=db.utcnow())
            log.info("job %d done", job_id)
        except Exception as exc:  # the job fails, the worker thread lives on
            if not isinstance(exc, JiebangError):
                log.exception("job %d failed", job_id)
            stage, done, total = self._live.get(job_id, ("", 0, 0))
            kept = {"stage": stage, "done": done, "total": total} if stage else {}
            try:
                self._write(job_id, status="failed", error=error_body(exc), finished_at=db.utcnow(), **kept)
            except Exception:
                log.exception("job %d: its failure could not be stored; the watchdog marks it failed", job_id)
        finally:
            with self._lock:
                self._live.pop(job_id, None)
            self._keep_progress(job_id, None)
            for path in cleanup:
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)

    def _write(self, job_id: int, *, wait: bool = True, **values: Any) -> None:
        """Update the job row in a session of its own. A state change is retried with backoff (another writer
        may hold the lock, the database may be restarting); a progress write is skipped on SQLite (the work
        itself may hold its only write lock) and never retried."""
        waits = WRITE_BACKOFF_S if wait else ()
        for attempt in range(len(waits) + 1):
            if attempt:
                time.sleep(waits[attempt - 1])
            try:
                with self.sessions() as session:
                    if not wait and session.get_bind().dialect.name == "sqlite":
                        return
                    row = session.get(db.Job, job_id)
                    if row is None:
                        return
                    for key, value in values.items():
                        setattr(row, key, value)
                    session.commit()
                    return
            except OperationalError:
                if not wait or attempt == len(waits):
                    if wait:
                        raise
                    return
                log.warning("job %d: state not written (database busy or down), retry in %.2f s", job_id,
                            waits[attempt])
            except Exception:
                if wait:
                    raise
                log.debug("progress of job %d not written", job_id, exc_info=True)
                return


class JobInterrupted(JiebangError):
    """The server stopped while the job ran or waited: nothing of it was stored; submit it again."""

    status_code = 503
    code = "job_interrupted"

    def __init__(self, details: Any = None):
        super().__init__("服务停止时任务尚未完成，已中断，未保存任何结果；请重新提交。",
                         "The service stopped before the job finished; it was interrupted and nothing of it was "
                         "stored. Submit it again.", details)


def error_body(exc: BaseException) -> dict[str, Any]:
    """The bilingual error body of a failed job (an application error as the API would show it). A storage
    fault keeps its code; anything else says which kind of error it was and nothing of its text (an SQL
    statement, its parameters or a path would otherwise reach the caller): the log has the details."""
    if isinstance(exc, JiebangError):
        return exc.to_body()
    fault = classify(exc)
    if fault is not None:
        return fault.to_body()
    return {"code": "job_failed", "message_zh": f"后台任务出错（{type(exc).__name__}），请查看服务日志或联系管理员。",
            "message_en": f"The job failed ({type(exc).__name__}); see the service log or contact the administrator.",
            "details": None}


def job_out(row: db.Job, live: tuple[str, int, int] | None = None) -> dict[str, Any]:
    """A job row as JSON (live progress overlaid while it runs in this process)."""
    stage, done, total = live if live and row.status in ("queued", "running") else (row.stage, row.done, row.total)
    stamp = (lambda t: db.as_utc(t).isoformat() if t else None)
    return {"id": row.id, "kind": row.kind, "kind_zh": KINDS.get(row.kind, JobKind(row.kind, "")).label_zh,
            "status": row.status, "status_zh": STATUS_ZH.get(row.status, row.status), "stage": stage,
            "stage_zh": STAGE_ZH.get(stage, stage), "done": done, "total": total,
            "params": {k: v for k, v in (row.params or {}).items() if k != RUN_KEY}, "result": row.result, "error": row.error, "actor": row.actor,
            "created_at": stamp(row.created_at), "started_at": stamp(row.started_at),
            "finished_at": stamp(row.finished_at)}


def _jsonable(value: Any) -> Any:
    """``value`` with dates and numpy scalars turned into JSON types (results are stored as JSON)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def may_read(job: dict[str, Any], who: Principal) -> bool:
    """May ``who`` read a job: the one who started it, or a role (not a city bureau) that may start its kind."""
    if job.get("actor") == who.actor:
        return True
    kind = KINDS.get(job.get("kind", ""))
    return who.role not in (None, "bureau") and kind is not None and who.may(kind.action)
