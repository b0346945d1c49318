"""Task ``scan``, dataset ``list-degraded``: does a stamped 推荐清单 still verify after print and scan?

A fresh home gets 30 invented 沈阳市 demands, all 初审通过, on one 第一批 list, exported as the signed PDF.
Its first page is rendered at 100, 150 and 200 dpi, rotated (0.5°, 2°, 5°, 12°), dimmed and given grey noise
(σ 8 and 20) and saved as JPEG (quality 40 and 75): 16 scans per resolution. Each goes through the real
verification (QR decode, signature, comparison). Metrics per resolution: ``verified_share`` (核验通过) and
``seconds_per_scan`` (median). No shared data needed.
"""
from __future__ import annotations

import io
import itertools
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import Context, Row

DPIS = (100, 150, 200)
ANGLES = (0.5, 2.0, 5.0, 12.0)
NOISE = (8.0, 20.0)
QUALITY = (40, 75)


def degrade(page, angle: float, sigma: float, quality: int, seed: int) -> bytes:
    """A grey page rotated, dimmed, noised and saved as JPEG."""
    from PIL import Image

    turned = page.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    pixels = np.asarray(turned, dtype=np.float32) * 0.92 + 12
    noisy = pixels + np.random.default_rng(seed).normal(0, sigma, pixels.shape)
    out = io.BytesIO()
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=quality)
    return out.getvalue()


def run(ctx: Context) -> list[Row]:
    import pypdfium2 as pdfium

    from api.compose import build_services, load_settings
    from api.services import reviews
    from api.services.access import Principal
    from api.services.intake import submit_demand

    bureau, staff = Principal("沈阳市科技局", "bureau", "沈阳市"), Principal("规划处", "staff")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="jiebang-scan-") as tmp:
        services = build_services(load_settings({}, home=Path(tmp)))
        try:
            with services.session() as s:
                for n in range(30):
                    record = {"需求编号": f"B-{n:03d}", "企业名称": f"沈阳测试{n}号精密制造有限公司", "注册地区": "沈阳市",
                              "需求类别": "重大需求", "需求名称": f"第{n}号高温合金叶片精密铸造缺陷在线检测技术",
                              "技术领域": "高新技术", "需求研发总投入(万元)": 1200 + n}
                    demand = submit_demand(s, services.campaign, record, actor="bench").demand
                    reviews.decide(s, services.campaign, bureau, demand.id, "初审通过")
                lst = services.recommendations.compose(s, bureau, "第一批")
                pdf = services.recommendations.export(s, bureau, lst.id).pdf
            for dpi in DPIS:
                page = pdfium.PdfDocument(pdf)[0].render(scale=dpi / 72).to_pil().convert("L")
                ok, times = 0, []
                for seed, (angle, sigma, quality) in enumerate(itertools.product(ANGLES, NOISE, QUALITY)):
                    scan = degrade(page, angle, sigma, quality, ctx.seed + seed)
                    started = time.perf_counter()
                    with services.session() as s:
                        outcome = services.scan_verifier.verify(s, staff, scan, f"scan-{dpi}-{seed}.jpg")["outcome"]
                    times.append(time.perf_counter() - started)
                    ok += outcome == "unchanged"
                total = len(ANGLES) * len(NOISE) * len(QUALITY)
                rows += [Row("scan", f"list-degraded-{dpi}dpi", "jiebang", "verified_share", ok / total),
                         Row("scan", f"list-degraded-{dpi}dpi", "jiebang", "seconds_per_scan", statistics.median(times))]
        finally:
            services.close()
    return rows
