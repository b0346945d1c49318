"""What staff read of a cluster, computed from its members: counts, enterprises (distinct ones too),
regions, investment; likely duplicates among them; the 未归类 share per office. Shared by a condensation
run (:mod:`api.services.condense`) and the edits that must update the figures at once
(:mod:`api.services.cluster_edits`)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import PCA

from api.services.views import DemandView
from api.store import tables as db
from matching.coherence import COHERENCE_NOTE_EN, COHERENCE_NOTE_ZH
from matching.common import distinct_enterprises
from nlp.shingles import shingles


@dataclass(frozen=True)
class RoundItem:
    """One demand of the round as condensation sees it."""

    demand: db.Demand
    view: DemandView

    @property
    def key(self) -> str:
        return str(self.demand.id)


def cluster_stats(members: Sequence[RoundItem], duplicates: Sequence[tuple[int, int]] = ()) -> dict[str, Any]:
    """Per cluster: enterprises (and distinct ones: :func:`matching.common.distinct_enterprises` over group,
    credit code, confirmed ``duplicates`` and likely duplicates by text), regions, 需求类别 mix, total
    planned investment (万元), batches."""
    enterprises = sorted({it.demand.enterprise.name for it in members})
    investment = sum(float(it.view.investment) for it in members if it.view.investment)
    identities = [(it.demand.enterprise.name, f"group:{it.demand.enterprise.group_name}" if it.demand.enterprise.group_name
                   else "", f"code:{it.demand.enterprise.credit_code}" if it.demand.enterprise.credit_code else "")
                  for it in members]
    distinct = distinct_enterprises(identities, [*duplicates, *likely_duplicates([it.view.condense_text for it in members])])
    return {"demands": len(members), "enterprises": len(enterprises), "distinct_enterprises": distinct,
            "enterprise_names": enterprises,
            "regions": dict(Counter(it.demand.region or "未填" for it in members).most_common()),
            "categories": dict(Counter(it.demand.category or "未填" for it in members).most_common()),
            "batches": dict(sorted(Counter(it.demand.batch or "未填" for it in members).items())),
            "areas": dict(Counter(it.demand.area or "未填" for it in members).most_common()),
            "investment": round(investment, 2)}


def confirmed_pairs(members: Sequence[RoundItem], confirmed: dict[int, list[int]]) -> list[tuple[int, int]]:
    """Member index pairs staff confirmed as duplicates (``confirmed``: demand_a id → demand_b ids)."""
    index = {it.demand.id: i for i, it in enumerate(members)}
    return [(index[a], index[b]) for a in index for b in confirmed.get(a, ()) if b in index]


def likely_duplicates(texts: Sequence[str], containment: float = 0.6) -> list[tuple[int, int]]:
    """Index pairs of texts most of whose character shingles the other contains (a demand filed twice, a
    group copy under a sister company's name). Within one cluster: shared shingles of all pairs at once
    from a sparse text × shingle incidence (one product), not a round-wide search."""
    sets = [shingles(t) for t in texts]
    if len(sets) < 2:
        return []
    vocab, cols = np.unique(np.concatenate(sets), return_inverse=True)
    rows = np.repeat(np.arange(len(sets)), [len(h) for h in sets])
    incidence = sp.csr_matrix((np.ones(len(cols), dtype=np.float32), (rows, cols)), shape=(len(sets), len(vocab)))
    shared = (incidence @ incidence.T).tocoo()
    sizes = np.array([len(h) for h in sets])
    return sorted((int(i), int(j)) for i, j, v in zip(shared.row, shared.col, shared.data)
                  if i < j and v >= containment * max(1, min(sizes[i], sizes[j])))


def unclustered_by_office(offices: Sequence[str | None], labels: Sequence[str | None],
                          fallback: str) -> dict[str, dict[str, Any]]:
    """Per office: demands, how many are 未归类 and their share (no office's demands may vanish there)."""
    total: Counter[str] = Counter()
    left: Counter[str] = Counter()
    for office, label in zip(offices, labels):
        total[office or fallback] += 1
        left[office or fallback] += label is None
    return {o: {"demands": total[o], "unclustered": left[o], "share": round(left[o] / total[o], 3)} for o in sorted(total)}


def cluster_out(row: db.Cluster, size: int) -> dict[str, Any]:
    """A cluster as the API, the CLI and the report show it (``coherence``: see ``coherence_note``)."""
    stats = dict(row.stats or {})
    return {"key": row.key, "name": row.name or row.title, "staff_name": row.name, "title": row.title,
            "keywords": list(row.keywords or []), "summary": row.summary, "medoid_id": row.medoid_id,
            "office": row.office, "locked": row.locked, "size": size, "parent_key": row.parent_key,
            "coherence": stats.get("coherence"), "coherence_note": COHERENCE_NOTE_ZH,
            "coherence_note_en": COHERENCE_NOTE_EN, "stats": stats}


def majority(values: Sequence[str | None], fallback: str) -> str:
    """The most common value (a cluster's 归口处室 from its members'), ``fallback`` on a tie or none."""
    counts = Counter(v for v in values if v)
    if not counts:
        return fallback
    top = counts.most_common()
    return fallback if len(top) > 1 and top[0][1] == top[1][1] else top[0][0]


def map_2d(x: np.ndarray) -> np.ndarray:
    """A 2-D map of the round (PCA, seeded and deterministic), for the chart."""
    if len(x) < 3:
        return np.zeros((len(x), 2), dtype=np.float32)
    return PCA(n_components=2, random_state=0).fit_transform(x).astype(np.float32)
