"""Experts through the real HTTP app: pseudonyms vs admin identities, conflicts, runs, Excel, solvers."""
from __future__ import annotations

import io
import json
import logging
import time
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.config import Settings
from tests.tokens import bearer, console, token_for

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"
TOKEN = "experts-admin-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
DEMANDS = ["LN2023-0003", "LN2023-0004", "LN2023-0005", "LN2023-0006", "LN2023-0008", "LN2023-0010",
           "LN2023-0011", "LN2023-0017", "LN2023-0018", "LN2023-0020"]


def _upload(client: TestClient, name: str, lines: list[str], kind: str, headers=ADMIN) -> dict:
    r = client.post(f"/imports?kind={kind}", headers=headers,
                    files={"file": (name, "\n".join(lines).encode("utf-8"), "application/json")})
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture
def client(settings: Settings, tmp_path: Path):
    s = replace(settings, admin_token=TOKEN)
    with TestClient(create_app(s), headers=bearer(token_for(s, "staff"))) as c:
        demands = [line for line in (SAMPLES / "demands.jsonl").read_text(encoding="utf-8").splitlines()
                   if line.strip() and json.loads(line)["需求编号"] in DEMANDS]
        _upload(c, "demands.jsonl", demands, "demands")
        for kind, name in (("experts", "experts.jsonl"), ("expert_reviews", "expert_reviews.jsonl"),
                           ("solvers", "solvers.jsonl")):
            _upload(c, name, (SAMPLES / name).read_text(encoding="utf-8").splitlines(), kind)
        yield c


def _demand_id(client: TestClient, external: str) -> int:
    rows = client.get("/demands?limit=100").json()
    items = rows["items"] if isinstance(rows, dict) else rows
    return next(d["id"] for d in items if d.get("external_id", d.get("需求编号")) == external)


def test_rank_experts_hides_identities_without_token(client: TestClient, caplog) -> None:
    did = _demand_id(client, "LN2023-0004")  # 沈阳航宇精密铸造: EXP001 avoids it, EXP003 works there
    caplog.set_level(logging.DEBUG)
    anon = client.get(f"/demands/{did}/experts?top=5")
    assert anon.status_code == 200, anon.text
    body = anon.json()
    # only experts above the relevance floor are suggested (EXP001 and EXP003 would be, but are excluded)
    assert 3 <= len(body["experts"]) <= 5 and not body["no_suitable_expert"]
    assert all(e["relevance"] >= body["floor"]["value"] for e in body["experts"])
    assert all("name" not in e and "expert_id" not in e and e["expert"].startswith("专家-") for e in body["experts"])
    assert {x["rule"] for x in body["excluded"]} >= {"expert_avoids", "same_org", "unavailable"}
    assert all("name" not in x for x in body["excluded"])
    admin = client.get(f"/demands/{did}/experts?top=5", headers=ADMIN).json()
    names = {e["name"] for e in admin["experts"]}
    assert all(e["expert_id"].startswith("EXP") for e in admin["experts"])
    assert [e["expert"] for e in admin["experts"]] == [e["expert"] for e in body["experts"]]  # same pseudonyms
    excluded = {(x["expert_id"], x["rule"]) for x in admin["excluded"]}
    assert ("EXP001", "expert_avoids") in excluded and ("EXP003", "same_org") in excluded
    assert admin["experts"][0]["evidence"]["items"]
    # personal data never reaches the logs
    assert not any(n in caplog.text for n in names)


def test_assignment_requires_admin_and_is_reproducible(client: TestClient) -> None:
    body = {"solver": "random_draw", "seed": 11, "panel_size": 3, "max_load": 3}
    assert client.post("/experts/assignments", json=body).status_code == 403  # staff: not expert_admin
    first = client.post("/experts/assignments", json=body, headers=ADMIN)
    assert first.status_code == 200, first.text
    again = client.post("/experts/assignments", json=body, headers=ADMIN).json()
    run1 = client.get(f"/experts/assignments/{first.json()['run_id']}").json()
    run2 = client.get(f"/experts/assignments/{again['run_id']}").json()
    assert run1["seed"] == run2["seed"] == 11
    assert [[m["expert"] for m in p["members"]] for p in run1["panels"]] == \
           [[m["expert"] for m in p["members"]] for p in run2["panels"]]
    # panels are full unless the relevance floor left them short, and then the run says so per demand
    short = {x["demand_id"]: x for x in run1["shortfall"]}
    assert all(len(p["members"]) == 3 or short[p["demand_id"]]["have"] == len(p["members"])
               for p in run1["panels"])
    assert all(x["need"] == 3 and x["have"] < 3 and x["message_zh"] for x in short.values())
    assert all("name" not in m for p in run1["panels"] for m in p["members"])
    with_names = client.get(f"/experts/assignments/{first.json()['run_id']}", headers=ADMIN).json()
    assert all(m["name"] for p in with_names["panels"] for m in p["members"])


def test_optimal_run_conflict_free_and_export_per_office(client: TestClient) -> None:
    r = client.post("/experts/assignments", json={"panel_size": 4, "max_load": 2}, headers=ADMIN)
    assert r.status_code == 200, r.text
    run_id = r.json()["run_id"]
    assert r.json()["max_load"] <= 2
    panels = client.get(f"/experts/assignments/{run_id}", headers=ADMIN).json()["panels"]
    by_ext = {p["external_id"]: {m["expert_id"] for m in p["members"]} for p in panels}
    assert not by_ext["LN2023-0004"] & {"EXP001", "EXP003"}
    assert "EXP008" not in by_ext["LN2023-0008"]
    assert all(not {"EXP032", "EXP034"} & s for s in by_ext.values())
    assert client.get(f"/experts/assignments/{run_id}/export.xlsx").status_code == 403
    x = client.get(f"/experts/assignments/{run_id}/export.xlsx", headers=ADMIN)
    assert x.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(x.content))
    assert len(book.sheetnames) >= 3 and all("专家组" in n for n in book.sheetnames)  # one sheet per office


def test_infeasible_round_is_explained(client: TestClient) -> None:
    r = client.post("/experts/assignments", json={"panel_size": 5, "max_load": 1}, headers=ADMIN)
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "assignment_infeasible" and body["message_zh"] and body["message_en"]
    assert any(d["constraint"] == "max_load" for d in body["details"])


def test_recorded_review_updates_profile(client: TestClient) -> None:
    did = _demand_id(client, "LN2023-0010")
    before = client.get(f"/demands/{did}/experts?top=40", headers=ADMIN).json()["experts"]
    # EXP036 (电机) is below the relevance floor for a 海参 demand: not suggested at all
    rank_before = next((e["rank"] for e in before if e["expert_id"] == "EXP036"), len(before) + 1)
    title = client.get(f"/demands/{did}").json()
    text = title.get("title") or "海参养殖"
    assert client.post("/experts/EXP036/reviews", json={"title": text}).status_code == 403
    r = client.post("/experts/EXP036/reviews", json={"title": text, "abstract": text}, headers=ADMIN)
    assert r.status_code == 200, r.text
    after = client.get(f"/demands/{did}/experts?top=40", headers=ADMIN).json()["experts"]
    assert next(e["rank"] for e in after if e["expert_id"] == "EXP036") < rank_before


def test_solvers_exclude_the_enterprise_group(client: TestClient) -> None:
    did = _demand_id(client, "LN2023-0008")
    body = client.get(f"/demands/{did}/solvers?top=5").json()
    assert [x["solver_id"] for x in body["excluded"]] == ["SOL014"]
    assert "SOL014" not in {s["solver_id"] for s in body["solvers"]}
    assert body["solvers"][0]["shared_terms"]


def test_similar_demands_share_a_panel(client: TestClient) -> None:
    a, b = _demand_id(client, "LN2023-0004"), _demand_id(client, "LN2023-0011")  # both 高温合金铸件 defects
    body = {"demand_ids": [a, b], "panel_size": 3, "max_load": 1, "clusters": {str(a): "alloy", str(b): "alloy"}}
    r = client.post("/experts/assignments", json=body, headers=ADMIN)
    assert r.status_code == 200, r.text
    panels = client.get(f"/experts/assignments/{r.json()['run_id']}", headers=ADMIN).json()["panels"]
    members = [{m["expert_id"] for m in p["members"]} for p in panels]
    assert len(members) == 2 and members[0] == members[1]  # one panel, max_load 1 counted per cluster
    assert not members[0] & {"EXP001", "EXP003"}  # a conflict of one member demand excludes for the cluster


def test_enterprise_avoid_list_from_the_form_excludes_that_organisation(client: TestClient) -> None:
    row = next(json.loads(line) for line in (SAMPLES / "demands.jsonl").read_text(encoding="utf-8").splitlines()
               if line.strip() and json.loads(line)["需求编号"] == "LN2023-0004")
    row.update({"需求编号": "LN2023-9004", "需求名称": row["需求名称"] + "（回避测试）", "回避单位": "东北大学、大连理工大学"})
    r = client.post("/demands", json=row, headers=ADMIN)
    assert r.status_code in (200, 201), r.text
    did = _demand_id(client, "LN2023-9004")
    body = client.get(f"/demands/{did}/experts?top=40", headers=ADMIN).json()
    avoided = {x["expert_id"] for x in body["excluded"] if x["rule"] == "enterprise_avoids"}
    assert {"EXP002", "EXP004", "EXP006", "EXP007"} <= avoided
    assert not avoided & {e["expert_id"] for e in body["experts"]}


def test_review_records_of_one_project_form_one_panel_item() -> None:
    """Co-review structure reaches the affinity model: one item per reviewed project, not per row."""
    from types import SimpleNamespace as Row

    from api.services.experts import review_items

    rows = [Row(expert_id=1, demand_id=None, title="高温合金叶片铸造", abstract="a", keywords=["铸造"], reviewed_at="2023-04-01"),
            Row(expert_id=2, demand_id=None, title="高温合金叶片铸造 ", abstract="a", keywords=["铸造"], reviewed_at="2023-04-01"),
            Row(expert_id=2, demand_id=None, title="高温合金叶片铸造", abstract="a", keywords=[], reviewed_at="2022-05-01"),
            Row(expert_id=3, demand_id=7, title="x", abstract="", keywords=[], reviewed_at=None),
            Row(expert_id=4, demand_id=7, title="y", abstract="", keywords=[], reviewed_at=None),
            Row(expert_id=4, demand_id=7, title="y", abstract="", keywords=[], reviewed_at=None)]
    items = review_items(rows)
    assert sorted(i.expert_ids for i in items) == [("1", "2"), ("2",), ("3", "4")]


def test_staff_force_and_forbid_pairs_are_honoured_and_shown_per_role(client: TestClient) -> None:
    did = _demand_id(client, "LN2023-0004")
    body = {"solver": "optimal", "panel_size": 3, "max_load": 3}
    base = client.post("/experts/assignments", json=body, headers=ADMIN).json()
    panel = next(p for p in client.get(f"/experts/assignments/{base['run_id']}", headers=ADMIN).json()["panels"]
                 if p["demand_id"] == did)
    dropped = panel["members"][0]  # forbidden by its pseudonym
    ranked = client.get(f"/demands/{did}/experts?top=40", headers=ADMIN).json()["experts"]
    wanted = ranked[-1]["expert_id"]  # a weak match, forced by its 专家编号
    assert wanted not in {m["expert_id"] for m in panel["members"]}
    for solver in ("optimal", "greedy", "random_draw"):
        r = client.post("/experts/assignments", headers=ADMIN, json={
            **body, "solver": solver, "seed": 5, "force": [{"demand_id": did, "expert_id": wanted}],
            "forbid": [{"demand_id": did, "expert_id": dropped["expert"]}]})
        assert r.status_code == 200, r.text
        assert (r.json()["forced"], r.json()["forbidden"], r.json()["skipped_pairs"]) == (1, 1, [])
        run = client.get(f"/experts/assignments/{r.json()['run_id']}", headers=ADMIN).json()
        members = {m["expert_id"]: m for m in next(p for p in run["panels"] if p["demand_id"] == did)["members"]}
        assert wanted in members and members[wanted]["forced"] and dropped["expert_id"] not in members
        assert run["params"]["force"] == [{"demand_id": did, "expert": members[wanted]["expert"], "expert_id": wanted,
                                           "name": members[wanted]["name"]}]
        assert run["params"]["forbid"][0]["expert_id"] == dropped["expert_id"]
    staff_view = client.get(f"/experts/assignments/{r.json()['run_id']}").json()["params"]
    assert staff_view["force"] == [{"demand_id": did, "expert": members[wanted]["expert"]}]  # pseudonyms only
    assert "EXP" not in json.dumps(staff_view)
    # the jobs path passes the pairs through as well
    job = client.post("/jobs/panels", headers=ADMIN, json={**body, "force": [{"demand_id": did, "expert_id": wanted}]})
    assert job.status_code == 202, job.text
    for _ in range(600):
        state = client.get(f"/jobs/{job.json()['job_id']}", headers=ADMIN).json()
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert state["status"] == "done" and state["result"]["forced"] == 1, state
    # a forced pair that a conflict blocks is explained with the rule, the expert named as the caller named it
    r = client.post("/experts/assignments", headers=ADMIN,
                    json={**body, "force": [{"demand_id": did, "expert_id": "EXP001"}]})  # EXP001 avoids it
    assert r.status_code == 422 and r.json()["code"] == "assignment_infeasible"
    (detail,) = [d for d in r.json()["details"] if d["constraint"] == "forced_blocked"]
    assert detail["expert_id"] == "EXP001" and "expert_avoids" in detail["rules"]
    assert "EXP001" in detail["message_zh"] and "回避" in detail["message_zh"] and "avoid" in detail["message_en"]
    # one expert forced onto more panels than the max load
    others = [_demand_id(client, x) for x in ("LN2023-0005", "LN2023-0006")]
    r = client.post("/experts/assignments", headers=ADMIN, json={
        **body, "max_load": 1, "force": [{"demand_id": d, "expert_id": wanted} for d in [did, *others]]})
    assert r.status_code == 422 and any(d["constraint"] == "forced_max_load" for d in r.json()["details"])
    # refused before solving: a pair both forced and forbidden, an unknown expert; staff may not force at all
    pair = {"demand_id": did, "expert_id": wanted}
    assert client.post("/experts/assignments", headers=ADMIN, json={**body, "force": [pair], "forbid": [pair]}
                       ).status_code == 422
    r = client.post("/experts/assignments", headers=ADMIN,
                    json={**body, "force": [{"demand_id": did, "expert_id": "EXP999"}]})
    assert r.status_code == 404 and r.json()["details"]["pairs"][0]["expert_id"] == "EXP999"
    assert client.post("/experts/assignments", json={**body, "force": [pair]}).status_code == 403
    # a pair outside the round (another batch / demand list) is reported, not silently honoured
    r = client.post("/experts/assignments", headers=ADMIN, json={**body, "demand_ids": others, "force": [pair]})
    assert r.status_code == 200 and r.json()["skipped_pairs"] == [{"kind": "force", **pair}]


def test_console_forbid_and_force_then_redraw_honours_them(client: TestClient, settings: Settings) -> None:
    """The panels page: 移出并禁止 a member, 指定专家 by 专家编号, the pending pairs listed (one removed),
    a re-draw from the run honours the rest; staff may not edit pairs; edits are audited."""
    from tests.tokens import console, csrf_of

    did = _demand_id(client, "LN2023-0004")
    body = {"solver": "optimal", "panel_size": 3, "max_load": 3}
    run_id = client.post("/experts/assignments", json=body, headers=ADMIN).json()["run_id"]
    panel = next(p for p in client.get(f"/experts/assignments/{run_id}", headers=ADMIN).json()["panels"]
                 if p["demand_id"] == did)
    dropped = panel["members"][0]
    ranked = client.get(f"/demands/{did}/experts?top=40", headers=ADMIN).json()["experts"]
    wanted, spare = ranked[-1], ranked[-2]
    c = console(client, TOKEN)
    page = c.get(f"/console/panels?run={run_id}&demand={did}").text
    assert "移出并禁止" in page and "指定专家" in page
    csrf = csrf_of(page)
    for action, expert in (("forbid", dropped["expert"]), ("force", wanted["expert_id"]), ("force", spare["expert"]),
                           ("remove", spare["expert"])):
        r = c.post("/console/panels/pair", data={"run": run_id, "demand": did, "expert": expert, "action": action,
                                                 "csrf": csrf}, follow_redirects=False)
        assert r.status_code == 303, r.text
    page = c.get(f"/console/panels?run={run_id}&demand={did}").text
    pending = page.split('id="pairs"')[1].split("</section>")[0]
    assert pending.count("待下次抽取") == 2 and wanted["name"] in pending and dropped["name"] in pending
    assert spare["name"] not in pending
    assert c.post("/console/panels/pair", data={"run": run_id, "demand": did, "expert": "x", "action": "force"}
                  ).status_code == 403  # no CSRF token
    staff = console(client, token_for(replace(settings, admin_token=TOKEN), "staff"))
    r = staff.post("/console/panels/pair", data={"run": run_id, "demand": did, "expert": wanted["expert"],
                                                 "action": "force", "csrf": csrf_of(staff.get("/console/").text)})
    assert r.status_code == 403
    r = c.post("/console/panels/run", data={"solver": "random_draw", "seed": "9", "panel_size": 3, "max_load": 3,
                                            "from_run": run_id, "csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303, r.text
    job_id = int(r.headers["location"].split("job=")[1])
    for _ in range(600):
        state = client.get(f"/jobs/{job_id}", headers=ADMIN).json()
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert state["status"] == "done", state
    new = client.get(f"/experts/assignments/{state['result']['run_id']}", headers=ADMIN).json()
    members = {m["expert_id"] for m in next(p for p in new["panels"] if p["demand_id"] == did)["members"]}
    assert wanted["expert_id"] in members and dropped["expert_id"] not in members
    page = c.get(f"/console/panels?run={new['run_id']}&demand={did}").text
    assert page.split('id="pairs"')[1].split("</section>")[0].count("本记录已遵守") == 2  # carried to the next draw
    audit = client.get(f"/audit?entity=assignment_run&entity_id={run_id}", headers=ADMIN).json()
    assert [e["after"]["action"] for e in audit if e["action"] == "update"] == ["remove", "force", "force", "forbid"]


def test_enterprise_avoid_list_matches_abbreviations_and_units(client: TestClient) -> None:
    """回避单位 as people write them: an abbreviation plus a faculty ("北航材料学院") excludes the expert of
    北京航空航天大学 (EXP035), a former name ("东北工学院") the experts of 东北大学."""
    row = next(json.loads(line) for line in (SAMPLES / "demands.jsonl").read_text(encoding="utf-8").splitlines()
               if line.strip() and json.loads(line)["需求编号"] == "LN2023-0004")
    row.update({"需求编号": "LN2023-9014", "需求名称": row["需求名称"] + "（简称回避）", "回避单位": "北航材料学院、东北工学院"})
    assert client.post("/demands", json=row, headers=ADMIN).status_code in (200, 201)
    did = _demand_id(client, "LN2023-9014")
    body = client.get(f"/demands/{did}/experts?top=40", headers=ADMIN).json()
    avoided = {x["expert_id"] for x in body["excluded"] if x["rule"] == "enterprise_avoids"}
    assert {"EXP035", "EXP002", "EXP004", "EXP015"} <= avoided and not {"EXP006", "EXP007"} & avoided  # 东北大学 vs 大连理工
    assert not avoided & {e["expert_id"] for e in body["experts"]}


def test_no_suitable_expert_when_the_only_relevant_one_is_excluded(client: TestClient) -> None:
    """光子计数CT: the only expert of the field (EXP027, 医学影像) avoids the enterprise. The ranking says
    库中无合适专家 with why, and the panel is left empty with the reasons instead of padded."""
    did = _demand_id(client, "LN2023-0017")
    body = client.get(f"/demands/{did}/experts?top=10", headers=ADMIN).json()
    assert body["no_suitable_expert"] and body["experts"] == [] and body["n_above_floor"] == 0
    assert "库中无合适专家" in body["message_zh"] and "no suitable expert" in body["message_en"]
    relevant = body["excluded_relevant"]
    assert relevant[0]["expert_id"] == "EXP027" and "expert_avoids" in relevant[0]["rules"]
    assert relevant[0]["relevance"] >= body["floor"]["value"] and "回避" in relevant[0]["message_zh"]
    best = body["best_below_floor"]
    assert 1 <= len(best) <= 3 and all(b["relevance"] < body["floor"]["value"] for b in best)
    staff = client.get(f"/demands/{did}/experts?top=10").json()  # staff see pseudonyms only
    assert staff["no_suitable_expert"] and "EXP" not in json.dumps(staff)
    # a demand with suitable experts is not affected
    assert not client.get(f"/demands/{_demand_id(client, 'LN2023-0003')}/experts").json()["no_suitable_expert"]

    other = _demand_id(client, "LN2023-0003")
    r = client.post("/experts/assignments", headers=ADMIN,
                    json={"demand_ids": [did, other], "solver": "optimal", "panel_size": 3, "max_load": 3})
    assert r.status_code == 200, r.text
    short = {x["demand_id"]: x for x in r.json()["shortfall"]}
    assert short[did]["have"] == 0 and "库中无合适专家" in short[did]["message_zh"]
    run = client.get(f"/experts/assignments/{r.json()['run_id']}", headers=ADMIN).json()
    assert did not in {p["demand_id"] for p in run["panels"]}  # no padded panel
    assert other in {p["demand_id"] for p in run["panels"]}
    reasons = next(x for x in run["shortfall"] if x["demand_id"] == did)
    assert reasons["excluded_relevant"][0]["expert_id"] == "EXP027" and reasons["best_below_floor"]


def test_short_of_suitable_experts_at_max_load_gives_a_short_panel_not_an_infeasible_round(
        client: TestClient) -> None:
    """Two demands whose only suitable experts are the same two (EXP046, EXP049: 船舶机舱故障预测), max load 1:
    asking both panels for both experts cannot be met, yet the round is not infeasible — one panel gets the two,
    the other is left short with 合适的专家已满负荷 and the experts that are full (JSON, Excel, 专家组 page)."""
    row = next(json.loads(line) for line in (SAMPLES / "demands.jsonl").read_text(encoding="utf-8").splitlines()
               if line.strip() and json.loads(line)["需求编号"] == "LN2023-0057")
    assert client.post("/demands", json=row, headers=ADMIN).status_code in (200, 201)
    row.update({"需求编号": "LN2023-9057", "需求名称": row["需求名称"] + "（二期）"})
    assert client.post("/demands", json=row, headers=ADMIN).status_code in (200, 201)
    ids = [_demand_id(client, x) for x in ("LN2023-0057", "LN2023-9057")]
    for did in ids:
        ranked = client.get(f"/demands/{did}/experts?top=10", headers=ADMIN).json()
        assert {e["expert_id"] for e in ranked["experts"]} == {"EXP046", "EXP049"}
    r = client.post("/experts/assignments", headers=ADMIN,
                    json={"demand_ids": ids, "solver": "optimal", "panel_size": 3, "max_load": 1})
    assert r.status_code == 200, r.text  # before load-aware sizing: 422, both panels asked for both experts
    short = {x["demand_id"]: x for x in r.json()["shortfall"]}
    assert set(short) == set(ids) and all(x["need"] == 3 and x["suitable"] == 2 for x in short.values())
    assert sorted(x["have"] for x in short.values()) == [0, 2]  # concentrated: one usable panel, not two of one
    loaded = next(x for x in short.values() if x["have"] == 0)
    assert loaded["cause"] == "full_load" and "合适的专家已满负荷" in loaded["message_zh"]
    assert "fully loaded" in loaded["message_en"] and "单人评审上限" in loaded["message_zh"]
    assert next(x for x in short.values() if x["have"] == 2)["cause"] == "no_suitable"  # short by the floor only
    run = client.get(f"/experts/assignments/{r.json()['run_id']}", headers=ADMIN).json()
    (panel,) = run["panels"]
    assert {m["expert_id"] for m in panel["members"]} == {"EXP046", "EXP049"}
    why = next(x for x in run["shortfall"] if x["demand_id"] == loaded["demand_id"])
    assert {e["expert_id"] for e in why["fully_loaded"]} == {"EXP046", "EXP049"} and why["cause"] == "full_load"
    staff = client.get(f"/experts/assignments/{r.json()['run_id']}").json()  # staff: pseudonyms only
    assert "EXP" not in json.dumps(staff["shortfall"]) and staff["shortfall"]
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/experts/assignments/{r.json()['run_id']}/export.xlsx",
                                                        headers=ADMIN).content))
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("合适的专家已满负荷" in c for c in cells)
    page = console(client, TOKEN).get(f"/console/panels?run={r.json()['run_id']}").text
    assert "合适的专家已满负荷" in page and "EXP046" in page.split('id="shortfall"')[1]
    for solver in ("greedy", "random_draw"):  # every assignment method gets the same load-aware sizes
        r = client.post("/experts/assignments", headers=ADMIN,
                        json={"demand_ids": ids, "solver": solver, "seed": 3, "panel_size": 3, "max_load": 1})
        assert r.status_code == 200, r.text
        assert sorted((x["have"], x["cause"]) for x in r.json()["shortfall"]) == [(0, "full_load"), (2, "no_suitable")]
