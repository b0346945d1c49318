"""Who may change what: tokens with roles, through the real app and CLI on a temporary SQLite home."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.cli import main
from api.config import Settings
from api.http.app import create_app
from tests.demand_rows import CONTACT_MOBILE, CONTACT_NAME, make_row, write_jsonl
from tests.tokens import ADMIN, bearer, token_for



@pytest.fixture
def staff(app_settings: Settings) -> dict[str, str]:
    return bearer(token_for(app_settings, "staff", subject="规划处-测试"))


@pytest.fixture
def shenyang(app_settings: Settings) -> dict[str, str]:
    return bearer(token_for(app_settings, "bureau", region="沈阳市", subject="沈阳市科技局"))


def _jsonl(rows: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


def test_every_request_but_health_needs_a_token_and_nothing_is_replaced_without_one(client, staff) -> None:
    assert client.get("/health").status_code == 200
    stored = client.post("/demands", json=make_row(1), headers=staff).json()["demand"]
    hijack = {"需求编号": "T-001", "企业名称": "另一家公司", "需求名称": "覆盖"}  # the attack from the issue
    for r in (client.post("/demands", json=hijack),
              client.post("/imports", files={"file": ("x.jsonl", _jsonl([hijack]))}),
              client.post("/dedup/run", json={"batch": "第九批"}),
              client.get("/demands"), client.get(f"/demands/{stored['id']}")):
        assert r.status_code == 401 and r.json()["code"] == "unauthorized" and r.json()["message_zh"]
    again = client.get(f"/demands/{stored['id']}", headers=staff).json()
    assert again["enterprise"] == stored["enterprise"] and again["title"] == stored["title"]


def test_a_bureau_works_on_its_own_region_only(client, staff, shenyang) -> None:
    own = make_row(4, 注册地区="沈阳市")
    other = make_row(5, 注册地区="大连市")
    assert client.post("/demands", json=own, headers=shenyang).status_code == 200
    refused = client.post("/demands", json=other, headers=shenyang)
    assert refused.status_code == 403 and refused.json()["code"] == "region_forbidden"
    dalian = client.post("/demands", json=other, headers=staff).json()["demand"]
    listed = client.get("/demands", headers=shenyang).json()
    assert listed["total"] == 1 and {d["region"] for d in listed["items"]} == {"沈阳市"}
    assert client.get(f"/demands/{dalian['id']}", headers=shenyang).status_code == 404
    assert client.get("/demands", params={"region": "大连市"}, headers=shenyang).status_code == 403
    report = client.post("/imports", headers=shenyang,
                         files={"file": ("r.jsonl", _jsonl([make_row(8, 注册地区="沈阳市"), make_row(9, 注册地区="鞍山市")]))})
    body = report.json()
    assert body["new"] == 1 and [(r["row_number"], r["field"]) for r in body["rejected"]] == [(2, "注册地区")]
    assert client.post("/dedup/run", json={}, headers=shenyang).status_code == 403  # staff run the round


def test_roles_decide_imports_and_identities(client, app_settings, staff) -> None:
    expert_admin = bearer(token_for(app_settings, "expert_admin"))
    experts = _jsonl([{"专家编号": "E1", "姓名": "李专家", "工作单位": "东北大学", "所在地区": "沈阳市",
                       "研究领域": "轴承 精密磨削", "关键词": "轴承、磨削"}])
    assert client.post("/imports?kind=experts", headers=staff, files={"file": ("e.jsonl", experts)}).status_code == 403
    assert client.post("/imports?kind=experts", headers=expert_admin,
                       files={"file": ("e.jsonl", experts)}).json()["new"] == 1
    demand = client.post("/demands", json=make_row(12), headers=staff).json()["demand"]
    as_staff = client.get(f"/demands/{demand['id']}/experts", headers=staff).json()["experts"][0]
    as_admin = client.get(f"/demands/{demand['id']}/experts", headers=expert_admin).json()["experts"][0]
    assert "name" not in as_staff and as_admin["name"] == "李专家"
    contacts = client.get(f"/demands/{demand['id']}", headers=expert_admin).json()["record"]
    assert contacts["联系人姓名"] == "***"  # identities of experts, not enterprise contacts
    log = client.get("/audit", headers=ADMIN).json()
    assert any(e["action"] == "rank_experts" and e["actor"] == "api:test-expert_admin" for e in log)


def test_changing_the_enterprise_of_a_stored_demand_needs_an_admin(client, staff) -> None:
    client.post("/demands", json=make_row(20), headers=staff)
    moved = make_row(21, 需求编号="T-020")  # same 需求编号, another enterprise
    refused = client.post("/demands", json=moved, headers=staff)
    assert refused.status_code == 409 and refused.json()["code"] == "enterprise_change"
    assert client.get("/demands", headers=staff).json()["items"][0]["enterprise"] == make_row(20)["企业名称"]
    report = client.post("/imports", headers=staff, files={"file": ("m.jsonl", _jsonl([moved]))}).json()
    assert report["updated"] == 0 and report["rejected"][0]["field"] == "企业名称"
    assert client.post("/demands", json=moved, headers=ADMIN).json()["outcome"] == "updated"


def test_tokens_are_stored_hashed_listed_without_secrets_and_revocable(app_settings, client, capsys) -> None:
    home = ["--home", str(app_settings.home)]
    assert main([*home, "token", "create", "--role", "staff", "--subject", "高新处-王"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token.startswith("jb_") and client.get("/demands", headers=bearer(token)).status_code == 200
    with sqlite3.connect(app_settings.home / "jiebang.db") as con:
        dump = "\n".join(con.iterdump())
    assert token not in dump and token.split("_", 2)[2] not in dump
    assert main([*home, "token", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    [row] = [r for r in listed if r["subject"] == "高新处-王"]
    assert row["role"] == "staff" and not row["revoked"] and token not in json.dumps(listed)
    assert main([*home, "token", "revoke", row["prefix"]]) == 0
    assert client.get("/demands", headers=bearer(token)).status_code == 401
    assert main([*home, "token", "create", "--role", "bureau", "--subject", "x"]) == 2  # a bureau needs --region (a refused request: exit 2, #23)
    assert "--region" in capsys.readouterr().err


def test_reads_and_exports_of_personal_data_are_audited_with_the_subject(app_settings, client, staff, tmp_path,
                                                                        capsys) -> None:
    demand = client.post("/demands", json=make_row(30), headers=staff).json()["demand"]
    assert client.get(f"/demands/{demand['id']}", headers=staff).json()["record"]["联系人姓名"] == "***"
    assert client.get(f"/demands/{demand['id']}", headers=ADMIN).json()["record"]["联系人姓名"] == CONTACT_NAME
    home = ["--home", str(app_settings.home)]
    assert main([*home, "-q", "export", str(tmp_path / "all.xlsx"), "--include-personal", "--actor", "规划处-李"]) == 0
    capsys.readouterr()
    assert main([*home, "audit", "--json", "--limit", "20"]) == 0
    log = json.loads(capsys.readouterr().out)
    reads = [(e["actor"], e["action"]) for e in log if e["action"] in ("read_personal", "export_personal")]
    assert ("api:admin", "read_personal") in reads and ("规划处-李", "export_personal") in reads
    assert not any(e["actor"] == "api:规划处-测试" and e["action"] == "read_personal" for e in log)  # masked: no read
    assert CONTACT_MOBILE not in json.dumps(log, ensure_ascii=False)  # the CLI masks unless --include-personal


def test_a_deployment_may_open_masked_read_only_lists(app_settings, staff) -> None:
    with TestClient(create_app(replace(app_settings, public_read=True))) as open_client:
        open_client.post("/demands", json=make_row(40), headers=staff)
        page = open_client.get("/demands")
        assert page.status_code == 200 and CONTACT_NAME not in page.text
        assert open_client.post("/demands", json=make_row(41)).status_code == 401


def test_the_cli_says_when_a_token_is_wrong(app_settings, tmp_path: Path, capsys) -> None:
    home = ["--home", str(app_settings.home)]
    write_jsonl(tmp_path / "d.jsonl", [make_row(50)])
    assert main([*home, "-q", "import", str(tmp_path / "d.jsonl")]) == 0
    assert main([*home, "experts", "rank", "1", "--token", "not-a-token"]) == 2  # a refused request, not a file (#23)
    assert "--token" in capsys.readouterr().err
