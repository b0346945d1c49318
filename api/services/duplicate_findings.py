"""Duplicate findings and candidates as callers see them: the intake report's ``duplicate`` warning and
``duplicate_related`` note, the finding restated with staff decisions, and a candidate shown in full or
sealed (another region's, for a city bureau)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from api.io.labels import actor_zh
from api.store import tables as db
from api.services.finding_rows import restate_findings
from matching.duplicates import MIN_COMPARE_CHARS, Candidate
from nlp.shingles import content_chars

RULE_DUPLICATE = "duplicate"
RULE_DISMISSED = "duplicate_dismissed"  # every candidate of the duplicate finding was checked and dismissed
RULE_RELATED = "duplicate_related"
RULE_TOO_SHORT = "too_short_to_compare"
STRONG = ("duplicate", "near_duplicate")
RELATED_SHOWN = 5  # a related note names the five closest and counts the rest (all are in its values)


def intake_findings(found: Sequence[Candidate]) -> list[dict[str, Any]]:
    """Findings for the intake report: one ``duplicate`` warning and/or one ``duplicate_related`` note.

    Values list candidate ids, verdicts and scores only; which enterprise signal fired is not
    stored here (findings are shown to every caller) — GET /demands/{id}/duplicates shows it to admins.
    """
    strong = [candidate_brief(c) for c in found if c.verdict in STRONG]
    weak = [candidate_brief(c) for c in found if c.verdict == "related"]
    return intake_findings_for(strong, strong=True) + intake_findings_for(weak, strong=False)


def intake_findings_for(briefs: Sequence[dict[str, Any]], *, strong: bool) -> list[dict[str, Any]]:
    """One ``duplicate`` warning (``strong``) or one ``duplicate_related`` note over candidate briefs."""
    if not briefs:
        return []
    ids = "、".join(f"#{b['id']}" for b in briefs)
    if strong:
        return [{"rule_id": RULE_DUPLICATE, "severity": "warning",
                 "message_zh": f"疑似重复申报：与需求 {ids} 内容重复或高度相似，请核实。",
                 "message_en": f"Possible duplicate of demand(s) {ids.replace('、', ', ')}; please review.",
                 "fields": [], "values": {"candidates": list(briefs)}}]
    shown = sorted(briefs, key=lambda b: -float(b.get("score") or 0))[:RELATED_SHOWN]  # the closest, then a count
    ids = "、".join(f"#{b['id']}" for b in shown)
    more_zh = f" 等 {len(briefs)} 条需求" if len(briefs) > len(shown) else " "
    more_en = f" and {len(briefs) - len(shown)} more" if len(briefs) > len(shown) else ""
    return [{"rule_id": RULE_RELATED, "severity": "info",
             "message_zh": f"与需求 {ids}{more_zh}内容相关（非重复），供参考。",
             "message_en": f"Related to demand(s) {ids.replace('、', ', ')}{more_en} (not duplicates).",
             "fields": [], "values": {"candidates": list(briefs)}}]


def too_short_finding(text: str) -> list[dict[str, Any]]:
    """An ``info`` note when the compared text (title and description) is too short to check reliably."""
    chars = len(content_chars(text).replace("|", ""))
    if chars >= MIN_COMPARE_CHARS:
        return []
    return [{"rule_id": RULE_TOO_SHORT, "severity": "info", "fields": [], "values": {"chars": chars},
             "message_zh": f"需求名称和描述共{chars}字，过短，无法可靠查重；请补充需求描述后再核对。",
             "message_en": f"Only {chars} characters of title and description: too short to check for "
                           "duplicates reliably; add a description."}]


def flag_pair(other: db.Demand, new_id: int, candidate: Candidate) -> None:
    """Both sides of a pair are flagged: a demand stored before (``other``) that the new one (``new_id``)
    duplicates or relates to gets, or extends, its own ``duplicate`` (``duplicate_related``) finding naming the
    new demand — what re-running the checks would give it, so an import's counts and ``check``'s agree."""
    flag_pairs(other, [(new_id, candidate)])


def flag_pairs(other: db.Demand, pairs: Sequence[tuple[int, Candidate]]) -> None:
    """:func:`flag_pair` of several new demands in order, the finding of each kind rewritten once (what the
    pairs one after another leave: the candidates listed before, then each new one not yet listed)."""
    for strong, rules in ((True, (RULE_DUPLICATE, RULE_DISMISSED)), (False, (RULE_RELATED,))):
        listed = [x for f in other.findings if f.rule_id in rules for x in (f.values or {}).get("candidates", [])]
        known = {x.get("id") for x in listed}
        added = []
        for new_id, c in pairs:
            if (c.verdict in STRONG) == strong and new_id not in known:
                known.add(new_id)
                added.append({**candidate_brief(c), "id": new_id})
        if added:
            restate_findings(other, rules, intake_findings_for(listed + added, strong=strong))


def restated_finding(briefs: Sequence[dict[str, Any]], demand_id: int,
                     decided: dict[tuple[int, int], db.DuplicateDecision]) -> dict[str, Any]:
    """The ``duplicate`` finding of one demand over its candidate briefs, worded with the staff decisions."""
    def row(c: dict[str, Any]) -> db.DuplicateDecision | None:
        return decided.get((min(demand_id, int(c["id"])), max(demand_id, int(c["id"]))))

    def ids(cs: Sequence[dict[str, Any]]) -> str:
        return "、".join(f"#{c['id']}" for c in cs)

    def who(c: dict[str, Any]) -> str:
        r = row(c)
        return f"{actor_zh(r.actor)} {db.as_utc(r.decided_at):%Y-%m-%d}".strip()

    open_ = [c for c in briefs if row(c) is None]
    confirmed = [c for c in briefs if row(c) is not None and row(c).decision == "confirm"]
    dismissed = [c for c in briefs if row(c) is not None and row(c).decision == "dismiss"]
    zh, en = [], []
    if open_:
        zh.append(f"疑似重复申报：与需求 {ids(open_)} 内容重复或高度相似，请核实。")
        en.append(f"Possible duplicate of demand(s) {ids(open_).replace('、', ', ')}; please review.")
    for c in confirmed:
        zh.append(f"已确认与需求 #{c['id']} 重复（{who(c)}）。")
        en.append(f"Confirmed duplicate of demand #{c['id']}.")
    for c in dismissed:
        zh.append(f"已核实与需求 #{c['id']} 不是重复（{who(c)}）。")
        en.append(f"Checked: not a duplicate of demand #{c['id']}.")
    values = {"candidates": [{**c, "decision": row(c).decision if row(c) else None} for c in briefs]}
    if not open_ and not confirmed:
        return {"rule_id": RULE_DISMISSED, "severity": "info", "message_zh": "".join(zh), "message_en": " ".join(en),
                "fields": [], "values": values}
    return {"rule_id": RULE_DUPLICATE, "severity": "warning", "message_zh": "".join(zh), "message_en": " ".join(en),
            "fields": [], "values": values}


def candidate_brief(c: Candidate) -> dict[str, Any]:
    """What a finding keeps of a candidate: its id, verdict, score and whether an enterprise signal fired."""
    return {"id": c.id, "verdict": c.verdict, "score": round(c.score, 4),
            "enterprise_signal": bool(c.signals)}


def candidate_out(c: Candidate, *, admin: bool, decision: str | None = None) -> dict[str, Any]:
    """A candidate as callers see it: signal names only with the admin token; the staff decision."""
    d = c.to_dict()
    d["decision"] = decision
    d["signals"] = list(c.signals) if admin else (["enterprise"] if c.signals else [])
    return d


def sealed_candidate_out(c: Candidate, *, decision: str | None = None) -> dict[str, Any]:
    """A candidate in a region the caller may not see (a city bureau looking at its own demand): that it
    exists, its number and how likely a duplicate — so the bureau can ask the department — and nothing of
    its content (no title, text, evidence, enterprise signal or figures that describe the texts)."""
    return {"id": c.id, "score": round(float(c.score), 4), "verdict": c.verdict, "containment": None,
            "jaccard": None, "dense": None, "signals": [], "decision": decision, "sealed": True}
