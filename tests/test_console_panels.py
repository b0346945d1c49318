"""Review panels in the console as staff and the expert office must trust them (#20): forcing a blocked expert
is refused at once with its rule, one demand's panel is re-drawn keeping the others, expert_admin imports experts
and review records, and empty bulk actions, job errors and refusals read as plain Chinese.

Everything runs through the real app (TestClient) over a temporary SQLite home with the shipped models.
"""
from __future__ import annotations

import json
import re

import pytest

from tests.tokens import console, csrf_of, token_for

from tests.console_app import ADMIN, text_of, wait_job


SAMPLE_DEMANDS = ["LN2023-0003", "LN2023-0004", "LN2023-0005", "LN2023-0006", "LN2023-0008", "LN2023-0010"]


@pytest.fixture
def with_experts(client) -> dict[str, int]:
    """Six sample demands, the sample experts and their review records; returns {需求编号: id}."""
    from corpora import SAMPLES_DIR

    rows = [line for line in (SAMPLES_DIR / "demands.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip() and json.loads(line)["需求编号"] in SAMPLE_DEMANDS]
    for kind, body in (("demands", "\n".join(rows).encode()), ("experts", (SAMPLES_DIR / "experts.jsonl").read_bytes()),
                       ("expert_reviews", (SAMPLES_DIR / "expert_reviews.jsonl").read_bytes())):
        r = client.post("/imports", params={"kind": kind}, headers=ADMIN, files={"file": (f"{kind}.jsonl", body)})
        assert r.status_code == 200, r.text
    return {d["external_id"]: d["id"] for d in client.get("/demands?limit=50", headers=ADMIN).json()["items"]}


def test_forcing_a_blocked_expert_is_refused_at_once_with_the_rule(client, app_settings, with_experts) -> None:
    did = with_experts["LN2023-0004"]  # 沈阳航宇精密铸造 is on EXP001's avoid-list
    run = client.post("/experts/assignments", json={"solver": "random_draw", "seed": 7, "panel_size": 3,
                                                     "max_load": 8}, headers=ADMIN).json()["run_id"]
    manager = console(client, token_for(app_settings, "expert_admin", subject="专家处"))
    page = manager.get(f"/console/panels?run={run}&demand={did}").text
    r = manager.post("/console/panels/pair", data={"run": run, "demand": did, "expert": "EXP001", "action": "force",
                                                   "csrf": csrf_of(page)}, follow_redirects=False)
    assert r.status_code == 409 and "须回避" in r.text and "回避单位名单" in r.text
    assert "将遵守 1 条指定" not in manager.get(f"/console/panels?run={run}&demand={did}").text  # nothing stored
    # an allowed expert is still forced, with a message saying so
    allowed = client.get(f"/demands/{did}/experts?top=1", headers=ADMIN).json()["experts"][0]["expert_id"]
    r = manager.post("/console/panels/pair", data={"run": run, "demand": did, "expert": allowed, "action": "force",
                                                   "csrf": csrf_of(page)})
    assert r.status_code == 200 and "已指定专家" in r.text and "将遵守 1 条指定" in r.text


def test_one_panel_is_redrawn_and_the_others_kept(client, app_settings, with_experts) -> None:
    first = client.post("/experts/assignments", json={"solver": "random_draw", "seed": 7, "panel_size": 3,
                                                       "max_load": 8}, headers=ADMIN).json()["run_id"]
    before = {p["demand_id"]: p for p in client.get(f"/experts/assignments/{first}", headers=ADMIN).json()["panels"]}
    did = next(d for d, p in before.items() if p["members"])  # a demand the pool has suitable experts for
    manager = console(client, token_for(app_settings, "expert_admin", subject="专家处"))
    demand_page = manager.get(f"/console/demands/{did}").text
    assert f"/console/panels?run={first}&amp;demand={did}" in demand_page.split('id="panel"')[1]  # reached from the demand
    page = manager.get(f"/console/panels?run={first}&demand={did}").text
    assert 'id="redraw-one"' in page
    r = manager.post("/console/panels/redraw", data={"run": first, "demand": did, "seed": "11", "csrf": csrf_of(page)},
                     follow_redirects=False)
    assert r.status_code == 303
    second = int(re.search(r"run=(\d+)", r.headers["location"]).group(1))
    assert second != first and "已重抽该需求的专家组" in manager.get(r.headers["location"]).text
    after = client.get(f"/experts/assignments/{second}", headers=ADMIN).json()
    panels = {p["demand_id"]: p for p in after["panels"]}
    assert set(panels) == set(before)
    for other in set(before) - {did}:  # every other panel exactly as it was
        assert panels[other]["members"] == before[other]["members"], other
    assert after["seed"] == client.get(f"/experts/assignments/{first}", headers=ADMIN).json()["seed"]
    assert after["params"]["panel_seeds"] == {str(did): 11}
    again = client.post(f"/experts/assignments/{second}/panels/{did}/redraw", json={"seed": 11}, headers=ADMIN).json()
    third = client.get(f"/experts/assignments/{again['run_id']}", headers=ADMIN).json()
    assert {p["demand_id"]: p["members"] for p in third["panels"]} == {k: p["members"] for k, p in panels.items()}
    audit = client.get("/audit", params={"entity": "assignment_run"}, headers=ADMIN).json()
    assert "redraw_panel" in {e["action"] for e in audit}


def test_a_redrawn_panel_says_how_short_it_is_now(client, app_settings, with_experts) -> None:
    """Re-drawing one panel re-states that demand's shortfall (the others' stay): forbid every member of a panel
    the floor left short, re-draw it, and the run says the new, smaller count, not the old one."""
    first = client.post("/experts/assignments", json={"solver": "random_draw", "seed": 7, "panel_size": 5,
                                                       "max_load": 8}, headers=ADMIN).json()["run_id"]
    view = client.get(f"/experts/assignments/{first}", headers=ADMIN).json()
    panels = {p["demand_id"]: p for p in view["panels"]}
    short = {x["demand_id"]: x for x in view["shortfall"]}
    did = next(d for d, x in short.items() if x["have"] > 0 and panels[d]["members"])
    manager = console(client, token_for(app_settings, "expert_admin", subject="专家处"))
    for member in panels[did]["members"]:
        page = manager.get(f"/console/panels?run={first}&demand={did}").text
        r = manager.post("/console/panels/pair", data={"run": first, "demand": did, "expert": member["expert_id"],
                                                       "action": "forbid", "csrf": csrf_of(page)})
        assert r.status_code == 200, r.text
    again = client.post(f"/experts/assignments/{first}/panels/{did}/redraw", json={"seed": 3}, headers=ADMIN).json()
    after = client.get(f"/experts/assignments/{again['run_id']}", headers=ADMIN).json()
    members = next((p["members"] for p in after["panels"] if p["demand_id"] == did), [])  # none left: no panel
    now = {x["demand_id"]: x for x in after["shortfall"]}
    assert now[did]["have"] == len(members) < short[did]["have"]
    assert {d: x["have"] for d, x in now.items() if d != did} == {d: x["have"] for d, x in short.items() if d != did}


def test_expert_admin_imports_experts_and_review_records_in_the_console(client, app_settings) -> None:
    from corpora import SAMPLES_DIR

    manager = console(client, token_for(app_settings, "expert_admin", subject="专家处"))
    home = manager.get("/console/").text
    assert "导入" in home.split("</nav>")[0]
    page = manager.get("/console/intake")
    assert page.status_code == 200
    kinds = re.findall(r'<option value="(\w+)">', page.text.split('name="kind"')[1].split("</select>")[0])
    assert kinds == ["experts", "expert_reviews"]
    for kind in kinds:
        r = manager.post("/console/intake", data={"kind": kind, "csrf": csrf_of(page.text)},
                         files={"file": (f"{kind}.jsonl", (SAMPLES_DIR / f"{kind}.jsonl").read_bytes())},
                         follow_redirects=False)
        assert r.status_code == 303, r.text
        job = int(r.headers["location"].split("job=")[1])
        assert wait_job(client, job)["status"] == "done"
    r = manager.post("/console/intake", data={"kind": "demands", "csrf": csrf_of(page.text)},
                     files={"file": ("d.jsonl", b"{}")})
    assert r.status_code == 403 and "无权导入需求" in r.text and "demands" not in text_of(r.text)


def test_empty_bulk_actions_job_errors_and_refusals_read_as_plain_chinese(client, app_settings, with_experts) -> None:
    staff = console(client, token_for(app_settings, "staff", subject="规划处"))
    listed = staff.get("/console/demands").text
    r = staff.post("/console/demands/bulk", data={"action": "export", "back": "/console/demands",
                                                  "csrf": csrf_of(listed)})
    assert r.status_code == 200 and "没有勾选任何需求" in r.text  # back on the list, told what to do
    bureau = console(client, token_for(app_settings, "bureau", region="沈阳市"))
    refused = bureau.get("/console/clusters")
    assert refused.status_code == 403 and "read_round" not in text_of(refused.text)
    assert "初审单位" in refused.text and "无权查看全轮" in refused.text
    manager = console(client, token_for(app_settings, "expert_admin", subject="专家处"))
    # A round that truly cannot be staffed: one expert forced onto two panels under a max load of 1. (Panels
    # of 8 at max load 1 no longer fail: the floor leaves them short, and the load shortens them further.)
    forced = [{"demand_id": with_experts[x], "expert_id": "EXP037"} for x in ("LN2023-0003", "LN2023-0010")]
    base = client.post("/experts/assignments", headers=ADMIN, json={"solver": "optimal", "panel_size": 3,
                                                                    "max_load": 8, "force": forced})
    assert base.status_code == 200, base.text
    page = manager.get("/console/panels").text
    r = manager.post("/console/panels/run", data={"solver": "optimal", "panel_size": 3, "max_load": 1,
                                                  "from_run": base.json()["run_id"], "csrf": csrf_of(page)},
                     follow_redirects=False)
    job = int(r.headers["location"].split("job=")[1])
    wait_job(client, job)
    shown = manager.get(f"/console/jobs/{job}").text
    assert "details" not in text_of(shown), text_of(shown)
    assert "单人评审上限" in shown  # the reasons themselves, not a pointer to none


# ---------------------------------------------------------------------- what staff expect of the lists
