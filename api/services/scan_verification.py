"""Verification of a stamped 推荐清单 scan: the QR code read, the signature checked, the list compared.

The scan (PDF or photo) is stored under its SHA-256 and audited whatever the outcome (the received list:
its QR payload and what it proved are kept in ``list_verifications``). The QR code is read
(:mod:`api.io.qr_scan`), its signature checked against the export it names, and the rows as signed compared
with the recommendations stored now: unchanged, or exactly what was added, removed or changed since export,
and by whom (from the audit log). A missing, unreadable, foreign or forged code gets its own message.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.errors import Forbidden
from api.io.qr_scan import UnreadableScan, read_codes
from api.services import reviews
from api.services.access import Principal
from api.services.audit import append_audit
from api.services.list_signing import QrPayload
from api.services.recommendations import ROW_FIELDS, Recommendations
from api.store import tables as db

#: What a verification concluded, with the message the uploader reads.
OUTCOMES: dict[str, tuple[str, str]] = {
    "unchanged": ("核验通过：二维码签名有效，清单与系统中的推荐记录一致。",
                  "Verified: the QR code's signature is valid and the list matches the stored recommendations."),
    "changed": ("签名有效，但导出后系统中的推荐记录已有变动（见下表）。",
                "The signature is valid, but the stored recommendations changed after export (see the changes)."),
    "unreadable_file": ("无法打开上传的文件：请上传 PDF 或 JPEG/PNG 图片。",
                        "The upload cannot be opened: send a PDF or a JPEG/PNG image."),
    "no_code": ("扫描件中未找到二维码：请确认每页右上角的二维码清晰、完整、未被公章遮挡，或以更高分辨率（≥150 dpi）重新扫描。",
                "No QR code found in the scan: make sure the code at the top right of each page is sharp, whole "
                "and not covered by the seal, or scan again at 150 dpi or more."),
    "foreign_code": ("扫描件中的二维码不是本系统导出的推荐清单二维码。",
                     "The scan's QR code was not made by this service for a recommendation list."),
    "foreign_key": ("二维码由其他密钥签名，不是本厅导出的清单，不予受理。",
                    "The QR code is signed with another key: this list was not exported by the department; refused."),
    "forged": ("二维码签名无效：清单编号、数量或内容与导出时不符，可能被伪造或篡改，不予受理。",
               "The QR code's signature is invalid: its list number, count or content do not match the export; "
               "it may be forged or altered; refused."),
    "unknown_list": ("二维码中的清单编号在系统中不存在。", "The list number in the QR code is not known to this service."),
    "mixed_codes": ("扫描件中含有不同清单的二维码，请每次上传一份清单。",
                    "The scan holds the QR codes of different lists: upload one list at a time."),
}


class ScanVerifier:
    """Checks uploaded scans of stamped lists against the exports :class:`Recommendations` kept."""

    def __init__(self, lists: Recommendations, scans_dir: Path):
        self.lists = lists
        self.scans_dir = Path(scans_dir)

    def verify(self, session: Session, who: Principal, data: bytes, filename: str = "") -> dict[str, Any]:
        """Check an uploaded scan of a stamped list (see the module docstring); stored and audited."""
        if not who.may("verify_list"):
            raise Forbidden("当前令牌的角色无权核验推荐清单。", "This token's role may not verify recommendation lists.",
                            {"role": who.role}, code="role_forbidden")
        result: dict[str, Any] = {"pages": 0, "changes": [], "list": None}
        lst = payload = None
        try:
            scan = read_codes(data)
            result["pages"] = scan.pages
            outcome, payload, lst = self._identify(session, scan.codes)
        except UnreadableScan:
            outcome = "unreadable_file"
        if lst is not None:
            reviews.check_region(who, lst.region)  # a bureau never verifies (or learns of) another region's list
            export = next((e for e in self.lists.exports(lst) if e["export_no"] == payload.export_no), None)
            if export is None or not self.lists.signer.check(payload, export["rows"]):
                outcome = "forged"
            else:
                changes = self.compare(session, lst, export)
                outcome = "changed" if changes else "unchanged"
                result["changes"] = changes
                result["export"] = {k: export[k] for k in ("export_no", "at", "by", "count")}
                result["signed_rows"] = export["rows"]  # the list as received: what the stamped paper says
            result["list"] = {"id": lst.id, "code": lst.code, "region": lst.region, "batch": lst.batch}
        digest = hashlib.sha256(data).hexdigest()
        path = self._store_scan(data, digest, filename)
        zh, en = OUTCOMES[outcome]
        row = db.ListVerification(list_id=lst.id if lst else None, outcome=outcome, scan_name=(filename or "")[:300],
                                  scan_sha256=digest, scan_path=str(path), payload=payload.text() if payload else None,
                                  result={k: v for k, v in result.items()}, actor=who.actor)
        session.add(row)
        if lst is not None and outcome == "unchanged":
            lst.status, lst.verified_at = "verified", row.verified_at or datetime.now(timezone.utc)
        session.flush()
        append_audit(session, who.actor, "verify", "recommendation_list", lst.id if lst else None, None,
                     {"outcome": outcome, "verification_id": row.id, "scan_sha256": digest,
                      "changes": len(result["changes"])}, note=filename or None)
        session.commit()
        return {"verification_id": row.id, "outcome": outcome, "ok": outcome == "unchanged",
                "message_zh": zh, "message_en": en, **result}

    def _identify(self, session: Session, codes: list[tuple[int, str]]
                  ) -> tuple[str, QrPayload | None, db.RecommendationList | None]:
        if not codes:
            return "no_code", None, None
        parsed = [p for _, text in codes if (p := QrPayload.parse(text)) is not None]
        if not parsed:
            return "foreign_code", None, None
        if len({(p.code, p.export_no, p.signature) for p in parsed}) > 1:
            return "mixed_codes", parsed[0], None
        payload = parsed[0]
        if payload.key_id != self.lists.signer.key_id:
            return "foreign_key", payload, None
        lst = session.scalar(select(db.RecommendationList).where(db.RecommendationList.code == payload.code))
        if lst is None:
            return "unknown_list", payload, None
        return "checked", payload, lst

    def _store_scan(self, data: bytes, digest: str, filename: str) -> Path:
        suffix = Path(filename or "").suffix.lower()
        suffix = suffix if suffix in {".pdf", ".jpg", ".jpeg", ".png"} else ".bin"
        self.scans_dir.mkdir(parents=True, exist_ok=True)
        path = self.scans_dir / f"{digest}{suffix}"
        if not path.exists():
            path.write_bytes(data)
        return path

    def compare(self, session: Session, lst: db.RecommendationList, export: dict[str, Any]) -> list[dict[str, Any]]:
        """What was added, removed or changed (field by field, 序号 included) since ``export``, and by whom."""
        signed = {r["demand_id"]: (n, r) for n, r in enumerate(export["rows"], 1)}
        now = {r["demand_id"]: (n, r) for n, r in enumerate(self.lists.rows(session, lst), 1)}
        since = datetime.fromisoformat(export.get("recorded_at") or export["at"])
        moved = _moved([d for d in signed if d in now], {d: n for d, (n, _) in now.items()})
        changes: list[dict[str, Any]] = []
        for demand_id in [*signed, *(d for d in now if d not in signed)]:
            old, new = signed.get(demand_id), now.get(demand_id)
            if old and new:
                fields = [{"field": f, "before": old[1][f], "after": new[1][f]} for f in ROW_FIELDS
                          if old[1][f] != new[1][f]]
                if demand_id in moved:
                    fields.insert(0, {"field": "序号", "before": old[0], "after": new[0]})
                if not fields:
                    continue
                kind = "changed"
            else:
                kind, fields = ("removed" if old else "added"), []
            row = (old or new)[1]
            changes.append({"kind": kind, "kind_zh": {"added": "新增", "removed": "移除", "changed": "修改"}[kind],
                            "demand_id": demand_id, "需求编号": row["需求编号"], "需求名称": row["需求名称"],
                            "fields": fields, "by": self._actors_since(session, lst.id, demand_id, since)})
        return changes

    @staticmethod
    def _actors_since(session: Session, list_id: int, demand_id: int, since: datetime) -> list[str]:
        """Who touched this demand or its place on the list after ``since`` (from the audit log)."""
        entries = session.scalars(select(db.AuditEntry).where(db.AuditEntry.at >= since.astimezone(timezone.utc),
                                                              db.AuditEntry.entity.in_(("demand", "recommendation_list")))
                                  .order_by(db.AuditEntry.id))
        actors = []
        for e in entries:
            if e.entity == "demand" and e.entity_id == demand_id:
                actors.append(e.actor)
            elif e.entity == "recommendation_list" and e.entity_id == list_id and e.action != "verify":
                touched = [*(e.before or {}).get("removed", []), *(e.after or {}).get("added", []),
                           *(e.after or {}).get("order", [])]
                if demand_id in touched:
                    actors.append(e.actor)
        return list(dict.fromkeys(actors))


def _moved(then: list[int], place_now: dict[int, int]) -> set[int]:
    """The fewest rows whose move explains the new order: those off the longest run kept in order (a removal
    or an addition alone moves nothing). ``then``: ids in their old order; ``place_now``: id → new place."""
    seq = [place_now[d] for d in then]
    best = [1] * len(seq)
    back = [-1] * len(seq)
    for i in range(len(seq)):
        for j in range(i):
            if seq[j] < seq[i] and best[j] + 1 > best[i]:
                best[i], back[i] = best[j] + 1, j
    keep, i = set(), max(range(len(seq)), key=best.__getitem__, default=-1)
    while i >= 0:
        keep.add(then[i])
        i = back[i]
    return set(then) - keep
