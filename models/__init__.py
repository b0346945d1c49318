"""Model artifacts shipped with the service, and the scripts that made them.

A package so that a built wheel carries the model directories as package data; code finds the
default model through :data:`DEFAULT_EMBED_MODEL` (the keyword ranker through :data:`KEYWORD_RANKER`, the experts' relevance floor through
:data:`EXPERT_FLOOR`),
wherever the package is installed.
"""
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent
DEFAULT_EMBED_MODEL = MODELS_DIR / "jiebang-static-zh"
KEYWORD_RANKER = MODELS_DIR / "keyword-ranker" / "ranker.json"
DOC_FREQ = MODELS_DIR / "doc-freq" / "doc_freq.tsv"
EXPERT_FLOOR = MODELS_DIR / "expert-floor" / "floor.json"
ROUTER = MODELS_DIR / "router"  # the pre-trained office / domain routing model (see its README)
