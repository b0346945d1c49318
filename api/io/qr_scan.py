"""QR codes read back from an uploaded scan: a PDF (every page rendered by pdfium) or a photo (JPEG/PNG).

zxing-cpp does the finding and decoding (rotation, perspective, noise); when a page yields nothing it is
tried again in grey, with its contrast stretched and at half size, which rescues dim or very large photos.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import zxingcpp
from PIL import Image, ImageOps, UnidentifiedImageError

RENDER_DPI = 200
MAX_PAGES = 50


class UnreadableScan(ValueError):
    """The upload is neither a PDF nor an image this service can open."""


@dataclass(frozen=True)
class ScanCodes:
    """The texts of the QR codes found, per page (or one entry for a photo), and the pages looked at."""

    pages: int
    codes: list[tuple[int, str]]


def _images(data: bytes) -> list[Image.Image]:
    if data[:5] == b"%PDF-":
        import pypdfium2 as pdfium

        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise UnreadableScan(str(exc)) from exc
        try:
            return [pdf[i].render(scale=RENDER_DPI / 72).to_pil() for i in range(min(len(pdf), MAX_PAGES))]
        finally:
            pdf.close()
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise UnreadableScan(str(exc)) from exc
    return [ImageOps.exif_transpose(image)]


def _decode(image: Image.Image) -> list[str]:
    grey = image.convert("L")
    attempts = (lambda: image.convert("RGB"), lambda: grey, lambda: ImageOps.autocontrast(grey, cutoff=1),
                lambda: grey.reduce(2))
    for attempt in attempts:
        found = zxingcpp.read_barcodes(attempt(), formats=zxingcpp.BarcodeFormat.QRCode)
        texts = [r.text for r in found if r.valid and r.text]
        if texts:
            return texts
    return []


def read_codes(data: bytes) -> ScanCodes:
    """Every QR code text in a scan, with its page number (1-based); raises :class:`UnreadableScan`."""
    images = _images(data)
    codes = [(page, text) for page, image in enumerate(images, 1) for text in _decode(image)]
    return ScanCodes(pages=len(images), codes=codes)
