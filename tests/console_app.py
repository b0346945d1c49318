"""The console tests of #20 (the app and its admin token come from tests/conftest.py: TestClient over a temporary
SQLite home), and what those tests read of it: a page's visible text, a job once it ended, a demand posted."""
from __future__ import annotations

import time

from fastapi.testclient import TestClient

from tests.demand_rows import make_row
from tests.dup_texts import REWORDED_0, TEXTS
from tests.tokens import ADMIN, ADMIN_TOKEN  # noqa: F401 (the console tests import them from here)


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


def wait_job(client: TestClient, job: int, timeout: float = 60) -> dict:
    """The job once it has ended (done or failed)."""
    deadline = time.monotonic() + timeout
    while (state := client.get(f"/jobs/{job}", headers=ADMIN).json())["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline, state
        time.sleep(0.1)
    return state


def post_demand(client: TestClient, row: dict) -> dict:
    """A demand stored through POST /demands as the admin."""
    r = client.post("/demands", json=row, headers=ADMIN)
    assert r.status_code in (200, 201), r.text
    return r.json()["demand"]


def sample_round(client: TestClient) -> dict[str, dict]:
    """第一批: a demand and its reworded resubmission by another enterprise (a pair intake flags), two
    unrelated demands; 第二批: one unrelated demand."""
    return {"first": post_demand(client, make_row(1, 注册地区="沈阳市", 需求名称="风电主轴轴承磨削", 需求描述=TEXTS[0])),
            "again": post_demand(client, make_row(2, 注册地区="沈阳市", 需求名称="风电轴承精密磨削", 需求描述=REWORDED_0)),
            "battery": post_demand(client, make_row(3, 需求名称="高镍正极材料", 需求描述=TEXTS[1])),
            "sea": post_demand(client, make_row(6, 需求名称="海参苗种繁育", 需求描述=TEXTS[3])),
            "steel": post_demand(client, make_row(7, 批次="第二批", 需求名称="硅钢退火控制", 需求描述=TEXTS[5]))}
