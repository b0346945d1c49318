"""The staff console in a real browser: Debian's Chromium driven by Playwright against the real app
(uvicorn on a free port, a temporary home, the shipped models).

A clerk logs in with a token, uploads the sample Excel (plus two rows that cannot be imported) and
watches the job's progress bar, reads a rejected row's reason, opens a flagged duplicate and dismisses
it, runs the duplicate queue with the keyboard, re-draws a panel with a new seed and downloads the
filtered export. A screenshot of every page is written to ``var/test-artefacts/screens/`` (the committed
set in ``tests/artefacts/screens/`` is refreshed with ``JIEBANG_SCREENS=tests/artefacts/screens``).

Skips with the reason when Chromium (``/usr/bin/chromium``; ``.ci/run`` installs it) or the
``playwright`` package is missing; ``playwright install`` is never needed.
"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from api.compose import build_services
from api.config import Settings
from api.io.writers import write_excel
from api.services.access import create_token
from api.services.imports import import_people
from corpora import SAMPLES_DIR
from tests.browser import SCREENS, launch, needs_chromium, serving

pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install playwright)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    """The real app on a free port over a fresh home with the sample experts; yields (base URL, admin token)."""
    from api.compose import load_settings

    settings: Settings = replace(load_settings({}).with_home(tmp_path_factory.mktemp("console") / "home"))
    services = build_services(settings)
    with services.session() as session:
        for kind in ("experts", "expert_reviews"):
            import_people(session, SAMPLES_DIR / f"{kind}.jsonl", kind, actor="test")
        token = create_token(session, role="admin", subject="浏览器测试管理员")[1]
        staff = create_token(session, role="staff", subject="规划处")[1]
    with serving(services) as base:
        yield base, token, staff
    services.close()


@pytest.fixture(scope="module")
def sample_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample demands as an Excel sheet, with two rows that cannot be imported at the end."""
    rows = [json.loads(line) for line in (SAMPLES_DIR / "demands.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    rows.append({"需求编号": "BAD-1", "企业名称": "沈阳测试缺名称有限公司", "注册地区": "沈阳市", "需求名称": ""})
    rows.append({"需求编号": "BAD-2", "企业名称": "大连测试人数有限公司", "注册地区": "大连市",
                 "需求名称": "测试需求", "单位总人数": "很多"})
    path = tmp_path_factory.mktemp("upload") / "城市推荐汇总.xlsx"
    write_excel({"需求汇总": rows}, path)
    return path


@pytest.fixture(scope="module")
def page(server):
    SCREENS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True, locale="zh-CN")
        page = context.new_page()
        page.on("dialog", lambda d: d.accept())  # confirm dialogs (re-draw the round, merge…): a clerk clicks OK
        page.set_default_timeout(30_000)
        yield page
        browser.close()


def run_job(page, button: str, expect: str = "done") -> None:
    """Start a job with ``button``, wait until it has ended (the progress bar reloads the page), check how."""
    with page.expect_navigation():
        page.click(button)
    page.wait_for_selector(".job[data-status=done], .job[data-status=failed]", timeout=60_000)
    box = page.locator(".job").first
    assert box.get_attribute("data-status") == expect, box.inner_text()


def shot(page, name: str, max_height: int = 2000) -> None:
    """The page (its top ``max_height`` pixels when it is longer) as ``<SCREENS>/<name>.png``."""
    height = min(page.evaluate("document.documentElement.scrollHeight"), max_height)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True,
                    clip={"x": 0, "y": 0, "width": page.viewport_size["width"], "height": height})


def test_a_clerk_works_through_the_round_in_the_browser(server, page, sample_xlsx, tmp_path) -> None:
    base, token, _ = server
    page.goto(f"{base}/")
    assert "/console/login" in page.url
    shot(page, "01-login")
    page.fill("input[name=token]", "jb_wrong_token")
    page.click("#token-login button[type=submit]")
    assert "访问令牌无效或已吊销" in page.inner_text(".error-box")
    page.fill("input[name=token]", token)
    page.click("#token-login button[type=submit]")
    page.wait_for_url(f"{base}/console/")

    # 导入: upload the Excel as a job, the progress bar runs, the report lists the rejected rows' reasons
    page.click("header nav >> text=导入")
    page.set_input_files("input[name=file]", str(sample_xlsx))
    run_job(page, "text=上传并导入")
    assert page.inner_text(".stats .bad b") == "2"
    rejected = page.inner_text("table.rejected")
    assert "需求名称" in rejected and "单位总人数" in rejected
    assert "疑似重复" in page.inner_text("table.results")  # the sample has resubmitted demands
    shot(page, "02-intake")

    # 看板
    page.click("header nav >> text=看板")
    assert "各地区推荐进度" in page.content() and "沈阳市" in page.inner_text("table.quota")
    shot(page, "03-dashboard")

    # 需求: filter by the duplicate flag (a URL parameter), open one, dismiss its first candidate
    page.goto(f"{base}/console/demands?flag=duplicate")
    shot(page, "04-demands")
    count = page.locator("table.list tbody tr").count()
    assert count >= 2
    page.locator("table.list tbody tr").first.locator("td:nth-child(3) a").click()
    page.wait_for_selector("#duplicates article.pair")
    assert page.locator("#duplicates mark").count() >= 1  # shared sentences highlighted on both sides
    assert "为什么像重复" in page.inner_text("#duplicates")
    shot(page, "05-demand-detail")
    first = page.locator("#duplicates article.pair").first
    b = first.get_attribute("data-b")
    with page.expect_navigation():
        first.locator("button.dismiss").click()
    assert page.locator(f'#duplicates article.pair[data-b="{b}"]').count() == 0  # not proposed again
    assert page.locator(f'table.decided tr[data-b="{b}"], table.decided tr[data-a="{b}"]').count() == 1  # listed as decided

    # 查重: run the batch de-dup as a job, then work the queue with the keyboard
    page.click("header nav >> text=查重")
    run_job(page, "text=重新批量查重（后台）")
    if page.locator("#queue-focus").count():
        before = page.inner_text("#queue-status p")
        shot(page, "06-dedup-queue")
        with page.expect_navigation():
            page.keyboard.press("n")
        assert page.inner_text("#queue-status p") != before  # one more pair decided
    else:
        shot(page, "06-dedup-queue")

    # 专家组: draw panels with a seed, then re-draw with a new one
    page.click("header nav >> text=专家组")
    page.fill("#redraw input[name=panel_size]", "5")
    page.fill("#redraw input[name=max_load]", "2")
    run_job(page, "text=重新抽取（后台）", "failed")  # 40 experts × 2 panels each cannot seat 68 panels of 5
    assert "单人评审上限" in page.inner_text(".infeasible") and "提高" in page.inner_text(".infeasible")
    shot(page, "10-panels-infeasible")
    page.fill("#redraw input[name=seed]", "7")
    page.fill("#redraw input[name=panel_size]", "3")
    page.fill("#redraw input[name=max_load]", "8")
    run_job(page, "text=重新抽取（后台）")
    first_run = page.inner_text("section.card h2")
    page.fill("#redraw input[name=seed]", "8")
    run_job(page, "text=重新抽取（后台）")
    assert "种子 8" in page.inner_text("section.card h2")
    assert first_run != page.inner_text("section.card h2")
    shot(page, "07-panels")
    # 移出并禁止 a member of the first panel: listed as pending, then honoured by the next re-draw
    member = page.locator("table.list tbody tr").first.locator("span.expert:not(.alt)").first
    name = member.inner_text().split()[0]
    with page.expect_navigation():
        member.locator("button[title=移出并禁止]").click()
    assert "待下次抽取" in page.inner_text("#pairs") and name in page.inner_text("#pairs")
    run_job(page, "text=重新抽取（后台）")
    assert "本记录已遵守" in page.inner_text("#pairs")
    first_panel = page.locator("table.list tbody tr").first.locator("span.expert:not(.alt)").all_inner_texts()
    assert not [t for t in first_panel if t.split()[0] == name]

    # 凝练: run condensation as a job, open a cluster
    page.click("header nav >> text=凝练")
    run_job(page, "text=运行凝练（后台）")
    shot(page, "08-clusters")
    page.locator("article.cluster h2 a").first.click()
    page.wait_for_selector("table.list")
    shot(page, "09-cluster")

    # export exactly the filtered view
    page.goto(f"{base}/console/demands?region=沈阳市")
    total = int(page.inner_text("h1 small").split()[1])
    with page.expect_download() as download:
        page.click("#export-link")
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    import pandas as pd

    exported = pd.read_excel(path)
    assert len(exported) == total and set(exported["注册地区"]) == {"沈阳市"}


def test_staff_see_panels_with_pseudonyms_only(server, page) -> None:
    """Logged out, then in as staff: the same panels, every expert a pseudonym, no re-draw button."""
    base, _, staff = server
    page.goto(f"{base}/console/")
    with page.expect_navigation():
        page.click("header button:has-text('退出')")
    page.fill("input[name=token]", staff)
    page.click("#token-login button[type=submit]")
    page.goto(f"{base}/console/panels")
    text = page.inner_text("main")
    assert "专家以化名显示" in text and "专家-" in text and "重新抽取" not in text
    names = [json.loads(line)["姓名"] for line in (SAMPLES_DIR / "experts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert not [n for n in names if n in text]
    shot(page, "11-panels-staff")


def test_domains_queue_confirms_a_suggestion(server, page) -> None:
    """The 领域 queue, least confident first: staff confirm the first suggestion; it leaves the queue."""
    base, _, staff = server
    page.goto(f"{base}/console/")
    if page.locator("header button:has-text('退出')").count():
        with page.expect_navigation():
            page.click("header button:has-text('退出')")
    page.fill("input[name=token]", staff)
    page.click("#token-login button[type=submit]")
    page.goto(f"{base}/console/domains?only=all")
    decided = int(page.inner_text("h1 small").split("已确认")[1].split()[0])
    first = page.locator("table.domains tbody tr").first
    assert "规划处" in page.inner_text("table.domains") or first.locator("select[name=code]").count()
    assert "high_tech_domains_2016" not in page.content()  # no raw taxonomy key
    if not first.locator("select[name=code]").input_value():  # a human must decide: nothing preselected
        first.locator("input[name=other]").fill("先进制造工艺与装备")  # search the taxonomy by name
    with page.expect_navigation():
        first.locator("button:has-text('确认')").click()
    assert int(page.inner_text("h1 small").split("已确认")[1].split()[0]) == decided + 1
    shot(page, "12-domains")


def test_every_page_has_a_screenshot(server, page) -> None:
    """Runs after the walk-through: each page of the console has its picture in the artefacts."""
    names = {p.stem for p in SCREENS.glob("*.png")}
    assert {"01-login", "02-intake", "03-dashboard", "04-demands", "05-demand-detail", "06-dedup-queue",
            "07-panels", "08-clusters", "09-cluster", "10-panels-infeasible", "11-panels-staff", "12-domains"} <= names
