"""Restating a demand's findings of some rules (intake extending a stored demand's duplicate finding)."""
from api.services.duplicate_findings import intake_findings_for
from api.services.finding_rows import restate_findings
from api.store import tables as db


def _finding(rule_id: str, severity: str, ids: list[int]) -> dict:
    return {"rule_id": rule_id, "severity": severity, "message_zh": f"与 {ids}", "message_en": f"with {ids}",
            "fields": [], "values": {"candidates": [{"id": i} for i in ids]}}


def test_a_restated_finding_reuses_the_stored_row_and_drops_surplus_ones():
    related = db.FindingRow(**_finding("duplicate_related", "info", [1]))
    dismissed = db.FindingRow(**_finding("duplicate_dismissed", "info", [2]))
    other = db.FindingRow(**_finding("missing_field", "info", []))
    demand = db.Demand(findings=[related, other, dismissed])

    restate_findings(demand, ("duplicate_related", "duplicate_dismissed"), [_finding("duplicate", "warning", [1, 3])])

    assert demand.findings == [related, other]  # the first stored row rewritten in place, the surplus one dropped
    assert (related.rule_id, related.severity, related.values) == ("duplicate", "warning",
                                                                   {"candidates": [{"id": 1}, {"id": 3}]})
    assert demand.check_status == "warning"


def test_a_restated_finding_is_added_when_none_was_stored():
    demand = db.Demand(findings=[])
    restate_findings(demand, ("duplicate_related",), [_finding("duplicate_related", "info", [4])])
    assert [(f.rule_id, f.values["candidates"]) for f in demand.findings] == [("duplicate_related", [{"id": 4}])]
    assert demand.check_status == "ok"


def test_a_long_related_note_names_the_five_closest_and_counts_the_rest():
    """Under load a stored demand related to every later one read "与需求 #…、#…（97 ids）内容相关"."""
    briefs = [{"id": i, "verdict": "related", "score": round(0.30 + i / 1000, 4), "enterprise_signal": False}
              for i in range(1, 41)]
    [note] = intake_findings_for(briefs, strong=False)
    assert note["message_zh"] == "与需求 #40、#39、#38、#37、#36 等 40 条需求内容相关（非重复），供参考。"
    assert note["message_en"].endswith("#36 and 35 more (not duplicates).")
    assert len(note["values"]["candidates"]) == 40  # the panel still lists every one
    [short] = intake_findings_for(briefs[:2], strong=False)
    assert short["message_zh"] == "与需求 #2、#1 内容相关（非重复），供参考。"
