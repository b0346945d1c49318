"""The console in Debian's Chromium as each role would use it (#20): a bureau's duplicate section shows that a
similar demand exists in another region and nothing of it; staff choose the 查重 batch from a list; a decided
pair is reopened; one panel is re-drawn while the others stay; 需求 and 查重 work at phone width (390 px);
and a screenshot of every page as every role (bureau, staff, expert_admin, admin) is written.

Screenshots go to ``var/test-artefacts/screens/roles/<role>-<page>.png`` (``JIEBANG_SCREENS=tests/artefacts/screens``
refreshes the committed set), as palette PNGs (small). Skips with the reason when Chromium or playwright is missing.
"""
from __future__ import annotations

import re
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

import pytest

from corpora import SAMPLES_DIR
from tests.browser import SCREENS as BROWSER_SCREENS
from tests.browser import launch, needs_chromium, serving
from tests.demand_rows import make_row
from tests.dup_texts import REWORDED_0, TEXTS

SCREENS = BROWSER_SCREENS / "roles"
ADMIN_TOKEN = "roles-browser-admin"
SECRET_TITLE = "大连保密的风电轴承磨削需求"
SECRET_WORK = "已在瓦房店建成保密试验线三条"

pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install playwright)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    """The real app on a free port: the sample round (two batches), the sample experts and reviews, a
    Dalian demand that a Shenyang one resubmits, a panel run; yields (base URL, tokens by role, ids)."""
    import httpx

    from api.compose import build_services, load_settings
    from api.services.access import create_token

    settings = replace(load_settings({}).with_home(tmp_path_factory.mktemp("roles") / "home"), admin_token=ADMIN_TOKEN)
    services = build_services(settings)
    with services.session() as session:
        tokens = {"admin": ADMIN_TOKEN,
                  "staff": create_token(session, role="staff", subject="规划处")[1],
                  "expert_admin": create_token(session, role="expert_admin", subject="专家处")[1],
                  "bureau": create_token(session, role="bureau", region="沈阳市", subject="沈阳市科技局")[1]}
    stack = ExitStack()
    base = stack.enter_context(serving(services))
    api = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=120)
    for kind in ("demands", "experts", "expert_reviews"):
        r = api.post("/imports", params={"kind": kind},
                     files={"file": (f"{kind}.jsonl", (SAMPLES_DIR / f"{kind}.jsonl").read_bytes())})
        assert r.status_code == 200, r.text
    dalian = api.post("/demands", json=make_row(905, 注册地区="大连市", 批次="第二批", 需求描述=TEXTS[0], 需求名称=SECRET_TITLE,
                                                企业名称="大连保密重工股份有限公司", 企业自身已开展工作=SECRET_WORK)).json()["demand"]
    shenyang = api.post("/demands", json=make_row(904, 注册地区="沈阳市", 批次="第二批", 需求名称="沈阳的风电主轴轴承磨削",
                                                  需求描述=REWORDED_0)).json()["demand"]
    run = api.post("/experts/assignments", json={"solver": "random_draw", "seed": 5, "panel_size": 3,
                                                  "max_load": 8}).json()["run_id"]
    assert api.post("/condense/run", json={}).status_code == 200
    cluster = api.get("/clusters").json()["clusters"][0]["key"]
    entry = api.post(f"/clusters/{cluster}/bangdan").json()["id"]
    yield base, tokens, {"dalian": dalian["id"], "shenyang": shenyang["id"], "run": run, "cluster": cluster,
                         "entry": entry}, api
    api.close()
    stack.close()
    services.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def open_as(browser, base: str, token: str, width: int = 1280, height: int = 900):
    """A fresh browser context logged in with ``token`` (confirm dialogs accepted, as a clerk clicks OK)."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.on("dialog", lambda d: d.accept())
    page.goto(f"{base}/console/login")
    page.fill("input[name=token]", token)
    with page.expect_navigation():
        page.click("#token-login button[type=submit]")
    return page


def shot(page, name: str, max_height: int = 1400) -> Path:
    """The page's top ``max_height`` px as a small palette PNG under ``SCREENS``."""
    from PIL import Image

    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.evaluate("window.scrollTo(0, 0)")
    height = min(page.evaluate("document.documentElement.scrollHeight"), max_height)
    page.screenshot(path=str(path), full_page=True,
                    clip={"x": 0, "y": 0, "width": page.viewport_size["width"], "height": height})
    Image.open(path).convert("RGB").quantize(colors=64).save(path, optimize=True)
    return path


def test_a_bureau_sees_that_a_similar_demand_exists_elsewhere_and_nothing_of_it(server, browser) -> None:
    base, tokens, ids, _ = server
    page = open_as(browser, base, tokens["bureau"])
    page.goto(f"{base}/console/demands/{ids['shenyang']}")
    shot(page, "leak-bureau-demand-duplicates")
    section = page.inner_text("#duplicates")
    assert "其他地区" in section and f"#{ids['dalian']}" in section
    text = page.inner_text("body")
    for secret in (SECRET_TITLE, SECRET_WORK, "大连保密重工", "大连市"):
        assert secret not in text, secret
    assert page.locator("#duplicates mark").count() == 0  # no shared sentence (it would be the other's text)
    page.context.close()


def test_staff_choose_the_batch_from_a_list_and_the_queue_keeps_its_pairs(server, browser) -> None:
    base, tokens, _, _ = server
    page = open_as(browser, base, tokens["staff"])
    page.goto(f"{base}/console/dedup")
    before = int(page.inner_text("#pending-count"))
    options = page.locator("#dedup-run select[name=batch] option").all_inner_texts()
    assert options == ["全部批次", "第一批", "第二批", "第三批"]  # a list in batch order: nothing to mistype
    page.select_option("#dedup-run select[name=batch]", "第二批")
    with page.expect_navigation():
        page.click("#dedup-run button[type=submit]")
    page.wait_for_selector(".job[data-status=done], .job[data-status=failed]", timeout=60_000)
    assert int(page.inner_text("#pending-count")) >= before  # a run over one batch hides nothing
    assert "队列已清空" not in page.inner_text("main")
    shot(page, "queue-staff-after-batch-run")
    page.context.close()


def test_a_decided_pair_is_reopened(server, browser) -> None:
    base, tokens, ids, api = server
    page = open_as(browser, base, tokens["staff"])
    page.goto(f"{base}/console/demands/{ids['shenyang']}")
    pair = page.locator(f'#duplicates article.pair[data-b="{ids["dalian"]}"]')
    pair.locator("input[name=note]").fill("两地企业各自的需求")
    with page.expect_navigation():
        pair.locator("button.dismiss").click()
    assert "已标记为不是重复" in page.inner_text(".notice")
    row = page.locator("table.decided tr", has_text="两地企业各自的需求")
    assert "规划处" in row.inner_text() and "不是重复" in row.inner_text()
    assert "已核实与需求" in page.inner_text("table.findings")
    shot(page, "reopen-1-decided")
    with page.expect_navigation():
        row.locator("button:has-text('重新打开')").click()
    assert "回到待确认队列" in page.inner_text(".notice")
    assert page.locator(f'#duplicates article.pair[data-b="{ids["dalian"]}"]').count() == 1
    assert "请核实" in page.inner_text("table.findings")
    shot(page, "reopen-2-reopened")
    page.context.close()


def test_one_panel_is_redrawn_in_the_browser(server, browser, api=None) -> None:
    base, tokens, ids, api = server
    page = open_as(browser, base, tokens["expert_admin"])
    run = ids["run"]
    panels = api.get(f"/experts/assignments/{run}").json()["panels"]
    target = panels[1]["demand_id"]
    page.goto(f"{base}/console/demands/{target}")
    with page.expect_navigation():
        page.click("#panel a")
    assert f"run={run}" in page.url and f"demand={target}" in page.url
    page.fill("#redraw-one input[name=seed]", "99")
    with page.expect_navigation():
        page.click("#redraw-one button[type=submit]")
    assert "其他专家组不变" in page.inner_text(".notice")
    new_run = int(re.search(r"run=(\d+)", page.url).group(1))
    after = {p["demand_id"]: p["members"] for p in api.get(f"/experts/assignments/{new_run}").json()["panels"]}
    assert new_run != run and all(after[p["demand_id"]] == p["members"] for p in panels if p["demand_id"] != target)
    shot(page, "panel-redrawn-one")
    page.context.close()


def test_demands_and_the_queue_fit_a_phone(server, browser) -> None:
    base, tokens, _, _ = server
    page = open_as(browser, base, tokens["staff"], width=390, height=844)
    for path, name in (("/console/demands", "phone-demands"), ("/console/dedup", "phone-dedup")):
        page.goto(f"{base}{path}")
        shot(page, name, max_height=2400)
        wide = page.evaluate("""() => {
            const w = document.documentElement.clientWidth;
            return [...document.querySelectorAll('body *')].filter(e => !e.closest('table')
                && e.getBoundingClientRect().right > w + 1 && getComputedStyle(e).position !== 'fixed')
                .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));
        }""")
        assert not wide, (path, wide[:10])
        assert page.evaluate("document.documentElement.scrollWidth") <= 391, path  # no sideways page scroll
        narrow = page.evaluate("""() => [...document.querySelectorAll('table.list td')]
            .filter(td => td.innerText.trim().length > 3 && td.getBoundingClientRect().width < 40).length""")
        assert narrow == 0, (path, narrow)  # no one-character-per-line columns
    page.context.close()


def test_a_person_signs_in_with_a_password_an_admin_set(server, browser) -> None:
    base, tokens, _, _ = server
    admin = open_as(browser, base, tokens["admin"])
    admin.goto(f"{base}/console/accounts")
    form = admin.locator("#new-account")
    form.locator("input[name=username]").fill("li.na")
    form.locator("input[name=display_name]").fill("沈阳市科技局李娜")
    form.locator("select[name=role]").select_option("bureau")
    form.locator("select[name=region]").select_option("沈阳市")
    form.locator("input[name=password]").fill("shenyang-2023-kj")
    with admin.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "账号已创建" in admin.inner_text(".notice")
    shot(admin, "admin-accounts")
    admin.context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/console/demands")
    page.fill("#password-login input[name=username]", "li.na")
    page.fill("#password-login input[name=password]", "not-the-password")
    page.click("#password-login button[type=submit]")
    assert "用户名或密码不正确" in page.inner_text(".error-box")
    shot(page, "login-wrong-password", max_height=700)
    page.fill("#password-login input[name=password]", "shenyang-2023-kj")
    with page.expect_navigation():
        page.click("#password-login button[type=submit]")
    assert page.url.endswith("/console/demands")  # back where the person was going
    assert "沈阳市科技局李娜" in page.inner_text("header") and "初审单位" in page.inner_text("header")
    assert set(page.locator("table.list tbody td:nth-child(5)").all_inner_texts()) <= {"沈阳市"}
    context.close()


PAGES = {  # name → path (ids filled in); each role visits all, a refusal is a page too
    "dashboard": "/console/", "intake": "/console/intake", "demands": "/console/demands",
    "demand": "/console/demands/{shenyang}", "dedup": "/console/dedup", "panels": "/console/panels?run={run}",
    "clusters": "/console/clusters", "cluster": "/console/clusters/{cluster}", "bangdan": "/console/bangdan",
    "bangdan-entry": "/console/bangdan/{entry}", "domains": "/console/domains", "review": "/console/review",
    "review-demand": "/console/review/{shenyang}", "recommend": "/console/recommend", "audit": "/console/audit",
    "accounts": "/console/accounts",
}


@pytest.mark.parametrize("role", ["bureau", "staff", "expert_admin", "admin"])
def test_every_page_as_every_role_has_a_screenshot(server, browser, role: str) -> None:
    base, tokens, ids, _ = server
    page = open_as(browser, base, tokens[role])
    for name, path in PAGES.items():
        r = page.goto(f"{base}{path.format(**ids)}")
        assert r.status in (200, 403), (role, path, r.status)
        assert page.locator("header nav a").count() >= 2
        shot(page, f"{role}-{name}", max_height=1200)
    page.context.close()
    assert {p.stem for p in SCREENS.glob(f"{role}-*.png")} >= {f"{role}-{n}" for n in PAGES}
