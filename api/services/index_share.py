"""A large file's index work handed from the worker that imported it to the others (#21).

Once a 3,000-row file commits, every worker's next sync finds 3,000 demands its duplicate index lacks, and each
read, normalised and encoded them again (:mod:`.index_lock`: ~2 s of CPU per worker, 4 workers at once on 2 cores,
every submission of each worker waiting for its batch: submissions started just after the import took ~10 s). The
importing worker has those views and vectors already (its file check made them). Before it takes the campaign lock
it writes them to one file under the home (:meth:`SharedBatches.publish`, keyed by content hash, so ids that move
under the lock do not matter); a sync that finds :data:`.index_lock.BACKLOG` demands or more to add looks there
first (:meth:`SharedBatches.known`) and reads, normalises and encodes only what it does not find.

The file holds what indexing reads of a demand's view (normalised texts; phones and e-mails only as comparison keys,
as the database has them), its vector and shingles, as a few large arrays (one pickled object per demand took
~0.8 s to read back, in every worker, while its submissions waited). It sits in an upload folder (:func:`api.io.uploads.upload_folder`: readable by this
service's user only, removed at the next start if this process is killed), is removed :data:`KEEP_S` seconds after
it was written, and replaced by the next file this process publishes. A file that is gone, half-written or of
another campaign is ignored: the demands are worked out as before.
"""
from __future__ import annotations

import logging
import os
import pickle
import shutil
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from api.io.uploads import UPLOADS_DIR, upload_folder
from api.services.views import DemandView

log = logging.getLogger(__name__)

KEEP_S = 300.0  # how long a published batch stays (every worker syncs within seconds of the commit)
NAME = "index-batch-{campaign}.pkl"


@dataclass(frozen=True)
class Stored:
    """What indexing needs of a stored demand found in a shared batch (a stand-in for its row: id, hash, version)."""

    id: int
    content_hash: str
    row_version: int | None


class SharedBatches:
    """The batches of index work shared between the workers of one home (see the module docstring)."""

    def __init__(self, home: Path | None):
        self.home = Path(home) if home is not None else None
        self._lock = threading.Lock()
        self._mine: Path | None = None  # the folder of this process's latest batch
        self._read: dict[Path, tuple[float, dict[str, Any]]] = {}  # by file: its mtime, its batch (:func:`_unpacked`)

    def publish(self, campaign_id: int, digests: Sequence[str], views: Sequence[DemandView],
                vectors: np.ndarray, detector: Any = None) -> Path | None:
        """Write a batch (``digests[i]``: the content hash of the demand ``views[i]``/``vectors[i]`` will be
        stored with; ``detector``: shingles its texts as the index adds them); returns its file (None without a
        home, or when it could not be written: nothing is lost)."""
        if self.home is None or not len(digests):
            return None
        texts = [v.duplicate_text.text for v in views]
        shingled = detector.prepare(texts) if detector is not None else None
        batch = {"digests": list(digests), "vectors": np.asarray(vectors, np.float32),
                 "views": [replace(v, headers={}, sent={}) for v in views],  # what indexing reads, no cached texts
                 "k": getattr(detector, "k", None), "chars": [c for c, _ in shingled] if shingled else None,
                 "sizes": np.array([len(h) for _, h in shingled]) if shingled else None,
                 "shingles": np.concatenate([h for _, h in shingled]) if shingled else None}
        try:
            folder = upload_folder(self.home)
            path = folder / NAME.format(campaign=int(campaign_id))
            part = path.with_suffix(".part")
            with open(part, "wb") as handle:
                pickle.dump(batch, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(part, path)  # readers see a whole file or none
        except OSError as exc:
            log.warning("index batch not shared (%s): other workers encode the file's demands themselves",
                        type(exc).__name__)
            return None
        with self._lock:
            old, self._mine = self._mine, folder
            self._read[path] = (path.stat().st_mtime, _unpacked(batch))  # this process needs not read it back
        if old is not None:
            self._remove(old)
        timer = threading.Timer(KEEP_S, self._remove, args=(folder,))
        timer.daemon = True
        timer.start()
        return path

    def known(self, campaign_id: int, wanted: Mapping[int, tuple[str, int | None]]) -> dict[int, tuple[Stored, DemandView, np.ndarray]]:
        """Of the demands ``wanted`` (id → (content hash, row version)), those a shared batch of the campaign holds:
        id → (stand-in row, view, vector), as :meth:`api.services.duplicates.DuplicateService.sync` takes them."""
        out: dict[int, tuple[Stored, DemandView, np.ndarray]] = {}
        for batch in self._batches(campaign_id):
            for demand_id, (digest, version) in wanted.items():
                got = batch.get(digest)
                if got is not None and demand_id not in out:
                    out[demand_id] = (Stored(demand_id, digest, version), replace(got[0], id=demand_id), got[1])
        return out

    def prepare(self, detector: Any, texts: Sequence[str], campaign_id: int) -> list[Any]:
        """``detector.prepare(texts)``, taking a text's shingles from a shared batch of the campaign when it has
        them (worked out there with the same ``k``)."""
        ready = {v.duplicate_text.text: p for batch in self._batches(campaign_id) for v, _, (k, p) in batch.values()
                 if p is not None and k == detector.k}
        todo = [t for t in texts if t not in ready]
        made = dict(zip(todo, detector.prepare(todo))) if todo else {}
        return [ready[t] if t in ready else made[t] for t in texts]

    def _batches(self, campaign_id: int) -> list[dict[str, Any]]:
        """The campaign's batches under the home, each read once (while its file stays as it was)."""
        if self.home is None:
            return []
        out = []
        now = time.time()
        for path in (self.home / UPLOADS_DIR).glob("*/" + NAME.format(campaign=int(campaign_id))):
            try:
                mtime = path.stat().st_mtime
                if now - mtime > KEEP_S:
                    continue
                with self._lock:
                    seen = self._read.get(path)
                if seen is None or seen[0] != mtime:
                    with open(path, "rb") as handle:
                        seen = (mtime, _unpacked(pickle.load(handle)))
                    with self._lock:
                        self._read[path] = seen
                out.append(seen[1])
            except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
                continue  # removed or replaced meanwhile: worked out as before
        with self._lock:  # forget batches whose file went
            for path in [p for p in self._read if not p.exists()]:
                del self._read[path]
        return out

    def _remove(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        with self._lock:
            for path in [p for p in self._read if p.parent == folder]:
                del self._read[path]
            if self._mine == folder:
                self._mine = None


def _unpacked(batch: dict[str, Any]) -> dict[str, tuple[DemandView, np.ndarray, tuple[int | None, Any]]]:
    """A batch as written by :meth:`SharedBatches.publish` (a few large arrays: read in a few ms, where one object
    per demand took ~0.8 s) as content hash → (view, vector, (k, shingled))."""
    shingled: list[Any] = [None] * len(batch["digests"])
    if batch["chars"] is not None:
        ends = np.cumsum(batch["sizes"])
        shingled = [(c, batch["shingles"][e - n:e]) for c, n, e in zip(batch["chars"], batch["sizes"], ends)]
    return {d: (v, vec, (batch["k"], p)) for d, v, vec, p in zip(batch["digests"], batch["views"], batch["vectors"],
                                                                  shingled)}
