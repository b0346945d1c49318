"""Every console page, as every role, reads as plain Chinese (#20): no raw key a clerk cannot read (rule
ids, verdicts, solver and conflict names, file stems), no "details" pointer, no English-only text outside
code and identifiers. The round is the shipped sample after a working day: imported, de-duplicated,
condensed, with panels drawn; each page is fetched through the real app and its text nodes checked.
"""
from __future__ import annotations

import re
import time
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from api.compose import load_settings
from api.http.app import create_app
from corpora import SAMPLES_DIR
from tests.tokens import console
from tests.tokens import bearer, token_for

ADMIN_TOKEN = "words-test-admin"
ADMIN = bearer(ADMIN_TOKEN)
#: Keys and English the code knows that a clerk must never read on a page (whole words).
KNOWN_KEYS = [
    "error", "warning", "none", "ok", "duplicate", "near_duplicate", "related", "duplicate_related",
    "duplicate_dismissed", "text_length", "required_fields", "revenue_threshold", "confirm", "dismiss",
    "optimal", "greedy", "random_draw", "history", "profile", "field", "prior", "community",
    "unavailable", "same_org", "same_group", "expert_avoids", "enterprise_avoids", "high_tech_domains_2016",
    "Reason", "submit", "details", "read_round", "run_round", "manage_experts", "demands", "experts",
    "expert_reviews", "solvers", "queued", "running", "done", "failed", "import", "dedup", "condense", "panels",
    "intercept", "logit", "member", "substitute", "staff", "bureau", "expert_admin", "admin",
]
KEY_PATTERN = re.compile(r"(?<![A-Za-z_])(" + "|".join(map(re.escape, KNOWN_KEYS)) + r")(?![A-Za-z_])")
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
#: Identifiers a page may show as they are: 需求编号, 专家编号, cluster keys, numbers, file formats.
TOKEN = re.compile(r"^[\s#·:/()（）、,.\-_%+×→↑↓‹›✕0-9]*(?:[A-Z]{1,4}[-_]?\d[\w\-]*|Excel|CSV|JSONL|xlsx|docx|zip"
                   r"|[ynjk]|API|\d+)?[\s#·:/()（）、,.\-_%+×→↑↓‹›✕0-9]*$")


class Words(HTMLParser):
    """Text nodes a clerk reads: not in scripts, styles, code or kbd, nor in elements marked
    ``translate="no"`` (HTML's mark for identifiers and what users typed: terms, file names, field values)."""

    SKIP = {"script", "style", "code", "kbd", "pre"}
    VOID = {"br", "input", "meta", "link", "img", "hr", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.nodes: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, tag in self.SKIP or dict(attrs).get("translate") == "no"))

    def handle_endtag(self, tag):
        if any(t == tag for t, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if data.strip() and not any(skip for _, skip in self.stack):
            self.nodes.append(data.strip())


def problems(page: str) -> list[str]:
    """What a clerk could not read on ``page``: raw keys and English-only text nodes."""
    parser = Words()
    parser.feed(page)
    found = []
    for node in parser.nodes:
        if key := KEY_PATTERN.search(node):
            found.append(f"raw key {key.group(1)!r} in {node[:80]!r}")
        elif re.search(r"[A-Za-z]{2,}", node) and not CJK.search(node) and not TOKEN.match(node):
            found.append(f"English-only text {node[:80]!r}")
    return found


def _wait(client: TestClient, job_id: int) -> dict:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        job = client.get(f"/jobs/{job_id}", headers=ADMIN).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not end")


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory):
    """The sample round after a day's work; yields (client, tokens by role, ids worth visiting)."""
    settings = replace(load_settings({}).with_home(tmp_path_factory.mktemp("words") / "home"), admin_token=ADMIN_TOKEN)
    with TestClient(create_app(settings)) as client:
        for kind in ("demands", "experts", "expert_reviews"):
            r = client.post("/jobs/import", params={"kind": kind}, headers=ADMIN,
                            files={"file": (f"{kind}.jsonl", (SAMPLES_DIR / f"{kind}.jsonl").read_bytes())})
            job = _wait(client, r.json()["job_id"])
            assert job["status"] == "done", job
        import_job = job["id"]
        client.post("/dedup/run", json={"batch": "第一批"}, headers=ADMIN)
        assert _wait(client, client.post("/jobs/condense", json={}, headers=ADMIN).json()["job_id"])["status"] == "done"
        run = client.post("/experts/assignments", json={"solver": "random_draw", "seed": 3, "panel_size": 3,
                                                         "max_load": 8}, headers=ADMIN).json()["run_id"]
        failed = client.post("/jobs/panels", json={"panel_size": 9, "max_load": 1}, headers=ADMIN).json()["job_id"]
        _wait(client, failed)
        queue = client.get("/dedup/queue", headers=ADMIN).json()
        a, b = queue["pending"][0]["a"], queue["pending"][0]["b"]
        client.post("/dedup/decisions", json={"demand_a": a, "demand_b": b, "decision": "dismiss", "note": "各自的需求"},
                    headers=ADMIN)
        demands = client.get("/demands?limit=200", headers=ADMIN).json()["items"]
        shenyang = next(d["id"] for d in demands if d["region"] == "沈阳市")
        key = client.get("/clusters", headers=ADMIN).json()["clusters"][0]["key"]
        tokens = {"admin": ADMIN_TOKEN, "staff": token_for(settings, "staff", subject="规划处"),
                  "expert_admin": token_for(settings, "expert_admin", subject="专家处"),
                  "bureau": token_for(settings, "bureau", region="沈阳市", subject="沈阳市科技局")}
        ids = {"a": a, "b": b, "shenyang": shenyang, "run": run, "cluster": key, "import_job": import_job,
               "failed_job": failed}
        yield client, tokens, ids


def pages(ids: dict) -> list[str]:
    """Every console page worth reading, with the parameters that change what it shows."""
    return ["/console/", "/console/intake", f"/console/intake?job={ids['import_job']}", "/console/demands",
            "/console/demands?flag=duplicate", "/console/demands?cluster=none", "/console/demands?dup=pending",
            "/console/demands?check_status=warning", f"/console/demands/{ids['a']}", f"/console/demands/{ids['b']}",
            f"/console/demands/{ids['shenyang']}", "/console/dedup", "/console/dedup?i=1", "/console/panels",
            f"/console/panels?run={ids['run']}&demand={ids['a']}", f"/console/panels?job={ids['failed_job']}",
            "/console/clusters", f"/console/clusters/{ids['cluster']}", "/console/domains", "/console/domains?only=all",
            f"/console/jobs/{ids['import_job']}", f"/console/jobs/{ids['failed_job']}", "/console/demands/999999",
            "/console/audit", "/console/audit?entity=demand", "/console/accounts", "/console/review",
            "/console/recommend"]


@pytest.mark.parametrize("role", ["bureau", "staff", "expert_admin", "admin"])
def test_every_page_reads_as_plain_chinese_for_every_role(day, role: str) -> None:
    client, tokens, ids = day
    c = console(client, tokens[role])
    found = {}
    for path in pages(ids):
        r = c.get(path)
        assert r.status_code in (200, 403, 404), (path, r.status_code)
        if bad := problems(r.text):
            found[path] = bad
    login = TestClient(client.app).get("/console/login").text
    if bad := problems(login):
        found["/console/login"] = bad
    assert not found, "\n".join(f"{p}: {x}" for p, xs in found.items() for x in xs)


def test_the_checker_catches_what_it_is_for() -> None:
    assert problems("<p>疑似重复 duplicate</p>") and problems("<td>Reason</td>") and problems("<p>详见 details</p>")
    assert problems("<small>random_draw</small>") and problems("<span>Possible duplicate of demand #3</span>")
    assert not problems("<p>需求 #12 LN2023-0004 · EXP001 · C03</p><code>error</code><kbd>y</kbd>"
                        '<span class="term" translate="no">CAE</span>')


def test_every_audited_action_and_object_has_a_chinese_name_on_the_audit_page() -> None:
    """操作日志 named 'bangdan.mark', 'condense.run' and '其他' objects before #20's screenshots showed it: every
    action and object the code audits (as a literal) has its name."""
    from pathlib import Path

    from api.web.pages_admin import ACTION_ZH, ENTITY_ZH

    root = Path(__file__).resolve().parents[1] / "api"
    calls = "".join(p.read_text(encoding="utf-8") for p in root.rglob("*.py"))
    found = re.findall(r'append_audit\([^,]+, [^,]+, "([a-z_.]+)", "([a-z_]+)"', calls)
    assert len(found) >= 30
    assert not {a for a, _ in found} - ACTION_ZH.keys()
    assert not {e for _, e in found} - ENTITY_ZH.keys()
