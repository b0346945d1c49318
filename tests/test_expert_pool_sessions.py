"""#23 item 10: the expert pool outlives the request that built it, so it keeps no ORM rows — a refused
first request (its session rolled back) must not break every later expert call until a restart."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from fastapi.testclient import TestClient

from api.config import Settings
from api.http.app import create_app
from tests.tokens import bearer, token_for

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"
TOKEN = "pool-sessions-admin-token"
ADMIN = bearer(TOKEN)


def _upload(client: TestClient, name: str, text: str, kind: str) -> None:
    r = client.post(f"/imports?kind={kind}", headers=ADMIN, files={"file": (name, text.encode("utf-8"))})
    assert r.status_code == 200, r.text


def test_item10_expert_calls_work_after_a_refused_first_assignment(settings: Settings) -> None:
    s = replace(settings, admin_token=TOKEN)
    with TestClient(create_app(s), headers=bearer(token_for(s, "staff"))) as client:
        lines = [line for line in (SAMPLES / "demands.jsonl").read_text(encoding="utf-8").splitlines()
                 if line.strip() and json.loads(line)["需求编号"] in ("LN2023-0004", "LN2023-0005", "LN2023-0006")]
        _upload(client, "demands.jsonl", "\n".join(lines), "demands")
        for kind in ("experts", "expert_reviews"):
            _upload(client, f"{kind}.jsonl", (SAMPLES / f"{kind}.jsonl").read_text(encoding="utf-8"), kind)
        did = next(d["id"] for d in client.get("/demands").json()["items"] if d["external_id"] == "LN2023-0004")
        # the first expert call of this process is refused: a forced pair that a conflict blocks (EXP001 avoids it)
        refused = client.post("/experts/assignments", headers=ADMIN, json={
            "solver": "greedy", "panel_size": 3, "force": [{"demand_id": did, "expert_id": "EXP001"}]})
        assert refused.status_code == 422 and refused.json()["code"] == "assignment_infeasible"
        ranked = client.get(f"/demands/{did}/experts?top=5")
        assert ranked.status_code == 200, ranked.text
        assert len(ranked.json()["experts"]) == 5
        ok = client.post("/experts/assignments", headers=ADMIN, json={"solver": "greedy", "panel_size": 3})
        assert ok.status_code == 200, ok.text
