"""初审 decisions and the 推荐清单 through the real services (SQLite, reportlab, segno, cryptography, pdfium,
zxing-cpp): the signed PDF survives a scan, a change after export is named, another key is refused,
regions stay apart, late recommendations follow the campaign, and the PDF's text holds every row."""
from __future__ import annotations

import io
import random
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PIL import Image

from api.compose import build_services
from api.config import Settings
from api.errors import Forbidden, InvalidInput
from api.services import reviews
from api.services.access import Principal
from api.services.intake import submit_demand
from api.services.list_signing import ListSigner
from api.services.recommendations import LateRecommendation, Recommendations
from api.store import tables as db
from corpora import CAMPAIGNS_DIR
from tests.demand_rows import make_row
from tests.scans import scan_like

SHENYANG = Principal("沈阳市科技局", "bureau", "沈阳市")
DALIAN = Principal("大连市科技局", "bureau", "大连市")
STAFF = Principal("规划处", "staff")
ON_TIME = datetime(2023, 1, 20, 3, tzinfo=timezone.utc)
LATE = datetime(2023, 2, 2, 3, tzinfo=timezone.utc)


def _store(services, rows) -> list[int]:
    ids = []
    with services.session() as s:
        for row in rows:
            ids.append(submit_demand(s, services.campaign, row, actor="test").demand.id)
    return ids


@pytest.fixture
def services(settings: Settings):
    services = build_services(settings)
    yield services
    services.close()


@pytest.fixture
def shenyang(services) -> list[int]:
    """Five 沈阳市 demands (one in 浑南科技城) and one of 大连市; four of 沈阳's pass first review."""
    rows = [make_row(n, 注册地区="沈阳市", 所在园区="浑南科技城" if n == 1 else None) for n in range(1, 6)]
    ids = _store(services, [*rows, make_row(9, 注册地区="大连市")])
    with services.session() as s:
        for d in ids[:4]:
            reviews.decide(s, services.campaign, SHENYANG, d, "初审通过")
        reviews.decide(s, services.campaign, SHENYANG, ids[4], "不予推荐", "研发投入与需求类别不符")
        reviews.decide(s, services.campaign, DALIAN, ids[5], "初审通过")
    return ids


def test_decisions_need_reasons_and_resubmission_shows_a_diff(services, shenyang):
    with services.session() as s:
        with pytest.raises(InvalidInput) as err:
            reviews.decide(s, services.campaign, SHENYANG, shenyang[0], "退回修改")
        assert err.value.code == "reason_required"
        reviews.decide(s, services.campaign, SHENYANG, shenyang[0], "退回修改", "需求描述过于简略")
    _store(services, [make_row(1, 注册地区="沈阳市", 所在园区="浑南科技城", 需求描述="补充了风电主轴轴承磨削的技术指标。")])
    with services.session() as s:
        shown = reviews.history(s, STAFF, shenyang[0])
        assert shown["resubmitted"] and shown["decision"] == "return"
        change = shown["decisions"][0]["changed_since"]
        assert [c["field"] for c in change] == ["需求描述"] and "技术指标" in change[0]["after"]
        assert shown["decisions"][0]["previous_id"] == shown["decisions"][1]["id"]
        with pytest.raises(Forbidden):  # another bureau sees neither the decision nor the demand
            reviews.history(s, DALIAN, shenyang[0])
        with pytest.raises(Forbidden):
            reviews.history(s, Principal("专家处", "expert_admin"), shenyang[0])
        assert [q["demand"].id for q in reviews.queue(s, services.campaign, DALIAN)] == [shenyang[5]]
        audit = [e for e in s.query(db.AuditEntry)
                 if e.action == "review" and e.entity_id == shenyang[0]]
        assert [e.after["decision"] for e in audit] == ["pass", "return"]


def test_round_trip_through_a_degraded_scan(services, shenyang, tmp_path: Path):
    rec = services.recommendations
    with services.session() as s:
        lst = rec.compose(s, SHENYANG, "第一批", now=ON_TIME)
        assert [i.demand_id for i in lst.items] == shenyang[:4]  # the 不予推荐 one is not offered
        assert rec.quota(s, "沈阳市") == {"region": "沈阳市", "recommended": 4, "minimum": 200,
                                          "parks": [{"name": "浑南科技城", "recommended": 1, "minimum": 30}]}
        exported = rec.export(s, SHENYANG, lst.id, now=ON_TIME)
    scan = scan_like(exported.pdf)
    (tmp_path / "scan.jpg").write_bytes(scan)
    with services.session() as s:
        result = services.scan_verifier.verify(s, STAFF, scan, "scan.jpg")
        assert result["outcome"] == "unchanged" and result["ok"], result
        assert result["message_zh"].startswith("核验通过")
        assert rec.demand_status(s, shenyang[:1]) == {shenyang[0]: "已推荐（清单已核验）"}
        stored = Path(s.get(db.ListVerification,
                            result["verification_id"]).scan_path)
        assert stored.read_bytes() == scan

    # one stored recommendation changes after export: the verification names it, and who changed it
    _store(services, [make_row(2, 注册地区="沈阳市", 需求名称="第2号风电轴承精密磨削关键技术")])
    with services.session() as s:
        result = services.scan_verifier.verify(s, STAFF, scan, "scan.jpg")
    assert result["outcome"] == "changed" and not result["ok"]
    (change,) = result["changes"]
    assert change["kind"] == "changed" and change["demand_id"] == shenyang[1]
    assert change["fields"] == [{"field": "需求名称", "before": "第2号高端轴承精密加工关键技术",
                                 "after": "第2号风电轴承精密磨削关键技术"}]
    assert change["by"] == ["test"]
    with services.session() as s:  # the list no longer matches its export: no longer shown as verified
        assert rec.view(s, STAFF, lst.id)["status"] == "changed"
        assert rec.demand_status(s, shenyang[:1]) == {shenyang[0]: "拟推荐（清单导出后有变动）"}

    # one taken off, another put on: both are named
    with services.session() as s:
        rec.remove(s, SHENYANG, lst.id, [shenyang[3]])
        reviews.decide(s, services.campaign, SHENYANG, shenyang[4], "初审通过")
        rec.compose(s, SHENYANG, "第一批", [shenyang[4]], now=ON_TIME)
        kinds = {(c["kind"], c["demand_id"]) for c in services.scan_verifier.verify(s, STAFF, scan, "scan.jpg")["changes"]}
    assert {("removed", shenyang[3]), ("added", shenyang[4])} <= kinds
    assert ("changed", shenyang[0]) not in kinds  # a removal further down moves nobody

    with services.session() as s:  # one row moved to the top: that row is named, not every row it passed
        rec.reorder(s, SHENYANG, lst.id, [shenyang[2]])
        moved = [c for c in services.scan_verifier.verify(s, STAFF, scan, "scan.jpg")["changes"]
                 if any(f["field"] == "序号" for f in c["fields"])]
    assert [(c["demand_id"], c["fields"][0]["before"], c["fields"][0]["after"]) for c in moved] == [(shenyang[2], 3, 1)]


def test_pdf_text_holds_every_row_and_each_page_has_the_code(services, settings):
    import pypdfium2 as pdfium

    rows = [make_row(n, 注册地区="沈阳市", 批次="第二批", 提交时间="2023-02-10",
                     需求名称=f"第{n}号高温合金叶片精密铸造缺陷检测技术") for n in range(1, 46)]
    ids = _store(services, rows)
    rec = services.recommendations
    with services.session() as s:
        for d in ids:
            reviews.decide(s, services.campaign, SHENYANG, d, "初审通过")
        lst = rec.compose(s, SHENYANG, "第二批", now=ON_TIME)
        pdf = rec.export(s, SHENYANG, lst.id, now=ON_TIME).pdf
    doc = pdfium.PdfDocument(pdf)
    assert len(doc) >= 2
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc))).replace("\r", "").replace("\n", "")
    for row in rows:
        assert row["需求编号"] in text and row["需求名称"] in text and row["企业名称"] in text
    assert "推荐单位（公章）" in text and "第二批" in text and "推荐数量：45 项" in text
    from api.io.qr_scan import read_codes
    codes = read_codes(pdf)
    assert [p for p, _ in codes.codes] == list(range(1, len(doc) + 1))


def test_a_list_signed_with_another_key_is_refused(services, shenyang, tmp_path: Path):
    with services.session() as s:
        lst = services.recommendations.compose(s, SHENYANG, "第一批", now=ON_TIME)
    other = Recommendations(services.campaign, ListSigner(tmp_path / "elsewhere.pem"))
    with services.session() as s:
        foreign_pdf = other.export(s, SHENYANG, lst.id, now=ON_TIME).pdf
        result = services.scan_verifier.verify(s, STAFF, foreign_pdf, "foreign.pdf")
    assert result["outcome"] == "foreign_key" and not result["ok"]
    assert "其他密钥" in result["message_zh"] and "another key" in result["message_en"]


def test_missing_foreign_and_forged_codes_are_explained(services, shenyang):
    import segno

    rec = services.recommendations
    with services.session() as s:
        lst = rec.compose(s, SHENYANG, "第一批", now=ON_TIME)
        text = rec.export(s, SHENYANG, lst.id, now=ON_TIME).qr_text

    def png(qr_text: str | None) -> bytes:
        out = io.BytesIO()
        if qr_text is None:
            Image.new("L", (400, 400), 255).save(out, "PNG")
        else:
            segno.make(qr_text, error="m").save(out, kind="png", scale=6)
        return out.getvalue()

    forged = text.split(":")
    forged[3] = str(int(forged[3]) + 1)  # a row count that was not signed
    with services.session() as s:
        outcomes = {name: services.scan_verifier.verify(s, STAFF, data, name)["outcome"] for name, data in (
            ("blank.png", png(None)), ("web.png", png("https://example.com/")), ("forged.png", png(":".join(forged))),
            ("notes.txt", b"hello"), ("real.png", png(text)))}
    assert outcomes == {"blank.png": "no_code", "web.png": "foreign_code", "forged.png": "forged",
                        "notes.txt": "unreadable_file", "real.png": "unchanged"}


def test_a_bureau_keeps_to_its_own_region(services, shenyang):
    rec = services.recommendations
    with services.session() as s:
        lst = rec.compose(s, SHENYANG, "第一批", now=ON_TIME)
        pdf = rec.export(s, SHENYANG, lst.id, now=ON_TIME).pdf
        with pytest.raises(Forbidden):
            rec.compose(s, DALIAN, "第一批", region="沈阳市", now=ON_TIME)
        with pytest.raises(InvalidInput):  # 大连's bureau cannot slip 沈阳's demand onto its own list
            rec.compose(s, DALIAN, "第一批", [shenyang[0]], now=ON_TIME)
        with pytest.raises(Forbidden):
            rec.export(s, DALIAN, lst.id, now=ON_TIME)
        with pytest.raises(Forbidden):
            services.scan_verifier.verify(s, DALIAN, pdf, "list.pdf")
        with pytest.raises(Forbidden):
            reviews.decide(s, services.campaign, DALIAN, shenyang[0], "初审通过")
        with pytest.raises(Forbidden):  # staff verify but do not compose
            rec.compose(s, STAFF, "第一批", region="沈阳市", now=ON_TIME)
        assert [r["region"] for r in rec.status_table(s, DALIAN)] == ["大连市"]
        assert services.scan_verifier.verify(s, SHENYANG, pdf, "list.pdf")["outcome"] == "unchanged"


def test_late_recommendations_follow_the_campaign(services, shenyang, settings, tmp_path: Path):
    with services.session() as s:  # the shipped campaign accepts late ones, flagged
        lst = services.recommendations.compose(s, SHENYANG, "第一批", shenyang[:2], now=LATE)
        assert lst.late and all(i.late for i in lst.items)
        services.recommendations.compose(s, SHENYANG, "第二批", shenyang[2:3], now=LATE)  # 第二批 is open
        table = {r["region"]: r for r in services.recommendations.status_table(s, STAFF)}["沈阳市"]
        assert [(c["batch"], c["count"], c["late"]) for c in table["batches"]] == [
            ("第一批", 2, 2), ("第二批", 1, 0), ("第三批", 0, 0)]
    strict_file = tmp_path / "strict.yaml"
    strict_file.write_text((CAMPAIGNS_DIR / "liaoning-2023.yaml").read_text(encoding="utf-8").replace(
        "late_recommendations: flag", "late_recommendations: refuse"), encoding="utf-8")
    strict = build_services(replace(settings, campaign_file=strict_file))
    try:
        with strict.session() as s:
            with pytest.raises(LateRecommendation) as err:
                strict.recommendations.compose(s, SHENYANG, "第一批", shenyang[3:4], now=LATE)
            assert err.value.code == "batch_closed" and "2023-01-31" in err.value.message_zh
            with pytest.raises(LateRecommendation):
                strict.recommendations.export(s, SHENYANG, lst.id, now=LATE)
            on_time = strict.recommendations.compose(s, SHENYANG, "第一批", shenyang[3:4],
                                                     now=datetime(2023, 1, 31, 15, tzinfo=timezone.utc))
            assert not on_time.items[-1].late  # 23:00 in Beijing on the deadline day is on time
    finally:
        strict.close()


def test_the_command_line_round(services, shenyang, settings, tmp_path: Path, capsys):
    from api.cli import main
    from api.services.access import create_token

    with services.session() as s:
        token = create_token(s, role="bureau", region="沈阳市", subject="沈阳市科学技术局")[1]
        other = create_token(s, role="bureau", region="大连市", subject="大连市科技局")[1]
    home = ["--home", str(settings.home)]
    assert main([*home, "recommend", "compose", "--batch", "第一批", "--token", token]) == 0
    pdf = tmp_path / "推荐清单.pdf"
    assert main([*home, "recommend", "export", "1", str(pdf), "--token", other]) == 2  # another region: refused (usage, as every refusal)
    assert main([*home, "recommend", "export", "1", str(pdf), "--token", token]) == 0
    (tmp_path / "scan.jpg").write_bytes(scan_like(pdf.read_bytes()))
    capsys.readouterr()
    assert main([*home, "verify", str(tmp_path / "scan.jpg")]) == 0
    assert "核验通过" in capsys.readouterr().out
    blank = tmp_path / "blank.png"
    Image.new("L", (300, 300), 255).save(blank)
    assert main([*home, "verify", str(blank)]) == 1
    assert "未找到二维码" in capsys.readouterr().out
    (tmp_path / "notes.txt").write_text("not a scan")
    assert main([*home, "verify", str(tmp_path / "notes.txt")]) == 3
    with services.session() as s:
        actors = {e.actor for e in s.query(db.AuditEntry)
                  if e.entity == "recommendation_list"}
    assert actors == {"cli:沈阳市科学技术局", "cli"}
