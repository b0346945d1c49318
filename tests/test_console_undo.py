"""Undo and a message after every write (#20): the last cluster edit (rename, merge, move, split, a bulk
move) is undone through HTTP and the console with its figures restored, the last duplicate decision from
the message that reports it, and every console write says what it did.

The real app (TestClient) over a temporary SQLite home with the shipped models and the sample round.
"""
from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from corpora import SAMPLES_DIR
from tests.console_app import ADMIN, sample_round  # noqa: F401 (fixtures)
from tests.tokens import bearer, console, csrf_of, token_for

FIRST_BATCH = [r for line in (SAMPLES_DIR / "demands.jsonl").read_text(encoding="utf-8").splitlines()
               if line.strip() and (r := json.loads(line))["批次"] == "第一批"]


def _condensed(client: TestClient) -> None:
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in FIRST_BATCH).encode("utf-8")
    assert client.post("/imports", files={"file": ("round.jsonl", body, "application/json")},
                       headers=ADMIN).status_code == 200
    assert client.post("/condense/run", json={}, headers=ADMIN).status_code == 200


def _state(client: TestClient) -> tuple[dict[int, str | None], dict[str, tuple]]:
    """Where each demand is, and each cluster's name, size, enterprises and title (what staff read)."""
    members = {m["系统编号"]: m["类编号"] or None for m in client.get("/condense/report.json", headers=ADMIN).json()["members"]}
    clusters = {c["key"]: (c["name"], c["size"], c["stats"].get("enterprises"), c["title"])
                for c in client.get("/clusters", headers=ADMIN).json()["clusters"]}
    return members, clusters


def test_each_cluster_edit_is_undone_through_http_figures_and_all_newest_first(client, app_settings) -> None:
    _condensed(client)
    staff = bearer(token_for(app_settings, "staff", subject="规划处"))
    assert client.post("/clusters/undo", headers=staff).status_code == 404  # nothing since the run
    start = _state(client)
    keys = [k for k, v in sorted(start[1].items(), key=lambda kv: -kv[1][1])]
    into, other = keys[0], keys[1]
    assert client.post(f"/clusters/{into}/rename", json={"name": "员工起的名字"}, headers=staff).status_code == 200
    renamed = _state(client)
    assert client.post("/clusters/merge", json={"keys": [other], "into": into}, headers=staff).status_code == 200
    merged = _state(client)
    assert other not in merged[1] and merged[1][into][1] == start[1][into][1] + start[1][other][1]
    moved = next(d for d, k in merged[0].items() if k == into)
    assert client.post(f"/demands/{moved}/cluster", json={"cluster": None}, headers=staff).status_code == 200
    assert _state(client)[0][moved] is None

    r = client.post("/clusters/undo", headers=staff)  # the move
    assert r.status_code == 200 and r.json()["undone"] == "cluster.move"
    assert _state(client) == merged
    r = client.post("/clusters/undo", headers=staff)  # the merge: the other cluster is back with its figures
    assert r.json()["undone"] == "cluster.merge" and _state(client) == renamed
    assert client.post("/clusters/undo", headers=staff).json()["undone"] == "cluster.rename"
    assert _state(client) == start
    assert client.post("/clusters/undo", headers=staff).status_code == 404

    # a split is undone too; a run after an edit closes the undo history (the run may have moved others)
    members = [d for d, k in start[0].items() if k == into]
    r = client.post(f"/clusters/{into}/split", json={"demand_ids": members[:1]}, headers=staff)
    assert r.status_code == 200
    assert client.post("/clusters/undo", headers=staff).json()["undone"] == "cluster.split"
    assert _state(client) == start
    assert client.post(f"/clusters/{into}/rename", json={"name": "再改一次"}, headers=staff).status_code == 200
    assert client.post("/condense/run", json={}, headers=ADMIN).status_code == 200
    r = client.post("/clusters/undo", headers=staff)
    assert r.status_code == 404 and "没有可以撤销的修改" in r.json()["message_zh"]
    actions = [e["action"] for e in client.get("/audit", params={"entity": "cluster"}, headers=ADMIN).json()]
    assert actions.count("cluster.undo") == 4
    assert client.post("/clusters/undo", headers=bearer(token_for(app_settings, "bureau", region="沈阳市"))
                       ).status_code == 403


def test_the_console_offers_undo_after_a_cluster_edit_and_a_bulk_move_is_undone_at_once(client, app_settings) -> None:
    _condensed(client)
    staff = console(client, token_for(app_settings, "staff", subject="规划处"))
    start = _state(client)
    key = max(start[1], key=lambda k: start[1][k][1])
    page = staff.get(f"/console/clusters/{key}").text
    assert "撤销" not in page  # nothing to undo yet
    r = staff.post(f"/console/clusters/{key}/rename", data={"name": "轴承磨削", "csrf": csrf_of(page)})
    assert r.status_code == 200 and "已改名" in r.text and "最近一次修改：类改名" in r.text
    r = staff.post("/console/clusters/undo", data={"back": f"/console/clusters/{key}", "csrf": csrf_of(page)})
    assert r.status_code == 200 and "已撤销上一次修改" in r.text and str(r.url).endswith(f"/console/clusters/{key}?notice=undo")
    assert _state(client) == start

    other = next(k for k in start[1] if k != key)
    ids = [d for d, k in start[0].items() if k == key][:2]
    listing = staff.get("/console/demands").text
    r = staff.post("/console/demands/bulk", data={"action": "move", "ids": ids, "cluster": other,
                                                  "csrf": csrf_of(listing)})
    assert r.status_code == 200 and "已移动所选需求" in r.text
    assert all(_state(client)[0][d] == other for d in ids)
    page = staff.get("/console/clusters").text
    assert "移到另一类（2 条需求）" in page
    r = staff.post("/console/clusters/undo", data={"back": "/console/clusters", "csrf": csrf_of(page)})
    assert r.status_code == 200 and _state(client) == start


def test_the_message_after_a_duplicate_decision_undoes_it(client, app_settings) -> None:
    d = sample_round(client)
    a, b = d["first"]["id"], d["again"]["id"]
    staff = console(client, token_for(app_settings, "staff", subject="规划处"))
    page = staff.get("/console/dedup").text
    r = staff.post("/console/dedup/decide", data={"a": a, "b": b, "decision": "confirm", "csrf": csrf_of(page)})
    assert r.status_code == 200 and "已确认为重复" in r.text
    undo = r.text.split('id="undo-form"')[1].split("</form>")[0]
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', undo))
    assert {fields["a"], fields["b"]} == {str(a), str(b)} and "撤销" in undo
    r = staff.post("/console/dedup/reopen", data=fields)
    assert r.status_code == 200 and "回到待确认队列" in r.text and 'id="undo-form"' not in r.text
    assert client.get("/dedup/queue", headers=ADMIN).json()["pending"][0]["a"] in (a, b)


def test_every_console_write_ends_with_a_message(client, app_settings) -> None:
    """凝练, 领域, 榜单, 初审 and account writes said nothing before; each names what it did now."""
    d = sample_round(client)
    did = d["battery"]["id"]
    staff = console(client, token_for(app_settings, "staff", subject="规划处"))
    page = staff.get("/console/domains").text
    r = staff.post(f"/console/domains/{did}/decide", data={"code": "101", "back": "/console/domains?only=all",
                                                           "csrf": csrf_of(page)})
    assert r.status_code == 200 and "已保存技术领域" in r.text and "only=all" in str(r.url)
    r = staff.post(f"/console/demands/{did}/bangdan", data={"csrf": csrf_of(page)})
    assert r.status_code == 200 and "已列入榜单草稿" in r.text
    entry = int(re.search(r"/console/bangdan/(\d+)", str(r.url)).group(1))
    version = re.search(r'name="version" value="(\d+)"', r.text).group(1)
    r = staff.post(f"/console/bangdan/{entry}", data={"version": version, "name": "高镍正极材料攻关",
                                                      "csrf": csrf_of(page)})
    assert r.status_code == 200 and "已保存榜单条目" in r.text
    r = staff.post(f"/console/bangdan/{entry}/withdraw", data={"csrf": csrf_of(page)})
    assert r.status_code == 200 and "撤出榜单草稿" in r.text
    r = staff.post("/console/dedup/run", data={"batch": "第一批", "csrf": csrf_of(page)})
    assert r.status_code == 200 and "已开始" in r.text

    bureau = console(client, token_for(app_settings, "bureau", region="沈阳市", subject="沈阳市科技局"))
    home = bureau.get("/console/review").text
    r = bureau.post(f"/console/review/{d['first']['id']}", data={"decision": "pass", "csrf": csrf_of(home)})
    assert r.status_code == 200 and "已保存初审意见" in r.text
