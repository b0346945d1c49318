"""Fine-tune the distilled static rows (stage 4 of ``models/train_embedder.py``).

The model stays a pure ``StaticEmbedding`` (mean of token rows, then L2 norm); only the rows move.
A plain torch loop (faster on 2 CPU cores than the sentence-transformers trainer for a bag model),
each step summing, from the *train* splits only:

- **MNRL** (in-batch InfoNCE, scale 20, symmetric) on positive paraphrase pairs (afqmc, atec, stsb ≥ 4);
- **CoSENT** (scale 20) on all labelled pairs (afqmc, atec, stsb): orders cosines like the labels;
- **label heads** (cosine softmax, scale 20, thrown away after training) on csl_categories titles
  (13 categories, weight ``--w-label``) and csldcp abstracts (67 disciplines, ``--w-field``), which
  pull same-field texts together;
- an L2 pull of every row toward its distilled value (``--anchor``), so rare words keep the teacher's
  geometry and the model does not drift away from it;
- optionally **tokenlearn** (``--w-tokenlearn``): 1 − cos between a learned linear map (192 → 384, least
  squares initialised) of the mean-pooled text vector and the teacher's whole-text e5 ``passage:`` vector
  (centred) of train-split texts, so the bag of rows regresses onto the teacher's sentence space.
"""
from __future__ import annotations

import time
from argparse import Namespace

import numpy as np
import torch
import torch.nn.functional as F

from nlp.text import normalize


def _ids(tokenizer, texts: list[str]) -> list[list[int]]:
    return [e.ids for e in tokenizer.encode_batch([normalize(t) for t in texts], add_special_tokens=False)]


def _bag(ids: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    flat = torch.tensor([i for x in ids for i in (x or [0])], dtype=torch.long)
    offsets = torch.tensor(np.concatenate([[0], np.cumsum([max(len(x), 1) for x in ids])[:-1]]), dtype=torch.long)
    return flat, offsets


class _Batches:
    """Endless shuffled mini-batches over a list of examples."""

    def __init__(self, items: list, size: int, rng: np.random.Generator):
        self.items, self.size, self.rng = items, size, rng
        self.order, self.pos = rng.permutation(len(items)), 0

    def next(self) -> list:
        if self.pos + self.size > len(self.items):
            self.order, self.pos = self.rng.permutation(len(self.items)), 0
        out = [self.items[i] for i in self.order[self.pos:self.pos + self.size]]
        self.pos += self.size
        return out


def tune(tokenizer, weights: np.ndarray, texts: dict[str, list], args: Namespace,
         labelled: dict[str, tuple[list[str], list[str]]] | None = None, evaluate=None,
         teacher: tuple[list[str], np.ndarray] | None = None) -> np.ndarray:
    """Return fine-tuned rows (same shape as ``weights``)."""
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    started = time.time()
    pairs = texts["pairs"] + [(a, b, 1.0 if y >= 0.8 else (0.0 if y <= 0.4 else y)) for a, b, y in texts["sts"]]
    pos = [(a, b) for a, b, y in pairs if y >= 0.8]
    graded = texts["pairs"] + texts["sts"]
    # tokenise everything once
    uniq = sorted({t for a, b, _ in graded for t in (a, b)} | {t for a, b in pos for t in (a, b)})
    tid = dict(zip(uniq, _ids(tokenizer, uniq)))
    pos_b = _Batches([(tid[a], tid[b]) for a, b in pos], args.batch, rng)
    cos_b = _Batches([(tid[a], tid[b], y) for a, b, y in graded], args.batch, rng)
    heads: dict[str, tuple[_Batches, torch.nn.Parameter]] = {}
    for name, (xs, ys) in (labelled or {}).items():
        classes = sorted(set(ys))
        cid = {c: i for i, c in enumerate(classes)}
        items = list(zip(_ids(tokenizer, xs), (cid[y] for y in ys)))
        heads[name] = (_Batches(items, min(args.batch, len(items)), rng),
                       torch.nn.Parameter(torch.randn(len(classes), weights.shape[1]) * 0.1))
    print(f"tune: {len(pos)} positive pairs, {len(graded)} graded pairs, heads "
          f"{ {k: len(v[0].items) for k, v in heads.items()} } ({time.time() - started:.0f}s)", flush=True)

    init = torch.tensor(weights, dtype=torch.float32)
    emb = torch.nn.EmbeddingBag.from_pretrained(init.clone(), freeze=False, mode="mean")
    params = [emb.weight] + [h for _, h in heads.values()]
    w_tl = float(getattr(args, "w_tokenlearn", 0.0))
    if teacher is not None and w_tl > 0:
        t_texts, t_vecs = teacher
        t_ids = _ids(tokenizer, t_texts)
        target = t_vecs.astype(np.float64) - t_vecs.mean(axis=0)
        target /= np.maximum(np.linalg.norm(target, axis=1, keepdims=True), 1e-12)
        with torch.no_grad():
            pooled = F.normalize(emb(*_bag(t_ids)), dim=-1).numpy().astype(np.float64)
        proj0, *_ = np.linalg.lstsq(pooled, target, rcond=None)
        proj = torch.nn.Parameter(torch.tensor(proj0, dtype=torch.float32))
        params.append(proj)
        tl_b = _Batches(list(zip(t_ids, torch.tensor(target, dtype=torch.float32))), args.batch, rng)
        cos0 = np.mean(np.sum((pooled @ proj0) * target, 1) / np.maximum(np.linalg.norm(pooled @ proj0, axis=1), 1e-12))
        print(f"tokenlearn: {len(t_ids)} teacher texts, initial mean cos {cos0:.3f}", flush=True)
    opt = torch.optim.Adam(params, lr=args.lr)

    def encode(ids: list[list[int]]) -> torch.Tensor:
        return F.normalize(emb(*_bag(ids)), dim=-1)

    scale = 20.0
    best = weights
    for epoch in range(args.epochs):
        for step in range(args.steps):
            loss = torch.zeros(())
            a_ids, b_ids = zip(*pos_b.next())
            a, b = encode(list(a_ids)), encode(list(b_ids))
            sim = a @ b.T * scale
            target = torch.arange(len(a))
            loss = loss + args.w_mnrl * 0.5 * (F.cross_entropy(sim, target) + F.cross_entropy(sim.T, target))
            batch = cos_b.next()
            ca, cb = encode([x[0] for x in batch]), encode([x[1] for x in batch])
            y = torch.tensor([x[2] for x in batch])
            cos = (ca * cb).sum(-1) * scale
            diff = cos[None, :] - cos[:, None]  # diff[i, j] = cos_j - cos_i, penalised when y_i > y_j
            diff = diff[(y[:, None] > y[None, :])]
            loss = loss + args.w_cosent * torch.logsumexp(torch.cat([torch.zeros(1), diff]), 0)
            for name, (hb, head) in heads.items():
                batch = hb.next()
                x = encode([t for t, _ in batch])
                logits = x @ F.normalize(head, dim=-1).T * scale
                w = args.w_field if name == "csldcp" else args.w_label
                loss = loss + w * F.cross_entropy(logits, torch.tensor([c for _, c in batch]))
            if teacher is not None and w_tl > 0:
                batch = tl_b.next()
                x = encode([t for t, _ in batch]) @ proj
                tl = 1.0 - F.cosine_similarity(x, torch.stack([v for _, v in batch]), dim=-1).mean()
                loss = loss + w_tl * tl
            loss = loss + args.anchor * ((emb.weight - init) ** 2).sum(-1).mean()
            opt.zero_grad()
            loss.backward()
            with torch.no_grad():
                emb.weight.grad[0] = 0.0  # [UNK] stays zero
            opt.step()
            if step % 100 == 0:
                extra = f" tokenlearn {tl.item():.3f}" if teacher is not None and w_tl > 0 else ""
                print(f"  epoch {epoch} step {step} loss {loss.item():.3f}{extra} ({time.time() - started:.0f}s)",
                      flush=True)
        best = emb.weight.detach().numpy().copy()
        if evaluate is not None:
            print(f"epoch {epoch}: {evaluate(best)} ({time.time() - started:.0f}s)", flush=True)
    return best.astype(np.float32)
