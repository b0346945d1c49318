"""Candidate solver institutions (揭榜方) for a demand: institutions ranked by their capability texts, with evidence.

Each solver is described by several texts (研究方向, 能力描述, 科技创新平台, 代表性成果). The score
is a mix of the best-matching single field (a platform or a result can match sharply) and the
whole description, in the service representation (lexical, optionally + dense). The demanding
enterprise itself and members of its group are excluded, and reported as such.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from nlp.lexical import LexicalVectorizer
from nlp.names import group_root, normalize_org_name
from nlp.tokenize import Tokenizer

Encoder = Callable[[list[str]], np.ndarray]
FIELDS = ("research", "capability", "platforms", "results")
_MEMBER_OF = re.compile(r"(?:隶属于?|属于|系|为)([\u4e00-\u9fffA-Za-z（）()]{2,30}?集团)")
FIELD_ZH = {"research": "研究方向", "capability": "能力描述", "platforms": "科技创新平台", "results": "代表性成果"}


@dataclass(frozen=True)
class InstitutionProfile:
    """A solver institution's matching texts (no contacts)."""

    solver_id: str
    name: str
    kind: str = ""
    region: str = ""
    research: str = ""
    capability: str = ""
    platforms: str = ""
    results: str = ""
    group: str | None = None  # 集团名称 when known; else read from "隶属/属于…集团" in the texts

    def text(self) -> str:
        return " ".join(getattr(self, f) for f in FIELDS if getattr(self, f))


@dataclass(frozen=True)
class InstitutionMatch:
    """One ranked solver with the field that matched best and the shared terms."""

    solver_id: str
    name: str
    score: float
    best_field: str
    shared_terms: list[str]

    def to_dict(self) -> dict:
        return {"solver_id": self.solver_id, "name": self.name, "score": round(self.score, 4),
                "best_field": self.best_field, "best_field_zh": FIELD_ZH.get(self.best_field, ""),
                "shared_terms": self.shared_terms}


@dataclass(frozen=True)
class InstitutionExclusion:
    solver_id: str
    rule: str
    message_zh: str
    message_en: str


class InstitutionMatcher:
    """Rank solvers for demand texts; ``fit`` on their profiles (sklearn style)."""

    def __init__(self, field_weight: float = 0.5, dense_weight: float = 0.0, encoder: Encoder | None = None,
                 vectorizer: LexicalVectorizer | None = None, tokenizer: Tokenizer | None = None):
        self.tokenizer = tokenizer
        self.field_weight = field_weight
        self.dense_weight = dense_weight
        self.encoder = encoder
        self.vectorizer = vectorizer

    def fit(self, solvers: Sequence[InstitutionProfile]) -> "InstitutionMatcher":
        self.solvers_ = list(solvers)
        texts = [s.text() for s in self.solvers_]
        field_texts = [getattr(s, f) for f in FIELDS for s in self.solvers_]
        if self.vectorizer is not None and hasattr(self.vectorizer, "words_"):
            self.vectorizer_ = self.vectorizer
        else:
            self.vectorizer_ = LexicalVectorizer(tokenizer=self.tokenizer).fit(
                [t for t in texts + field_texts if t] or ["-"])
        self.tokenizer_ = self.vectorizer_.tokenizer_
        self.whole_ = self.vectorizer_.transform(texts)
        self.fields_ = self.vectorizer_.transform(field_texts)  # field-major: row f*n + s
        self.dense_whole_ = self._encode(texts)
        self.dense_fields_ = self._encode(field_texts)
        self.field_present_ = np.array([bool(t) for t in field_texts]).reshape(len(FIELDS), len(self.solvers_))
        return self

    def _encode(self, texts: list[str]) -> np.ndarray | None:
        if self.encoder is None or self.dense_weight <= 0:
            return None
        return np.asarray(self.encoder(texts), dtype=np.float32)

    def score(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """``(scores, best_field_index)``, both ``(n_texts, n_solvers)``."""
        texts = list(texts)
        q = self.vectorizer_.transform(texts)
        whole = (q @ self.whole_.T).toarray()
        per_field = (q @ self.fields_.T).toarray().reshape(len(texts), len(FIELDS), len(self.solvers_))
        if self.dense_whole_ is not None:
            d = self._encode(texts)
            w = self.dense_weight
            whole = w * (d @ self.dense_whole_.T) + (1 - w) * whole
            per_field = w * (d @ self.dense_fields_.T).reshape(per_field.shape) + (1 - w) * per_field
        per_field = np.where(self.field_present_[None], per_field, 0.0)
        best = per_field.argmax(axis=1)
        s = self.field_weight * per_field.max(axis=1) + (1 - self.field_weight) * whole
        return s.astype(np.float32), best

    def rank(self, text: str, *, enterprise: str = "", group: str | None = None,
             top: int | None = 10) -> tuple[list[InstitutionMatch], list[InstitutionExclusion]]:
        """Solvers for one demand, best first, without the demanding enterprise and its group."""
        excluded = self.exclusions(enterprise, group)
        skip = {e.solver_id for e in excluded}
        s, best = self.score([text])
        q_terms = {w for w in self.tokenizer_.words(text) if len(w) >= 2}
        out = []
        for j in np.argsort(-s[0], kind="stable"):
            sol = self.solvers_[j]
            if sol.solver_id in skip:
                continue
            terms = {w for w in self.tokenizer_.words(sol.text()) if len(w) >= 2}
            shared = sorted(q_terms & terms, key=lambda t: (-len(t), t))[:10]
            out.append(InstitutionMatch(sol.solver_id, sol.name, float(s[0, j]), FIELDS[int(best[0, j])], shared))
            if top and len(out) >= top:
                break
        return out, excluded

    def exclusions(self, enterprise: str, group: str | None = None) -> list[InstitutionExclusion]:
        """The demanding enterprise itself and members of its group."""
        if not enterprise:
            return []
        ent = normalize_org_name(enterprise)
        root = group_root(enterprise, group)
        out = []
        for s in self.solvers_:
            if normalize_org_name(s.name) == ent:
                out.append(InstitutionExclusion(s.solver_id, "same_org", "揭榜方即需求企业本身",
                                           "the solver is the demanding enterprise"))
            elif len(root) >= 2 and root in _solver_roots(s):
                out.append(InstitutionExclusion(s.solver_id, "same_group", "揭榜方与需求企业同属一个集团",
                                           "the solver belongs to the enterprise's group"))
        return out


def _solver_roots(s: InstitutionProfile) -> set[str]:
    """Group roots a solver belongs to: its name, its declared group, a group named in its texts."""
    roots = {group_root(s.name, s.group), group_root(s.name)}
    roots |= {group_root(m) for m in _MEMBER_OF.findall(s.capability + " " + s.research)}
    return {r for r in roots if len(r) >= 2}
