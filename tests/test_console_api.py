"""The console and the job API through the real app, at every role boundary: what a city bureau can
read (pages, exports and JSON), what staff are shown of experts and contacts, revoked tokens and
their cookie sessions, CSRF on every write, and jobs that outlive their process."""
from __future__ import annotations

import io
import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
from fastapi.testclient import TestClient

from api.compose import build_services
from api.http.app import create_app
from api.services.access import revoke_token
from api.store import tables as db
from corpora import SAMPLES_DIR
from tests.demand_rows import CONTACT_MOBILE, CONTACT_NAME, make_row
from tests.tokens import ADMIN_TOKEN, bearer, console, csrf_of, token_for



def _wait(client: TestClient, job_id: int, headers: dict[str, str], timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def _store(client: TestClient, staff: dict[str, str]) -> tuple[dict, dict]:
    shenyang = client.post("/demands", json=make_row(4, 注册地区="沈阳市", 需求名称="沈阳的高端轴承磨削工艺"),
                           headers=staff).json()["demand"]
    dalian = client.post("/demands", json=make_row(5, 注册地区="大连市", 需求名称="大连的船用低速机曲轴锻造"),
                         headers=staff).json()["demand"]
    return shenyang, dalian


def test_a_bureau_cannot_read_or_list_another_regions_demands(client, app_settings) -> None:
    staff = bearer(token_for(app_settings, "staff"))
    bureau_token = token_for(app_settings, "bureau", region="沈阳市", subject="沈阳市科技局")
    shenyang, dalian = _store(client, staff)
    c = console(client, bureau_token)
    listed = c.get("/console/demands").text
    assert shenyang["title"] in listed and dalian["title"] not in listed and "大连市" not in listed
    for path in ("/console/demands?region=大连市", "/console/demands/export.xlsx?region=大连市"):
        r = c.get(path)
        assert r.status_code == 403 and "初审单位只能查看本地区" in r.text
    r = c.get(f"/console/demands/{dalian['id']}")
    assert r.status_code == 404 and dalian["title"] not in r.text
    assert c.get(f"/console/demands/{shenyang['id']}").status_code == 200
    exported = pd.read_excel(io.BytesIO(c.get("/console/demands/export.xlsx").content))
    assert list(exported["注册地区"]) == ["沈阳市"]
    assert "大连市" not in c.get("/console/").text  # the dashboard counts its own region only
    assert c.get("/console/dedup").status_code == 403  # the round's queue spans every region
    bulk = c.post("/console/demands/bulk", data={"action": "export", "ids": [dalian["id"]],
                                                 "csrf": csrf_of(listed)})
    assert bulk.status_code == 404
    # the JSON API draws the same line
    api = bearer(bureau_token)
    assert client.get("/demands", params={"region": "大连市"}, headers=api).status_code == 403
    assert client.get(f"/demands/{dalian['id']}", headers=api).status_code == 404
    assert {d["region"] for d in client.get("/demands", headers=api).json()["items"]} == {"沈阳市"}


def test_staff_never_see_expert_names_or_unmasked_contacts(client, app_settings) -> None:
    staff_token = token_for(app_settings, "staff")
    staff = bearer(staff_token)
    expert_admin = bearer(token_for(app_settings, "expert_admin"))
    shenyang, _ = _store(client, staff)
    experts = [json.loads(line) for line in (SAMPLES_DIR / "experts.jsonl").read_text(encoding="utf-8").splitlines()]
    r = client.post("/imports", params={"kind": "experts"}, headers=expert_admin,
                    files={"file": ("experts.jsonl", (SAMPLES_DIR / "experts.jsonl").read_bytes())})
    assert r.status_code == 200 and r.json()["new"] == len(experts)
    run = client.post("/experts/assignments", json={"panel_size": 3, "max_load": 8}, headers=expert_admin).json()
    names = [e["姓名"] for e in experts]
    c = console(client, staff_token)
    for path in ("/console/panels", f"/console/panels?run={run['run_id']}&demand={shenyang['id']}"):
        page = c.get(path).text
        assert "专家-" in page and not [n for n in names if n in page], path
    detail = c.get(f"/console/demands/{shenyang['id']}").text
    assert CONTACT_MOBILE not in detail and CONTACT_NAME not in detail and "***" in detail
    exported = c.get("/console/demands/export.xlsx").content
    assert CONTACT_MOBILE.encode() not in exported
    assert CONTACT_MOBILE not in pd.read_excel(io.BytesIO(exported)).astype(str).to_string()
    # the roles that may see them do (and it is audited)
    admin = console(client, ADMIN_TOKEN)
    assert CONTACT_MOBILE in admin.get(f"/console/demands/{shenyang['id']}").text
    manager = console(client, token_for(app_settings, "expert_admin", subject="专家处"))
    assert any(n in manager.get("/console/panels").text for n in names)
    audit = client.get("/audit", headers=bearer(ADMIN_TOKEN)).json()
    assert {"read_personal", "read_panels"} <= {e["action"] for e in audit}


def test_a_revoked_token_is_refused_and_ends_its_console_sessions(client, app_settings) -> None:
    token = token_for(app_settings, "staff", subject="将被吊销")
    c = console(client, token)
    assert c.get("/console/demands").status_code == 200
    services = build_services(app_settings)
    with services.session() as session:
        revoke_token(session, token.split("_")[1])
    services.close()
    r = c.get("/console/demands", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/console/login")
    assert c.get("/console/api/jobs/1", headers={"Accept": "application/json"}).status_code == 401
    assert client.get("/demands", headers=bearer(token)).status_code == 401
    fresh = TestClient(client.app)
    form = fresh.get("/console/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    again = fresh.post("/console/login", data={"token": token, "csrf": csrf})
    assert again.status_code == 401 and "无效或已吊销" in again.text
    forged = TestClient(client.app, cookies={"jb_console": "admin.9999999999.00.deadbeef"})
    assert forged.get("/console/", follow_redirects=False).status_code == 303


def test_every_console_write_needs_its_csrf_token(client, app_settings) -> None:
    staff = bearer(token_for(app_settings, "staff"))
    a, b = _store(client, staff)
    c = console(client, token_for(app_settings, "staff", subject="规划处"))
    page = c.get("/console/demands").text
    token = csrf_of(page)
    writes = [("/console/dedup/decide", {"a": a["id"], "b": b["id"], "decision": "dismiss"}),
              ("/console/dedup/run", {}), ("/console/clusters/run", {}),
              ("/console/demands/bulk", {"action": "export", "ids": [a["id"]]}), ("/console/logout", {})]
    for path, data in writes:
        for sent in ({}, {"csrf": "forged"}):
            r = c.post(path, data={**data, **sent}, follow_redirects=False)
            assert r.status_code == 403 and "CSRF" in r.text, path
    r = c.post("/console/dedup/decide", data={"a": a["id"], "b": b["id"], "decision": "dismiss", "csrf": token},
               follow_redirects=False)
    assert r.status_code == 303
    audit = client.get("/audit", params={"entity": "duplicate_pair"}, headers=bearer(ADMIN_TOKEN)).json()
    assert audit[0]["actor"] == "api:规划处"  # the write is audited with the token's subject
    fresh = TestClient(client.app)
    fresh.get("/console/login")
    assert fresh.post("/console/login", data={"token": ADMIN_TOKEN}).status_code == 403  # no log-in CSRF
    assert c.post("/console/logout", data={"csrf": token}, follow_redirects=False).status_code == 303


def test_jobs_start_at_once_report_progress_and_respect_roles(client, app_settings, tmp_path: Path) -> None:
    staff = bearer(token_for(app_settings, "staff"))
    bureau = bearer(token_for(app_settings, "bureau", region="沈阳市"))
    rows = "".join(json.dumps(make_row(n, 注册地区="沈阳市"), ensure_ascii=False) + "\n" for n in range(1, 6))
    r = client.post("/jobs/import", headers=staff, files={"file": ("five.jsonl", rows.encode())})
    assert r.status_code == 202 and r.json()["kind"] == "import"
    job = _wait(client, r.json()["job_id"], staff)
    assert job["status"] == "done" and job["result"]["new"] == 5 and job["done"] == 5
    assert client.get(f"/jobs/{job['id']}", headers=bureau).status_code == 404  # not the bureau's job
    assert client.post("/jobs/dedup", json={}, headers=bureau).status_code == 403
    assert client.post("/jobs/panels", json={}, headers=staff).status_code == 403
    dedup = _wait(client, client.post("/jobs/dedup", json={}, headers=staff).json()["job_id"], staff)
    assert dedup["status"] == "done" and dedup["result"]["demands"] == 5
    bad = _wait(client, client.post("/jobs/condense", json={"batches": ["第九批"]}, headers=staff).json()["job_id"],
                staff)
    assert bad["status"] == "failed" and bad["error"]["message_zh"] and bad["error"]["message_en"]
    own = client.post("/jobs/import", headers=bureau, files={"file": ("one.jsonl", rows.splitlines()[0].encode())})
    assert _wait(client, own.json()["job_id"], bureau)["result"]["unchanged"] == 1


def test_a_job_left_running_by_a_stopped_process_reads_failed_after_a_restart(app_settings) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])  # another worker, still busy
    host = socket.gethostname()
    services = build_services(app_settings)
    try:
        with services.session() as session:
            rows = [db.Job(kind="condense", status="running", stage="embed", done=10, total=200, params={},
                           actor="api:规划处", owner=f"{host}:{pid}") for pid in (gone.pid, alive.pid)]
            session.add_all(rows)
            session.commit()
            lost, busy = (r.id for r in rows)
        services.close()
        with TestClient(create_app(app_settings)) as restarted:  # a new process over the same database
            job = restarted.get(f"/jobs/{lost}", headers=bearer(ADMIN_TOKEN)).json()
            other = restarted.get(f"/jobs/{busy}", headers=bearer(ADMIN_TOKEN)).json()
    finally:
        alive.kill()
    assert job["status"] == "failed" and job["finished_at"]
    assert "重启" in job["error"]["message_zh"] and "restarted" in job["error"]["message_en"]
    assert job["error"]["details"] == {"stage": "embed", "done": 10, "total": 200}
    assert other["status"] == "running"  # its process is alive: not ours to fail


def test_console_forms_that_do_not_fit_are_explained_and_roles_still_apply(client, app_settings) -> None:
    manager = console(client, token_for(app_settings, "expert_admin", subject="专家处"))
    token = csrf_of(manager.get("/console/panels").text)
    r = manager.post("/console/panels/run", data={"panel_size": 0, "csrf": token})
    assert r.status_code == 422 and "表单填写有误" in r.text and "panel_size" in r.text
    staff = console(client, token_for(app_settings, "staff"))
    staff_csrf = csrf_of(staff.get("/console/").text)
    r = staff.post("/console/panels/run", data={"csrf": staff_csrf})
    assert r.status_code == 403 and "无权" in r.text  # staff may not assign panels
    r = staff.post("/console/clusters/run", data={"groups": "很多", "csrf": staff_csrf})
    assert r.status_code == 422 and "分组数" in r.text
    bureau = console(client, token_for(app_settings, "bureau", region="沈阳市"))
    assert bureau.get("/console/clusters").status_code == 403
    assert "凝练" not in bureau.get("/console/").text.split("</nav>")[0]  # the menu offers only what the role may do
