"""One file import against one-by-one intake of the same rows (#21): ``stored`` rows are submitted into both
the given services and a fresh SQLite copy, then ``incoming`` is imported as one file into the first and
submitted row by row into the copy; the findings of both, by 需求编号, and the import's report come back."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from api.services.finding_rows import findings_by_external_id
from api.services.imports import import_demands
from api.services.intake import submit_demand
from tests.demand_rows import write_jsonl


def file_and_one_by_one(services, tmp_path: Path, stored: list[dict], incoming: list[dict]):
    """``(import report, findings after the file import, findings after one-by-one intake)``."""
    from api.compose import build_services

    single = build_services(replace(services.settings, database_url=f"sqlite:///{tmp_path / 'one.db'}"))
    single.__dict__["embedder"] = services.embedder  # the same model, loaded once
    try:
        for built in (services, single):
            for row in stored:
                with built.session() as s:
                    submit_demand(s, built.campaign, row, actor="t", steps=built.intake_steps)
        with services.session() as s:
            report = import_demands(s, services.campaign, write_jsonl(tmp_path / "f.jsonl", incoming), actor="t",
                                    steps=services.intake_steps)
        for row in incoming:
            with single.session() as s:
                submit_demand(s, single.campaign, row, actor="t", steps=single.intake_steps)
        with services.session() as s, single.session() as t:
            return report, findings_by_external_id(s), findings_by_external_id(t)
    finally:
        single.close()
