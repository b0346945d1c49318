"""The console and API as staff must be able to trust them (#20): a bureau never reads another region's
demand through an embedding view (duplicates JSON, demand page, round groups, panels, exports); the 查重
queue is one source of truth that a typo cannot empty; decided pairs stay visible and can be reopened;
panels are fixed one demand at a time; every role reaches the pages its work needs, in plain Chinese.

Everything runs through the real app (TestClient) over a temporary SQLite home with the shipped models.
"""
from __future__ import annotations

import io
import re

import pandas as pd
from fastapi.testclient import TestClient

from tests.demand_rows import make_row
from tests.dup_texts import REWORDED_0, TEXTS
from tests.tokens import bearer, console, csrf_of, token_for

from tests.console_app import ADMIN, post_demand, sample_round  # noqa: F401 (fixtures)

#: What only Dalian's demand says: none of it may reach a Shenyang bureau.
DALIAN_SECRETS = {"需求名称": "大连保密的风电轴承磨削需求", "企业名称": "大连保密重工股份有限公司",
                  "企业自身已开展工作": "已在瓦房店建成保密试验线三条", "发榜内容描述": "征集保密磨床热变形补偿方案"}


def _cross_region_pair(client: TestClient) -> tuple[dict, dict]:
    """A Dalian demand, then a Shenyang resubmission of the same text (flagged as its duplicate)."""
    dalian = post_demand(client, make_row(5, 注册地区="大连市", 需求描述=TEXTS[0], **{
        k: v for k, v in DALIAN_SECRETS.items()}))
    shenyang = post_demand(client, make_row(4, 注册地区="沈阳市", 需求名称="沈阳的风电主轴轴承磨削", 需求描述=REWORDED_0))
    return shenyang, dalian


def test_a_bureau_sees_that_a_duplicate_exists_in_another_region_and_nothing_of_it(client, app_settings) -> None:
    shenyang, dalian = _cross_region_pair(client)
    staff_view = client.get(f"/demands/{shenyang['id']}/duplicates", headers=ADMIN).json()["candidates"]
    assert dalian["id"] in {c["id"] for c in staff_view}  # it is a candidate (so the bureau must not read it)
    bureau_token = token_for(app_settings, "bureau", region="沈阳市", subject="沈阳市科技局")
    api = bearer(bureau_token)

    # JSON: the candidate is there, sealed: number and probability, no title, text, evidence or signals
    listed = client.get(f"/demands/{shenyang['id']}/duplicates", headers=api)
    assert listed.status_code == 200
    sealed = next(c for c in listed.json()["candidates"] if c["id"] == dalian["id"])
    assert sealed["sealed"] is True and sealed["score"] > 0 and sealed["title"] == "" and sealed["evidence"] == {}
    assert sealed["containment"] is None and sealed["signals"] == []
    body = listed.text + client.get(f"/demands/{shenyang['id']}/findings", headers=api).text
    for secret in [*DALIAN_SECRETS.values(), "大连市", "研究大型轴承精密磨削工艺"]:
        assert secret not in body, secret

    # the round's groups, their export and panels span every region: not the bureau's to read
    client.post("/dedup/run", json={}, headers=ADMIN)
    for path in ("/dedup/groups", "/dedup/export.xlsx"):
        assert client.get(path, headers=api).status_code == 403, path
    # HTML: the demand page says a similar demand exists elsewhere (to ask about it), nothing else
    c = console(client, bureau_token)
    page = c.get(f"/console/demands/{shenyang['id']}")
    assert page.status_code == 200
    duplicates = page.text.split('id="duplicates"')[1].split("</section>")[0]
    assert "其他地区" in duplicates and f"#{dalian['id']}" in duplicates
    for secret in [*DALIAN_SECRETS.values(), "大连市", "研究大型轴承精密磨削工艺"]:
        assert secret not in page.text, secret
    # exports of the bureau's own view carry its own demands only
    exported = c.get("/console/demands/export.xlsx").content
    text = pd.read_excel(io.BytesIO(exported)).astype(str).to_string()
    assert not [s for s in DALIAN_SECRETS.values() if s in text]
    # staff read the same pair in full
    staff = console(client, token_for(app_settings, "staff"))
    full = staff.get(f"/console/demands/{shenyang['id']}").text
    assert DALIAN_SECRETS["需求名称"] in full and DALIAN_SECRETS["企业名称"] in full


def test_panels_of_the_round_are_not_readable_by_a_bureau(client, app_settings) -> None:
    _cross_region_pair(client)
    bureau = bearer(token_for(app_settings, "bureau", region="沈阳市"))
    from corpora import SAMPLES_DIR

    r = client.post("/imports", params={"kind": "experts"}, headers=ADMIN,
                    files={"file": ("experts.jsonl", (SAMPLES_DIR / "experts.jsonl").read_bytes())})
    assert r.status_code == 200
    run = client.post("/experts/assignments", json={"panel_size": 2, "max_load": 8}, headers=ADMIN).json()
    r = client.get(f"/experts/assignments/{run['run_id']}", headers=bureau)
    assert r.status_code == 403 and DALIAN_SECRETS["需求名称"] not in r.text


def _pending(page: str) -> int:
    return int(re.search(r'id="pending-count">(\d+)<', page).group(1))


def _dashboard(page: str) -> tuple[int, int]:
    """(demands with an undecided duplicate, undecided pairs) as the dashboard states them."""
    demands = int(re.search(r"<b>(\d+)</b> 条需求有待核实的疑似重复", page).group(1))
    pairs = int(re.search(r"<b>(\d+)</b> 对疑似重复待确认", page).group(1))
    return demands, pairs


def test_an_unknown_batch_is_refused_and_a_run_never_hides_undecided_pairs(client, app_settings) -> None:
    sample_round(client)
    staff = console(client, token_for(app_settings, "staff", subject="规划处"))
    page = staff.get("/console/dedup").text
    assert _pending(page) == 1
    chooser = page.split('id="dedup-run"')[1].split("</form>")[0]
    assert re.findall(r'<option value="(第.批)">', chooser) == ["第一批", "第二批"]  # a list, in batch order
    r = staff.post("/console/dedup/run", data={"batch": "第四批", "csrf": csrf_of(page)}, follow_redirects=False)
    assert r.status_code == 422 and "请从已有批次中选择：第一批、第二批" in r.text
    r = client.post("/dedup/run", json={"batch": "第四批"}, headers=ADMIN)
    assert r.status_code == 422 and r.json()["code"] == "unknown_batch"
    read_as = client.post("/dedup/run", json={"batch": "第1批"}, headers=ADMIN).json()
    assert read_as["batch"] == "第一批" and read_as["demands"] == 4  # what the clerk meant, not 0 demands
    client.post("/dedup/run", json={"batch": "第二批"}, headers=ADMIN)  # the latest run: no pair in 第二批
    page = staff.get("/console/dedup").text
    assert _pending(page) == 1 and "队列已清空" not in page and 'id="queue-focus"' in page
    assert _dashboard(staff.get("/console/").text) == (2, 1)


def test_pending_pairs_are_one_list_counted_the_same_everywhere(client, app_settings) -> None:
    """After intake (no batch run yet) the queue holds what intake flagged; deciding a pair lowers every count."""
    d = sample_round(client)
    staff = console(client, token_for(app_settings, "staff", subject="规划处"))
    page = staff.get("/console/dedup").text
    assert "还没有运行过批量查重" in page and _pending(page) == 1 and 'id="queue-focus"' in page
    assert _dashboard(staff.get("/console/").text) == (2, 1)
    listed = staff.get("/console/demands?dup=pending").text
    assert "符合条件 2 条" in listed and "查重：有待核实的疑似重复" in listed
    queue = client.get("/dedup/queue", headers=ADMIN).json()
    assert [(p["a"], p["b"]) for p in queue["pending"]] == [(d["first"]["id"], d["again"]["id"])]
    with_keyboard = staff.post("/console/dedup/decide", data={"a": d["first"]["id"], "b": d["again"]["id"],
                                                              "decision": "confirm", "csrf": csrf_of(page)})
    assert with_keyboard.status_code == 200
    assert _pending(with_keyboard.text) == 0 and "队列已清空" in with_keyboard.text
    assert _dashboard(staff.get("/console/").text) == (0, 0)
    assert "符合条件 0 条" in staff.get("/console/demands?dup=pending").text


def test_a_decided_pair_says_so_everywhere_shows_who_when_why_and_can_be_reopened(client, app_settings) -> None:
    d = sample_round(client)
    a, b = d["first"]["id"], d["again"]["id"]
    staff = console(client, token_for(app_settings, "staff", subject="规划处"))
    page = staff.get(f"/console/demands/{b}").text
    assert "请核实" in page and f'data-b="{a}"' in page
    r = staff.post("/console/dedup/decide", data={"a": b, "b": a, "decision": "dismiss", "note": "两家企业各自的需求",
                                                  "back": f"/console/demands/{b}", "csrf": csrf_of(page)})
    assert r.status_code == 200
    findings = client.get(f"/demands/{b}/findings", headers=ADMIN).json()
    assert not [f for f in findings if "请核实" in f["message_zh"]]  # the rule finding agrees with the decision
    assert [f["rule_id"] for f in findings if "不是重复" in f["message_zh"]] == ["duplicate_dismissed"]
    decided = r.text.split('id="decided"')[1]
    assert "不是重复" in decided and "规划处" in decided and "两家企业各自的需求" in decided and f"#{a}" in decided
    assert client.get(f"/demands/{b}", headers=ADMIN).json()["check_status"] == "ok"
    queue = staff.get("/console/dedup").text
    assert "两家企业各自的需求" in queue.split('id="decided"')[1]
    # reopened: pending again, the finding asks for a check again, and the reopening is audited
    r = staff.post("/console/dedup/reopen", data={"a": a, "b": b, "back": "/console/dedup", "csrf": csrf_of(queue)})
    assert r.status_code == 200 and _pending(r.text) == 1 and 'id="decided"' not in r.text
    assert any("请核实" in f["message_zh"] for f in client.get(f"/demands/{b}/findings", headers=ADMIN).json())
    audit = client.get("/audit", params={"entity": "duplicate_pair"}, headers=ADMIN).json()
    assert [e["action"] for e in audit][:2] == ["reopen", "decide"] and audit[0]["actor"] == "api:规划处"
    assert client.post("/dedup/reopen", json={"demand_a": a, "demand_b": b}, headers=ADMIN).status_code == 404


# ---------------------------------------------------------------------- panels and experts
