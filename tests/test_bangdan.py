"""The 榜单 draft: indicators and the draft entry (pure), then through the real HTTP app on the shipped sample
round — mark clusters and a demand 拟发榜, edit with versions, export per office and read the .docx back."""
from __future__ import annotations

import io
import json
import re
from dataclasses import replace

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.config import Settings
from api.http.app import create_app
from corpora import SAMPLES_DIR
from nlp.bangdan import FIELDS, BangdanMember, draft_entry, earliest_deadline
from nlp.indicators import find_indicators
from nlp.title_quality import title_defects
from tests.tokens import bearer, token_for

SAMPLE_ROWS = [json.loads(line) for line in (SAMPLES_DIR / "demands.jsonl").read_text(encoding="utf-8").splitlines()
               if line.strip()]
LABELS = dict(FIELDS)


def test_indicators_are_verbatim_with_what_they_measure() -> None:
    text = ("膜电极铂载量≤0.2 mg/cm²,额定功率密度≥1.3W/cm2,车用工况耐久性≥15000小时,成本降低40%;"
            "种植密度≥5000株/亩,并在5家以上企业应用验证,2023年完成。温差≤±0.1°C")
    found = {i.text: i.subject for i in find_indicators(text, source=7)}
    assert found["≤0.2 mg/cm²"] == "膜电极铂载量" and found["≥5000株/亩"] == "种植密度"
    assert found["≥1.3W/cm2"] == "额定功率密度" and "≥15000小时" in found and "≤±0.1°C" in found
    assert not any("5家" in t or "2023" in t for t in found)  # counts and years are not indicators
    assert all(i.source == 7 for i in find_indicators(text, source=7))


def test_draft_entry_merges_members_without_repeats() -> None:
    a = BangdanMember(1, "甲公司", "低铂膜电极", description="铂用量高。需开发低铂催化剂:铂载量≤0.2mg/cm2。",
                      publish_content="研究低铂膜电极制备技术。", solver_requirements="团队不少于7人。",
                      deliverables="样品100片。", investment=500, deadline="2026-12-31")
    b = replace(a, demand_id=2, investment=300, deadline="2025-12-31")  # the same enterprise filed it twice
    c = BangdanMember(3, "乙公司", "电解槽制氢", description="直流电耗≤4.2kWh/Nm3。项目实施周期三年,第一年完成小试。",
                      investment=200, deadline="24个月")
    entry = draft_entry([a, b, c], "低铂膜电极与制氢")
    assert entry["units"] == ["甲公司", "乙公司"]
    assert entry["content"].count("研究低铂膜电极制备技术") == 1 and "实施周期" not in entry["content"]
    assert [(i["text"], i["demand_id"]) for i in entry["indicators"]] == [("≤0.2mg/cm2", 1), ("≤4.2kWh/Nm3", 3)]
    assert entry["investment"] == {"total": 1000.0, "by_enterprise": {"甲公司": 800.0, "乙公司": 200.0}}
    assert entry["deadline"] == "2025-12-31"
    assert earliest_deadline(["24个月", "12个月"]) == "12个月" and earliest_deadline(["", "尽快"]) == "尽快"


@pytest.fixture
def client(settings: Settings):
    app_settings = replace(settings, admin_token="bangdan-admin-token")
    with TestClient(create_app(app_settings), headers=bearer(token_for(app_settings, "staff"))) as c:
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in SAMPLE_ROWS).encode("utf-8")
        assert c.post("/imports", files={"file": ("round.jsonl", body, "application/json")}).status_code == 200
        r = c.post("/condense/run", json={})
        assert r.status_code == 200, r.text
        yield c


def test_sample_round_titles_are_publishable_as_they_stand(client: TestClient) -> None:
    clusters = client.get("/clusters").json()["clusters"]
    for c in clusters:
        assert not title_defects(c["title"], c["stats"]["enterprises"]), c["title"]
        assert "共性关键技术" not in c["title"]
    for c in clusters:
        for m in client.get(f"/clusters/{c['key']}").json()["members"]:
            if len(m["title"]) <= 30:
                assert m["proposed_title"] == m["title"]  # a demand's own short name is never rewritten


def test_bangdan_marked_edited_versioned_and_exported(client: TestClient, settings: Settings) -> None:
    clusters = client.get("/clusters").json()["clusters"]
    office = clusters[0]["office"]
    marked = [c for c in clusters if c["office"] == office][:2]
    entries = []
    for c in marked:
        r = client.post(f"/clusters/{c['key']}/bangdan")
        assert r.status_code == 200, r.text
        entries.append(r.json())
        assert r.json()["content"]["name"] == c["name"] and r.json()["version"] == 1
    again = client.post(f"/clusters/{marked[0]['key']}/bangdan").json()
    assert again["id"] == entries[0]["id"]  # marking twice does not make a second entry
    single = client.post("/demands/1/bangdan").json()
    assert single["demand_id"] == 1 and single["content"]["units"]

    first = entries[0]
    r = client.patch(f"/bangdan/{first['id']}", json={"changes": {"name": "人工修改的发榜名称"}, "version": 1})
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2 and r.json()["content"]["name"] == "人工修改的发榜名称"
    stale = client.patch(f"/bangdan/{first['id']}", json={"changes": {"deadline": "2027-01-01"}, "version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "bangdan_version_conflict"
    assert "未保存" in stale.json()["message_zh"]
    bad = client.patch(f"/bangdan/{first['id']}", json={"changes": {"demand_ids": [1]}})
    assert bad.status_code == 422 and "demand_ids" in bad.text  # a field that cannot be edited is named
    for investment in ('"nan"', '"inf"', '"#±n"', "-5", "NaN", "Infinity"):  # a number (or one written as text)
        wrong = client.patch(f"/bangdan/{first['id']}", content='{"changes": {"investment": %s}}' % investment,
                             headers={"Content-Type": "application/json"})
        assert wrong.status_code == 422 and "investment" in wrong.text, (investment, wrong.text)
    history = client.get(f"/bangdan/{first['id']}").json()["versions"]
    assert [(v["version"], v["changed"]) for v in history] == [(1, ["created"]), (2, ["name"])]
    assert all(v["actor"] and v["at"] for v in history)

    r = client.get("/bangdan/export.docx", params={"office": office})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    doc = Document(io.BytesIO(r.content))
    in_office = [e for e in client.get("/bangdan", params={"office": office}).json()["entries"]]
    assert len(doc.tables) == len(in_office) >= 2  # one table per 拟发榜 entry of the office
    for table, entry in zip(doc.tables, in_office):
        cells = {row.cells[0].text: row.cells[1].text for row in table.rows}
        assert set(cells) == set(LABELS.values())
        assert cells["发榜需求名称"] == entry["content"]["name"]
        for indicator in entry["content"]["indicators"]:
            assert indicator["text"] in cells["技术指标"]
    assert any(e["content"]["indicators"] for e in in_office)
    assert "人工修改的发榜名称" in [p.text.split(". ", 1)[-1] for p in doc.paragraphs]
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "宋体"

    book = load_workbook(io.BytesIO(client.get("/bangdan/export.xlsx").content))
    rows = sum(sheet.max_row - 1 for sheet in book.worksheets)
    assert rows == len(client.get("/bangdan").json()["entries"]) == 3

    assert client.delete(f"/bangdan/{single['id']}").json()["active"] is False
    assert len(client.get("/bangdan").json()["entries"]) == 2
    reader = bearer(token_for(replace(settings, admin_token="bangdan-admin-token"), "bureau", region="沈阳市"))
    assert client.post(f"/clusters/{marked[1]['key']}/bangdan", headers=reader).status_code in (401, 403)


def test_console_marks_edits_and_shows_the_history(client: TestClient, settings: Settings) -> None:
    browser = TestClient(client.app)
    form = browser.get("/console/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    staff = token_for(replace(settings, admin_token="bangdan-admin-token"), "staff", subject="console-staff")
    assert browser.post("/console/login", data={"token": staff, "csrf": csrf}, follow_redirects=False).status_code == 303
    key = client.get("/clusters").json()["clusters"][0]["key"]
    page = browser.get(f"/console/clusters/{key}").text
    assert f"/console/clusters/{key}/bangdan" in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    r = browser.post(f"/console/clusters/{key}/bangdan", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    entry_url = r.headers["location"]
    page = browser.get(entry_url).text
    assert "技术指标" in page and "修改记录" in page
    fields = {name: value for name, value in re.findall(r'<textarea name="(\w+)"[^>]*>([^<]*)</textarea>', page)}
    fields.update(name="控制台修改的名称", csrf=csrf, version="1")
    assert browser.post(entry_url, data=fields, follow_redirects=False).status_code == 303
    entry = client.get(f"/bangdan/{entry_url.rsplit('/', 1)[1]}").json()
    assert entry["content"]["name"] == "控制台修改的名称" and entry["version"] == 2
    assert entry["versions"][-1]["changed"] == ["name"]  # fields sent unchanged are not a change
    listed = browser.get("/console/bangdan").text
    assert "控制台修改的名称" in listed and "export.docx" in listed
