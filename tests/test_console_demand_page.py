"""One demand's page has what staff and bureaus decide about it (#20): its 初审 decision (who, when, why),
recorded there by the bureau and listed in its history; times in Beijing time as the exported lists write them.

The real app (TestClient) over a temporary SQLite home.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from tests.console_app import ADMIN, sample_round, text_of  # noqa: F401 (fixtures)
from tests.tokens import console, csrf_of, token_for


def test_the_demand_page_shows_and_records_the_first_review_decision_in_beijing_time(client, app_settings) -> None:
    d = sample_round(client)
    did = d["first"]["id"]
    bureau = console(client, token_for(app_settings, "bureau", region="沈阳市", subject="沈阳市科技局"))
    page = bureau.get(f"/console/demands/{did}").text
    assert "还没有初审结论" in text_of(page.split('id="review"')[1].split("</section>")[0])
    r = bureau.post(f"/console/review/{did}", data={"decision": "return", "reason": "研发投入证明缺页",
                                                    "back": f"/console/demands/{did}", "csrf": csrf_of(page)})
    assert r.status_code == 200 and f"/console/demands/{did}?notice=review" in str(r.url)
    assert "已保存初审意见" in r.text
    review = text_of(r.text.split('id="review"')[1].split("</section>")[0])
    assert "退回修改" in review and "沈阳市科技局" in review and "研发投入证明缺页" in review
    history = text_of(r.text.split('id="history"')[1].split("</section>")[0])
    assert "初审结论" in history and "退回修改" in history and "其他操作" not in history

    # the time shown is the audit log's (UTC) in Beijing time, to the minute
    entry = next(e for e in client.get("/audit", params={"entity": "demand", "entity_id": did}, headers=ADMIN).json()
                 if e["action"] == "review")
    at = datetime.fromisoformat(entry["at"])
    shown = {(at + timedelta(hours=8, minutes=m)).strftime("%Y-%m-%d %H:%M") for m in (0, 1)}
    found = set(re.findall(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", review))
    assert found & shown, (found, shown)

    # staff read it (no form: only the bureau decides); an expert office does not see 初审 at all
    staff = console(client, token_for(app_settings, "staff", subject="规划处")).get(f"/console/demands/{did}").text
    assert "退回修改" in text_of(staff.split('id="review"')[1]) and 'id="review-form"' not in staff
    experts = console(client, token_for(app_settings, "expert_admin")).get(f"/console/demands/{did}").text
    assert 'id="review"' not in experts


def test_a_bureau_reads_no_cluster_name_drawn_from_another_regions_demand(client, app_settings) -> None:
    """A cluster spans regions and its proposed name is drawn from its members' titles: a bureau sees its
    demand's cluster key, never the name (here: another region's title), on the page, the list or the export."""
    import io

    import pandas as pd

    from tests.demand_rows import make_row
    from tests.console_app import post_demand
    from tests.dup_texts import REWORDED_0, TEXTS

    secret = "大连保密的风电轴承磨削需求"
    post_demand(client, make_row(5, 注册地区="大连市", 需求描述=TEXTS[0], 需求名称=secret))
    mine = post_demand(client, make_row(4, 注册地区="沈阳市", 需求名称="沈阳的风电主轴轴承磨削", 需求描述=REWORDED_0))
    post_demand(client, make_row(3, 需求名称="高镍正极材料", 需求描述=TEXTS[1]))
    assert client.post("/condense/run", json={}, headers=ADMIN).status_code == 200
    assert secret in str(client.get("/clusters", headers=ADMIN).json())  # the name staff read
    bureau = console(client, token_for(app_settings, "bureau", region="沈阳市", subject="沈阳市科技局"))
    page = bureau.get(f"/console/demands/{mine['id']}").text
    assert "类：C" in text_of(page) and secret not in page
    listing = bureau.get("/console/demands").text
    assert secret not in listing
    export = bureau.get("/console/demands/export.xlsx")
    assert secret not in pd.read_excel(io.BytesIO(export.content)).to_string()
