"""Resources that come with the libraries we use, read once at the edge and handed to the core."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from corpora import ORG_ALIASES
from matching.domains import DomainClassifier, Encoder, Prior
from matching.office_model import TextRouter
from matching.relevance import RelevanceFloor
from models import DOC_FREQ, EXPERT_FLOOR, KEYWORD_RANKER, ROUTER
from nlp.keyword_ranker import KeywordRanker
from nlp.keywords import DocumentFrequency
from nlp.lexical import LexicalVectorizer
from nlp.orgs import OrgDirectory
from nlp.tokenize import Tokenizer


def jieba_idf() -> dict[str, float]:
    """jieba's own IDF table (``jieba/analyse/idf.txt``, a package resource) as ``{word: idf}``: a
    general-language background for keyword weights, so a word common everywhere ranks low even in a
    small round."""
    import jieba  # not jieba.analyse: importing it loads its own TF-IDF and TextRank tables (~70 MB)

    out: dict[str, float] = {}
    for line in Path(jieba.__file__).with_name("analyse").joinpath("idf.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2:
            out[sys.intern(parts[0])] = float(parts[1])  # interned: word_tags holds the same words
    return out


def doc_frequency(path: Path = DOC_FREQ) -> DocumentFrequency:
    """The shipped background document frequencies (``models/doc-freq/doc_freq.tsv``, see its card): which
    words are too common to be a keyword or a title's subject."""
    documents, counts = 0, {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        token, _, value = line.rpartition("\t")
        if token == "#documents":
            documents = int(value)
        elif token:
            counts[token] = int(value)
    return DocumentFrequency(documents, counts)


def keyword_ranker(path: Path = KEYWORD_RANKER) -> KeywordRanker:
    """The shipped keyword ranker (``models/keyword-ranker/ranker.json``, see its card)."""
    return KeywordRanker.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def expert_floor(path: Path = EXPERT_FLOOR) -> RelevanceFloor:
    """The shipped relevance floor of expert suggestions (``models/expert-floor/floor.json``, see its card)."""
    return RelevanceFloor.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def org_directory(path: Path = ORG_ALIASES) -> OrgDirectory:
    """The alias table of universities, academies and institutes (``corpora/orgs/institutions.yaml``, see
    the README beside it) as an :class:`~nlp.orgs.OrgDirectory`."""
    import yaml

    return OrgDirectory.from_records(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or [])


def word_tags(userdict: Path | None = None) -> dict[str, str]:
    """``{word: part-of-speech tag}`` of jieba's dictionary (``dict.txt``: "word freq tag") and of the domain
    dictionary ``userdict`` (same format; it tags its terms ``nz``). A word jieba's HMM makes up is in
    neither: often a technical term, which the keyword ranker uses as a signal."""
    import jieba

    tags: dict[str, str] = {}
    for path in [Path(jieba.__file__).with_name("dict.txt"), *([Path(userdict)] if userdict else [])]:
        if not path.exists():
            continue
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) >= 3:
                    tags[sys.intern(parts[0].lower())] = sys.intern(parts[2])  # ~60 distinct tags, not 350k copies
                elif parts:
                    tags.setdefault(parts[0].lower(), "n")
    return tags


def read_router(path: Path = ROUTER, tokenizer: Tokenizer | None = None) -> TextRouter | None:
    """The shipped routing model (``models/router``: ``router.json``, ``router.npz``, ``lexical.*``, see
    its card), or ``None`` when the directory holds none (routing then falls back to zero-shot)."""
    path = Path(path)
    if not (path / "router.json").exists():
        return None
    meta = json.loads((path / "router.json").read_text(encoding="utf-8"))
    with np.load(path / "router.npz", allow_pickle=False) as arrays:
        state = {k: arrays[k] for k in arrays.files}
    return TextRouter.from_state(meta, state, LexicalVectorizer.load(path / "lexical", tokenizer=tokenizer),
                                 tokenizer=tokenizer)


def write_router(router: TextRouter, path: Path = ROUTER, extra: dict | None = None) -> None:
    """Write what :func:`read_router` reads (``extra``: provenance kept in ``router.json``)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    meta, arrays = router.to_state()
    meta.update(extra or {})
    (path / "router.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    np.savez_compressed(path / "router.npz", **arrays)
    router.vectorizer_.save(path / "lexical")


def write_domain_classifier(clf: DomainClassifier, path: Path) -> None:
    """Write a fitted domain classifier into directory ``path``: ``domains.json`` (parameters, taxonomy,
    labels, confirmed texts), ``domains.npz`` (heads, label and example vectors), ``lexical.*``; no pickle."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    meta, arrays = clf.to_state()
    (path / "domains.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    np.savez_compressed(path / "domains.npz", **arrays)
    clf.vectorizer_.save(path / "lexical")


def read_domain_classifier(path: Path, encoder: Encoder | None = None, tokenizer: Tokenizer | None = None,
                           prior: Prior | None = None) -> DomainClassifier:
    """Read what :func:`write_domain_classifier` wrote; ``encoder`` must be the model it was fitted with."""
    path = Path(path)
    meta = json.loads((path / "domains.json").read_text(encoding="utf-8"))
    with np.load(path / "domains.npz", allow_pickle=False) as arrays:
        state = {k: arrays[k] for k in arrays.files}
    return DomainClassifier.from_state(meta, state, LexicalVectorizer.load(path / "lexical", tokenizer=tokenizer),
                                       encoder=encoder, tokenizer=tokenizer, prior=prior)
