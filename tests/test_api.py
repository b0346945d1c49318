"""HTTP API through FastAPI's TestClient on a temporary SQLite home (the real app, no mocks)."""
from __future__ import annotations

import io
import json
from dataclasses import replace

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.config import Settings
from tests.tokens import bearer, token_for
from tests.demand_rows import CONTACT_MOBILE, CONTACT_NAME, make_row, write_jsonl

TOKEN = "test-admin-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
ERROR_KEYS = {"code", "message_zh", "message_en", "details"}


@pytest.fixture
def client(settings: Settings):
    """The app as department staff use it (a staff token by default; ADMIN where a test needs more)."""
    settings = replace(settings, admin_token=TOKEN)
    with TestClient(create_app(settings), headers=bearer(token_for(settings, "staff"))) as c:
        yield c


def _upload(client: TestClient, name: str, content: bytes, **params):
    return client.post("/imports", files={"file": (name, content)}, params=params)


def test_health(client: TestClient, settings: Settings) -> None:
    body = client.get("/health").json()
    store = "postgresql" if settings.database_url.startswith("postgresql") else "sqlite"
    assert body["status"] == "ok" and body["database"] == store and body["campaign"] == "liaoning-2023"
    assert body["database_state"] == "ok" and body["disk_state"] == "ok" and body["disk_free_mb"] > 0


def test_submit_get_and_findings(client: TestClient) -> None:
    r = client.post("/demands", json=make_row(1))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["outcome"] == "new" and body["demand"]["check_status"] == "ok"
    demand_id = body["demand"]["id"]
    assert body["demand"]["office"] == "信息处"  # make_row(1) is 新一代信息技术
    # English field names are accepted too; a 重点需求 with 1500万元 breaks the investment band
    english = {"name": "大连英文键测试有限公司", "region": "大连市", "independent_legal_person": True,
               "bad_credit_record": False, "sales_revenue": 9000, "rd_expense": 900,
               "tech_enterprise_types": ["高新技术企业"], "category": "重点需求", "title": "英文键需求",
               "tech_area": "农业", "description": "测试。", "total_investment": 1500}
    r = client.post("/demands", json=english)
    assert r.status_code == 200, r.text
    flagged = r.json()["demand"]
    assert flagged["check_status"] == "error" and flagged["region"] == "大连市"
    findings = client.get(f"/demands/{flagged['id']}/findings").json()
    assert "investment_fits_category" in {f["rule_id"] for f in findings}
    assert all(f["message_zh"] and f["message_en"] for f in findings)
    assert client.get(f"/demands/{demand_id}").json()["external_id"] == "T-001"
    assert client.post("/demands", json=make_row(1)).json()["outcome"] == "unchanged"


def test_personal_fields_need_the_admin_token(client: TestClient) -> None:
    demand_id = client.post("/demands", json=make_row(2)).json()["demand"]["id"]
    public = client.get(f"/demands/{demand_id}").text
    assert CONTACT_NAME not in public and CONTACT_MOBILE not in public
    admin = client.get(f"/demands/{demand_id}", headers=ADMIN).json()
    assert admin["record"]["联系人姓名"] == CONTACT_NAME
    wrong = client.get(f"/demands/{demand_id}", headers={"Authorization": "Bearer wrong"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "invalid_token"  # no silent masked fallback
    assert client.get("/audit").status_code == 403  # staff may not read the audit log
    audit = client.get("/audit", headers=ADMIN)
    assert audit.status_code == 200 and audit.json()[0]["entity"] == "demand"
    assert audit.json()[0]["action"] == "read_personal" and audit.json()[0]["actor"] == "api:admin"


def test_errors_share_one_body_shape(client: TestClient) -> None:
    missing = client.get("/demands/4242")
    assert missing.status_code == 404 and set(missing.json()) == ERROR_KEYS
    invalid = client.post("/demands", json={"企业名称": "某公司", "上年度销售收入(万元)": "很多"})
    assert invalid.status_code == 422 and set(invalid.json()) == ERROR_KEYS
    fields = {d["field"] for d in invalid.json()["details"]}
    assert {"需求名称", "上年度销售收入(万元)"} <= fields
    assert all(d["message_zh"] and d["message_en"] for d in invalid.json()["details"])
    assert set(client.get("/no-such-page").json()) == ERROR_KEYS
    bad_type = _upload(client, "demands.pdf", b"%PDF")
    assert bad_type.status_code == 422 and bad_type.json()["code"] == "invalid_input"


def test_import_jsonl_reports_rejected_rows_and_is_idempotent(client: TestClient, tmp_path) -> None:
    rows = [make_row(i) for i in range(10, 15)]
    rows.insert(2, make_row(99, 需求名称=None))                        # row 3: required field missing
    rows.append(make_row(98, **{"上年度研发费用(万元)": "一些"}))        # row 7: not a number
    content = write_jsonl(tmp_path / "batch.jsonl", rows).read_bytes()
    first = _upload(client, "batch.jsonl", content)
    assert first.status_code == 200, first.text
    report = first.json()
    assert (report["rows"], report["new"], report["rejected_rows"]) == (7, 5, 2)
    rejected = {(r["row_number"], r["field"]) for r in report["rejected"]}
    assert rejected == {(3, "需求名称"), (7, "上年度研发费用(万元)")}
    assert all(r["reason_zh"] and r["reason_en"] for r in report["rejected"])
    assert CONTACT_NAME not in first.text
    again = _upload(client, "batch.jsonl", content).json()
    assert (again["new"], again["unchanged"], again["updated"]) == (0, 5, 0)
    rows[0]["需求描述"] = "修改后的描述。"
    changed = _upload(client, "batch.jsonl", write_jsonl(tmp_path / "b2.jsonl", rows).read_bytes()).json()
    assert (changed["new"], changed["unchanged"], changed["updated"]) == (0, 4, 1)
    assert client.get("/demands").json()["total"] == 5


def test_import_chinese_header_excel_and_list_filters(client: TestClient) -> None:
    rows = [make_row(i, 批次="第二批" if i % 2 else "第一批") for i in range(20, 28)]
    buffer = io.BytesIO()
    pd.DataFrame(rows).to_excel(buffer, index=False)
    report = _upload(client, "城市推荐.xlsx", buffer.getvalue()).json()
    assert (report["format"], report["new"], report["rejected_rows"]) == ("excel", 8, 0)
    page = client.get("/demands", params={"batch": "第二批", "limit": 3}).json()
    assert page["total"] == 4 and len(page["items"]) == 3
    rest = client.get("/demands", params={"batch": "第二批", "limit": 3, "offset": 3}).json()
    assert len(rest["items"]) == 1
    assert {d["batch"] for d in page["items"] + rest["items"]} == {"第二批"}
    by_region = client.get("/demands", params={"region": "沈阳市"}).json()
    assert by_region["total"] == sum(r["注册地区"] == "沈阳市" for r in rows)
    assert client.get("/demands", params={"check_status": "error"}).json()["total"] == 0
    assert client.get("/demands", params={"limit": 0}).status_code == 422
    quota = {q["name"]: q for q in client.get("/quota").json()}
    assert quota["沈阳市"]["count"] == by_region["total"] and quota["沈阳市"]["minimum"] == 200


def test_a_page_of_demands_reads_its_enterprises_and_findings_with_the_page(client: TestClient) -> None:
    """Each listed demand shows its enterprise and findings, read with the page: as many statements for a page of 8
    as for a page of 2 (one statement per demand each made a page of 20 cost 40 round trips under load, #21)."""
    from sqlalchemy import event

    rows = [make_row(i, **({"需求类别": "重点需求", "需求研发总投入(万元)": 1500} if i % 2 else {})) for i in range(40, 48)]
    assert [client.post("/demands", json=r, headers=ADMIN).status_code for r in rows] == [200] * 8
    statements: list[str] = []
    engine = client.app.state.services.engine
    listen = lambda conn, cursor, statement, *rest: statements.append(statement)  # noqa: E731
    counts = {}
    event.listen(engine, "before_cursor_execute", listen)
    try:
        for limit in (2, 8):
            statements.clear()
            page = client.get("/demands", params={"limit": limit}, headers=ADMIN).json()["items"]
            counts[limit] = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert counts[2] == counts[8] and len(page) == 8
    names = {r["需求编号"]: r["企业名称"] for r in rows}
    assert all(d["enterprise"] == names[d["external_id"]] for d in page)
    for d in page:
        assert [f["rule_id"] for f in d["findings"]] == [f["rule_id"] for f in client.get(
            f"/demands/{d['id']}/findings").json()]
    assert any(d["findings"] for d in page)


def test_openapi_has_chinese_descriptions(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/demands", "/imports", "/demands/{demand_id}/findings", "/quota", "/health"} <= set(spec["paths"])
    record = spec["components"]["schemas"]["DemandRecord"]["properties"]
    assert "需求名称" in record and "必填" in record["需求名称"]["description"]


def test_unusable_file_is_one_clear_error(client: TestClient) -> None:
    r = _upload(client, "wrong.csv", "名称,金额\n甲,1\n".encode("utf-8"))
    assert r.status_code == 422 and set(r.json()) == ERROR_KEYS
    assert r.json()["message_zh"] and r.json()["message_en"]
    assert client.get("/demands").json()["total"] == 0


def test_what_was_submitted_comes_back_exactly(client: TestClient, settings: Settings, tmp_path) -> None:
    """Full-width punctuation and digits, traditional characters, inner spacing: stored and returned as sent;
    only matching works on a normalised copy (the simplified twin is still found as a duplicate)."""
    description = "研發ＡＩ視覺檢測系統，精度達到０．０２ｍｍ；  解決葉片鑄造缺陷（氣孔、裂紋）漏檢問題。"
    title = "葉片鑄造缺陷ＡＩ視覺檢測關鍵技術"
    sent = make_row(70, 需求名称=title, 需求描述=description, 企业名称="遼寧測試七十號裝備製造有限公司")
    demand = client.post("/demands", json=sent).json()["demand"]
    stored = client.get(f"/demands/{demand['id']}").json()
    assert stored["record"]["需求描述"] == description and stored["record"]["需求名称"] == title
    assert stored["title"] == title and stored["enterprise"] == "遼寧測試七十號裝備製造有限公司"
    from api.cli import main

    where = ["--home", str(settings.home), "--database-url", settings.db_url]
    assert main([*where, "-q", "export", str(tmp_path / "out.xlsx")]) == 0
    assert main([*where, "-q", "export", str(tmp_path / "out.jsonl")]) == 0
    assert pd.read_excel(tmp_path / "out.xlsx")["需求描述"].tolist() == [description]
    assert pd.read_json(tmp_path / "out.jsonl", lines=True)["需求名称"].tolist() == [title]
    twin = make_row(71, 需求名称="叶片铸造缺陷AI视觉检测关键技术",
                    需求描述="研发AI视觉检测系统,精度达到0.02mm; 解决叶片铸造缺陷(气孔、裂纹)漏检问题。")
    found = client.post("/demands", json=twin).json()["demand"]["findings"]
    dup = [f for f in found if f["rule_id"] == "duplicate"]
    assert dup and dup[0]["values"]["candidates"][0]["id"] == demand["id"]


@pytest.mark.parametrize("value", [["a", "b"], {"x": 1}, True])
def test_wrong_json_types_are_errors_not_strings(client: TestClient, value) -> None:
    r = client.post("/demands", json=make_row(72, 需求描述=value))
    assert r.status_code == 422 and set(r.json()) == ERROR_KEYS
    [detail] = [d for d in r.json()["details"] if "需求描述" in d["field"]]
    assert "文本" in detail["message_zh"] and "text" in detail["message_en"]
    assert client.get("/demands").json()["total"] == 0



def test_unknown_or_misspelt_keys_are_reported(client: TestClient) -> None:
    row = make_row(73)
    row["需求描叙"] = row.pop("需求描述")  # a typo: the description would be lost without a word
    row["remarks"] = "not a form field"
    body = client.post("/demands", json=row).json()
    [note] = body["notes"]
    assert note["code"] == "unknown_fields" and note["details"] == ["需求描叙", "remarks"]
    assert "需求描叙" in note["message_zh"] and "not stored" in note["message_en"]
    assert client.get(f"/demands/{body['demand']['id']}").json()["record"]["需求描述"] is None  # what the note warns of
    clean = client.post("/demands", json=make_row(74)).json()
    assert clean["notes"] == []
    schema = client.get("/openapi.json").json()["components"]["schemas"]["DemandRecord"]["properties"]
    assert schema["需求描述"]["x-english-key"] == "description" and "description" in schema["需求描述"]["description"]


@pytest.fixture
def small_limits(settings: Settings):
    limited = replace(settings, admin_token=TOKEN, max_body_bytes=64 * 1024, max_upload_bytes=256 * 1024,
                      max_text_chars=5_000)
    with TestClient(create_app(limited), headers=bearer(token_for(limited, "staff"))) as c:
        yield c


def test_oversized_requests_and_texts_are_refused_with_reasons(small_limits: TestClient) -> None:
    client = small_limits
    huge = client.post("/demands", json=make_row(80, 需求描述="长" * 40_000))  # ~120 KB of JSON
    assert huge.status_code == 413 and set(huge.json()) == ERROR_KEYS and "MB" in huge.json()["message_zh"]
    data = json.dumps(make_row(80, 需求描述="长" * 40_000), ensure_ascii=False).encode("utf-8")
    streamed = client.post("/demands", content=(data[i:i + 8192] for i in range(0, len(data), 8192)),
                           headers={"Content-Type": "application/json"})  # chunked: no Content-Length to trust
    assert streamed.status_code == 413 and streamed.json()["code"] == "payload_too_large"
    capped = client.post("/demands", json=make_row(81, 需求描述="字" * 6_000))  # small enough to send, too long to keep
    assert capped.status_code == 422 and "需求描述" in capped.json()["details"][0]["field"]
    assert "上限5000字" in capped.json()["details"][0]["message_zh"]
    over_form = client.post("/demands", json=make_row(82, 需求描述="字" * 1_200)).json()["demand"]
    assert "text_length" in {f["rule_id"] for f in over_form["findings"]}  # the form's 1,000 字: a finding
    rows = [make_row(83), make_row(84, 需求描述="字" * 6_000), make_row(85)]
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    report = _upload(client, "round.jsonl", body).json()
    assert report["new"] == 2 and [r["row_number"] for r in report["rejected"]] == [2]
    assert report["rejected"][0]["field"] == "需求描述"
    big_file = _upload(client, "round.jsonl", body * 30)  # ~570 KB
    assert big_file.status_code == 413 and big_file.json()["code"] == "payload_too_large"
    assert client.get("/demands").json()["total"] == 3  # 82, 83, 85: nothing of the refused requests


def test_the_api_docs_work_offline(client: TestClient) -> None:
    import re

    page = client.get("/docs", headers={"Authorization": ""})  # documentation needs no token
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert page.status_code == 200 and "http" not in page.text and len(assets) >= 2
    assert all(a.startswith("/") and client.get(a).status_code == 200 for a in assets)  # served by the app itself
    assert client.get("/openapi.json").json()["info"]["title"].startswith("揭榜挂帅")


def test_duplicate_evidence_shows_the_text_as_each_side_sent_it(client: TestClient) -> None:
    sent = "研發ＡＩ視覺檢測系統，精度達到０．０２ｍｍ；  解決葉片鑄造缺陷（氣孔、裂紋）漏檢問題。"
    first = client.post("/demands", json=make_row(75, 需求名称="葉片鑄造缺陷ＡＩ視覺檢測關鍵技術", 需求描述=sent)).json()
    twin = make_row(76, 需求名称="叶片铸造缺陷AI视觉检测关键技术",
                    需求描述="研发AI视觉检测系统,精度达到0.02mm; 解决叶片铸造缺陷(气孔、裂纹)漏检问题。")
    second = client.post("/demands", json=twin).json()["demand"]
    [candidate] = client.get(f"/demands/{second['id']}/duplicates").json()["candidates"]
    assert candidate["id"] == first["demand"]["id"]
    records = {"this": twin, "other": first["demand"]["record"]}
    shown = candidate["evidence"]["sentences"]
    assert shown and any("鑄造" in s["other"]["text"] for s in shown)  # the traditional side as it was sent
    for s in shown:
        for side in ("this", "other"):
            place = s[side]
            assert records[side][place["field"]][place["start"]:place["end"]] == place["text"]
