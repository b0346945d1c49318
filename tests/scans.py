"""A PDF page degraded the way a scanner gives it back (for the 推荐清单 verification tests)."""
from __future__ import annotations

import io

import numpy as np
from PIL import Image


def scan_like(pdf: bytes, *, dpi: int = 150, angle: float = 1.5, seed: int = 7) -> bytes:
    """The first page as a scanner would give it back: 150 dpi, a slight rotation, noise, a JPEG."""
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(pdf)[0].render(scale=dpi / 72).to_pil().convert("L")
    page = page.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    pixels = np.asarray(page, dtype=np.float32)
    noisy = pixels * 0.92 + 12 + np.random.default_rng(seed).normal(0, 14, pixels.shape)
    out = io.BytesIO()
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=60)
    return out.getvalue()
