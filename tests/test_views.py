"""A stored demand's view reads only the fields it needs (:func:`api.services.views.view_of_demand`, #18 speed):
it must equal the view of the whole record validated through the form model, for every sample demand."""
from __future__ import annotations

import json

from sqlalchemy import select

from api.forms.models import DemandRecord
from api.services.intake import submit_demand
from api.services.views import view_of, view_of_demand
from api.store import tables as db
from corpora import SAMPLES_DIR
from tests.stores import services  # noqa: F401 - on SQLite and PostgreSQL


def test_a_stored_demands_view_equals_the_view_of_its_whole_record(services) -> None:  # noqa: F811
    rows = [json.loads(line) for line in (SAMPLES_DIR / "demands.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    for row in rows:
        with services.session() as s:
            submit_demand(s, services.campaign, row, actor="t", steps=())
    with services.session() as s:
        stored = s.scalars(select(db.Demand)).all()
        assert len(stored) >= 60
        for demand in stored:
            whole = view_of(DemandRecord.model_validate(demand.record), demand_id=demand.id)
            assert view_of_demand(demand) == whole, demand.id
