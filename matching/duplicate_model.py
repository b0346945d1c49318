"""The duplicate model: calibrated parameters, pair features, probability and verdicts, enterprise signals
(:mod:`matching.duplicates` scores pairs with them; :mod:`matching.calibration` learns them)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

VERDICTS = ("duplicate", "near_duplicate", "related", "none")
SIGNAL_KINDS = ("org", "group", "phone", "email")
FEATURES = ("containment", "jaccard", "dense", "dense_short", "containment_short", "short")
SHORT_CHARS = 40.0  # texts around this many characters or fewer count as "short" (questions, titles)
MIN_COMPARE_CHARS = 12  # fewer content characters than this: too short to call a rewording a duplicate


class DuplicateModelError(ValueError):
    """The duplicate model parameters are malformed (e.g. a hand-edited config file)."""


@dataclass(frozen=True)
class DuplicateParams:
    """Calibrated scoring model and verdict thresholds (stored in ``corpora/duplicates.yaml``).

    ``coef``/``intercept``: logistic weights over :data:`FEATURES`. A pair is ``near_duplicate``
    when its probability reaches ``near_duplicate``, ``duplicate`` when it also shares at least
    ``duplicate_containment`` of its shingles, ``related`` from ``related``. ``signal_logit``:
    prior log-odds per enterprise signal; the largest one that fired is added.
    """

    coef: tuple[float, ...] = (6.0, 4.0, 9.0, 0.0, 0.0, 0.0)
    intercept: float = -10.0
    near_duplicate: float = 0.5
    related: float = 0.2
    duplicate_containment: float = 0.8
    signal_logit: Mapping[str, float] = field(default_factory=lambda: {
        "org": 1.0, "group": 0.5, "phone": 0.75, "email": 0.75})
    metrics: Mapping[str, Any] = field(default_factory=dict)  # what calibration measured

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "DuplicateParams":
        """Read parameters from a plain mapping (a YAML file)."""
        try:
            coef = tuple(float(data["coef"][name]) for name in FEATURES)
            th = data["thresholds"]
            return cls(coef=coef, intercept=float(data["intercept"]),
                       near_duplicate=float(th["near_duplicate"]), related=float(th["related"]),
                       duplicate_containment=float(th["duplicate_containment"]),
                       signal_logit={str(k): float(v) for k, v in data.get("signal_logit", {}).items()}
                       or cls().signal_logit,
                       metrics=dict(data.get("metrics", {})))
        except (KeyError, TypeError, ValueError) as exc:
            raise DuplicateModelError(f"bad duplicate model parameters: {exc!r}") from exc

    def to_dict(self) -> dict[str, Any]:
        """The YAML-ready mapping :meth:`from_dict` reads."""
        return {"coef": {n: round(float(c), 6) for n, c in zip(FEATURES, self.coef)},
                "intercept": round(float(self.intercept), 6),
                "thresholds": {"near_duplicate": round(self.near_duplicate, 6), "related": round(self.related, 6),
                               "duplicate_containment": round(self.duplicate_containment, 6)},
                "signal_logit": dict(self.signal_logit),
                "metrics": dict(self.metrics)}


def pair_features(containment: np.ndarray, jaccard: np.ndarray, dense: np.ndarray,
                  min_chars: np.ndarray) -> np.ndarray:
    """Feature rows (:data:`FEATURES`) for pairs; ``min_chars`` is the shorter text's length."""
    containment, jaccard, dense = (np.asarray(x, dtype=np.float64) for x in (containment, jaccard, dense))
    short = np.exp(-np.asarray(min_chars, dtype=np.float64) / SHORT_CHARS)
    return np.column_stack([containment, jaccard, dense, dense * short, containment * short, short])


def probability(features: np.ndarray, params: DuplicateParams, signal_logit: np.ndarray | None = None) -> np.ndarray:
    """Calibrated probability that each pair is a duplicate (logistic model + signal prior)."""
    z = features @ np.asarray(params.coef) + params.intercept
    if signal_logit is not None:
        z = z + signal_logit
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def verdicts(prob: np.ndarray, containment: np.ndarray, params: DuplicateParams,
             evidence: np.ndarray | None = None, short: np.ndarray | None = None) -> list[str]:
    """Verdict per pair from its probability and shingle containment.

    No verdict without evidence: a pair whose probability reaches ``near_duplicate`` stays ``related``
    unless ``evidence`` (a shared non-boilerplate phrase or an enterprise signal), and a pair with a text
    ``short`` of :data:`MIN_COMPARE_CHARS` is a duplicate only when it is (nearly) the same text.
    """
    prob, containment = np.asarray(prob, dtype=np.float64), np.asarray(containment, dtype=np.float64)
    n = len(prob)
    evidence = np.ones(n, dtype=bool) if evidence is None else np.asarray(evidence, dtype=bool)
    short = np.zeros(n, dtype=bool) if short is None else np.asarray(short, dtype=bool)
    same_text = containment >= params.duplicate_containment
    strong = (prob >= params.near_duplicate) & evidence & (same_text | ~short)
    kind = np.where(strong, np.where(same_text, 0, 1), np.where(prob >= min(params.near_duplicate, params.related), 2, 3))
    return [VERDICTS[k] for k in kind.tolist()]


def fired_signals(a: Mapping[str, str | None] | None, b: Mapping[str, str | None] | None) -> list[str]:
    """Enterprise signal kinds whose (non-empty) values are equal in ``a`` and ``b``."""
    if not a or not b:
        return []
    return [k for k in SIGNAL_KINDS if a.get(k) and a.get(k) == b.get(k)]


def signal_offset(fired: Iterable[str], params: DuplicateParams) -> float:
    """Prior log-odds for the signals that fired: the strongest one (0 when none fired)."""
    return max((params.signal_logit.get(k, 0.0) for k in fired), default=0.0)
