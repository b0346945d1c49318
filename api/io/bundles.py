"""Reading what a clerk hands in: one file, or a folder or .zip of files (say, one 征集表 per enterprise),
each read by :func:`api.io.readers.read_records` and reported together, file by file."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from api.forms.models import DemandRecord
from api.io.form_files import bundle_members, skip_reason
from api.io.read_result import M, Note, ReadResult, RejectedRow
from api.io.readers import Source, no_rows_noted, read_records


def read_any(source: Source, model: type[M] = DemandRecord, *, filename: str | None = None,
             context: Mapping[str, Any] | None = None) -> ReadResult[M]:
    """Records of a file, a folder or a .zip. Rows of a bundle are numbered across its files in name order,
    and every rejected row and note names its file."""
    name = filename or (Path(source).name if isinstance(source, (str, Path)) else "")
    is_dir = isinstance(source, (str, Path)) and Path(source).is_dir()
    if not is_dir and Path(name).suffix.lower() != ".zip":
        return read_records(source, model, filename=filename, context=context)
    if is_dir:
        members, skipped = bundle_members(Path(source), name)
    elif isinstance(source, (str, Path)):
        members, skipped = bundle_members(Path(source).read_bytes(), name)
    else:
        members, skipped = bundle_members(source if isinstance(source, bytes) else source.read(), name)
    out: ReadResult[M] = ReadResult(format="bundle", context=dict(context or {}))
    for member in skipped:
        zh, en = skip_reason(member)
        out.skipped_files.append({"file": member, "reason_zh": zh, "reason_en": en})
        out.notes.append(Note("skipped_file", f"{member}：未导入，{zh}", f"{member}: not imported, {en}",
                              {"file": member}))
    offset = 0
    for member, content in members:
        part = read_records(content, model, filename=member, context=context)
        numbers = sorted({n for n, _ in part.accepted} | {r.row_number for r in part.rejected})
        renumber = {n: offset + i for i, n in enumerate(numbers, start=1)}
        out.accepted += [(renumber[n], record) for n, record in part.accepted]
        out.rejected += [RejectedRow(renumber[r.row_number], r.field, f"{member}：{r.reason_zh}",
                                     f"{member}: {r.reason_en}", {**r.raw, "文件": member}) for r in part.rejected]
        out.notes += [Note(n.code, f"{member}：{n.message_zh}", f"{member}: {n.message_en}", n.details)
                      for n in part.notes]
        out.notes.append(Note("file", f"{member}：第 {offset + 1}–{offset + len(numbers)} 行",
                              f"{member}: rows {offset + 1}–{offset + len(numbers)}",
                              {"file": member, "format": part.format, "rows": len(numbers)}))
        offset += len(numbers)
    return no_rows_noted(out, name)
