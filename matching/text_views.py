"""The views a domain classifier reads of some texts (文本视图): jieba-word and character n-gram TF-IDF
blocks, their hybrid, and the dense encoder's rows — computed once per batch (jieba runs once)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize as l2_rows

from nlp.lexical import LexicalVectorizer

Encoder = Callable[[list[str]], np.ndarray]


@dataclass
class TextViews:
    """The views of some texts: jieba-word and char n-gram TF-IDF blocks, their hybrid, dense rows."""

    words: sp.csr_matrix
    chars: sp.csr_matrix
    lexical: sp.csr_matrix
    dense: np.ndarray | None

    def view(self, name: str):
        return {"chars": self.chars, "words": self.words, "words_nb": self.words, "dense": self.dense}[name]

    def views(self, names: Sequence[str]) -> dict[str, object]:
        return {v: self.view(v) for v in names}


def text_views(vec: LexicalVectorizer, texts: list[str], encoder: Encoder | None = None,
               encoder_width: Callable[[], int] | None = None) -> TextViews:
    """The views of ``texts`` under a fitted vectoriser (``encoder``: texts → dense rows, or ``None``;
    ``encoder_width``: its width, asked only for an empty batch)."""
    if not texts:  # sklearn refuses to transform nothing
        width = (len(vec.words_.vocabulary_), len(vec.chars_.vocabulary_))
        words, chars = (sp.csr_matrix((0, w), dtype=np.float32) for w in width)
        dense = None if encoder is None else np.zeros((0, encoder_width() if encoder_width else 0), np.float32)
        return TextViews(words, chars, sp.hstack([words, chars], format="csr"), dense)
    words = vec.words_.transform(texts).astype(np.float32).tocsr()
    chars = vec.chars_.transform(texts).astype(np.float32).tocsr()
    # the same hybrid as LexicalVectorizer.transform, from blocks already computed (jieba runs once)
    lexical = sp.hstack([words * np.float32(np.sqrt(vec.word_weight)),
                         chars * np.float32(np.sqrt(1 - vec.word_weight))], format="csr")
    lexical = l2_rows(lexical).astype(np.float32).tocsr()
    dense = None if encoder is None else np.asarray(encoder(list(texts)), dtype=np.float32)
    return TextViews(words, chars, lexical, dense)


__all__ = ["TextViews", "text_views", "Encoder"]
