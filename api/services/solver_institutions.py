"""Candidate solver institutions (揭榜方) for a demand, I/O side: profiles from storage, ranking."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.errors import NotFound
from api.forms.models import Solver
from api.services.demands import get_demand
from api.services.views import view_of_demand
from api.store import tables as db
from matching.institutions import InstitutionMatcher, InstitutionProfile
from nlp.tokenize import Tokenizer


class SolverInstitutions:
    """Ranks stored solver institutions for a demand (institutions are not personal data)."""

    def __init__(self, tokenizer: Tokenizer):
        self.tokenizer = tokenizer

    def rank(self, session: Session, demand_id: int, *, top: int = 10) -> dict[str, Any]:
        """Candidate solver institutions for a demand (institutions are not personal data)."""
        view = view_of_demand(get_demand(session, demand_id))
        solvers = list(session.scalars(select(db.Solver).order_by(db.Solver.id)))
        if not solvers:
            raise NotFound("揭榜方库为空，请先导入（jiebang import --kind solvers）。",
                           "No solvers stored; import solvers first.")
        profiles = [_solver_profile(s) for s in solvers]
        matcher = InstitutionMatcher(tokenizer=self.tokenizer).fit(profiles)
        party = view.party
        ranked, excluded = matcher.rank(view.matching_text, enterprise=party.enterprise, group=party.group, top=top)
        return {"demand_id": view.id, "solvers": [m.to_dict() for m in ranked],
                "excluded": [{"solver_id": x.solver_id, "rule": x.rule, "message_zh": x.message_zh,
                              "message_en": x.message_en} for x in excluded]}


def _solver_profile(s: db.Solver) -> InstitutionProfile:
    form = Solver.model_validate(s.record or {})
    return InstitutionProfile(s.external_id, s.name, s.kind or "", s.region or "", form.research_directions or "",
                              form.capabilities or "", form.platforms or "", form.achievements or "")
