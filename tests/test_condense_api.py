"""Condensation (梳理凝练) through the real HTTP app on the shipped sample round: stable keys and kept
names after a second batch, staff edits surviving re-runs, the audit trail, roles, the report read back."""
from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from PIL import Image

from api.config import Settings
from api.http.app import create_app
from corpora import SAMPLES_DIR
from tests.tokens import ADMIN, bearer, token_for

SAMPLE_ROWS = [json.loads(line) for line in (SAMPLES_DIR / "demands.jsonl").read_text(encoding="utf-8").splitlines()
               if line.strip()]


@pytest.fixture
def client(app_settings: Settings):
    staff = bearer(token_for(app_settings, "staff"))
    with TestClient(create_app(app_settings), headers=staff) as c:
        yield c


def _import(client: TestClient, rows: list[dict]) -> None:
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    r = client.post("/imports", files={"file": ("round.jsonl", body, "application/json")})
    assert r.status_code == 200, r.text
    assert r.json()["new"] == len(rows)


def _members(client: TestClient) -> dict[int, str | None]:
    """demand id -> cluster key, from the JSON report."""
    r = client.get("/condense/report.json")
    assert r.status_code == 200, r.text
    return {m["系统编号"]: m["类编号"] or None for m in r.json()["members"]}


def _run(client: TestClient, **body) -> dict:
    r = client.post("/condense/run", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def test_second_batch_keeps_keys_names_and_staff_edits(client: TestClient) -> None:
    first = [r for r in SAMPLE_ROWS if r["批次"] == "第一批"]
    later = [r for r in SAMPLE_ROWS if r["批次"] != "第一批"]
    assert len(first) >= 10 and len(later) >= 10
    _import(client, first)
    run1 = _run(client)
    assert run1["mode"] == "refit" and run1["clusters"] >= 2
    before = _members(client)
    clusters = client.get("/clusters").json()["clusters"]
    biggest = clusters[0]
    assert biggest["size"] >= 2 and biggest["keywords"] and biggest["title"]
    r = client.post(f"/clusters/{biggest['key']}/rename", json={"name": "高温合金铸件缺陷检测"})
    assert r.status_code == 200, r.text

    _import(client, later)
    run2 = _run(client)
    assert run2["mode"] == "update" and run2["demands"] == len(SAMPLE_ROWS)
    after = _members(client)
    # every clustered demand of the first batch is where it was, under the same key (an unclustered one may
    # now have company in a new cluster)
    kept = {d: k for d, k in before.items() if k is not None}
    assert {d: after[d] for d in kept} == kept
    # new demands joined old clusters or formed new ones; keys are never reused for another cluster
    assert any(after[d] in set(before.values()) for d in after if d not in before)
    renamed = client.get(f"/clusters/{biggest['key']}").json()
    assert renamed["name"] == "高温合金铸件缺陷检测" and renamed["staff_name"] == "高温合金铸件缺陷检测"

    # merge two clusters and move one demand out; a full re-run keeps both edits
    keys = [c["key"] for c in client.get("/clusters").json()["clusters"]]
    assert len(keys) >= 3
    into, other = keys[0], keys[1]
    r = client.post("/clusters/merge", json={"keys": [other], "into": into})
    assert r.status_code == 200, r.text
    members_into = [m["demand_id"] for m in client.get(f"/clusters/{into}").json()["members"]]
    moved = members_into[-1]
    r = client.post(f"/demands/{moved}/cluster", json={"cluster": None})
    assert r.status_code == 200 and r.json()["pinned"] is True
    merged = {d for d, k in _members(client).items() if k == into}
    _run(client, refit=True)
    again = _members(client)
    assert merged <= {d for d, k in again.items() if k == into}
    assert again[moved] is None
    assert other not in {c["key"] for c in client.get("/clusters").json()["clusters"]}
    assert client.get(f"/clusters/{biggest['key']}").json()["name"] == "高温合金铸件缺陷检测"

    # every edit is in the audit log with the token's subject
    audit = client.get("/audit", headers=ADMIN, params={"limit": 50}).json()
    actions = [e["action"] for e in audit["entries"]] if isinstance(audit, dict) else [e["action"] for e in audit]
    for action in ("condense.run", "cluster.rename", "cluster.merge", "cluster.move"):
        assert action in actions


def test_report_reads_back_and_charts_are_drawn(client: TestClient) -> None:
    _import(client, SAMPLE_ROWS)
    run = _run(client)
    r = client.get("/condense/report.xlsx")
    assert r.status_code == 200
    book = pd.read_excel(io.BytesIO(r.content), sheet_name=None)
    assert "共性技术 common" in book and "成员 members" in book
    members = book["成员 members"]
    assert len(members) == len(SAMPLE_ROWS)
    office_sheets = [name for name in book
                     if name not in {"共性技术 common", "成员 members", "图表 charts", "未归类 by office"}]
    rows = pd.concat([book[name] for name in office_sheets])
    # 未归类 is reported per office, and no office's demands vanish: each office's sheet lists its 未归类
    # demands as problems of their own (the sample's 生物医药 demands are unrelated to each other)
    left = book["未归类 by office"]
    assert left["需求数"].sum() == len(SAMPLE_ROWS)
    for _, o in left.iterrows():
        assert o["归口处室"] in book
        assert (book[o["归口处室"]]["类编号"] == "未归类").sum() == o["未归类数"]
    rows = rows[rows["类编号"] != "未归类"]
    assert rows["上级类"].isna().sum() == run["clusters"]  # sub-clusters are rows of their own, under their parent
    assert rows[rows["上级类"].notna()]["类编号"].map(lambda k: "." in k).all()
    # every cluster carries a coherence (0–1) at or above the round's floor
    assert rows["一致性"].map(lambda v: 0 < float(v) <= 1).all()
    assert (rows[rows["上级类"].isna()]["一致性"] >= run["coherence_floor"]).all()
    assert rows["建议发榜需求名称"].map(lambda t: 0 < len(str(t)) <= 30).all()
    assert rows["摘要"].map(lambda t: 0 < len(str(t)) <= 200).all()
    # the common problems: clusters of 3+ enterprises, the planted alloy-casting inspection topic among them
    common = book["共性技术 common"]
    assert (common["不同企业数"] >= 3).all() and len(common) >= 1
    assert list(common["排名"]) == list(range(1, len(common) + 1))
    # charts are embedded pictures with something drawn on them
    images = load_workbook(io.BytesIO(r.content))["图表 charts"]._images
    assert len(images) == 4
    picture = Image.open(io.BytesIO(images[-1]._data()))
    pixels = np.asarray(picture.convert("L"), dtype=float)
    assert pixels.std() > 10 and (pixels < 128).mean() > 0.005


def test_roles(client: TestClient, app_settings: Settings) -> None:
    _import(client, SAMPLE_ROWS[:12])
    bureau = bearer(token_for(app_settings, "bureau", region="沈阳市"))
    assert client.post("/condense/run", json={}, headers=bureau).status_code == 403
    assert client.get("/clusters", headers=bureau).status_code == 403
    assert client.post("/condense/run", json={"groups": 0}).status_code == 422
    assert client.get("/clusters/C0001").status_code == 404


def test_a_merge_shows_the_right_figures_at_once_in_the_page_and_the_report(client: TestClient,
                                                                           app_settings: Settings) -> None:
    from tests.tokens import console

    _import(client, SAMPLE_ROWS)
    _run(client)
    clusters = client.get("/clusters").json()["clusters"]
    into, other = clusters[0], clusters[1]
    members = {m["demand_id"] for k in (into, other) for m in client.get(f"/clusters/{k['key']}").json()["members"]}
    report = client.get("/condense/report.json").json()
    enterprises = {m["企业名称"] for m in report["members"] if m["系统编号"] in members}
    investment = sum(float(r.get("需求研发总投入(万元)") or 0) for r in SAMPLE_ROWS
                     if r["需求编号"] in {m["需求编号"] for m in report["members"] if m["系统编号"] in members})
    r = client.post("/clusters/merge", json={"keys": [other["key"]], "into": into["key"]})
    assert r.status_code == 200, r.text

    merged = client.get(f"/clusters/{into['key']}").json()
    assert merged["size"] == len(members)
    assert merged["stats"]["enterprises"] == len(enterprises) and merged["stats"]["demands"] == len(members)
    assert abs(merged["stats"]["investment"] - investment) < 0.01
    page = console(client, token_for(app_settings, "staff")).get(f"/console/clusters/{into['key']}").text
    assert f"{len(members)} 条需求" in page and f"{len(enterprises)} 家企业" in page
    book = pd.read_excel(io.BytesIO(client.get("/condense/report.xlsx").content), sheet_name=None)
    row = next(r for name, sheet in book.items() if "类编号" in sheet for _, r in sheet.iterrows()
               if r["类编号"] == into["key"])
    assert row["需求数"] == len(members) and row["企业数"] == len(enterprises)
    assert row["建议发榜需求名称"] == merged["title"] and row["摘要"] == merged["summary"]
    js = client.get("/condense/report.json").json()
    assert next(c for c in js["clusters"] if c["key"] == into["key"])["stats"]["enterprises"] == len(enterprises)


def test_a_confirmed_duplicate_pair_counts_its_enterprises_once(client: TestClient) -> None:
    """Staff confirming two members of a cluster as duplicates lowers its distinct-enterprise count on the
    next run (the confirmed pairs of every cluster are read at once)."""
    _import(client, SAMPLE_ROWS)
    _run(client)
    members = client.get("/condense/report.json").json()["members"]
    clusters = [c for c in client.get("/clusters").json()["clusters"]
                if c["stats"].get("distinct_enterprises") == c["stats"]["enterprises"] >= 2]
    assert clusters, "the sample round has a cluster of several distinct enterprises"
    key = clusters[0]["key"]
    first, second = [m for m in members if m["类编号"] == key][:2]
    assert first["企业名称"] != second["企业名称"]
    pair = {"demand_a": first["系统编号"], "demand_b": second["系统编号"], "decision": "confirm"}
    assert client.post("/dedup/decisions", json=pair, headers=ADMIN).status_code == 200
    _run(client)
    after = {c["key"]: c for c in client.get("/clusters").json()["clusters"]}[key]["stats"]
    assert after["distinct_enterprises"] == clusters[0]["stats"]["enterprises"] - 1
