"""The console and API as staff must be able to trust them (#20): a bureau never reads another region's
demand through an embedding view (duplicates JSON, demand page, round groups, panels, exports); the 查重
queue is one source of truth that a typo cannot empty; decided pairs stay visible and can be reopened;
panels are fixed one demand at a time; every role reaches the pages its work needs, in plain Chinese.

Everything runs through the real app (TestClient) over a temporary SQLite home with the shipped models.
"""
from __future__ import annotations

import io
import json
import re
import time
from dataclasses import replace

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from api.config import Settings
from api.http.app import create_app
from tests.demand_rows import make_row
from tests.dup_texts import REWORDED_0, TEXTS
from tests.tokens import bearer, console, csrf_of, token_for

ADMIN_TOKEN = "trust-test-admin"
ADMIN = bearer(ADMIN_TOKEN)
#: What only Dalian's demand says: none of it may reach a Shenyang bureau.
DALIAN_SECRETS = {"需求名称": "大连保密的风电轴承磨削需求", "企业名称": "大连保密重工股份有限公司",
                  "企业自身已开展工作": "已在瓦房店建成保密试验线三条", "发榜内容描述": "征集保密磨床热变形补偿方案"}


@pytest.fixture
def app_settings(settings: Settings) -> Settings:
    return replace(settings, admin_token=ADMIN_TOKEN)


@pytest.fixture
def client(app_settings: Settings):
    with TestClient(create_app(app_settings)) as c:
        yield c


def text_of(page: str) -> str:
    """What a reader sees of a page: its text nodes (no tags, attributes, scripts or styles)."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("script", "style")

        def handle_endtag(self, tag):
            self.skip -= tag in ("script", "style")

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(page)
    return " ".join(parser.parts)


def _wait(client: TestClient, job: int, timeout: float = 60) -> dict:
    """The job once it has ended (done or failed)."""
    deadline = time.monotonic() + timeout
    while (state := client.get(f"/jobs/{job}", headers=ADMIN).json())["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline, state
        time.sleep(0.1)
    return state


def _post(client: TestClient, row: dict) -> dict:
    r = client.post("/demands", json=row, headers=ADMIN)
    assert r.status_code in (200, 201), r.text
    return r.json()["demand"]


def _cross_region_pair(client: TestClient) -> tuple[dict, dict]:
    """A Dalian demand, then a Shenyang resubmission of the same text (flagged as its duplicate)."""
    dalian = _post(client, make_row(5, 注册地区="大连市", 需求描述=TEXTS[0], **{
        k: v for k, v in DALIAN_SECRETS.items()}))
    shenyang = _post(client, make_row(4, 注册地区="沈阳市", 需求名称="沈阳的风电主轴轴承磨削", 需求描述=REWORDED_0))
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


def _round(client: TestClient) -> dict[str, dict]:
    """第一批: a demand and its reworded resubmission by another enterprise (a pair intake flags), two
    unrelated demands; 第二批: one unrelated demand."""
    return {"first": _post(client, make_row(1, 注册地区="沈阳市", 需求名称="风电主轴轴承磨削", 需求描述=TEXTS[0])),
            "again": _post(client, make_row(2, 注册地区="沈阳市", 需求名称="风电轴承精密磨削", 需求描述=REWORDED_0)),
            "battery": _post(client, make_row(3, 需求名称="高镍正极材料", 需求描述=TEXTS[1])),
            "sea": _post(client, make_row(6, 需求名称="海参苗种繁育", 需求描述=TEXTS[3])),
            "steel": _post(client, make_row(7, 批次="第二批", 需求名称="硅钢退火控制", 需求描述=TEXTS[5]))}


def _pending(page: str) -> int:
    return int(re.search(r'id="pending-count">(\d+)<', page).group(1))


def _dashboard(page: str) -> tuple[int, int]:
    """(demands with an undecided duplicate, undecided pairs) as the dashboard states them."""
    demands = int(re.search(r"<b>(\d+)</b> 条需求有待核实的疑似重复", page).group(1))
    pairs = int(re.search(r"<b>(\d+)</b> 对疑似重复待确认", page).group(1))
    return demands, pairs


def test_an_unknown_batch_is_refused_and_a_run_never_hides_undecided_pairs(client, app_settings) -> None:
    _round(client)
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
    d = _round(client)
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
    d = _round(client)
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
        assert _wait(client, job)["status"] == "done"
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
    page = manager.get("/console/panels").text
    r = manager.post("/console/panels/run", data={"solver": "optimal", "panel_size": 8, "max_load": 1,
                                                  "csrf": csrf_of(page)}, follow_redirects=False)
    job = int(r.headers["location"].split("job=")[1])
    _wait(client, job)
    shown = manager.get(f"/console/jobs/{job}").text
    assert "details" not in text_of(shown), text_of(shown)
    assert "单人评审上限" in shown  # the reasons themselves, not a pointer to none


# ---------------------------------------------------------------------- what staff expect of the lists
def test_demand_list_sorts_by_column_pages_by_size_and_searches_enterprise_number_or_name(client, app_settings) -> None:
    d = _round(client)
    staff = console(client, token_for(app_settings, "staff"))
    page = staff.get("/console/demands?sort=-title&per=20").text
    titles = re.findall(r'<a href="/console/demands/\d+">([^<#][^<]*)</a>', page)
    assert titles == sorted(titles, reverse=True) and "需求名称 ▼" in page
    assert 'href="/console/demands?sort=title&amp;per=20"' in page  # the header toggles the direction
    assert '<option value="20" selected>' in page
    by_enterprise = staff.get("/console/demands", params={"q": "测试7号"}).text  # 企业名称
    assert "符合条件 1 条" in by_enterprise and "硅钢退火控制" in by_enterprise
    assert "符合条件 1 条" in staff.get("/console/demands", params={"q": "T-003"}).text  # 需求编号
    assert "符合条件 1 条" in staff.get("/console/demands", params={"q": f"#{d['sea']['id']}"}).text  # 系统编号
    assert "符合条件 1 条" in staff.get("/console/demands", params={"q": "海参"}).text  # 需求名称
    batches = re.findall(r'<option value="(第.批)"', staff.get("/console/demands").text)
    assert batches == ["第一批", "第二批"]  # batch order, not by count (第一批 has four)


def test_the_export_carries_the_review_columns_and_import_results_name_every_row(client, app_settings) -> None:
    d = _round(client)
    staff = console(client, token_for(app_settings, "staff"))
    sheet = pd.read_excel(io.BytesIO(staff.get("/console/demands/export.xlsx").content))
    assert list(sheet.columns[:5]) == ["系统编号", "检查结论", "规则提示", "归口处室", "类"]
    again = sheet[sheet["系统编号"] == d["again"]["id"]].iloc[0]
    assert again["检查结论"] == "有提醒" and "疑似重复" in again["规则提示"] and again["归口处室"]
    rows = "".join(json.dumps(make_row(n, 注册地区="沈阳市"), ensure_ascii=False) + "\n" for n in (11, 12))
    rows += json.dumps({"需求编号": "BAD", "企业名称": "沈阳缺名称有限公司", "注册地区": "沈阳市",
                                      "需求名称": ""}, ensure_ascii=False) + "\n"
    page = staff.get("/console/intake").text
    r = staff.post("/console/intake", data={"kind": "demands", "csrf": csrf_of(page)},
                   files={"file": ("three.jsonl", rows.encode())}, follow_redirects=False)
    job = int(r.headers["location"].split("job=")[1])
    _wait(client, job)
    report = staff.get(f"/console/intake?job={job}").text
    results = report.split('class="results"')[1].split("</table>")[0]
    assert "辽宁测试11号装备制造有限公司" in results and "第11号高端轴承精密加工关键技术" in results
    assert "沈阳缺名称有限公司" in report.split('class="rejected"')[1].split("</table>")[0]


def test_a_demand_page_shows_its_domain_decision_history_and_is_returned_or_withdrawn(client, app_settings) -> None:
    d = _round(client)
    did = d["first"]["id"]
    staff = console(client, token_for(app_settings, "staff", subject="规划处"))
    page = staff.get(f"/console/demands/{did}").text
    assert 'id="history"' in page and "新建（提交或导入）" in page and "还没有人工确认" in page
    r = staff.post(f"/console/demands/{did}/status", data={"action": "return", "note": "", "csrf": csrf_of(page)})
    assert r.status_code == 422 and "需要填写理由" in r.text
    r = staff.post(f"/console/demands/{did}/status", data={"action": "return", "note": "投入金额与类别不符，请核对",
                                                           "csrf": csrf_of(page)})
    assert r.status_code == 200 and "已退回" in r.text and "投入金额与类别不符" in r.text.split('id="history"')[1]
    assert client.get(f"/demands/{did}", headers=ADMIN).json()["status"] == "已退回"
    bureau_token = token_for(app_settings, "bureau", region="沈阳市", subject="沈阳市科技局")
    bureau = bearer(bureau_token)
    assert client.post(f"/demands/{did}/status", json={"action": "restore"}, headers=bureau).status_code == 403
    other = d["again"]["id"]
    r = client.post(f"/demands/{other}/status", json={"action": "withdraw", "note": "企业决定不再申报"}, headers=bureau)
    assert r.status_code == 200 and r.json()["status"] == "已撤回"
    restored = client.post(f"/demands/{other}/status", json={"action": "restore"}, headers=bureau)
    assert restored.status_code == 200 and client.get(f"/demands/{other}", headers=ADMIN).json()["status"] is None
    r = staff.post(f"/console/demands/{did}/status", data={"action": "restore", "csrf": csrf_of(page)})
    assert "已恢复原来的状态" in r.text
    audit = client.get("/audit", params={"entity": "demand"}, headers=ADMIN).json()
    assert {"return", "withdraw", "restore"} <= {e["action"] for e in audit}
    assert any(e["action"] == "return" and e["actor"] == "api:规划处" and e.get("note") == "投入金额与类别不符，请核对"
               for e in audit)
    r = client.post(f"/demands/{did}/domain", json={"code": "101"}, headers=bearer(token_for(app_settings, "staff",
                                                                                             subject="信息处")))
    assert r.status_code == 200, r.text
    page = staff.get(f"/console/demands/{did}").text
    domain = page.split('id="domain"')[1].split("</span>")[0]
    assert "101 软件" in domain and "信息处" in domain  # who decided it, and when (the day)
    assert "确认技术领域" in page.split('id="history"')[1] or "更正技术领域" in page.split('id="history"')[1]


def test_admin_reads_the_audit_log_in_the_console_and_every_page_links_the_api_docs(client, app_settings) -> None:
    d = _round(client)
    client.post("/dedup/decisions", json={"demand_a": d["first"]["id"], "demand_b": d["again"]["id"],
                                          "decision": "dismiss", "note": "各自的需求"}, headers=ADMIN)
    admin = console(client, ADMIN_TOKEN)
    home = admin.get("/console/").text
    assert "操作日志" in home.split("</nav>")[0] and 'href="/docs"' in home
    page = admin.get("/console/audit").text
    assert "查重决定" in page and "各自的需求" in page and "管理员" in page
    assert "新建" in admin.get("/console/audit?entity=demand").text
    staff = console(client, token_for(app_settings, "staff"))
    assert "操作日志" not in staff.get("/console/").text.split("</nav>")[0]
    assert staff.get("/console/audit").status_code == 403


# ---------------------------------------------------------------------- people sign in with passwords
def _login_form(c: TestClient) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', c.get("/console/login").text).group(1)


def test_people_sign_in_with_accounts_an_admin_manages_and_repeated_failures_lock(client, app_settings) -> None:
    admin = console(client, ADMIN_TOKEN)
    page = admin.get("/console/accounts").text
    r = admin.post("/console/accounts", data={"username": "Wang.Fang", "display_name": "规划处王芳", "role": "staff",
                                              "password": "short", "csrf": csrf_of(page)})
    assert r.status_code == 422 and "密码至少" in r.text
    r = admin.post("/console/accounts", data={"username": "Wang.Fang", "display_name": "规划处王芳", "role": "staff",
                                              "password": "qiushi-2023-ln", "csrf": csrf_of(page)})
    assert r.status_code == 200 and "账号已创建" in r.text and "wang.fang" in r.text
    assert "qiushi-2023-ln" not in client.get("/audit", params={"entity": "user"}, headers=ADMIN).text

    person = TestClient(client.app)
    r = person.post("/console/login", data={"username": "wang.fang", "password": "qiushi-2023-ln",
                                            "csrf": _login_form(person), "next": "/console/dedup"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console/dedup"
    home = person.get("/console/").text
    assert "规划处王芳" in home and "业务处室" in home
    decide = person.post("/console/dedup/run", data={"batch": "第九批", "csrf": csrf_of(home)})
    assert decide.status_code == 422  # a working session (the batch does not exist)

    stranger = TestClient(client.app)
    for _ in range(5):
        r = stranger.post("/console/login", data={"username": "wang.fang", "password": "wrong-guess-1",
                                                  "csrf": _login_form(stranger)})
        assert r.status_code == 401
    assert "用户名或密码不正确" in r.text or "锁定" in r.text
    r = stranger.post("/console/login", data={"username": "wang.fang", "password": "qiushi-2023-ln",
                                              "csrf": _login_form(stranger)})
    assert r.status_code == 401 and "账号已锁定" in r.text  # even the right password, while locked
    assert "locked" in {e["action"] for e in client.get("/audit", params={"entity": "user"}, headers=ADMIN).json()}

    # the admin resets the password: unlocked, old sessions end, the new password works
    r = admin.post("/console/accounts/wang.fang/password", data={"password": "xinmima-2024-ln", "csrf": csrf_of(page)})
    assert r.status_code == 200 and "已重置" in r.text
    assert person.get("/console/", follow_redirects=False).status_code == 303  # the old session ended
    again = TestClient(client.app)
    r = again.post("/console/login", data={"username": "wang.fang", "password": "xinmima-2024-ln",
                                           "csrf": _login_form(again)}, follow_redirects=False)
    assert r.status_code == 303
    # tokens still work for programs, and only an admin manages accounts
    staff = console(client, token_for(app_settings, "staff"))
    assert staff.get("/console/accounts").status_code == 403
    assert client.get("/demands", headers=bearer(token_for(app_settings, "staff"))).status_code == 200
