"""Text normalisation and sentence splitting for Chinese demand texts.

Full-width forms become half-width (NFKC), traditional characters become simplified,
white space is folded. Offsets returned by :func:`split_sentences` refer to the
normalised text, which is what is stored and highlighted.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import zhconv
from zhconv.zhconv import getdict as _zhconv_table

_CJK_CHAR = re.compile(r"[\u3400-\u9fff\U00020000-\U0003ffff]")
_SPACE = re.compile(r"[ \t\u3000\xa0]+")
_NEWLINES = re.compile(r"\s*\n\s*")
# Sentence ends: Chinese full stops and marks, semicolons, newlines, and an ASCII full
# stop that is not part of a number ("3.5") — NFKC keeps '。' but turns '；' into ';'.
_SENT_END = re.compile(r"[。！？!?；;\n]+|(?<![0-9])\.(?![0-9])")
_LIST_SEP = re.compile(r"[、,，;；\n]+")


def is_empty(value: Any) -> bool:
    """True for a value that holds nothing: None, NaN/NaT, a blank string, an empty list."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, frozenset)):
        return not value
    return type(value).__name__ in {"NaTType", "NAType"}


def split_list(value: str | Iterable[Any] | None) -> list[str]:
    """Items of a list as clerks write one ("甲、乙，丙;丁", one per line) or a real list → stripped,
    non-empty strings in order (duplicates kept; callers that need a set de-duplicate)."""
    if is_empty(value):
        return []
    items = _LIST_SEP.split(value) if isinstance(value, str) else [str(v) for v in value if not is_empty(v)]
    return [item.strip() for item in items if item.strip()]


def _conversion_triggers() -> tuple[np.ndarray, np.ndarray]:
    """What zhconv's zh-cn table needs to see in a text before it changes anything: every entry that changes
    its text holds a character flagged here (a traditional character that converts alone, or one outside
    GB2312), or, written otherwise (反覆, 藉口, 一份子, 程式控制), begins with one of the sorted bigrams or trigrams
    (:func:`_packed`)."""
    table = _zhconv_table("zh-cn")
    changing = [k for k, v in table.items() if k != v]
    alone = {k for k in changing if len(k) == 1}
    flags = np.zeros(0x110000, dtype=bool)
    grams = []
    for entry in changing:
        needed = next((c for c in entry if c in alone), None) or next(
            (c for c in entry if _CJK_CHAR.match(c) and not _in_gb2312(c)), None)
        if needed is not None:
            flags[ord(needed)] = True
        else:  # its first three characters (two for a two-character entry): 程式控 tells 程式控制, 控制 would not
            grams.append(_packed([ord(c) for c in entry[:3]]))
    flags.flags.writeable = False
    pairs = np.unique(np.asarray(grams, dtype=np.int64))  # bigrams and trigrams never collide: no code point 0
    pairs.flags.writeable = False
    return flags, pairs


def _packed(codes: list[int] | np.ndarray) -> int | np.ndarray:
    """Two or three code points (or arrays of them) as one integer, 21 bits each."""
    out = codes[0]
    for c in codes[1:]:
        out = (out << 21) | c
    return out


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


_TRIGGER_CHARS, _TRIGGER_GRAMS = _conversion_triggers()
CHECK_FROM = 64  # characters: from here a numpy look for triggers beats converting (zhconv: ~0.7 µs a character)


def to_simplified(text: str) -> str:
    """zhconv's zh-cn conversion of ``text``; a longer text holding nothing its table would change (no
    character nor bigram of :func:`_conversion_triggers`) is returned as it is, without the per-character
    scan (the same result: a text changes only where a changing entry occurs)."""
    if len(text) >= CHECK_FROM:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        if not _TRIGGER_CHARS[codes].any():
            wide = codes.astype(np.int64)
            grams = np.concatenate([_packed([wide[:-1], wide[1:]]), _packed([wide[:-2], wide[1:-1], wide[2:]])])
            at = np.minimum(np.searchsorted(_TRIGGER_GRAMS, grams), len(_TRIGGER_GRAMS) - 1)
            if not (_TRIGGER_GRAMS[at] == grams).any():
                return text
    return zhconv.convert(text, "zh-cn")


def normalize(text: str | None) -> str:
    """Return ``text`` half-width, simplified, with folded white space ('' for None)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    text = to_simplified(text)
    text = _SPACE.sub(" ", text)
    text = _NEWLINES.sub("\n", text)
    return text.strip()


@dataclass(frozen=True)
class Sentence:
    """A sentence of a normalised text with its character offsets ``[start, end)``."""

    start: int
    end: int
    text: str


def split_sentences(text: str, min_chars: int = 2) -> list[Sentence]:
    """Split a normalised text into sentences; fragments shorter than ``min_chars`` are dropped."""
    out: list[Sentence] = []
    start = 0
    for m in _SENT_END.finditer(text):
        _append(out, text, start, m.start(), min_chars)
        start = m.end()
    _append(out, text, start, len(text), min_chars)
    return out


def _append(out: list[Sentence], text: str, start: int, end: int, min_chars: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start >= min_chars:
        out.append(Sentence(start, end, text[start:end]))
