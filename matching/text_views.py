"""The views a domain classifier reads of some texts (文本视图): jieba-word and character n-gram TF-IDF
blocks, their hybrid, and the dense encoder's rows — computed once per batch (jieba runs once)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from nlp.lexical import LexicalVectorizer
from nlp.text import normalize

Encoder = Callable[[list[str]], np.ndarray]


@dataclass
class TextViews:
    """The views of some texts: jieba-word and char n-gram TF-IDF blocks, their hybrid, dense rows."""

    words: sp.csr_matrix
    chars: sp.csr_matrix
    lexical: sp.csr_matrix
    dense: np.ndarray | None
    texts: list[str] | None = None  # the normalised texts the views were made of
    tokens: list[list[str]] | None = None  # their content words (jieba), for a model that reads the same cut

    def view(self, name: str):
        return {"chars": self.chars, "words": self.words, "words_nb": self.words, "dense": self.dense}[name]

    def views(self, names: Sequence[str]) -> dict[str, object]:
        return {v: self.view(v) for v in names}


def text_views(vec: LexicalVectorizer, texts: list[str], encoder: Encoder | None = None,
               encoder_width: Callable[[], int] | None = None, *, words: Sequence[list[str]] | None = None,
               normalized: bool = False) -> TextViews:
    """The views of ``texts`` under a fitted vectoriser (``encoder``: normalised texts → dense rows, or
    ``None``; ``encoder_width``: its width, asked only for an empty batch). Each text is normalised once and
    cut by jieba once (``words``: the caller's cut; ``normalized``: the texts are normalised already), and
    that one copy feeds the word, character and dense views."""
    if not texts:  # sklearn refuses to transform nothing
        width = (len(vec.words_.vocabulary_), len(vec.chars_.vocabulary_))
        words, chars = (sp.csr_matrix((0, w), dtype=np.float32) for w in width)
        dense = None if encoder is None else np.zeros((0, encoder_width() if encoder_width else 0), np.float32)
        return TextViews(words, chars, sp.hstack([words, chars], format="csr"), dense, [], [])
    clean = list(texts) if normalized else [normalize(t) for t in texts]
    tokens = vec.cut(clean, normalized=True) if words is None else [list(w) for w in words]
    word_block, chars = vec.blocks(clean, words=tokens, normalized=True)
    dense = None if encoder is None else np.asarray(encoder(clean), dtype=np.float32)
    return TextViews(word_block, chars, vec.stack(word_block, chars), dense, clean, tokens)


__all__ = ["TextViews", "text_views", "Encoder"]
