"""Import validation, identifier checks, list filters, safe CSV and review records, through the real app and CLI."""
from __future__ import annotations

import csv
import json
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from api.cli import main
from api.config import Settings
from api.http.app import create_app
from tests.demand_rows import make_row
from tests.tokens import bearer, token_for


@pytest.fixture
def app_settings(settings: Settings) -> Settings:
    return replace(settings, admin_token="checks-admin")


@pytest.fixture
def client(app_settings: Settings):
    with TestClient(create_app(app_settings), headers=bearer(token_for(app_settings, "staff"))) as c:
        yield c


def _upload(client: TestClient, rows: list[dict], kind: str = "demands") -> dict:
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    r = client.post(f"/imports?kind={kind}", files={"file": ("rows.jsonl", body)})
    assert r.status_code == 200, r.text
    return r.json()


def test_every_problem_of_a_rejected_row_and_a_repeated_demand_number_are_listed(client) -> None:
    bad = make_row(2, **{"上年度销售收入(万元)": "很多", "提交时间": "去年", "独立法人": "也许"})
    report = _upload(client, [make_row(1), bad, make_row(3, 需求编号="T-001", 需求名称="另一个需求")])
    problems = [(r["row_number"], r["field"]) for r in report["rejected"]]
    assert sorted(p for p in problems if p[0] == 2) == [(2, "上年度销售收入(万元)"), (2, "提交时间"), (2, "独立法人")]
    assert (3, "需求编号") in problems and "第 1 行" in next(r["reason_zh"] for r in report["rejected"]
                                                        if r["row_number"] == 3)
    assert report["new"] == 1 and client.get("/demands").json()["total"] == 1


def test_identifiers_that_cannot_be_right_are_findings(client) -> None:
    good = client.post("/demands", json=make_row(4)).json()["demand"]
    assert not {"credit_code_invalid", "phone_invalid", "email_invalid"} & {f["rule_id"] for f in good["findings"]}
    row = make_row(5, 统一社会信用代码="91210100MA0XXXXX1Y", 联系人手机="1391234", 联系人电子邮箱="wang.at.example")
    found = {(f["rule_id"], tuple(f["fields"])) for f in client.post("/demands", json=row).json()["demand"]["findings"]}
    assert {("credit_code_invalid", ("统一社会信用代码",)), ("phone_invalid", ("联系人手机",)),
            ("email_invalid", ("联系人电子邮箱",))} <= found


def test_list_filters_read_values_like_intake(client) -> None:
    client.post("/demands", json=make_row(6, 注册地区="大连市", 批次="第二批"))
    client.post("/demands", json=make_row(7, 注册地区="沈阳市"))
    assert client.get("/demands", params={"region": "大连"}).json()["total"] == 1
    assert client.get("/demands", params={"region": "辽宁省大连市"}).json()["total"] == 1
    assert client.get("/demands", params={"batch": "2"}).json()["total"] == 1
    assert client.get("/demands", params={"region": "北京"}).json()["total"] == 0


def test_csv_exports_are_safe_against_formula_injection(client, app_settings, tmp_path) -> None:
    client.post("/demands", json=make_row(8, 需求名称='=HYPERLINK("http://x","点我")', 需求描述="+1+1 -2 @SUM(A1)"))
    out = tmp_path / "all.csv"
    assert main(["--home", str(app_settings.home), "-q", "export", str(out)]) == 0
    [row] = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert row["需求名称"].startswith("'=") and row["需求描述"].startswith("'+")
    assert float(row["上年度销售收入(万元)"]) == 8000  # numbers untouched


def test_review_records_over_http_take_the_import_files_keys(client, app_settings) -> None:
    admin = bearer("checks-admin")
    expert_file = [{"专家编号": "E9", "姓名": "赵专家", "工作单位": "大连海洋大学", "研究领域": "海参 育苗"}]
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in expert_file).encode("utf-8")
    assert client.post("/imports?kind=experts", headers=admin, files={"file": ("e.jsonl", body)}).status_code == 200
    ok = client.post("/experts/E9/reviews", headers=admin,
                     json={"项目名称": "刺参耐高温品系选育", "关键词": "刺参、育苗；选育", "评审时间": "2023/4/1"})
    assert ok.status_code == 200, ok.text
    bad = client.post("/experts/E9/reviews", headers=admin, json={"项目名称": "x", "评审时间": "四月某天"})
    assert bad.status_code == 422 and "评审时间" in json.dumps(bad.json()["details"], ensure_ascii=False)
    log = client.get("/audit", headers=admin, params={"entity": "expert_review"}).json()
    assert log and log[0]["actor"] == "api:admin"


def test_the_worksheet_with_the_forms_header_is_read_whichever_it_is(client, tmp_path) -> None:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "填表说明"
    book.active.append(["请按下表填写，每行一条需求。"])
    sheet = book.create_sheet("需求汇总")
    rows = [make_row(11), make_row(12)]
    sheet.append(["2023年揭榜挂帅需求汇总表"])  # a title row above the header
    sheet.append(list(rows[0]))
    for r in rows:
        sheet.append(list(r.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    report = client.post("/imports", files={"file": ("汇总.xlsx", buffer.getvalue())}).json()
    assert report["new"] == 2 and report["rejected"] == []
    [note] = [n for n in report["notes"] if n["code"] == "sheet"]
    assert "需求汇总" in note["message_zh"] and note["details"]["sheets"] == ["填表说明", "需求汇总"]
