"""The 榜单 draft of one office as a Word document (python-docx): a heading per entry and a two-column
table per entry (field, value), Chinese text set in an East Asian font (宋体 body, 黑体 headings) through
the ``w:eastAsia`` font attribute, which Word uses for CJK characters."""
from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlp.bangdan import FIELDS, field_text

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"


def _east_asian(style: Any, font: str) -> None:
    from docx.oxml.ns import qn

    style.font.name = LATIN_FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), font)


def bangdan_docx(entries: Sequence[dict[str, Any]], title: str, target: Path | io.BytesIO | None = None) -> bytes:
    """Write ``entries`` (each the content of a 榜单 entry, :func:`nlp.bangdan.draft_entry`) under ``title``;
    returns the .docx bytes (also written to ``target`` when given)."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    _east_asian(doc.styles["Normal"], BODY_FONT)
    doc.styles["Normal"].font.size = Pt(10.5)
    for name in ("Title", "Heading 1", "Heading 2"):
        _east_asian(doc.styles[name], HEADING_FONT)
    doc.add_heading(title, level=0)
    if not entries:
        doc.add_paragraph("暂无拟发榜条目。No entries marked for publication.")
    for n, entry in enumerate(entries, 1):
        doc.add_heading(f"{n}. {entry.get('name') or ''}", level=2)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for field, label in FIELDS:
            cells = table.add_row().cells
            cells[0].text = label
            cells[1].text = field_text(entry, field)
        doc.add_paragraph("")
    buffer = io.BytesIO()
    doc.save(buffer)
    data = buffer.getvalue()
    if isinstance(target, io.BytesIO):
        target.write(data)
    elif target is not None:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_bytes(data)
    return data
