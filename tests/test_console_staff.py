"""What staff expect of the console (#20): sortable, searchable lists; exports with the review columns; the demand
page with its domain decision, history, 退回/撤回; the audit log; accounts with passwords and lockout.

Everything runs through the real app (TestClient) over a temporary SQLite home with the shipped models.
"""
from __future__ import annotations

import io
import json
import re

import pandas as pd
from fastapi.testclient import TestClient

from tests.demand_rows import make_row
from tests.tokens import bearer, console, csrf_of, token_for

from tests.console_app import ADMIN, ADMIN_TOKEN, sample_round, wait_job  # noqa: F401 (fixtures)


def test_demand_list_sorts_by_column_pages_by_size_and_searches_enterprise_number_or_name(client, app_settings) -> None:
    d = sample_round(client)
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
    d = sample_round(client)
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
    wait_job(client, job)
    report = staff.get(f"/console/intake?job={job}").text
    results = report.split('class="results"')[1].split("</table>")[0]
    assert "辽宁测试11号装备制造有限公司" in results and "第11号高端轴承精密加工关键技术" in results
    assert "沈阳缺名称有限公司" in report.split('class="rejected"')[1].split("</table>")[0]


def test_a_demand_page_shows_its_domain_decision_history_and_is_returned_or_withdrawn(client, app_settings) -> None:
    d = sample_round(client)
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
    d = sample_round(client)
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
