"""A whole file's duplicate check (:class:`matching.duplicate_batch.InOrderCheck`) run in a child process (#21).

Why a process: checking a 3,000-row file against 10,000 stored demands is seconds of pure-Python work (shingles and
scores, row by row; ~9 s alone on this machine, ~24 s under load). An import job runs in a thread of the server's
process, so that work shared the interpreter lock with the request handlers: every submission's own work slowed
down while a file was checked, and with it the submission holding the write gate, behind which the others queue
(SQLite, 1 worker, 12 clients, a 3,000-row import: submissions' p95 several seconds, 503s at the 10 s lock
timeout). Yielding the lock in the loop only shares the same core more politely; a child process has an
interpreter of its own and runs on another core, while the job thread waits on a pipe with the lock released.

The checker is pure (texts, vectors and signals in; candidates out; its copy of the detector taken under the
duplicate service's lock as before) and is pickled to the child once (~30 MB, ~0.05 s). The child never opens the
database: a child that dies, or a server killed meanwhile, fails the import before its locked step, so an import
stays all-or-nothing. A file of fewer than :data:`MIN_ROWS` rows is checked in the job's own thread (starting an
interpreter would cost more than its check).

The child is a plain ``python -c`` of this module (not ``multiprocessing``'s spawn, which would import the
server's ``__main__`` — the whole CLI and its models — into it); messages are pickles over its stdin/stdout.
"""
from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import threading
import traceback
from dataclasses import astuple
from pathlib import Path
from typing import Any, BinaryIO

from api.errors import JiebangError
from matching.duplicate_batch import InOrderCheck
from matching.duplicates import Candidate

log = logging.getLogger(__name__)

MIN_ROWS = 500  # files with fewer rows are checked in the job's thread


class CheckProcessFailed(JiebangError):
    """The child process checking a file for duplicates stopped or failed: nothing of the file was stored."""

    status_code = 500
    code = "check_process_failed"

    def __init__(self, why: str):
        super().__init__("文件查重的子进程意外停止，本文件未导入任何数据；请重新导入。",
                         "The process checking the file for duplicates stopped; nothing of the file was imported. "
                         "Import it again.", {"reason": why})


class CheckProcess:
    """An :class:`InOrderCheck` held by a child process, with the same :meth:`run` and :meth:`against_batch`;
    :meth:`close` ends the child (it also ends by itself when this process goes)."""

    def __init__(self, shipped: bytes, *, threads: int = 1):
        """``shipped``: the pickled :class:`InOrderCheck` (pickled by the caller while the detector it copies is
        held still); ``threads``: faiss threads in the child."""
        root = Path(__file__).resolve().parents[2]  # the checkout or site-packages this code runs from
        code = f"import sys; sys.path.insert(0, {str(root)!r}); from api.services.check_process import serve; serve()"
        self._proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      close_fds=True)
        self._lock = threading.Lock()
        self.pid = self._proc.pid
        self._call(("start", shipped, threads))

    def run(self, *, top: int = 10, min_verdict: str = "related") -> list[list[Candidate]]:
        return _candidates(self._call(("run", top, min_verdict)))

    def against_batch(self, text: str, vector: Any, signals: Any, *, top: int = 10,
                      min_verdict: str = "related") -> list[Candidate]:
        return _candidates([self._call(("against", text, vector, signals, top, min_verdict))])[0]

    def _call(self, message: tuple[Any, ...]) -> Any:
        with self._lock:
            try:
                pickle.dump(message, self._proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                self._proc.stdin.flush()
                status, payload = pickle.load(self._proc.stdout)
            except (OSError, EOFError, pickle.UnpicklingError) as exc:
                self.close()
                log.error("duplicate check process %d stopped (%s)", self.pid, type(exc).__name__)
                raise CheckProcessFailed(f"process stopped: {type(exc).__name__}") from exc
        if status != "ok":
            self.close()
            raise CheckProcessFailed(str(payload))
        return payload

    def close(self) -> None:
        if self._proc.poll() is None:
            try:
                self._proc.stdin.close()  # the child reads the end of its input and exits
                self._proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait()

    def __del__(self) -> None:
        proc = getattr(self, "_proc", None)
        if proc is not None and proc.poll() is None:
            proc.kill()


def _candidates(rows: list[list[tuple[Any, ...]]]) -> list[list[Candidate]]:
    return [[Candidate(*c) for c in row] for row in rows]


def _tuples(rows: list[list[Candidate]]) -> list[list[tuple[Any, ...]]]:
    """Candidates as plain tuples: unpickled in the server's process without a class call per candidate."""
    return [[astuple(c) for c in row] for row in rows]


def serve(stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
    """The child's loop: a checker, then its calls, until its input ends (the parent closed it or went away)."""
    out = stdout or os.fdopen(os.dup(1), "wb")
    if stdout is None:
        os.dup2(2, 1)  # anything a library prints goes to the log, never into the answers
    stream = stdin or sys.stdin.buffer
    checker: InOrderCheck | None = None
    while True:
        try:
            message = pickle.load(stream)
        except EOFError:
            return
        try:
            kind, args = message[0], message[1:]
            if kind == "start":
                checker, threads = pickle.loads(args[0]), args[1]
                import faiss

                faiss.omp_set_num_threads(max(1, int(threads)))
                answer: Any = None
            elif kind == "run":
                answer = _tuples(checker.run(top=args[0], min_verdict=args[1]))
            else:  # "against"
                text, vector, signals, top, min_verdict = args
                answer = _tuples([checker.against_batch(text, vector, signals, top=top, min_verdict=min_verdict)])[0]
            reply: tuple[str, Any] = ("ok", answer)
        except Exception as exc:  # the parent fails the import; the details (texts, maybe) go to the log only
            traceback.print_exc()
            reply = ("error", type(exc).__name__)
        pickle.dump(reply, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()
