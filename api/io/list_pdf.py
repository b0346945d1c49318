"""The 推荐清单 as an A4 PDF (reportlab): a Chinese table, the bureau, batch, count and export time, room for
the 公章, and the list's QR code on every page.

Chinese is drawn with reportlab's CID font ``STSong-Light`` (the reader's built-in Adobe-GB1 font: no font
file ships or is embedded). The QR code is encoded by segno and drawn as vector squares, so it stays sharp at
any print or scan resolution.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import segno
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
COLUMNS = ("序号", "需求编号", "企业名称", "需求名称", "需求类别", "技术领域", "研发总投入<br/>（万元）")
WIDTHS_MM = (11, 24, 40, 45, 17, 20, 27)  # 184 mm of the 210 mm page
QR_MM = 36  # big enough to read from a 150 dpi scan (about 4 pixels a module)


@dataclass(frozen=True)
class ListSheet:
    """What one exported list shows: its heading and rows (each row in :data:`COLUMNS` order)."""

    title: str
    bureau: str  # the recommending region (推荐地区)
    batch: str
    code: str
    exported_at: str
    rows: Sequence[Sequence[str]]
    qr_text: str
    notes: Sequence[str] = ()
    unit: str = ""  # the recommending unit (初审单位) when the demands name it, printed beside the seal


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """The QR code of ``text`` as black squares, ``size`` points wide with its quiet zone, lower-left at (x, y)."""
    qr = segno.make(text, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix]
    border = 4
    n = len(matrix) + 2 * border
    cell = size / n
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(x + (c + border) * cell, y + size - (r + border + 1) * cell, cell, cell, stroke=0, fill=1)


def list_pdf(sheet: ListSheet) -> bytes:
    """The list as PDF bytes (A4 portrait); laid out twice so every page can say 共 N 页."""
    pages, _ = _build(sheet, None)
    return _build(sheet, pages)[1]


def _build(sheet: ListSheet, total: int | None) -> tuple[int, bytes]:
    font = _font()
    out = io.BytesIO()
    width, height = A4
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=13 * mm, rightMargin=13 * mm, topMargin=50 * mm,
                            bottomMargin=18 * mm, title=sheet.title, author=sheet.bureau,
                            subject=f"{sheet.batch} 推荐清单 {sheet.code}")
    cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")
    head = ParagraphStyle("head", parent=cell, fontSize=9)
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    data = [[Paragraph(c, head) for c in COLUMNS]]
    data += [[Paragraph(_escape(v), cell) for v in row] for row in sheet.rows]
    table = Table(data, colWidths=[w * mm for w in WIDTHS_MM], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    seal = Table([[f"推荐单位（公章）：{sheet.unit}", ""], ["经办人：", "日期：　　　　年　　月　　日"]],
                 colWidths=[100 * mm, 84 * mm], rowHeights=[40 * mm, 12 * mm])
    seal.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOX", (0, 0), (-1, -1), 0.5, colors.grey),
                              ("FONT", (0, 0), (-1, -1), font, 10.5), ("TOPPADDING", (0, 0), (-1, -1), 6)]))
    story: list = [table, Spacer(1, 6 * mm)]
    story += [Paragraph(_escape(n), body) for n in sheet.notes]
    story.append(KeepTogether([Spacer(1, 4 * mm), seal]))

    def page(canvas: Canvas, doc_: SimpleDocTemplate) -> None:
        canvas.saveState()
        top = height - 14 * mm
        canvas.setFont(font, 15)
        canvas.drawString(13 * mm, top - 4 * mm, sheet.title)
        canvas.setFont(font, 10.5)
        lines = (f"推荐地区：{sheet.bureau}　　批次：{sheet.batch}　　推荐数量：{len(sheet.rows)} 项",
                 f"清单编号：{sheet.code}　　导出时间：{sheet.exported_at}",
                 "本清单由系统导出，二维码用于核验清单内容未被修改；加盖公章后上传扫描件。")
        for i, line in enumerate(lines):
            canvas.drawString(13 * mm, top - (12 + 6.5 * i) * mm, line)
        _draw_qr(canvas, sheet.qr_text, width - 13 * mm - QR_MM * mm, height - 8 * mm - QR_MM * mm, QR_MM * mm)
        canvas.setFont(font, 9)
        canvas.drawCentredString(width / 2, 10 * mm, f"{sheet.bureau} · {sheet.batch} · {sheet.code} · "
                                                      f"第 {doc_.page} 页" + (f" / 共 {total} 页" if total else ""))
        canvas.restoreState()

    doc.build(story, onFirstPage=page, onLaterPages=page)
    return doc.page, out.getvalue()


def _escape(text: object) -> str:
    return str(text if text is not None else "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
