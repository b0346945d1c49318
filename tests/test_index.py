"""VectorIndex: add/upsert/remove/search, save/load roundtrip, automatic switch to IVF."""
from __future__ import annotations

import numpy as np
import pytest

from matching.index import VectorIndex, VectorIndexError


def _unit(n: int, dim: int, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_add_search_remove_upsert() -> None:
    v = _unit(50, 16)
    ix = VectorIndex(16)
    ix.add(np.arange(100, 150), v)
    assert len(ix) == 50 and ix.is_exact
    scores, ids = ix.search(v[:3], 5)
    assert ids[:, 0].tolist() == [100, 101, 102]
    assert np.allclose(scores[:, 0], 1.0, atol=1e-5)
    assert (np.diff(scores, axis=1) <= 1e-6).all()  # best first
    assert ix.remove([100, 101, 999]) == 2
    assert len(ix) == 48
    _, ids = ix.search(v[:1], 48)
    assert 100 not in ids
    ix.add([102], v[10])  # upsert: id 102 now holds v[10]
    assert len(ix) == 48
    _, ids = ix.search(v[10:11], 2)
    assert set(ids[0].tolist()) == {102, 110}
    assert sorted(ix.ids().tolist()) == list(range(102, 150))


def test_k_capped_and_empty() -> None:
    ix = VectorIndex(8)
    scores, ids = ix.search(_unit(2, 8), 5)
    assert ids.shape == (2, 0)
    ix.add([1, 2], _unit(2, 8))
    assert ix.search(_unit(1, 8), 10)[1].shape == (1, 2)


def test_wrong_dimension() -> None:
    ix = VectorIndex(8)
    with pytest.raises(VectorIndexError):
        ix.add([1], _unit(1, 9))
    with pytest.raises(VectorIndexError):
        ix.add([1, 2], _unit(1, 8))


def test_save_load_roundtrip(tmp_path) -> None:
    v = _unit(30, 12, seed=1)
    ix = VectorIndex.from_arrays(np.arange(30) * 7, v)
    ix.save(tmp_path / "sub" / "vec.faiss")
    back = VectorIndex.load(tmp_path / "sub" / "vec.faiss")
    assert len(back) == 30 and back.dim == 12
    s1, i1 = ix.search(v[:4], 3)
    s2, i2 = back.search(v[:4], 3)
    assert (i1 == i2).all() and np.allclose(s1, s2)
    ids, vecs = back.vectors()
    order = np.argsort(ids)
    assert np.allclose(vecs[order], v)


def test_switches_to_approximate_above_limit(tmp_path) -> None:
    v = _unit(2000, 16, seed=2)
    ix = VectorIndex(16, exact_limit=1000)
    ix.add(np.arange(1000), v[:1000])
    assert ix.is_exact
    ix.add(np.arange(1000, 2000), v[1000:])
    assert not ix.is_exact and len(ix) == 2000
    _, ids = ix.search(v[:200], 1)
    assert (ids[:, 0] == np.arange(200)).mean() > 0.95
    assert ix.remove(np.arange(10)) == 10 and len(ix) == 1990
    ix.save(tmp_path / "ivf.faiss")
    back = VectorIndex.load(tmp_path / "ivf.faiss")
    assert not back.is_exact and len(back) == 1990
    assert back.search(v[500:501], 1)[1][0, 0] == 500


def test_a_search_uses_the_index_thread_count_in_whichever_thread_calls_it() -> None:
    """libgomp keeps faiss's OpenMP thread count per thread, so one set at start in the main thread did not
    reach a server's request threads (#21: a one-query search of 10,000 vectors spun ~32 ms instead of
    ~0.3 ms on a busy 2-core machine); the index sets its own count in the thread that searches."""
    import threading

    import faiss

    from matching.duplicates import DuplicateDetector

    v = _unit(20, 8)
    seen: dict[str, int] = {}

    def search() -> None:
        seen["default"] = faiss.omp_get_max_threads()  # a fresh thread's count (one per core by default)
        ix = VectorIndex(8, threads=seen["default"] + 1)  # any count other than the thread's own
        ix.add(np.arange(20), v)
        ix.search(v[:1], 3)
        seen["searching"] = faiss.omp_get_max_threads()

    worker = threading.Thread(target=search)
    worker.start()
    worker.join()
    assert seen["searching"] == seen["default"] + 1
    detector = DuplicateDetector(threads=1).fit(list(range(20)), [f"第{i}号需求的描述文本" for i in range(20)], v)
    assert detector.dense_.threads == 1  # the detector hands its count to its dense index
