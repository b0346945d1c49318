"""Resources that come with the libraries we use, read once at the edge and handed to the core."""
from __future__ import annotations

from importlib.resources import files


def jieba_idf() -> dict[str, float]:
    """jieba's own IDF table (``jieba/analyse/idf.txt``, a package resource) as ``{word: idf}``: a
    general-language background for keyword weights, so a word common everywhere ranks low even in a
    small round."""
    out: dict[str, float] = {}
    for line in files("jieba.analyse").joinpath("idf.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2:
            out[parts[0]] = float(parts[1])
    return out
