"""Restating a demand's findings of some rules (intake extending a stored demand's duplicate finding)."""
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
