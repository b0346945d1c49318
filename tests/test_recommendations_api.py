"""初审 and the 推荐清单 through the real app: a bureau decides, composes and exports over HTTP, staff verify the
PDF; other bureaus get 403; the console pages render for each role and the upload shows 核验通过."""
from __future__ import annotations

import re
from dataclasses import replace

from fastapi.testclient import TestClient

from api.config import Settings
from api.http.app import create_app
from tests.demand_rows import make_row
from tests.tokens import bearer, token_for


def test_bureau_and_staff_over_http_and_console(settings: Settings):
    settings = replace(settings, admin_token="i22-admin")
    shenyang = bearer(token_for(settings, "bureau", region="沈阳市", subject="沈阳市科技局"))
    dalian = bearer(token_for(settings, "bureau", region="大连市", subject="大连市科技局"))
    staff_token = token_for(settings, "staff", subject="规划处")
    staff = bearer(staff_token)
    with TestClient(create_app(settings)) as c:
        ids = [c.post("/demands", json=make_row(n, 注册地区="沈阳市"), headers=shenyang).json()["demand"]["id"]
               for n in (1, 2, 3)]
        assert c.post(f"/demands/{ids[0]}/review", json={"decision": "初审通过"}, headers=shenyang).status_code == 200
        assert c.post(f"/demands/{ids[1]}/review", json={"decision": "pass"}, headers=shenyang).status_code == 200
        r = c.post(f"/demands/{ids[2]}/review", json={"decision": "不予推荐"}, headers=shenyang)
        assert r.status_code == 422 and r.json()["code"] == "reason_required"
        assert c.post(f"/demands/{ids[0]}/review", json={"decision": "初审通过"}, headers=dalian).status_code == 403
        assert c.get(f"/demands/{ids[0]}/reviews", headers=dalian).status_code == 403
        assert c.get(f"/demands/{ids[0]}/reviews", headers=staff).json()["decision"] == "pass"
        assert c.get("/reviews", headers=dalian).json() == []

        lst = c.post("/recommendations", json={"batch": "第一批"}, headers=shenyang).json()
        assert [r["demand_id"] for r in lst["rows"]] == ids[:2] and lst["late"]  # 2023's deadline has passed: flagged
        assert c.post("/recommendations", json={"batch": "第一批", "region": "沈阳市"}, headers=dalian).status_code == 403
        assert c.post("/recommendations", json={"batch": "第一批", "region": "沈阳市"}, headers=staff).status_code == 403
        assert c.post(f"/recommendations/{lst['id']}/export.pdf", headers=dalian).status_code == 403
        pdf = c.post(f"/recommendations/{lst['id']}/export.pdf", headers=shenyang)
        assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
        assert c.post("/recommendations/verify", files={"file": ("scan.pdf", pdf.content, "application/pdf")},
                      headers=dalian).status_code == 403
        result = c.post("/recommendations/verify", files={"file": ("scan.pdf", pdf.content, "application/pdf")},
                        headers=staff).json()
        assert result["outcome"] == "unchanged", result
        queue = {r["demand_id"]: r for r in c.get("/reviews", headers=staff).json()}
        assert queue[ids[0]]["recommendation"] == "已推荐（清单已核验）" and queue[ids[2]]["recommendation"] is None
        table = {r["region"]: r for r in c.get("/recommendations", headers=staff).json()}
        assert table["沈阳市"]["batches"][0]["status"] == "verified" and table["沈阳市"]["batches"][0]["late"] == 2
        audit = c.get("/audit?entity=recommendation_list", headers=bearer("i22-admin")).json()
        assert {"recommend", "export", "verify"} <= {e["action"] for e in audit}

        # the console: a staff session uploads the same PDF and reads 核验通过; the table and lists render
        page = TestClient(c.app)
        form = page.get("/console/login").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
        page.post("/console/login", data={"token": staff_token, "csrf": csrf, "next": "/console/"})
        home = page.get("/console/recommend")
        assert home.status_code == 200 and "沈阳市" in home.text and "已核验" in home.text
        session_csrf = re.search(r'name="csrf-token" content="([^"]+)"', home.text).group(1)
        shown = page.post("/console/recommend/verify", data={"csrf": session_csrf},
                          files={"file": ("盖章清单.pdf", pdf.content, "application/pdf")})
        assert shown.status_code == 200 and "核验通过" in shown.text
        assert page.get(f"/console/recommend/{lst['id']}").status_code == 200
        assert "已推荐（清单已核验）" in page.get("/console/review").text
        assert page.get("/console/demands").text.count("已推荐（清单已核验）") == 2  # the demand list says so per demand
        dashboard = page.get("/console/").text
        assert "各地区各批次推荐清单" in dashboard and "逾期 2 项" in dashboard
        assert page.post("/console/recommend/compose", data={"csrf": session_csrf, "batch": "第二批",
                                                              "region": "沈阳市"}).status_code == 403
