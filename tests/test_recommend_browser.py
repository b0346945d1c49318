"""初审 and the 推荐清单 in a real browser (Debian's Chromium via Playwright, the real app on a free port).

沈阳市's bureau passes a demand in its 初审 queue, composes its 第一批 list and downloads the signed PDF; the PDF
is degraded like a scan (150 dpi, a small rotation, noise, JPEG); staff upload the scan and read 核验通过.
Screenshots go to ``var/test-artefacts/screens/`` (``JIEBANG_SCREENS`` to put them elsewhere). Skips when
Chromium or playwright is missing.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from api.compose import build_services, load_settings
from api.services import reviews
from api.services.access import Principal, create_token
from api.services.intake import submit_demand
from tests.browser import SCREENS, launch, needs_chromium, serving
from tests.demand_rows import make_row
from tests.scans import scan_like

pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


@pytest.fixture
def server(tmp_path: Path):
    services = build_services(replace(load_settings({}).with_home(tmp_path / "home")))
    bureau_who = Principal("沈阳市科学技术局", "bureau", "沈阳市")
    with services.session() as s:
        ids = [submit_demand(s, services.campaign, make_row(n, 注册地区="沈阳市"), actor="test").demand.id
               for n in (1, 2, 3)]
        reviews.decide(s, services.campaign, bureau_who, ids[0], "初审通过")
        reviews.decide(s, services.campaign, bureau_who, ids[1], "退回修改", "需求描述过于简略")
        submit_demand(s, services.campaign, make_row(2, 注册地区="沈阳市", 需求描述="补充：主轴轴承磨削圆度≤1μm，寿命20年。"),
                      actor="test")  # the enterprise resubmits after 退回修改
        bureau = create_token(s, role="bureau", region="沈阳市", subject="沈阳市科学技术局")[1]
        staff = create_token(s, role="staff", subject="规划处")[1]
    with serving(services) as base:
        yield base, bureau, staff, ids
    services.close()


def _log_in(browser, base: str, token: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{base}/console/login")
    page.fill("input[name=token]", token)
    page.click("#token-login button[type=submit]")
    page.wait_for_selector("header nav")
    return page


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def test_bureau_composes_and_exports_staff_verify_the_scan(server, tmp_path: Path) -> None:
    base, bureau, staff, ids = server
    SCREENS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = _log_in(browser, base, bureau)
            page.click("header nav >> text=初审")
            row = page.locator(f"tr#d{ids[2]}")
            row.locator("select[name=decision]").select_option("pass")
            with page.expect_navigation():
                row.locator("button[type=submit]").click()
            assert "初审通过" in page.locator(f"tr#d{ids[2]}").inner_text()
            assert "退回修改" in page.locator(f"tr#d{ids[1]}").inner_text()
            _shot(page, "13-review-queue")
            with page.expect_navigation():
                page.click(f"tr#d{ids[1]} >> text=已重新提交")
            diff = page.inner_text("table.diff")
            assert "需求描述" in diff and "寿命20年" in diff
            _shot(page, "14-review-resubmitted-diff")

            page.click("header nav >> text=推荐清单")
            page.select_option("select[name=batch]", "第一批")
            with page.expect_navigation():
                page.click("#compose")
            assert page.locator("#count").inner_text() == "2"  # the returned demand is not on the list
            assert "逾期" in page.inner_text("h1")  # 2023's deadline has passed; the campaign accepts, flagged
            _shot(page, "15-recommend-list")
            with page.expect_download() as download:
                page.click("#export")
            pdf = Path(download.value.path()).read_bytes()
            assert pdf[:5] == b"%PDF-"

            scan = tmp_path / "盖章扫描件.jpg"
            scan.write_bytes(scan_like(pdf))
            staff_page = _log_in(browser, base, staff)
            staff_page.click("header nav >> text=推荐清单")
            assert "已导出" in staff_page.inner_text("table.bureaus")
            staff_page.set_input_files("input[type=file]", str(scan))
            with staff_page.expect_navigation():
                staff_page.click("#verify")
            verdict = staff_page.inner_text("#verdict")
            assert "核验通过" in verdict and "沈阳市" in verdict, verdict
            _shot(staff_page, "16-recommend-verified")
            staff_page.click("text=‹ 推荐清单")
            assert "已核验" in staff_page.inner_text("table.bureaus")
            _shot(staff_page, "17-recommend-bureaus")
        finally:
            browser.close()
