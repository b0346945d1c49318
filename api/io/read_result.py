"""What reading a file gives: accepted records with their row numbers, and every rejected row with its reasons."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from api.forms.models import DemandRecord
from api.forms.personal import redact

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class RejectedRow:
    """One problem that kept a row out: row number, field (Chinese header or None), zh + en reason, raw row."""

    row_number: int
    field: str | None
    reason_zh: str
    reason_en: str
    raw: dict[str, Any]

    def to_dict(self, *, model: type[BaseModel] | None = DemandRecord) -> dict[str, Any]:
        """JSON-ready dict; personal values of ``raw`` are masked unless ``model`` is None."""
        raw = redact(self.raw, model) if model is not None else self.raw
        return {"row_number": self.row_number, "field": self.field, "reason_zh": self.reason_zh,
                "reason_en": self.reason_en, "raw": raw}


@dataclass(frozen=True)
class Note:
    """A file-level remark (unknown columns, skipped blank rows), in Chinese and English."""

    code: str
    message_zh: str
    message_en: str
    details: Any = None


@dataclass
class ReadResult(Generic[M]):
    """Outcome of reading a file: accepted ``(row_number, record)`` pairs and every rejected row."""

    accepted: list[tuple[int, M]] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    blank_rows: list[int] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    skipped_files: list[dict[str, str]] = field(default_factory=list)  # files of a folder/.zip not read, with why
    format: str = ""
    encoding: str | None = None
    context: dict[str, Any] = field(default_factory=dict, repr=False)  # validation context (e.g. max_text_chars)

    @property
    def rejected_row_numbers(self) -> list[int]:
        """Distinct rejected row numbers (a row with several bad fields has several entries)."""
        return sorted({r.row_number for r in self.rejected})

    @property
    def rows(self) -> int:
        """Data rows read: accepted plus distinct rejected rows (blank rows not counted)."""
        return len(self.accepted) + len(self.rejected_row_numbers)

    @property
    def records(self) -> list[M]:
        return [record for _, record in self.accepted]

    def summary(self, *, model: type[BaseModel] | None = DemandRecord) -> dict[str, Any]:
        """JSON-ready report for the clerk (personal values in rejected rows masked)."""
        return {
            "format": self.format, "encoding": self.encoding, "rows": self.rows, "accepted": len(self.accepted),
            "rejected_rows": len(self.rejected_row_numbers),
            "rejected": [r.to_dict(model=model) for r in self.rejected],
            "unknown_columns": self.unknown_columns, "blank_rows": self.blank_rows,
            "skipped_files": self.skipped_files,
            "notes": [{"code": n.code, "message_zh": n.message_zh, "message_en": n.message_en,
                       "details": n.details} for n in self.notes],
        }
