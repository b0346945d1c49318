"""What a domain suggestion is (技术领域建议的结果): ranked labels with their paths, the top label's parents,
abstention, calibration, evidence and source. Plain frozen values, returned by
:class:`matching.domains.DomainClassifier` and read by :mod:`matching.routing`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Label:
    """One suggested label: ``path`` holds the codes from the top level down to ``code`` itself."""

    code: str
    name: str
    level: int
    probability: float
    path: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "level": self.level,
                "probability": round(self.probability, 4), "path": list(self.path)}


@dataclass(frozen=True)
class Suggestion:
    """Ranked ``labels`` at one level for one text, the top label's ``parents`` (probability = sum
    of their children), ``abstain`` when the top probability is below ``threshold``, whether the
    probabilities are ``calibrated`` (fitted on held-out folds), the ``evidence`` terms that drove the
    top label and its ``source`` (``zero-shot``, ``pretrained``: the shipped router's prior,
    ``supervised`` or ``memory``: a confirmed example)."""

    labels: tuple[Label, ...]
    parents: tuple[Label, ...]
    abstain: bool
    confidence: float
    threshold: float
    calibrated: bool
    evidence: tuple[str, ...] = ()
    source: str = "zero-shot"

    @property
    def top(self) -> Label | None:
        return self.labels[0] if self.labels else None

    def to_dict(self) -> dict[str, Any]:
        return {"labels": [x.to_dict() for x in self.labels], "parents": [x.to_dict() for x in self.parents],
                "abstain": self.abstain, "confidence": round(self.confidence, 4), "threshold": self.threshold,
                "calibrated": self.calibrated, "evidence": list(self.evidence), "source": self.source}


__all__ = ["Label", "Suggestion"]
