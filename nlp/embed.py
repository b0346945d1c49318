"""Dense sentence embeddings: one :class:`Embedder` over a sentence-transformers model directory.

Any sentence-transformers model directory works (``JIEBANG_EMBED_MODEL``). A *static* model
(``StaticEmbedding`` [+ ``Normalize``], like the shipped ``models/jiebang-static-zh``) is read
directly from the same files with ``tokenizers`` + ``safetensors`` + numpy, which gives the same
vectors as ``SentenceTransformer(path)`` without its ~4 s import, so the CLI's first embedding is
fast. Query/passage prompts come from the model's own ``config_sentence_transformers.json``.
Texts are normalised (:func:`nlp.text.normalize`) before encoding unless the caller says they
already are (the demand view normalises once). No vectors are cached: the static model encodes
thousands of texts a second, and the service keeps its index in memory.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import scipy.sparse as sp

from models import DEFAULT_EMBED_MODEL as DEFAULT_MODEL_DIR
from nlp.text import normalize
Kind = Literal["passage", "query"]
_STATIC_TYPES = {"StaticEmbedding"}
_NORMALIZE_TYPES = {"Normalize"}
PROGRESS_MIN = 2000  # show a progress bar from this many texts to embed (when show_progress is None)


class EmbedModelError(RuntimeError):
    """The model directory is missing or is not a sentence-transformers model."""


def _module_types(model_dir: Path) -> list[tuple[str, Path]]:
    spec = model_dir / "modules.json"
    if not spec.exists():
        return []
    modules = json.loads(spec.read_text(encoding="utf-8"))
    return [(m["type"].rsplit(".", 1)[-1], model_dir / m.get("path", "")) for m in modules]


def l2_rows(x: np.ndarray) -> np.ndarray:
    """Each row of ``x`` divided by its L2 norm (a row whose norm is under 10·eps is left as it is): what
    scikit-learn's ``normalize`` computes for a dense array, in the same operations, without its per-call argument
    checks — ~1 ms a call, and a submission's text is encoded once by each worker's index (#21)."""
    norms = np.sqrt(np.einsum("ij,ij->i", x, x))
    norms[norms < 10 * np.finfo(norms.dtype).eps] = 1.0
    return x / norms[:, None]


class _StaticBackend:
    """Mean of token rows, as ``StaticEmbedding`` computes it, in numpy."""

    def __init__(self, module_dir: Path):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(module_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        weights = load_file(str(module_dir / "model.safetensors"))
        self.weights = np.ascontiguousarray(weights["embedding.weight"], dtype=np.float32)
        self.dim = int(self.weights.shape[1])

    def encode(self, texts: list[str]) -> np.ndarray:
        # the ids without offsets when this tokenizers has it (0.21+): the same ids at about half the time
        batch = getattr(self.tokenizer, "encode_batch_fast", self.tokenizer.encode_batch)
        encodings = batch(texts, add_special_tokens=False)
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(encodings))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        nonempty = np.flatnonzero(lengths)
        if nonempty.size:
            flat = np.fromiter((i for e in encodings for i in e.ids), dtype=np.int64, count=int(lengths.sum()))
            # token counts × token rows: memory texts × dim (gathering every token's row first took tokens × dim,
            # 300 MB for a batch of 512 abstracts)
            rows = np.repeat(np.arange(nonempty.size), lengths[nonempty])
            counts = sp.csr_matrix((np.ones(flat.size, dtype=np.float32), (rows, flat)),
                                   shape=(nonempty.size, self.weights.shape[0]))
            out[nonempty] = (counts @ self.weights) / lengths[nonempty, None]
        return out


class _SentenceTransformerBackend:
    """Any other model directory, through ``SentenceTransformer`` (CPU)."""

    def __init__(self, model_dir: Path):
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(get_dim())

    def encode(self, texts: list[str]) -> np.ndarray:
        # prompts are already prepended by Embedder, so none is passed here
        return self.model.encode(texts, batch_size=64, convert_to_numpy=True, show_progress_bar=False,
                                 normalize_embeddings=False).astype(np.float32)


class Embedder:
    """Encode texts to L2-normalised float32 vectors with a sentence-transformers model directory.

    ``encode(texts, kind="passage"|"query")`` applies the model's own prompt for that kind (if it
    defines one), batches and shows a progress bar for long inputs.
    """

    def __init__(self, model_path: str | Path | None = None, batch_size: int = 512, *,
                 force_sentence_transformers: bool = False):
        self.model_path = Path(model_path) if model_path else DEFAULT_MODEL_DIR
        if not (self.model_path / "modules.json").exists() and not (self.model_path / "config.json").exists():
            raise EmbedModelError(f"嵌入模型目录无效 / not a sentence-transformers model directory: {self.model_path}")
        self.batch_size = batch_size
        self.prompts = self._read_prompts()
        modules = _module_types(self.model_path)
        types = [t for t, _ in modules]
        static = (not force_sentence_transformers and modules and types[0] in _STATIC_TYPES
                  and all(t in _NORMALIZE_TYPES for t in types[1:]))
        self._backend = _StaticBackend(modules[0][1]) if static else _SentenceTransformerBackend(self.model_path)
        self.backend_name = "static-numpy" if static else "sentence-transformers"
        self.dim: int = self._backend.dim
        self.model_id: str = self._make_model_id()

    def _read_prompts(self) -> dict[str, str]:
        cfg = self.model_path / "config_sentence_transformers.json"
        if not cfg.exists():
            return {}
        prompts = json.loads(cfg.read_text(encoding="utf-8")).get("prompts") or {}
        return {str(k): str(v) for k, v in prompts.items()}

    def _make_model_id(self) -> str:
        """Directory name + a digest of the weights and tokenizer (calibrations record which model they fit)."""
        digest = hashlib.sha1()
        for p in sorted(self.model_path.rglob("*")):
            if p.is_file() and p.suffix in {".safetensors", ".bin", ".json", ".txt", ".model"} and p.name != "README.md":
                digest.update(p.relative_to(self.model_path).as_posix().encode())
                digest.update(p.read_bytes())
        return f"{self.model_path.name}-{digest.hexdigest()[:10]}"

    def prompt(self, kind: Kind) -> str:
        """The text the model prepends for ``kind`` (E5: ``"query: "`` / ``"passage: "``; static: ``""``)."""
        if kind not in ("passage", "query"):
            raise ValueError(f"kind must be 'passage' or 'query', not {kind!r}")
        return self.prompts.get(kind, self.prompts.get("document", "") if kind == "passage" else "")

    def encode(self, texts: Sequence[str], *, kind: Kind = "passage", show_progress: bool | None = None,
               normalized: bool = False) -> np.ndarray:
        """``(len(texts), dim)`` float32, each row L2-normalised (all-zero for a text with no known token).

        ``normalized``: the texts already went through :func:`nlp.text.normalize` (skip it here)."""
        prompt = self.prompt(kind)
        texts = [prompt + (t if normalized else normalize(t)) for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        show = len(texts) >= PROGRESS_MIN if show_progress is None else show_progress
        bar = None
        if show and texts:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(texts), desc="embedding 嵌入", unit="text")
        for i in range(0, len(texts), self.batch_size):
            chunk = texts[i:i + self.batch_size]
            out[i:i + len(chunk)] = l2_rows(np.asarray(self._backend.encode(chunk), dtype=np.float32))
            if bar is not None:
                bar.update(len(chunk))
        if bar is not None:
            bar.close()
        return out
